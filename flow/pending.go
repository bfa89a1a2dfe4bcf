package flow

import "github.com/mcpwalk/mcpwalk/internal/check"

// later records a check for the step that ends next: for code that runs
// inside a step but outside its function (the SDK calls Authorize and the
// DPoP transport during connect and calls). Repeats are kept once.
func (e *Engine) later(c check.Check) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.pendingChecks {
		if p == c {
			return
		}
	}
	e.pendingChecks = append(e.pendingChecks, c)
}

func (e *Engine) takePending() check.List {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.pendingChecks
	e.pendingChecks = nil
	return out
}

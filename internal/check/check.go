// Package check is the shared vocabulary for what mcpwalk verified: a Check
// is one rule evaluated once, with its outcome, the spec it comes from and a
// fix. discovery and flow both produce checks; reports turn the ones that did
// not pass into findings.
package check

import "fmt"

// Status is the outcome of one check.
type Status string

const (
	// Pass: the rule holds.
	Pass Status = "pass"
	// Info: nothing is wrong, but the user should know (an interop note).
	Info Status = "info"
	// Warn: a SHOULD is broken, or a MUST that mcpwalk could work around.
	Warn Status = "warn"
	// Fail: a MUST is broken; a strict client stops here.
	Fail Status = "fail"
)

// Severity maps a status to the finding severity used in reports
// ("error", "warning", "info"); Pass has none.
func (s Status) Severity() string {
	switch s {
	case Fail:
		return "error"
	case Warn:
		return "warning"
	case Info:
		return "info"
	}
	return ""
}

// Rank orders statuses from best to worst, for "worst of" summaries.
func (s Status) Rank() int {
	switch s {
	case Pass:
		return 0
	case Info:
		return 1
	case Warn:
		return 2
	case Fail:
		return 3
	}
	return 0
}

// Check is one rule evaluated against what came back.
type Check struct {
	// ID is stable across releases (for example "prm.resource-mismatch");
	// reports and `mcpwalk explain` key on it.
	ID string `json:"id"`
	// Status is the outcome.
	Status Status `json:"status"`
	// Message is one line with the actual and the expected values.
	Message string `json:"message"`
	// Spec names the rule: MCP revision and section, or RFC and section.
	Spec string `json:"spec,omitempty"`
	// Fix says what to change, on the server or in the invocation.
	Fix string `json:"fix,omitempty"`
	// Revision is the MCP revision the status was graded for, when it
	// differs from the latest (see --spec).
	Revision string `json:"revision,omitempty"`
}

// New builds a check with a formatted message.
func New(id string, st Status, spec, fix, format string, args ...any) Check {
	return Check{ID: id, Status: st, Message: fmt.Sprintf(format, args...), Spec: spec, Fix: fix}
}

// Worst returns the worst status among checks, Pass when there are none.
func Worst(cs []Check) Status {
	w := Pass
	for _, c := range cs {
		if c.Status.Rank() > w.Rank() {
			w = c.Status
		}
	}
	return w
}

// List accumulates checks in order. The zero value is ready to use.
type List []Check

// Add appends a check and returns it, so callers can branch on its status.
func (l *List) Add(c Check) Check {
	*l = append(*l, c)
	return c
}

// Addf is Add(New(...)).
func (l *List) Addf(id string, st Status, spec, fix, format string, args ...any) Check {
	return l.Add(New(id, st, spec, fix, format, args...))
}

// Failed reports whether any check in the list failed.
func (l List) Failed() bool { return Worst(l) == Fail }

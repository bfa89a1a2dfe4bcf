package flow

import (
	"encoding/json"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/mcpwalk/mcpwalk/internal/record"
)

// Step ids are a contract: the transcript, the JSON report and the TUI key
// on them. MCP calls use "calls:<method>", server probes "probes:<name>".
const (
	StepProbe     = "probe"
	StepPRM       = "prm"
	StepASMeta    = "asmeta"
	StepStored    = "stored"
	StepRegister  = "register"
	StepAuthorize = "authorize"
	StepToken     = "token"
	StepConnect   = "connect"
	StepCalls     = "calls"
)

// Status is a step's outcome.
type Status string

const (
	StatusPass Status = "pass"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
	StatusSkip Status = "skip"
)

// StepResult is everything one step did: every HTTP exchange (redacted),
// every check, and on failure what went wrong and what to do.
type StepResult struct {
	// ID is the stable step id (`id`).
	ID string `json:"id"`
	// Attempt counts repeats of the same step in one walk (`attempt`), for
	// example a re-authorization after a 403 insufficient_scope; 1 is omitted.
	Attempt int `json:"attempt,omitempty"`
	// Title is a short human description of what the step did.
	Title string `json:"title"`
	// Status is pass, warn, fail or skip.
	Status Status `json:"status"`
	// Summary is one line saying what came out of the step.
	Summary string `json:"summary,omitempty"`
	// Error explains a failure: what was expected, what came back.
	Error string `json:"error,omitempty"`
	// Fix says what to do about Error.
	Fix string `json:"fix,omitempty"`
	// Exchanges are the HTTP requests the step made, in order.
	Exchanges []record.Exchange `json:"exchanges"`
	// Checks are the rules evaluated, in order.
	Checks check.List `json:"checks"`
	// Data is step output worth keeping (an MCP result, the chosen client).
	Data json.RawMessage `json:"data,omitempty"`
	// Lenient is set when the step failed a check a strict client stops
	// at, and the walk went on only because of --lenient: what follows is
	// beyond what real clients would do.
	Lenient bool `json:"lenient,omitempty"`
	// DurationMS is the wall time of the step.
	DurationMS int64 `json:"duration_ms"`
}

// EventKind says what an Event reports.
type EventKind string

const (
	// EventStepStart: a step begins; Step is set.
	EventStepStart EventKind = "step.start"
	// EventStepEnd: a step ended; Result is set.
	EventStepEnd EventKind = "step.end"
	// EventNote: something the user should see now, mid-step (the
	// authorization URL to open, "waiting for the browser").
	EventNote EventKind = "note"
	// EventAuthURL: the authorization URL is ready; Note holds it. It
	// carries no secret (the verifier never leaves the engine).
	EventAuthURL EventKind = "authorize.url"
)

// Event is what the engine emits; every user-facing view observes these.
type Event struct {
	Kind   EventKind   `json:"kind"`
	Step   string      `json:"step,omitempty"`
	Result *StepResult `json:"result,omitempty"`
	Note   string      `json:"note,omitempty"`
	Time   time.Time   `json:"time"`
}

// Observer receives events synchronously, in order. It must not block for
// long: the walk waits for it.
type Observer interface {
	Observe(Event)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(Event)

// Observe calls f.
func (f ObserverFunc) Observe(e Event) { f(e) }

// Observers fans one event out to several observers.
type Observers []Observer

// Observe sends e to each observer in order.
func (os Observers) Observe(e Event) {
	for _, o := range os {
		if o != nil {
			o.Observe(e)
		}
	}
}

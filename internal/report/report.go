// Package report turns a walk's step results into the JSON report (schema
// mcpwalk.report/v1), which other tools and mcpwalk's own tests rely on.
package report

import (
	"encoding/json"
	"io"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Schema names the report format; bump it on incompatible changes.
const Schema = "mcpwalk.report/v1"

// Finding is a check that did not pass, lifted out of its step.
type Finding struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Step     string `json:"step"`
	Message  string `json:"message"`
	Spec     string `json:"spec,omitempty"`
	Fix      string `json:"fix,omitempty"`
	// Revision is set when the severity was graded for an older revision.
	Revision string `json:"revision,omitempty"`
}

// Report is the whole walk.
type Report struct {
	Schema string `json:"schema"`
	Server string `json:"server"`
	// OK is true when the walk completed and raised no error finding.
	OK bool `json:"ok"`
	// Completed is false when a step stopped the walk.
	Completed bool              `json:"completed"`
	Error     string            `json:"error,omitempty"`
	Steps     []flow.StepResult `json:"steps"`
	Findings  []Finding         `json:"findings"`
}

// Build assembles the report. A failed step without a failing check (a
// transport error, say) still yields an error finding, so that "ok" and
// the findings always agree.
func Build(server string, steps []flow.StepResult, completed bool, walkErr error) Report {
	r := Report{Schema: Schema, Server: server, Completed: completed, Steps: steps, Findings: []Finding{}}
	if r.Steps == nil {
		r.Steps = []flow.StepResult{}
	}
	if walkErr != nil {
		r.Error = walkErr.Error()
	}
	errors := 0
	for _, s := range steps {
		failedCheck := false
		for _, c := range s.Checks {
			if c.Status == check.Pass {
				continue
			}
			if c.Status == check.Fail {
				failedCheck = true
				errors++
			}
			r.Findings = append(r.Findings, Finding{ID: c.ID, Severity: c.Status.Severity(), Step: s.ID,
				Message: c.Message, Spec: c.Spec, Fix: c.Fix, Revision: c.Revision})
		}
		if s.Status == flow.StatusFail && !failedCheck {
			errors++
			r.Findings = append(r.Findings, Finding{ID: baseID(s.ID) + ".failed", Severity: "error", Step: s.ID,
				Message: s.Error, Fix: s.Fix})
		}
	}
	r.OK = completed && errors == 0
	return r
}

func baseID(id string) string {
	for i := 0; i < len(id); i++ {
		if id[i] == ':' {
			return id[:i]
		}
	}
	return id
}

// WriteJSON writes r as one indented JSON document.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

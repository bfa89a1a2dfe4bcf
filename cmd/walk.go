package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/report"
)

// walkRun is one engine run wired to the transcript and the report.
type walkRun struct {
	f      *Factory
	out    outputFlags
	cfg    flow.Config
	engine *flow.Engine
}

func newWalk(f *Factory, cfg flow.Config, out outputFlags, noBrowser bool, st flow.TokenStore) *walkRun {
	red, rec, client := newHTTP(out.Timeout, false)
	tr := &report.Transcript{W: f.IO.ErrOut, Verbose: out.Verbose}
	deps := flow.Deps{
		HTTP: client, Recorder: rec, Secrets: red,
		Browser: f.browser(noBrowser), Listen: f.listen(), Observer: tr, Store: st,
	}
	return &walkRun{f: f, out: out, cfg: cfg, engine: flow.New(cfg, deps)}
}

// finish builds the report from what ran, writes the JSON document when
// asked, prints the summary and returns errSilent unless all is well.
func (w *walkRun) finish(runErr error) (report.Report, error) {
	if errors.Is(runErr, context.Canceled) {
		return report.Report{}, runErr
	}
	r := report.Build(w.cfg.ServerURL, w.engine.Results(), runErr == nil, runErr)
	report.Summary(w.f.IO.ErrOut, r)
	if w.out.JSON {
		if err := report.WriteJSON(w.f.IO.Out, r); err != nil {
			return r, fmt.Errorf("writing the report: %w", err)
		}
	}
	if w.engine.LoginRefused() {
		return r, errLoginNeeded
	}
	if !r.OK {
		return r, errSilent
	}
	return r, nil
}

// printResult writes an MCP result as indented JSON on stdout.
func printResult(f *Factory, raw json.RawMessage) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	enc := json.NewEncoder(f.IO.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// defaultCalls are what check lists once connected. Skills are listed,
// never loaded: a host reads no skill file ahead of need (SEP-2640).
var defaultCalls = []flow.Call{
	{Method: "tools/list", Optional: true},
	{Method: "resources/list", Optional: true},
	{Method: "prompts/list", Optional: true},
	{Method: flow.MethodSkillsList, Optional: true},
}

package cmd

import (
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/demo"
	"github.com/mcpwalk/mcpwalk/internal/report"
)

// checkStatuses maps every check id of a report to its worst status.
func checkStatuses(r report.Report) map[string]string {
	rank := map[string]int{"pass": 0, "info": 1, "warn": 2, "fail": 3}
	m := map[string]string{}
	for _, s := range r.Steps {
		for _, c := range s.Checks {
			if old, ok := m[c.ID]; !ok || rank[string(c.Status)] > rank[old] {
				m[c.ID] = string(c.Status)
			}
		}
	}
	return m
}

// The demo in DPoP mode, both servers demanding nonces, walked end to end:
// proofs at the token endpoint and on every MCP request, both nonces
// honoured, the token bound to the walk's key, step-up included, and the
// probes find the binding enforced.
func TestDemoDPoP(t *testing.T) {
	code, out, errOut := run(t, "demo", "--dpop-nonce", "--json")
	if code != ExitOK {
		t.Fatalf("demo --dpop-nonce: exit %d\n%s", code, errOut)
	}
	r := decodeReport(t, out)
	got := checkStatuses(r)
	for _, id := range []string{"dpop.in-use", "dpop.required", "dpop.as-nonce", "dpop.rs-nonce", "dpop.token-bound", "dpop.jkt",
		"probes.dpop-as-bearer", "probes.dpop-wrong-key", "calls.tool-error"} {
		want := "pass"
		if id == "calls.tool-error" {
			want = "" // write_note went through after the step-up, with a DPoP token too
		}
		if got[id] != want {
			t.Errorf("%s: %q, want %q", id, got[id], want)
		}
	}
	for _, f := range r.Findings {
		if f.Severity != "info" {
			t.Errorf("finding %s %s at %s: %s", f.Severity, f.ID, f.Step, f.Message)
		}
	}
	if !strings.Contains(errOut.String(), `DPoP: dpop+jwt ES256 {"htm":"POST"`) {
		t.Errorf("the transcript does not show the proofs' claims")
	}
	assertRedacted(t, out.String(), errOut.String())
}

// --dpop always against a server without DPoP stops before any login;
// --dpop never against a server that requires it is told why it fails.
func TestDPoPModesAgainstTheDemo(t *testing.T) {
	plain := startDemo(t, demo.Options{})
	code, out, _ := run(t, "check", "--headless", "--json", "--no-probes", "--token-store", "none", "--dpop", "always", plain.MCPURL)
	r := decodeReport(t, out)
	if code != ExitFailed || checkStatuses(r)["dpop.unsupported"] != "fail" || stepStatuses(r)["authorize"] != "" {
		t.Errorf("--dpop always, no DPoP: exit %d, checks %v, steps %v", code, checkStatuses(r), stepStatuses(r))
	}
	bound := startDemo(t, demo.Options{DPoP: true})
	code, out, _ = run(t, "check", "--headless", "--json", "--no-probes", "--token-store", "none", "--dpop", "never", bound.MCPURL)
	r = decodeReport(t, out)
	if code != ExitFailed || checkStatuses(r)["dpop.required"] != "warn" {
		t.Errorf("--dpop never, DPoP required: exit %d, checks %v", code, checkStatuses(r))
	}
}

package cmd

import (
	"encoding/json"
	"os"
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

// A DPoP-bound token is stored with its key: listed as DPoP, the key
// hidden by token show unless --reveal, its thumbprint matched against
// cnf.jkt by token decode, and used again — and refreshed — by later
// runs. The key never appears in any other output.
func TestStoredDPoPToken(t *testing.T) {
	file := storeEnv(t)
	srv := startDemo(t, demo.Options{DPoP: true})
	var outputs []string
	keep := func(code int, args []string, out, errOut string) string {
		t.Helper()
		if code != ExitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
		outputs = append(outputs, out, errOut)
		return out
	}
	do := func(args ...string) string {
		t.Helper()
		code, out, errOut := run(t, args...)
		return keep(code, args, out.String(), errOut.String())
	}
	do("check", "--headless", "--json", "--no-probes", "--verbose", srv.MCPURL)
	if list := do("token", "list"); !strings.Contains(list, "DPoP") {
		t.Errorf("token list does not say DPoP:\n%s", list)
	}
	var shown struct {
		DPoPKey    string `json:"dpop_key"`
		Thumbprint string `json:"dpop_key_thumbprint"`
		Decoded    struct {
			DPoP struct {
				JKT     string `json:"cnf_jkt"`
				Matches *bool  `json:"matches_stored_key"`
			} `json:"dpop"`
		} `json:"access_token_decoded"`
	}
	if err := json.Unmarshal([]byte(do("token", "show", srv.MCPURL)), &shown); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(shown.DPoPKey, "[hidden") || shown.Thumbprint == "" || shown.Decoded.DPoP.JKT != shown.Thumbprint {
		t.Errorf("token show: %+v", shown)
	}
	var decoded struct {
		DPoP struct {
			JKT     string `json:"cnf_jkt"`
			Matches *bool  `json:"matches_stored_key"`
		} `json:"dpop"`
	}
	if err := json.Unmarshal([]byte(do("token", "decode", srv.MCPURL)), &decoded); err != nil || decoded.DPoP.Matches == nil || !*decoded.DPoP.Matches {
		t.Errorf("token decode: %+v %v", decoded, err)
	}
	code, out, errOut := runNoBrowser(t, "call", "--stored-auth-only", "--json", srv.MCPURL, "tools/call", "echo", "--arg", "text=again")
	keep(code, []string{"call"}, out.String(), errOut.String())
	do("token", "refresh", srv.MCPURL)

	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// A P-256 PKCS#8 key: a fixed prefix, then the private scalar, whose
	// first 16 characters end the PEM's first line.
	const prefix = "AwEHBG0wawIBAQQg"
	i := strings.Index(string(raw), prefix)
	if i < 0 || len(raw) < i+len(prefix)+16 {
		t.Fatalf("no DPoP key in the token store")
	}
	pemBody := string(raw)[i+len(prefix) : i+len(prefix)+16]
	for i, o := range outputs {
		if strings.Contains(o, pemBody) || strings.Contains(o, "BEGIN PRIVATE KEY") {
			t.Errorf("output %d holds the DPoP private key", i)
		}
	}
	if revealed := do("token", "show", "--reveal", srv.MCPURL); !strings.Contains(revealed, "BEGIN PRIVATE KEY") {
		t.Errorf("token show --reveal does not print the key")
	}
}

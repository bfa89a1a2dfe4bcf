package cmd

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/internal/findings"
)

func TestExplainFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		want     ExplainOptions
		usageErr bool
	}{
		{name: "id", args: []string{"prm.resource-mismatch"}, want: ExplainOptions{ID: "prm.resource-mismatch"}},
		{name: "list", args: []string{"--list"}, want: ExplainOptions{List: true}},
		{name: "list json", args: []string{"--list", "--json"}, want: ExplainOptions{List: true, JSON: true}},
		{name: "id json", args: []string{"--json", "token.opaque"}, want: ExplainOptions{ID: "token.opaque", JSON: true}},
		{name: "nothing", args: nil, usageErr: true},
		{name: "two ids", args: []string{"a", "b"}, usageErr: true},
		{name: "list with id", args: []string{"--list", "prm.found"}, usageErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, _ := TestIO()
			var got *ExplainOptions
			c := NewCmdExplain(NewFactory(io), func(o *ExplainOptions) error { got = o; return nil })
			c.SetArgs(tt.args)
			c.SilenceErrors, c.SilenceUsage = true, true
			err := c.Execute()
			if tt.usageErr {
				var u errUsage
				if !errors.As(err, &u) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.F = nil
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestExplainRun(t *testing.T) {
	tests := []struct {
		name     string
		opts     ExplainOptions
		contains []string
		usageErr []string // the usage error mentions these
	}{
		{name: "one", opts: ExplainOptions{ID: "asmeta.pkce-missing"},
			contains: []string{"asmeta.pkce-missing — ", "Severity: error", "MUST refuse", "Refused by:", "TypeScript SDK 1.x", "How to fix it"}},
		{name: "family", opts: ExplainOptions{ID: "probes"}, contains: []string{"probes.cors", "probes.other-resource-accepted"}},
		{name: "step id", opts: ExplainOptions{ID: "probes:cors"}, contains: []string{"probes.cors"}},
		{name: "list", opts: ExplainOptions{List: true}, contains: []string{"prm.resource-mismatch", "discovery.ssrf-suspicious-url", "token.failed"}},
		{name: "typo", opts: ExplainOptions{ID: "prm.resource-missmatch"}, usageErr: []string{`unknown finding "prm.resource-missmatch"`, "did you mean prm.resource-mismatch", "--list"}},
		{name: "nonsense", opts: ExplainOptions{ID: "qqqqqqqqqqqq"}, usageErr: []string{`unknown finding "qqqqqqqqqqqq"`, "--list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, out, _ := TestIO()
			tt.opts.F = NewFactory(io)
			err := explainRun(&tt.opts)
			if tt.usageErr != nil {
				var u errUsage
				if !errors.As(err, &u) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				for _, s := range tt.usageErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("usage error %q lacks %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.contains {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

func TestExplainListCoversRegistry(t *testing.T) {
	io, out, _ := TestIO()
	if err := explainRun(&ExplainOptions{F: NewFactory(io), List: true, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var got []findings.Finding
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(findings.All()) || got[0].ID == "" || got[0].Severity == "" {
		t.Errorf("--list --json: %d entries, registry has %d", len(got), len(findings.All()))
	}
}

func TestExplainThroughRoot(t *testing.T) {
	io, out, _ := TestIO()
	f := NewFactory(io)
	root := NewRootCmd(f)
	registered := false
	for _, c := range root.Commands() {
		registered = registered || c.Name() == "explain"
	}
	if !registered {
		root.AddCommand(NewCmdExplain(f, nil))
	}
	root.SetArgs([]string{"explain", "no.such-id"})
	if code := exitCode(t.Context(), f, root.Execute()); code != ExitUsage {
		t.Errorf("unknown id: exit %d, want %d", code, ExitUsage)
	}
	root.SetArgs([]string{"explain", "token.invalid-target"})
	if code := exitCode(t.Context(), f, root.Execute()); code != ExitOK || !strings.Contains(out.String(), "AADSTS9010010") {
		t.Errorf("explain token.invalid-target: exit %d\n%s", code, out)
	}
}

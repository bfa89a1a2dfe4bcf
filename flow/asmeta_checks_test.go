package flow

import (
	"context"
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

func TestASChecksForWalk(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *fake, m map[string]any)
		id     string
		status check.Status // "" for no such check
		msg    string
	}{
		{"no authorization_code grant", func(f *fake, m map[string]any) { m["grant_types_supported"] = []string{"client_credentials"} },
			"asmeta.grant-types", check.Warn, `["client_credentials"] lacks "authorization_code"`},
		{"authorization_code listed", func(f *fake, m map[string]any) { m["grant_types_supported"] = []string{"authorization_code"} },
			"asmeta.grant-types", "", ""},
		{"protected_resources without this one", func(f *fake, m map[string]any) { m["protected_resources"] = []string{"https://api.example.com"} },
			"asmeta.protected-resources", check.Info, `["https://api.example.com"] do not include the resource`},
		{"protected_resources with this one", func(f *fake, m map[string]any) {
			m["protected_resources"] = []string{"https://api.example.com", f.url()}
		},
			"asmeta.protected-resources", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fake{}
			f.mw = rewriteJSON("/.well-known/oauth-authorization-server", func(m map[string]any) { tt.change(f, m) })
			f.start(t)
			h := newHarness(t, Config{ServerURL: f.url(), Headless: true})
			for _, id := range []string{StepProbe, StepPRM, StepASMeta} {
				if err := h.e.RunStep(context.Background(), id); err != nil {
					t.Fatalf("%s: %v", id, err)
				}
			}
			r := h.step(t, StepASMeta)
			var got *check.Check
			for i := range r.Checks {
				if r.Checks[i].ID == tt.id {
					got = &r.Checks[i]
				}
			}
			switch {
			case tt.status == "" && got != nil:
				t.Errorf("unexpected %+v", *got)
			case tt.status != "" && (got == nil || got.Status != tt.status || !strings.Contains(got.Message, tt.msg)):
				t.Errorf("checks %+v: want %s %s saying %q", r.Checks, tt.id, tt.status, tt.msg)
			}
		})
	}
}

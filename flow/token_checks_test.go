package flow

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

func TestTokenChecks(t *testing.T) {
	answer := func(ctype, body string) func(http.Handler) http.Handler {
		return onPath("/token", func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
			w.Header().Set("Content-Type", ctype)
			_, _ = w.Write([]byte(body))
		})
	}
	tests := []struct {
		name   string
		mw     func(http.Handler) http.Handler
		id     string
		status check.Status
		msg    []string
	}{
		{"a login page with 200", answer("text/html", "<html><body>Sign in</body></html>"), "token.not-json", check.Fail,
			[]string{"got 200 text/html", `a body that is not JSON: "<html><body>Sign in</body></html>"`}},
		{"JSON without access_token", answer("application/json", `{"token_type":"Bearer"}`), "token.not-json", check.Fail,
			[]string{"got 200 application/json", "a response without access_token"}},
		{"a token for thirty days", rewriteJSON("/token", func(m map[string]any) { m["expires_in"] = 30 * 86400 }), "token.long-lived", check.Info,
			[]string{"expires in 720h0m0s; expected at most 24h0m0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fake{mw: tt.mw}
			f.start(t)
			h := newHarness(t, Config{ServerURL: f.url(), Headless: true})
			_ = h.e.Authenticate(context.Background())
			r := h.step(t, StepToken)
			var got *check.Check
			for i := range r.Checks {
				if r.Checks[i].ID == tt.id {
					got = &r.Checks[i]
				}
			}
			if got == nil || got.Status != tt.status {
				t.Fatalf("token %s %q, checks %+v: want %s %s", r.Status, r.Error, r.Checks, tt.id, tt.status)
			}
			for _, m := range tt.msg {
				if !strings.Contains(got.Message, m) {
					t.Errorf("message %q lacks %q", got.Message, m)
				}
			}
		})
	}
}

package flow

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

func TestAuthorizeChecks(t *testing.T) {
	errorResponse := func(code, desc string) func(f *fake) {
		return func(f *fake) {
			f.mw = rewriteAuthorizationResponse(func(q url.Values) {
				q.Del("code")
				q.Set("error", code)
				q.Set("error_description", desc)
			})
		}
	}
	page := func(status int, body string) func(f *fake) {
		return func(f *fake) {
			f.mw = onPath("/authorize", func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(body))
			})
		}
	}
	tests := []struct {
		name   string
		setup  func(f *fake)
		cfg    Config
		id     string
		status check.Status
		msg    []string
	}{
		{name: "resource refused", setup: errorResponse("invalid_target", "unknown resource"), id: "authorize.invalid-target", status: check.Fail,
			msg: []string{`refused resource="http://127.0.0.1:`, `error="invalid_target" unknown resource`}},
		{name: "scope refused", setup: errorResponse("invalid_scope", "no such scope: write"), id: "authorize.error", status: check.Fail,
			msg: []string{`error="invalid_scope" no such scope: write`, "unknown to it"}},
		{name: "an error page for a client just registered", setup: page(400, "<html><h1>Invalid</h1> <p>redirect_uri not registered</p></html>"),
			id: "authorize.error-page", status: check.Fail,
			msg: []string{"answered 400 text/html without redirecting back", `"Invalid redirect_uri not registered"`, "registered a moment ago"}},
		{name: "an error page for a pre-registered client", setup: page(400, "bad redirect_uri"), cfg: Config{ClientID: "pre", ClientSecret: "pre-secret-123"},
			id: "authorize.error-page", status: check.Fail, msg: []string{"must match what is registered", "--callback-port"}},
		{name: "a redirect to another redirect URI", setup: func(f *fake) {
			f.mw = onPath("/authorize", func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
				http.Redirect(w, r, "http://127.0.0.1:1/callback?code=secret-code-1&state="+r.URL.Query().Get("state"), http.StatusFound)
			})
		}, id: "authorize.redirect-mismatch", status: check.Fail, msg: []string{"redirected to http://127.0.0.1:1/callback", "the port differs", "[redacted]"}},
		{name: "challenged scopes outside scopes_supported", setup: func(f *fake) { f.challengeScope = "read admin" },
			id: "authorize.scope-not-advertised", status: check.Info, msg: []string{`asks for ["admin"]`, `["read" "write"]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fake{}
			tt.setup(f)
			f.start(t)
			cfg := tt.cfg
			cfg.ServerURL, cfg.Headless = f.url(), true
			h := newHarness(t, cfg)
			_ = h.e.Authenticate(context.Background())
			r := h.step(t, StepAuthorize)
			var got *check.Check
			for i := range r.Checks {
				if r.Checks[i].ID == tt.id {
					got = &r.Checks[i]
				}
			}
			if got == nil || got.Status != tt.status {
				t.Fatalf("authorize %s, checks %+v, error %q: want %s %s", r.Status, r.Checks, r.Error, tt.id, tt.status)
			}
			for _, m := range tt.msg {
				if !strings.Contains(got.Message, m) {
					t.Errorf("message %q lacks %q", got.Message, m)
				}
			}
			if strings.Contains(got.Message, "secret-code-1") {
				t.Errorf("the code is shown: %q", got.Message)
			}
			if tt.status == check.Fail && r.Status != StatusFail {
				t.Errorf("authorize = %s, want fail", r.Status)
			}
		})
	}
}

package flow

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// checksWith returns the checks of r with id.
func checksWith(r StepResult, id string) []check.Check {
	var out []check.Check
	for _, c := range r.Checks {
		if c.ID == id {
			out = append(out, c)
		}
	}
	return out
}

func serveDocument(doc string) func(http.Handler) http.Handler {
	return onPath("/client.json", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, strings.ReplaceAll(doc, "{base}", "http://"+r.Host))
	})
}

func TestRegisterChecks(t *testing.T) {
	const good = `"client_name":"x","redirect_uris":["http://127.0.0.1/callback"]`
	tests := []struct {
		name   string
		fake   fake
		cfg    func(f *fake) Config
		change func(h *harness)
		id     string
		status check.Status
		msg    string
	}{
		{name: "callback port in use", change: func(h *harness) {
			h.e.deps.Listen = func(ctx context.Context, at CallbackAddr) (Receiver, error) {
				return nil, fmt.Errorf("listen tcp4 127.0.0.1:%d: bind: address already in use: %w", at.Port, syscall.EADDRINUSE)
			}
		}, cfg: func(*fake) Config { return Config{CallbackPort: 3118} },
			id: "register.callback-port", status: check.Fail, msg: "cannot listen for the authorization response on 127.0.0.1:3118"},
		{name: "registration answered with an HTML page",
			fake: fake{mw: onPath("/register", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte("<html>signed in</html>"))
			})},
			id: "register.dcr-response", status: check.Fail, msg: "expected a JSON object with client_id, got 201 text/html"},
		{name: "public client registered, none not listed", fake: fake{authMethods: []string{"client_secret_basic"}},
			id: "register.auth-method-none", status: check.Info, msg: `registered as a public client (none), but token_endpoint_auth_methods_supported [client_secret_basic] lacks "none"`},
		{name: "document: client_id differs", fake: fake{cimd: true, mw: serveDocument(`{"client_id":"https://elsewhere.example/c.json",` + good + `}`)},
			id: "register.cimd-document", status: check.Fail, msg: `client_id is "https://elsewhere.example/c.json"; expected exactly the document's URL`},
		{name: "document: no client_name", fake: fake{cimd: true, mw: serveDocument(`{"client_id":"{base}/client.json","redirect_uris":["http://127.0.0.1/callback"]}`)},
			id: "register.cimd-document", status: check.Fail, msg: "no client_name"},
		{name: "document: a secret", fake: fake{cimd: true, mw: serveDocument(`{"client_id":"{base}/client.json",` + good + `,"client_secret":"s","token_endpoint_auth_method":"client_secret_post"}`)},
			id: "register.cimd-document", status: check.Fail, msg: "carries a client_secret"},
		{name: "document: localhost where the listener is 127.0.0.1", fake: fake{cimd: true, mw: serveDocument(`{"client_id":"{base}/client.json","client_name":"x","redirect_uris":["http://localhost:3118/callback"]}`)},
			id: "register.cimd-redirect", status: check.Fail, msg: "names localhost, mcpwalk's listener 127.0.0.1"},
		{name: "document: no refresh_token grant", fake: fake{cimd: true, mw: serveDocument(`{"client_id":"{base}/client.json",` + good + `,"grant_types":["authorization_code"]}`)},
			id: "register.cimd-grant-types", status: check.Info, msg: `grant_types ["authorization_code"] lacks refresh_token`},
		{name: "document: 404", fake: fake{cimd: true, mw: onPath("/client.json", func(w http.ResponseWriter, r *http.Request, _ http.Handler) { http.NotFound(w, r) })},
			id: "register.cimd-document", status: check.Fail, msg: "expected 200 application/json, got 404"},
		{name: "document URL with a fragment", fake: fake{cimd: true},
			cfg: func(f *fake) Config { return Config{ClientMetadataURL: f.cimdURL() + "#me"} },
			id:  "register.cimd-document", status: check.Fail, msg: "expected no fragment"},
		{name: "document URL without a path", fake: fake{cimd: true},
			cfg: func(f *fake) Config { return Config{ClientMetadataURL: f.srv.URL} },
			id:  "register.cimd-document", status: check.Fail, msg: "expected a URL with a path"},
		{name: "document unreachable from here", fake: fake{cimd: true},
			cfg: func(f *fake) Config { return Config{ClientMetadataURL: "http://127.0.0.1:1/client.json"} },
			id:  "register.cimd-document", status: check.Warn, msg: "could not be fetched from here to be checked"},
		{name: "good document", fake: fake{cimd: true}, id: "register.cimd-document", status: ""},
		{name: "a pre-registered client of another issuer", cfg: func(*fake) Config {
			return Config{ClientID: "pre", ClientSecret: "pre-secret-123", ClientIssuer: "https://old-as.example.com"}
		}, id: "register.client-issuer-mismatch", status: check.Fail, msg: `belongs to "https://old-as.example.com" (--client-issuer), but the resource's authorization server is "http://127.0.0.1:`},
		{name: "a pre-registered client of this issuer", cfg: func(f *fake) Config {
			return Config{ClientID: "pre", ClientSecret: "pre-secret-123", ClientIssuer: f.issuer()}
		}, id: "register.client-issuer-mismatch", status: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake
			cfg := func(f *fake) Config { return Config{ClientMetadataURL: f.cimdURL()} }
			if !f.cimd {
				cfg = func(*fake) Config { return Config{} }
			}
			if tt.cfg != nil {
				cfg = tt.cfg
			}
			f.start(t)
			c := cfg(&f)
			c.ServerURL, c.Headless = f.url(), true
			h := newHarness(t, c)
			if tt.change != nil {
				tt.change(h)
			}
			for _, id := range []string{StepProbe, StepPRM, StepASMeta, StepRegister} {
				if err := h.e.RunStep(context.Background(), id); err != nil && id != StepRegister {
					t.Fatalf("%s: %v", id, err)
				}
			}
			r := h.step(t, StepRegister)
			got := checksWith(r, tt.id)
			if tt.status == "" {
				if len(got) != 0 || r.Status == StatusFail {
					t.Errorf("register %s: unexpected %+v", r.Status, r.Checks)
				}
				return
			}
			found := false
			for _, c := range got {
				found = found || c.Status == tt.status && strings.Contains(c.Message, tt.msg)
			}
			if !found {
				t.Fatalf("checks %+v\nwant %s %s saying %q", r.Checks, tt.id, tt.status, tt.msg)
			}
			if tt.status == check.Fail && r.Status != StatusFail {
				t.Errorf("register = %s, want fail", r.Status)
			}
		})
	}
}

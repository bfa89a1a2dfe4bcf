package flow

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/check"
	"golang.org/x/oauth2"
)

// rejectEveryToken makes the MCP endpoint refuse every token with 401, as
// a server expecting another audience does.
func rejectEveryToken(f *fake) func(http.Handler) http.Handler {
	return onPath("/mcp", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.Header.Get("Authorization") == "" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="invalid_token", error_description="audience is not api://mcp", resource_metadata=%q`, f.prmURL()))
		http.Error(w, "unauthorized", http.StatusUnauthorized)
	})
}

func TestDiagnoseMCPAnswers(t *testing.T) {
	secret := Call{Method: "tools/call", Name: "secret", Args: map[string]any{"text": "x"}}
	tests := []struct {
		name  string
		fake  func() *fake
		calls []Call
		step  string // the step the finding is in; the last one with this id
		id    string
		st    check.Status
		msg   []string
	}{
		{name: "every token refused at connect", fake: func() *fake { f := &fake{}; f.mw = rejectEveryToken(f); return f },
			step: StepConnect, id: "connect.token-rejected", st: check.Fail,
			msg: []string{`error="invalid_token" error_description="audience is not api://mcp"`, "the token is opaque", "after every re-authorization"}},
		{name: "401 instead of 403 for a missing scope", fake: func() *fake { return &fake{challengeScope: "read", scope401: true} },
			calls: []Call{secret}, step: "calls:tools/call", id: "calls.unauthorized-for-scope", st: check.Warn,
			msg: []string{`with scope "write" added was issued`}},
		{name: "403 for a scope the token has", fake: func() *fake { return &fake{challengeScope: "read", scopeBug: true} },
			calls: []Call{secret}, step: "calls:tools/call", id: "calls.scope-rejected", st: check.Fail,
			msg: []string{`403 insufficient_scope for scope "read write", and the token was granted "read write"`}},
		{name: "a scope the authorization server never grants", fake: func() *fake { return &fake{challengeScope: "read", grantOnly: []string{"read"}} },
			calls: []Call{secret}, step: "calls:tools/call", id: "calls.scope-not-granted", st: check.Warn,
			msg: []string{`needs scope "write"`, `granted only "read"`}},
		{name: "one missing scope at a time", fake: func() *fake { return &fake{challengeScope: "read", incremental: true} },
			calls: []Call{secret}, step: "calls:tools/call", id: "calls.incremental-scope", st: check.Warn,
			msg: []string{`a 403 for scope "write", then, for the same request, another for "admin"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake()
			f.start(t)
			h := newHarness(t, Config{ServerURL: f.url(), Headless: true, Calls: tt.calls})
			_ = h.e.Run(context.Background())
			var got *check.Check
			for _, r := range h.e.Results() {
				if r.ID != tt.step {
					continue
				}
				for i := range r.Checks {
					if r.Checks[i].ID == tt.id {
						got = &r.Checks[i]
					}
				}
			}
			if got == nil || got.Status != tt.st {
				t.Fatalf("steps %v: no %s %s in %s", stepIDs(h.e.Results()), tt.id, tt.st, tt.step)
			}
			for _, m := range tt.msg {
				if !strings.Contains(got.Message, m) {
					t.Errorf("message %q lacks %q", got.Message, m)
				}
			}
			assertNoSecrets(t, h, f)
		})
	}
}

// Well-behaved servers get none of these findings.
func TestDiagnoseQuietOnStepUp(t *testing.T) {
	f := fake{challengeScope: "read"}
	f.start(t)
	h := newHarness(t, Config{ServerURL: f.url(), Headless: true, Calls: []Call{{Method: "tools/call", Name: "secret", Args: map[string]any{"text": "x"}}}})
	if err := h.e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, r := range h.e.Results() {
		for _, c := range r.Checks {
			if (strings.HasPrefix(c.ID, "calls.") || strings.HasPrefix(c.ID, "connect.")) && c.Status != check.Pass {
				t.Errorf("%s: %s %s %s", r.ID, c.ID, c.Status, c.Message)
			}
		}
	}
}

func TestTokenFacts(t *testing.T) {
	jwt := func(claims string) string {
		enc := base64.RawURLEncoding.EncodeToString
		return enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(claims)) + ".sig"
	}
	e := &Engine{resource: "https://mcp.example.com/mcp", issuer: "https://as.example.com"}
	tests := []struct{ claims, want string }{
		{`{"aud":"api://mcp","iss":"https://as.example.com"}`, `its aud ["api://mcp"] does not contain the resource "https://mcp.example.com/mcp" (expected)`},
		{`{"aud":"https://mcp.example.com/mcp","iss":"https://sts.example.com/"}`, `its iss "https://sts.example.com/" differs from the authorization server's issuer "https://as.example.com"`},
		{`{"aud":["https://mcp.example.com/mcp"],"iss":"https://as.example.com","scope":"read"}`, "aud and iss are right, so the server's own expectations differ"},
	}
	for _, tt := range tests {
		e.token = &oauth2.Token{AccessToken: jwt(tt.claims)}
		if got := e.tokenFacts(); !strings.Contains(got, tt.want) {
			t.Errorf("tokenFacts(%s) = %q, want it to say %q", tt.claims, got, tt.want)
		}
	}
}

// A session id with a space in it (0x20 is not visible ASCII): the
// middleware adds one on the way out and takes it off on the way in.
func TestSessionIDCharacters(t *testing.T) {
	f := fake{mw: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if id := r.Header.Get("Mcp-Session-Id"); id != "" {
				r.Header.Set("Mcp-Session-Id", strings.TrimSuffix(id, " x"))
			}
			next.ServeHTTP(&sessionRewriter{ResponseWriter: w}, r)
		})
	}}
	f.start(t)
	h := newHarness(t, Config{ServerURL: f.url(), Headless: true})
	if err := h.e.Authenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = h.e.Connect(context.Background())
	defer h.e.Close()
	r := h.step(t, StepConnect)
	if !hasCheck(r, "connect.session-id", check.Fail) {
		t.Errorf("connect %s %v: want connect.session-id", r.Status, r.Checks)
	}
}

type sessionRewriter struct{ http.ResponseWriter }

func (w *sessionRewriter) WriteHeader(code int) {
	if id := w.Header().Get("Mcp-Session-Id"); id != "" {
		w.Header().Set("Mcp-Session-Id", id+" x")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *sessionRewriter) Write(b []byte) (int, error) {
	if id := w.Header().Get("Mcp-Session-Id"); id != "" && !strings.HasSuffix(id, " x") {
		w.Header().Set("Mcp-Session-Id", id+" x")
	}
	return w.ResponseWriter.Write(b)
}

func (w *sessionRewriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

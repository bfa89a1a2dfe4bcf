package flow

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Checks that no other test made fire: one misconfiguration each, against
// the fake, and the check it must produce. The coverage map names this
// test for them.

// jwtWith is an unsigned JWT with the given claims (the fake only compares
// tokens; nothing verifies signatures).
func jwtWith(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"at+jwt"}`)) + "." + enc([]byte(claims)) + ".c2ln"
}

// rewriteHeaderOn changes the headers of responses with status.
func rewriteHeaderOn(status int, change func(h http.Header)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(&headerRewriter{ResponseWriter: w, status: status, change: change}, r)
		})
	}
}

type headerRewriter struct {
	http.ResponseWriter
	status int
	change func(http.Header)
}

func (w *headerRewriter) WriteHeader(code int) {
	if code == w.status {
		w.change(w.Header())
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *headerRewriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// sessionsAuthenticate lets a request through with only a session id, by
// adding the token the session was first used with: a server that takes
// the session for the user.
func sessionsAuthenticate(next http.Handler) http.Handler {
	var mu sync.Mutex
	first := map[string]string{} // session id → Authorization
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, auth := r.Header.Get("Mcp-Session-Id"), r.Header.Get("Authorization")
		mu.Lock()
		switch {
		case id == "":
		case auth != "" && first[id] == "":
			first[id] = auth
		case auth == "" && first[id] != "":
			r.Header.Set("Authorization", first[id])
		}
		mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func TestChecksFire(t *testing.T) {
	pre := Config{ClientID: "pre", ClientSecret: "pre-secret-123"}
	tests := []struct {
		name   string
		fake   func() *fake
		cfg    Config
		step   string
		id     string
		status check.Status
		msg    string
	}{
		{"a Basic challenge only", func() *fake {
			return &fake{mw: rewriteHeaderOn(401, func(h http.Header) { h.Set("WWW-Authenticate", `Basic realm="mcp"`) })}
		}, Config{}, StepProbe, "probe.bearer-challenge", check.Fail, `no Bearer challenge among 1 challenge(s) in "Basic realm=\"mcp\""`},
		{"two authorization servers", func() *fake {
			f := &fake{}
			f.mw = rewriteJSON("/.well-known/oauth-protected-resource/mcp", func(m map[string]any) {
				m["authorization_servers"] = []string{f.issuer(), "https://backup-as.example.com"}
			})
			return f
		}, Config{}, StepPRM, "prm.several-as", check.Info, "2 authorization servers listed; using the first"},
		{"no method a secret can use", func() *fake { return &fake{authMethods: []string{"private_key_jwt"}} }, pre,
			StepRegister, "register.auth-method", check.Warn, `[private_key_jwt] has neither client_secret_basic nor client_secret_post`},
		{"a public pre-registered client, none not listed", func() *fake { return &fake{authMethods: []string{"client_secret_basic"}} },
			Config{ClientID: "pre"}, StepRegister, "register.auth-method-none", check.Info, `[client_secret_basic] lacks "none"`},
		{"CIMD given, not advertised", func() *fake {
			return &fake{mw: rewriteJSON("/.well-known/oauth-authorization-server", func(m map[string]any) { m["client_id_metadata_document_supported"] = false })}
		}, Config{ClientMetadataURL: "https://client.example/meta.json"}, StepRegister, "register.cimd-unsupported", check.Info, "using dynamic registration"},
		{"registered redirect URIs changed", func() *fake {
			return &fake{mw: rewriteJSON("/register", func(m map[string]any) { m["redirect_uris"] = []string{"http://127.0.0.1/callback"} })}
		}, Config{}, StepRegister, "register.dcr-redirect-uris", check.Warn, "the server registered [http://127.0.0.1/callback]"},
		{"a secret method without a secret", func() *fake {
			return &fake{mw: rewriteJSON("/register", func(m map[string]any) { m["token_endpoint_auth_method"] = "client_secret_basic" })}
		}, Config{}, StepRegister, "register.dcr-secret-missing", check.Fail, `registered with "client_secret_basic" but no client_secret came back`},
		{"registration as text/plain", func() *fake {
			return &fake{mw: onPath("/register", func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusCreated)
				_, _ = fmt.Fprint(w, `{"client_id":"c1","token_endpoint_auth_method":"none"}`)
			})}
		}, Config{}, StepRegister, "register.dcr-content-type", check.Warn, `Content-Type "text/plain", expected application/json`},
		{"token_type mac", func() *fake {
			return &fake{mw: rewriteJSON("/token", func(m map[string]any) { m["token_type"] = "mac" })}
		}, Config{}, StepToken, "token.type", check.Warn, `token_type "mac"`},
		{"no expires_in", func() *fake {
			return &fake{mw: rewriteJSON("/token", func(m map[string]any) { delete(m, "expires_in") })}
		}, Config{}, StepToken, "token.expires-in", check.Info, "no expires_in"},
		{"a JWT for another audience", func() *fake {
			return &fake{mw: rewriteJSON("/token", func(m map[string]any) { m["access_token"] = jwtWith(`{"aud":"api://other","exp":4102444800}`) })}
		}, Config{}, StepToken, "token.audience-mismatch", check.Warn, `JWT aud ["api://other"] does not contain the resource`},
		{"a JWT without aud", func() *fake {
			return &fake{mw: rewriteJSON("/token", func(m map[string]any) { m["access_token"] = jwtWith(`{"sub":"u","exp":4102444800}`) })}
		}, Config{}, StepToken, "token.audience-missing", check.Warn, "has no aud"},
		{"an insufficient_scope challenge without resource_metadata", func() *fake {
			return &fake{challengeScope: "read", mw: rewriteHeaderOn(403, func(h http.Header) {
				h.Set("WWW-Authenticate", `Bearer error="insufficient_scope", scope="read write"`)
			})}
		}, Config{Probes: true, Calls: []Call{{Method: "tools/call", Name: "secret", Args: map[string]any{"text": "x"}}}},
			"probes:insufficient-scope", "probes.insufficient-scope-params", check.Warn, "lacks scope or resource_metadata"},
		{"a session id taken for the user", func() *fake { return &fake{mw: sessionsAuthenticate} },
			Config{Probes: true}, "probes:session-without-token", "probes.session-without-token", check.Fail, "without a token, was served"},
		{"no authorization at all", func() *fake { return &fake{open: true} }, Config{}, StepProbe, "probe.no-auth", check.Info,
			"the server does not require authorization"},
		{"registered with another auth method", func() *fake {
			return &fake{mw: rewriteJSON("/register", func(m map[string]any) {
				m["token_endpoint_auth_method"], m["client_secret"] = "client_secret_post", "s3cret"
			})}
		}, Config{}, StepRegister, "register.dcr-auth-method", check.Warn, `the server registered "client_secret_post"; using it`},
		{"dynamic registration", func() *fake { return &fake{} }, Config{}, StepRegister, "register.dcr-deprecated", check.Info, "2026-07-28 deprecates"},
		{"a repeated state", func() *fake {
			return &fake{mw: rewriteAuthorizationResponse(func(q url.Values) { q["state"] = append(q["state"], "other") })}
		}, Config{}, StepAuthorize, "authorize.duplicate-param", check.Fail, `repeats "state" 2 times`},
		{"an opaque token", func() *fake { return &fake{} }, Config{}, StepToken, "token.opaque", check.Info, "opaque"},
		{"the resource refused at the token endpoint", func() *fake { return &fake{mw: tokenError(400, "invalid_target")} }, Config{},
			StepToken, "token.invalid-target", check.Fail, `400 error="invalid_target"`},
		{"another token error", func() *fake { return &fake{mw: tokenError(400, "unsupported_grant_type")} }, Config{},
			StepToken, "token.error", check.Fail, `400 error="unsupported_grant_type"`},
		{"client_credentials not listed", func() *fake {
			return &fake{mw: rewriteJSON("/.well-known/oauth-authorization-server", func(m map[string]any) { m["grant_types_supported"] = []string{"authorization_code"} })}
		}, Config{ClientID: "pre", ClientSecret: "pre-secret-123", Grant: GrantClientCredentials},
			StepToken, "token.grant-unsupported", check.Warn, "lacks client_credentials"},
		{"the IdP refuses the exchange", func() *fake { return &fake{} }, Config{ClientID: "pre", ClientSecret: "pre-secret-123", Grant: GrantEnterprise,
			IdP: &IdP{ClientID: "idp-client", IDToken: "expired-id-token"}}, StepToken, "token.exchange-failed", check.Fail, `400 error="invalid_request"`},
		{"the IdP's answer typed as an access token", func() *fake {
			return &fake{mw: rewriteJSON("/idp/token", func(m map[string]any) { m["issued_token_type"] = "urn:ietf:params:oauth:token-type:access_token" })}
		}, Config{ClientID: "pre", ClientSecret: "pre-secret-123", Grant: GrantEnterprise, IdP: &IdP{ClientID: "idp-client", IDToken: "user-id-token"}},
			StepToken, "token.exchange-type", check.Warn, `issued_token_type "urn:ietf:params:oauth:token-type:access_token"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake()
			f.start(t)
			cfg := tt.cfg
			cfg.ServerURL, cfg.Headless = f.url(), true
			if cfg.IdP != nil {
				idp := *cfg.IdP
				idp.TokenEndpoint = f.srv.URL + "/idp/token"
				cfg.IdP = &idp
			}
			if cfg.Calls == nil {
				cfg.Calls = []Call{{Method: "tools/list"}}
			}
			h := newHarness(t, cfg)
			_ = h.e.Run(context.Background())
			got := findIn(h.e.Results(), tt.step, tt.id)
			if got == nil || got.Status != tt.status || !strings.Contains(got.Message, tt.msg) {
				t.Fatalf("steps %v\n%s: got %+v, want %s %s saying %q", stepIDs(h.e.Results()), tt.step, got, tt.id, tt.status, tt.msg)
			}
		})
	}
}

// tokenError answers every token request with an OAuth error.
func tokenError(status int, code string) func(http.Handler) http.Handler {
	return onPath("/token", func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		writeJSON(w, status, map[string]string{"error": code})
	})
}

// findIn returns the last check id of the steps named step.
func findIn(rs []StepResult, step, id string) *check.Check {
	var got *check.Check
	for _, r := range rs {
		if r.ID != step {
			continue
		}
		for i := range r.Checks {
			if r.Checks[i].ID == id {
				got = &r.Checks[i]
			}
		}
	}
	return got
}

// What a refresh answer can get wrong: each case changes only the answer
// to the refresh of a stored, expired token.
func TestRefreshChecks(t *testing.T) {
	tests := []struct {
		name   string
		answer func(http.Handler) http.Handler
		id     string
		status check.Status
		msg    string
	}{
		{"fewer scopes", rewriteJSON("/token", func(m map[string]any) { m["scope"] = "read" }),
			"stored.refresh-scope-reduced", check.Warn, `lacks "write" of the original grant`},
		{"the same refresh token", rewriteJSON("/token", func(m map[string]any) { delete(m, "refresh_token") }),
			"stored.refresh-not-rotated", check.Info, "carries no new refresh token"},
		{"resource refused on refresh", tokenError(400, "invalid_target"),
			"stored.refresh-resource-rejected", check.Warn, `error="invalid_target"`},
		{"a JWT for another audience", rewriteJSON("/token", func(m map[string]any) { m["access_token"] = jwtWith(`{"aud":"api://other","exp":4102444800}`) }),
			"token.audience-mismatch", check.Warn, `JWT aud ["api://other"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var refreshing atomic.Bool
			f := &fake{refresh: true}
			f.mw = func(next http.Handler) http.Handler {
				odd := tt.answer(next)
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if refreshing.Load() {
						odd.ServeHTTP(w, r)
						return
					}
					next.ServeHTTP(w, r)
				})
			}
			f.start(t)
			st := newMemStore()
			runWithStore(t, f, st, Config{ClientID: "pre", ClientSecret: "pre-secret-123"})
			tok := st.tokens[f.url()]
			tok.Expiry = time.Now().Add(-time.Minute)
			st.tokens[f.url()] = tok
			refreshing.Store(true)
			cfg := Config{ServerURL: f.url(), ClientID: "pre", ClientSecret: "pre-secret-123", Headless: true, Calls: []Call{{Method: "tools/list"}}}
			h := newHarness(t, cfg)
			h.e.deps.Store = st
			_ = h.e.Authenticate(context.Background())
			if c := findIn(h.e.Results(), StepStored, tt.id); c == nil || c.Status != tt.status || !strings.Contains(c.Message, tt.msg) {
				t.Errorf("stored step %+v: want %s %s saying %q", h.step(t, StepStored).Checks, tt.id, tt.status, tt.msg)
			}
		})
	}
}

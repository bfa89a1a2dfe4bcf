package flow

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Client-side rules mcpwalk obeys rather than reports; the coverage map
// (internal/findings/testdata/coverage.tsv) points at these tests.

// C-22, C-32, FM-E2: a dynamic registration is a public native client
// that asks for the refresh_token grant.
func TestRegistrationRequestIsNativePublic(t *testing.T) {
	var mu sync.Mutex
	var got map[string]any
	f := fake{mw: onPath("/register", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		b, _ := readBody(r)
		mu.Lock()
		_ = json.Unmarshal([]byte(b), &got)
		mu.Unlock()
		next.ServeHTTP(w, r)
	})}
	f.start(t)
	h := newHarness(t, Config{ServerURL: f.url(), Headless: true})
	if err := h.e.Authenticate(context.Background()); err != nil {
		t.Fatalf("Authenticate: %v\n%v", err, stepIDs(h.e.Results()))
	}
	mu.Lock()
	defer mu.Unlock()
	want := map[string]any{
		"application_type":           "native",
		"token_endpoint_auth_method": "none",
		"grant_types":                []any{"authorization_code", "refresh_token"},
		"response_types":             []any{"code"},
		"redirect_uris":              []any{"http://127.0.0.1:45678/callback"},
		"client_name":                "mcpwalk",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("registration request (-want +got):\n%s", diff)
	}
}

// C-32: offline_access is requested only when the authorization server
// lists it, and never added to scopes the user chose with --scope.
func TestOfflineAccessOnlyWhenListed(t *testing.T) {
	tests := []struct {
		name     string
		asScopes []string
		scopes   []string // --scope
		want     string
	}{
		{"listed", []string{"read", "write", "offline_access"}, nil, "read write offline_access"},
		{"not listed", []string{"read", "write"}, nil, "read write"},
		{"no scopes_supported", nil, nil, "read write"},
		{"--scope given", []string{"read", "offline_access"}, []string{"read"}, "read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fake{asScopes: tt.asScopes}
			f.start(t)
			h := newHarness(t, Config{ServerURL: f.url(), Headless: true, Scopes: tt.scopes})
			if err := h.e.Authenticate(context.Background()); err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			if got := f.authReq[0].Get("scope"); got != tt.want {
				t.Errorf("scope = %q, want %q", got, tt.want)
			}
		})
	}
}

// C-35: iss is compared before anything else of the response is used,
// error text included, and without normalisation.
func TestIssCheckedFirstAndExactly(t *testing.T) {
	const errText = "text-from-the-wrong-issuer"
	tests := []struct {
		name   string
		change func(f *fake) func(q url.Values)
	}{
		{"error response from another issuer", func(f *fake) func(q url.Values) {
			return func(q url.Values) {
				q.Del("code")
				q.Set("error", "access_denied")
				q.Set("error_description", errText)
				q.Set("iss", "https://evil.example")
			}
		}},
		{"issuer with a trailing slash", func(f *fake) func(q url.Values) {
			return func(q url.Values) { q.Set("iss", f.issuer()+"/") }
		}},
		{"issuer with an upper-case scheme", func(f *fake) func(q url.Values) {
			return func(q url.Values) { q.Set("iss", "HTTP"+strings.TrimPrefix(f.issuer(), "http")) }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fake{}
			f.mw = rewriteAuthorizationResponse(func(q url.Values) { tt.change(f)(q) })
			f.start(t)
			h := newHarness(t, Config{ServerURL: f.url(), Headless: true})
			if err := h.e.Authenticate(context.Background()); err == nil {
				t.Fatal("Authenticate succeeded with a mismatched iss")
			}
			a := h.step(t, "authorize")
			if !hasCheck(a, "authorize.iss-mismatch", check.Fail) {
				t.Errorf("checks %+v: want authorize.iss-mismatch", a.Checks)
			}
			if len(f.tokenReq) != 0 {
				t.Errorf("%d token requests after a mismatched iss", len(f.tokenReq))
			}
			shown, _ := json.Marshal(struct {
				Error, Summary string
				Checks         check.List
			}{a.Error, a.Summary, a.Checks})
			if strings.Contains(string(shown), errText) {
				t.Errorf("the error text of a mismatched response is shown: %s", shown)
			}
			for _, ev := range h.events {
				if strings.Contains(ev.Note, errText) {
					t.Errorf("an event shows the error text: %q", ev.Note)
				}
			}
		})
	}
}

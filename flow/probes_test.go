package flow

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

func TestProbes(t *testing.T) {
	tests := []struct {
		name string
		fake fake
		want []string // non-pass probe checks, id:status
	}{
		// The fake has no CORS at all: three infos.
		{"well-behaved server", fake{}, []string{"probes.cors:info", "probes.cors-expose:info", "probes.cors-metadata:info"}},
		{"token accepted from the query string", fake{queryToken: true}, []string{
			"probes.query-token-accepted:fail", "probes.cors:info", "probes.cors-expose:info", "probes.cors-metadata:info"}},
		{"an open redirector", fake{openRedirect: true}, []string{
			"probes.cors:info", "probes.cors-expose:info", "probes.cors-metadata:info", "probes.redirect-uri-not-validated:fail", "probes.redirect-uri-path:warn"}},
		{"loopback ports matched exactly", fake{exactPort: true}, []string{
			"probes.cors:info", "probes.cors-expose:info", "probes.cors-metadata:info", "probes.loopback-port-refused:warn"}},
		{"PKCE not verified", fake{skipPKCE: true}, []string{
			"probes.cors:info", "probes.cors-expose:info", "probes.cors-metadata:info", "probes.pkce-not-verified:fail"}},
		{"Bearer without a token fails the server", fake{mw: onPath("/mcp", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.Header.Get("Authorization") == "Bearer" {
				http.Error(w, "index out of range", http.StatusInternalServerError)
				return
			}
			next.ServeHTTP(w, r)
		})}, []string{"probes.cors:info", "probes.cors-expose:info", "probes.cors-metadata:info", "probes.empty-bearer-status:fail"}},
		{"any Host served", fake{mw: onPath("/mcp", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			r.Host = "127.0.0.1" // what a server that ignores Host sees
			next.ServeHTTP(w, r)
		})}, []string{"probes.cors:info", "probes.cors-expose:info", "probes.cors-metadata:info", "probes.host-not-validated:warn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake
			f.start(t)
			h := newHarness(t, Config{ServerURL: f.url(), Headless: true, Probes: true, Calls: []Call{{Method: "tools/list"}}})
			_ = h.e.Run(context.Background())
			var got []string
			for _, r := range h.e.Results() {
				if !strings.HasPrefix(r.ID, "probes:") {
					continue
				}
				for _, c := range r.Checks {
					if c.Status != "pass" {
						got = append(got, c.ID+":"+string(c.Status))
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("probe findings (-want +got):\n%s", diff)
			}
			assertNoSecrets(t, h, &f)
		})
	}
}

// A server without authorization gets the DNS-rebinding probes only, sent
// without a token: the fake refuses a foreign Origin itself, and the Go
// SDK's handler behind it a foreign Host (its DNS-rebinding protection for
// servers on loopback). The everything server's e2e test shows both served.
func TestProbesWithoutAuthorization(t *testing.T) {
	f := (&fake{open: true}).start(t)
	h := newHarness(t, Config{ServerURL: f.url(), Probes: true, Calls: []Call{{Method: "tools/list"}}})
	if err := h.e.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v\n%v", err, stepIDs(h.e.Results()))
	}
	var probes []string
	for _, r := range h.e.Results() {
		if strings.HasPrefix(r.ID, "probes:") {
			probes = append(probes, r.ID)
		}
	}
	if diff := cmp.Diff([]string{"probes:origin", "probes:host"}, probes); diff != "" {
		t.Errorf("probes (-want +got):\n%s", diff)
	}
	if r := h.step(t, "probes:origin"); !hasCheck(r, "probes.origin", check.Pass) {
		t.Errorf("probes:origin checks %+v", r.Checks)
	}
	if r := h.step(t, "probes:host"); !hasCheck(r, "probes.host", check.Pass) {
		t.Errorf("probes:host checks %+v", r.Checks)
	}
	for _, r := range h.e.Results() {
		for _, ex := range r.Exchanges {
			if ex.RequestHeaders.Get("Authorization") != "" {
				t.Errorf("%s sent Authorization to a server that asked for none", r.ID)
			}
		}
	}
}

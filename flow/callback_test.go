package flow

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCallbackHostAndPath: a client registered with a fixed redirect URI
// naming localhost (as some authorization servers demand) gets exactly
// that URI in registration, authorization and token requests.
func TestCallbackHostAndPath(t *testing.T) {
	f := (&fake{}).start(t)
	h := newHarness(t, Config{ServerURL: f.url(), Headless: true, CallbackHost: "localhost", CallbackPort: 3118, CallbackPath: "/oauth/done"})
	if err := h.e.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v\n%v", err, stepIDs(h.e.Results()))
	}
	const want = "http://localhost:3118/oauth/done"
	f.mu.Lock()
	defer f.mu.Unlock()
	var registered []string
	for _, c := range f.clients {
		registered = append(registered, c.redirects...)
	}
	if diff := cmp.Diff([]string{want}, registered); diff != "" {
		t.Errorf("registered redirect URIs (-want +got):\n%s", diff)
	}
	if got := f.authReq[0].Get("redirect_uri"); got != want {
		t.Errorf("authorization request redirect_uri %q, want %q", got, want)
	}
	if got := f.tokenReq[0].Get("redirect_uri"); got != want {
		t.Errorf("token request redirect_uri %q, want %q", got, want)
	}
}

package flow

import (
	"strings"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// A DPoP-bound token is stored with its key; the next run presents it
// with proofs from that key (the fake refuses any other), and an expired
// one is refreshed with a proof from it — the fake binds refresh tokens
// to the key, as RFC 9449 §5 has authorization servers do for public
// clients. Without its key a DPoP token is not used.
func TestDPoPStoredKeyReuse(t *testing.T) {
	d := &fakeDPoP{algs: []string{"ES256"}}
	f := (&fake{dpop: d, refresh: true}).start(t)
	st := newMemStore()
	first := runWithStore(t, f, st, Config{})
	saved := st.tokens[f.url()]
	key := first.e.dpop.currentKey()
	if !saved.DPoPBound() || saved.DPoPKey == "" || key == nil {
		t.Fatalf("stored after login: type %q, key stored %v", saved.TokenType, saved.DPoPKey != "")
	}
	if k, err := ParseDPoPKey(saved.DPoPKey); err != nil || k.Thumbprint() != key.Thumbprint() {
		t.Fatalf("the stored key is not the walk's key: %v", err)
	}

	second := runWithStore(t, f, st, Config{})
	if !hasCheck(second.step(t, StepStored), "stored.token-reused", check.Pass) {
		t.Fatalf("stored step: %+v", second.step(t, StepStored).Checks)
	}
	if got := second.e.dpop.currentKey(); got == nil || got.Thumbprint() != key.Thumbprint() {
		t.Errorf("the second run does not prove possession of the stored key")
	}
	assertNoLogin(t, second)

	expired := st.tokens[f.url()]
	expired.Expiry = time.Now().Add(-time.Minute)
	st.tokens[f.url()] = expired
	third := runWithStore(t, f, st, Config{})
	r := third.step(t, StepStored)
	if !hasCheck(r, "stored.refreshed", check.Pass) || !hasCheck(r, "dpop.token-bound", check.Pass) {
		t.Errorf("stored step after expiry: %+v", r.Checks)
	}
	if last := f.lastToken(); last.Get("grant_type") != "refresh_token" {
		t.Errorf("no refresh: %v", last)
	}
	assertNoLogin(t, third)
	if now := st.tokens[f.url()]; now.AccessToken == expired.AccessToken || now.DPoPKey != saved.DPoPKey {
		t.Errorf("the refreshed token was not saved with the same key")
	}
	_, _, schemes, errs := d.seen()
	if len(errs) > 0 {
		t.Errorf("proofs refused: %v", errs)
	}
	for _, s := range schemes {
		if s != "DPoP" {
			t.Fatalf("schemes %v", schemes)
		}
	}
	assertNoSecrets(t, third, f)

	lost := st.tokens[f.url()]
	lost.DPoPKey = ""
	st.tokens[f.url()] = lost
	fourth := runWithStore(t, f, st, Config{})
	if r := fourth.step(t, StepStored); !hasCheck(r, "stored.token-mismatch", check.Info) || !strings.Contains(r.Checks[0].Message, "key") {
		t.Errorf("a DPoP token without its key: %+v", r.Checks)
	}
}

// assertNoLogin fails when the walk authorized again (for instance after
// the MCP server refused a proof from the wrong key).
func assertNoLogin(t *testing.T, h *harness) {
	t.Helper()
	for _, r := range h.e.Results() {
		if r.ID == StepAuthorize && r.Status != StatusSkip {
			t.Errorf("a new login ran (%s): the stored token was not usable", r.Status)
		}
	}
}

package flow

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// memStore is an in-memory TokenStore.
type memStore struct {
	mu      sync.Mutex
	tokens  map[string]StoredToken
	clients map[string]StoredClient
}

func newMemStore() *memStore {
	return &memStore{tokens: map[string]StoredToken{}, clients: map[string]StoredClient{}}
}

func (m *memStore) Lock(context.Context) (func(), error) { m.mu.Lock(); return m.mu.Unlock, nil }
func (m *memStore) Where() string                        { return "memory" }

func (m *memStore) Token(_ context.Context, server string) (*StoredToken, error) {
	if t, ok := m.tokens[server]; ok {
		return &t, nil
	}
	return nil, nil
}

func (m *memStore) SaveToken(_ context.Context, t *StoredToken) error {
	m.tokens[t.Server] = *t
	return nil
}

func (m *memStore) Client(_ context.Context, issuer, id string) (*StoredClient, error) {
	for _, c := range m.clients {
		if c.Issuer == issuer && (id == "" || c.ClientID == id) {
			return &c, nil
		}
	}
	return nil, nil
}

func (m *memStore) SaveClient(_ context.Context, c *StoredClient) error {
	m.clients[c.Issuer+" "+c.ClientID] = *c
	return nil
}

func (m *memStore) DeleteClient(_ context.Context, issuer, id string) error {
	delete(m.clients, issuer+" "+id)
	return nil
}

func runWithStore(t *testing.T, f *fake, st TokenStore, cfg Config) *harness {
	t.Helper()
	cfg.ServerURL = f.url()
	cfg.Calls = []Call{{Method: "tools/list"}}
	h := newHarness(t, cfg)
	h.e.deps.Store = st
	if err := h.e.Run(t.Context()); err != nil {
		t.Fatalf("walk: %v\n%v", err, stepIDs(h.e.Results()))
	}
	return h
}

// An expired stored token is refreshed with the original resource and the
// client's authentication; the rotated refresh token replaces the old one.
func TestStoredRefreshSendsResource(t *testing.T) {
	f := (&fake{refresh: true}).start(t)
	st := newMemStore()
	runWithStore(t, f, st, Config{ClientID: "pre", ClientSecret: "pre-secret-123"})
	first := st.tokens[f.url()]
	if first.RefreshToken == "" || first.Resource != f.url() || first.ClientID != "pre" {
		t.Fatalf("stored after login: %+v", first)
	}
	// Make it expired, as time would.
	first.Expiry = time.Now().Add(-time.Minute)
	st.tokens[f.url()] = first
	h := runWithStore(t, f, st, Config{ClientID: "pre", ClientSecret: "pre-secret-123"})
	last := f.lastToken()
	if last.Get("grant_type") != "refresh_token" || last.Get("resource") != f.url() {
		t.Errorf("refresh request %v: want grant_type=refresh_token and resource=%s", last, f.url())
	}
	r := h.step(t, StepStored)
	if !hasCheck(r, "stored.refreshed", check.Pass) || !hasCheck(r, "stored.refresh-rotated", check.Pass) {
		t.Errorf("stored step checks: %+v", r.Checks)
	}
	if got := st.tokens[f.url()].RefreshToken; got == first.RefreshToken || got == "" {
		t.Errorf("the rotated refresh token was not saved")
	}
	for _, id := range []string{StepRegister, StepAuthorize, StepToken} {
		if s := h.step(t, id); s.Status != StatusSkip {
			t.Errorf("%s: %s, want skipped after a refresh", id, s.Status)
		}
	}
	assertNoSecrets(t, h, f)
}

// A stored token for another issuer (the server moved to a new
// authorization server) is not sent; a login follows.
func TestStoredTokenOfAnotherIssuerIgnored(t *testing.T) {
	f := (&fake{}).start(t)
	st := newMemStore()
	st.tokens[f.url()] = StoredToken{Server: f.url(), Resource: f.url(), Issuer: "https://old-as.example", ClientID: "pre",
		AccessToken: "old-token", Expiry: time.Now().Add(time.Hour)}
	h := runWithStore(t, f, st, Config{ClientID: "pre", ClientSecret: "pre-secret-123"})
	r := h.step(t, StepStored)
	if !hasCheck(r, "stored.token-mismatch", check.Info) || !strings.Contains(r.Checks[0].Message, "migration") {
		t.Errorf("stored step: %+v", r.Checks)
	}
	if h.step(t, StepToken).Status != StatusPass {
		t.Errorf("no new login after an unusable stored token")
	}
	if st.tokens[f.url()].Issuer != f.issuer() {
		t.Errorf("the new token did not replace the old one")
	}
}

// With StoredAuthOnly and nothing stored the walk stops before any login.
func TestStoredAuthOnlyStops(t *testing.T) {
	f := (&fake{}).start(t)
	h := newHarness(t, Config{ServerURL: f.url(), StoredAuthOnly: true})
	h.e.deps.Store = newMemStore()
	err := h.e.Run(t.Context())
	if err == nil || !h.e.LoginRefused() {
		t.Fatalf("err %v, refused %v", err, h.e.LoginRefused())
	}
	for _, r := range h.e.Results() {
		if r.ID == StepAuthorize {
			t.Errorf("an authorization was started")
		}
	}
}

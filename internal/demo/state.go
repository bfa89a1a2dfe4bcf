package demo

import (
	"crypto/rand"
	"encoding/base64"
	"slices"
	"sync"
	"time"
)

// client is a registered client.
type client struct {
	ID           string
	Secret       string
	AuthMethod   string // none, client_secret_basic, client_secret_post
	RedirectURIs []string
	// AnyLoopback accepts any loopback redirect URI (the pre-registered client).
	AnyLoopback bool
	GrantTypes  []string
}

// grant is what an authorization code, access token or refresh token stands for.
type grant struct {
	ClientID string
	Scopes   []string
	Resource string
	Expires  time.Time
	// For codes: the PKCE challenge and redirect URI to match at the token endpoint.
	Challenge string
	Redirect  string
	// Family links the tokens issued from one code, to revoke them all when
	// a code or an old refresh token is replayed.
	Family string
	// JKT is the DPoP key the grant is bound to: a code's dpop_jkt (RFC
	// 9449 §10), a DPoP token's key, a public client's refresh token's.
	JKT string
}

type state struct {
	mu       sync.Mutex
	clients  map[string]*client
	codes    map[string]*grant
	used     map[string]string // redeemed code → family
	access   map[string]*grant
	refresh  map[string]*grant
	rotated  map[string]string // old refresh token → family
	families map[string]bool   // revoked families
	// secrets is every secret the demo issued or received (client secrets,
	// codes, verifiers, tokens), for tests that scan output for leaks.
	secrets []string
}

// keep records a secret value for Secrets; callers hold mu.
func (st *state) keep(v string) {
	if v != "" {
		st.secrets = append(st.secrets, v)
	}
}

func newState() *state {
	return &state{clients: map[string]*client{}, codes: map[string]*grant{}, used: map[string]string{},
		access: map[string]*grant{}, refresh: map[string]*grant{}, rotated: map[string]string{}, families: map[string]bool{}}
}

// secret returns 32 random bytes, base64url.
func secret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// lookup returns the live access grant for tok, or nil.
func (st *state) lookup(tok string, now time.Time) *grant {
	st.mu.Lock()
	defer st.mu.Unlock()
	g := st.access[tok]
	if g == nil || now.After(g.Expires) || st.families[g.Family] {
		return nil
	}
	return g
}

// revokeFamily invalidates every token issued from one authorization.
func (st *state) revokeFamily(f string) { st.families[f] = true }

// revoke removes one token (RFC 7009): access or refresh.
func (st *state) revoke(tok string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.access, tok)
	delete(st.refresh, tok)
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

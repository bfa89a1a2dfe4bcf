package flow

import (
	"net/url"
	"strings"
	"sync"

	"github.com/mcpwalk/mcpwalk/discovery"
)

// dpopState is what a walk knows about DPoP: whether proofs are sent, the
// key, which tokens are bound to it, and the nonces servers supplied. The
// SDK's requests run on other goroutines, so it has its own lock.
type dpopState struct {
	mu sync.Mutex
	// on: proofs go with token requests to the walk's authorization
	// server, and bound tokens are presented with the DPoP scheme.
	on bool
	// alg is the algorithm chosen at asmeta for a key made on demand.
	alg string
	key *DPoPKey
	// bound holds the access tokens issued as DPoP tokens (token_type
	// DPoP) for the walk's key; only these are sent as DPoP.
	bound map[string]bool
	// asNonce and rsNonce are the DPoP-Nonce values last supplied, by
	// origin. They are kept apart (RFC 9449 §8 and §9 nonces belong to
	// the server that issued them), even when AS and MCP server share one.
	asNonce map[string]string
	rsNonce map[string]string
	// offered: the MCP server's 401 carried a DPoP challenge (RFC 9449
	// §7.1), a sign that it accepts DPoP-bound tokens.
	offered bool
}

// challenged records whether the MCP server's challenges offer DPoP.
func (d *dpopState) challenged(cs []discovery.Challenge) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.offered = discovery.FindChallenge(cs, "DPoP") != nil
}

func (d *dpopState) wasOffered() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.offered
}

// active reports whether proofs are being sent.
func (d *dpopState) active() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.on
}

// enable turns proofs on with alg for a key made when first needed.
func (d *dpopState) enable(alg string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.on, d.alg = true, alg
}

// disable turns proofs off; bound tokens stay bound.
func (d *dpopState) disable() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.on = false
}

// useKey installs a key (the one stored with a token) and turns proofs on.
func (d *dpopState) useKey(k *DPoPKey) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.key, d.alg, d.on = k, k.Alg(), true
}

// ensureKey returns the walk's key, generating it on first use.
func (d *dpopState) ensureKey() (*DPoPKey, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.key != nil {
		return d.key, nil
	}
	alg := d.alg
	if alg == "" {
		alg = dpopAlgs[0]
	}
	k, err := NewDPoPKey(alg)
	if err != nil {
		return nil, err
	}
	d.key = k
	return k, nil
}

// currentKey is the key, nil before one exists.
func (d *dpopState) currentKey() *DPoPKey {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.key
}

func (d *dpopState) bind(tok string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.bound == nil {
		d.bound = map[string]bool{}
	}
	d.bound[tok] = true
}

func (d *dpopState) isBound(tok string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return tok != "" && d.bound[tok]
}

// nonce returns the nonce last supplied by the authorization server
// (as) or the resource server at origin.
func (d *dpopState) nonce(as bool, origin string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if as {
		return d.asNonce[origin]
	}
	return d.rsNonce[origin]
}

// setNonce keeps a DPoP-Nonce for the next proof to that server.
func (d *dpopState) setNonce(as bool, origin, v string) {
	if v == "" {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	m := &d.rsNonce
	if as {
		m = &d.asNonce
	}
	if *m == nil {
		*m = map[string]string{}
	}
	(*m)[origin] = v
}

// originOf is scheme://host of a URL, lower-cased: whose nonce it is.
func originOf(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

func originOfString(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return originOf(u)
}

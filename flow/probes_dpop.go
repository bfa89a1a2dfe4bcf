package flow

import (
	"context"
	"net/http"
	"net/url"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// The DPoP probes test that the MCP server enforces the binding of a
// DPoP-bound token: a stolen token must be useless without the key. They
// run only when the walk's token is DPoP-bound.

// boundToken is the walk's access token when it is DPoP-bound, else "".
func (e *Engine) boundToken() string {
	if e.token == nil || !e.dpop.isBound(e.token.AccessToken) {
		return ""
	}
	return e.token.AccessToken
}

// probeDPoPAsBearer offers the DPoP-bound token with the Bearer scheme and
// no proof, as whoever stole it would: RFC 9449 §7.2 makes a resource that
// also takes Bearer tokens reject it.
func (e *Engine) probeDPoPAsBearer(ctx context.Context, s *stepCtx) error {
	tok := e.boundToken()
	if tok == "" {
		s.res.Summary = "the walk's token is not DPoP-bound: nothing to probe"
		return nil
	}
	hdr := e.withSession(http.Header{"Authorization": {"Bearer " + tok}})
	resp, err := e.probeRequest(withoutDPoP(ctx), e.serverURL, hdr)
	if err != nil {
		return err
	}
	switch {
	case resp.StatusCode < 300:
		s.add(check.New("probes.dpop-as-bearer-accepted", check.Fail, "RFC 9449 §7.2; "+specDPoPResource,
			"Reject a DPoP-bound token (cnf.jkt, or token_type DPoP at introspection) presented with the Bearer scheme, and require a valid proof with every DPoP token.",
			"the DPoP-bound token was accepted as a Bearer token, without a proof (%d): a stolen token works without the key", resp.StatusCode))
	case resp.StatusCode != http.StatusUnauthorized:
		inconclusive(s, "probes.dpop-as-bearer-inconclusive", resp.StatusCode, http.StatusUnauthorized)
	default:
		s.add(check.New("probes.dpop-as-bearer", check.Pass, "RFC 9449 §7.2", "", "the DPoP-bound token without a proof, as Bearer, was refused (401)"))
	}
	return nil
}

// probeDPoPWrongKey presents the token with the DPoP scheme and a proof
// that is valid in every way but one: another key signed it, so its jwk
// does not match the token's cnf.jkt (RFC 9449 §4.3 step 12, §7.1).
func (e *Engine) probeDPoPWrongKey(ctx context.Context, s *stepCtx) error {
	tok := e.boundToken()
	if tok == "" {
		s.res.Summary = "the walk's token is not DPoP-bound: nothing to probe"
		return nil
	}
	mine := e.dpop.currentKey()
	other, err := NewDPoPKey(mine.Alg())
	if err != nil {
		return err
	}
	target, err := url.Parse(e.serverURL)
	if err != nil {
		return err
	}
	var resp *http.Response
	// Twice at most: a server that checks the nonce before the key asks
	// for it first, and the second proof carries it.
	for range 2 {
		proof, err := other.Proof(http.MethodPost, target, e.deps.Now(), tok, e.dpop.nonce(false, originOf(target)))
		if err != nil {
			return err
		}
		hdr := e.withSession(http.Header{"Authorization": {"DPoP " + tok}, "Dpop": {proof}})
		if resp, err = e.probeRequest(ctx, e.serverURL, hdr); err != nil {
			return err
		}
		if !nonceDemanded(resp) {
			break
		}
	}
	switch {
	case resp.StatusCode < 300:
		s.add(check.New("probes.dpop-wrong-key-accepted", check.Fail, "RFC 9449 §4.3, §7.1",
			"Check that the proof's jwk thumbprint equals the token's cnf.jkt (or the jkt from introspection) before serving the request.",
			"a proof signed by another key (jkt %s, the token is bound to %s) was accepted (%d): the server does not check the binding",
			other.Thumbprint(), mine.Thumbprint(), resp.StatusCode))
	case resp.StatusCode != http.StatusUnauthorized:
		inconclusive(s, "probes.dpop-wrong-key-inconclusive", resp.StatusCode, http.StatusUnauthorized)
	default:
		s.add(check.New("probes.dpop-wrong-key", check.Pass, "RFC 9449 §4.3, §7.1", "", "a proof signed by another key was refused (401)"))
	}
	return nil
}

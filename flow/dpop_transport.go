package flow

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/mcpwalk/mcpwalk/internal/jose"
)

// resourceHTTP is the one HTTP client for requests to the MCP server that
// may carry the walk's token: the SDK session's POST, GET and DELETE, the
// server probes, and any raw JSON-RPC request (send those with
// doResource). It is Deps.HTTP — recording, redaction, timeouts, redirect
// policy — with the DPoP layer on top, so every such request gets the same
// treatment without knowing about DPoP:
//
//   - a request to the MCP server's origin whose Authorization is a token
//     the walk holds as DPoP-bound goes out as Authorization: DPoP <token>
//     with a fresh proof carrying ath and the server's current nonce
//     (RFC 9449 §7.1, §9); the caller's request is cloned, never changed;
//   - every response from that origin with a DPoP-Nonce header updates the
//     nonce for the next proof;
//   - everything else (Bearer tokens, other origins, no token) passes
//     through untouched.
//
// The Go SDK writes "Bearer <token>" itself, which is why this is a
// transport and not a token source.
func (e *Engine) resourceHTTP() *http.Client {
	c := *e.deps.HTTP
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = &dpopTransport{base: base, e: e}
	return &c
}

// dpopTransport is the DPoP layer of resourceHTTP.
type dpopTransport struct {
	base http.RoundTripper
	e    *Engine
}

type noDPoPKey struct{}

// withoutDPoP marks requests a probe deliberately sends without a proof
// (a DPoP-bound token offered as Bearer must be refused).
func withoutDPoP(ctx context.Context) context.Context {
	return context.WithValue(ctx, noDPoPKey{}, true)
}

func (t *dpopTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	e := t.e
	origin := originOf(req.URL)
	mine := e.serverURL != "" && origin == originOfString(e.serverURL)
	out := req
	if tok := t.boundToken(req, mine); tok != "" {
		proof, err := e.resourceProof(req, tok)
		if err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
		out = req.Clone(req.Context())
		out.Header.Set("Authorization", "DPoP "+tok)
		out.Header.Set("DPoP", proof)
	}
	resp, err := t.base.RoundTrip(out)
	if err == nil && mine {
		e.dpop.setNonce(false, origin, resp.Header.Get("DPoP-Nonce"))
		if out != req && nonceDemanded(resp) && resp.Header.Get("DPoP-Nonce") == sentNonce(resp) {
			// The SDK retries once and then gives up without asking
			// Authorize again; this is where that refusal is seen.
			e.later(nonceRefused(resp.Header.Get("DPoP-Nonce")))
		}
	}
	return resp, err
}

// boundToken is the DPoP-bound token req carries for the MCP server, "".
func (t *dpopTransport) boundToken(req *http.Request, mine bool) string {
	if !mine || req.Header.Get("DPoP") != "" || req.Context().Value(noDPoPKey{}) != nil {
		return ""
	}
	scheme, tok, ok := strings.Cut(req.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "DPoP") {
		return ""
	}
	tok = strings.TrimSpace(tok)
	if !t.e.dpop.isBound(tok) {
		return ""
	}
	return tok
}

// resourceProof is the proof for a resource request carrying tok.
func (e *Engine) resourceProof(req *http.Request, tok string) (string, error) {
	k, err := e.dpop.ensureKey()
	if err != nil {
		return "", fmt.Errorf("DPoP key: %w", err)
	}
	proof, err := k.Proof(req.Method, req.URL, e.deps.Now(), tok, e.dpop.nonce(false, originOf(req.URL)))
	if err != nil {
		return "", fmt.Errorf("signing the DPoP proof: %w", err)
	}
	return proof, nil
}

// doResource sends a raw request to the MCP server through resourceHTTP
// and answers a 401 use_dpop_nonce challenge (RFC 9449 §9) the way the SDK
// does after Authorize: once, with the nonce the server supplied. The
// retry needs req.GetBody, which http.NewRequest sets for in-memory bodies.
func (e *Engine) doResource(req *http.Request) (*http.Response, error) {
	c := e.resourceHTTP()
	resp, err := c.Do(req)
	// Only a proof the transport signed can be signed again with the
	// nonce; a caller's own proof (a probe's) is the caller's to redo.
	if err != nil || req.Body != nil && req.GetBody == nil || req.Header.Get("DPoP") != "" {
		return resp, err
	}
	if retry, _ := e.dpopNonceChallenge(resp); !retry {
		return resp, nil
	}
	again := req.Clone(req.Context())
	if req.GetBody != nil {
		if again.Body, err = req.GetBody(); err != nil {
			return resp, nil
		}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return c.Do(again)
}

// dpopNonceChallenge reads a 401 from the MCP server: retry is true when
// it is a DPoP use_dpop_nonce challenge with a nonce the failed request's
// proof did not carry — so a server that keeps asking for the nonce it was
// just given cannot make the client loop; err says why not otherwise. Both
// are zero for any other answer. A check records what happened.
func (e *Engine) dpopNonceChallenge(resp *http.Response) (retry bool, err error) {
	if resp.StatusCode != http.StatusUnauthorized {
		return false, nil
	}
	cs, _ := discovery.ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate"))
	c := discovery.FindChallenge(cs, "DPoP")
	if c == nil || c.Params["error"] != "use_dpop_nonce" {
		return false, nil
	}
	nonce, sent := resp.Header.Get("DPoP-Nonce"), sentNonce(resp)
	switch {
	case nonce == "":
		e.later(check.New("dpop.rs-nonce", check.Warn, specDPoPRSNonce, "Send the nonce in a DPoP-Nonce header with every use_dpop_nonce challenge.",
			"the MCP server answered 401 use_dpop_nonce without a DPoP-Nonce header: there is no nonce to retry with"))
		return false, fmt.Errorf("the MCP server demands a DPoP nonce but supplies none (no DPoP-Nonce header)")
	case nonce == sent:
		e.later(nonceRefused(nonce))
		return false, fmt.Errorf("the MCP server rejected the DPoP nonce it had itself supplied; giving up rather than looping")
	}
	e.later(check.New("dpop.rs-nonce", check.Pass, specDPoPRSNonce, "",
		"the MCP server asked for a DPoP nonce (401 use_dpop_nonce); the request is sent once more with it"))
	return true, nil
}

func nonceRefused(nonce string) check.Check {
	return check.New("dpop.rs-nonce", check.Warn, specDPoPRSNonce, "Accept a proof carrying the nonce you supplied, or supply a new one.",
		"the MCP server answered use_dpop_nonce to a proof that carried the nonce it had supplied (%q); not retrying again", nonce)
}

// dpopRefused explains a 401 to a request that presented a DPoP-bound
// token when the MCP server's challenges offer no DPoP scheme: it does
// not accept DPoP tokens, and a new authorization — another DPoP token —
// would not change that, so the walk stops instead of looping.
func (e *Engine) dpopRefused(resp *http.Response) error {
	if resp.StatusCode != http.StatusUnauthorized || resp.Request == nil || resp.Request.Header.Get("DPoP") == "" {
		return nil
	}
	cs, _ := discovery.ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate"))
	if discovery.FindChallenge(cs, "DPoP") != nil {
		return nil
	}
	schemes := make([]string, len(cs))
	for i, c := range cs {
		schemes[i] = c.Scheme
	}
	e.later(check.New("dpop.resource-refused", check.Fail, specDPoPResource,
		"Accept DPoP-bound tokens at the MCP server (the DPoP scheme with a proof, RFC 9449 §7), or run with --dpop never.",
		"the MCP server refused the DPoP-bound token (401) and its challenge offers %q, no DPoP: it does not accept DPoP tokens", schemes))
	return fmt.Errorf("the MCP server does not accept DPoP-bound tokens (its 401 offers no DPoP challenge); a new authorization would only bring another")
}

// nonceDemanded reports whether resp is a 401 DPoP use_dpop_nonce
// challenge that supplies a nonce.
func nonceDemanded(resp *http.Response) bool {
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("DPoP-Nonce") == "" {
		return false
	}
	cs, _ := discovery.ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate"))
	c := discovery.FindChallenge(cs, "DPoP")
	return c != nil && c.Params["error"] == "use_dpop_nonce"
}

// sentNonce is the nonce claim of the proof a response answered, "".
func sentNonce(resp *http.Response) string {
	if resp.Request == nil {
		return ""
	}
	j, err := jose.Parse(resp.Request.Header.Get("DPoP"))
	if err != nil {
		return ""
	}
	return jose.String(j.Claims, "nonce")
}

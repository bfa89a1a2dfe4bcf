package flow

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Probes test the server's own enforcement, each as a step "probes:<name>".
// They never send the walk's token anywhere but the server it was issued
// for. Run them after Connect.
//
// A server that asked for no authorization gets only the DNS-rebinding
// probes (a foreign Origin, a foreign Host): with nothing else between a
// web page and a local server, they are what protects it.
func (e *Engine) Probes(ctx context.Context) {
	type probe struct {
		name string
		fn   func(context.Context, *stepCtx) error
	}
	probes := []probe{
		{"no-token", e.probeNoToken},
		{"invalid-token", e.probeInvalidToken},
		{"query-token", e.probeQueryToken},
		{"other-resource", e.probeOtherResource},
		{"insufficient-scope", e.probeInsufficientScope},
		{"session-without-token", e.probeSessionWithoutToken},
		{"origin", e.probeOrigin},
		{"dpop-as-bearer", e.probeDPoPAsBearer},
		{"dpop-wrong-key", e.probeDPoPWrongKey},
		{"cors", e.probeCORS},
		{"cors-discovery", e.probeCORSDiscovery},
		{"empty-bearer", e.probeEmptyBearer},
		{"host", e.probeHost},
		{"redirect-uri", e.probeRedirectURI},
		{"pkce", e.probePKCE},
	}
	if !e.authNeeded {
		probes = []probe{{"origin", e.probeOrigin}, {"host", e.probeHost}}
	}
	for _, p := range probes {
		// A probe's failure is a finding about the server, not a reason to
		// stop probing: run ignores the error here on purpose.
		_ = e.run(ctx, "probes:"+p.name, p.fn)
	}
}

const specTokenHandling = "MCP 2025-11-25 Authorization §Token Handling; RFC 6750 §3.1"

// probeRequest POSTs a harmless JSON-RPC ping to the server with the
// headers hdr (a Host in it becomes the request's Host), through
// doResource: a DPoP-bound token in hdr goes out with the DPoP scheme and
// a proof. It returns the response, body closed.
func (e *Engine) probeRequest(ctx context.Context, target string, hdr http.Header) (*http.Response, error) {
	// A harmless request valid in the negotiated revision: ping before
	// 2026-07-28; from then on ping is gone, and server/discover with the
	// _meta the revision requires (which an older server would take as a
	// request in the new revision, and refuse).
	v := e.negotiatedVersion()
	if v == "" {
		v = probeVersion
	}
	method := "ping"
	if v >= metaRevision {
		method = "server/discover"
	}
	body, err := e.requestBody("mcpwalk-probe", method, nil, v)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", v)
	req.Header.Set("Mcp-Method", method)
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	if h := req.Header.Get("Host"); h != "" {
		req.Host = h
		req.Header.Del("Host")
	}
	resp, err := e.doResource(req)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %s", e.deps.Secrets.String(target), e.netErr(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp, nil
}

// withToken adds the walk's token, if it has one: a probe that is not about
// the token must get past the authorization check to test anything.
func (e *Engine) withToken(h http.Header) http.Header {
	if e.token != nil {
		h.Set("Authorization", "Bearer "+e.token.AccessToken)
	}
	return h
}

// withSession adds the session id, if the session has one: a stateful
// server answers 400 to a request without it, which would hide what the
// probe is after.
func (e *Engine) withSession(h http.Header) http.Header {
	if e.session != nil {
		if id := e.session.ID(); id != "" {
			e.deps.Secrets.Secret(id)
			h.Set("Mcp-Session-Id", id)
		}
	}
	return h
}

// inconclusive records a probe answer that neither accepts nor properly
// refuses.
func inconclusive(s *stepCtx, id string, status, want int) {
	s.add(check.New(id, check.Info, "", "",
		"answered %d (%s), not %d: inconclusive", status, http.StatusText(status), want))
}

func (e *Engine) negotiatedVersion() string {
	if e.session != nil && e.session.InitializeResult() != nil {
		return e.session.InitializeResult().ProtocolVersion
	}
	return ""
}

func bearerChallenge(resp *http.Response) *discovery.Challenge {
	cs, _ := discovery.ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate"))
	return discovery.FindChallenge(cs, "Bearer", "DPoP")
}

func (e *Engine) probeNoToken(ctx context.Context, s *stepCtx) error {
	resp, err := e.probeRequest(ctx, e.serverURL, nil)
	if err != nil {
		return err
	}
	c := bearerChallenge(resp)
	switch {
	case resp.StatusCode != http.StatusUnauthorized:
		s.add(check.New("probes.no-token-status", check.Fail, spec401, "Answer every request without a token with 401.",
			"a request without a token was answered %d, expected 401", resp.StatusCode))
	case c == nil:
		s.add(check.New("probes.no-token-challenge", check.Warn, specChallenge, `Send WWW-Authenticate: Bearer resource_metadata="…" with the 401.`,
			"401 without a Bearer challenge"))
	case c.Params["resource_metadata"] == "":
		s.add(check.New("probes.no-token-resource-metadata", check.Warn, specChallenge, "Add resource_metadata to the challenge.",
			"401 challenge without resource_metadata"))
	default:
		s.add(check.New("probes.no-token", check.Pass, spec401, "", "401 with a Bearer challenge carrying resource_metadata"))
	}
	return nil
}

func (e *Engine) probeInvalidToken(ctx context.Context, s *stepCtx) error {
	resp, err := e.probeRequest(ctx, e.serverURL, http.Header{"Authorization": {"Bearer mcpwalk-invalid-" + rand.Text()}})
	if err != nil {
		return err
	}
	c := bearerChallenge(resp)
	switch {
	case resp.StatusCode < 300:
		s.add(check.New("probes.invalid-token-accepted", check.Fail, specTokenHandling, "Validate every bearer token; reject unknown ones with 401.",
			"a made-up token was accepted (%d)", resp.StatusCode))
	case resp.StatusCode != http.StatusUnauthorized:
		s.add(check.New("probes.invalid-token-status", check.Fail, specTokenHandling, "Answer invalid or expired tokens with 401.",
			"a made-up token was answered %d, expected 401", resp.StatusCode))
	case c == nil || c.Params["error"] != "invalid_token":
		s.add(check.New("probes.invalid-token-error", check.Warn, "RFC 6750 §3.1", `Send error="invalid_token" in the challenge.`,
			"401 for a made-up token without error=\"invalid_token\""))
	default:
		s.add(check.New("probes.invalid-token", check.Pass, specTokenHandling, "", `401 with error="invalid_token"`))
	}
	return nil
}

func (e *Engine) probeQueryToken(ctx context.Context, s *stepCtx) error {
	if e.token == nil {
		s.res.Summary = "no token to probe with"
		return nil
	}
	u, err := url.Parse(e.serverURL)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("access_token", e.token.AccessToken)
	u.RawQuery = q.Encode()
	resp, err := e.probeRequest(ctx, u.String(), e.withSession(http.Header{}))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode >= 300 {
		inconclusive(s, "probes.query-token-inconclusive", resp.StatusCode, http.StatusUnauthorized)
		return nil
	}
	if resp.StatusCode < 300 {
		s.add(check.New("probes.query-token-accepted", check.Fail, "MCP 2025-11-25 Authorization §Token Requirements; OAuth 2.1 §5.1.1",
			"Accept tokens only in the Authorization header; ignore access_token in the query string.",
			"a token in the URL query string was accepted (%d); tokens in URLs end up in logs", resp.StatusCode))
		return nil
	}
	s.add(check.New("probes.query-token", check.Pass, "OAuth 2.1 §5.1.1", "", "a token in the query string was refused (%d)", resp.StatusCode))
	return nil
}

func (e *Engine) probeSessionWithoutToken(ctx context.Context, s *stepCtx) error {
	id := ""
	if e.session != nil {
		id = e.session.ID()
	}
	if id == "" {
		s.res.Summary = "the session has no Mcp-Session-Id (stateless server or revision without sessions): nothing to probe"
		return nil
	}
	resp, err := e.probeRequest(ctx, e.serverURL, e.withSession(http.Header{}))
	if err != nil {
		return err
	}
	if resp.StatusCode < 300 {
		s.add(check.New("probes.session-without-token", check.Fail, "MCP 2025-11-25 Authorization §Token Requirements (every request)",
			"Require the Authorization header on every request, not only on initialize.",
			"a request carrying only the session id, without a token, was served (%d)", resp.StatusCode))
		return nil
	}
	s.add(check.New("probes.session-without-token", check.Pass, "MCP 2025-11-25 Authorization §Token Requirements", "",
		"a session id alone was refused (%d)", resp.StatusCode))
	return nil
}

func (e *Engine) probeOrigin(ctx context.Context, s *stepCtx) error {
	hdr := e.withSession(e.withToken(http.Header{"Origin": {"https://mcpwalk-probe.invalid"}}))
	resp, err := e.probeRequest(ctx, e.serverURL, hdr)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode >= 300 {
		inconclusive(s, "probes.origin-inconclusive", resp.StatusCode, http.StatusForbidden)
		return nil
	}
	if resp.StatusCode < 300 {
		st := check.Info
		if u, err := url.Parse(e.serverURL); err == nil && discovery.IsLoopbackHost(u.Hostname()) {
			st = check.Warn // DNS rebinding matters most for local servers
		}
		s.add(check.New("probes.origin-not-validated", st, "MCP 2025-11-25 Transports §Security Warning (Origin)",
			"Validate the Origin header and answer 403 to origins you do not serve.",
			"a request with Origin https://mcpwalk-probe.invalid was served (%d)", resp.StatusCode))
		return nil
	}
	s.add(check.New("probes.origin", check.Pass, "MCP 2025-11-25 Transports §Security Warning", "",
		"a foreign Origin was refused (%d)", resp.StatusCode))
	return nil
}

func (e *Engine) probeCORS(ctx context.Context, s *stepCtx) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodOptions, e.serverURL, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Origin", "http://localhost:6274")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type, mcp-protocol-version, mcp-session-id")
	resp, err := e.deps.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("OPTIONS %s: %s", e.serverURL, e.netErr(err))
	}
	resp.Body.Close()
	allowOrigin := resp.Header.Get("Access-Control-Allow-Origin")
	allowHeaders := strings.ToLower(strings.Join(resp.Header.Values("Access-Control-Allow-Headers"), ","))
	var missing []string
	for _, h := range []string{"authorization", "mcp-protocol-version"} {
		if allowHeaders != "*" && !strings.Contains(allowHeaders, h) {
			missing = append(missing, h)
		}
	}
	switch {
	case allowOrigin == "":
		s.add(check.New("probes.cors", check.Info, "Fetch Standard §CORS protocol (not an MCP rule)",
			"Answer preflights with Access-Control-Allow-Origin if browser-based clients should connect.",
			"no CORS preflight answer (%d): browser-based clients such as web inspectors cannot connect", resp.StatusCode))
	case len(missing) > 0:
		s.add(check.New("probes.cors", check.Info, "Fetch Standard §CORS protocol (not an MCP rule)",
			"List Authorization and MCP-Protocol-Version in Access-Control-Allow-Headers.",
			"the preflight does not allow the header(s) %s", strings.Join(missing, ", ")))
	default:
		s.add(check.New("probes.cors", check.Pass, "Fetch Standard §CORS protocol", "", "CORS preflight allowed"))
	}
	return nil
}

// probeInsufficientScope grades the 403s seen during the walk; it makes no
// request of its own, since a token with too little scope cannot be had
// on demand from every authorization server.
func (e *Engine) probeInsufficientScope(ctx context.Context, s *stepCtx) error {
	if len(e.forbidden) == 0 {
		s.res.Summary = "could not run: no call during the walk needed more scope than the token had"
		return nil
	}
	for _, c := range e.forbidden {
		switch {
		case c == nil || c.Params["error"] != "insufficient_scope":
			s.add(check.New("probes.insufficient-scope-error", check.Warn, "MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors",
				`Answer with 403 and WWW-Authenticate: Bearer error="insufficient_scope", scope="…", resource_metadata="…".`,
				"a 403 without error=\"insufficient_scope\": clients cannot tell that re-authorization would help"))
		case c.Params["scope"] == "" || c.Params["resource_metadata"] == "":
			s.add(check.New("probes.insufficient-scope-params", check.Warn, "MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors",
				"Name the needed scopes and resource_metadata in the 403 challenge.",
				"the insufficient_scope challenge lacks scope or resource_metadata"))
		default:
			s.add(check.New("probes.insufficient-scope", check.Pass, "MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors", "",
				"403 insufficient_scope with scope=%q and resource_metadata", c.Params["scope"]))
		}
	}
	return nil
}

// probeOtherResource asks for a token bound to another resource and offers
// it to this server, which must refuse it (audience validation, RFC 8707;
// MCP forbids token passthrough). It needs a second authorization, so it
// runs only headless, and only when the authorization server mints one.
func (e *Engine) probeOtherResource(ctx context.Context, s *stepCtx) error {
	if !e.cfg.Headless || e.client == nil || e.as == nil {
		s.res.Summary = "could not run: needs a second, headless authorization (run with --headless)"
		return nil
	}
	other := strings.TrimSuffix(e.resource, "/") + "/mcpwalk-other-resource"
	tok, err := e.mintFor(ctx, s, other)
	if err != nil {
		s.add(check.New("probes.other-resource-unavailable", check.Info, "RFC 8707 §2", "",
			"could not run: the authorization server did not issue a token for %q (%v)", other, err))
		return nil
	}
	resp, err := e.probeRequest(ctx, e.serverURL, e.withSession(http.Header{"Authorization": {"Bearer " + tok}}))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden && resp.StatusCode >= 300 {
		inconclusive(s, "probes.other-resource-inconclusive", resp.StatusCode, http.StatusUnauthorized)
		return nil
	}
	if resp.StatusCode < 300 {
		s.add(check.New("probes.other-resource-accepted", check.Fail,
			"MCP 2025-11-25 Authorization §Token Audience Binding and Validation; RFC 8707 §2",
			"Check that the token's audience is this server's canonical URI before serving the request.",
			"a token issued for %q was accepted (%d): the server does not check the audience", other, resp.StatusCode))
		return nil
	}
	s.add(check.New("probes.other-resource", check.Pass, "MCP 2025-11-25 Authorization §Token Audience Binding and Validation", "",
		"a token issued for another resource was refused (%d)", resp.StatusCode))
	return nil
}

// mintFor runs a headless authorization and token request for resource,
// with the walk's client, and returns the access token.
func (e *Engine) mintFor(ctx context.Context, s *stepCtx, resource string) (string, error) {
	if err := e.ensureReceiver(ctx); err != nil {
		return "", err
	}
	defer e.closeReceiver()
	p := &pending{issuer: e.issuer, verifier: newVerifier(), state: rand.Text(), redirect: e.client.RedirectURI, scopes: e.requested}
	e.deps.Secrets.Secret(p.verifier)
	conf := e.oauthConfig(p.scopes)
	authURL := conf.AuthCodeURL(p.state, e.authCodeOptions(p.verifier, resource)...)
	q, err := e.headless(ctx, authURL, p.redirect)
	if err != nil {
		return "", err
	}
	if q.Get("error") != "" {
		return "", fmt.Errorf("error=%q", q.Get("error"))
	}
	if q.Get("state") != p.state || q.Get("code") == "" {
		return "", fmt.Errorf("no usable authorization response")
	}
	e.deps.Secrets.Secret(q.Get("code"))
	if e.handBuiltTokenRequests() {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")}, "code_verifier": {p.verifier},
			"redirect_uri": {p.redirect}, "resource": {resource}}
		body, status, err := e.tokenRequest(ctx, s, e.as.TokenEndpoint, form, e.client.ID, e.client.Secret, e.client.AuthMethod)
		if err != nil {
			return "", err
		}
		e.deps.Secrets.Secret(body.AccessToken)
		e.deps.Secrets.Secret(body.RefreshToken)
		if body.Error != "" || body.AccessToken == "" {
			return "", fmt.Errorf("%d error=%q", status, body.Error)
		}
		if strings.EqualFold(body.TokenType, "DPoP") {
			e.dpop.bind(body.AccessToken)
		}
		return body.AccessToken, nil
	}
	tok, err := conf.Exchange(e.oauthContext(ctx), q.Get("code"), verifierParam(p.verifier), resourceParam(resource))
	if err != nil {
		return "", err
	}
	e.deps.Secrets.Secret(tok.AccessToken)
	e.deps.Secrets.Secret(tok.RefreshToken)
	return tok.AccessToken, nil
}

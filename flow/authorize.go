package flow

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
	"golang.org/x/oauth2"
)

const (
	specScopes = "MCP 2025-11-25 Authorization §Scope Selection Strategy"
	specPKCE   = "MCP 2025-11-25 Authorization §Authorization Code Protection; OAuth 2.1 §4.1.1"
	specIss    = "MCP 2026-07-28 Authorization §Authorization Response Validation; RFC 9207 §2.4"
	specState  = "MCP 2025-11-25 Security Considerations §Open Redirection; RFC 6749 §10.12"
)

// pending is the per-request record kept between the authorization request
// and its response (AUTH-26 §Authorization Response Validation).
type pending struct {
	issuer, verifier, state, redirect string
	scopes                            []string
}

// oauthConfig is the x/oauth2 view of the walk's client and endpoints.
func (e *Engine) oauthConfig(scopes []string) *oauth2.Config {
	style := oauth2.AuthStyleInParams
	if e.client.AuthMethod == "client_secret_basic" {
		style = oauth2.AuthStyleInHeader
	}
	return &oauth2.Config{
		ClientID:     e.client.ID,
		ClientSecret: e.client.Secret,
		Endpoint:     oauth2.Endpoint{AuthURL: e.as.AuthorizationEndpoint, TokenURL: e.as.TokenEndpoint, AuthStyle: style},
		RedirectURL:  e.client.RedirectURI,
		Scopes:       scopes,
	}
}

// chooseScopes applies the selection order: user override, the challenge's
// scope, PRM scopes_supported, else none; then the union with what was
// requested before (SEP-2350) and offline_access when the AS offers it.
func (e *Engine) chooseScopes(s *stepCtx, challenged []string) []string {
	var scopes []string
	var rule string
	switch {
	case len(e.cfg.Scopes) > 0:
		scopes, rule = e.cfg.Scopes, "--scope"
	case e.challenge != nil && e.challenge.Params["scope"] != "":
		scopes, rule = strings.Fields(e.challenge.Params["scope"]), "the WWW-Authenticate scope"
		e.checkChallengedScopes(s, scopes)
	case e.prm != nil && e.prm.Metadata != nil && len(e.prm.Metadata.ScopesSupported) > 0:
		scopes, rule = e.prm.Metadata.ScopesSupported, "PRM scopes_supported"
	default:
		rule = "none advertised: scope omitted"
	}
	if len(challenged) > 0 {
		scopes = union(scopes, challenged)
		rule += " + the 403 insufficient_scope challenge"
	}
	scopes = union(e.requested, scopes)
	if containsFold(e.as.ScopesSupported, "offline_access") && !contains(scopes, "offline_access") &&
		(e.client.GrantTypes == nil || contains(e.client.GrantTypes, "refresh_token")) && len(e.cfg.Scopes) == 0 {
		scopes = append(scopes, "offline_access")
		rule += " + offline_access (the authorization server lists it)"
	}
	s.add(check.New("authorize.scope", check.Pass, specScopes, "", "scope %q chosen from %s", strings.Join(scopes, " "), rule))
	return scopes
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, x := range b {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// authorize runs the initial authorization.
func (e *Engine) authorize(ctx context.Context, s *stepCtx) error {
	return e.authorizeScopes(ctx, s, nil)
}

// authorizeScopes builds the authorization request, gets the response
// (browser or headless) and validates it; the code lands in e.code.
func (e *Engine) authorizeScopes(ctx context.Context, s *stepCtx, challenged []string) error {
	if !containsFold(e.as.CodeChallengeMethodsSupported, "S256") && !e.cfg.Lenient {
		return fail("Advertise code_challenge_methods_supported: [\"S256\"] and support it.",
			"the authorization server does not offer PKCE S256; a compliant client must refuse")
	}
	if err := e.ensureReceiver(ctx); err != nil {
		return err
	}
	scopes := e.chooseScopes(s, challenged)
	p := &pending{issuer: e.issuer, verifier: newVerifier(), state: rand.Text(), redirect: e.client.RedirectURI, scopes: scopes}
	e.deps.Secrets.Secret(p.verifier)
	e.requested = scopes
	conf := e.oauthConfig(scopes)
	opts := e.authCodeOptions(p.verifier, e.resource)
	for k, v := range e.cfg.AuthParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	authURL := conf.AuthCodeURL(p.state, opts...)
	s.add(check.New("authorize.pkce", check.Pass, specPKCE, "", "code_challenge_method=S256 with a fresh verifier"))
	s.add(check.New("authorize.resource", check.Pass, "RFC 8707 §2; MCP 2025-06-18 Authorization §Resource Parameter Implementation", "",
		"resource=%q", e.resource))
	s.data(map[string]any{"authorization_url": authURL, "scopes": scopes, "redirect_uri": p.redirect, "state_sent": true})
	e.emit(Event{Kind: EventAuthURL, Step: StepAuthorize, Note: authURL})

	var q url.Values
	var err error
	if e.cfg.Headless {
		q, err = e.headless(ctx, authURL, p.redirect)
	} else {
		q, err = e.viaBrowser(ctx, authURL)
	}
	var cf *checkFailure
	if errors.As(err, &cf) {
		s.add(cf.c)
		return nil
	}
	if err != nil {
		return err
	}
	code, err := e.validateCallback(s, p, q)
	if err != nil || code == "" {
		return err
	}
	e.code, e.pending = code, p
	s.res.Summary = fmt.Sprintf("authorization code received for scope %q", strings.Join(scopes, " "))
	return nil
}

func (e *Engine) viaBrowser(ctx context.Context, authURL string) (url.Values, error) {
	// The wait starts before the launcher runs: a launcher that blocks
	// (xdg-open waits for some browsers) must not stretch --auth-wait.
	wctx, cancel := context.WithTimeout(ctx, e.cfg.AuthWait)
	defer cancel()
	if err := e.deps.Browser.Open(authURL); err != nil {
		e.note(StepAuthorize, "Could not open a browser (%v). Open this URL yourself:\n%s", err, authURL)
	} else {
		e.note(StepAuthorize, "Opened the browser; waiting for the redirect to %s", e.client.RedirectURI)
	}
	q, err := e.receiver.Wait(wctx)
	if err != nil {
		return nil, fail("Finish the login in the browser within the time limit, or use --headless for authorization servers that approve without a person.",
			"waiting for the authorization response at %s: %v", e.client.RedirectURI, err)
	}
	return q, nil
}

// validateCallback applies, in order: one value per parameter, the RFC 9207
// iss table (before anything else of the response is used, error text
// included), the error response, state, and the code.
func (e *Engine) validateCallback(s *stepCtx, p *pending, q url.Values) (string, error) {
	// The code is a secret whether or not the response is accepted.
	for _, c := range q["code"] {
		e.deps.Secrets.Secret(c)
	}
	for _, k := range []string{"code", "state", "iss"} {
		if len(q[k]) > 1 {
			s.add(check.New("authorize.duplicate-param", check.Fail, "RFC 6749 §3.1", "Send each response parameter once.",
				"the authorization response repeats %q %d times", k, len(q[k])))
			if !e.cfg.Lenient {
				return "", nil
			}
		}
	}
	if !e.checkIss(s, p, q) && !e.cfg.Lenient {
		return "", nil
	}
	if q.Get("error") != "" {
		s.add(e.authorizationError(q))
		return "", nil
	}
	if got := q.Get("state"); got != p.state {
		what := "a different state"
		if got == "" {
			what = "no state"
		}
		s.add(check.New("authorize.state", check.Fail, specState, "Return the state parameter unchanged.",
			"the authorization response carries %s; discarding it", what))
		if !e.cfg.Lenient {
			return "", nil
		}
	}
	s.add(check.New("authorize.state", check.Pass, specState, "", "state matches"))
	code := q.Get("code")
	if code == "" {
		s.add(check.New("authorize.code", check.Fail, "RFC 6749 §4.1.2", "Return the code parameter on success.",
			"the authorization response has neither code nor error"))
		return "", nil
	}
	return code, nil
}

// checkIss implements the four rows of the RFC 9207 table; it reports
// whether the response may be used.
func (e *Engine) checkIss(s *stepCtx, p *pending, q url.Values) bool {
	advertised := e.as.AuthorizationResponseIssParameterSupported
	iss, present := q["iss"]
	switch {
	case present && iss[0] != p.issuer:
		s.add(check.New("authorize.iss-mismatch", check.Fail, specIss,
			"Make the authorization server send its own issuer identifier, exactly as in its metadata.",
			"iss=%q but the recorded issuer is %q: possible mix-up attack; response discarded", iss[0], p.issuer))
		return false
	case present && !advertised:
		s.add(check.New("authorize.iss-unadvertised", check.Warn, "RFC 9207 §3; MCP 2026-07-28 Authorization",
			"Set authorization_response_iss_parameter_supported: true in the metadata.",
			"iss=%q matches, but the metadata does not advertise authorization_response_iss_parameter_supported", iss[0]))
	case present:
		s.add(check.New("authorize.iss", check.Pass, specIss, "", "iss matches the recorded issuer %q", p.issuer))
	case advertised:
		s.add(check.New("authorize.iss-missing", check.Fail, specIss,
			"Include iss in every authorization response, as the metadata promises.",
			"the metadata advertises authorization_response_iss_parameter_supported but the response has no iss; response discarded"))
		return false
	default:
		s.add(check.New("authorize.iss-absent", check.Warn, specIss+" (SHOULD)",
			"Send iss in authorization responses and advertise authorization_response_iss_parameter_supported (RFC 9207).",
			"no iss in the response and none advertised; mix-up protection rests on distinct redirect URIs"))
	}
	return true
}

// ensureReceiver listens again on the registered redirect URI's port: a
// receiver delivers once, and a re-authorization needs a fresh one at the
// same address, since the redirect URI was registered with that port.
func (e *Engine) ensureReceiver(ctx context.Context) error {
	if e.receiver != nil {
		return nil
	}
	at := e.callbackAddr(e.client.RedirectURI, 0)
	r, err := e.deps.Listen(ctx, at)
	if err != nil {
		return fail("Free the port, or pick a fixed one with --callback-port.", "listening again for the redirect on port %d: %v", at.Port, err)
	}
	e.receiver = r
	return nil
}

package flow

import (
	"context"
	"crypto/rand"
	"errors"
	"net"
	"net/url"
	"strconv"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
	"golang.org/x/oauth2"
)

// Probes of the authorization server's own enforcement, each a second
// headless authorization with the walk's client: redirect URIs validated
// (exactly, but any port for a loopback IP) and PKCE verified. They never
// receive anything at the odd redirect URIs: the headless client stops at
// the redirect and only reads where it points.

const (
	specRedirectValidation = "MCP 2025-11-25 Security Considerations §Open Redirection (authorization servers MUST validate exact redirect URIs); RFC 6749 §3.1.2.2, §4.1.2.1"
	specLoopbackPort       = "RFC 8252 §7.3 (authorization servers MUST allow any port for loopback IP redirect URIs)"
	specPKCEVerify         = "RFC 7636 §4.6 (the server MUST verify code_verifier); OAuth 2.1 §4.1.3"
)

// headlessReady says why a headless authorization cannot be made, "" when
// it can.
func (e *Engine) headlessReady() string {
	switch {
	case !e.cfg.Headless:
		return "could not run: needs a second, headless authorization (run with --headless)"
	case !e.interactive() || e.client == nil || e.as == nil || e.client.RedirectURI == "":
		return "could not run: no authorization code flow with a redirect URI in this walk"
	}
	return ""
}

// authorizeTo makes an authorization request that names redirect as its
// redirect_uri and returns the response query when the authorization
// server redirected there, or the check headless made of what it did
// instead (an error page, a redirect elsewhere).
func (e *Engine) authorizeTo(ctx context.Context, redirect, verifier string) (url.Values, *check.Check, error) {
	conf := e.oauthConfig(e.requested)
	conf.RedirectURL = redirect
	authURL := conf.AuthCodeURL(rand.Text(), s256(verifier), resourceParam(e.resource))
	q, err := e.headless(ctx, authURL, redirect)
	var cf *checkFailure
	if errors.As(err, &cf) {
		return nil, &cf.c, nil
	}
	return q, nil, err
}

func (e *Engine) probeRedirectURI(ctx context.Context, s *stepCtx) error {
	if why := e.headlessReady(); why != "" {
		s.res.Summary = why
		return nil
	}
	reg, err := url.Parse(e.client.RedirectURI)
	if err != nil {
		return err
	}
	// Another host altogether: an authorization server that redirects
	// there hands codes to any site that names itself.
	remote := "https://mcpwalk-probe.invalid" + reg.EscapedPath()
	q, other, err := e.authorizeTo(ctx, remote, newVerifier())
	switch {
	case err != nil:
		inconclusiveWhy(s, "probes.redirect-uri-inconclusive", "an authorization request with an unregistered redirect_uri", err)
	case q != nil:
		s.add(check.New("probes.redirect-uri-not-validated", check.Fail, specRedirectValidation,
			"Compare the redirect_uri of every authorization request with the registered ones, exactly (any port only for a loopback IP), and show an error page instead of redirecting when it differs.",
			"the authorization server redirected to %s, a redirect_uri on a host that is not registered (registered: %s): an open redirector hands codes to whoever names the URI", remote, e.client.RedirectURI))
	default:
		s.add(check.New("probes.redirect-uri", check.Pass, specRedirectValidation, "",
			"an unregistered redirect_uri on another host was not redirected to: %s", refusal(other)))
	}
	if reg.Scheme != "http" || !discovery.IsLoopbackHost(reg.Hostname()) {
		return nil
	}
	// The registered loopback URI with another path: only the port may
	// vary (RFC 8252 §7.3).
	bad := *reg
	bad.Path += "-mcpwalk-unregistered"
	if q, _, err = e.authorizeTo(ctx, bad.String(), newVerifier()); err == nil && q != nil {
		s.add(check.New("probes.redirect-uri-path", check.Warn, specRedirectValidation+"; "+specLoopbackPort+" (only the port may vary)",
			"Match loopback redirect URIs on scheme, host and path; let only the port vary.",
			"the authorization server redirected to %s, the registered loopback redirect URI with another path: expected only the port to be allowed to vary", bad.String()))
	}
	if net.ParseIP(reg.Hostname()) == nil {
		return nil // the any-port rule is for loopback IP literals only
	}
	moved := *reg
	port, _ := strconv.Atoi(reg.Port())
	moved.Host = net.JoinHostPort(reg.Hostname(), strconv.Itoa(otherPort(port)))
	q, other, err = e.authorizeTo(ctx, moved.String(), newVerifier())
	switch {
	case err != nil:
		inconclusiveWhy(s, "probes.redirect-uri-inconclusive", "an authorization request with another loopback port", err)
	case q != nil:
		s.add(check.New("probes.loopback-port", check.Pass, specLoopbackPort, "", "a loopback redirect_uri on another port (%s) was honoured", moved.Host))
	default:
		s.add(check.New("probes.loopback-port-refused", check.Warn, specLoopbackPort,
			"Match loopback IP redirect URIs on scheme, host and path, ignoring the port; native clients listen on whatever port is free.",
			"the registered redirect URI %s with port %s instead was refused (%s); expected any port to be accepted for a loopback IP: clients that listen on an ephemeral port cannot log in", e.client.RedirectURI, moved.Port(), refusal(other)))
	}
	return nil
}

// otherPort is a port other than p, for the loopback probe.
func otherPort(p int) int {
	if p >= 65535 || p == 0 {
		return 49152
	}
	return p + 1
}

func (e *Engine) probePKCE(ctx context.Context, s *stepCtx) error {
	if why := e.headlessReady(); why != "" {
		s.res.Summary = why
		return nil
	}
	q, other, err := e.authorizeTo(ctx, e.client.RedirectURI, newVerifier())
	switch {
	case err != nil:
		inconclusiveWhy(s, "probes.pkce-inconclusive", "a second authorization", err)
		return nil
	case other != nil || q.Get("code") == "":
		s.add(check.New("probes.pkce-inconclusive", check.Info, specPKCEVerify, "", "could not run: the second authorization gave no code (%s)", describeOutcome(other, q)))
		return nil
	}
	// Redeem the code with a verifier of another challenge.
	conf := e.oauthConfig(e.requested)
	tok, err := conf.Exchange(e.oauthContext(ctx), q.Get("code"), verifierParam(newVerifier()), resourceParam(e.resource))
	var re *oauth2.RetrieveError
	switch {
	case err == nil:
		e.deps.Secrets.Secret(tok.AccessToken)
		e.deps.Secrets.Secret(tok.RefreshToken)
		s.add(check.New("probes.pkce-not-verified", check.Fail, specPKCEVerify,
			"Store the code_challenge with the code and compare BASE64URL(SHA256(code_verifier)) with it at the token endpoint; refuse with invalid_grant when they differ.",
			"the token endpoint issued a token for a code redeemed with a code_verifier that does not match its code_challenge: PKCE is not verified, so an intercepted code can be redeemed"))
	case errors.As(err, &re):
		s.add(check.New("probes.pkce", check.Pass, specPKCEVerify, "", "a code redeemed with the wrong code_verifier was refused (%d error=%q)", re.Response.StatusCode, re.ErrorCode))
	default:
		inconclusiveWhy(s, "probes.pkce-inconclusive", "the token request with a wrong code_verifier", err)
	}
	return nil
}

// refusal says how the authorization server declined a redirect URI.
func refusal(c *check.Check) string {
	switch {
	case c == nil:
		return "refused"
	case c.ID == "authorize.error-page":
		return "it showed an error page"
	case c.ID == "authorize.redirect-mismatch":
		return "it redirected to the registered URI instead"
	}
	return c.Message
}

func describeOutcome(c *check.Check, q url.Values) string {
	if c != nil {
		return c.Message
	}
	if q.Get("error") != "" {
		return "error=" + q.Get("error")
	}
	return "no code in the response"
}

// inconclusiveWhy records a probe that could not get the answer it needs.
func inconclusiveWhy(s *stepCtx, id, what string, err error) {
	s.add(check.New(id, check.Info, "", "", "could not run: %s failed: %v", what, err))
}

package flow

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Checks of the probe step beyond the status and the challenge itself:
// what the answer says about the transport, and about the scopes named.

const (
	specTLS       = "OAuth 2.1 §1.5 (Communication Security); RFC 6750 §5.3 (clients MUST use TLS with bearer tokens); RFC 9110 §4.3.4"
	specBearerTLS = "RFC 6750 §5.3; OAuth 2.1 §1.5; MCP 2025-11-25 Authorization §Communication Security"
)

// certificateProblem says why a request failed TLS verification, "" when
// the error is not about the certificate.
func certificateProblem(err error) string {
	var (
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &unknown):
		return "it is signed by an authority this machine does not trust (self-signed, a private CA, or an incomplete chain): " + unknown.Error()
	case errors.As(err, &hostname):
		return "it is not valid for this host name: " + hostname.Error()
	case errors.As(err, &invalid):
		return "it is invalid (expired, not yet valid, or not for serving): " + invalid.Error()
	case errors.As(err, &verify):
		return verify.Error()
	}
	return ""
}

// statusHint explains what an unexpected answer to the unauthenticated
// request usually means, and what clients then do.
func statusHint(status int) string {
	switch {
	case status == http.StatusNotFound:
		return "; the URL is not the MCP endpoint, or the server routes (and answers 404) before it checks authorization. " +
			"Clients that get 404 here fall back to the old HTTP+SSE transport and report a transport error instead of \"needs authorization\""
	case status == http.StatusMethodNotAllowed:
		return "; the endpoint refuses POST: an HTTP+SSE (2024-11-05) server, or a method check that runs before authorization. " +
			"Clients then fall back to HTTP+SSE and report \"SSE error: Non-200 status code (405)\""
	case status == http.StatusBadRequest:
		return "; the request was refused before authorization was checked (and again in 2026-07-28 form); clients take it for a transport or version problem"
	case status >= 300 && status < 400:
		return "; a redirect that was not followed: the MCP endpoint must answer at its own URL"
	case status >= 500:
		return "; the server failed instead of asking for a token"
	}
	return ""
}

// checkTransportSecurity flags a server that asks for a bearer token over
// plain http to a host that is not this machine: the token would cross
// the network in clear.
func (e *Engine) checkTransportSecurity(s *stepCtx, canon string) {
	u, err := url.Parse(canon)
	if err != nil || u.Scheme != "http" || discovery.IsLoopbackHost(u.Hostname()) {
		return
	}
	s.add(check.New("probe.insecure-http", check.Fail, specBearerTLS,
		"Serve the MCP endpoint over https (terminate TLS in front of it); --lenient carries on and sends the token over http anyway.",
		"%s asks for a bearer token over plain http to %q, which is not a loopback host: expected an https URL, since the token would travel in clear",
		canon, u.Hostname()))
}

// checkChallengeScope flags scopes a resource server should not name in
// its challenge.
func checkChallengeScope(s *stepCtx, scope string) {
	for _, sc := range strings.Fields(scope) {
		if sc == "offline_access" {
			s.add(check.New("probe.offline-access", check.Warn, "MCP 2026-07-28 Authorization §Refresh Tokens",
				"Drop offline_access from the challenge's scope: whether a client gets refresh tokens is between it and the authorization server.",
				"the challenge's scope %q names offline_access; a resource server SHOULD NOT ask for it", scope))
			return
		}
	}
}

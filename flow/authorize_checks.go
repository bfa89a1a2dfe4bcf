package flow

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

// What the authorization endpoint can answer instead of redirecting back
// with a code: an error response (after the iss check), an error page that
// never redirects (a redirect URI or client it does not accept), or a
// redirect to another redirect URI than the one sent.

const specAuthzError = "RFC 6749 §4.1.2.1 (error response; no redirect for an invalid redirect_uri or client_id)"

// checkFailure is an error that is, in fact, a failing check of the step.
type checkFailure struct{ c check.Check }

func (f *checkFailure) Error() string { return f.c.Message }

// authorizationError turns an error response (error=… in the redirect) into
// a check naming the code, and what the usual cause is.
func (e *Engine) authorizationError(q url.Values) check.Check {
	code, desc := q.Get("error"), q.Get("error_description")
	if code == "invalid_target" {
		return check.New("authorize.invalid-target", check.Fail, "RFC 8707 §2 (invalid_target); MCP 2025-06-18 Authorization §Resource Parameter Implementation",
			"Configure the authorization server to accept the MCP server's canonical URI as a resource (an API or audience registered for it), or pass --resource with the identifier it knows.",
			"the authorization server refused resource=%q with error=\"invalid_target\" %s; expected a code for that resource", e.resource, desc)
	}
	hint := map[string]string{
		"invalid_scope":       "; the scopes requested are unknown to it: compare the challenge's scope and PRM scopes_supported with the authorization server's scopes",
		"unauthorized_client": "; the client may not use the authorization code grant, or the authorization server does not know it any more",
		"invalid_client":      "; the authorization server does not know this client_id (a forgotten registration, an unfetchable Client ID Metadata Document)",
		"access_denied":       "; the user, or a policy of the authorization server, declined",
		"invalid_request":     "; a parameter is missing or malformed (its description says which)",
	}[code]
	return check.New("authorize.error", check.Fail, specAuthzError,
		"Read error_description; fix the authorization server's configuration for this client, or the request parameters it names.",
		"the authorization server answered error=%q %s%s", code, desc, hint)
}

// redirectMismatch: the authorization server redirected to another
// redirect URI than the one in the request.
func redirectMismatch(got, sent string) check.Check {
	return check.New("authorize.redirect-mismatch", check.Fail, "RFC 6749 §3.1.2, §4.1.2 (the response goes to the redirect_uri of the request); RFC 8252 §7.3",
		"Make the authorization server redirect to the redirect_uri of the request; for a pre-registered client, register the one mcpwalk uses (see --callback-port, --callback-path).",
		"the authorization server redirected to %s, not to the redirect URI sent, %s%s", got, sent, uriDifference(got, sent))
}

// uriDifference says what differs between two redirect URIs.
func uriDifference(got, sent string) string {
	g, err1 := url.Parse(got)
	w, err2 := url.Parse(sent)
	switch {
	case err1 != nil || err2 != nil:
		return ""
	case g.Hostname() != w.Hostname():
		return fmt.Sprintf(" (the host differs: %s vs %s; exact-match authorization servers treat localhost and 127.0.0.1 as different)", g.Hostname(), w.Hostname())
	case g.Port() != w.Port():
		return fmt.Sprintf(" (the port differs: %q vs %q; RFC 8252 §7.3 requires any port to be accepted for a loopback IP)", g.Port(), w.Port())
	case g.Path != w.Path:
		return fmt.Sprintf(" (the path differs: %s vs %s)", g.Path, w.Path)
	}
	return ""
}

var tags = regexp.MustCompile(`<[^>]*>`)

// errorPage: the authorization endpoint answered an error status and no
// redirect, which RFC 6749 prescribes for a redirect_uri or client_id it
// does not accept. The page's text and the client's origin say which.
func (e *Engine) errorPage(resp *http.Response, page []byte) check.Check {
	text := strings.Join(strings.Fields(tags.ReplaceAllString(string(page), " ")), " ")
	if len(text) > 200 {
		text = text[:200] + "…"
	}
	if text != "" {
		text = fmt.Sprintf(": %q", e.deps.Secrets.String(text))
	}
	var hint string
	switch {
	case e.client == nil:
	case e.client.Source == "cimd":
		hint = "; the authorization server fetches the Client ID Metadata Document " + e.client.ID + ": it must reach it, and the document must list " + e.client.RedirectURI
	case e.client.Source == "pre-registered":
		hint = "; a pre-registered client's redirect URI must match what is registered: the port (--callback-port), localhost vs 127.0.0.1, the path (--callback-path)"
	case e.storedClient != nil && e.storedClient.ClientID == e.client.ID:
		hint = "; this client_id was registered by an earlier run: an authorization server that forgot it (a restart, in-memory registrations) refuses it; `mcpwalk logout` forgets it here too"
	default:
		hint = "; the client was registered a moment ago with this redirect URI: an authorization server that refuses it now does not honour its own registration (registrations not shared between instances?)"
	}
	u := resp.Request.URL
	return check.New("authorize.error-page", check.Fail, specAuthzError,
		"Read the page: fix the redirect URI or the client the authorization server refuses (see the hint), then try again.",
		"the authorization endpoint %s answered %d %s without redirecting back%s; expected a redirect to %s%s",
		u.Scheme+"://"+u.Host+u.Path, resp.StatusCode, resp.Header.Get("Content-Type"), text, e.clientRedirect(), hint)
}

func (e *Engine) clientRedirect() string {
	if e.client == nil {
		return "the redirect URI"
	}
	return e.client.RedirectURI
}

// looksLikeRedirectURI reports whether u, a redirect the authorization
// server at as sent, is an authorization response to a loopback redirect
// URI other than target.
func looksLikeRedirectURI(u, target *url.URL, as string) bool {
	a, err := url.Parse(as)
	return err == nil && u.Host != a.Host && discovery.IsLoopbackHost(u.Hostname()) && discovery.IsLoopbackHost(target.Hostname()) &&
		!sameEndpoint(u, target) && (u.Query().Has("code") || u.Query().Has("error"))
}

// checkChallengedScopes notes challenged scopes the PRM does not list:
// allowed (clients must assume no set relationship), but often a typo or a
// stale catalogue on one side.
func (e *Engine) checkChallengedScopes(s *stepCtx, challenged []string) {
	if e.prm == nil || e.prm.Metadata == nil || len(e.prm.Metadata.ScopesSupported) == 0 {
		return
	}
	if missing := difference(challenged, e.prm.Metadata.ScopesSupported); len(missing) > 0 {
		s.add(check.New("authorize.scope-not-advertised", check.Info, specScopes+" (clients MUST NOT assume a set relationship between the challenge and scopes_supported)", "",
			"the challenge asks for %q, which PRM scopes_supported %q does not list; requesting it as challenged", missing, e.prm.Metadata.ScopesSupported))
	}
}

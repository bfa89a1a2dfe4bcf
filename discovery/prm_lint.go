package discovery

import (
	"net/url"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Lints of Protected Resource Metadata beyond what RFC 9728 requires: the
// shape of the resource identifier, scopes that ask for everything, a
// resource_metadata URL that downgrades to http, and what a resource
// mismatch most likely comes from.

// checkHeaderURLScheme flags a resource_metadata URL over plain http to a
// remote host when the MCP server itself is https: whoever can change that
// answer can point clients at another authorization server.
func checkHeaderURLScheme(l *check.List, headerURL, mcpURL string) {
	h, err1 := url.Parse(headerURL)
	m, err2 := url.Parse(mcpURL)
	if headerURL == "" || err1 != nil || err2 != nil || h.Scheme != "http" || m.Scheme != "https" || isLoopbackHost(h.Hostname()) {
		return
	}
	l.Addf("prm.header-url-insecure", check.Warn, "RFC 9728 §7.1 (TLS for metadata); "+specPRMDiscovery,
		"Send resource_metadata as an https URL, like the MCP endpoint itself",
		"the resource_metadata URL %s is plain http to %q while the MCP server is https; expected an https URL", headerURL, h.Hostname())
}

// lintResource flags a resource identifier with a query (RFC 8707 §2:
// SHOULD NOT), which many authorization servers refuse as a resource.
func lintResource(l *check.List, resource string) {
	u, err := url.Parse(resource)
	if err != nil || u.RawQuery == "" && !u.ForceQuery {
		return
	}
	l.Addf("prm.resource-query", check.Warn, "RFC 8707 §2 (the resource SHOULD NOT include a query); MCP 2025-06-18 Authorization §Canonical Server URI",
		"Serve the MCP endpoint at a URL without a query, so that its resource identifier needs none",
		"PRM resource %q has a query %q; expected a URI without one", resource, "?"+u.RawQuery)
}

// broadScopes are scope names that ask for everything.
var broadScopes = map[string]bool{"*": true, "all": true, "admin": true, "root": true, "full": true, "full_access": true, "full-access": true}

// lintScopes flags catch-all scopes in scopes_supported: clients without a
// challenged scope request every advertised scope, so these are granted
// to every client that logs in.
func lintScopes(l *check.List, scopes []string) {
	var broad []string
	for _, s := range scopes {
		low := strings.ToLower(s)
		if broadScopes[low] || strings.HasSuffix(low, ":*") || strings.HasSuffix(low, "/*") || strings.HasSuffix(low, ".*") {
			broad = append(broad, s)
		}
	}
	if len(broad) == 0 {
		return
	}
	l.Addf("prm.broad-scopes", check.Warn, "MCP Security Best Practices §Scope Minimization; MCP 2025-11-25 Authorization §Scope Selection Strategy",
		"Advertise narrow scopes per capability in scopes_supported and name the one a request needs in the challenge",
		"PRM scopes_supported includes catch-all scope(s) %q; clients without a challenged scope request every scope listed, so each login is granted everything", broad)
}

// mismatchNote says what a resource mismatch most likely comes from.
func mismatchNote(got, want string) string {
	if got == "" || got == want {
		return ""
	}
	if n := slashNote(got, want); n != "" {
		return n
	}
	g, err1 := url.Parse(got)
	w, err2 := url.Parse(want)
	switch {
	case err1 != nil || err2 != nil || g.Host == "" || g.Scheme != "http" && g.Scheme != "https":
		return " (not a URL clients connect to: they compare the resource with the endpoint URL, so an API identifier or URN never matches; that belongs in the authorization server's audience settings)"
	case strings.EqualFold(got, want):
		return " (they differ only in letter case; the comparison is exact)"
	case g.Host == w.Host && g.Path == w.Path && g.Scheme != w.Scheme:
		return " (only the scheme differs: a server behind a TLS-terminating proxy builds its own URL with http; set its public base URL)"
	case g.Scheme != w.Scheme || !strings.EqualFold(g.Host, w.Host):
		return " (another origin: no client uses metadata for another origin)"
	case strings.HasPrefix(w.Path, strings.TrimSuffix(g.Path, "/")+"/") || g.Path == "" || g.Path == "/":
		return " (a parent path on the same origin: some clients, the TypeScript SDK among them, accept it; strict clients, the Go SDK and VS Code among them, refuse)"
	}
	return " (same origin, another path)"
}

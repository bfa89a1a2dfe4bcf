package flow

import (
	"net/http"
	"net/url"
	"slices"
)

// The fake's rules for clients and scopes: which redirect URIs it accepts,
// the CIMD document it serves, the scope a "secret" call lacks.

// clientDocument is the Client ID Metadata Document at cimdURL.
func (f *fake) clientDocument(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"client_id": f.cimdURL(), "client_name": "mcpwalk test", "redirect_uris": []string{"http://127.0.0.1/callback"},
		"grant_types": []string{"authorization_code", "refresh_token"}, "token_endpoint_auth_method": "none"})
}

// redirectOK: a registered redirect URI, exactly or (unless exactPort)
// on any port for a loopback IP; a client without a list may use any
// loopback URI.
func (f *fake) redirectOK(clientID, raw string) bool {
	if f.openRedirect {
		return true
	}
	f.mu.Lock()
	cl, ok := f.clients[clientID]
	f.mu.Unlock()
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || !slices.Contains([]string{"127.0.0.1", "localhost", "::1"}, u.Hostname()) {
		return false
	}
	if !ok || cl.redirects == nil {
		return u.Path == "/callback"
	}
	for _, r := range cl.redirects {
		ru, err := url.Parse(r)
		if r == raw || err == nil && !f.exactPort && ru.Hostname() == u.Hostname() && ru.Path == u.Path {
			return true
		}
	}
	return false
}

// missing is the scope a "secret" call with scopes lacks, for the
// challenge; "" when none is.
func (f *fake) missing(scopes []string) string {
	switch {
	case f.scopeBug:
		return "read write"
	case f.incremental && !containsScope(scopes, "write"):
		return "write"
	case f.incremental && !containsScope(scopes, "admin"):
		return "admin"
	case !containsScope(scopes, "write"):
		return "read write"
	}
	return ""
}

package discovery

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CanonicalResource returns the canonical URI of an MCP server, the value of
// the `resource` parameter in authorization and token requests (RFC 8707 §2;
// MCP 2025-06-18 Authorization §Canonical Server URI). raw must be an
// absolute http or https URL with a host and without a fragment. The scheme
// and host are lower-cased; the port, path and query are kept exactly as
// given (a trailing slash is neither added nor removed).
func CanonicalResource(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("resource %q: expected an absolute http or https URL: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("resource %q: expected an absolute http or https URL, got scheme %q", raw, u.Scheme)
	}
	if u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("resource %q: expected an absolute http or https URL with a host (%s://host/...)", raw, u.Scheme)
	}
	if strings.Contains(raw, "#") {
		return "", fmt.Errorf("resource %q: expected no fragment (RFC 8707 §2 forbids one), got %q", raw, raw[strings.Index(raw, "#"):])
	}
	// Rebuild from the original string so that the path and query keep
	// their exact escaping; only scheme and host are case-folded.
	i := strings.Index(raw, "://")
	rest := raw[i+3:]
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo := ""
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		userinfo, authority = authority[:at+1], authority[at+1:]
	}
	return u.Scheme + "://" + userinfo + strings.ToLower(authority) + tail, nil
}

// origin returns "scheme://host[:port]" of an absolute URL, with the host
// and port as given.
func origin(raw string) (string, *url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", nil, false
	}
	return u.Scheme + "://" + u.Host, u, true
}

// isLoopbackHost reports whether host (without port) is localhost or a
// loopback address (127.0.0.0/8, ::1).
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkServerURL validates a URL that mcpwalk will send a request or the
// user's browser to: absolute, with a host, https, or http only to a
// loopback host (OAuth 2.1 §1.5; MCP Security Best Practices §OAuth
// Authorization URL Validation). It returns why the URL is refused, or "".
func checkServerURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Sprintf("expected an absolute https URL, got an unparsable value (%v)", err)
	case !u.IsAbs():
		return "expected an absolute https URL, got a relative URL"
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Sprintf("expected https (or http to a loopback host), got scheme %q", u.Scheme)
	case u.Host == "":
		return "expected an absolute https URL with a host, got none"
	case u.Scheme == "http" && !isLoopbackHost(u.Hostname()):
		return fmt.Sprintf("expected https, got http to the non-loopback host %q", u.Hostname())
	}
	return ""
}

// IsLoopbackHost reports whether host is localhost or a loopback address
// (127.0.0.0/8, ::1): the development case where plain http is allowed.
func IsLoopbackHost(host string) bool { return isLoopbackHost(host) }

package discovery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// SSRF guard for metadata URLs (RFC 9728 §7.7; MCP Security Best Practices
// §Server-Side Request Forgery). A server under test can make a client
// request any URL it names: resource_metadata, authorization_servers, the
// endpoints and jwks_uri of the authorization server metadata. A URL that
// names an internal destination by IP literal is flagged and, for what
// discovery fetches itself, not fetched at all. Names are not resolved here;
// only what the URL itself says is judged.
//
// Loopback is the development case and never flagged. When the MCP server
// the user chose is itself on a private network (its host is a private,
// shared or unique-local address, or a private-use name), other private
// destinations are expected and not flagged either; link-local addresses
// (cloud instance metadata lives at 169.254.169.254), unspecified and
// multicast addresses and odd encodings are flagged wherever the server is.

const (
	// SSRFCheckID is the check id of every SSRF flag.
	SSRFCheckID = "discovery.ssrf-suspicious-url"
	specSSRF    = "RFC 9728 §7.7; MCP Security Best Practices §Server-Side Request Forgery (SSRF)"
	fixSSRF     = "Publish metadata and endpoint URLs on public https hosts (or loopback in development). An internal address in metadata is usually a reverse proxy or container leaking its own view of the network (fix the public base URL / issuer setting); otherwise the server is steering clients at internal services."
)

// ssrfVerdict is what the guard says about one URL.
type ssrfVerdict struct {
	// why is empty when nothing is suspicious.
	why string
	// refuse is true when the URL must not be fetched.
	refuse bool
}

// SuspiciousURL says whether a URL found in metadata points somewhere a
// client should not be steered to (SSRF), given the MCP server URL the
// user chose (which decides whether private destinations are expected).
// reason is "" when the URL is fine; refuse is true when it must not be
// requested at all. Only the URL text is judged: names are not resolved.
func SuspiciousURL(raw, serverURL string) (reason string, refuse bool) {
	v := classifyURL(raw, privateContext(serverURL))
	return v.why, v.refuse
}

// privateContext reports whether the MCP server itself lives on a private
// network, so that private destinations are expected.
func privateContext(serverURL string) bool {
	u, err := url.Parse(serverURL)
	if err != nil || u.Host == "" {
		return false
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if a, err := netip.ParseAddr(h); err == nil {
		a = a.Unmap()
		return a.IsLoopback() || a.IsPrivate() || cgnat.Contains(a)
	}
	return isLoopbackHost(h) || privateName(h) != ""
}

var (
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	thisNet   = netip.MustParsePrefix("0.0.0.0/8")
	reserved4 = netip.MustParsePrefix("240.0.0.0/4")
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	cloudMeta = netip.MustParseAddr("169.254.169.254")
	awsMeta6  = netip.MustParseAddr("fd00:ec2::254")
)

// classifyURL judges one URL; private says private destinations are
// expected (the MCP server is itself on a private network).
func classifyURL(raw string, private bool) ssrfVerdict {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ssrfVerdict{} // other checks report unusable URLs
	}
	host := strings.ToLower(u.Hostname())
	trimmed := strings.TrimSuffix(host, ".")
	if a, err := netip.ParseAddr(trimmed); err == nil {
		if trimmed != host {
			return ssrfVerdict{fmt.Sprintf("the IP literal %s is written with a trailing dot, an odd encoding resolvers treat differently", trimmed), true}
		}
		return classifyAddr(a, private)
	}
	if a, ok := parseLooseIPv4(trimmed); ok {
		return ssrfVerdict{fmt.Sprintf("the host %q is an odd encoding of the IPv4 address %s (decimal, octal, hex or shortened form); resolvers disagree on such forms", host, a), true}
	}
	if isLoopbackHost(trimmed) || strings.HasSuffix(trimmed, ".localhost") {
		return ssrfVerdict{}
	}
	switch trimmed {
	case "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal":
		return ssrfVerdict{fmt.Sprintf("the host %q is a cloud instance metadata service", host), true}
	}
	if why := privateName(trimmed); why != "" && !private {
		return ssrfVerdict{fmt.Sprintf("the host %q %s; it resolves only inside a private network (not resolved here, fetched as named)", host, why), false}
	}
	return ssrfVerdict{}
}

func classifyAddr(a netip.Addr, private bool) ssrfVerdict {
	if a.Zone() != "" {
		return ssrfVerdict{fmt.Sprintf("the IPv6 literal %s carries a zone, which only means something on this machine", a), true}
	}
	if a.Is4In6() {
		return ssrfVerdict{fmt.Sprintf("%s is an IPv4-mapped IPv6 literal for %s, an odd encoding that hides the IPv4 address", a, a.Unmap()), true}
	}
	if a.Is6() && nat64.Contains(a) {
		b := a.As16()
		v4 := netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
		if v := classifyAddr(v4, private); v.why != "" {
			return ssrfVerdict{fmt.Sprintf("%s embeds %s (NAT64): %s", a, v4, v.why), true}
		}
		return ssrfVerdict{}
	}
	if a.Is6() && !a.IsUnspecified() && !a.IsLoopback() && isV4Compatible(a) {
		return ssrfVerdict{fmt.Sprintf("%s is an IPv4-compatible IPv6 literal (deprecated), an odd encoding", a), true}
	}
	switch {
	case a.IsLoopback():
		return ssrfVerdict{}
	case a == cloudMeta || a == awsMeta6:
		return ssrfVerdict{fmt.Sprintf("%s is the cloud instance metadata address (credentials live there)", a), true}
	case a.IsUnspecified() || thisNet.Contains(a):
		return ssrfVerdict{fmt.Sprintf("%s is an unspecified (\"this host\") address; connecting to it reaches the local machine", a), true}
	case a.IsLinkLocalUnicast():
		return ssrfVerdict{fmt.Sprintf("%s is link-local (%s)", a, pick(a.Is4(), "169.254.0.0/16", "fe80::/10")), true}
	case a.IsMulticast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast():
		return ssrfVerdict{fmt.Sprintf("%s is a multicast address", a), true}
	case a.Is4() && (reserved4.Contains(a) || a == netip.AddrFrom4([4]byte{255, 255, 255, 255})):
		return ssrfVerdict{fmt.Sprintf("%s is a reserved or broadcast address", a), true}
	case private:
		return ssrfVerdict{}
	case a.IsPrivate():
		return ssrfVerdict{fmt.Sprintf("%s is a private address (%s)", a, pick(a.Is4(), "RFC 1918", "unique local, fc00::/7")), true}
	case cgnat.Contains(a):
		return ssrfVerdict{fmt.Sprintf("%s is in the shared address space 100.64.0.0/10 (carrier-grade NAT, RFC 6598)", a), true}
	}
	return ssrfVerdict{}
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// isV4Compatible reports ::a.b.c.d (the first 96 bits zero).
func isV4Compatible(a netip.Addr) bool {
	b := a.As16()
	for _, x := range b[:12] {
		if x != 0 {
			return false
		}
	}
	return true
}

// privateName says why a DNS name is private-use, or "".
func privateName(h string) string {
	for _, s := range []string{"internal", "local", "lan", "intranet", "corp", "home.arpa", "localdomain"} {
		if h == s || strings.HasSuffix(h, "."+s) {
			return "is under the private-use suffix ." + s
		}
	}
	return ""
}

// parseLooseIPv4 parses the forms inet_aton accepts that are not a
// canonical dotted quad: one to four parts, each decimal, octal (leading
// 0) or hex (0x), the last filling the remaining bytes.
func parseLooseIPv4(h string) (netip.Addr, bool) {
	if h == "" || strings.Trim(h, "0123456789abcdefx.") != "" {
		return netip.Addr{}, false
	}
	parts := strings.Split(h, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		base, digits := 10, p
		switch {
		case strings.HasPrefix(p, "0x"):
			base, digits = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, digits = 8, p[1:]
		}
		if digits == "" {
			return netip.Addr{}, false
		}
		v, err := strconv.ParseUint(digits, base, 32)
		if err != nil {
			return netip.Addr{}, false
		}
		vals[i] = v
	}
	var n uint64
	for i, v := range vals[:len(vals)-1] {
		if v > 255 {
			return netip.Addr{}, false
		}
		n |= v << (8 * (3 - i))
	}
	last := vals[len(vals)-1]
	if last >= 1<<(8*(5-len(vals))) {
		return netip.Addr{}, false
	}
	n |= last
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

// getJSONGuarded is GetJSON behind the SSRF guard: a URL the guard refuses
// is not requested and fails with a *FetchError saying why, and a redirect
// to such a URL is not followed.
func getJSONGuarded[T any](ctx context.Context, f *Fetcher, rawURL, serverURL string) (doc T, raw map[string]any, status int, contentType string, err error) {
	private := privateContext(serverURL)
	if v := classifyURL(rawURL, private); v.refuse {
		return doc, nil, 0, "", &FetchError{URL: rawURL, Reason: "not fetched (SSRF guard): " + v.why}
	}
	return GetJSON[T](ctx, guardRedirects(f.Client, private), rawURL, f.MaxBytes, f.Header)
}

// guardRedirects returns a copy of c that also refuses redirects to
// destinations the SSRF guard refuses (MCP Security Best Practices: validate
// redirect targets); c's own redirect policy still applies first.
func guardRedirects(c *http.Client, private bool) *http.Client {
	if c == nil {
		c = http.DefaultClient
	}
	g := *c
	next := c.CheckRedirect
	g.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if next != nil {
			if err := next(req, via); err != nil {
				return err
			}
		} else if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if v := classifyURL(req.URL.String(), private); v.refuse {
			return fmt.Errorf("redirect to %s refused (SSRF guard): %s", req.URL.Redacted(), v.why)
		}
		return nil
	}
	return &g
}

// ssrfServer is the MCP server URL the guard judges against: ServerURL,
// or with Legacy the issuer (which is then the MCP server URL itself).
func (o ASOptions) ssrfServer(issuer string) string {
	if o.ServerURL == "" && o.Legacy {
		return issuer
	}
	return o.ServerURL
}

// checkSSRFPRM flags the resource_metadata URL of the challenge and the
// authorization_servers of the accepted document.
func checkSSRFPRM(l *check.List, headerURL string, m *ProtectedResourceMetadata, mcpURL string) {
	private := privateContext(mcpURL)
	if headerURL != "" {
		flagSSRF(l, "resource_metadata URL", headerURL, private, "not fetched; the well-known URLs at the MCP server were tried instead")
	}
	if m != nil {
		for _, as := range m.AuthorizationServers {
			flagSSRF(l, "authorization_servers entry", as, private, "its metadata will not be fetched")
		}
	}
}

// checkSSRFAS flags the issuer the metadata was looked up for and every
// URL-valued member of the metadata that a client may request.
func checkSSRFAS(l *check.List, issuer string, m *AuthServerMetadata, serverURL string) {
	private := privateContext(serverURL)
	flagSSRF(l, "issuer", issuer, private, "its metadata was not fetched")
	if m == nil {
		return
	}
	for _, u := range []struct{ name, val string }{
		{"authorization_endpoint", m.AuthorizationEndpoint},
		{"token_endpoint", m.TokenEndpoint},
		{"registration_endpoint", m.RegistrationEndpoint},
		{"revocation_endpoint", m.RevocationEndpoint},
		{"introspection_endpoint", m.IntrospectionEndpoint},
		{"jwks_uri", m.JWKSURI},
	} {
		if u.val != "" {
			flagSSRF(l, u.name, u.val, private, "a client should not send requests there")
		}
	}
}

func flagSSRF(l *check.List, field, raw string, private bool, refused string) {
	v := classifyURL(raw, private)
	if v.why == "" {
		return
	}
	msg := fmt.Sprintf("%s %q: %s", field, raw, v.why)
	if v.refuse {
		msg += "; " + refused
	}
	l.Addf(SSRFCheckID, check.Warn, specSSRF, fixSSRF, "%s", msg)
}

package record

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ClientOptions bound every network call mcpwalk makes.
type ClientOptions struct {
	// Timeout bounds a whole request, body included; zero means none (for
	// MCP streams, which are bounded by their context instead).
	Timeout time.Duration
	// MaxRedirects is how many redirects are followed (default 10).
	MaxRedirects int
	// Jar keeps cookies (the headless authorize step needs them).
	Jar http.CookieJar
}

// NewTransport returns a transport with connect, TLS and header timeouts,
// so that a silent peer cannot hold a request open forever even when the
// client itself has no overall timeout.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 30 * time.Second
	t.Proxy = nil
	return t
}

// NewClient returns an *http.Client that records through rt and follows
// redirects with a hop limit, refusing https→http downgrades, and never
// carrying Authorization to another origin (see CheckRedirect).
func NewClient(rt http.RoundTripper, o ClientOptions) *http.Client {
	max := o.MaxRedirects
	if max <= 0 {
		max = 10
	}
	return &http.Client{
		Transport: rt,
		Timeout:   o.Timeout,
		Jar:       o.Jar,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			return CheckRedirect(req, via, max)
		},
	}
}

// ErrRedirect is wrapped by every redirect refusal.
var ErrRedirect = errors.New("redirect refused")

// CheckRedirect enforces the hop limit, refuses https→http and drops the
// Authorization header when the redirect leaves the first request's
// origin. Go's client drops it only for another host name: it keeps it for
// another port of the same host and for subdomains, and a bearer token
// must reach no one but the server it was issued for (MCP Authorization
// §Token Handling).
func CheckRedirect(req *http.Request, via []*http.Request, max int) error {
	if len(via) >= max {
		return fmt.Errorf("%w: more than %d redirects, last to %s", ErrRedirect, max, req.URL)
	}
	prev := via[len(via)-1].URL
	if prev.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: %s redirected from https to %s", ErrRedirect, prev, req.URL)
	}
	if first := via[0].URL; !strings.EqualFold(first.Scheme, req.URL.Scheme) || !strings.EqualFold(hostPort(first), hostPort(req.URL)) {
		req.Header.Del("Authorization")
	}
	return nil
}

// hostPort is the URL's host with its port, the default one made explicit.
func hostPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return u.Host
	}
	port := "80"
	if strings.EqualFold(u.Scheme, "https") {
		port = "443"
	}
	return net.JoinHostPort(u.Hostname(), port)
}

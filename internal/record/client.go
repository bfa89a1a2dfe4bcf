package record

import (
	"errors"
	"fmt"
	"net"
	"net/http"
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
// redirects with a hop limit, refusing https→http downgrades. Go's client
// already drops Authorization and cookies on redirects to another host.
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

// CheckRedirect enforces the hop limit and refuses https→http.
func CheckRedirect(req *http.Request, via []*http.Request, max int) error {
	if len(via) >= max {
		return fmt.Errorf("%w: more than %d redirects, last to %s", ErrRedirect, max, req.URL)
	}
	prev := via[len(via)-1].URL
	if prev.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: %s redirected from https to %s", ErrRedirect, prev, req.URL)
	}
	return nil
}

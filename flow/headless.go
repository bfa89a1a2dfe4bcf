package flow

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"

	"github.com/mcpwalk/mcpwalk/internal/record"
)

// headlessMaxHops bounds the authorization server's own redirects.
const headlessMaxHops = 10

// headless completes the authorize step without a browser: it requests the
// authorization URL, follows the authorization server's redirects with a
// cookie jar, and stops at the redirect to our redirect URI, whose query is
// the authorization response. It works for servers that approve without a
// person (test servers, CI); a login or consent page is reported as such.
func (e *Engine) headless(ctx context.Context, authURL, redirect string) (url.Values, error) {
	target, err := url.Parse(redirect)
	if err != nil {
		return nil, fail("", "redirect URI %q: %v", redirect, err)
	}
	jar, _ := cookiejar.New(nil)
	var final, elsewhere *url.URL
	c := *e.deps.HTTP
	c.Jar = jar
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		switch {
		case sameEndpoint(req.URL, target):
			final = req.URL
			return http.ErrUseLastResponse
		case looksLikeRedirectURI(req.URL, target, e.as.AuthorizationEndpoint):
			// Another loopback URI: the authorization server sends the
			// response to a redirect URI of its own choosing.
			elsewhere = req.URL
			return http.ErrUseLastResponse
		}
		return record.CheckRedirect(req, via, headlessMaxHops)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return nil, fail("", "building the authorization request: %v", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		if errors.Is(err, record.ErrRedirect) {
			return nil, fail("Make the authorization endpoint redirect to the client's redirect_uri.", "headless authorization: %v", err)
		}
		return nil, fail("Check authorization_endpoint in the metadata.", "GET %s: %s", e.as.AuthorizationEndpoint, e.netErr(err))
	}
	page, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if elsewhere != nil {
		for _, c := range elsewhere.Query()["code"] {
			e.deps.Secrets.Secret(c)
		}
		return nil, &checkFailure{redirectMismatch(e.deps.Secrets.String(elsewhere.String()), redirect)}
	}
	if final == nil {
		loc := resp.Header.Get("Location")
		if loc != "" {
			return nil, &checkFailure{redirectMismatch(e.deps.Secrets.String(loc), redirect)}
		}
		if resp.StatusCode >= 400 {
			return nil, &checkFailure{e.errorPage(resp, page)}
		}
		return nil, fail("This authorization server wants a person (login or consent page): run without --headless so a browser opens.",
			"headless authorization stopped at %s: expected a redirect to %s, got %d %s",
			resp.Request.URL.Redacted(), redirect, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	q := final.Query()
	for _, c := range q["code"] {
		e.deps.Secrets.Secret(c)
	}
	e.note(StepAuthorize, "The authorization server redirected to %s (headless)", redirect)
	return q, nil
}

// sameEndpoint compares scheme, host (with port) and path.
func sameEndpoint(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Host == b.Host && a.Path == b.Path
}

package flow

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Probes of the MCP server's HTTP handling beyond the token itself: a
// malformed Authorization header, a foreign Host (DNS rebinding, for
// servers on this machine), and whether browsers may read the challenge
// and the metadata (CORS, info only).

// probeOrigin is the Origin the CORS probes claim: a browser-based
// inspector on this machine.
const probeOrigin = "http://localhost:6274"

func (e *Engine) probeEmptyBearer(ctx context.Context, s *stepCtx) error {
	resp, err := e.probeRequest(ctx, e.serverURL, e.withSession(http.Header{"Authorization": {"Bearer"}}))
	if err != nil {
		return err
	}
	switch st := resp.StatusCode; {
	case st == http.StatusBadRequest || st == http.StatusUnauthorized:
		s.add(check.New("probes.empty-bearer", check.Pass, "RFC 6750 §3.1", "", "an Authorization header of \"Bearer\" alone was refused (%d)", st))
	case st < 300 || st >= 500:
		s.add(check.New("probes.empty-bearer-status", check.Fail, "MCP 2025-11-25 Authorization §Error Handling (malformed authorization request: 400); RFC 6750 §3.1 (invalid_request: 400)",
			"Treat an Authorization header without a token like a missing one (401 with the challenge) or as a malformed request (400 invalid_request).",
			"an Authorization header of \"Bearer\" alone was answered %d %s; expected 400 or 401", st, http.StatusText(st)))
	default:
		inconclusive(s, "probes.empty-bearer-inconclusive", st, http.StatusUnauthorized)
	}
	return nil
}

func (e *Engine) probeHost(ctx context.Context, s *stepCtx) error {
	u, err := url.Parse(e.serverURL)
	if err != nil || !discovery.IsLoopbackHost(u.Hostname()) {
		s.res.Summary = "not a server on this machine: DNS rebinding concerns local servers"
		return nil
	}
	hdr := e.withSession(e.withToken(http.Header{"Host": {"mcpwalk-probe.invalid"}}))
	resp, err := e.probeRequest(ctx, e.serverURL, hdr)
	if err != nil {
		return err
	}
	switch st := resp.StatusCode; {
	case st < 300:
		s.add(check.New("probes.host-not-validated", check.Warn, "MCP 2025-11-25 Transports §Security Warning (validate Origin, bind to localhost; DNS rebinding)",
			"Check the Host header against the names the server is reached by (localhost, 127.0.0.1) and answer others with 403 or 421.",
			"a request for the host mcpwalk-probe.invalid was served (%d): a web page whose own name resolves to 127.0.0.1 can reach this local server", st))
	case st >= 400 && st < 500:
		s.add(check.New("probes.host", check.Pass, "MCP 2025-11-25 Transports §Security Warning", "", "a foreign Host was refused (%d)", st))
	default:
		inconclusive(s, "probes.host-inconclusive", st, http.StatusForbidden)
	}
	return nil
}

// probeCORSDiscovery checks what the preflight probe cannot: whether a
// browser may read the 401's challenge, and fetch the metadata documents.
func (e *Engine) probeCORSDiscovery(ctx context.Context, s *stepCtx) error {
	resp, err := e.probeRequest(ctx, e.serverURL, http.Header{"Origin": {probeOrigin}})
	if err != nil {
		return err
	}
	allow := resp.Header.Get("Access-Control-Allow-Origin")
	expose := strings.ToLower(strings.Join(resp.Header.Values("Access-Control-Expose-Headers"), ","))
	switch {
	case resp.StatusCode != http.StatusUnauthorized:
	case allow == "":
		s.add(check.New("probes.cors-expose", check.Info, "Fetch Standard §CORS protocol (not an MCP rule)",
			"Send Access-Control-Allow-Origin and Access-Control-Expose-Headers: WWW-Authenticate with the 401, not only with preflights.",
			"the 401 carries no Access-Control-Allow-Origin: a browser-based client sees a network error, not the challenge"))
	case expose != "*" && !strings.Contains(expose, "www-authenticate"):
		s.add(check.New("probes.cors-expose", check.Info, "Fetch Standard §CORS protocol (not an MCP rule)",
			"Add WWW-Authenticate to Access-Control-Expose-Headers.",
			"the 401's Access-Control-Expose-Headers %q lacks WWW-Authenticate: a browser-based client cannot read the challenge", expose))
	}
	var closed []string
	for _, u := range []string{e.prmURL(), e.asMetaURL} {
		if u == "" {
			continue
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			continue
		}
		req.Header.Set("Origin", probeOrigin)
		resp, err := e.deps.HTTP.Do(req)
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.Header.Get("Access-Control-Allow-Origin") == "" {
			closed = append(closed, u)
		}
	}
	if len(closed) > 0 {
		s.add(check.New("probes.cors-metadata", check.Info, "Fetch Standard §CORS protocol (not an MCP rule)",
			"Serve the metadata documents with Access-Control-Allow-Origin: * (they are public).",
			"no Access-Control-Allow-Origin on %s: browser-based clients cannot discover the authorization server", strings.Join(closed, ", ")))
	}
	if len(s.checks) == 0 {
		s.add(check.New("probes.cors-discovery", check.Pass, "Fetch Standard §CORS protocol", "", "browsers may read the challenge and the metadata"))
	}
	return nil
}

// prmURL is where the PRM was found, "" when it was not.
func (e *Engine) prmURL() string {
	if e.prm == nil || e.prm.From == nil {
		return ""
	}
	return e.prm.From.URL
}

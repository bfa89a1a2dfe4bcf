package flow

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/mcpwalk/mcpwalk/internal/record"
)

type exchange = record.Exchange

// probeVersion is the protocol revision the unauthenticated probe claims:
// the newest one with an initialize handshake, which every server since
// 2025-03-26 understands well enough to answer 401.
const probeVersion = "2025-11-25"

const (
	specChallenge = "MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements; RFC 9728 §5.1"
	spec401       = "MCP 2025-11-25 Authorization §Error Handling; RFC 6750 §3"
)

// probe sends an MCP initialize without credentials and reads the challenge.
func (e *Engine) probe(ctx context.Context, s *stepCtx) error {
	canon, err := discovery.CanonicalResource(e.cfg.ServerURL)
	if err != nil {
		return fail("Pass the full MCP endpoint URL, for example https://mcp.example.com/mcp.", "server URL: %v", err)
	}
	e.serverURL = canon
	body := fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":%q,"capabilities":{},"clientInfo":{"name":"mcpwalk","version":%q}}}`,
		probeVersion, e.cfg.Version)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, canon, bytes.NewReader([]byte(body)))
	if err != nil {
		return fail("", "building the probe request for %s: %v", canon, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", probeVersion)
	// SEP-2243 (2026-07-28): every POST names its method in a header;
	// earlier servers ignore it.
	req.Header.Set("Mcp-Method", "initialize")
	resp, err := e.deps.HTTP.Do(req)
	if err != nil {
		return fail("Check that the server is running and the URL is right.", "POST %s: %s", canon, e.netErr(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()

	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		s.add(check.New("probe.status-401", check.Pass, spec401, "", "POST without a token was answered 401 Unauthorized"))
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		s.add(check.New("probe.no-auth", check.Info, "MCP 2025-11-25 Authorization §Protocol Requirements",
			"", "POST without a token was answered %d: the server does not require authorization", resp.StatusCode))
		s.res.Summary = "no authorization required"
		e.endProbeSession(ctx, canon, resp.Header.Get("Mcp-Session-Id"))
		return nil
	case resp.StatusCode == http.StatusForbidden:
		s.add(check.New("probe.status-403", check.Warn, spec401,
			"Answer requests without a token with 401, keeping 403 for tokens that lack a scope.",
			"POST without a token was answered 403; a missing token calls for 401"))
	default:
		return fail("Put the authorization middleware in front of the MCP endpoint, answering 401 with WWW-Authenticate before any routing or method check.",
			"POST %s without a token: expected 401 with WWW-Authenticate, got %d %s", canon, resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	e.authNeeded = true
	e.readChallenge(s, resp.Header.Values("WWW-Authenticate"))
	return nil
}

// readChallenge parses the challenges of a 401 or 403 and records them.
func (e *Engine) readChallenge(s *stepCtx, values []string) {
	if len(values) == 0 {
		s.add(check.New("probe.www-authenticate-missing", check.Warn, specChallenge,
			`Send WWW-Authenticate: Bearer resource_metadata="<PRM URL>" with every 401; proxies and CDNs must not strip it.`,
			"the 401 carries no WWW-Authenticate header; clients must guess the metadata URL"))
		return
	}
	challenges, err := discovery.ParseWWWAuthenticate(values)
	if err != nil {
		s.add(check.New("probe.www-authenticate-malformed", check.Fail, "RFC 9110 §11.6.1",
			"Quote parameter values and separate parameters with commas.", "malformed WWW-Authenticate %q: %v", strings.Join(values, ", "), err))
	}
	e.dpop.challenged(challenges)
	c := discovery.FindChallenge(challenges, "Bearer", "DPoP")
	if c == nil {
		s.add(check.New("probe.bearer-challenge", check.Fail, "RFC 6750 §3",
			`Send a Bearer challenge: WWW-Authenticate: Bearer resource_metadata="…".`,
			"no Bearer challenge among %d challenge(s) in %q", len(challenges), strings.Join(values, ", ")))
		return
	}
	e.challenge = c
	s.add(check.New("probe.bearer-challenge", check.Pass, "RFC 6750 §3", "", "%s challenge found", c.Scheme))
	if u := c.Params["resource_metadata"]; u != "" {
		s.add(check.New("probe.resource-metadata", check.Pass, specChallenge, "", "resource_metadata=%q", u))
	} else {
		s.add(check.New("probe.resource-metadata-missing", check.Warn, specChallenge,
			`Add resource_metadata="<PRM URL>" to the Bearer challenge.`,
			"the challenge has no resource_metadata; falling back to well-known URLs"))
	}
	if sc := c.Params["scope"]; sc != "" {
		s.add(check.New("probe.scope", check.Pass, "MCP 2025-11-25 Authorization §Scope Selection Strategy", "", "challenge scope=%q", sc))
	}
	if ec := c.Params["error"]; ec != "" {
		s.add(check.New("probe.error-without-token", check.Warn, "RFC 6750 §3",
			"Leave out error= when the request carried no credentials.",
			"error=%q in the challenge to a request that carried no token (RFC 6750: SHOULD NOT)", ec))
	}
	s.res.Summary = fmt.Sprintf("%s challenge: %s", c.Scheme, describeParams(c.Params))
}

func describeParams(p map[string]string) string {
	var parts []string
	for _, k := range []string{"resource_metadata", "scope", "error"} {
		if v, ok := p[k]; ok {
			parts = append(parts, fmt.Sprintf("%s=%q", k, v))
		}
	}
	if len(parts) == 0 {
		return "no parameters"
	}
	return strings.Join(parts, " ")
}

// endProbeSession ends the session a server without authorization opened
// for the probe's initialize, so a walk leaves none behind (the MCP
// session proper is the SDK's). A refusal (405) is fine.
func (e *Engine) endProbeSession(ctx context.Context, endpoint, id string) {
	if id == "" {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, endpoint, nil)
	if err != nil {
		return
	}
	req.Header.Set("Mcp-Session-Id", id)
	req.Header.Set("MCP-Protocol-Version", probeVersion)
	if resp, err := e.deps.HTTP.Do(req); err == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}
}

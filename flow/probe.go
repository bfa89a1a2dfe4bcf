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
	// The first request of the revision asked for (--protocol-version), or
	// an initialize, which every server since 2025-03-26 answers. A server
	// that refuses the revision, or speaks only 2026-07-28, is asked once
	// more in the revision its answer points to (retryRevision).
	version := probeVersion
	if e.cfg.ProtocolVersion != "" {
		version = e.cfg.ProtocolVersion
	}
	resp, body, err := e.probeOnce(ctx, canon, version)
	if err != nil {
		if why := certificateProblem(err); why != "" {
			s.add(check.New("probe.tls-certificate", check.Fail, specTLS,
				"Serve a certificate for this host name from a CA clients trust, with the whole chain; mcpwalk has no switch to skip verification.",
				"POST %s: the TLS certificate is not accepted: %s", canon, why))
			return nil
		}
		return fail("Check that the server is running and the URL is right.", "POST %s: %s", canon, e.netErr(err))
	}
	if next, why, ok := retryRevision(version, resp.StatusCode, body); !ok {
		return fail("Serve one of the revisions MCP clients speak, or list it in data.supported of the UnsupportedProtocolVersion error.",
			"POST %s: %s", canon, why)
	} else if next != "" {
		s.add(check.New("probe.revision-retry", check.Info, specVersionNegotiation, "", "%s", why))
		if next == version {
			s.add(check.New("probe.revision-refused-but-supported", check.Warn, specVersionNegotiation,
				"Accept the revisions listed in data.supported; refuse only those the server does not implement.",
				"the server refused revision %s while listing it as supported", version))
		}
		version = next
		if resp, _, err = e.probeOnce(ctx, canon, version); err != nil {
			return fail("Check that the server is running and the URL is right.", "POST %s: %s", canon, e.netErr(err))
		}
		if resp.StatusCode != http.StatusBadRequest {
			// The session asks in the revision the server accepted.
			e.revision = version
		}
	}

	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		s.add(check.New("probe.status-401", check.Pass, spec401, "", "POST without a token was answered 401 Unauthorized"))
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		s.add(check.New("probe.no-auth", check.Info, "MCP 2025-11-25 Authorization §Protocol Requirements",
			"", "POST without a token was answered %d: the server does not require authorization", resp.StatusCode))
		s.res.Summary = "no authorization required"
		e.endProbeSession(ctx, canon, resp.Header.Get("Mcp-Session-Id"), version)
		return nil
	case resp.StatusCode == http.StatusForbidden:
		s.add(check.New("probe.status-403", check.Warn, spec401,
			"Answer requests without a token with 401, keeping 403 for tokens that lack a scope.",
			"POST without a token was answered 403; a missing token calls for 401"))
	default:
		s.add(check.New("probe.status-unexpected", check.Fail, spec401,
			"Put the authorization middleware in front of the MCP endpoint, answering 401 with WWW-Authenticate before any routing or method check.",
			"POST %s without a token: expected 401 with WWW-Authenticate, got %d %s%s", canon, resp.StatusCode, http.StatusText(resp.StatusCode),
			statusHint(resp.StatusCode)))
		return nil
	}
	e.authNeeded = true
	e.readChallenge(s, resp.Header.Values("WWW-Authenticate"))
	e.checkTransportSecurity(s, canon)
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
		checkChallengeScope(s, sc)
	} else {
		s.add(check.New("probe.scope-missing", check.Info, "MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements (scope SHOULD be in the challenge)",
			`Add scope="…" to the Bearer challenge with the scopes the request needs.`,
			"the %s challenge names no scope; clients fall back to the PRM's scopes_supported, or request none", c.Scheme))
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
func (e *Engine) endProbeSession(ctx context.Context, endpoint, id, version string) {
	if id == "" {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, endpoint, nil)
	if err != nil {
		return
	}
	req.Header.Set("Mcp-Session-Id", id)
	req.Header.Set("MCP-Protocol-Version", version)
	if resp, err := e.deps.HTTP.Do(req); err == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}
}

// probeOnce sends, without credentials, the first request of revision v:
// initialize before 2026-07-28, server/discover with its _meta from then.
// It returns the response (body closed) and up to 64 KiB of its body.
func (e *Engine) probeOnce(ctx context.Context, endpoint, v string) (*http.Response, []byte, error) {
	method, params := "initialize", map[string]any{"protocolVersion": v, "capabilities": map[string]any{}, "clientInfo": e.clientInfo()}
	if v >= metaRevision {
		method, params = "server/discover", nil
	}
	body, err := e.requestBody(1, method, params, v)
	if err != nil {
		return nil, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", v)
	// SEP-2243 (2026-07-28): every POST names its method in a header;
	// earlier servers ignore it.
	req.Header.Set("Mcp-Method", method)
	resp, err := e.deps.HTTP.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp, got, nil
}

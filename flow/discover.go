package flow

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

const specLegacy = "MCP 2025-03-26 Authorization §2.3.2 Server Metadata Discovery, §2.3.3 Fallbacks"

func (e *Engine) fetcher(hdr http.Header) *discovery.Fetcher {
	return &discovery.Fetcher{Client: e.deps.HTTP, Header: hdr}
}

// discoverPRM finds the Protected Resource Metadata. When none exists at
// all, the server is treated as a 2025-03-26 server (its origin is the
// authorization server), which is reported, not hidden.
func (e *Engine) discoverPRM(ctx context.Context, s *stepCtx) error {
	headerURL := ""
	if e.challenge != nil {
		headerURL = e.challenge.Params["resource_metadata"]
	}
	res := e.fetcher(nil).ProtectedResource(ctx, e.serverURL, headerURL)
	e.prm = res
	s.data(res)
	if res.Metadata == nil && headerURL == "" && !anyFetched(res.Attempts) {
		// Nothing answered anywhere: the 2025-03-26 fallback applies.
		for _, c := range res.Checks {
			if c.ID == "prm.found" {
				c.Status = check.Warn
				c.Fix = "Serve Protected Resource Metadata (RFC 9728) and point to it from WWW-Authenticate; 2025-06-18 and later clients require it."
				c.Message += "; falling back to 2025-03-26 discovery at the server origin"
				c.Spec = "MCP 2025-06-18 Authorization §2.3; " + specLegacy
			}
			s.add(c)
		}
		e.legacy = true
		e.resource = e.resourceFor(e.serverURL)
		s.res.Summary = "no Protected Resource Metadata: using the 2025-03-26 fallback (authorization server at the server origin)"
		return nil
	}
	for _, c := range res.Checks {
		s.add(c)
	}
	md := res.Metadata
	if md == nil && e.cfg.Lenient && res.Rejected != nil {
		// Lenient: use the refused document's authorization servers, with
		// the resource the client expected.
		md = &discovery.ProtectedResourceMetadata{Resource: e.serverURL, AuthorizationServers: res.Rejected.AuthorizationServers,
			ScopesSupported: res.Rejected.ScopesSupported}
		res.Metadata = md
	}
	if md == nil || len(md.AuthorizationServers) == 0 {
		return nil // the failing checks explain it
	}
	e.resource = e.resourceFor(md.Resource)
	s.res.Summary = fmt.Sprintf("resource %q, authorization server %s", md.Resource, md.AuthorizationServers[0])
	if n := len(md.AuthorizationServers); n > 1 {
		s.add(check.New("prm.several-as", check.Info, "RFC 9728 §7.6", "",
			"%d authorization servers listed; using the first, %s", n, md.AuthorizationServers[0]))
	}
	return nil
}

// anyFetched reports whether any attempt got a document back (even a wrong
// one): then the server has PRM and the legacy path must not hide it.
func anyFetched(as []discovery.Attempt) bool {
	for _, a := range as {
		if a.Status == http.StatusOK {
			return true
		}
	}
	return false
}

func (e *Engine) resourceFor(discovered string) string {
	if e.cfg.Resource != "" {
		return e.cfg.Resource
	}
	return discovered
}

// discoverAS fetches and validates the authorization server metadata.
func (e *Engine) discoverAS(ctx context.Context, s *stepCtx) error {
	var res *discovery.ASResult
	if e.legacy {
		hdr := http.Header{"MCP-Protocol-Version": {"2025-03-26"}}
		res = e.fetcher(hdr).AuthServer(ctx, e.serverURL, discovery.ASOptions{Legacy: true})
	} else {
		e.issuer = e.prm.Metadata.AuthorizationServers[0]
		res = e.fetcher(nil).AuthServer(ctx, e.issuer, discovery.ASOptions{ServerURL: e.serverURL})
	}
	s.data(res)
	if res.Metadata == nil && e.legacy && !anyFetched(res.Attempts) {
		for _, c := range res.Checks {
			if c.ID == "asmeta.found" {
				c.Status = check.Warn
				c.Message += "; using the 2025-03-26 default endpoints /authorize, /token, /register"
				c.Spec = specLegacy
				c.Fix = "Publish RFC 8414 metadata at /.well-known/oauth-authorization-server."
			}
			s.add(c)
		}
		e.as = discovery.LegacyDefaultEndpoints(e.serverURL)
		e.issuer = e.as.Issuer
		s.res.Summary = "no metadata: 2025-03-26 default endpoints at " + e.as.Issuer
		e.chooseDPoP(s)
		return nil
	}
	for _, c := range res.Checks {
		s.add(c)
	}
	md := res.Metadata
	if md == nil && e.cfg.Lenient {
		md = res.Rejected
	}
	if md == nil || s.checks.Failed() && !e.cfg.Lenient {
		return nil
	}
	if res.From != nil && strings.HasPrefix(res.From.Source, "oidc") {
		s.add(check.New("asmeta.oidc-only", check.Info, "MCP 2025-06-18 Authorization §2.3 (RFC 8414 only); MCP 2025-11-25 (OIDC Discovery too)",
			"Also publish RFC 8414 metadata at /.well-known/oauth-authorization-server.",
			"metadata found only through OpenID Connect discovery (%s); clients of the 2025-06-18 revision look only for RFC 8414 metadata", res.From.URL))
	}
	e.as = md
	e.checkASForWalk(s, md, res.Raw)
	// The issuer the authorization response is checked against (RFC 9207)
	// is the one of the validated metadata document.
	e.issuer = md.Issuer
	s.res.Summary = fmt.Sprintf("issuer %s", md.Issuer)
	if res.From != nil {
		s.res.Summary += ", metadata from " + res.From.URL
		e.asMetaURL = res.From.URL
	}
	e.chooseDPoP(s)
	if e.dpop.active() {
		s.res.Summary += ", DPoP"
	}
	return nil
}

// containsFold reports whether list contains v, ignoring case.
func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

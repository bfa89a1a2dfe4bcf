package discovery

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

const (
	specPRMDiscovery = "MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery; RFC 9728 §3"
	specPRMResource  = "RFC 9728 §3.3, §7.3"
	specPRMAS        = "MCP 2025-11-25 Authorization §Authorization Server Location; RFC 9728 §2"
)

// ProtectedResource discovers the RFC 9728 Protected Resource Metadata of
// the MCP server at mcpURL, starting with headerURL (the resource_metadata
// of the 401 challenge) when given, then the well-known URLs of
// PRMCandidates. Every URL tried is recorded as an Attempt. A document is
// used only when its `resource` is identical to the candidate's Expect
// (RFC 9728 §3.3, code-point equality per §7.3); at the root URL a
// `resource` equal to mcpURL is accepted as well. Checks prm.* are added to
// the result.
func (f *Fetcher) ProtectedResource(ctx context.Context, mcpURL, headerURL string) *PRMResult {
	if f == nil {
		f = &Fetcher{}
	}
	res := &PRMResult{Attempts: []Attempt{}}
	cands := PRMCandidates(mcpURL, headerURL)
	var mismatched []mismatch
	for _, c := range cands {
		if ctx.Err() != nil {
			break
		}
		doc, raw, status, ct, err := getJSONGuarded[ProtectedResourceMetadata](ctx, f, c.URL, mcpURL)
		a := Attempt{Candidate: c, Status: status, ContentType: ct}
		switch {
		case err != nil:
			a.Reason = reasonOf(err) + guardHint(status)
		case doc.Resource == c.Expect, c.Source == SourceRoot && doc.Resource == mcpURL:
			a.Accepted = true
			from := c
			res.Metadata, res.Raw, res.From = &doc, raw, &from
		default:
			a.Reason = resourceReason(doc.Resource, c, mcpURL)
			mismatched = append(mismatched, mismatch{a, doc.Resource})
			if res.Rejected == nil {
				d := doc
				res.Rejected = &d
			}
		}
		res.Attempts = append(res.Attempts, a)
		if a.Accepted {
			break
		}
	}

	if res.From != nil {
		res.Checks.Addf("prm.found", check.Pass, specPRMDiscovery, "",
			"Protected Resource Metadata found at %s (%s)", res.From.URL, describeSource(res.From.Source))
	} else {
		res.Checks.Addf("prm.found", check.Fail, specPRMDiscovery,
			"Serve the RFC 9728 document (200, application/json) at "+wellKnownPRM+"<path of the MCP URL> or send its URL as resource_metadata in the 401 WWW-Authenticate header",
			"no Protected Resource Metadata at any of %d URLs: %s%s", len(res.Attempts), listAttempts(res.Attempts), stopped(ctx, len(cands), len(res.Attempts)))
	}
	for _, mm := range mismatched {
		a := mm.Attempt
		st := check.Fail
		if res.From != nil {
			st = check.Warn
		}
		res.Checks.Addf("prm.resource-mismatch", st, specPRMResource,
			fmt.Sprintf("Set `resource` in the metadata served at %s to exactly %q", a.URL, a.Expect),
			"PRM at %s (%s): %s%s", a.URL, a.Source, a.Reason, mismatchNote(mm.got, a.Expect))
	}
	if headerURL != "" && (res.From == nil || res.From.Source != SourceHeader) {
		why := "it was not tried"
		if len(res.Attempts) > 0 && res.Attempts[0].Source == SourceHeader {
			why = res.Attempts[0].Reason
		}
		res.Checks.Addf("prm.header-url-failed", check.Warn, "RFC 9728 §5.1; "+specPRMDiscovery,
			fmt.Sprintf("Point resource_metadata at a URL serving this server's metadata with resource %q", mcpURL),
			"resource_metadata URL %s from WWW-Authenticate was not usable: %s", headerURL, why)
	}
	checkHeaderURLScheme(&res.Checks, headerURL, mcpURL)
	if res.From == nil {
		f.probeOffSpec(ctx, &res.Checks, &res.Attempts, "prm.nonstandard-location", offSpec{what: "Protected Resource Metadata",
			tried: cands, want: cands[len(cands)-1].URL, off: offSpecPRM(mcpURL), serverURL: mcpURL, looks: []string{"resource", "authorization_servers"}})
	}
	checkFallbacks(&res.Checks, "prm.fallback-status", res.Attempts)
	checkRefusedRedirects(&res.Checks, res.Attempts)
	checkSSRFPRM(&res.Checks, headerURL, res.Metadata, mcpURL)
	if res.Metadata != nil {
		checkPRM(&res.Checks, res.Metadata, res.Raw, res.From, mcpURL)
	}
	return res
}

func checkPRM(l *check.List, m *ProtectedResourceMetadata, raw map[string]any, from *Candidate, mcpURL string) {
	if len(m.AuthorizationServers) == 0 {
		l.Addf("prm.authorization-servers", check.Fail, specPRMAS,
			"List at least one issuer URL in authorization_servers",
			"PRM from %s lists no authorization_servers; expected at least one issuer URL", from.URL)
	} else {
		l.Addf("prm.authorization-servers", check.Pass, specPRMAS, "",
			"PRM lists %d authorization server(s): %s", len(m.AuthorizationServers), strings.Join(m.AuthorizationServers, ", "))
	}
	for _, as := range m.AuthorizationServers {
		if why := checkIssuerURL(as); why != "" {
			l.Addf("prm.as-url-invalid", check.Fail, specPRMAS+"; RFC 8414 §2",
				"Use the authorization server's issuer identifier: an https URL without query or fragment",
				"authorization_servers entry %q: %s", as, why)
		}
	}
	if i := strings.Index(m.Resource, "#"); i >= 0 {
		l.Addf("prm.resource-fragment", check.Fail, "RFC 8707 §2; RFC 9728 §2",
			"Remove the fragment from `resource`",
			"PRM resource %q has a fragment %q; expected a URI without one", m.Resource, m.Resource[i:])
	}
	lintResource(l, m.Resource)
	lintScopes(l, m.ScopesSupported)
	if slices.Contains(m.ScopesSupported, "offline_access") {
		l.Addf("prm.offline-access", check.Warn, "MCP 2026-07-28 Authorization §Refresh Tokens",
			"Remove offline_access from the resource's scopes_supported; refresh is between client and authorization server",
			"PRM scopes_supported contains \"offline_access\"; a resource server SHOULD NOT advertise it")
	}
	if _, present := raw["bearer_methods_supported"]; present && !slices.Contains(m.BearerMethodsSupported, "header") {
		l.Addf("prm.bearer-methods", check.Warn, "RFC 9728 §2; RFC 6750 §2.1",
			"Include \"header\" in bearer_methods_supported (MCP sends tokens in the Authorization header)",
			"PRM bearer_methods_supported is %q; expected it to include \"header\"", m.BearerMethodsSupported)
	}
	if from.Source == SourceRoot && m.Resource == from.Expect {
		if u, err := url.Parse(mcpURL); err == nil && u.Path != "" && u.Path != "/" {
			l.Addf("prm.root-resource", check.Info, "RFC 8707 §2; MCP 2025-06-18 Authorization §Canonical Server URI",
				fmt.Sprintf("Serve metadata with resource %q at %s%s if tokens should be bound to the endpoint", mcpURL, wellKnownPRM, u.EscapedPath()),
				"PRM came from the root URL and names the origin %q as resource; the resource parameter will be %q, not %q",
				m.Resource, m.Resource, mcpURL)
		}
	}
}

// checkIssuerURL validates an issuer identifier (RFC 8414 §2): an https URL
// (http only to a loopback host) with no query or fragment.
func checkIssuerURL(raw string) string {
	if why := checkServerURL(raw); why != "" {
		return why
	}
	if strings.ContainsAny(raw, "?#") {
		return "expected no query or fragment in an issuer identifier"
	}
	return ""
}

func resourceReason(got string, c Candidate, mcpURL string) string {
	if got == "" {
		return fmt.Sprintf("resource missing, expected %q", c.Expect)
	}
	if c.Source == SourceRoot && mcpURL != c.Expect {
		return fmt.Sprintf("resource %q ≠ %q (or %q)", got, c.Expect, mcpURL)
	}
	return fmt.Sprintf("resource %q ≠ %q", got, c.Expect)
}

package discovery

import (
	"net/url"
	"strings"
)

// Well-known URI suffixes (RFC 9728 §3, RFC 8414 §3, OIDC Discovery 1.0 §4).
const (
	wellKnownPRM  = "/.well-known/oauth-protected-resource"
	wellKnownOAS  = "/.well-known/oauth-authorization-server"
	wellKnownOIDC = "/.well-known/openid-configuration"
)

// Candidate sources, as recorded in Candidate.Source.
const (
	SourceHeader      = "header"       // PRM: resource_metadata from WWW-Authenticate (RFC 9728 §5.1)
	SourcePath        = "path"         // PRM: path-aware well-known URL (RFC 9728 §3.1)
	SourceRoot        = "root"         // PRM: well-known URL at the origin
	SourceOAuthInsert = "oauth-insert" // AS: RFC 8414 §3.1 path insertion
	SourceOIDCInsert  = "oidc-insert"  // AS: OIDC suffix inserted after the host
	SourceOIDCAppend  = "oidc-append"  // AS: OIDC Discovery 1.0 §4 appended suffix
	SourceLegacyRoot  = "legacy-root"  // AS: MCP 2025-03-26 metadata at the MCP server's origin
)

// PRMCandidates returns the URLs where the Protected Resource Metadata of
// the MCP server at mcpURL may be found, in the order the client must try
// them (MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery):
//
//  1. headerURL, the resource_metadata of the WWW-Authenticate challenge,
//     when given (Expect: mcpURL, RFC 9728 §3.3);
//  2. the path-aware URL, origin + "/.well-known/oauth-protected-resource" +
//     path, with a terminating "/" of the path removed and the query kept
//     (RFC 9728 §3.1), when mcpURL has a path other than "/" or a query
//     (Expect: mcpURL);
//  3. the root URL, origin + "/.well-known/oauth-protected-resource"
//     (Expect: the origin).
//
// Duplicate URLs are dropped, keeping the first. When mcpURL is not an
// absolute http(s) URL only the header candidate is returned.
func PRMCandidates(mcpURL, headerURL string) []Candidate {
	var cs []Candidate
	if headerURL != "" {
		cs = append(cs, Candidate{URL: headerURL, Expect: mcpURL, Source: SourceHeader})
	}
	o, u, ok := origin(mcpURL)
	if !ok {
		return cs
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	query := rawQuery(u)
	if path != "" || query != "" {
		cs = append(cs, Candidate{URL: o + wellKnownPRM + path + query, Expect: mcpURL, Source: SourcePath})
	}
	cs = append(cs, Candidate{URL: o + wellKnownPRM, Expect: o, Source: SourceRoot})
	return dedup(cs)
}

// ASCandidates returns the URLs where the metadata of the authorization
// server with the given issuer identifier may be found, in the order of
// MCP 2025-11-25 Authorization §Authorization Server Metadata Discovery.
// For an issuer with a path, such as https://a/t1:
//
//	https://a/.well-known/oauth-authorization-server/t1  (oauth-insert, RFC 8414 §3.1)
//	https://a/.well-known/openid-configuration/t1        (oidc-insert)
//	https://a/t1/.well-known/openid-configuration        (oidc-append, OIDC Discovery 1.0 §4)
//
// and without a path, the first two at the root. A trailing "/" of the path
// is removed before the suffix is inserted. Expect is the issuer exactly as
// given (RFC 8414 §3.3). It returns nil when issuer is not an absolute
// http(s) URL.
func ASCandidates(issuer string) []Candidate {
	o, u, ok := origin(issuer)
	if !ok {
		return nil
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	cs := []Candidate{
		{URL: o + wellKnownOAS + path, Expect: issuer, Source: SourceOAuthInsert},
		{URL: o + wellKnownOIDC + path, Expect: issuer, Source: SourceOIDCInsert},
	}
	if path != "" {
		cs = append(cs, Candidate{URL: o + path + wellKnownOIDC, Expect: issuer, Source: SourceOIDCAppend})
	}
	return cs
}

// LegacyASCandidate returns the MCP 2025-03-26 metadata location (MCP
// 2025-03-26 Authorization §Server Metadata Discovery): the "authorization
// base URL" is the MCP server URL with its path removed, and the metadata is
// at origin + "/.well-known/oauth-authorization-server" (Expect: the
// origin). When mcpURL is not an absolute http(s) URL, URL and Expect are
// empty and fetching the candidate fails with a recorded reason.
func LegacyASCandidate(mcpURL string) Candidate {
	o, _, ok := origin(mcpURL)
	if !ok {
		return Candidate{Source: SourceLegacyRoot}
	}
	return Candidate{URL: o + wellKnownOAS, Expect: o, Source: SourceLegacyRoot}
}

func rawQuery(u *url.URL) string {
	if u.RawQuery == "" && !u.ForceQuery {
		return ""
	}
	return "?" + u.RawQuery
}

func dedup(cs []Candidate) []Candidate {
	seen := map[string]bool{}
	out := cs[:0]
	for _, c := range cs {
		if seen[c.URL] {
			continue
		}
		seen[c.URL] = true
		out = append(out, c)
	}
	return out
}

package discovery

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// ASOptions selects how authorization server metadata is discovered.
type ASOptions struct {
	// Legacy selects MCP 2025-03-26 discovery: the argument to AuthServer is
	// the MCP server URL and the only candidate is LegacyASCandidate.
	Legacy bool
	// ServerURL is the MCP server URL the walk started from; the SSRF guard
	// expects private destinations only when it is itself on a private
	// network. Empty: judged as a public server (with Legacy, the issuer).
	ServerURL string
}

const (
	specASDiscovery = "MCP 2025-11-25 Authorization §Authorization Server Metadata Discovery; RFC 8414 §3"
	specASLegacy    = "MCP 2025-03-26 Authorization §Server Metadata Discovery; RFC 8414 §3"
	specIssuer      = "RFC 8414 §3.3; OpenID Connect Discovery 1.0 §4.3"
	specPKCE        = "MCP 2025-11-25 Authorization §Authorization Code Protection; OAuth 2.1 §4.1.1; RFC 8414 §2"
	specURLs        = "MCP 2025-11-25 Authorization §Communication Security; MCP Security Best Practices §OAuth Authorization URL Validation"
)

// AuthServer discovers the metadata of the authorization server identified
// by issuer (RFC 8414, OpenID Connect Discovery 1.0), trying ASCandidates in
// order and recording every attempt. The first JSON object whose `issuer`
// is identical to the issuer the URL was built from is used (RFC 8414
// §3.3); a document with another issuer is not used and the next URL is
// tried. With opts.Legacy, issuer is the MCP server URL and the only
// candidate is the 2025-03-26 origin URL. Checks asmeta.* are added.
func (f *Fetcher) AuthServer(ctx context.Context, issuer string, opts ASOptions) *ASResult {
	if f == nil {
		f = &Fetcher{}
	}
	res := &ASResult{Attempts: []Attempt{}}
	spec := specASDiscovery
	var cands []Candidate
	if opts.Legacy {
		spec = specASLegacy
		cands = []Candidate{LegacyASCandidate(issuer)}
	} else {
		cands = ASCandidates(issuer)
	}
	var mismatched []mismatch
	for _, c := range cands {
		if ctx.Err() != nil {
			break
		}
		doc, raw, status, ct, err := getJSONGuarded[AuthServerMetadata](ctx, f, c.URL, opts.ssrfServer(issuer))
		a := Attempt{Candidate: c, Status: status, ContentType: ct}
		switch {
		case err != nil:
			a.Reason = reasonOf(err) + guardHint(status)
		case doc.Issuer == c.Expect:
			a.Accepted = true
		case opts.Legacy:
			// In 2025-03-26 the client derives the "authorization base URL"
			// from the MCP server URL; no party announced an issuer, so RFC
			// 8414 §3.3's identity check has nothing authoritative to
			// compare against. The document is used, the mismatch is still
			// reported, and the document's own issuer is what the RFC 9207
			// iss check compares against later.
			a.Accepted = true
			mismatched = append(mismatched, mismatch{a, doc.Issuer})
		default:
			a.Reason = issuerReason(doc.Issuer, c.Expect)
			mismatched = append(mismatched, mismatch{a, doc.Issuer})
			if res.Rejected == nil {
				d := doc
				res.Rejected = &d
			}
		}
		if a.Accepted {
			from := c
			res.Metadata, res.Raw, res.From = &doc, raw, &from
		}
		res.Attempts = append(res.Attempts, a)
		if a.Accepted {
			break
		}
	}

	switch {
	case res.From != nil:
		res.Checks.Addf("asmeta.found", check.Pass, spec, "",
			"authorization server metadata found at %s (%s)", res.From.URL, describeSource(res.From.Source))
	case len(cands) == 0:
		res.Checks.Addf("asmeta.found", check.Fail, specPRMAS+"; RFC 8414 §2",
			"Use an absolute https issuer URL in authorization_servers",
			"no authorization server metadata URL can be built from issuer %q: expected an absolute http(s) URL", issuer)
	case opts.Legacy:
		res.Checks.Addf("asmeta.found", check.Fail, spec,
			"Serve RFC 8414 metadata (200, application/json) at "+cands[0].URL+", or publish Protected Resource Metadata (2025-06-18+)",
			"no authorization server metadata at %s; 2025-03-26 clients fall back to /authorize, /token and /register at the origin",
			listAttempts(res.Attempts)+stopped(ctx, len(cands), len(res.Attempts)))
	default:
		res.Checks.Addf("asmeta.found", check.Fail, spec,
			"Serve RFC 8414 metadata (200, application/json) at "+cands[0].URL,
			"no authorization server metadata at any of %d URLs: %s%s", len(res.Attempts), listAttempts(res.Attempts), stopped(ctx, len(cands), len(res.Attempts)))
	}
	for _, mm := range mismatched {
		st, fix := check.Fail, fmt.Sprintf("Set `issuer` in the metadata at %s to exactly %q, or list the document's issuer in authorization_servers", mm.URL, mm.Expect)
		switch {
		case opts.Legacy:
			st, fix = check.Warn, "Serve metadata whose issuer is the MCP server's origin, or publish Protected Resource Metadata (2025-06-18+)"
		case res.From != nil:
			st = check.Warn
		}
		msg := fmt.Sprintf("metadata at %s (%s) has issuer %q, expected %q", mm.URL, mm.Source, mm.got, mm.Expect)
		if strings.TrimSuffix(mm.got, "/") == strings.TrimSuffix(mm.Expect, "/") && mm.got != "" {
			msg += "; they differ only by a trailing slash, which some lenient clients (such as the Go SDK) trim, but the comparison is exact"
		}
		if opts.Legacy {
			msg += "; used anyway (2025-03-26: the issuer was derived from the MCP URL, not announced)"
		}
		res.Checks.Addf("asmeta.issuer-mismatch", st, specIssuer, fix, "%s", msg)
	}
	if res.From == nil && !opts.Legacy && len(cands) > 0 {
		f.probeOffSpec(ctx, &res.Checks, &res.Attempts, "asmeta.nonstandard-location", offSpec{what: "the authorization server metadata of issuer " + strconv.Quote(issuer),
			tried: cands, want: cands[0].URL, off: offSpecAS(issuer), serverURL: opts.ssrfServer(issuer), looks: []string{"issuer", "authorization_endpoint", "token_endpoint"}})
	}
	checkFallbacks(&res.Checks, "asmeta.fallback-status", res.Attempts)
	checkRefusedRedirects(&res.Checks, res.Attempts)
	checkSSRFAS(&res.Checks, issuer, res.Metadata, opts.ssrfServer(issuer))
	if res.Metadata != nil {
		checkASMeta(&res.Checks, res.Metadata, res.From)
	}
	return res
}

func issuerReason(got, want string) string {
	if got == "" {
		return fmt.Sprintf("issuer missing, expected %q", want)
	}
	return fmt.Sprintf("issuer %q ≠ %q", got, want)
}

func checkASMeta(l *check.List, m *AuthServerMetadata, from *Candidate) {
	ccm := m.CodeChallengeMethodsSupported
	switch {
	case len(ccm) == 0:
		l.Addf("asmeta.pkce-missing", check.Fail, specPKCE,
			"Advertise code_challenge_methods_supported: [\"S256\"] in the metadata",
			"metadata at %s has no code_challenge_methods_supported; MCP clients MUST refuse to proceed without it", from.URL)
	case !slices.Contains(ccm, "S256"):
		l.Addf("asmeta.pkce-no-s256", check.Fail, specPKCE,
			"Support and advertise the S256 code challenge method",
			"code_challenge_methods_supported is %q; expected it to include \"S256\"", ccm)
	default:
		l.Addf("asmeta.pkce", check.Pass, specPKCE, "", "code_challenge_methods_supported includes S256 (%q)", ccm)
	}
	if slices.Contains(ccm, "plain") {
		l.Addf("asmeta.pkce-plain", check.Info, specPKCE,
			"Drop \"plain\" from code_challenge_methods_supported",
			"code_challenge_methods_supported lists \"plain\"; mcpwalk always uses S256")
	}

	var missing []string
	if m.AuthorizationEndpoint == "" {
		missing = append(missing, "authorization_endpoint")
	}
	if m.TokenEndpoint == "" {
		missing = append(missing, "token_endpoint")
	}
	if len(missing) > 0 {
		l.Addf("asmeta.endpoints", check.Fail, "RFC 8414 §2",
			"Add "+strings.Join(missing, " and ")+" to the metadata",
			"metadata at %s lacks %s; expected both authorization_endpoint and token_endpoint", from.URL, strings.Join(missing, " and "))
	}
	if !slices.Contains(m.ResponseTypesSupported, "code") {
		l.Addf("asmeta.response-types", check.Warn, "RFC 8414 §2",
			"Advertise response_types_supported: [\"code\"]",
			"response_types_supported is %q; expected it to include \"code\" (the member is REQUIRED)", m.ResponseTypesSupported)
	}

	urls := []struct{ name, val string }{
		{"authorization_endpoint", m.AuthorizationEndpoint},
		{"token_endpoint", m.TokenEndpoint},
		{"registration_endpoint", m.RegistrationEndpoint},
		{"revocation_endpoint", m.RevocationEndpoint},
		{"introspection_endpoint", m.IntrospectionEndpoint},
		{"jwks_uri", m.JWKSURI},
	}
	for _, u := range urls {
		if u.val == "" {
			continue
		}
		if why := checkServerURL(u.val); why != "" {
			l.Addf("asmeta.endpoint-scheme", check.Fail, specURLs,
				fmt.Sprintf("Serve %s over https at an absolute URL", u.name),
				"%s %q: %s", u.name, u.val, why)
		}
	}

	if m.AuthorizationResponseIssParameterSupported {
		l.Addf("asmeta.iss-supported", check.Pass, "RFC 9207 §3; MCP 2026-07-28 Authorization", "",
			"authorization_response_iss_parameter_supported is true: the callback must carry iss = %q", m.Issuer)
	} else {
		l.Addf("asmeta.iss-supported", check.Info, "RFC 9207 §3; MCP 2026-07-28 Authorization",
			"Send iss in authorization responses and set authorization_response_iss_parameter_supported to true",
			"authorization_response_iss_parameter_supported is not advertised: an iss in the callback would be inconsistent (RFC 9207 §2.3)")
	}
	if m.ClientIDMetadataDocumentSupported {
		l.Addf("asmeta.cimd", check.Pass, "MCP 2025-11-25 Authorization §Client ID Metadata Documents", "",
			"client_id_metadata_document_supported is true: a URL client_id (CIMD) can be used")
	} else {
		l.Addf("asmeta.cimd", check.Warn, "MCP 2025-11-25 Authorization §Client ID Metadata Documents (SHOULD)",
			"Support Client ID Metadata Documents and advertise client_id_metadata_document_supported",
			"client_id_metadata_document_supported is not advertised: CIMD cannot be used")
	}
	if m.RegistrationEndpoint != "" {
		l.Addf("asmeta.registration", check.Pass, "RFC 7591 §3; MCP 2025-11-25 Authorization §Dynamic Client Registration", "",
			"registration_endpoint %s is advertised: dynamic client registration is possible", m.RegistrationEndpoint)
	} else {
		l.Addf("asmeta.registration", check.Info, "RFC 7591 §3; MCP 2025-11-25 Authorization §Dynamic Client Registration", "",
			"no registration_endpoint: dynamic client registration is not available; pre-register a client or use CIMD")
	}
}

// LegacyDefaultEndpoints returns the MCP 2025-03-26 default endpoints used
// when the server publishes no metadata (MCP 2025-03-26 Authorization
// §Fallbacks for Servers without Metadata Discovery): /authorize, /token and
// /register at the MCP server's origin, with Issuer set to the origin. It
// returns nil when mcpURL is not an absolute http(s) URL.
func LegacyDefaultEndpoints(mcpURL string) *AuthServerMetadata {
	o, _, ok := origin(mcpURL)
	if !ok {
		return nil
	}
	return &AuthServerMetadata{
		Issuer:                o,
		AuthorizationEndpoint: o + "/authorize",
		TokenEndpoint:         o + "/token",
		RegistrationEndpoint:  o + "/register",
		// 2025-03-26 makes PKCE REQUIRED for all clients and has no way to
		// advertise it without metadata, so S256 is assumed.
		CodeChallengeMethodsSupported: []string{"S256"},
	}
}

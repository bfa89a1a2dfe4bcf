package demo

import (
	"fmt"
	"sort"
)

// Fault is one real-world misconfiguration the demo can reproduce, with
// the finding mcpwalk must report for it.
type Fault struct {
	Name        string
	Description string
	// Step, Finding and Severity are what a walk must report.
	Step     string
	Finding  string
	Severity string
}

var faults = []Fault{
	{"no-www-authenticate", "401 without a WWW-Authenticate header (a proxy stripped it)", "probe", "probe.www-authenticate-missing", "warning"},
	{"no-resource-metadata", "the Bearer challenge has no resource_metadata", "probe", "probe.resource-metadata-missing", "warning"},
	{"malformed-challenge", "a WWW-Authenticate header that does not parse", "probe", "probe.www-authenticate-malformed", "error"},
	{"error-without-token", `error="invalid_token" in the challenge to a request without a token`, "probe", "probe.error-without-token", "warning"},
	{"forbidden-without-token", "403 instead of 401 for a request without a token", "probe", "probe.status-403", "warning"},
	{"mcp-not-found", "the MCP endpoint answers 404 before checking authorization", "probe", "probe.status-unexpected", "error"},
	{"post-not-allowed", "the MCP endpoint answers POST with 405 before checking authorization", "probe", "probe.status-unexpected", "error"},
	{"challenge-offline-access", "the 401 challenge's scope names offline_access", "probe", "probe.offline-access", "warning"},
	{"prm-resource-mismatch", "PRM resource is not the MCP endpoint's URL", "prm", "prm.resource-mismatch", "error"},
	{"prm-html", "the PRM URL serves an HTML page with 200 (a single-page-app catch-all)", "prm", "prm.found", "error"},
	{"prm-oversized", "a Protected Resource Metadata document over 1 MiB", "prm", "prm.found", "error"},
	{"prm-slow", "the PRM endpoint takes longer than the client's timeout", "prm", "prm.found", "error"},
	{"prm-path-forbidden", "no resource_metadata; the path-aware PRM URL answers 403 (a CDN rule), the root URL serves the PRM", "prm", "prm.fallback-status", "warning"},
	{"prm-appended-path", "no resource_metadata; the PRM is served at /mcp/.well-known/oauth-protected-resource, the suffix appended", "prm", "prm.nonstandard-location", "error"},
	{"prm-offline-access", "PRM scopes_supported lists offline_access", "prm", "prm.offline-access", "warning"},
	{"issuer-trailing-slash", "the metadata issuer differs from the issuer identifier by a trailing slash", "asmeta", "asmeta.issuer-mismatch", "error"},
	{"metadata-wrong-content-type", "authorization server metadata served as text/plain", "asmeta", "asmeta.found", "error"},
	{"metadata-internal-address", "the metadata's jwks_uri is the cloud instance metadata address", "asmeta", "discovery.ssrf-suspicious-url", "warning"},
	{"metadata-oidc-only", "metadata only at /.well-known/openid-configuration", "asmeta", "asmeta.oidc-only", "info"},
	{"no-pkce-advertised", "no code_challenge_methods_supported in the metadata", "asmeta", "asmeta.pkce-missing", "error"},
	{"pkce-plain-only", "code_challenge_methods_supported is [\"plain\"]", "asmeta", "asmeta.pkce-no-s256", "error"},
	{"no-registration", "no registration endpoint, no CIMD support", "register", "register.no-mechanism", "error"},
	{"dcr-rejects-loopback", "dynamic registration rejects http loopback redirect URIs", "register", "register.dcr-rejected", "error"},
	{"dcr-html-page", "the registration endpoint answers 200 with an HTML page (a single-page-app catch-all)", "register", "register.dcr-response", "error"},
	{"dcr-status-200", "dynamic registration answers 200 instead of 201", "register", "register.dcr-status", "warning"},
	{"dcr-forces-basic", "registration assigns client_secret_basic, but the token endpoint reads only body credentials", "token", "token.invalid-client", "error"},
	{"resource-rejected", "the authorization endpoint refuses the MCP server's URL as resource (invalid_target)", "authorize", "authorize.invalid-target", "error"},
	{"registration-not-shared", "the authorization endpoint does not know clients the registration endpoint created (another instance)", "authorize", "authorize.error-page", "error"},
	{"redirect-port-dropped", "the authorization response goes to the redirect URI with its port dropped", "authorize", "authorize.redirect-mismatch", "error"},
	{"no-iss", "the metadata promises iss, the authorization response lacks it", "authorize", "authorize.iss-missing", "error"},
	{"wrong-iss", "the authorization response carries another issuer's iss", "authorize", "authorize.iss-mismatch", "error"},
	{"iss-not-advertised", "iss is sent, but authorization_response_iss_parameter_supported is not set", "authorize", "authorize.iss-unadvertised", "warning"},
	{"state-dropped", "the authorization response does not return state", "authorize", "authorize.state", "error"},
	{"token-error-200", "token errors come back with HTTP 200", "token", "token.error-status", "error"},
	{"token-html-error", "token errors come back as an HTML page", "token", "token.not-json", "error"},
	{"token-login-page", "the token endpoint answers 200 with an HTML login page", "token", "token.not-json", "error"},
	{"token-no-store-missing", "token responses without Cache-Control: no-store", "token", "token.cache-control", "warning"},
	{"audience-trailing-slash", "the MCP server expects its URL with a trailing slash as the audience, and refuses every token", "connect", "connect.token-rejected", "error"},
	{"insufficient-scope-401", "a token without mcp:write gets 401 instead of 403 insufficient_scope for write_note", "calls:tools/call", "calls.unauthorized-for-scope", "warning"},
	{"scope-granted-refused", "write_note is refused with 403 insufficient_scope even after mcp:write is granted (the scope string is compared whole)", "calls:tools/call", "calls.scope-rejected", "error"},
	{"query-token-accepted", "the MCP server accepts access_token in the URL query", "probes:query-token", "probes.query-token-accepted", "error"},
	{"invalid-token-500", "an unknown token gets 500 instead of 401", "probes:invalid-token", "probes.invalid-token-status", "error"},
	{"no-audience-check", "the MCP server accepts tokens issued for other resources", "probes:other-resource", "probes.other-resource-accepted", "error"},
	{"empty-bearer-500", "an Authorization header of Bearer alone makes the MCP server fail with 500", "probes:empty-bearer", "probes.empty-bearer-status", "error"},
	{"cors-no-expose", "the 401 allows the inspector's origin but does not expose WWW-Authenticate", "probes:cors-discovery", "probes.cors-expose", "info"},
	{"open-redirect", "the authorization server redirects to any redirect_uri", "probes:redirect-uri", "probes.redirect-uri-not-validated", "error"},
	{"loopback-port-exact", "the authorization server matches loopback redirect URIs with their port (ignores RFC 8252 §7.3)", "probes:redirect-uri", "probes.loopback-port-refused", "warning"},
	{"pkce-not-verified", "the token endpoint does not check code_verifier", "probes:pkce", "probes.pkce-not-verified", "error"},
	{"forbidden-without-error", `403 without error="insufficient_scope" (as the Go SDK's RequireBearerToken sends)`, "probes:insufficient-scope", "probes.insufficient-scope-error", "warning"},
	{"dpop-bearer-token", "DPoP advertised and required, but the authorization server answers proofs with Bearer tokens", "token", "dpop.token-not-bound", "error"},
	{"dpop-rs-accepts-bearer", "the MCP server accepts a DPoP-bound token as a Bearer token, without a proof", "probes:dpop-as-bearer", "probes.dpop-as-bearer-accepted", "error"},
	{"dpop-no-key-check", "the MCP server verifies DPoP proofs but not that their key is the token's", "probes:dpop-wrong-key", "probes.dpop-wrong-key-accepted", "error"},
}

// Faults lists every fault, by name.
func Faults() []Fault {
	out := append([]Fault(nil), faults...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupFault returns the named fault.
func LookupFault(name string) (Fault, error) {
	for _, f := range faults {
		if f.Name == name {
			return f, nil
		}
	}
	return Fault{}, fmt.Errorf("unknown fault %q (mcpwalk demo --list-faults lists them)", name)
}

func (s *Server) has(name string) bool { return s.opts.Fault == name }

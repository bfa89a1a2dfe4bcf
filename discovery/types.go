// Package discovery finds and validates what a client needs before it can
// ask for a token: the WWW-Authenticate challenges of a 401 or 403
// (RFC 9110 §11.6.1, RFC 6750 §3), the Protected Resource Metadata
// (RFC 9728) and the authorization server metadata (RFC 8414, OpenID
// Connect Discovery 1.0). Every URL it tries is recorded with its outcome;
// nothing is skipped silently. It never prints: results carry checks.
package discovery

import "github.com/mcpwalk/mcpwalk/internal/check"

// Challenge is one authentication challenge from a WWW-Authenticate header.
type Challenge struct {
	// Scheme as sent ("Bearer", "DPoP"); compare case-insensitively.
	Scheme string `json:"scheme"`
	// Params holds auth-params with lower-cased names and unquoted values,
	// for example resource_metadata, scope, error, error_description
	// (RFC 6750 §3, RFC 9728 §5.1).
	Params map[string]string `json:"params,omitempty"`
	// Token68 is the token68 form of credentials, if the challenge used it.
	Token68 string `json:"token68,omitempty"`
}

// Candidate is one well-known URL to try, with the identifier the document
// found there must carry.
type Candidate struct {
	URL string `json:"url"`
	// Expect is the resource (PRM) or issuer (AS metadata) the document
	// must name exactly (RFC 9728 §3.3, RFC 8414 §3.3).
	Expect string `json:"expect"`
	// Source says how the URL was built: "header", "path", "root" for PRM;
	// "oauth-insert", "oidc-insert", "oidc-append", "legacy-root" for AS.
	Source string `json:"source"`
}

// Attempt is what happened at one candidate URL.
type Attempt struct {
	Candidate
	// Status is the HTTP status, 0 when no response came back.
	Status int `json:"status,omitempty"`
	// ContentType is the response media type as sent.
	ContentType string `json:"content_type,omitempty"`
	// Accepted is true for the one document that was used.
	Accepted bool `json:"accepted"`
	// Reason says why it was not used, naming what was expected and what
	// came back ("404 Not Found", "resource \"https://a/\" ≠ \"https://a/mcp\"").
	Reason string `json:"reason,omitempty"`
}

// ProtectedResourceMetadata is the RFC 9728 §2 document. Only the members
// mcpwalk uses are typed; the raw document is kept alongside.
type ProtectedResourceMetadata struct {
	// Resource (`resource`, REQUIRED): the protected resource's identifier.
	Resource string `json:"resource"`
	// AuthorizationServers (`authorization_servers`, OPTIONAL in RFC 9728,
	// at least one REQUIRED by MCP): issuer identifiers.
	AuthorizationServers []string `json:"authorization_servers,omitempty"`
	// ScopesSupported (`scopes_supported`, RECOMMENDED).
	ScopesSupported []string `json:"scopes_supported,omitempty"`
	// BearerMethodsSupported (`bearer_methods_supported`, OPTIONAL).
	BearerMethodsSupported []string `json:"bearer_methods_supported,omitempty"`
	// ResourceName (`resource_name`, RECOMMENDED).
	ResourceName string `json:"resource_name,omitempty"`
	// DPoPSigningAlgValuesSupported (`dpop_signing_alg_values_supported`,
	// OPTIONAL, RFC 9728 §2): the JWS algorithms the resource accepts in
	// DPoP proofs.
	DPoPSigningAlgValuesSupported []string `json:"dpop_signing_alg_values_supported,omitempty"`
	// DPoPBoundAccessTokensRequired (`dpop_bound_access_tokens_required`,
	// OPTIONAL, default false, RFC 9728 §2): the resource accepts only
	// DPoP-bound access tokens (RFC 9449).
	DPoPBoundAccessTokensRequired bool `json:"dpop_bound_access_tokens_required,omitempty"`
}

// AuthServerMetadata is the RFC 8414 §2 / OIDC Discovery §3 document.
type AuthServerMetadata struct {
	// Issuer (`issuer`, REQUIRED): must equal the issuer the URL was built from.
	Issuer string `json:"issuer"`
	// AuthorizationEndpoint (`authorization_endpoint`, REQUIRED for code flow).
	AuthorizationEndpoint string `json:"authorization_endpoint,omitempty"`
	// TokenEndpoint (`token_endpoint`, REQUIRED unless implicit only).
	TokenEndpoint string `json:"token_endpoint,omitempty"`
	// RegistrationEndpoint (`registration_endpoint`, OPTIONAL, RFC 7591).
	RegistrationEndpoint string `json:"registration_endpoint,omitempty"`
	// RevocationEndpoint (`revocation_endpoint`, OPTIONAL, RFC 7009).
	RevocationEndpoint string `json:"revocation_endpoint,omitempty"`
	// IntrospectionEndpoint (`introspection_endpoint`, OPTIONAL, RFC 7662).
	IntrospectionEndpoint string `json:"introspection_endpoint,omitempty"`
	// JWKSURI (`jwks_uri`, OPTIONAL).
	JWKSURI string `json:"jwks_uri,omitempty"`
	// ScopesSupported (`scopes_supported`, RECOMMENDED).
	ScopesSupported []string `json:"scopes_supported,omitempty"`
	// ResponseTypesSupported (`response_types_supported`, REQUIRED).
	ResponseTypesSupported []string `json:"response_types_supported,omitempty"`
	// GrantTypesSupported (`grant_types_supported`, OPTIONAL; default
	// authorization_code and implicit).
	GrantTypesSupported []string `json:"grant_types_supported,omitempty"`
	// TokenEndpointAuthMethodsSupported (`token_endpoint_auth_methods_supported`,
	// OPTIONAL; default client_secret_basic).
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	// TokenEndpointAuthSigningAlgValuesSupported
	// (`token_endpoint_auth_signing_alg_values_supported`, OPTIONAL).
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported,omitempty"`
	// CodeChallengeMethodsSupported (`code_challenge_methods_supported`);
	// MCP clients MUST refuse to proceed when absent (2025-11-25 on).
	CodeChallengeMethodsSupported []string `json:"code_challenge_methods_supported,omitempty"`
	// ClientIDMetadataDocumentSupported
	// (`client_id_metadata_document_supported`, CIMD draft §6).
	ClientIDMetadataDocumentSupported bool `json:"client_id_metadata_document_supported,omitempty"`
	// AuthorizationResponseIssParameterSupported
	// (`authorization_response_iss_parameter_supported`, RFC 9207 §3).
	AuthorizationResponseIssParameterSupported bool `json:"authorization_response_iss_parameter_supported,omitempty"`
	// DPoPSigningAlgValuesSupported (`dpop_signing_alg_values_supported`, RFC 9449 §5.1).
	DPoPSigningAlgValuesSupported []string `json:"dpop_signing_alg_values_supported,omitempty"`
}

// PRMResult is the outcome of Protected Resource Metadata discovery.
type PRMResult struct {
	// Metadata is the accepted document, nil when none was found.
	Metadata *ProtectedResourceMetadata `json:"metadata,omitempty"`
	// Raw is the accepted document as received (JSON).
	Raw map[string]any `json:"raw,omitempty"`
	// From is the candidate the accepted document came from.
	From *Candidate `json:"from,omitempty"`
	// Rejected is the first document that arrived but failed validation
	// (resource mismatch); only a lenient walk uses it.
	Rejected *ProtectedResourceMetadata `json:"rejected,omitempty"`
	// Attempts lists every URL tried, in order.
	Attempts []Attempt `json:"attempts"`
	// Checks are the rules evaluated on what came back.
	Checks check.List `json:"checks"`
}

// ASResult is the outcome of authorization server metadata discovery.
type ASResult struct {
	Metadata *AuthServerMetadata `json:"metadata,omitempty"`
	Raw      map[string]any      `json:"raw,omitempty"`
	From     *Candidate          `json:"from,omitempty"`
	// Rejected is the first document that arrived but failed validation
	// (issuer mismatch); only a lenient walk uses it.
	Rejected *AuthServerMetadata `json:"rejected,omitempty"`
	Attempts []Attempt           `json:"attempts"`
	Checks   check.List          `json:"checks"`
}

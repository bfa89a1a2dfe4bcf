package findings

// tokenFindings: the code exchange and the token it yields (step token).
var tokenFindings = []Finding{
	{
		ID:       "token.jwt-bearer",
		Title:    "A token was requested with the jwt-bearer grant",
		Severity: Pass,
		Rules:    []string{"RFC 7523 §2.1", "MCP extensions io.modelcontextprotocol/auth/wif (SEP-1933) and enterprise-managed-authorization (SEP-990)"},
		Why: "The client presents a JWT it holds — a workload identity token, or the ID-JAG an enterprise IdP issued — instead of " +
			"sending a user to the authorization endpoint. A refusal is reported once: no retry, no switch to another grant.",
		Fix: "Nothing to fix.",
	},
	{
		ID:       "token.exchange",
		Title:    "The user's ID token was exchanged at the enterprise IdP for an ID-JAG",
		Severity: Pass,
		Rules:    []string{"RFC 8693 §2.1", "MCP extension enterprise-managed-authorization (SEP-990)"},
		Why:      "Enterprise-managed authorization: the IdP decides, by policy, whether this user may use this MCP server, and says so in an Identity Assertion JWT Authorization Grant.",
		Fix:      "Nothing to fix.",
	},
	{
		ID:       "token.exchange-failed",
		Title:    "The enterprise IdP refused the token exchange",
		Severity: Error,
		Rules:    []string{"RFC 8693 §2.2.2", "MCP extension enterprise-managed-authorization (SEP-990)"},
		Why:      "Without an ID-JAG there is nothing to present to the MCP server's authorization server.",
		Breaks:   "No token: the MCP server cannot be used through enterprise-managed authorization.",
		Clients:  Clients{Refuse: []string{"every client: there is no token to use"}},
		Fix:      "Check the ID token (expiry, audience = the client at the IdP), the client's IdP credentials, and that the IdP trusts the MCP server's authorization server as an audience.",
	},
	{
		ID:       "token.exchange-type",
		Title:    "The IdP's answer is not typed as an ID-JAG",
		Severity: Warning,
		Rules:    []string{"RFC 8693 §2.2.1 (issued_token_type)", "MCP extension enterprise-managed-authorization (SEP-990)"},
		Why:      "issued_token_type must say urn:ietf:params:oauth:token-type:id-jag and the JWT's typ oauth-id-jag+jwt, so that nothing else can be mistaken for the grant.",
		Breaks:   "Authorization servers that check the typ refuse the grant.",
		Fix:      "Issue ID-JAGs typed as the extension says.",
	},
	{
		ID:       "token.client-credentials",
		Title:    "A token was requested with the client_credentials grant",
		Severity: Pass,
		Rules:    []string{"OAuth 2.1 §4.2", "MCP extension io.modelcontextprotocol/oauth-client-credentials (SEP-1046)", "RFC 7523 §2.2 (private_key_jwt)"},
		Why: "Machine-to-machine access: no user and no browser; the pre-registered client authenticates as itself " +
			"(a secret, or a JWT signed with its key) and asks for the MCP server's resource.",
		Fix: "Nothing to fix.",
	},
	{
		ID:       "token.grant-unsupported",
		Title:    "The authorization server does not list the grant mcpwalk was asked to use",
		Severity: Warning,
		Rules:    []string{"RFC 8414 §2 (grant_types_supported)"},
		Why:      "grant_types_supported tells clients which grants the token endpoint accepts; mcpwalk tries the grant anyway and reports what happens.",
		Breaks:   "Clients that check the list refuse to try; the others may get unsupported_grant_type.",
		Fix:      "List every grant the token endpoint accepts, or enable the grant for this client.",
	},
	{
		ID:       "token.no-refresh-token",
		Title:    "No refresh token was issued",
		Severity: Info,
		Rules:    []string{"RFC 6749 §5.1 (refresh_token is OPTIONAL)", "OAuth 2.1 §4.3"},
		Why: "The message says why: offline_access offered but not requested, not offered at all, or the authorization " +
			"server's policy. Without one, the token cannot be renewed without a new login.",
		Breaks: "Agents and CI checks need an interactive login at every expiry.",
		Fix:    "Offer offline_access in scopes_supported and issue rotated refresh tokens to public clients.",
	},
	{
		ID:       "token.type",
		Title:    "token_type is not Bearer (or DPoP)",
		Severity: Warning,
		Rules:    []string{"RFC 6749 §5.1, §7.1", "RFC 6750 §4"},
		Why:      "token_type tells the client how to present the token; MCP uses Bearer. The comparison is case-insensitive.",
		Breaks:   "Strict clients refuse an unknown type; most send the token as Bearer anyway, as mcpwalk does.",
		Fix:      "Return \"token_type\": \"Bearer\".",
	},
	{
		ID:       "token.cache-control",
		Title:    "The token response lacks Cache-Control: no-store",
		Severity: Warning,
		Rules:    []string{"RFC 6749 §5.1 (MUST include Cache-Control: no-store)", "OAuth 2.1 §3.2.3"},
		Why:      "Token responses carry secrets; intermediaries and browser caches must not keep them.",
		Breaks:   "Nothing visible in clients; the official conformance suite fails the authorization server on it.",
		Clients:  Clients{Tolerate: []string{mostClients}},
		Fix:      "Send Cache-Control: no-store (and Pragma: no-cache for old caches) on every token endpoint response.",
	},
	{
		ID:       "token.scope-reduced",
		Title:    "The token was granted fewer scopes than requested",
		Severity: Info,
		Rules:    []string{"RFC 6749 §3.3 (the server may grant less and MUST then say so in scope)"},
		Why:      "Allowed: users can decline scopes and policies can trim them. Calls that need a missing scope will get 403 insufficient_scope.",
		Breaks:   "Tool calls that need the missing scope fail; clients that step up ask again and may loop if the server keeps refusing.",
		Fix:      "Check the consent the user gave and the authorization server's policy for the client.",
	},
	{
		ID:       "token.expires-in",
		Title:    "The token response has no expires_in",
		Severity: Info,
		Rules:    []string{"RFC 6749 §5.1 (RECOMMENDED)", "MCP 2025-11-25 Security Considerations §Token Theft (short-lived tokens SHOULD be issued)"},
		Why:      "Without it clients cannot refresh before expiry; they learn it from a 401.",
		Breaks:   "An extra failed request (401, then refresh or re-authorization) whenever the token expires.",
		Fix:      "Return expires_in (seconds).",
	},
	{
		ID:       "token.long-lived",
		Title:    "The access token lives longer than a day",
		Severity: Info,
		Rules:    []string{"MCP 2025-11-25 Security Considerations §Token Theft (authorization servers SHOULD issue short-lived access tokens)", "OAuth 2.1 §7.1"},
		Why:      "A bearer token works for whoever holds it until it expires; a long lifetime makes a leaked token useful for long.",
		Breaks:   "Nothing in clients: the risk is a stolen token (logs, a shared machine, a compromised server) that keeps working.",
		Fix:      "Issue access tokens for minutes or hours, with rotated refresh tokens for longer sessions.",
	},
	{
		ID:       "token.opaque",
		Title:    "The access token is opaque: its audience cannot be checked here",
		Severity: Info,
		Rules:    []string{"RFC 9068 (JWT access tokens)", "RFC 8707 §2"},
		Why: "Opaque tokens are fine. mcpwalk decodes JWT access tokens (without trusting them) to show aud, scope and " +
			"exp; for an opaque token it can only tell from the MCP server's answer whether the token is accepted.",
		Breaks: "Nothing. If calls then fail with 401, the token's audience is the usual suspect.",
		Providers: []ProviderFix{
			{"Google", "access tokens are always opaque."},
			{"Auth0", "without an API audience the access token is opaque (meant for /userinfo only); set a Default Audience, see token.audience-missing."},
		},
	},
	{
		ID:       "token.audience-missing",
		Title:    "The JWT access token has no aud claim",
		Severity: Warning,
		Rules:    []string{"RFC 8707 §2", "RFC 9068 §3 (aud is REQUIRED)", "MCP 2025-06-18 Authorization §Token Audience Binding and Validation"},
		Why: "MCP servers must accept only tokens issued for them, and aud is how they tell. Without it the token is " +
			"valid everywhere the issuer is trusted — the token-passthrough problem.",
		Breaks: "MCP servers that validate the audience (as they must) answer 401 right after a successful login: \"OAuth " +
			"succeeded but every call is unauthorized\". Servers that do not validate accept it, and so accept tokens " +
			"minted for any other API.",
		Clients: Clients{Refuse: []string{"MCP servers that validate the audience (the call fails, not the client)"}},
		Fix:     "Make the authorization server put the MCP server's canonical URL in aud (resource indicators, RFC 8707).",
		Providers: []ProviderFix{
			{"Cognito", "access tokens carry client_id, not aud; the MCP server must check client_id (and scope) instead, or use a resource server with custom scopes."},
			{"Keycloak", "add an Audience mapper (Included Custom Audience = the MCP URL) to a client scope the client gets."},
		},
	},
	{
		ID:       "token.audience-mismatch",
		Title:    "The JWT's aud does not contain the resource that was requested",
		Severity: Warning,
		Rules:    []string{"RFC 8707 §2", "MCP 2025-06-18 Authorization §Token Audience Binding and Validation (servers MUST validate the audience)"},
		Why: "The token was requested for the MCP server (resource=<MCP URL>) but issued for something else, typically a " +
			"fixed API identifier configured in the identity provider, because the authorization server ignores the " +
			"resource parameter.",
		Breaks: "An MCP server that validates the audience against its own URL answers 401 to every call (\"IDX10214: " +
			"audience validation failed\" on .NET). If it accepts this audience, it accepts tokens issued for that other API too.",
		Clients: Clients{Refuse: []string{"MCP servers that validate the audience (the call fails with 401)"}},
		Fix: "Configure the authorization server to honour resource indicators, or make its audience for this client the " +
			"MCP server's canonical URL; then validate exactly that audience in the MCP server.",
		Providers: []ProviderFix{
			{"Auth0", "create an API whose Identifier is the MCP URL and make it the tenant's Default Audience (clients send resource, not Auth0's audience parameter)."},
			{"Okta", "set the custom authorization server's Audience to the MCP URL (the default is api://default)."},
			{"Entra ID", "aud is the app's client id (v2 tokens) or its Application ID URI (v1), never the URL sent as resource; the MCP server must accept that audience, and the Application ID URI can be set to the MCP URL on a verified domain."},
			{"Keycloak", "add an Audience mapper with the MCP URL; remove the default audience the server does not expect."},
			{"WorkOS AuthKit", "register the MCP server URL as the resource (audience) tokens are issued for."},
		},
	},
	{
		ID:       "token.audience",
		Title:    "The JWT's aud contains the resource",
		Severity: Pass,
		Rules:    []string{"RFC 8707 §2"},
		Why:      "The token is bound to the MCP server.",
	},
	{
		ID:       "token.expired",
		Title:    "The access token was already expired when it arrived",
		Severity: Warning,
		Rules:    []string{"RFC 7519 §4.1.4 (exp)"},
		Why:      "A fresh token with an exp in the past means the authorization server's clock (or mcpwalk's) is off, or the lifetime is configured as zero.",
		Breaks:   "MCP servers reject the token with 401 and clients loop through re-authorization.",
		Fix:      "Synchronise the clocks (NTP) and check the token lifetime setting.",
	},
	{
		ID:       "token.not-json",
		Title:    "The token endpoint answered with something that is not an OAuth JSON response",
		Severity: Error,
		Rules:    []string{"RFC 6749 §5.1, §5.2 (application/json with access_token, or error)"},
		Why: "Clients parse the body as JSON to find access_token or error. An HTML error page, an empty body or a " +
			"redirect to a login page gives them nothing to show.",
		Breaks: "Clients surface parser errors instead of the real cause (\"Unexpected end of JSON input\", Zod validation " +
			"errors, \"invalid character '<'\").",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix: "Answer errors with 400 (401 for invalid_client) and a JSON object with error and error_description. Check " +
			"what answers the token URL: a WAF block page, a framework's default 404/500 page or a proxy timeout page " +
			"are the usual sources of HTML here.",
	},
	{
		ID:       "token.error-status",
		Title:    "The token endpoint returned an OAuth error with a success status",
		Severity: Error,
		Rules:    []string{"RFC 6749 §5.2 (errors use 400, or 401 for invalid_client)"},
		Why:      "Clients decide success by the status code; an error body with 200 reads as a token response without a token.",
		Breaks:   "Clients fail with \"missing access_token\" or schema errors, and the real error text is lost.",
		Clients:  Clients{Refuse: []string{mostClients}},
		Fix:      "Return 400 for token errors (401 with WWW-Authenticate for failed client authentication).",
	},
	{
		ID:       "token.error",
		Title:    "The token request failed with an OAuth error",
		Severity: Error,
		Rules:    []string{"RFC 6749 §5.2"},
		Why:      "The authorization server refused the code exchange; error and error_description say why.",
		Breaks:   "No token, no MCP session.",
		Clients:  Clients{Refuse: []string{mostClients}},
		Fix:      "Read error_description; the exchange in the transcript shows the exact request sent.",
	},
	{
		ID:       "token.invalid-client",
		Title:    "The token endpoint rejected the client's authentication (invalid_client)",
		Severity: Error,
		Rules:    []string{"RFC 6749 §5.2", "RFC 6749 §2.3.1", "RFC 7591 §2 (token_endpoint_auth_method)"},
		Why: "The client authenticated with a method or secret the token endpoint does not accept, or the client_id is " +
			"unknown to it.",
		Breaks: "Usual causes: the server registered or advertises client_secret_basic but only reads credentials from " +
			"the body (or the other way round); a dynamically registered client the server has since pruned, which " +
			"clients replay forever (\"Unrecognized client_id\"); a confidential app used without its secret; a client " +
			"sending two methods at once.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix: "Make the token endpoint accept exactly the methods it advertises in token_endpoint_auth_methods_supported " +
			"and the one it registered; keep dynamically registered clients as long as their tokens live, and answer an " +
			"unknown client_id with invalid_client so clients re-register.",
		Providers: []ProviderFix{
			{"Cloudflare workers-oauth-provider", "check that registered clients are not expired or deleted while clients still hold their ids."},
			{"Entra ID", "a redirect URI under the \"Web\" platform makes the app confidential: redeeming its code without a secret fails (AADSTS7000218); use the \"Mobile and desktop applications\" platform, or pass --client-secret."},
		},
	},
	{
		ID:       "token.invalid-grant",
		Title:    "The authorization code or PKCE verifier was refused (invalid_grant)",
		Severity: Error,
		Rules:    []string{"RFC 6749 §5.2", "RFC 7636 §4.6", "RFC 8707 §2 (resource must be consistent)"},
		Why: "Codes are single-use and short-lived, and the token request must repeat the redirect_uri and carry the " +
			"verifier matching the challenge; MCP also requires the same resource in both requests.",
		Breaks: "Usual causes: the code was already redeemed (a double-submitted callback), the code expired while the user " +
			"lingered, the redirect_uri differs (localhost vs 127.0.0.1, a port, a trailing slash), or the resource " +
			"differs between the two requests (a trailing slash added by URL normalisation).",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix:     "Compare the authorize and token requests in the transcript; the authorization server's logs name the mismatching parameter.",
	},
	{
		ID:       "token.invalid-target",
		Title:    "The authorization server rejected the resource parameter (invalid_target)",
		Severity: Error,
		Rules:    []string{"RFC 8707 §2", "MCP 2025-06-18 Authorization §Resource Parameter Implementation (clients MUST send resource)"},
		Why: "MCP clients must send resource=<canonical MCP URL> whether or not the authorization server supports it. " +
			"An authorization server that knows resource indicators rejects values it has no API for.",
		Breaks: "Every MCP client fails at the token (or authorization) step; clients cannot leave resource out without " +
			"breaking the spec.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix:     "Register the MCP server's canonical URL (exactly, with or without its trailing slash as clients send it) as a resource / API identifier on the authorization server.",
		Providers: []ProviderFix{
			{"Entra ID", "v2 endpoints answer AADSTS9010010 (resource does not match the requested scopes) or AADSTS901002 (resource not supported); the scope must be under the same Application ID URI as resource, and that URI must equal the MCP URL."},
			{"Auth0", "where the tenant accepts the resource parameter, it must be the Identifier of an API defined in the tenant."},
		},
	},
}

package findings

// asmetaFindings: authorization server metadata (step asmeta).
var asmetaFindings = []Finding{
	{
		ID:       "asmeta.found",
		Title:    "No usable authorization server metadata at any of the URLs a client tries",
		Severity: Error,
		Rules: []string{
			"MCP 2025-11-25 Authorization §Authorization Server Metadata Discovery (RFC 8414 and OpenID Connect Discovery; the order of URLs)",
			"RFC 8414 §3, §3.2", "OpenID Connect Discovery 1.0 §4",
			"MCP 2025-03-26 Authorization §Server Metadata Discovery, §Fallbacks (legacy path)",
		},
		Why: "The metadata names the authorization and token endpoints, the PKCE methods and the registration options. " +
			"For an issuer with a path (https://as/tenant1) clients try, in order, " +
			"/.well-known/oauth-authorization-server/tenant1, /.well-known/openid-configuration/tenant1 and " +
			"/tenant1/.well-known/openid-configuration; without a path the first two at the root. mcpwalk lists every URL " +
			"with its status. On the 2025-03-26 path (no PRM) a missing document is a warning and the default " +
			"/authorize, /token and /register endpoints are used.",
		Breaks: "Clients cannot build an authorization request and stop. A CDN or WAF answering a miss with 400/401/403 " +
			"instead of 404 stops clients that only fall through on 404. Metadata published only at " +
			"<issuer>/.well-known/oauth-authorization-server (appended, not inserted) is not among the URLs MCP clients try.",
		Clients: Clients{
			Refuse:   []string{mostClients},
			Tolerate: []string{goSDK + " (falls back to /authorize, /token, /register at the issuer)"},
		},
		Fix: "Serve the metadata (200, application/json, public) at the RFC 8414 path-insertion URL for the issuer, or at " +
			"one of the OpenID Connect URLs. Make sure the issuer in authorization_servers is the real issuer.",
		Providers: []ProviderFix{
			{"Entra ID", "only the OpenID Connect appended form exists: https://login.microsoftonline.com/<tenant-id>/v2.0/.well-known/openid-configuration; list https://login.microsoftonline.com/<tenant-id>/v2.0 as the issuer."},
			{"Cognito", "the OpenID Connect appended form: https://cognito-idp.<region>.amazonaws.com/<pool-id>/.well-known/openid-configuration."},
			{"Keycloak", "https://<host>/realms/<realm>/.well-known/openid-configuration (appended form) is the one clients will find."},
			{"Okta", "a custom authorization server answers at https://<org>.okta.com/oauth2/<id>/.well-known/openid-configuration (the appended OIDC form, which clients try third)."},
			{"TypeScript SDK", "mcpAuthRouter serves /.well-known/oauth-authorization-server; for an external authorization server use mcpAuthMetadataRouter."},
		},
	},
	{
		ID:       "asmeta.issuer-mismatch",
		Title:    "The metadata's issuer differs from the issuer the URL was built from",
		Severity: Error,
		Rules: []string{
			"RFC 8414 §3.3 (the issuer MUST be identical; otherwise the metadata MUST NOT be used)",
			"OpenID Connect Discovery 1.0 §4.3",
			"MCP 2026-07-28 Authorization Server Discovery (clients MUST validate the issuer)",
		},
		Why: "The check stops mix-up attacks: without it, one authorization server's metadata could redirect a client's " +
			"codes and tokens to another. It also makes the issuer recorded for the RFC 9207 iss check trustworthy. " +
			"The comparison is exact: no trailing-slash or case folding. On the 2025-03-26 path nobody announced an " +
			"issuer, so a mismatch there is a warning.",
		Breaks: "Strict clients refuse before the consent screen; others accept it, so the same server works in one " +
			"client and fails in another. A trailing slash is the most common cause (Auth0 issuers end in \"/\"); others " +
			"are a vanity or custom domain in front of a hosted identity provider, a tenant path, and Entra ID's " +
			"multi-tenant metadata whose issuer contains the literal placeholder {tenantid}.",
		Clients: Clients{
			Refuse: []string{strictClients, tsSDK2 + " (IssuerMismatchError)", goSDK + " (except a trailing-slash-only difference)", "crush"},
			Tolerate: []string{tsSDK1 + " (does not compare the issuer)",
				goSDK + " (trims a trailing slash before comparing)"},
		},
		Fix: "List the issuer in the PRM's authorization_servers exactly as the metadata spells it (byte for byte), or make " +
			"the authorization server use the public URL as its issuer.",
		Providers: []ProviderFix{
			{"Auth0", "the issuer ends with a slash: list https://<tenant>.auth0.com/ (or https://<custom-domain>/) with the slash."},
			{"Entra ID", "use a tenant-specific issuer (https://login.microsoftonline.com/<tenant-id>/v2.0), never common or organizations."},
			{"Keycloak", "set the hostname (KC_HOSTNAME) to the public URL; behind a proxy without it the issuer carries the internal host or port."},
			{"Python SDK (FastMCP)", "issuer_url is a pydantic URL and a bare origin gains a trailing slash; make the PRM and the metadata agree."},
			{"Cloudflare workers-oauth-provider", "the issuer is the Worker's origin; list that origin, not a route under it."},
		},
	},
	{
		ID:       "asmeta.pkce",
		Title:    "code_challenge_methods_supported includes S256",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Authorization Code Protection", "OAuth 2.1 §4.1.1"},
		Why:      "Clients must verify PKCE support before the authorization request.",
	},
	{
		ID:       "asmeta.pkce-missing",
		Title:    "The metadata has no code_challenge_methods_supported",
		Severity: Error,
		Rules: []string{
			"MCP 2025-11-25 Authorization §Authorization Code Protection (clients MUST refuse to proceed when it is absent)",
			"OAuth 2.1 §4.1.1", "RFC 8414 §2",
		},
		Why: "PKCE protects the authorization code against interception. Since an authorization server that ignores PKCE " +
			"silently accepts any code, the only way a client can know PKCE is enforced is the metadata. OpenID " +
			"providers MUST include the field under MCP.",
		Breaks: "Same server, different verdicts: clients following 2025-11-25 refuse, older ones proceed. Entra ID and " +
			"Cognito omit the field even though they support PKCE.",
		Clients: Clients{
			Refuse:   []string{strictClients, goSDK + " (empty list is an error)", "C# SDK", "Dart mcp_dart", "Vercel @ai-sdk/mcp"},
			Tolerate: []string{tsSDK1 + " (checks the list only when present)"},
		},
		Fix: "Add \"code_challenge_methods_supported\": [\"S256\"] to the metadata. If the identity provider's document " +
			"cannot be changed, publish your own RFC 8414 document (a copy with the field added) and point the PRM at an " +
			"issuer you control — the issuer must then match that document.",
		Providers: []ProviderFix{
			{"Entra ID", "its OpenID document has no such field; front it with a small authorization server facade or metadata proxy that serves corrected metadata under your own issuer."},
			{"Cognito", "same: the user pool's document omits it; a metadata proxy or an MCP-aware gateway is the usual fix."},
			{"Cloudflare workers-oauth-provider", "lists the methods automatically."},
			{"TypeScript SDK", "mcpAuthRouter lists [\"S256\"]."},
		},
	},
	{
		ID:       "asmeta.pkce-no-s256",
		Title:    "code_challenge_methods_supported does not include S256",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Authorization §Authorization Code Protection (MUST use S256)", "OAuth 2.1 §4.1.1 (S256 is mandatory to implement on the server)", "RFC 7636 §4.2"},
		Why:      "The plain method sends the verifier itself as the challenge, so anyone who sees the authorization request can redeem the code.",
		Breaks:   "Clients refuse with \"does not support code challenge method S256\".",
		Clients: Clients{
			Refuse:   []string{strictClients, tsSDK1},
			Tolerate: []string{goSDK + " (checks only that the list is non-empty, then sends S256)"},
		},
		Fix: "Support S256 and list it: \"code_challenge_methods_supported\": [\"S256\"].",
	},
	{
		ID:       "asmeta.pkce-plain",
		Title:    "code_challenge_methods_supported lists plain",
		Severity: Info,
		Rules:    []string{"OAuth 2.1 §4.1.1", "RFC 7636 §7.2"},
		Why:      "Harmless when S256 is also listed (clients use S256), but it lets a downgraded client get away with plain.",
		Breaks:   "Nothing for MCP clients.",
		Fix:      "Drop plain from the list and reject it.",
		Providers: []ProviderFix{
			{"Keycloak", "lists plain and S256; set the client's \"PKCE method\" (Advanced settings) to S256 to require it."},
			{"Cloudflare workers-oauth-provider", "set allowPlainPKCE: false."},
		},
	},
	{
		ID:       "asmeta.endpoints",
		Title:    "The metadata lacks authorization_endpoint or token_endpoint",
		Severity: Error,
		Rules:    []string{"RFC 8414 §2 (authorization_endpoint REQUIRED for the code grant; token_endpoint REQUIRED)"},
		Why:      "Without them there is no authorization request and no token request.",
		Breaks:   "Every client stops. This usually means the document is not authorization server metadata at all (a PRM or a custom JSON served at the wrong URL).",
		Clients:  Clients{Refuse: []string{mostClients}},
		Fix:      "Serve the full RFC 8414 document with both endpoints as absolute https URLs.",
	},
	{
		ID:       "asmeta.response-types",
		Title:    "response_types_supported does not include code",
		Severity: Warning,
		Rules:    []string{"RFC 8414 §2 (response_types_supported is REQUIRED)", "OAuth 2.1 §4.1"},
		Why:      "MCP uses the authorization code flow; the member says whether the server offers it.",
		Breaks:   "The TypeScript SDK refuses (\"does not support response type code\"); clients that ignore the member carry on.",
		Clients: Clients{
			Refuse:   []string{tsSDK1},
			Tolerate: []string{goSDK},
		},
		Fix: "Add \"response_types_supported\": [\"code\"].",
	},
	{
		ID:       "asmeta.endpoint-scheme",
		Title:    "An endpoint in the metadata is not an absolute https URL",
		Severity: Error,
		Rules: []string{
			"MCP 2025-11-25 Authorization §Communication Security (all authorization server endpoints MUST be https)",
			"MCP Security Best Practices §OAuth Authorization URL Validation (only http(s); reject javascript:, data:, file:)",
			"OAuth 2.1 §1.5",
		},
		Why: "Tokens, codes and secrets travel to these endpoints; plain http exposes them, and the authorization endpoint " +
			"is opened in a browser, where a javascript: or file: URL becomes code execution. http is fine for loopback.",
		Breaks: "Strict clients refuse the metadata. Behind a TLS-terminating proxy the server often builds http:// URLs " +
			"from the incoming request.",
		Clients: Clients{Refuse: []string{strictClients, goSDK}},
		Fix: "Serve every endpoint over https at an absolute URL. Behind a proxy, configure the public base URL or trust " +
			"X-Forwarded-Proto.",
		Providers: []ProviderFix{
			{"Keycloak", "set KC_HOSTNAME to the https URL and KC_PROXY_HEADERS=xforwarded behind a proxy."},
			{"TypeScript SDK", "pass the public https issuerUrl to mcpAuthRouter."},
		},
	},
	{
		ID:       "asmeta.iss-supported",
		Title:    "The metadata does not advertise authorization_response_iss_parameter_supported",
		Severity: Info,
		Rules:    []string{"RFC 9207 §3", "MCP 2026-07-28 Authorization §Authorization Response Validation (authorization servers SHOULD send iss)"},
		Why: "The iss parameter on the authorization response lets the client detect mix-up attacks (a code from one " +
			"authorization server delivered as if from another). The flag tells clients to require it.",
		Breaks: "Nothing now; the authorize step reports whether iss arrived anyway. A future revision is expected to make iss a MUST.",
		Fix:    "Send iss on every authorization response (success and error) and set \"authorization_response_iss_parameter_supported\": true.",
		Providers: []ProviderFix{
			{"Keycloak", "sends iss and advertises it."},
			{"TypeScript SDK", "mcpAuthRouter does not send iss; add it to the redirect in your provider's authorize handler."},
		},
	},
	{
		ID:       "asmeta.cimd",
		Title:    "The authorization server does not advertise Client ID Metadata Document support",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Authorization §Client ID Metadata Documents (SHOULD)", "draft-ietf-oauth-client-id-metadata-document"},
		Why: "With CIMD a client uses an https URL as its client_id and the authorization server fetches the client's " +
			"metadata from it: no registration call, no per-server client state. Since 2025-11-25 it is the preferred " +
			"mechanism and dynamic registration is deprecated in 2026-07-28.",
		Breaks: "Clients that prefer CIMD fall back to dynamic registration or a pre-registered client; where neither " +
			"exists, they cannot connect.",
		Clients: Clients{Tolerate: []string{"clients with a dynamic-registration or pre-registration fallback"}},
		Fix:     "Accept https client_id URLs (fetch and validate the document) and advertise \"client_id_metadata_document_supported\": true.",
		Providers: []ProviderFix{
			{"WorkOS AuthKit", "supports CIMD for MCP clients; check that it is enabled for the environment."},
			{"Auth0 / Okta / Entra ID / Cognito / Google", "no CIMD support at the time of writing: use a pre-registered client (--client-id) or dynamic registration where available."},
		},
	},
	{
		ID:       "asmeta.registration",
		Title:    "The metadata has no registration_endpoint",
		Severity: Info,
		Rules:    []string{"RFC 7591 §3", "MCP 2025-11-25 Authorization §Dynamic Client Registration (MAY)", "RFC 8414 §2"},
		Why:      "Dynamic registration is optional; without it a client needs CIMD or a pre-registered client_id.",
		Breaks: "Clients that only know dynamic registration cannot connect (\"does not support dynamic client registration\"), " +
			"even when the user has a client_id to give them.",
		Clients: Clients{Refuse: []string{dcrOnly}},
		Fix: "Either offer dynamic registration (RFC 7591), or CIMD, or document a pre-registered client_id for users " +
			"(mcpwalk: --client-id, --client-secret).",
		Providers: []ProviderFix{
			{"Entra ID, Google, Cognito", "no dynamic registration: register an app and pass its client id."},
			{"Okta", "dynamic registration needs an API token, so it is not open to MCP clients; pre-register an app."},
			{"Auth0", "enable Dynamic Client Registration in the tenant settings (and promote the connections to domain level so registered apps can use them)."},
			{"Keycloak", "anonymous registration works only when the client registration policies allow it (the \"Trusted Hosts\" policy rejects unknown hosts)."},
		},
	},
	{
		ID:       "asmeta.oidc-only",
		Title:    "The metadata was found only through OpenID Connect discovery",
		Severity: Info,
		Rules:    []string{"MCP 2025-06-18 Authorization §Authorization Server Metadata Discovery (RFC 8414 only)", "MCP 2025-11-25 Authorization §Authorization Server Metadata Discovery (OIDC too)"},
		Why:      "Since 2025-11-25 clients must also try the OpenID Connect URLs; clients of 2025-06-18 look only for RFC 8414 metadata.",
		Breaks:   "Older clients do not find the metadata.",
		Clients: Clients{
			Refuse:   []string{"2025-06-18 clients"},
			Tolerate: []string{strictClients, goSDK, tsSDK1},
		},
		Fix: "Also publish the document at /.well-known/oauth-authorization-server (path-inserted for an issuer with a path).",
		Providers: []ProviderFix{
			{"Google, Cognito, Entra ID, Keycloak", "publish only OpenID Connect discovery; nothing to change on their side, the note is about older clients."},
		},
	},
	{
		ID:       "asmeta.nonstandard-location",
		Title:    "Authorization server metadata is served where clients do not look",
		Severity: Error,
		Rules: []string{"RFC 8414 §3.1 (the well-known suffix is inserted between host and path)", "OpenID Connect Discovery 1.0 §4",
			"MCP 2025-11-25 Authorization §Authorization Server Metadata Discovery (the URLs and their order)"},
		Why: "For an issuer with a path (https://as/tenant1) clients try the RFC 8414 form with the suffix inserted " +
			"(https://as/.well-known/oauth-authorization-server/tenant1) and the two OpenID forms. The RFC 8414 suffix " +
			"appended to the issuer (https://as/tenant1/.well-known/oauth-authorization-server), or a document at the root " +
			"of the host, is found by none of them; mcpwalk looks there only after the standard URLs failed, to name it.",
		Breaks: "Clients find no metadata and stop (\"no authorization server metadata\"), or fall back to 2025-03-26 " +
			"default endpoints that do not exist. A root document usually has another issuer, so it would be refused anyway.",
		Clients: Clients{Refuse: []string{mostClients, goSDK, tsSDK1}},
		Fix: "Serve the metadata at the inserted form for the issuer, or at <issuer>/.well-known/openid-configuration; or, " +
			"if the document at the root is the right one, list its issuer (without the path) in authorization_servers.",
	},
	{
		ID:       "asmeta.fallback-status",
		Title:    "A metadata URL with nothing there answered other than 404",
		Severity: Warning,
		Rules: []string{"RFC 8414 §3.1, §3.2", "MCP 2025-11-25 Authorization §Authorization Server Metadata Discovery (try the next URL)",
			"RFC 9110 §15.5.5 (404: no representation here)"},
		Why: "Clients try the RFC 8414 URL, then the OpenID Connect ones, going on when a URL has nothing. 404 says so; a " +
			"403 from a CDN, a 401 from a gateway or a 200 HTML page say something else, and clients differ in whether they " +
			"go on. mcpwalk did and found the metadata further on, which is why this is a warning.",
		Breaks: "Clients that go on only after a 404 stop at the first URL and report the authorization server as broken, " +
			"typically with OpenID-only providers whose RFC 8414 path is guarded.",
		Clients: Clients{Refuse: []string{"clients that fall back only on 404"}, Tolerate: []string{goSDK, "mcpwalk"}},
		Fix:     "Answer 404 at metadata URLs the authorization server does not serve: exempt /.well-known/* from gateway authentication and CDN challenge rules.",
	},
	{
		ID:       "asmeta.grant-types",
		Title:    "grant_types_supported does not include authorization_code",
		Severity: Warning,
		Rules:    []string{"RFC 8414 §2 (grant_types_supported; default [\"authorization_code\", \"implicit\"])", "MCP 2025-11-25 Authorization §Authorization Code Protection"},
		Why: "A user authorizes an MCP client with the authorization code grant. Metadata that lists grants without it " +
			"says the token endpoint will not redeem a code; mcpwalk tries anyway and reports what happens.",
		Breaks: "Clients that check the list refuse to start; the others get unsupported_grant_type at the token endpoint " +
			"after the user has already logged in.",
		Fix: "List authorization_code (and refresh_token if refresh tokens are issued) in grant_types_supported, or leave the " +
			"member out; enable the grant for the client if the list is right for the server but not for this client.",
	},
	{
		ID:       "asmeta.protected-resources",
		Title:    "The authorization server's protected_resources do not include this resource",
		Severity: Info,
		Rules:    []string{"RFC 9728 §4 (protected_resources in authorization server metadata)"},
		Why: "An authorization server may list the resources it issues tokens for. One that lists others but not this MCP " +
			"server may not be the one meant for it, or may refuse its resource indicator.",
		Breaks: "Nothing by itself: clients do not have to check the list. It often explains an invalid_target that follows.",
		Fix:    "Add the MCP server's resource identifier to protected_resources, or point authorization_servers in its PRM at the right authorization server.",
	},
}

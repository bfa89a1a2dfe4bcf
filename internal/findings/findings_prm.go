package findings

// prmFindings: Protected Resource Metadata discovery (step prm).
var prmFindings = []Finding{
	{
		ID:       "prm.found",
		Title:    "No Protected Resource Metadata at any of the URLs a client tries",
		Severity: Error,
		Rules: []string{
			"MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements (servers MUST implement one of the mechanisms)",
			"MCP 2025-06-18 Authorization §Authorization Server Location (MUST implement RFC 9728)",
			"RFC 9728 §3, §3.2 (200 OK, application/json)",
		},
		Why: "Since 2025-06-18 the PRM (RFC 9728) is how a client learns which authorization server issues tokens for " +
			"the MCP server and which resource identifier to ask for. Clients look at the challenge's resource_metadata, " +
			"then /.well-known/oauth-protected-resource/<path>, then the root well-known URL; mcpwalk lists every URL " +
			"it tried with its status. When nothing answered anywhere, the 2025-03-26 fallback applies and this is a warning.",
		Breaks: "Clients of 2025-06-18 and later cannot find the authorization server and give up with a discovery error. " +
			"The Go SDK and the TypeScript SDK silently fall back to 2025-03-26 behaviour (authorization server at the MCP " +
			"server's origin), which works only when the MCP server is its own authorization server. A URL that answers " +
			"with an HTML page (a single-page-app catch-all route), the wrong Content-Type, a 401/403 from a CDN or auth " +
			"middleware, or more than 1 MiB counts as not found.",
		Clients: Clients{
			Refuse:   []string{strictClients},
			Tolerate: []string{goSDK + " (falls back to 2025-03-26 discovery)", tsSDK1 + " (falls back to the origin)"},
		},
		Fix: "Serve the RFC 9728 document as 200 application/json at /.well-known/oauth-protected-resource/<path of the MCP URL> " +
			"(or at the URL you put in resource_metadata), publicly: no authentication, not behind a login redirect, not " +
			"swallowed by a front-end router. Its resource must be the MCP URL and authorization_servers must name the issuer.",
		Providers: []ProviderFix{
			{"TypeScript SDK", "mount mcpAuthMetadataRouter({ oauthMetadata, resourceServerUrl }) (external authorization server) or mcpAuthRouter (built-in); with a path such as /mcp the route is /.well-known/oauth-protected-resource/mcp."},
			{"Go SDK", "serve auth.ProtectedResourceMetadataHandler(&oauthex.ProtectedResourceMetadata{Resource: …, AuthorizationServers: …}) at the path-aware well-known URL."},
			{"Python SDK (FastMCP)", "set AuthSettings(issuer_url=…, resource_server_url=<MCP URL>); the PRM route is created for the MCP path."},
			{"Cloudflare workers-oauth-provider", "recent versions serve /.well-known/oauth-protected-resource; upgrade, or add the route yourself in the default handler."},
			{"Next.js / SPA hosting", "exclude /.well-known/* from the catch-all page route so it is not answered with index.html."},
		},
	},
	{
		ID:       "prm.resource-mismatch",
		Title:    "The PRM resource is not the MCP endpoint URL the client used",
		Severity: Error,
		Rules: []string{
			"RFC 9728 §3.3 (resource MUST be identical; otherwise the metadata MUST NOT be used)",
			"RFC 9728 §7.3 (exact comparison), §6 (no normalization)",
			"MCP 2025-06-18 Authorization §Canonical Server URI",
		},
		Why: "The identity check stops one server from pointing clients at metadata (and an authorization server) meant " +
			"for another, and fixes the resource value the token will be bound to. Common causes: origin vs path " +
			"(https://x vs https://x/mcp), http vs https behind a TLS-terminating proxy, a trailing slash, an internal " +
			"host name or port, a URN, or a parent path. When another candidate URL succeeded the mismatch is a warning.",
		Breaks: "Clients disagree, which is why the same server works in one client and not another: the TypeScript SDK " +
			"accepts a same-origin parent path (\"does not match expected … (or origin)\"), while VS Code and other " +
			"exact-match clients refuse any difference and stop before authorization. The Go SDK compares exactly.",
		Clients: Clients{
			Refuse:   []string{strictClients, goSDK, vscode, "Grok", "nanobot"},
			Tolerate: []string{tsSDK1 + " (same-origin parent paths only)", inspector + " v1 (\"or origin\")"},
		},
		Fix: "Set resource to exactly the URL clients connect to: scheme, host, port and path, no trailing slash unless " +
			"the endpoint has one. Behind a proxy, build it from the public URL (configuration), not from the incoming " +
			"request's Host and scheme.",
		Providers: []ProviderFix{
			{"Python SDK (FastMCP)", "resource_server_url is a pydantic URL: a bare origin gains a trailing slash (https://x → https://x/); give the full MCP URL including /mcp."},
			{"TypeScript SDK", "the PRM's resource is resourceServerUrl.href: pass the MCP URL with its path (new URL('https://host/mcp')) — a bare origin comes out with a trailing slash, and mcpAuthRouter without resourceServerUrl uses baseUrl or the issuer."},
			{"Go SDK", "ProtectedResourceMetadata.Resource must be the public MCP URL; behind a proxy do not derive it from r.Host."},
		},
	},
	{
		ID:       "prm.header-url-failed",
		Title:    "The resource_metadata URL from the challenge was not usable",
		Severity: Warning,
		Rules:    []string{"RFC 9728 §5.1", "MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements (use the header URL when present)"},
		Why: "A client uses the header URL first and, per the spec, should not need anything else. mcpwalk tried the " +
			"well-known URLs afterwards to show what else would work; many clients do not.",
		Breaks: "Clients that trust the header exclusively fail even though a well-known URL works. Typical causes: a " +
			"relative or internal URL in the header (http://localhost:8080/... from inside a container), a stale path " +
			"after a route change, or a document whose resource does not match.",
		Clients: Clients{
			Refuse:   []string{"clients that only follow resource_metadata"},
			Tolerate: []string{goSDK + " (tries the well-known URLs next)", tsSDK1},
		},
		Fix: "Point resource_metadata at an absolute public https URL that serves this server's PRM with resource equal to the MCP URL.",
	},
	{
		ID:       "prm.authorization-servers",
		Title:    "The PRM lists no authorization server",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Authorization §Authorization Server Location (MUST include at least one)", "RFC 9728 §2"},
		Why:      "authorization_servers is the whole point of the document for an MCP client: it is where the issuer comes from.",
		Breaks:   "Every client stops: there is nowhere to get a token.",
		Clients:  Clients{Refuse: []string{mostClients, goSDK + " (empty list is an error)"}},
		Fix:      "Add the issuer identifier of your authorization server: \"authorization_servers\": [\"https://auth.example.com\"], exactly as its metadata spells issuer.",
	},
	{
		ID:       "prm.as-url-invalid",
		Title:    "An authorization_servers entry is not a valid issuer identifier",
		Severity: Error,
		Rules:    []string{"RFC 8414 §2 (issuer: https URL, no query or fragment)", "MCP 2025-11-25 Authorization §Communication Security"},
		Why: "The entry is used to build the metadata URLs and is compared with the metadata's issuer; it must be an " +
			"absolute https URL (http only for loopback) with no query or fragment.",
		Breaks:  "Clients cannot build the metadata URL, or refuse an http issuer, and stop.",
		Clients: Clients{Refuse: []string{strictClients, goSDK}},
		Fix: "List the issuer exactly as the authorization server's metadata spells it. Use the issuer, not the metadata " +
			"URL (.../.well-known/...) or the authorization endpoint.",
		Providers: []ProviderFix{
			{"Auth0", "the issuer is https://<tenant>.<region>.auth0.com/ with a trailing slash (or your custom domain)."},
			{"Entra ID", "https://login.microsoftonline.com/<tenant-id>/v2.0 — with the real tenant id, not common or organizations."},
			{"Okta", "https://<org>.okta.com/oauth2/default (custom authorization server) or https://<org>.okta.com (org server)."},
			{"Keycloak", "https://<host>/realms/<realm>."},
			{"Cognito", "https://cognito-idp.<region>.amazonaws.com/<user-pool-id>."},
			{"Google", "https://accounts.google.com."},
		},
	},
	{
		ID:       "prm.resource-fragment",
		Title:    "The PRM resource has a fragment",
		Severity: Error,
		Rules:    []string{"RFC 8707 §2 (the resource MUST NOT include a fragment)", "RFC 9728 §2"},
		Why:      "A resource indicator identifies a server; a fragment is client-side only and not part of the identifier.",
		Breaks:   "Authorization servers reject the resource parameter (invalid_target), and exact-match comparisons fail.",
		Clients:  Clients{Refuse: []string{strictClients}},
		Fix:      "Remove the #… part from resource.",
	},
	{
		ID:       "prm.offline-access",
		Title:    "The PRM advertises offline_access in scopes_supported",
		Severity: Warning,
		Rules:    []string{"MCP 2026-07-28 Authorization §Refresh Tokens (MCP servers SHOULD NOT include offline_access)"},
		Why: "offline_access is about the client's relationship with the authorization server (a refresh token), not " +
			"about access to the MCP server. Clients request PRM scopes_supported when the challenge names none, so " +
			"listing it makes every client ask for offline access.",
		Breaks: "Authorization servers that do not know the scope reject the request (invalid_scope); others show users " +
			"a consent line they did not expect.",
		Clients: Clients{Tolerate: []string{mostClients}},
		Fix: "Remove offline_access from the PRM's scopes_supported (and from challenge scopes). Clients add it themselves " +
			"when the authorization server's metadata lists it.",
	},
	{
		ID:       "prm.bearer-methods",
		Title:    "bearer_methods_supported does not include header",
		Severity: Warning,
		Rules:    []string{"RFC 9728 §2", "RFC 6750 §2.1", "MCP 2025-11-25 Authorization §Token Requirements (Authorization header)"},
		Why:      "MCP clients send tokens in the Authorization header only; a PRM that does not list header claims the server will not accept them.",
		Breaks:   "Clients that honour the field find no usable method; most ignore it.",
		Clients:  Clients{Tolerate: []string{mostClients}},
		Fix:      "Use \"bearer_methods_supported\": [\"header\"], or leave the member out.",
	},
	{
		ID:       "prm.root-resource",
		Title:    "The PRM came from the root URL and names the origin as resource",
		Severity: Info,
		Rules:    []string{"RFC 9728 §3.3", "RFC 8707 §2", "MCP 2025-06-18 Authorization §Canonical Server URI (SHOULD be the most specific URI)"},
		Why: "A root PRM whose resource is the origin is valid (RFC 9728), but then the token is bound to the whole origin, " +
			"not to the MCP endpoint. Clients then send resource=<origin> to the authorization server.",
		Breaks: "Nothing, as long as the server accepts tokens whose audience is the origin. Audience checks that expect " +
			"the endpoint URL reject them; so do authorization servers that register the endpoint URL as the resource.",
		Clients: Clients{Tolerate: []string{goSDK, tsSDK1, "conformance suite (metadata-var2)"}},
		Fix:     "Serve a path-aware PRM (/.well-known/oauth-protected-resource/<path>) whose resource is the MCP URL if tokens should be bound to the endpoint.",
	},
	{
		ID:       "prm.several-as",
		Title:    "The PRM lists several authorization servers",
		Severity: Info,
		Rules:    []string{"RFC 9728 §7.6 (the client chooses)", "MCP 2026-07-28 Authorization Server Discovery (separate state per authorization server)"},
		Why:      "The choice is the client's. Most clients, the Go SDK included, take the first entry.",
		Breaks:   "Users of different clients may log in against different authorization servers; stored credentials must be kept per issuer.",
		Fix:      "Put the authorization server most clients should use first.",
	},
	{
		ID:       "prm.nonstandard-location",
		Title:    "Protected Resource Metadata is served where clients do not look",
		Severity: Error,
		Rules: []string{"RFC 9728 §3.1 (the well-known suffix is inserted between host and path)",
			"MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements (resource_metadata, then path-aware, then root)"},
		Why: "Clients build the metadata URL by inserting /.well-known/oauth-protected-resource between the host and the " +
			"endpoint's path. A document at the path with the suffix appended (https://host/mcp/.well-known/…) is found " +
			"only by clients that are given its URL; mcpwalk looks there only after the standard URLs failed, to name it.",
		Breaks: "Clients find no metadata, fall back to the 2025-03-26 rules (the authorization server at the MCP origin) " +
			"or report that the server does not support OAuth.",
		Clients: Clients{Refuse: []string{mostClients, goSDK, tsSDK1}},
		Fix: "Serve the document at https://<host>/.well-known/oauth-protected-resource/<path>, or send its URL as " +
			"resource_metadata in the 401's WWW-Authenticate header, which every client tries first.",
	},
	{
		ID:       "prm.fallback-status",
		Title:    "A well-known URL with nothing there answered other than 404",
		Severity: Warning,
		Rules: []string{"RFC 9728 §3.1, §3.2", "MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements (fall back to the next URL)",
			"RFC 9110 §15.5.5 (404: no representation here)"},
		Why: "Clients try the metadata URLs in order and go on to the next one when a URL has nothing. 404 says so; 401, " +
			"403, 400, a 5xx or a 200 HTML page (a catch-all route) say something else, and clients differ in whether they " +
			"go on. mcpwalk did and found the document further on, which is why this is a warning.",
		Breaks: "Clients that go on only after a 404 stop at the first such answer and report \"no metadata\" or the " +
			"answer itself (\"401 Unauthorized\" from a well-known URL reads as an authentication problem).",
		Clients: Clients{Refuse: []string{"clients that fall back only on 404"}, Tolerate: []string{goSDK, "mcpwalk"}},
		Fix: "Let /.well-known paths through authentication middleware, CDN rules and single-page-app catch-all routes, " +
			"so that a URL with no document answers 404.",
		Providers: []ProviderFix{
			{"Cloudflare", "exclude /.well-known/* from Access policies and WAF challenge rules."},
			{"Single-page-app hosting", "do not rewrite unknown /.well-known/* paths to index.html."},
		},
	},
	{
		ID:       "prm.header-url-insecure",
		Title:    "The resource_metadata URL is plain http while the server is https",
		Severity: Warning,
		Rules:    []string{"RFC 9728 §7.1 (TLS for the metadata request)", "MCP 2025-11-25 Authorization §Communication Security"},
		Why: "The metadata names the authorization server clients send the user to. Fetched over http it can be changed " +
			"on the way, pointing clients at an authorization server of someone else's choosing.",
		Breaks: "Strict clients (the Go SDK requires https or loopback) refuse the URL and fall back to the well-known " +
			"URLs; the others trust an unprotected answer.",
		Clients: Clients{Refuse: []string{goSDK}, Tolerate: []string{"clients without a scheme check"}},
		Fix:     "Send resource_metadata as an https URL; behind a TLS-terminating proxy, build it from the public URL, not from the request's scheme.",
	},
	{
		ID:       "prm.resource-query",
		Title:    "The PRM resource has a query",
		Severity: Warning,
		Rules:    []string{"RFC 8707 §2 (the resource SHOULD NOT include a query)", "MCP 2025-06-18 Authorization §Canonical Server URI"},
		Why: "The resource is what tokens are bound to. A query makes it depend on parameters that authorization servers " +
			"and resource servers each normalise in their own way.",
		Breaks:  "Authorization servers that follow RFC 8707 strictly refuse it (invalid_target); others drop or reorder the query, and the token's audience then matches nothing.",
		Clients: Clients{Tolerate: []string{mostClients}},
		Fix:     "Put what the query selects (a tenant, a workspace) into the path, so that the endpoint and its resource need no query.",
	},
	{
		ID:       "prm.broad-scopes",
		Title:    "scopes_supported includes catch-all scopes",
		Severity: Warning,
		Rules:    []string{"MCP Security Best Practices §Scope Minimization", "MCP 2025-11-25 Authorization §Scope Selection Strategy (clients request scopes_supported when the challenge names none)"},
		Why: "Clients that get no scope in the challenge request every scope of scopes_supported. A catch-all scope there " +
			"(\"*\", \"all\", \"admin\", \"notes:*\") is then requested, and granted, at every login.",
		Breaks: "Nothing fails; every token can do everything, so a leaked one does the most harm, and users are asked to consent to more than they use.",
		Fix:    "Advertise narrow scopes per capability; name the one a request needs in the 401 and 403 challenges; keep administrative scopes out of scopes_supported.",
	},
}

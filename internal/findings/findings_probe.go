package findings

// probeFindings: the unauthenticated request and its challenge (step probe).
var probeFindings = []Finding{
	{
		ID:       "probe.status-401",
		Title:    "A request without a token is answered 401 Unauthorized",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Error Handling", "RFC 6750 §3", "RFC 9110 §15.5.2"},
		Why: "A protected MCP server must answer a request that carries no token with 401, so that the client " +
			"knows authorization is needed and where to start (the WWW-Authenticate challenge).",
	},
	{
		ID:       "probe.no-auth",
		Title:    "The server answered a request without a token: it does not require authorization",
		Severity: Info,
		Rules:    []string{"MCP 2025-11-25 Authorization §Protocol Requirements (authorization is OPTIONAL)"},
		Why: "Authorization is optional in MCP. mcpwalk skips the OAuth steps and connects without a token. " +
			"If the server is supposed to be protected, this is the most serious finding of all: anyone can use it.",
		Breaks: "Nothing breaks in clients. If the server was meant to be protected, its data is open to anyone who " +
			"can reach it. Some servers protect only some methods (tools/call) and let initialize through; the " +
			"calls steps show whether a later request gets a 401.",
		Fix: "If the server should be protected, put the bearer-token middleware in front of every MCP request, " +
			"initialize included (MCP: authorization is required on every HTTP request).",
		Providers: []ProviderFix{
			{"TypeScript SDK", "wrap the MCP route in requireBearerAuth({ verifier, resourceMetadataUrl }) — for the POST, GET and DELETE handlers alike."},
			{"Go SDK", "wrap the StreamableHTTPHandler in auth.RequireBearerToken(verifier, &auth.RequireBearerTokenOptions{ResourceMetadataURL: …})."},
			{"Python SDK (FastMCP)", "pass auth=AuthSettings(...) and a token_verifier when creating the server."},
		},
	},
	{
		ID:       "probe.status-403",
		Title:    "A request without a token is answered 403 instead of 401",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Authorization §Error Handling (401: authorization required; 403: invalid scopes)", "RFC 6750 §3.1"},
		Why: "401 means \"authenticate\", 403 means \"you are authenticated but not allowed\". MCP clients start the " +
			"OAuth flow on 401; on 403 they only step up when the challenge says error=\"insufficient_scope\".",
		Breaks: "Clients that start authorization only on 401 (the TypeScript and Go SDKs among them) treat a 403 without " +
			"a token as a hard failure and never open the browser; the user sees \"forbidden\" with no way to log in. " +
			"mcpwalk carries on with the challenge it got.",
		Clients: Clients{
			Refuse:   []string{goSDK + " (403 without insufficient_scope is returned as an error)", tsSDK1},
			Tolerate: []string{"clients that run discovery on any 4xx with a Bearer challenge"},
		},
		Fix: "Answer requests without a token, or with an invalid or expired one, with 401 and a Bearer challenge; keep 403 " +
			"for valid tokens that lack a scope. Gateways and WAFs (Cloudflare Access, API gateways with an authorizer) often " +
			"return 403 first: let the MCP path through to the server's own middleware, or configure the gateway to answer 401.",
	},
	{
		ID:       "probe.www-authenticate-missing",
		Title:    "The 401 carries no WWW-Authenticate header",
		Severity: Warning,
		Rules: []string{
			"RFC 9110 §11.6.1, §15.5.2 (a 401 MUST carry WWW-Authenticate)",
			"MCP 2025-06-18 Authorization §Authorization Server Location (MUST use WWW-Authenticate on 401)",
			"MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements (header or well-known)",
			"RFC 9728 §5.1",
		},
		Why: "The challenge tells the client that OAuth is in play and where the Protected Resource Metadata is " +
			"(resource_metadata). Since 2025-11-25 a client may fall back to well-known URLs when the header is absent, " +
			"which is why this is a warning; under 2025-06-18 the header was a MUST.",
		Breaks: "Clients of the 2025-06-18 revision and hosted clients that probe for OAuth report \"server does not " +
			"implement OAuth\" or a bare \"401 Unauthorized\". Clients that fall back to well-known URLs still work if the " +
			"PRM is at the path-aware or root location.",
		Clients: Clients{
			Refuse:   []string{hostedClients, "2025-06-18 clients"},
			Tolerate: []string{goSDK, tsSDK1, strictClients + " (well-known fallback)"},
		},
		Fix: "Send WWW-Authenticate: Bearer resource_metadata=\"https://<host>/.well-known/oauth-protected-resource/<path>\" " +
			"with every 401. When the server sets it and clients still do not see it, something in front strips it: a CDN, " +
			"an API gateway or a framework middleware answering 401 before the MCP handler runs. Also expose it to " +
			"browsers (Access-Control-Expose-Headers: WWW-Authenticate).",
		Providers: []ProviderFix{
			{"TypeScript SDK", "requireBearerAuth sets the header when resourceMetadataUrl is passed (use getOAuthProtectedResourceMetadataUrl(serverUrl))."},
			{"Go SDK", "auth.RequireBearerToken adds the header only when RequireBearerTokenOptions.ResourceMetadataURL (or Scopes) is set."},
			{"Cloudflare", "a Worker behind Cloudflare Access answers with Access's own login flow, not a Bearer challenge; exempt the MCP route from Access or use workers-oauth-provider."},
		},
	},
	{
		ID:       "probe.www-authenticate-malformed",
		Title:    "The WWW-Authenticate header does not parse",
		Severity: Error,
		Rules:    []string{"RFC 9110 §11.6.1 (challenge grammar)", "RFC 6750 §3"},
		Why: "Clients read resource_metadata, scope and error out of the challenge; a value that does not follow the " +
			"grammar (unquoted values with spaces, missing commas, unbalanced quotes) cannot be read reliably, and " +
			"parsers differ in what they salvage.",
		Breaks: "Strict parsers drop the whole header and behave as if there were none; lenient ones may read the wrong " +
			"resource_metadata or scope. mcpwalk keeps the challenges it could parse before the error.",
		Clients: Clients{
			Refuse:   []string{"clients with strict RFC 9110 parsers"},
			Tolerate: []string{"clients that pick parameters out with regular expressions (results vary)"},
		},
		Fix: "Quote every parameter value (resource_metadata=\"…\", scope=\"a b\"), separate parameters with commas, " +
			"escape quotes and backslashes inside values, and put one scheme per challenge. Build the header with your " +
			"framework's helper instead of string concatenation.",
	},
	{
		ID:       "probe.revision-retry",
		Title:    "The server refused the first request's protocol revision; mcpwalk asked again in the one it named",
		Severity: Info,
		Rules: []string{
			"MCP 2026-07-28 Transports §Protocol Version Header (UnsupportedProtocolVersionError, -32022, with data.supported)",
			"MCP 2026-07-28 Basic §Removed methods (404 and -32601 for initialize)", "SEP-2575",
		},
		Why: "From 2026-07-28 there is no initialize handshake: every request names its revision, and a server that does " +
			"not implement it answers 400 with error -32022 listing the revisions it does. A client retries once in the " +
			"newest revision both support. A server that speaks only 2026-07-28 answers an initialize with 404 and -32601; " +
			"the client then asks with server/discover.",
		Breaks: "Nothing, when the client retries. Clients that treat the first 400 as fatal (older SDKs) cannot connect " +
			"to a server that refuses their preferred revision.",
		Clients: Clients{
			Refuse:   []string{"clients written before 2026-07-28 (they send initialize and stop at the 400 or 404)"},
			Tolerate: []string{goSDK + " (retries in a supported revision)", strictClients},
		},
		Fix: "Nothing to fix if the server really does not implement the revision asked for. Serve the newest revisions " +
			"your clients use, and always list them in data.supported.",
	},
	{
		ID:       "probe.revision-refused-but-supported",
		Title:    "The server refused a protocol revision it lists as supported",
		Severity: Warning,
		Rules:    []string{"MCP 2026-07-28 Transports §Protocol Version Header", "SEP-2575"},
		Why: "UnsupportedProtocolVersionError means \"I do not implement the revision you asked for\"; its data.supported " +
			"lists what the server does implement. Refusing a revision while listing it contradicts itself.",
		Breaks: "A client that retries in the listed revision is refused again if the refusal was not transient, and gives " +
			"up after its one retry. mcpwalk retries once and reports what the second answer was.",
		Clients: Clients{Refuse: []string{"clients that retry once and then stop (the Go SDK, mcpwalk)"}},
		Fix: "Check the version comparison on the server: header and _meta must agree, and every revision in " +
			"data.supported must be accepted. A load balancer in front of servers of different versions shows this too.",
	},
	{
		ID:       "probe.bearer-challenge",
		Title:    "No Bearer (or DPoP) challenge among the 401's challenges",
		Severity: Error,
		Rules:    []string{"RFC 6750 §3", "RFC 9728 §5.1", "MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements"},
		Why: "MCP uses OAuth bearer tokens; the client looks for the Bearer challenge to learn that, and for its " +
			"resource_metadata. A 401 that only offers Basic, Negotiate or a custom scheme tells an MCP client nothing.",
		Breaks: "Clients conclude that the server does not use OAuth and report a plain authentication error. Servers " +
			"behind a reverse proxy with HTTP Basic auth, or with Kerberos/NTLM (Negotiate), show this.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix: "Answer with WWW-Authenticate: Bearer resource_metadata=\"…\". Other challenges may be listed as well, but a " +
			"Bearer one must be among them. Remove proxy-level Basic auth from the MCP path.",
	},
	{
		ID:       "probe.resource-metadata",
		Title:    "The challenge carries resource_metadata",
		Severity: Pass,
		Rules:    []string{"RFC 9728 §5.1", "MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements"},
		Why:      "The client fetches the Protected Resource Metadata from this URL first, before any well-known URL.",
	},
	{
		ID:       "probe.resource-metadata-missing",
		Title:    "The Bearer challenge has no resource_metadata parameter",
		Severity: Warning,
		Rules: []string{
			"RFC 9728 §5.1",
			"MCP 2025-06-18 Authorization §Authorization Server Location (MUST)",
			"MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements (SHOULD; well-known fallback)",
		},
		Why: "resource_metadata is how the server says where its PRM lives, which matters when the PRM is not at the " +
			"well-known URL derived from the endpoint (a custom path, a gateway, a different host).",
		Breaks: "Clients that rely on the header (2025-06-18, and some hosted clients) cannot discover the authorization " +
			"server. Clients that fall back to well-known URLs work when the PRM is at the path-aware or root URL.",
		Clients: Clients{
			Refuse:   []string{"2025-06-18 clients", hostedClients},
			Tolerate: []string{goSDK, tsSDK1, strictClients},
		},
		Fix: "Add resource_metadata=\"<absolute PRM URL>\" to the Bearer challenge of every 401 (and of 403 insufficient_scope).",
		Providers: []ProviderFix{
			{"TypeScript SDK", "pass resourceMetadataUrl to requireBearerAuth."},
			{"Go SDK", "set RequireBearerTokenOptions.ResourceMetadataURL."},
			{"Python SDK (FastMCP)", "set AuthSettings.resource_server_url; the middleware derives the PRM URL from it."},
		},
	},
	{
		ID:       "probe.scope",
		Title:    "The challenge names the scopes to request",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Scope Selection Strategy", "RFC 6750 §3"},
		Why:      "Clients request the challenged scopes first, before PRM scopes_supported.",
	},
	{
		ID:       "probe.error-without-token",
		Title:    "The challenge to a request without a token carries an error code",
		Severity: Warning,
		Rules:    []string{"RFC 6750 §3 (if the request lacks authentication information, the server SHOULD NOT include an error code)"},
		Why: "An error code (invalid_token) means \"the token you sent is bad\". A request without a token sent nothing; " +
			"the error makes clients believe a token was rejected.",
		Breaks: "Usually nothing fatal. Some clients treat invalid_token as \"throw away my stored token\" or try a refresh " +
			"first, and debugging output blames a token that was never sent.",
		Clients: Clients{Tolerate: []string{goSDK, tsSDK1, "most clients"}},
		Fix:     "Leave error and error_description out of the challenge when the request had no Authorization header.",
		Providers: []ProviderFix{
			{"TypeScript SDK", "requireBearerAuth answers a missing header with error=\"invalid_token\" (\"Missing Authorization header\"); a custom middleware that omits the error for that case fixes it."},
			{"Go SDK", "auth.RequireBearerToken does not send error codes at all."},
		},
	},
	{
		ID:       "probe.status-unexpected",
		Title:    "A request without a token gets neither 401 nor a success",
		Severity: Error,
		Rules: []string{"MCP 2025-11-25 Authorization §Error Handling (401 when authorization is required)", "RFC 6750 §3",
			"MCP 2025-11-25 Transports §Backwards Compatibility (clients fall back to HTTP+SSE on 400, 404, 405)"},
		Why: "The first request a client sends carries no token. Only a 401 with a challenge tells it that OAuth is " +
			"needed; 404, 405, 400 or a 5xx say something else entirely, and the client acts on that instead.",
		Breaks: "Clients take 404 and 405 (and 400 from older servers) as \"this is not a Streamable HTTP endpoint\" and " +
			"fall back to the HTTP+SSE transport; the user then sees \"SSE error: Non-200 status code (405)\" rather than " +
			"\"this server needs you to log in\". A 5xx reads as an outage.",
		Clients: Clients{Refuse: []string{mostClients, hostedClients + " (report \"server does not implement OAuth\")"}},
		Fix: "Check the URL first: it must be the MCP endpoint itself, path included. Then put the bearer-token middleware " +
			"in front of routing and method checks, so that any request without a token, POST included, gets 401 with " +
			"WWW-Authenticate before anything else can refuse it.",
		Providers: []ProviderFix{
			{"TypeScript SDK", "mount requireBearerAuth on the MCP route for POST, GET and DELETE alike, before the transport handles the request."},
			{"Go SDK", "wrap the StreamableHTTPHandler itself in auth.RequireBearerToken, not only some methods of it."},
		},
	},
	{
		ID:       "probe.tls-certificate",
		Title:    "The server's TLS certificate is not accepted",
		Severity: Error,
		Rules:    []string{"OAuth 2.1 §1.5 (Communication Security)", "RFC 6750 §5.3 (validate the TLS certificate chain)", "RFC 9110 §4.3.4"},
		Why: "A bearer token is only as safe as the channel it travels on: a certificate that cannot be verified gives no " +
			"assurance that the token goes to this server.",
		Breaks: "Every client that verifies certificates refuses to connect; the ones that offer to skip verification " +
			"send tokens to whoever answers.",
		Clients: Clients{Refuse: []string{mostClients, goSDK, tsSDK1}},
		Fix: "Serve a certificate valid for the host name in the URL, issued by a CA clients trust, with the intermediate " +
			"certificates included. For a private CA, install it in the system trust store where mcpwalk runs.",
	},
	{
		ID:       "probe.insecure-http",
		Title:    "The server asks for a bearer token over plain http to a remote host",
		Severity: Error,
		Rules: []string{"RFC 6750 §5.3 (clients MUST use TLS with bearer tokens)", "OAuth 2.1 §1.5",
			"MCP 2025-11-25 Authorization §Communication Security"},
		Why: "Anyone on the path can read and replay a bearer token sent over http. Plain http is acceptable only to a " +
			"loopback address, where the token never leaves the machine.",
		Breaks: "Strict clients refuse to send the token; the others leak it to the network. The authorization server's " +
			"endpoints usually are https, so the failure shows up later as a mix of http and https URLs.",
		Clients: Clients{Refuse: []string{strictClients}, Tolerate: []string{"clients without a transport-security check"}},
		Fix:     "Serve the MCP endpoint over https (a TLS-terminating proxy in front of it is fine); use http only on 127.0.0.1 or localhost.",
	},
	{
		ID:       "probe.offline-access",
		Title:    "The 401 challenge names offline_access",
		Severity: Warning,
		Rules:    []string{"MCP 2026-07-28 Authorization §Refresh Tokens (servers SHOULD NOT include offline_access in the WWW-Authenticate scope)"},
		Why: "offline_access asks the authorization server for a refresh token; that is the client's business with the " +
			"authorization server, not something the resource needs to serve a request.",
		Breaks: "Clients that request the challenged scopes verbatim ask for offline_access even where the authorization " +
			"server does not offer it, and some authorization servers then refuse the request (invalid_scope).",
		Fix: "Name only the scopes the operation needs in the challenge; leave offline_access to the client.",
	},
	{
		ID:       "probe.scope-missing",
		Title:    "The 401 challenge names no scope",
		Severity: Info,
		Rules:    []string{"MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements (servers SHOULD include scope)", "RFC 6750 §3"},
		Why: "The challenge's scope is the first source clients choose scopes from. Without it they request every scope in " +
			"the PRM's scopes_supported (or none), which is graded info, not a warning, because that fallback is what every " +
			"client implements.",
		Breaks: "Clients ask for more (or less) than the request needs: every scope of the catalogue, against least privilege, " +
			"or none, and then a 403 and a second login.",
		Fix: "Add scope=\"…\" to the Bearer challenge with the scopes the request needs.",
	},
}

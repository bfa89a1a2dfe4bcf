package findings

// serverFlaw is what a client sees of a flaw in the server's own
// enforcement: nothing, which is why mcpwalk probes for it.
var serverFlaw = Clients{Tolerate: []string{"every client (a server-side security flaw that clients do not notice)"}}

// probesFindings: the server probes (steps probes:<name>).
var probesFindings = []Finding{
	{
		ID:       "probes.no-token-status",
		Title:    "A later request without a token is not answered 401",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Authorization §Error Handling (401 when authorization is required)", "MCP 2025-11-25 Authorization §Token Requirements (every request)"},
		Why: "The probe repeats an unauthenticated request after the session exists (a ping rather than initialize). " +
			"Servers that guard only initialize, or only some methods, serve or mis-answer it.",
		Breaks:  "If the request was served, any caller can use the server without a token.",
		Clients: serverFlaw,
		Fix:     "Apply the bearer-token middleware to every request on the MCP endpoint, whatever the method or session.",
	},
	{
		ID:       "probes.no-token-challenge",
		Title:    "The 401 to a later request without a token has no Bearer challenge",
		Severity: Warning,
		Rules:    []string{"RFC 6750 §3", "RFC 9728 §5.1"},
		Why:      "Clients whose token was lost or expired mid-session need the challenge to re-authorize.",
		Breaks:   "Clients cannot recover without reconnecting from scratch.",
		Fix:      "Send WWW-Authenticate: Bearer resource_metadata=\"…\" with every 401, not only the first.",
	},
	{
		ID:       "probes.no-token-resource-metadata",
		Title:    "The 401 challenge to a later request lacks resource_metadata",
		Severity: Warning,
		Rules:    []string{"RFC 9728 §5.1", "MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements"},
		Why:      "As for the first request (probe.resource-metadata-missing): clients relying on the header cannot rediscover.",
		Breaks:   "Re-authorization falls back to well-known URLs, or fails in clients that need the header.",
		Fix:      "Add resource_metadata to every Bearer challenge.",
	},
	{
		ID:       "probes.no-token",
		Title:    "A later request without a token gets 401 with a challenge",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Error Handling"},
		Why:      "Authorization is enforced on every request.",
	},
	{
		ID:       "probes.invalid-token-accepted",
		Title:    "A made-up bearer token was accepted",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Authorization §Token Handling (servers MUST validate tokens)", "RFC 6750 §3.1"},
		Why:      "The server serves whoever sends any Authorization: Bearer header: it checks presence, not validity.",
		Breaks:   "No client notices; anyone can use the server.",
		Clients:  serverFlaw,
		Fix:      "Validate every token: signature, issuer, audience and expiry for JWTs, or introspection (RFC 7662) for opaque tokens.",
	},
	{
		ID:       "probes.invalid-token-status",
		Title:    "A made-up bearer token is answered with a status other than 401",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Authorization §Token Handling (invalid or expired tokens MUST receive 401)", "RFC 6750 §3.1"},
		Why: "401 is what makes a client refresh or re-authorize. A 500 (a verifier that throws), 400 or 403 for a bad " +
			"token leaves clients stuck with a token that will never work.",
		Breaks: "When a real token expires or is revoked, clients show a server error instead of logging in again; users " +
			"have to delete stored credentials by hand.",
		Clients: Clients{Refuse: []string{mostClients + " (they only re-authorize on 401)"}},
		Fix:     "Map every token validation failure to 401 with error=\"invalid_token\".",
		Providers: []ProviderFix{
			{"TypeScript SDK", "requireBearerAuth answers 401 only for InvalidTokenError; a verifier that throws anything else yields 500 — throw InvalidTokenError for unknown or expired tokens."},
			{"Go SDK", "auth.RequireBearerToken answers 401 only when the verifier's error wraps auth.ErrInvalidToken; other errors become 500."},
		},
	},
	{
		ID:       "probes.invalid-token-error",
		Title:    "The 401 for a made-up token lacks error=\"invalid_token\"",
		Severity: Warning,
		Rules:    []string{"RFC 6750 §3.1"},
		Why:      "The error code tells the client that the token is the problem, so it should drop it and get a new one.",
		Breaks:   "Some clients retry with the same token or show a generic error before re-authorizing.",
		Fix:      "Send WWW-Authenticate: Bearer error=\"invalid_token\", resource_metadata=\"…\".",
		Providers: []ProviderFix{
			{"Go SDK", "auth.RequireBearerToken sends no error code; wrap it or write the header yourself."},
		},
	},
	{
		ID:       "probes.invalid-token",
		Title:    "A made-up token gets 401 invalid_token",
		Severity: Pass,
		Rules:    []string{"RFC 6750 §3.1"},
		Why:      "Token validation works.",
	},
	{
		ID:       "probes.query-token-inconclusive",
		Title:    "The token-in-query probe got an answer that is neither served nor 401",
		Severity: Info,
		Rules:    []string{"OAuth 2.1 §5.1.1"},
		Why:      "The server refused the request for another reason (400, 404, 405), so it is unknown whether it would accept a token in the URL.",
		Fix:      "Nothing to fix; the exchange shows the status.",
	},
	{
		ID:       "probes.query-token-accepted",
		Title:    "The server accepts an access token in the URL query",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Authorization §Token Requirements (tokens MUST NOT be in the URI query string)", "OAuth 2.1 §5.1.1"},
		Why:      "URLs end up in proxy logs, browser history and Referer headers; a token there leaks.",
		Breaks:   "No client notices; tokens leak.",
		Clients:  serverFlaw,
		Fix:      "Read tokens only from the Authorization header; ignore access_token in the query string.",
	},
	{
		ID:       "probes.query-token",
		Title:    "A token in the URL query is refused",
		Severity: Pass,
		Rules:    []string{"OAuth 2.1 §5.1.1"},
		Why:      "Tokens are read only from the header.",
	},
	{
		ID:       "probes.session-without-token",
		Title:    "A request carrying only the session id, without a token, was served",
		Severity: Error,
		Rules: []string{
			"MCP 2025-11-25 Security Best Practices §Session Hijacking (servers MUST NOT use sessions for authentication)",
			"MCP 2025-11-25 Authorization §Token Requirements (authorization on every request)",
		},
		Why: "The session id becomes a bearer credential: anyone who learns it (logs, a shared proxy) can use the session, " +
			"and it never expires the way a token does.",
		Breaks:  "No client notices; sessions can be hijacked.",
		Clients: serverFlaw,
		Fix:     "Require and validate the token on every request, and bind sessions to the user the token names (reject a session used with another user's token).",
	},
	{
		ID:       "probes.origin-inconclusive",
		Title:    "The foreign-Origin probe got an answer that is neither served nor 403",
		Severity: Info,
		Rules:    []string{"MCP 2025-11-25 Transports §Security Warning"},
		Why:      "The request was refused for another reason, so Origin handling is unknown.",
		Fix:      "Nothing to fix; the exchange shows the status.",
	},
	{
		ID:       "probes.origin-not-validated",
		Title:    "A request with a foreign Origin header was served",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Transports §Security Warning (servers MUST validate Origin; invalid Origin → 403)"},
		Why: "Origin validation stops DNS-rebinding attacks, in which a web page the user visits talks to a server on " +
			"localhost or the local network through the browser. It matters most for local servers, hence a warning " +
			"for loopback servers and info otherwise.",
		Breaks:  "No client notices; a malicious web page can reach a local server.",
		Clients: serverFlaw,
		Fix:     "Reject requests whose Origin is present and not one you serve with 403; bind local servers to 127.0.0.1.",
		Providers: []ProviderFix{
			{"TypeScript SDK", "the streamable HTTP transport validates Origin only with enableDnsRebindingProtection: true and allowedOrigins (off by default)."},
			{"Go SDK", "the streamable handler validates Host for localhost servers; check Origin in a middleware for others."},
		},
	},
	{
		ID:       "probes.origin",
		Title:    "A foreign Origin is refused",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Transports §Security Warning"},
		Why:      "Origin is validated.",
	},
	{
		ID:       "probes.cors",
		Title:    "The CORS preflight does not let browser-based clients connect",
		Severity: Info,
		Rules:    []string{"Fetch Standard §CORS protocol (not an MCP rule)"},
		Why: "Browsers send an OPTIONS preflight before a cross-origin POST with Authorization and MCP-Protocol-Version. " +
			"Without Access-Control-Allow-Origin and those headers in Access-Control-Allow-Headers, in-browser clients " +
			"cannot connect; they also need WWW-Authenticate (and Mcp-Session-Id) in Access-Control-Expose-Headers to " +
			"read the challenge. The same applies to the PRM, metadata and token endpoints.",
		Breaks: "Only browser-based clients, with an opaque \"Failed to fetch\". CLI and desktop clients are unaffected.",
		Clients: Clients{
			Refuse:   []string{browserClients},
			Tolerate: []string{cliClients},
		},
		Fix: "Answer preflights without requiring a token, allow the Authorization, Content-Type, MCP-Protocol-Version and " +
			"Mcp-Session-Id request headers, and expose WWW-Authenticate and Mcp-Session-Id.",
		Providers: []ProviderFix{
			{"Go SDK", "auth.ProtectedResourceMetadataHandler sets Access-Control-Allow-Origin: * on the PRM; the MCP endpoint needs its own CORS middleware."},
			{"TypeScript SDK", "use the cors middleware with exposedHeaders: ['Mcp-Session-Id', 'WWW-Authenticate'] before the auth middleware."},
		},
	},
	{
		ID:       "probes.insufficient-scope-error",
		Title:    "A 403 without error=\"insufficient_scope\"",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors (SHOULD)", "RFC 6750 §3.1"},
		Why: "The error code is what tells a client that re-authorizing with more scope would help (step-up). Without it a " +
			"403 is final.",
		Breaks: "Clients do not step up; the user sees \"forbidden\" with no way to grant the scope. The Go SDK client steps " +
			"up only on error=\"insufficient_scope\" — and the Go SDK's own server middleware omits it.",
		Clients: Clients{
			Refuse:   []string{goSDK + " (no step-up)", strictClients},
			Tolerate: []string{"clients that re-authorize on any 403 with a scope parameter"},
		},
		Fix: "Answer with 403 and WWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"<all scopes the operation needs>\", resource_metadata=\"…\".",
		Providers: []ProviderFix{
			{"Go SDK", "auth.RequireBearerToken's 403 carries resource_metadata and scope but no error; write the challenge yourself for 403."},
			{"TypeScript SDK", "requireBearerAuth sends error=\"insufficient_scope\" when requiredScopes are missing."},
		},
	},
	{
		ID:       "probes.insufficient-scope-params",
		Title:    "The insufficient_scope challenge lacks scope or resource_metadata",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors (SHOULD include scope and resource_metadata)"},
		Why:      "scope says what to ask for; resource_metadata lets the client re-run discovery if needed.",
		Breaks:   "Clients re-authorize with the same scopes and get the same 403 (a loop, bounded only by their retry limit).",
		Fix:      "Include scope=\"…\" with every scope the operation needs (in one challenge) and resource_metadata=\"…\".",
	},
	{
		ID:       "probes.insufficient-scope",
		Title:    "403 insufficient_scope challenges are well formed",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors"},
		Why:      "Step-up works.",
	},
	{
		ID:       "probes.other-resource-unavailable",
		Title:    "The other-resource probe could not run: no token for another resource was issued",
		Severity: Info,
		Rules:    []string{"RFC 8707 §2"},
		Why: "To test audience validation, mcpwalk asks the same authorization server for a token bound to a different " +
			"resource. Many authorization servers refuse (invalid_target), which is correct behaviour for them.",
		Fix: "Nothing to fix; test audience validation with a token from another API of the same identity provider.",
	},
	{
		ID:       "probes.other-resource-inconclusive",
		Title:    "The other-resource probe got an answer that is neither served nor 401/403",
		Severity: Info,
		Rules:    []string{"MCP 2025-11-25 Authorization §Token Audience Binding and Validation"},
		Why:      "The request was refused for another reason, so audience validation is unknown.",
		Fix:      "Nothing to fix; the exchange shows the status.",
	},
	{
		ID:       "probes.other-resource-accepted",
		Title:    "A token issued for another resource was accepted",
		Severity: Error,
		Rules: []string{
			"MCP 2025-11-25 Authorization §Token Audience Binding and Validation (servers MUST validate the audience)",
			"MCP Security Best Practices §Token Passthrough", "RFC 8707 §2",
		},
		Why: "A server that does not check the audience accepts tokens meant for any API of the same identity provider — " +
			"including one a malicious MCP server obtained from its own users (confused deputy, token passthrough).",
		Breaks:  "No client notices; tokens for other services work here.",
		Clients: serverFlaw,
		Fix:     "Check that aud (or the introspected resource) is this server's canonical URL before serving the request.",
		Providers: []ProviderFix{
			{"TypeScript SDK", "pass expectedResource to requireBearerAuth (the example server checks it only with --oauth-strict)."},
			{"Go SDK", "check TokenInfo audience in the TokenVerifier; RequireBearerToken does not do it for you."},
		},
	},
	{
		ID:       "probes.other-resource",
		Title:    "A token issued for another resource is refused",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Token Audience Binding and Validation"},
		Why:      "The server validates the audience.",
	},
}

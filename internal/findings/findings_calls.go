package findings

// connectFindings: the MCP session through the official Go SDK (step connect).
var connectFindings = []Finding{
	{
		ID:       "connect.session",
		Title:    "MCP session established",
		Severity: Pass,
		Rules:    []string{"MCP Lifecycle §Initialization"},
		Why:      "initialize succeeded with the token; the negotiated protocol revision and capabilities are in the step's data.",
	},
	{
		ID:       "connect.token-rejected",
		Title:    "The MCP server refuses the token its authorization server issued for it",
		Severity: Error,
		Rules: []string{"MCP 2025-11-25 Authorization §Token Audience Binding and Validation (servers accept tokens issued for them)",
			"RFC 8707 §2", "RFC 6750 §3.1 (invalid_token)"},
		Why: "OAuth worked: the authorization server issued a token for the resource the PRM names. The MCP server still " +
			"answers 401, through every re-authorization, so what it expects is not what its authorization server issues. " +
			"The message names the challenge and, for a JWT, its aud and iss against the resource and the issuer.",
		Breaks: "Users log in successfully and the client still reports \"Unauthorized\", or loops through logins; this is " +
			"the most confusing failure there is, since every OAuth step looked fine.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix: "Make the resource server expect exactly what the authorization server issues: audience = the PRM resource " +
			"(the MCP URL, no trailing slash unless the PRM has one), issuer = the authorization server's issuer, keys from " +
			"its JWKS. A hard-coded audience (an API identifier, a client id) and an authorization server without resource " +
			"indicators configured are the usual causes.",
		Providers: []ProviderFix{
			{"Go SDK", "the TokenVerifier passed to auth.RequireBearerToken must check aud against the public MCP URL."},
		},
	},
	{
		ID:       "connect.session-id",
		Title:    "The Mcp-Session-Id has characters other than visible ASCII",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Transports §Session Management (the session ID MUST only contain visible ASCII characters, 0x21 to 0x7E)"},
		Why:      "Clients echo the session id in a header on every request; other characters do not survive every HTTP stack.",
		Breaks:   "Clients whose HTTP library refuses such header values cannot send a second request; proxies may rewrite them.",
		Clients:  Clients{Refuse: []string{"clients whose HTTP stack validates header values"}, Tolerate: []string{goSDK}},
		Fix:      "Mint session ids from visible ASCII only, for example base64url of 16 or more random bytes.",
	},
}

// callsFindings: authenticated MCP requests (steps calls:<method>).
var callsFindings = []Finding{
	{
		ID:       "calls.tool-error",
		Title:    "A tool returned isError: true",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Tools §Error Handling (tool errors are reported in the result, not as protocol errors)"},
		Why: "The call itself worked (authorization included); the tool reported a failure of its own, which the result's " +
			"content explains.",
		Breaks: "Nothing in the protocol. An authorization problem reported this way (a tool that catches a 401 from an " +
			"upstream API and returns it as text) hides from clients that it is one.",
		Fix: "Read the result content. If the tool failed because of upstream credentials, that is the server's own " +
			"configuration, not the MCP token (the MCP server must not pass the client's token upstream).",
	},
	{
		ID:       "calls.token-rejected",
		Title:    "A call is refused with 401 for the token the authorization server issued for this server",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Authorization §Token Audience Binding and Validation", "RFC 6750 §3.1"},
		Why: "The call got 401 through every re-authorization with a token issued for this resource. When other calls " +
			"with the same token work, the server most likely answers a missing scope with 401 (it should be 403 " +
			"insufficient_scope); otherwise it does not accept its authorization server's tokens (see connect.token-rejected).",
		Breaks:  "The operation is unavailable; clients loop through logins or report \"Unauthorized\" though the user is logged in.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix:     "Answer a token that lacks a scope with 403 and error=\"insufficient_scope\" naming the scope; accept the audience and issuer the authorization server issues.",
	},
	{
		ID:       "calls.unauthorized-for-scope",
		Title:    "A missing scope is answered with 401 instead of 403",
		Severity: Warning,
		Rules:    []string{"RFC 6750 §3.1 (insufficient_scope: 403)", "MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors, §Error Handling (401: token invalid or missing; 403: insufficient scope)"},
		Why: "401 says \"this token is no good\"; 403 with error=\"insufficient_scope\" says \"this token lacks a scope\". " +
			"The server said 401 to a token it had accepted for the session, and accepted the request once the token " +
			"carried more scope: it meant 403. mcpwalk recovered because the 401's challenge named the scope.",
		Breaks: "Clients treat the 401 as an expired or revoked token: they refresh (which does not add scopes) or log in " +
			"again with the same scopes, and loop; step-up is never triggered.",
		Clients: Clients{Refuse: []string{"clients that refresh, or log in again with the same scopes, on a 401"}, Tolerate: []string{"clients that take the scope of any challenge, as mcpwalk does"}},
		Fix:     "Answer a valid token without the needed scope with 403 and WWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"…\", resource_metadata=\"…\".",
	},
	{
		ID:       "calls.scope-rejected",
		Title:    "403 insufficient_scope for a scope the token was granted",
		Severity: Error,
		Rules: []string{"MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors (servers MUST account for scope hierarchies)",
			"RFC 6750 §3.1", "RFC 6749 §3.3 (scope is a space-delimited set)"},
		Why: "After re-authorization the token carries the challenged scopes, and the server still answers 403 " +
			"insufficient_scope for them: it compares scopes wrongly (the whole string instead of the set, a comma " +
			"separator, case) or ignores that a broader scope it granted includes the narrower one.",
		Breaks:  "No re-authorization can ever satisfy the server: clients stop after their retry limit, or loop through logins.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix:     "Read the token's scope as a space-separated set, compare element by element, and treat broader scopes as including narrower ones.",
	},
	{
		ID:       "calls.scope-not-granted",
		Title:    "The scope the server needs is never granted",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Authorization §Step-Up Authorization Flow", "RFC 6749 §3.3 (the authorization server may grant fewer scopes)"},
		Why: "mcpwalk asked for the challenged scope; the authorization server issued the token without it. The server " +
			"is right to refuse, and no re-authorization will change the answer while the authorization server's policy " +
			"(for this client, or this user) stays as it is.",
		Breaks:  "Clients re-authorize up to their limit and then fail, or loop; the user sees a login that succeeds and an operation that does not.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix:     "Allow the scope for this client (and user) at the authorization server, or stop asking for it in the server's challenge.",
	},
	{
		ID:       "calls.incremental-scope",
		Title:    "The server names the missing scopes of one request one at a time",
		Severity: Warning,
		Rules:    []string{"MCP 2026-07-28 Authorization §Runtime Insufficient Scope Errors (servers SHOULD include all scopes required for the operation in a single challenge)"},
		Why:      "Each challenge costs the user a login. A server that reveals one missing scope per 403 makes one request need several.",
		Breaks: "Clients with a retry limit of one step-up per request (the Go SDK's transport among them) fail after the " +
			"first; users of the others log in several times for one action.",
		Clients: Clients{Refuse: []string{goSDK + " (one re-authorization per request)"}, Tolerate: []string{"clients with a higher retry limit"}},
		Fix:     "Put every scope the operation needs in the first insufficient_scope challenge.",
	},
}

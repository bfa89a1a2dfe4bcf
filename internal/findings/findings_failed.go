package findings

// failedFindings: "<step>.failed", which the report raises when a step
// failed without a failing check of its own (a transport error, a timeout,
// an answer no check covers). The step's error and fix say what happened.
var failedFindings = []Finding{
	{
		ID:       "probe.failed",
		Title:    "The unauthenticated request got no usable answer",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Authorization §Error Handling", "RFC 6750 §3"},
		Why: "The first request (an initialize without a token) got no answer at all: a refused connection, a timeout, " +
			"or a server that names only protocol revisions mcpwalk does not speak. An answer with the wrong status is " +
			"probe.status-unexpected; a certificate that is not accepted, probe.tls-certificate.",
		Breaks:  "Clients cannot reach the server at all, so nothing about its authorization can be seen.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix:     "Check the URL (the full MCP endpoint, with its path) and that the server is running and reachable from here.",
	},
	{
		ID:       "prm.failed",
		Title:    "Protected Resource Metadata discovery failed",
		Severity: Error,
		Rules:    []string{"RFC 9728 §3", "MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements"},
		Why:      "The step stopped without a more specific finding; its error and the attempts list say what happened at each URL.",
		Breaks:   "Clients cannot find the authorization server.",
		Clients:  Clients{Refuse: []string{strictClients}},
		Fix:      "See the step's attempts; then prm.found and prm.resource-mismatch for the usual causes.",
	},
	{
		ID:       "asmeta.failed",
		Title:    "Authorization server metadata discovery failed",
		Severity: Error,
		Rules:    []string{"RFC 8414 §3", "MCP 2025-11-25 Authorization §Authorization Server Metadata Discovery"},
		Why:      "The step stopped without a more specific finding; its error and the attempts list say what happened at each URL.",
		Breaks:   "Clients cannot build an authorization request.",
		Clients:  Clients{Refuse: []string{mostClients}},
		Fix:      "See the step's attempts; then asmeta.found and asmeta.issuer-mismatch for the usual causes.",
	},
	{
		ID:       "register.failed",
		Title:    "Client registration failed",
		Severity: Error,
		Rules:    []string{"RFC 7591 §3", "MCP 2025-11-25 Authorization §Client Registration Approaches"},
		Why: "No client_id could be obtained and no more specific finding says why: the registration endpoint did not " +
			"answer at all, or a non-interactive grant was asked for without --client-id.",
		Breaks:  "No authorization request can be made.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix:     "Check registration_endpoint and that it is reachable from here; see register.callback-port and register.dcr-response for the usual causes.",
	},
	{
		ID:       "authorize.failed",
		Title:    "The authorization step failed",
		Severity: Error,
		Rules:    []string{"RFC 6749 §4.1", "MCP 2025-11-25 Authorization §Authorization Code Protection"},
		Why: "The step stopped without a more specific finding: the browser never came back to the redirect URI within " +
			"--auth-wait, a headless walk met a login page (a person is needed), or the authorization server does not " +
			"offer PKCE S256. Error responses, error pages and wrong redirects have findings of their own.",
		Breaks:  "No authorization code, so no token.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix: "Read the step's error: finish the login within --auth-wait, run without --headless for an authorization " +
			"server that wants a person, or see authorize.error, authorize.error-page and authorize.redirect-mismatch.",
	},
	{
		ID:       "token.failed",
		Title:    "The token request failed",
		Severity: Error,
		Rules:    []string{"RFC 6749 §4.1.3, §5"},
		Why:      "The token endpoint could not be reached, timed out, or there was no code to exchange.",
		Breaks:   "No token, no MCP session.",
		Clients:  Clients{Refuse: []string{mostClients}},
		Fix:      "Check token_endpoint in the metadata and that it is reachable from here; the step's error says what happened.",
	},
	{
		ID:       "connect.failed",
		Title:    "The MCP session could not be opened",
		Severity: Error,
		Rules:    []string{"MCP Lifecycle §Initialization", "MCP Transports §Streamable HTTP"},
		Why: "The initialize handshake failed without a more specific finding: the server answered with a status or body " +
			"the SDK cannot read, or speaks a transport other than Streamable HTTP. A token refused with 401 is " +
			"connect.token-rejected.",
		Breaks: "OAuth succeeded but MCP does not work — the most confusing outcome for users. A 401 here usually means the " +
			"server does not accept the token's audience or issuer (see token.audience-mismatch).",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix:     "Look at the handshake exchanges: the status and WWW-Authenticate of the server's answer explain it.",
	},
	{
		ID:       "calls.failed",
		Title:    "An MCP call failed",
		Severity: Error,
		Rules:    []string{"MCP Base Protocol §JSON-RPC errors", "MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors"},
		Why: "The request got a JSON-RPC error, an HTTP error the SDK could not recover from, or a 401/403 that " +
			"re-authorization did not fix within the retry limit.",
		Breaks:  "The operation is unavailable to clients.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix: "Read the step's error and exchanges. A 403 repeated after re-authorization with the scope granted means the " +
			"server rejects scopes it was given (check scope names and hierarchies).",
	},
	{
		ID:       "probes.failed",
		Title:    "A server probe could not complete",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Authorization §Token Handling"},
		Why:      "The probe's request got no answer (connection refused, timeout) or could not be built.",
		Breaks:   "Nothing in clients; the probe's question stays unanswered.",
		Clients:  Clients{Tolerate: []string{"every client (probes test the server's enforcement, not a client path)"}},
		Fix:      "Check that the server still runs; probes run after the calls, with the walk's token.",
	},
}

package findings

// probesHTTPFindings: probes of the MCP server's HTTP handling beyond the
// token (steps probes:empty-bearer, probes:host, probes:cors-discovery).
var probesHTTPFindings = []Finding{
	{
		ID:       "probes.empty-bearer",
		Title:    "An Authorization header without a token is refused",
		Severity: Pass,
		Rules:    []string{"RFC 6750 §3.1"},
		Why:      "A malformed Authorization header gets 400 or 401.",
	},
	{
		ID:       "probes.empty-bearer-status",
		Title:    "An Authorization header without a token is served, or fails the server",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Authorization §Error Handling (malformed authorization request: 400)", "RFC 6750 §3.1 (invalid_request: 400; invalid_token: 401)"},
		Why: "An Authorization header of \"Bearer\" with nothing after it is a malformed request. A 5xx means the token parser fails on " +
			"it; a success means the check is skipped when the token is empty.",
		Breaks: "A 5xx reads as an outage to clients and monitoring; a success means requests without a real token are " +
			"served.",
		Clients: Clients{Refuse: []string{mostClients + " (on a 5xx)"}},
		Fix:     "Treat an empty token like a missing one (401 with the challenge), or answer 400 invalid_request.",
	},
	{
		ID:       "probes.empty-bearer-inconclusive",
		Title:    "The empty-token probe got an answer that is neither 400, 401, a success nor a 5xx",
		Severity: Info,
		Rules:    []string{"RFC 6750 §3.1"},
		Why:      "The request was refused for another reason (403, 404…), so malformed-header handling is unknown.",
		Fix:      "Nothing to fix; the exchange shows the status.",
	},
	{
		ID:       "probes.host",
		Title:    "A foreign Host is refused by a local server",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Transports §Security Warning"},
		Why:      "The Host header is validated, which defeats DNS rebinding.",
	},
	{
		ID:       "probes.host-not-validated",
		Title:    "A local server serves requests for any Host",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Transports §Security Warning (servers MUST validate Origin, SHOULD bind to localhost: DNS rebinding)", "MCP Security Best Practices §Local MCP Server Compromise"},
		Why: "A web page can point a name it controls at 127.0.0.1 and then talk to a local server as if same-origin; " +
			"checking Host (and Origin) is what stops it. Probed only for servers on this machine.",
		Breaks: "Nothing in clients; any web page the user visits can reach the server (with a stolen or absent token).",
		Fix:    "Refuse Host values other than the names the server is reached by (localhost, 127.0.0.1, [::1]) with 403 or 421.",
		Providers: []ProviderFix{
			{"TypeScript SDK", "set enableDnsRebindingProtection with allowedHosts (and allowedOrigins) on the StreamableHTTPServerTransport."},
		},
	},
	{
		ID:       "probes.host-inconclusive",
		Title:    "The foreign-Host probe got an answer that is neither served nor a 4xx",
		Severity: Info,
		Rules:    []string{"MCP 2025-11-25 Transports §Security Warning"},
		Why:      "Host handling is unknown.",
		Fix:      "Nothing to fix; the exchange shows the status.",
	},
	{
		ID:       "probes.cors-discovery",
		Title:    "Browsers may read the challenge and the metadata",
		Severity: Pass,
		Rules:    []string{"Fetch Standard §CORS protocol (not an MCP rule)"},
		Why:      "The 401 exposes WWW-Authenticate and the metadata documents allow cross-origin reads.",
	},
	{
		ID:       "probes.cors-expose",
		Title:    "Browsers cannot read the 401's challenge",
		Severity: Info,
		Rules:    []string{"Fetch Standard §CORS protocol, §Access-Control-Expose-Headers (not an MCP rule)"},
		Why: "A browser hides a cross-origin response without Access-Control-Allow-Origin, and every header not listed in " +
			"Access-Control-Expose-Headers. WWW-Authenticate is how a client learns where the metadata is.",
		Breaks: "Browser-based clients (web inspectors, in-browser agents) see \"Failed to fetch\" or a 401 without a " +
			"challenge, and cannot start discovery; CLI and desktop clients are unaffected.",
		Clients: Clients{Refuse: []string{browserClients}, Tolerate: []string{cliClients}},
		Fix:     "On the MCP endpoint's responses, 401 included: Access-Control-Allow-Origin (the inspector's origin, or *) and Access-Control-Expose-Headers: WWW-Authenticate, Mcp-Session-Id.",
	},
	{
		ID:       "probes.cors-metadata",
		Title:    "The metadata documents cannot be read cross-origin",
		Severity: Info,
		Rules:    []string{"Fetch Standard §CORS protocol (not an MCP rule)", "RFC 9728 §3, RFC 8414 §3 (public documents)"},
		Why:      "Protected Resource Metadata and authorization server metadata are public; browser-based clients fetch them from another origin.",
		Breaks:   "Browser-based clients cannot discover the authorization server (\"Failed to fetch\"); CLI and desktop clients are unaffected.",
		Clients:  Clients{Refuse: []string{browserClients}, Tolerate: []string{cliClients}},
		Fix:      "Serve the well-known documents with Access-Control-Allow-Origin: *.",
	},
}

package findings

// authorizeFindings: the authorization request and its response (step authorize).
var authorizeFindings = []Finding{
	{
		ID:       "authorize.scope",
		Title:    "The scopes requested, and the rule that chose them",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Scope Selection Strategy", "MCP 2026-07-28 Authorization (union with earlier scopes on re-authorization)"},
		Why:      "Order: the challenge's scope, else PRM scopes_supported, else none; on step-up, the union with what was requested before; offline_access when the authorization server lists it.",
	},
	{
		ID:       "authorize.pkce",
		Title:    "PKCE S256 with a fresh verifier",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Authorization Code Protection", "RFC 7636 §4"},
		Why:      "Every authorization request carries code_challenge_method=S256.",
	},
	{
		ID:       "authorize.resource",
		Title:    "The resource parameter sent",
		Severity: Pass,
		Rules:    []string{"RFC 8707 §2", "MCP 2025-06-18 Authorization §Resource Parameter Implementation (MUST, in authorization and token requests)"},
		Why:      "Binds the token to the MCP server; the same value goes into the token request.",
	},
	{
		ID:       "authorize.duplicate-param",
		Title:    "The authorization response repeats code, state or iss",
		Severity: Error,
		Rules:    []string{"RFC 6749 §3.1 (parameters MUST NOT be included more than once)", "RFC 6749 §4.1.2"},
		Why:      "With two values a client and an attacker can disagree about which one counts; a strict client discards the response.",
		Breaks:   "Strict clients refuse the response; lenient ones take the first or the last value, which differ between libraries.",
		Clients:  Clients{Refuse: []string{strictClients, "conformance suite (authorization-code-grant)"}},
		Fix:      "Send each response parameter once. Check that a proxy or a redirect rewrite does not append parameters to a redirect that already has them.",
	},
	{
		ID:       "authorize.state",
		Title:    "The authorization response's state is missing or different",
		Severity: Error,
		Rules:    []string{"MCP 2025-11-25 Security Considerations §Open Redirection (clients SHOULD use and verify state)", "RFC 6749 §10.12", "OAuth 2.1 §4.1.2"},
		Why: "state ties the response to the request this client made; without the check, an attacker can inject a code " +
			"of their own (login CSRF). mcpwalk discards a response whose state does not match.",
		Breaks: "Clients that verify state (nearly all) discard the response; users see \"state mismatch\" or \"invalid state\". " +
			"A loopback port already in use by a stale client process shows up as this too: the old listener receives " +
			"the redirect meant for the new one.",
		Clients: Clients{Refuse: []string{strictClients, goSDK, mostClients}},
		Fix: "Return state unchanged on every redirect, error responses included; do not drop it when the login goes " +
			"through an external identity provider and back.",
	},
	{
		ID:       "authorize.code",
		Title:    "The authorization response has neither code nor error",
		Severity: Error,
		Rules:    []string{"RFC 6749 §4.1.2"},
		Why:      "A successful response carries code; a failed one carries error.",
		Breaks:   "Clients have nothing to redeem and stop.",
		Clients:  Clients{Refuse: []string{mostClients}},
		Fix:      "Redirect back with code and state on success, error and state on failure. Check that the redirect is the authorization server's final one, not a page in between.",
	},
	{
		ID:       "authorize.iss-mismatch",
		Title:    "The authorization response's iss differs from the recorded issuer",
		Severity: Error,
		Rules: []string{
			"RFC 9207 §2.4 (clients MUST compare iss with the issuer and reject a mismatch)",
			"MCP 2026-07-28 Authorization §Authorization Response Validation (simple string comparison; applies to error responses too)",
		},
		Why: "A response whose iss names another authorization server is the signature of a mix-up attack: the code " +
			"would be sent to the wrong token endpoint. The comparison is exact: no case folding, no trailing-slash or " +
			"default-port normalisation. On a mismatch the client must not even display the response's error text.",
		Breaks: "Every client that checks iss discards the response. A legitimate server shows this when the iss it " +
			"sends differs from the metadata issuer by a slash, a host alias or an internal URL.",
		Clients: Clients{
			Refuse:   []string{strictClients, goSDK, "MCPJam (2026-07-28)"},
			Tolerate: []string{tsSDK1 + " (does not read iss)"},
		},
		Fix: "Send iss exactly as the issuer member of the metadata, byte for byte.",
		Providers: []ProviderFix{
			{"Keycloak", "iss follows the configured hostname; set KC_HOSTNAME so metadata and iss agree."},
		},
	},
	{
		ID:       "authorize.iss-unadvertised",
		Title:    "iss arrived, but the metadata does not advertise authorization_response_iss_parameter_supported",
		Severity: Warning,
		Rules:    []string{"RFC 9207 §3", "MCP 2026-07-28 Authorization §Authorization Response Validation (authorization servers that send iss MUST advertise it)"},
		Why: "The flag lets clients require iss (and so notice when an attacker strips it). Sending iss without the flag " +
			"is inconsistent; the spec's table says to compare it and proceed.",
		Breaks: "The Go SDK rejects a matching but unadvertised iss by default (\"does not advertise RFC 9207 iss parameter " +
			"support but iss was received\"), unless the client sets AcceptUnadvertisedIss. Clients following the spec's " +
			"table proceed.",
		Clients: Clients{
			Refuse:   []string{goSDK + " (default)"},
			Tolerate: []string{strictClients + " (compare and proceed)", tsSDK1},
		},
		Fix: "Set \"authorization_response_iss_parameter_supported\": true in the metadata.",
	},
	{
		ID:       "authorize.iss",
		Title:    "iss matches the recorded issuer",
		Severity: Pass,
		Rules:    []string{"RFC 9207 §2.4"},
		Why:      "Mix-up protection holds.",
	},
	{
		ID:       "authorize.iss-missing",
		Title:    "The metadata promises iss, but the authorization response has none",
		Severity: Error,
		Rules:    []string{"RFC 9207 §2.4 (clients MUST reject a response without iss when the server advertises it)", "MCP 2026-07-28 Authorization §Authorization Response Validation"},
		Why:      "When the server says it always sends iss, a response without it may have come from somewhere else.",
		Breaks:   "Clients that check iss discard the response. Typical causes: error responses built by another component, or a login proxy rebuilding the redirect.",
		Clients: Clients{
			Refuse:   []string{strictClients, goSDK},
			Tolerate: []string{tsSDK1 + " (does not read iss)"},
		},
		Fix: "Include iss in every authorization response, success and error, or stop advertising the flag.",
	},
	{
		ID:       "authorize.iss-absent",
		Title:    "No iss in the authorization response, and none advertised",
		Severity: Warning,
		Rules:    []string{"MCP 2026-07-28 Authorization §Authorization Response Validation (authorization servers SHOULD send iss)", "RFC 9207 §2"},
		Why: "Allowed, but mix-up protection then rests only on per-server redirect URIs. A future revision is expected to " +
			"make iss a MUST.",
		Breaks:  "Nothing today.",
		Clients: Clients{Tolerate: []string{strictClients, goSDK, tsSDK1}},
		Fix:     "Send iss on authorization responses and set authorization_response_iss_parameter_supported: true.",
		Providers: []ProviderFix{
			{"TypeScript SDK", "the example provider and mcpAuthRouter do not send iss; add it to the redirect in your OAuthServerProvider.authorize."},
		},
	},
	{
		ID:       "authorize.error",
		Title:    "The authorization server answered the authorization request with an error",
		Severity: Error,
		Rules:    []string{"RFC 6749 §4.1.2.1 (error response)", "OAuth 2.1 §4.1.2.1"},
		Why: "The authorization server redirected back with error=… instead of a code (after the iss check, so the error " +
			"is its own). The message names the code and error_description and the usual cause of that code.",
		Breaks:  "No code, no token: every client stops here, usually showing the error code alone.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix: "invalid_scope: align the challenge's scope and PRM scopes_supported with the scopes the authorization server " +
			"defines. unauthorized_client / invalid_client: the client is unknown or may not use the code grant (a " +
			"forgotten registration, a CIMD URL it cannot fetch). access_denied: the user or a policy declined.",
	},
	{
		ID:       "authorize.invalid-target",
		Title:    "The authorization server refused the resource parameter at the authorization endpoint",
		Severity: Error,
		Rules:    []string{"RFC 8707 §2 (invalid_target)", "MCP 2025-06-18 Authorization §Resource Parameter Implementation (clients MUST send resource)"},
		Why: "MCP clients must send the MCP server's canonical URI as resource. An authorization server that does not know " +
			"that value as an API or audience refuses it, before the user even logs in.",
		Breaks: "Every MCP client fails, since all of them send resource; users of identity providers that know only their " +
			"own API identifiers (Entra's AADSTS9010010, api:// application IDs) meet it first.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix: "Register the MCP server's URL as a resource or audience at the authorization server (an API whose identifier " +
			"is the canonical URI), or, if the resource server accepts tokens for another identifier, pass it with --resource " +
			"and make the PRM resource match.",
		Providers: []ProviderFix{
			{"Microsoft Entra ID", "v2 endpoints refuse a resource that is not an application ID URI of a registered API; set the API's Application ID URI to the MCP server's URL."},
		},
	},
	{
		ID:       "authorize.error-page",
		Title:    "The authorization endpoint answered with an error page instead of redirecting back",
		Severity: Error,
		Rules:    []string{"RFC 6749 §4.1.2.1 (an invalid redirect_uri or client_id: inform the user, do not redirect)", "RFC 8252 §7.3"},
		Why: "An authorization server that does not accept the redirect URI or the client_id must not redirect, so it shows " +
			"a page. mcpwalk's headless walk sees that page: the message quotes its text and says, from how the client was " +
			"obtained, which mismatch is likely.",
		Breaks: "In a browser the user sees the authorization server's error page and the client waits until it times out; " +
			"clients report a timeout, or a state error when the user retries.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix: "Pre-registered client: register the exact redirect URI mcpwalk uses (port via --callback-port, path via " +
			"--callback-path; localhost and 127.0.0.1 differ). Dynamic registration: the authorization endpoint must know " +
			"clients the registration endpoint just created. Reused registration: the authorization server may have " +
			"forgotten it. CIMD: the authorization server must be able to fetch the document.",
	},
	{
		ID:       "authorize.redirect-mismatch",
		Title:    "The authorization server redirected to another redirect URI than the one sent",
		Severity: Error,
		Rules:    []string{"RFC 6749 §3.1.2, §4.1.2 (the response goes to the redirect_uri of the request)", "RFC 8252 §7.3 (any port for loopback IP redirect URIs)"},
		Why: "The authorization response must go to the redirect URI of the request. One that goes to a registered URI " +
			"instead (another port, localhost for 127.0.0.1, another path) reaches no listener, or another program's.",
		Breaks: "The browser shows \"connection refused\" (or another client's page) and the login never completes; " +
			"clients time out.",
		Clients: Clients{Refuse: []string{mostClients}},
		Fix: "Let the authorization server honour the redirect_uri parameter for registered loopback URIs on any port; for a " +
			"pre-registered client, run mcpwalk with the port and path registered (--callback-port, --callback-path).",
	},
	{
		ID:       "authorize.scope-not-advertised",
		Title:    "The challenge asks for scopes the PRM does not list",
		Severity: Info,
		Rules:    []string{"MCP 2025-11-25 Authorization §Scope Selection Strategy (clients MUST NOT assume a set relationship between the challenged scopes and scopes_supported)"},
		Why: "Allowed: the challenge is authoritative for the request. A scope in one list and not the other is still often " +
			"a typo or a stale catalogue on one side.",
		Fix: "Keep scopes_supported and the scopes named in challenges in step.",
	},
}

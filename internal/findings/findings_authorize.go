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
}

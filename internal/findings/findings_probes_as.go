package findings

// probesASFindings: probes of the authorization server's own enforcement,
// each a second headless authorization (steps probes:redirect-uri,
// probes:pkce).
var probesASFindings = []Finding{
	{
		ID:       "probes.redirect-uri",
		Title:    "An unregistered redirect_uri is not redirected to",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Security Considerations §Open Redirection", "RFC 6749 §3.1.2.2"},
		Why:      "The authorization server validates redirect URIs against the registered ones.",
	},
	{
		ID:       "probes.redirect-uri-not-validated",
		Title:    "The authorization server redirects to a redirect_uri that is not registered",
		Severity: Error,
		Rules: []string{"MCP 2025-11-25 Security Considerations §Open Redirection (authorization servers MUST validate exact redirect URIs against pre-registered values)",
			"RFC 6749 §3.1.2.2, §4.1.2.1 (do not redirect to an invalid redirect URI)", "OAuth 2.1 §4.1.1"},
		Why: "mcpwalk asked with its own client and a redirect URI on a host it never registered " +
			"(https://mcpwalk-probe.invalid/…). An authorization server that redirects there sends authorization codes (and " +
			"error responses) wherever the request says: an attacker's page gets the code of any user who follows a crafted link.",
		Breaks:  "Nothing visible in clients; users' codes can be stolen, and with PKCE missing or unverified, their tokens.",
		Clients: Clients{Tolerate: []string{"every client: none can tell from its side"}},
		Fix: "Compare redirect_uri with the registered values exactly (allowing any port only for a loopback IP), and show " +
			"an error page, without redirecting, when it does not match.",
	},
	{
		ID:       "probes.redirect-uri-path",
		Title:    "A registered loopback redirect URI is accepted with another path",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Security Considerations §Open Redirection (exact redirect URIs)", "RFC 8252 §7.3 (for loopback IP redirect URIs only the port may vary)"},
		Why: "Only the port of a loopback redirect URI may differ from the registered one. Since any local program can " +
			"listen on some port anyway, a path that is not checked adds little risk on loopback, which is why this is a " +
			"warning; it usually means the authorization server does not compare redirect URIs at all for such clients.",
		Breaks: "Nothing in clients.",
		Fix:    "Match loopback redirect URIs on scheme, host and path; let only the port vary.",
	},
	{
		ID:       "probes.redirect-uri-inconclusive",
		Title:    "A redirect URI probe could not run to the end",
		Severity: Info,
		Rules:    []string{"RFC 6749 §3.1.2.2", "RFC 8252 §7.3"},
		Why:      "The authorization request of the probe did not come back to any redirect URI nor show an error page (a login page, a network error), so redirect URI handling is unknown.",
		Fix:      "Nothing to fix; the message says what happened.",
	},
	{
		ID:       "probes.loopback-port",
		Title:    "A loopback redirect URI on another port is honoured",
		Severity: Pass,
		Rules:    []string{"RFC 8252 §7.3"},
		Why:      "Native clients listen on whatever port is free; the authorization server allows any port for a loopback IP.",
	},
	{
		ID:       "probes.loopback-port-refused",
		Title:    "The registered loopback redirect URI is refused on another port",
		Severity: Warning,
		Rules:    []string{"RFC 8252 §7.3 (the authorization server MUST allow any port to be specified at the time of the request for loopback IP redirect URIs)", "OAuth 2.1 §8.4.2"},
		Why: "A CLI or desktop client cannot count on one fixed port being free; RFC 8252 lets it pick one at request time, " +
			"and the authorization server must accept it for a loopback IP.",
		Breaks: "Clients that listen on an ephemeral port fail at the authorization endpoint (an error page, no redirect); " +
			"users must find and pass the registered port, and two clients cannot log in at once.",
		Clients: Clients{Refuse: []string{cliClients + " with ephemeral ports"}, Tolerate: []string{"clients configured with the registered port (--callback-port)"}},
		Fix:     "Match loopback IP redirect URIs on scheme, host and path, ignoring the port.",
	},
	{
		ID:       "probes.pkce",
		Title:    "A code redeemed with the wrong code_verifier is refused",
		Severity: Pass,
		Rules:    []string{"RFC 7636 §4.6"},
		Why:      "The token endpoint verifies PKCE.",
	},
	{
		ID:       "probes.pkce-not-verified",
		Title:    "The token endpoint does not verify code_verifier",
		Severity: Error,
		Rules:    []string{"RFC 7636 §4.6 (the server MUST verify the code_verifier)", "OAuth 2.1 §4.1.3", "MCP 2025-11-25 Security Considerations §Authorization Code Protection"},
		Why: "PKCE binds a code to the client that asked for it: only the holder of the verifier can redeem it. mcpwalk " +
			"redeemed a fresh code with the verifier of another challenge, and got a token.",
		Breaks:  "Nothing visible in clients; an intercepted code (a log, a malicious app on the redirect port) is as good as a token.",
		Clients: Clients{Tolerate: []string{"every client: none can tell from its side"}},
		Fix:     "Keep the code_challenge with the code and compare BASE64URL(SHA256(code_verifier)) with it at the token endpoint; refuse with invalid_grant when they differ or the verifier is missing.",
	},
	{
		ID:       "probes.pkce-inconclusive",
		Title:    "The PKCE probe could not run",
		Severity: Info,
		Rules:    []string{"RFC 7636 §4.6"},
		Why:      "The probe needs a second code from the authorization server, headless; it did not get one, or the token request got no answer.",
		Fix:      "Nothing to fix; the message says what happened.",
	},
}

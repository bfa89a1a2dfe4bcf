package findings

// discoveryFindings: checks that apply to every URL discovery meets.
var discoveryFindings = []Finding{
	{
		ID:       "discovery.ssrf-suspicious-url",
		Title:    "A metadata URL points at an internal, link-local or oddly encoded address (SSRF)",
		Severity: Warning,
		Rules: []string{
			"RFC 9728 §7.7 (clients SHOULD take precautions against SSRF, such as blocking internal IP ranges)",
			"MCP Security Best Practices §Server-Side Request Forgery (SSRF) (clients deployed on servers MUST consider it)",
		},
		Why: "Whatever the server under test puts in resource_metadata, authorization_servers, the authorization server's " +
			"endpoints or jwks_uri, a client will request. Pointed at 169.254.169.254 (cloud instance metadata, where " +
			"credentials live), at a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), at a link-local, " +
			"unspecified or multicast address, or at an address in an odd encoding (decimal 2130706433, hex 0x7f000001, " +
			"octal 0177.0.0.1, IPv4-mapped IPv6 [::ffff:10.0.0.1]) that filters and resolvers read differently, that " +
			"request reaches services the server itself could never reach. Loopback is the development case and is " +
			"fine; private destinations are fine when the MCP server itself is on a private network. mcpwalk does not " +
			"fetch a discovery URL that names such an address literally, and says so in the attempt.",
		Breaks: "Clients that run on servers (hosted agents, gateways, MCP proxies) are the ones at risk: a hostile MCP " +
			"server can make them read internal endpoints. Careful clients block these destinations at connect time " +
			"and report a discovery failure; careless ones fetch them. For a legitimate server, the usual cause is a " +
			"reverse proxy or container publishing its internal view of the network (http://10.0.3.7:8080/...) because " +
			"the public base URL was not configured.",
		Clients: Clients{
			Refuse:   []string{goSDK + " (discovery client blocks private, link-local, CGNAT, multicast and unspecified addresses at dial time)"},
			Tolerate: []string{"clients without an SSRF guard (they fetch the URL)", goSDK + " for registration and token requests (no dial guard there)"},
		},
		Fix: "Publish every metadata and endpoint URL with its public https host name. Configure the public base URL (issuer, " +
			"resource server URL) explicitly instead of deriving it from the incoming request or the container's address.",
		Providers: []ProviderFix{
			{"Keycloak", "set KC_HOSTNAME (and KC_HOSTNAME_BACKCHANNEL_DYNAMIC only if you need internal back-channel URLs); otherwise metadata carries the internal address."},
			{"TypeScript SDK", "pass the public issuerUrl / resourceServerUrl, not one built from req.host."},
			{"Python SDK (FastMCP)", "set issuer_url and resource_server_url to public URLs."},
		},
	},
}

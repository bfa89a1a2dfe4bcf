package findings

// dpopClients are the clients that speak DPoP at all; the rest send
// Bearer tokens and never see these findings.
const dpopClients = "clients that use DPoP (RFC 9449; the MCP DPoP extension, SEP-1932)"

const sep1932 = "MCP extension io.modelcontextprotocol/auth/dpop (SEP-1932)"

// dpopFindings: sender-constrained tokens (RFC 9449), decided at asmeta,
// graded at token and during MCP traffic.
var dpopFindings = []Finding{
	{
		ID:       "dpop.in-use",
		Title:    "The walk sender-constrains its tokens with DPoP",
		Severity: Pass,
		Rules:    []string{"RFC 9449 §5.1 (dpop_signing_alg_values_supported)", sep1932},
		Why: "The authorization server lists an algorithm mcpwalk signs (ES256, else RS256), or --dpop always asked for it. " +
			"From here every token request and every request to the MCP server carries a proof of possession of one key, " +
			"so a token that leaks is useless without that key. --dpop never turns it off.",
		Fix: "Nothing to fix.",
	},
	{
		ID:       "dpop.unsupported",
		Title:    "The authorization server offers no DPoP algorithm mcpwalk can sign",
		Severity: Error,
		Rules:    []string{"RFC 9449 §5.1", "RFC 8414 §2"},
		Why: "dpop_signing_alg_values_supported is how an authorization server says it binds tokens to keys. Without it " +
			"(or with only algorithms mcpwalk does not sign) tokens stay Bearer tokens. It is an error only with " +
			"--dpop always, which asked for DPoP; otherwise it is a note.",
		Breaks:  "With --dpop always the walk stops before any login; without it, the token is a plain Bearer token.",
		Clients: Clients{Refuse: []string{"clients configured to require DPoP"}, Tolerate: []string{"every other client (they use Bearer tokens)"}},
		Fix:     "Enable DPoP at the authorization server and list ES256 in dpop_signing_alg_values_supported, or run without --dpop always.",
	},
	{
		ID:       "dpop.resource-silent",
		Title:    "The authorization server supports DPoP; the MCP server shows no sign of it",
		Severity: Info,
		Rules:    []string{"RFC 9449 §7.1 (the DPoP challenge)", "RFC 9728 §2 (dpop_signing_alg_values_supported, dpop_bound_access_tokens_required)"},
		Why: "A DPoP-bound token is useless at a resource that cannot check proofs, and must not be presented there as a " +
			"Bearer token instead. --dpop auto therefore uses DPoP only when the MCP server shows it accepts it: a DPoP " +
			"challenge in its 401, or DPoP in its Protected Resource Metadata. An authorization server advertises DPoP for " +
			"every resource it serves: oidc-provider does, in front of a Go SDK server whose RequireBearerToken takes Bearer only.",
		Fix: "If the MCP server accepts DPoP, answer 401 with WWW-Authenticate: DPoP algs=\"…\" or list dpop_signing_alg_values_supported in the PRM; --dpop always tries DPoP regardless.",
	},
	{
		ID:       "dpop.resource-refused",
		Title:    "The MCP server refused a DPoP-bound token and offers no DPoP challenge",
		Severity: Error,
		Rules:    []string{"RFC 9449 §7.1", sep1932},
		Why: "The token was presented as Authorization: DPoP with a valid proof, and the 401 challenges only for Bearer: the " +
			"server does not accept DPoP tokens. Another authorization would bring another DPoP token, so the walk stops.",
		Breaks:  "Every request of a DPoP client is refused.",
		Clients: Clients{Refuse: []string{dpopClients}, Tolerate: []string{"Bearer-only clients"}},
		Fix:     "Accept DPoP-bound tokens at the MCP server (verify the proof, its ath and the token's cnf.jkt), or run mcpwalk with --dpop never.",
	},
	{
		ID:       "dpop.algs-invalid",
		Title:    "dpop_signing_alg_values_supported lists none or a symmetric algorithm",
		Severity: Warning,
		Rules:    []string{"RFC 9449 §4.2 (asymmetric algorithms only)", "RFC 9449 §5.1"},
		Why: "A proof shows possession of a private key; none proves nothing and an HMAC key would have to be shared with " +
			"the server. Listing them suggests a verifier that accepts them, which would let anyone forge proofs.",
		Breaks: "Nothing in mcpwalk, which never signs them; a verifier that accepts them has no sender constraint at all.",
		Fix:    "List only asymmetric JWS algorithms (ES256, PS256, RS256, EdDSA …) and reject proofs with any other.",
	},
	{
		ID:       "dpop.required",
		Title:    "The resource requires DPoP-bound tokens",
		Severity: Warning,
		Rules:    []string{"RFC 9728 §2 (dpop_bound_access_tokens_required)", "RFC 9449 §7.2", sep1932},
		Why: "The Protected Resource Metadata says the MCP server accepts only DPoP-bound access tokens. That passes when the " +
			"authorization server supports DPoP; it is a warning when it does not advertise it (mcpwalk sends proofs anyway, " +
			"since a client cannot know before trying) or when --dpop never turned DPoP off.",
		Breaks:  "A Bearer token is refused by the MCP server: the client authorizes, then gets 401 on every call.",
		Clients: Clients{Refuse: []string{"clients without DPoP support (they cannot use this server)"}},
		Fix:     "Advertise DPoP at the authorization server, or drop --dpop never.",
	},
	{
		ID:       "dpop.rs-alg",
		Title:    "The resource and the authorization server share no DPoP algorithm with mcpwalk",
		Severity: Warning,
		Rules:    []string{"RFC 9728 §2 (dpop_signing_alg_values_supported)", "RFC 9449 §5.1"},
		Why: "One key signs the proofs for both servers. When the resource lists algorithms and the one the authorization " +
			"server and mcpwalk agreed on is not among them, the resource may refuse every proof.",
		Breaks: "The token is issued, then refused by the MCP server (401 invalid_dpop_proof).",
		Fix:    "List the same algorithms in both metadata documents; ES256 is the common choice.",
	},
	{
		ID:       "dpop.as-nonce",
		Title:    "The token endpoint asked for a DPoP nonce",
		Severity: Warning,
		Rules:    []string{"RFC 9449 §8", sep1932},
		Why: "An authorization server may demand a server-chosen nonce in proofs, to limit how long a pre-computed proof is " +
			"good for: it answers 400 error=use_dpop_nonce with the nonce in a DPoP-Nonce header, and the client retries " +
			"once with it. A pass when that worked; a warning when the header was missing or the nonce it had supplied was " +
			"refused again (mcpwalk does not retry twice).",
		Breaks: "Without the header, or when the server refuses its own nonce, no token can be obtained.",
		Fix:    "Send DPoP-Nonce with every use_dpop_nonce error, and accept proofs carrying the current (or previous) nonce.",
	},
	{
		ID:       "dpop.rs-nonce",
		Title:    "The MCP server asked for a DPoP nonce",
		Severity: Warning,
		Rules:    []string{"RFC 9449 §9", sep1932},
		Why: "A resource server may demand a nonce too: 401 with WWW-Authenticate: DPoP error=\"use_dpop_nonce\" and a " +
			"DPoP-Nonce header. The client sends the request once more with a proof carrying it. Its nonces are kept apart " +
			"from the authorization server's. A warning when the header is missing or the server refuses the nonce it supplied.",
		Breaks:  "Every MCP request fails with 401 when the nonce cannot be honoured.",
		Clients: Clients{Refuse: []string{dpopClients + " that do not implement resource-server nonces"}},
		Fix:     "Send DPoP-Nonce with the use_dpop_nonce challenge, and accept proofs carrying the nonce you issued.",
	},
	{
		ID:       "dpop.token-bound",
		Title:    "The access token is DPoP-bound (token_type DPoP)",
		Severity: Pass,
		Rules:    []string{"RFC 9449 §5", "RFC 9449 §7.1"},
		Why:      "The authorization server bound the token to the proof's key; mcpwalk presents it as Authorization: DPoP with a fresh proof carrying ath.",
		Fix:      "Nothing to fix.",
	},
	{
		ID:       "dpop.token-not-bound",
		Title:    "The token request carried a DPoP proof, and a Bearer token came back",
		Severity: Error,
		Rules:    []string{"RFC 9449 §5 (token_type tells the client whether DPoP is supported)", "RFC 9728 §2", sep1932},
		Why: "token_type \"Bearer\" means the authorization server ignored the proof: the token is not bound to any key, " +
			"so whoever copies it can use it. mcpwalk then sends it as a Bearer token. It is a warning when the server " +
			"advertises DPoP but issues Bearer tokens, and an error when the resource requires DPoP-bound tokens, since " +
			"that resource will refuse this one.",
		Breaks:  "Against a resource that requires DPoP, every MCP request is refused; elsewhere the token loses its protection.",
		Clients: Clients{Refuse: []string{"every client, at a resource that requires DPoP-bound tokens"}, Tolerate: []string{"clients at resources that accept Bearer tokens"}},
		Fix:     "Bind tokens requested with a valid proof (cnf.jkt) and answer token_type \"DPoP\", or stop advertising dpop_signing_alg_values_supported.",
	},
	{
		ID:       "dpop.jkt",
		Title:    "The JWT access token's cnf.jkt and the walk's key",
		Severity: Warning,
		Rules:    []string{"RFC 9449 §6.1", "RFC 7638 (JWK thumbprint)", "RFC 7800 (cnf)"},
		Why: "A DPoP-bound JWT carries the thumbprint of its key as cnf.jkt, so that the resource can check each proof's " +
			"jwk against it. A pass when it is the thumbprint of mcpwalk's key; a note when it is absent (the resource must " +
			"ask the authorization server); a warning when it is another key's, which makes every proof fail.",
		Breaks: "With the wrong jkt the resource refuses every request with a valid proof.",
		Fix:    "Compute the jkt as the RFC 7638 SHA-256 thumbprint of the proof's jwk (required members only, sorted, no whitespace).",
	},
}

// dpopProbeFindings: the probes of a DPoP-bound token's enforcement
// (steps probes:dpop-*).
var dpopProbeFindings = []Finding{
	{
		ID:       "probes.dpop-as-bearer-accepted",
		Title:    "The MCP server accepts a DPoP-bound token as a Bearer token",
		Severity: Error,
		Rules:    []string{"RFC 9449 §7.2", sep1932},
		Why: "The probe sends the walk's DPoP-bound token with Authorization: Bearer and no proof, as a thief would. A resource " +
			"that accepts Bearer tokens as well must still recognise a bound token and refuse it without a proof.",
		Breaks:  "Binding protects nothing: a leaked token works without the key.",
		Clients: serverFlaw,
		Fix:     "Before accepting a Bearer token, check it is not DPoP-bound (cnf.jkt in the JWT, or token_type DPoP from introspection).",
	},
	{
		ID:       "probes.dpop-as-bearer-inconclusive",
		Title:    "The DPoP-as-Bearer probe got an answer that is neither served nor 401",
		Severity: Info,
		Rules:    []string{"RFC 9449 §7.2"},
		Why:      "The request was refused for another reason, so whether the server would accept the token as Bearer is unknown.",
		Fix:      "Nothing to fix; the exchange shows the status.",
	},
	{
		ID:       "probes.dpop-as-bearer",
		Title:    "A DPoP-bound token without a proof is refused",
		Severity: Pass,
		Rules:    []string{"RFC 9449 §7.2"},
		Why:      "The server enforces the binding when the token comes with the Bearer scheme.",
	},
	{
		ID:       "probes.dpop-wrong-key-accepted",
		Title:    "The MCP server accepts a proof signed by a key the token is not bound to",
		Severity: Error,
		Rules:    []string{"RFC 9449 §4.3 (the proof's key must match the token's binding)", "RFC 9449 §7.1"},
		Why: "The probe presents the walk's token with a proof that is correct in every way (method, URL, iat, ath, nonce) " +
			"except that another key signed it. A server that checks the signature but not the jwk against cnf.jkt accepts it.",
		Breaks:  "A thief with the token and any key of their own passes: the binding is not checked.",
		Clients: serverFlaw,
		Fix:     "Compare the RFC 7638 thumbprint of the proof's jwk with the token's cnf.jkt (or the introspected jkt) on every request.",
	},
	{
		ID:       "probes.dpop-wrong-key-inconclusive",
		Title:    "The wrong-key probe got an answer that is neither served nor 401",
		Severity: Info,
		Rules:    []string{"RFC 9449 §4.3"},
		Why:      "The request was refused for another reason, so whether the key binding is checked is unknown.",
		Fix:      "Nothing to fix; the exchange shows the status.",
	},
	{
		ID:       "probes.dpop-wrong-key",
		Title:    "A proof signed by another key is refused",
		Severity: Pass,
		Rules:    []string{"RFC 9449 §4.3"},
		Why:      "The server checks that each proof comes from the key the token is bound to.",
	},
}

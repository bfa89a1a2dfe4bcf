package findings

// registerFindings: obtaining a client_id (step register).
var registerFindings = []Finding{
	{
		ID:       "register.dcr-deprecated",
		Title:    "Dynamic client registration was used; 2026-07-28 deprecates it",
		Severity: Info,
		Rules:    []string{"MCP 2026-07-28 Client Registration §Dynamic Client Registration (MAY, deprecated)", "MCP 2025-11-25 Authorization §Client ID Metadata Documents (SHOULD)"},
		Why: "Open registration lets anyone create clients and leaves authorization servers full of dead ones; Client ID " +
			"Metadata Documents give a stable, verifiable client identity instead. Graded only against 2026-07-28.",
		Breaks: "Nothing today; clients may drop dynamic registration in later revisions.",
		Fix:    "Support CIMD (client_id_metadata_document_supported: true) alongside or instead of the registration endpoint.",
	},
	{
		ID:       "register.reused",
		Title:    "The client registration stored by an earlier run is reused",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Client Registration Approaches", "RFC 7591 §3"},
		Why: "Registering a new client on every run fills the authorization server with dead clients and runs into registration " +
			"rate limits (the TypeScript SDK's demo server allows 20 an hour). mcpwalk keeps one registration per authorization server.",
		Fix: "Nothing to fix.",
	},
	{
		ID:       "register.stored-port",
		Title:    "The stored registration's redirect port cannot be used; registering again",
		Severity: Info,
		Rules:    []string{"RFC 8252 §7.3 (loopback redirect URIs: any port must be allowed)"},
		Why: "mcpwalk listens on the port of the stored redirect URI, since many authorization servers compare redirect URIs " +
			"exactly, port included. When that port is taken (or --callback-port asks for another) it registers again.",
		Fix: "Free the port, or let the authorization server accept any loopback port as RFC 8252 requires.",
	},
	{
		ID:       "register.pre-registered",
		Title:    "Using the pre-registered client",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Client Registration Approaches (pre-registration first)"},
		Why:      "A client_id given by the user (--client-id) comes first in the spec's order.",
	},
	{
		ID:       "register.cimd",
		Title:    "Using a Client ID Metadata Document as client_id",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Client ID Metadata Documents"},
		Why:      "The authorization server advertises CIMD support and --client-metadata-url was given.",
	},
	{
		ID:       "register.cimd-unsupported",
		Title:    "A Client ID Metadata Document was given, but the authorization server does not advertise CIMD",
		Severity: Info,
		Rules:    []string{"MCP 2025-11-25 Authorization §Client ID Metadata Documents (clients SHOULD check the capability and MAY fall back)"},
		Why:      "Clients must not send a URL client_id to an authorization server that does not say it accepts one; mcpwalk fell back to dynamic registration.",
		Breaks:   "Clients configured for CIMD only cannot connect.",
		Fix:      "If the authorization server does accept CIMD, set \"client_id_metadata_document_supported\": true in its metadata.",
	},
	{
		ID:       "register.no-mechanism",
		Title:    "No way to obtain a client_id",
		Severity: Error,
		Rules: []string{
			"MCP 2025-11-25 Authorization §Client Registration Approaches (clients MUST obtain a client_id: pre-registered, CIMD or dynamic registration)",
			"RFC 7591 §3",
		},
		Why: "No --client-id was given, the authorization server does not accept Client ID Metadata Documents (or none " +
			"was given) and it has no registration_endpoint. This is the normal state of enterprise identity providers.",
		Breaks: "Clients that only know dynamic registration fail with \"does not support dynamic client registration\", " +
			"even when the user could supply a client_id; clients with a client-id setting work once an app is registered.",
		Clients: Clients{
			Refuse:   []string{dcrOnly},
			Tolerate: []string{"clients that accept a client id (" + vscode + ", " + goSDK + " with a pre-registered client)"},
		},
		Fix: "Register an application with the authorization server (public client, redirect URI http://127.0.0.1:<port>/callback) " +
			"and pass --client-id (and --client-secret for a confidential client) with --callback-port; or enable CIMD or " +
			"dynamic registration on the authorization server.",
		Providers: []ProviderFix{
			{"Entra ID", "App registrations → New registration → platform \"Mobile and desktop applications\" with redirect http://localhost (Entra ignores the port of localhost redirect URIs); codes for that platform are redeemed without a secret."},
			{"Google", "create an OAuth client of type \"Desktop app\"; loopback redirects on any port are accepted for it."},
			{"Okta", "create an OIDC Native application with Authorization Code + PKCE and the loopback redirect URI."},
			{"Cognito", "create an app client without a secret, allow the authorization code grant and add the callback URL (exact match, port included)."},
			{"Auth0", "create a Native application, or enable Dynamic Client Registration for the tenant."},
		},
	},
	{
		ID:       "register.auth-method-none",
		Title:    "A client without a secret, but the token endpoint does not list the none method",
		Severity: Info,
		Rules:    []string{"RFC 8414 §2 (token_endpoint_auth_methods_supported; default client_secret_basic)", "RFC 7591 §2"},
		Why: "A public client (no secret) authenticates with none; when the list lacks it, the authorization server may expect a " +
			"secret. Reported for a pre-registered client without --client-secret, and for a dynamic registration the " +
			"authorization server accepted as none although its metadata does not list the method.",
		Breaks: "The token request may fail with invalid_client if the registered application is confidential.",
		Fix:    "Register the application as a public client, or pass its --client-secret; list \"none\" in token_endpoint_auth_methods_supported if public clients are accepted.",
	},
	{
		ID:       "register.auth-method",
		Title:    "The token endpoint advertises neither client_secret_basic nor client_secret_post",
		Severity: Warning,
		Rules:    []string{"RFC 8414 §2", "RFC 6749 §2.3.1"},
		Why:      "A client with a secret needs one of the two secret methods; mcpwalk tries client_secret_basic.",
		Breaks:   "The token request fails with invalid_client when the authorization server really wants another method (private_key_jwt, tls_client_auth).",
		Fix:      "List every method the token endpoint accepts in token_endpoint_auth_methods_supported.",
	},
	{
		ID:       "register.dcr-rejected",
		Title:    "Dynamic client registration was rejected",
		Severity: Error,
		Rules: []string{
			"RFC 7591 §3.2.2 (errors: 400 invalid_redirect_uri, invalid_client_metadata)",
			"RFC 8252 §7.3 (loopback redirect URIs: any port MUST be allowed)",
			"MCP 2026-07-28 Client Registration §Dynamic Client Registration (clients MUST handle redirect URI constraints)",
		},
		Why: "mcpwalk registers a public native client with a loopback redirect URI on an ephemeral port, as MCP clients " +
			"do. The most common rejection is the redirect URI: http (not https), 127.0.0.1 vs localhost, or an " +
			"unexpected port. Registration may also be closed, rate-limited or need an initial access token.",
		Breaks: "Clients that rely on dynamic registration cannot connect; the error they show is often a bare \"registration " +
			"failed\" or a JSON parse error when the answer is HTML.",
		Clients: Clients{Refuse: []string{dcrOnly, mostClients}},
		Fix: "Accept http://127.0.0.1:<any port>/… and http://localhost:<any port>/… redirect URIs for native clients (RFC 8252). " +
			"Answer errors with 400 and a JSON error/error_description. Or pre-register a client and pass --client-id with " +
			"--callback-port.",
		Providers: []ProviderFix{
			{"Keycloak", "anonymous registration is governed by Client Registration Policies: add the client's host to \"Trusted Hosts\" (or disable host checking) and allow the loopback redirect URIs."},
			{"Cloudflare workers-oauth-provider", "check the redirect URI rules of your version; loopback redirects must match on any port."},
			{"Auth0", "Dynamic Client Registration must be enabled for the tenant; registered apps are third-party and need domain-level connections."},
			{"Slack", "only accepts its configured redirect URIs (commonly http://localhost:3118/callback); pre-register and use --callback-port."},
		},
	},
	{
		ID:       "register.dcr-status",
		Title:    "Dynamic registration succeeded with a status other than 201 Created",
		Severity: Warning,
		Rules:    []string{"RFC 7591 §3.2.1 (success is 201 Created)"},
		Why:      "Clients check the success status; most accept any 2xx.",
		Breaks:   "Strict clients treat 200 as an error; the Go SDK accepts 200 and 201.",
		Clients: Clients{
			Refuse:   []string{"clients that require 201"},
			Tolerate: []string{goSDK, mostClients},
		},
		Fix: "Answer a successful registration with 201 Created.",
	},
	{
		ID:       "register.dcr-content-type",
		Title:    "The registration response is not application/json",
		Severity: Warning,
		Rules:    []string{"RFC 7591 §3.2.1"},
		Why:      "The registered client metadata is a JSON document; clients parse it as such.",
		Breaks:   "Clients that check the media type fail; others parse the body anyway.",
		Fix:      "Send Content-Type: application/json.",
	},
	{
		ID:       "register.dcr-auth-method",
		Title:    "The server registered another token endpoint auth method than the one requested",
		Severity: Warning,
		Rules:    []string{"RFC 7591 §2, §3.2.1 (the response is the registered state; clients use it)"},
		Why: "mcpwalk asks for token_endpoint_auth_method none (a public native client). A server that registers " +
			"client_secret_basic instead hands out a secret the client must then use — exactly as registered.",
		Breaks: "Clients that ignore the returned method (or always send the secret in the body) get invalid_client at the " +
			"token endpoint (\"Client ID mismatch\", \"client authentication failed\"). It also turns a CLI into a " +
			"confidential client with a secret on disk.",
		Clients: Clients{
			Refuse:   []string{"clients that ignore the registered method (" + inspector + " has sent Basic regardless)"},
			Tolerate: []string{goSDK + " (uses the returned method)"},
		},
		Fix: "Honour \"token_endpoint_auth_method\": \"none\" for native clients, and make the token endpoint accept the method it registered.",
	},
	{
		ID:       "register.dcr-secret-missing",
		Title:    "A secret-based auth method was registered without a client_secret",
		Severity: Error,
		Rules:    []string{"RFC 7591 §3.2.1 (client_secret is returned for confidential clients)"},
		Why:      "The client has been told to authenticate with a secret it was never given.",
		Breaks:   "Every token request fails with invalid_client.",
		Clients:  Clients{Refuse: []string{mostClients}},
		Fix:      "Either register the client with none, or return the client_secret.",
	},
	{
		ID:       "register.dcr-redirect-uris",
		Title:    "The registered redirect_uris differ from the ones sent",
		Severity: Warning,
		Rules:    []string{"RFC 7591 §3.2.1", "MCP 2025-11-25 Security Considerations §Open Redirection (exact redirect URI matching)"},
		Why:      "Authorization servers match redirect URIs exactly; a rewritten URI (localhost for 127.0.0.1, port dropped, path changed) makes the authorization request fail later.",
		Breaks:   "The authorization request is refused with a redirect_uri mismatch, or the redirect goes somewhere the client is not listening.",
		Fix:      "Register the redirect URIs exactly as sent.",
	},
	{
		ID:       "register.callback-port",
		Title:    "The loopback listener for the authorization response could not start",
		Severity: Error,
		Rules:    []string{"RFC 8252 §7.3 (loopback redirect URIs)", "MCP 2025-11-25 Security Considerations §Communication Security"},
		Why: "The authorization server sends the browser back to http://127.0.0.1:<port>/callback; something must listen " +
			"there. A port already in use means another process gets the response instead.",
		Breaks: "With the port taken, the browser lands on the other process (another MCP client, an earlier run still " +
			"waiting), which reports a state mismatch or a CSRF error, or nothing at all, and the login seems to hang.",
		Clients: Clients{Refuse: []string{"every client on that machine: only one process can listen on the port"}},
		Fix: "Stop the process that holds the port, or pick another with --callback-port; for a pre-registered client the " +
			"port must be one registered with the authorization server (many match loopback ports exactly).",
	},
	{
		ID:       "register.dcr-response",
		Title:    "The registration endpoint answered without a JSON client_id",
		Severity: Error,
		Rules:    []string{"RFC 7591 §3.2.1 (the response is a JSON object with client_id)", "MCP 2026-07-28 Client Registration §Dynamic Client Registration"},
		Why: "A successful registration returns the registered metadata as JSON, client_id first of all. An HTML page, an " +
			"empty body or JSON without client_id gives the client nothing to authorize as.",
		Breaks: "Clients fail with a parse error (\"Unexpected token < in JSON\", a Zod validation error) that names neither " +
			"the registration endpoint nor what it sent.",
		Clients: Clients{Refuse: []string{mostClients, dcrOnly}},
		Fix: "Answer registrations with 201 and application/json carrying client_id; make sure the registration path is " +
			"not behind a login page or a single-page-app catch-all route.",
	},
	{
		ID:       "register.cimd-document",
		Title:    "The Client ID Metadata Document given with --client-metadata-url is not usable",
		Severity: Error,
		Rules: []string{"MCP 2025-11-25 Authorization §Client ID Metadata Documents (an https URL with a path; client_id, client_name, redirect_uris)",
			"draft-ietf-oauth-client-id-metadata-document-00 §3 (the URL), §4 (client_id identical to the URL; no shared secret)"},
		Why: "With a Client ID Metadata Document the client_id is the document's URL and the authorization server fetches it " +
			"to learn the client's name and redirect URIs. mcpwalk fetches it first, so that a broken document is named " +
			"before the authorization server refuses the client with a page that rarely says why. When the document cannot " +
			"be fetched from where mcpwalk runs this is only a warning: the authorization server may still reach it.",
		Breaks:  "The authorization server refuses the client at the authorization endpoint, usually with an error page and no redirect.",
		Clients: Clients{Refuse: []string{"authorization servers that support CIMD"}},
		Fix: "Serve the document at an https URL with a path, as application/json, with client_id exactly equal to that URL, " +
			"a client_name, the redirect_uris the client uses, and no client_secret; token_endpoint_auth_method none (or " +
			"private_key_jwt with a jwks_uri).",
	},
	{
		ID:       "register.cimd-redirect",
		Title:    "The Client ID Metadata Document does not list the redirect URI in use",
		Severity: Error,
		Rules:    []string{"draft-ietf-oauth-client-id-metadata-document-00 §4 (the authorization server validates redirect URIs against the document)", "RFC 8252 §7.3 (any port for loopback IP redirect URIs)"},
		Why: "The authorization server redirects only to a redirect URI the document lists: exactly, or for a loopback IP " +
			"with any port. localhost and 127.0.0.1 are different hosts to it.",
		Breaks:  "The authorization server shows an error page instead of redirecting back; the login never completes.",
		Clients: Clients{Refuse: []string{"authorization servers that support CIMD"}},
		Fix:     "List http://127.0.0.1/callback (any port is then allowed for loopback) in redirect_uris, or pass --callback-port and --callback-path to match an entry.",
	},
	{
		ID:       "register.cimd-grant-types",
		Title:    "The Client ID Metadata Document's grant_types lack refresh_token",
		Severity: Info,
		Rules:    []string{"MCP 2026-07-28 Authorization §Refresh Tokens (clients SHOULD include refresh_token in grant_types)"},
		Why:      "Authorization servers read grant_types from the document; without refresh_token they may issue no refresh token.",
		Breaks:   "Every expiry means a new interactive login.",
		Fix:      "Add refresh_token to grant_types.",
	},
	{
		ID:       "register.client-issuer-mismatch",
		Title:    "The pre-registered client belongs to another authorization server",
		Severity: Error,
		Rules: []string{"MCP 2026-07-28 Client Registration §Authorization Server Binding (credentials are keyed by the issuer; a pre-registered client's issuer mismatch SHOULD surface an error)",
			"SEP-2352"},
		Why: "A client_id and secret are valid at the authorization server that issued them. When the resource names " +
			"another one (it moved, or the PRM is wrong), presenting them there leaks the secret to a party that never " +
			"issued it and fails anyway. --client-issuer says which issuer the --client-id belongs to.",
		Breaks:  "Clients that do not bind credentials to an issuer send them to the new authorization server and get invalid_client (or, worse, a client of the same id there).",
		Clients: Clients{Refuse: []string{strictClients}, Tolerate: []string{"clients without issuer binding (they present the credentials anyway)"}},
		Fix:     "Register a client with the authorization server the resource now names and pass that --client-id and --client-issuer; or, if the PRM is wrong, point authorization_servers back at the right issuer.",
	},
}

package findings

// storedFindings: tokens and registrations kept from an earlier run (step
// stored), and the refresh that renews them.
var storedFindings = []Finding{
	{
		ID:       "stored.token-reused",
		Title:    "A stored token from an earlier run is still valid and is used",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Authorization §Token Handling"},
		Why:      "Logging in once and reusing the token until it expires is what users expect of a client; no browser opens.",
		Fix:      "Nothing to fix. `mcpwalk token rm URL` forgets it; `--token-store none` never stores.",
	},
	{
		ID:       "stored.token-mismatch",
		Title:    "A stored token exists but does not fit this walk",
		Severity: Info,
		Rules:    []string{"RFC 8707 §2", "MCP 2025-11-25 Authorization §Token Audience Binding and Validation"},
		Why: "A token is bound to its issuer, resource and client. When the server now names another authorization server " +
			"(a migration), or a different resource, client or scope is asked for, reusing it would send a token where it does not belong.",
		Breaks: "Clients that replay tokens across authorization servers get 401s they cannot explain.",
		Fix:    "Nothing to fix in mcpwalk: a new login follows and replaces the stored token.",
	},
	{
		ID:       "stored.no-refresh-token",
		Title:    "The stored token expired and no refresh token was issued",
		Severity: Warning,
		Rules:    []string{"RFC 6749 §6", "OAuth 2.1 §4.3.1 (refresh tokens for public clients must be sender-constrained or rotated)"},
		Why: "Without a refresh token every expiry means a new interactive login. Authorization servers often issue one only " +
			"when offline_access is requested, or never to public clients.",
		Breaks:  "Long-running agents and CI checks lose access at every expiry; headless clients cannot recover at all.",
		Clients: Clients{Tolerate: []string{"interactive clients, which open the browser again"}},
		Fix: "Offer offline_access in scopes_supported (clients request it when listed), and issue rotated refresh tokens to " +
			"public clients. The token step's message says why none came (not requested, not offered, policy).",
		Providers: []ProviderFix{
			{"Auth0", "enable Allow Offline Access on the API and refresh token rotation on the application."},
			{"Keycloak", "offline_access is a default optional client scope; make sure the client may request it."},
			{"Microsoft Entra ID", "request offline_access; refresh tokens for SPAs and public clients are issued with rotation."},
		},
	},
	{
		ID:       "stored.refreshed",
		Title:    "The stored token was refreshed with the resource parameter",
		Severity: Pass,
		Rules:    []string{"RFC 6749 §6", "RFC 8707 §2.2", "MCP 2025-11-25 Authorization §Token Handling"},
		Why:      "A refresh asks for the same resource as the original grant, so the new access token is still bound to this MCP server.",
		Fix:      "Nothing to fix.",
	},
	{
		ID:       "stored.refresh-rotated",
		Title:    "The refresh token was rotated and the new one saved",
		Severity: Pass,
		Rules:    []string{"OAuth 2.1 §4.3.1", "RFC 9700 §4.14.2"},
		Why:      "Rotation limits the damage of a leaked refresh token. The client must save the new one at once: the old one is now spent.",
		Fix:      "Nothing to fix.",
	},
	{
		ID:       "stored.refresh-reuse",
		Title:    "Replaying a rotated-away refresh token (token refresh --check-reuse)",
		Severity: Warning,
		Rules:    []string{"OAuth 2.1 §4.3.1", "RFC 9700 §4.14.2 (refresh token reuse detection)"},
		Why: "After a rotation the old refresh token must be dead; presenting it again is how theft shows, and the " +
			"authorization server should refuse it with invalid_grant and end the grant.",
		Breaks: "If accepted, a stolen refresh token keeps working alongside the legitimate client.",
		Fix:    "Invalidate refresh tokens on rotation and revoke the grant when a spent one is presented.",
	},
	{
		ID:       "stored.refresh-resource-rejected",
		Title:    "The authorization server rejects the resource parameter on refresh",
		Severity: Warning,
		Rules:    []string{"RFC 8707 §2.2 (resource is allowed on refresh requests)", "MCP 2025-11-25 Authorization §Resource Parameter Implementation"},
		Why: "MCP clients send resource on every token request so the refreshed token stays bound to the MCP server. " +
			"Some authorization servers refuse it on refresh; --lenient retries without it and says so.",
		Breaks:  "Strict clients cannot refresh and fall back to a new login at every expiry; lenient ones may get a token without the right audience.",
		Clients: Clients{Refuse: []string{strictClients}, Tolerate: []string{"clients built on golang.org/x/oauth2's refresher, which never send resource"}},
		Fix:     "Accept resource on refresh for the resource of the original grant.",
		Providers: []ProviderFix{
			{"Microsoft Entra ID", "v2 endpoints take scope (api://…/.default) instead of resource; mixing them is refused."},
		},
	},
	{
		ID:       "stored.refresh-not-rotated",
		Title:    "The refresh answer did not rotate the refresh token",
		Severity: Warning,
		Rules:    []string{"OAuth 2.1 §4.3.1 (public clients: rotation or sender-constrained refresh tokens)", "RFC 9700 §4.14.2"},
		Why: "For public clients the authorization server MUST rotate refresh tokens or sender-constrain them (DPoP, mTLS): " +
			"a warning for public clients, information for confidential ones.",
		Breaks: "Nothing visible; a stolen refresh token stays usable until it expires.",
		Fix:    "Enable refresh token rotation for public clients.",
	},
	{
		ID:       "stored.refresh-scope-reduced",
		Title:    "The refreshed token has fewer scopes than the original grant",
		Severity: Warning,
		Rules:    []string{"RFC 6749 §6 (without a scope parameter the refreshed token has the original scope)"},
		Why:      "mcpwalk refreshes without a scope parameter, so the new token should carry the whole original grant.",
		Breaks:   "Tool calls that worked before the refresh now fail with 403 insufficient_scope.",
		Fix:      "Keep the grant's scope on refresh.",
	},
	{
		ID:       "stored.refresh-invalid-grant",
		Title:    "The refresh was refused with invalid_grant",
		Severity: Warning,
		Rules:    []string{"RFC 6749 §5.2", "OAuth 2.1 §4.3.1", "RFC 9700 §4.14.2 (reuse of a rotated refresh token revokes the grant)"},
		Why: "The refresh token was revoked, expired, or was already used. With rotation, presenting an old refresh token is " +
			"taken as theft and ends the whole grant: the usual cause is a client (or a second process) that did not save the rotated token.",
		Breaks: "Clients that wipe all state on invalid_grant force a new registration and login; clients that retry loop. " +
			"mcpwalk keeps the registration and logs in again.",
		Fix: "Log in again. If it happens after every refresh, check that the rotated refresh token is saved, and that two " +
			"processes do not refresh the same token at once (mcpwalk holds a lock for it).",
	},
	{
		ID:       "stored.stale-registration",
		Title:    "The stored client registration is no longer known to the authorization server",
		Severity: Warning,
		Rules:    []string{"RFC 7591 §3", "RFC 6749 §5.2 (invalid_client)"},
		Why: "Dynamic registrations can expire or be deleted (an authorization server restarted with in-memory clients, a " +
			"clean-up job). A client that replays a dead client_id forever never recovers.",
		Breaks: "Clients that cache registrations without checking them fail every login with invalid_client until their cache is cleared by hand.",
		Fix:    "Nothing to do in mcpwalk: it forgets the registration and registers again. On the server, document registration lifetimes (client_secret_expires_at).",
	},
	{
		ID:       "stored.refresh-failed",
		Title:    "The refresh failed",
		Severity: Warning,
		Rules:    []string{"RFC 6749 §6, §5.2"},
		Why:      "The token endpoint did not answer the refresh_token grant with a token or a known error.",
		Breaks:   "Clients fall back to an interactive login at every expiry, or fail outright when headless.",
		Fix:      "See the message; make the token endpoint support grant_type=refresh_token (and list it in grant_types_supported).",
	},
	{
		ID:       "stored.registration-missing",
		Title:    "The stored token's client registration is missing",
		Severity: Warning,
		Rules:    []string{"RFC 6749 §6 (the refresh request authenticates the client it was issued to)"},
		Why:      "A refresh must come from the client the token was issued to; without its registration it cannot be sent.",
		Breaks:   "The stored token cannot be renewed; a new login (and registration) is needed.",
		Fix:      "Log in again (the registration is stored with the new token), or pass --client-id for a pre-registered client.",
	},
	{
		ID:       "stored.saved",
		Title:    "The token (or registration) was saved for later runs",
		Severity: Pass,
		Rules:    []string{"MCP 2025-11-25 Security Considerations §Token Theft (store tokens securely)"},
		Why:      "Saved in the store --token-store chose: the OS keychain, or a 0600 file where there is none.",
		Fix:      "Nothing to fix.",
	},
	{
		ID:       "stored.save-failed",
		Title:    "The token store could not be written",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Security Considerations §Token Theft (store tokens securely)"},
		Breaks:   "The next run logs in again; with rotation, the new refresh token is lost and the old one is already spent.",
		Why:      "The walk goes on with the token in memory, but the next run will need a new login; a rotated refresh token that is not saved is lost.",
		Fix:      "Unlock the keychain, or use --token-store file; check the permissions of the data directory.",
	},
	{
		ID:       "stored.unavailable",
		Title:    "The token store could not be read",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Security Considerations §Token Theft (store tokens securely)"},
		Breaks:   "Stored tokens cannot be reused: the walk logs in again.",
		Why:      "A keychain that does not answer (locked, no daemon on a headless machine) or a damaged or over-permissive file.",
		Fix:      "Unlock the keychain, choose --token-store file or none, or fix the file the message names.",
	},
	{
		ID:       "stored.failed",
		Title:    "No usable stored token, and a login was not allowed",
		Severity: Error,
		Rules:    []string{"mcpwalk --stored-auth-only"},
		Clients:  Clients{Refuse: []string{"every non-interactive client: it has no way to log in"}},
		Breaks:   "CI checks and scripted calls stop with exit code 4 until someone logs in.",
		Why: "With --stored-auth-only (for CI) or `token refresh`, mcpwalk never opens a login: without a stored token that is " +
			"valid or refreshes, it stops with exit code 4.",
		Fix: "Log in once with `mcpwalk check URL` (or `call`) on a machine with a browser and the same token store, then run again.",
	},
}

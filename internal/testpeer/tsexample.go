// Package testpeer starts real third-party MCP peers for integration tests.
// The peers are installed by scripts/install-test-deps.sh (npm ci in
// tests/peers) and run only on loopback.
package testpeer

// Facts about the TypeScript SDK's example server, as read from
// @modelcontextprotocol/sdk 1.32.2 (dist/esm/examples/server/
// simpleStreamableHttp.js and demoInMemoryOAuthProvider.js) and checked by
// running it:
//
//   - Ports: MCP_PORT (default 3000) for the MCP server and MCP_AUTH_PORT
//     (default 3001) for the demo authorization server, a separate Express
//     app in the same process. There is no host option: both call
//     app.listen(port), which Node binds to every interface (::, dual stack).
//     tests/peers/loopback-only.cjs, loaded with `node --require`, rewrites
//     every TCP listen in the process to 127.0.0.1.
//   - The URLs it advertises always use "localhost": the protected resource is
//     http://localhost:<MCP_PORT>/mcp and the issuer is
//     http://localhost:<MCP_AUTH_PORT>/ (trailing slash, from URL.href). Hence
//     StartTSExample returns a localhost URL, so that the resource check of
//     RFC 9728 §3.3 matches.
//   - Flags: --oauth turns on bearer auth for /mcp (POST, GET, DELETE);
//     --oauth-strict additionally makes the AS refuse a code whose resource
//     (RFC 8707) is not this server, and the RS refuse tokens for another
//     audience. Tokens are checked by introspection (POST /introspect on the
//     AS).
//   - An unauthenticated request gets 401 with
//     WWW-Authenticate: Bearer error="invalid_token",
//     error_description="Missing Authorization header",
//     resource_metadata="http://localhost:<MCP_PORT>/.well-known/oauth-protected-resource/mcp".
//   - AS metadata (/.well-known/oauth-authorization-server): response type
//     code, PKCE S256 only, token auth client_secret_post or none, a
//     /register endpoint (dynamic registration, in memory), no revocation, no
//     authorization_response_iss_parameter_supported. Refresh tokens are
//     advertised but exchangeRefreshToken throws.
//   - /authorize consents by itself: there is no login or consent page. For a
//     registered client with a valid request it sets a demo_session cookie and
//     answers 302 to redirect_uri?code=<uuid>&state=<state>, with no iss
//     parameter. The SDK's handler lets a loopback redirect_uri differ in port
//     from the registered one (RFC 8252 §7.3), but the demo provider then
//     compares exactly and redirects with error=invalid_request
//     ("Unregistered redirect_uri"): register the exact redirect URI.
//     Unknown client_id or a malformed redirect_uri get a 400 JSON error
//     without a redirect; missing PKCE or a wrong response_type redirect with
//     error=invalid_request.
//   - Rate limits (express-rate-limit, per client IP, in memory, so a fresh
//     process starts at zero): /authorize 100 and /token 50 per 15 minutes,
//     /register 20 per hour. Each StartTSExample call is a fresh process.
//   - SIGINT closes sessions and exits 0; SIGTERM is not handled and ends the
//     process at once, which is what the cleanup here sends.

package cmd

import (
	"strings"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/report"
	"github.com/mcpwalk/mcpwalk/internal/testpeer"
)

func findingList(r report.Report) string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.ID+":"+f.Severity)
	}
	return strings.Join(ids, " ")
}

// oidc-provider (a real, widely deployed authorization server) in front of
// an MCP server built from the Go SDK's auth helpers that verifies its JWT
// access tokens. What these peers really do wrong, and why each finding is
// right:
//   - asmeta.cimd: oidc-provider does not advertise Client ID Metadata
//     Documents (a SHOULD since 2025-11-25), so registration is dynamic,
//     which 2026-07-28 deprecates (register.dcr-deprecated, info).
//   - token.scope-reduced, token.no-refresh-token: mcpwalk asks for
//     offline_access because the provider lists it, but OpenID Connect
//     Core §11 grants it only with prompt=consent, so the provider drops it
//     and issues no refresh token; the finding says so and names the flag.
//   - probes.invalid-token-error: the Go SDK's auth.RequireBearerToken
//     answers a bad token 401 with a challenge that lacks
//     error="invalid_token" (RFC 6750 §3.1).
//   - probes.origin-not-validated: the SDK's streamable handler serves a
//     foreign Origin (MCP Transports §Security Warning).
//   - probes.other-resource-unavailable: the provider rightly refuses to
//     mint a token for a resource it does not know (invalid_target), so
//     that probe cannot run; probes.cors: no CORS preflight answer (info);
//     probes.cors-expose: RequireBearerToken's 401 has no CORS headers, so
//     browsers cannot read the challenge (info; the metadata documents of
//     both allow cross-origin reads).
//   - dpop.resource-silent: the provider advertises DPoP (ES256, EdDSA),
//     the MCP server shows no sign of it (a Bearer challenge, no DPoP in
//     its PRM), so --dpop auto keeps Bearer tokens (TestOIDCProviderDPoP
//     shows what --dpop always meets).
//
// The provider validates redirect URIs (another host, path; any loopback
// port) and PKCE: those probes pass.
func TestCheckOIDCProvider(t *testing.T) {
	p := testpeer.StartOIDC(t, testpeer.OIDCOptions{})
	code, out, errOut := run(t, "check", "--headless", "--json", p.MCPURL)
	if code != ExitOK {
		t.Fatalf("check exited %d\n%s", code, errOut)
	}
	r := decodeReport(t, out)
	want := "asmeta.cimd:warning dpop.resource-silent:info register.dcr-deprecated:info token.scope-reduced:info token.no-refresh-token:info " +
		"probes.invalid-token-error:warning probes.other-resource-unavailable:info probes.origin-not-validated:warning probes.cors:info probes.cors-expose:info"
	if got := findingList(r); got != want {
		t.Errorf("findings = %s\nwant       %s", got, want)
	}
	if !hasCheckStatus(r, "token.audience", "pass") {
		t.Errorf("the JWT's aud was not checked against the resource")
	}
	if !hasCheckStatus(r, "authorize.iss", "pass") {
		t.Errorf("the RFC 9207 iss was not checked")
	}
	// A real authorization server's enforcement, seen by the probes.
	for _, id := range []string{"probes.redirect-uri", "probes.loopback-port", "probes.pkce", "probes.empty-bearer", "probes.host"} {
		if !hasCheckStatus(r, id, "pass") {
			t.Errorf("%s did not pass against oidc-provider and the Go SDK server", id)
		}
	}
	code, out, errOut = run(t, "call", "--headless", p.MCPURL, "tools/call", "echo", "--arg", "text=through oidc-provider")
	if code != ExitOK || !strings.Contains(out.String(), "through oidc-provider") {
		t.Fatalf("tools/call echo: exit %d\n%s%s", code, out, errOut)
	}
	assertRedacted(t, out.String(), errOut.String())
}

// The token lifecycle against oidc-provider: a refresh token with
// prompt=consent, reuse from a new run, refresh with rotation (a public
// client), reuse of a rotated refresh token refused, and a registration
// lost when the provider restarts detected and replaced.
func TestOIDCProviderTokenLifecycle(t *testing.T) {
	storeEnv(t)
	// 20s access tokens look expired to mcpwalk at once (30s margin).
	p := testpeer.StartOIDC(t, testpeer.OIDCOptions{AccessTTL: 20 * time.Second})
	code, out, errOut := run(t, "check", "--headless", "--json", "--no-probes", "--auth-param", "prompt=consent", p.MCPURL)
	if code != ExitOK {
		t.Fatalf("login: exit %d\n%s", code, errOut)
	}
	r := decodeReport(t, out)
	if ids := findingIDs(r); ids["token.no-refresh-token"] || !ids["stored.saved"] {
		t.Fatalf("with prompt=consent a refresh token must be issued and saved: %v", ids)
	}

	// A new run refreshes the expired token without a browser.
	code, out, errOut = runNoBrowser(t, "call", "--stored-auth-only", "--json", p.MCPURL, "tools/call", "echo", "--arg", "text=refreshed")
	if code != ExitOK {
		t.Fatalf("refresh run: exit %d\n%s", code, errOut)
	}
	r = decodeReport(t, out)
	for _, want := range []string{"stored.refreshed", "stored.refresh-rotated", "stored.saved", "token.audience"} {
		if !hasCheckStatus(r, want, "pass") {
			t.Errorf("refresh against oidc-provider: no passing %s in %v", want, findingIDs(r))
		}
	}

	// Replaying the rotated-away refresh token is refused.
	code, out, errOut = runNoBrowser(t, "token", "refresh", "--check-reuse", "--json", p.MCPURL)
	if code != ExitOK {
		t.Fatalf("token refresh --check-reuse: exit %d\n%s", code, errOut)
	}
	if !hasCheckStatus(decodeReport(t, out), "stored.refresh-reuse", "pass") {
		t.Errorf("oidc-provider accepted a rotated-away refresh token, or it was not tried")
	}

	// A restart loses the registrations (in-memory adapter): the refresh
	// fails with invalid_client, the registration is replaced, a new
	// login follows and is stored.
	p.Restart()
	code, out, errOut = run(t, "call", "--headless", "--json", "--auth-param", "prompt=consent", p.MCPURL, "tools/list")
	if code != ExitOK {
		t.Fatalf("after restart: exit %d\n%s", code, errOut)
	}
	ids := findingIDs(decodeReport(t, out))
	if !ids["stored.stale-registration"] || ids["register.reused"] || !ids["stored.saved"] {
		t.Errorf("after the provider lost its registrations: %v", ids)
	}
	code, _, errOut = runNoBrowser(t, "call", "--stored-auth-only", p.MCPURL, "tools/list")
	if code != ExitOK {
		t.Errorf("run after re-registration: exit %d\n%s", code, errOut)
	}
}

// With --dpop always, oidc-provider verifies mcpwalk's proofs and issues
// a DPoP-bound JWT whose cnf.jkt is the walk's key — a third party's
// verifier agreeing with mcpwalk's proofs. The Go SDK's RequireBearerToken
// knows only Bearer: it refuses the DPoP token with a Bearer challenge,
// which is reported once (dpop.resource-refused), without re-authorizing.
func TestOIDCProviderDPoP(t *testing.T) {
	p := testpeer.StartOIDC(t, testpeer.OIDCOptions{})
	code, out, errOut := run(t, "check", "--headless", "--json", "--no-probes", "--token-store", "none", "--dpop", "always", p.MCPURL)
	r := decodeReport(t, out)
	if code != ExitFailed {
		t.Fatalf("check --dpop always: exit %d, want %d\n%s", code, ExitFailed, errOut)
	}
	for _, want := range []struct{ id, status string }{
		{"dpop.in-use", "pass"}, {"dpop.token-bound", "pass"}, {"dpop.jkt", "pass"}, {"dpop.resource-refused", "fail"},
	} {
		if !hasCheckStatus(r, want.id, want.status) {
			t.Errorf("no %s %s\n%s", want.status, want.id, errOut)
		}
	}
	if n := strings.Count(errOut.String(), "== authorize"); n != 1 {
		t.Errorf("%d authorizations, want 1", n)
	}
}

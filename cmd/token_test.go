package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/demo"
	"github.com/mcpwalk/mcpwalk/internal/report"
)

// storeEnv gives a test its own data directory and the file store, so
// every run in it shares tokens the way separate processes would.
func storeEnv(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dir)
	t.Setenv("MCPWALK_TOKEN_STORE", "file")
	return filepath.Join(dir, "mcpwalk", "credentials.json")
}

func startDemo(t *testing.T, opts demo.Options) *demo.Server {
	t.Helper()
	srv, err := demo.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// refusingBrowser fails the test if a login is started.
type refusingBrowser struct{ t *testing.T }

func (b refusingBrowser) Open(string) error {
	b.t.Errorf("a browser login was started; the stored token should have been used")
	return errors.New("no browser in this test")
}

// runNoBrowser runs mcpwalk with a browser that must not be opened.
func runNoBrowser(t *testing.T, args ...string) (int, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	io, out, errOut := TestIO()
	f := NewFactory(io)
	f.Browser = refusingBrowser{t}
	root := NewRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(t.Context())
	return exitCode(t.Context(), f, err), out, errOut
}

func findingIDs(r report.Report) map[string]bool {
	m := map[string]bool{}
	for _, s := range r.Steps {
		for _, c := range s.Checks {
			m[c.ID] = true
		}
	}
	return m
}

func mustLogin(t *testing.T, url string) report.Report {
	t.Helper()
	code, out, errOut := run(t, "check", "--headless", "--json", "--no-probes", url)
	if code != ExitOK {
		t.Fatalf("first login: exit %d\n%s", code, errOut)
	}
	return decodeReport(t, out)
}

// Log in once; a second run (a new engine, a new store handle: what a new
// process has) uses the stored token without a browser or a registration.
func TestStoredTokenReused(t *testing.T) {
	file := storeEnv(t)
	srv := startDemo(t, demo.Options{})
	r := mustLogin(t, srv.MCPURL)
	if !findingIDs(r)["stored.saved"] {
		t.Fatalf("the first run did not save its token")
	}
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file %s: %v mode %v, want 0600", file, err, fi.Mode().Perm())
	}
	code, out, errOut := runNoBrowser(t, "call", "--stored-auth-only", "--json", srv.MCPURL, "tools/call", "echo", "--arg", "text=again")
	if code != ExitOK {
		t.Fatalf("second run: exit %d\n%s", code, errOut)
	}
	r = decodeReport(t, out)
	st := stepStatuses(r)
	if st["stored"] != "pass" || st["register"] != "skip" || st["authorize"] != "skip" || st["token"] != "skip" {
		t.Errorf("steps %v: want stored pass, register/authorize/token skipped", st)
	}
	if !findingIDs(r)["stored.token-reused"] {
		t.Errorf("no stored.token-reused")
	}
	if n := srv.Registrations(); n != 1 {
		t.Errorf("%d dynamic registrations, want 1 (the second run must reuse)", n)
	}
}

// An expired token is refreshed with the resource parameter and the
// rotated refresh token saved: a third run refreshes again with the new
// one (the demo revokes the whole grant if an old one is replayed).
func TestStoredTokenRefreshRotation(t *testing.T) {
	storeEnv(t)
	// 20s lifetimes look expired at once to mcpwalk (30s margin), while
	// the server still accepts them during the first run.
	srv := startDemo(t, demo.Options{TokenTTL: 20 * time.Second})
	mustLogin(t, srv.MCPURL)
	for i := range 2 {
		code, out, errOut := runNoBrowser(t, "call", "--stored-auth-only", "--json", srv.MCPURL, "tools/list")
		if code != ExitOK {
			t.Fatalf("run %d: exit %d\n%s", i+2, code, errOut)
		}
		ids := findingIDs(decodeReport(t, out))
		for _, want := range []string{"stored.refreshed", "stored.refresh-rotated", "stored.saved"} {
			if !ids[want] {
				t.Errorf("run %d: no %s in %v", i+2, want, ids)
			}
		}
	}
	// token refresh forces one and reports the same.
	code, out, errOut := runNoBrowser(t, "token", "refresh", "--json", srv.MCPURL)
	if code != ExitOK || !findingIDs(decodeReport(t, out))["stored.refresh-rotated"] {
		t.Fatalf("token refresh: exit %d\n%s", code, errOut)
	}
	// --check-reuse replays the old refresh token: the demo refuses it and,
	// as reuse detection should, ends the grant; the next refresh fails.
	code, out, errOut = runNoBrowser(t, "token", "refresh", "--check-reuse", "--json", srv.MCPURL)
	if code != ExitOK {
		t.Fatalf("token refresh --check-reuse: exit %d\n%s", code, errOut)
	}
	if !hasCheckStatus(decodeReport(t, out), "stored.refresh-reuse", "pass") {
		t.Errorf("reuse of a rotated refresh token was not reported as refused")
	}
	code, out, _ = runNoBrowser(t, "token", "refresh", "--json", srv.MCPURL)
	if code != ExitAuth || !findingIDs(decodeReport(t, out))["stored.refresh-invalid-grant"] {
		t.Errorf("after reuse detection: exit %d, want %d with stored.refresh-invalid-grant", code, ExitAuth)
	}
}

func hasCheckStatus(r report.Report, id, status string) bool {
	for _, s := range r.Steps {
		for _, c := range s.Checks {
			if c.ID == id && string(c.Status) == status {
				return true
			}
		}
	}
	return false
}

// A revoked grant makes the refresh fail with invalid_grant: it is
// explained; --stored-auth-only exits 4; a normal run logs in again with
// the kept registration.
func TestStoredTokenRefreshInvalidGrant(t *testing.T) {
	storeEnv(t)
	srv := startDemo(t, demo.Options{TokenTTL: 20 * time.Second})
	mustLogin(t, srv.MCPURL)
	srv.RevokeAll()
	code, out, errOut := runNoBrowser(t, "call", "--stored-auth-only", "--json", srv.MCPURL, "tools/list")
	if code != ExitAuth {
		t.Fatalf("exit %d, want %d (auth)\n%s", code, ExitAuth, errOut)
	}
	r := decodeReport(t, out)
	if ids := findingIDs(r); !ids["stored.refresh-invalid-grant"] {
		t.Errorf("no stored.refresh-invalid-grant in %v", ids)
	}
	code, out, errOut = run(t, "call", "--headless", "--json", srv.MCPURL, "tools/list")
	if code != ExitOK {
		t.Fatalf("login after invalid_grant: exit %d\n%s", code, errOut)
	}
	ids := findingIDs(decodeReport(t, out))
	for _, want := range []string{"stored.refresh-invalid-grant", "register.reused", "stored.saved"} {
		if !ids[want] {
			t.Errorf("no %s in %v", want, ids)
		}
	}
	if n := srv.Registrations(); n != 1 {
		t.Errorf("%d registrations, want 1: the registration outlives a failed refresh", n)
	}
}

// A registration the authorization server forgot is detected at refresh
// (invalid_client), explained, and replaced by a new one.
func TestStaleRegistrationReplaced(t *testing.T) {
	storeEnv(t)
	srv := startDemo(t, demo.Options{TokenTTL: 20 * time.Second})
	mustLogin(t, srv.MCPURL)
	srv.ForgetClients()
	code, out, errOut := run(t, "call", "--headless", "--json", srv.MCPURL, "tools/list")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	r := decodeReport(t, out)
	ids := findingIDs(r)
	if !ids["stored.stale-registration"] || ids["register.reused"] || !ids["stored.saved"] {
		t.Errorf("findings %v: want stored.stale-registration, a new registration, the token saved", ids)
	}
	if n := srv.Registrations(); n != 1 {
		t.Errorf("%d registrations after ForgetClients, want exactly the new one", n)
	}
	// The next run reuses the new registration and its token.
	code, out, errOut = runNoBrowser(t, "call", "--stored-auth-only", "--json", srv.MCPURL, "tools/list")
	if code != ExitOK || !findingIDs(decodeReport(t, out))["stored.refreshed"] {
		t.Fatalf("run after re-registration: exit %d\n%s", code, errOut)
	}
}

func TestStoredAuthOnlyWithoutToken(t *testing.T) {
	storeEnv(t)
	srv := startDemo(t, demo.Options{})
	code, _, errOut := runNoBrowser(t, "check", "--stored-auth-only", "--no-probes", srv.MCPURL)
	if code != ExitAuth {
		t.Fatalf("exit %d, want %d\n%s", code, ExitAuth, errOut)
	}
	if !strings.Contains(errOut.String(), "no stored token") {
		t.Errorf("stderr does not say why:\n%s", errOut)
	}
	if code, _, _ := run(t, "check", "--stored-auth-only", "--token-store", "none", srv.MCPURL); code != ExitUsage {
		t.Errorf("--stored-auth-only with --token-store none: exit %d, want usage", code)
	}
}

func TestTokenCommands(t *testing.T) {
	storeEnv(t)
	srv := startDemo(t, demo.Options{})
	mustLogin(t, srv.MCPURL)

	code, out, errOut := run(t, "token", "list")
	if code != ExitOK || !strings.Contains(out.String(), srv.MCPURL) || !strings.Contains(out.String(), srv.Issuer) {
		t.Fatalf("token list: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = run(t, "token", "list", "--json")
	var list struct {
		Tokens        []map[string]any `json:"tokens"`
		Registrations []map[string]any `json:"registrations"`
	}
	if code != ExitOK || json.Unmarshal(out.Bytes(), &list) != nil || len(list.Tokens) != 1 || len(list.Registrations) != 1 {
		t.Fatalf("token list --json: exit %d\n%s", code, out)
	}

	code, out, _ = run(t, "token", "show", srv.MCPURL)
	var shown struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		Decoded      struct {
			Format string `json:"format"`
		} `json:"access_token_decoded"`
	}
	if code != ExitOK || json.Unmarshal(out.Bytes(), &shown) != nil {
		t.Fatalf("token show: exit %d\n%s", code, out)
	}
	if !strings.HasPrefix(shown.AccessToken, "[hidden") || !strings.HasPrefix(shown.RefreshToken, "[hidden") || shown.Decoded.Format != "opaque" {
		t.Errorf("token show without --reveal: %+v", shown)
	}
	_, out, _ = run(t, "token", "show", "--reveal", srv.MCPURL)
	_ = json.Unmarshal(out.Bytes(), &shown)
	if !containsAny(srv.Secrets(), shown.AccessToken) || !containsAny(srv.Secrets(), shown.RefreshToken) {
		t.Errorf("token show --reveal did not print the real tokens")
	}

	// decode: a JWT given on the command line, compared with a resource.
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21jcC5leGFtcGxlL21jcCIsInNjb3BlIjoibWNwOnJlYWQiLCJleHAiOjQxMDI0NDQ4MDB9.c2ln"
	code, out, _ = run(t, "token", "decode", "--resource", "https://mcp.example/mcp", jwt)
	if code != ExitOK || !strings.Contains(out.String(), `"audience_matches": true`) || !strings.Contains(out.String(), `"mcp:read"`) {
		t.Errorf("token decode: exit %d\n%s", code, out)
	}

	code, _, errOut = run(t, "logout", srv.MCPURL)
	if code != ExitOK || strings.Count(errOut.String(), ": revoked") != 2 {
		t.Fatalf("logout: exit %d\n%s", code, errOut)
	}
	if code, _, _ := runNoBrowser(t, "call", "--stored-auth-only", srv.MCPURL, "tools/list"); code != ExitAuth {
		t.Errorf("after logout: exit %d, want %d", code, ExitAuth)
	}
	if code, _, _ := run(t, "token", "rm", "--all"); code != ExitOK {
		t.Errorf("token rm --all: exit %d", code)
	}
	_, out, _ = run(t, "token", "list", "--json")
	if !strings.Contains(out.String(), `"registrations": []`) {
		t.Errorf("token rm --all left registrations:\n%s", out)
	}
}

func containsAny(list []string, v string) bool {
	for _, x := range list {
		if x == v && v != "" {
			return true
		}
	}
	return false
}

// No secret the demo issued or received — client secrets, codes, PKCE
// verifiers, access and refresh tokens — appears in any output of any
// command unless --reveal asked for it: transcripts, --verbose, --json
// reports, token list/show/decode, refresh and logout.
func TestNoSecretInAnyOutput(t *testing.T) {
	storeEnv(t)
	srv := startDemo(t, demo.Options{TokenTTL: 20 * time.Second})
	var outputs []string
	add := func(args ...string) {
		t.Helper()
		code, out, errOut := run(t, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
		outputs = append(outputs, out.String(), errOut.String())
	}
	// Pre-registered confidential client, step-up (write_note), probes.
	add("check", "--headless", "--verbose", "--client-id", srv.PreRegisteredClientID, "--client-secret", srv.PreRegisteredClientSecret, srv.MCPURL)
	add("call", "--headless", "--verbose", "--json", "--client-id", srv.PreRegisteredClientID, "--client-secret", srv.PreRegisteredClientSecret,
		srv.MCPURL, "tools/call", "write_note", "--arg", "text=hi")
	add("check", "--headless", "--json", "--verbose", srv.MCPURL) // refresh of the stored token
	add("demo", "--json", "--verbose")
	add("token", "refresh", "--verbose", srv.MCPURL)
	add("token", "list")
	add("token", "list", "--json")
	add("token", "show", srv.MCPURL)
	add("token", "decode", srv.MCPURL)
	add("logout", "--json", srv.MCPURL)
	secrets := srv.Secrets()
	if len(secrets) < 6 {
		t.Fatalf("only %d secrets seen; the flow did not run", len(secrets))
	}
	for _, s := range secrets {
		for i, o := range outputs {
			if strings.Contains(o, s) {
				t.Errorf("output %d holds a secret (%d chars) in clear", i, len(s))
			}
		}
	}
}

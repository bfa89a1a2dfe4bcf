package cmd

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/demo"
	"github.com/mcpwalk/mcpwalk/internal/report"
	"github.com/mcpwalk/mcpwalk/internal/testpeer"
)

// run executes mcpwalk in-process with args and returns the exit code,
// stdout and stderr.
func run(t *testing.T, args ...string) (int, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	io, out, errOut := TestIO()
	f := NewFactory(io)
	root := NewRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(t.Context())
	return exitCode(t.Context(), f, err), out, errOut
}

// decodeReport parses stdout as exactly one JSON report.
func decodeReport(t *testing.T, out *bytes.Buffer) report.Report {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(out.Bytes()))
	var r report.Report
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON document")
	}
	return r
}

func stepStatuses(r report.Report) map[string]string {
	m := map[string]string{}
	for _, s := range r.Steps {
		if _, seen := m[s.ID]; !seen || s.Status != "pass" {
			m[s.ID] = string(s.Status)
		}
	}
	return m
}

// authHeader matches an Authorization header's Bearer credential, in the
// transcript ("Authorization: Bearer x") and in JSON ("Authorization":["Bearer x"]).
var authHeader = regexp.MustCompile(`(?i)authorization"?\s*:\s*\[?\s*"?(?:bearer|dpop)\s+([^\s"\]]+)`)

func assertRedacted(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		for _, m := range authHeader.FindAllStringSubmatch(s, -1) {
			if !strings.HasPrefix(m[1], "[redacted") {
				t.Errorf("a bearer token appears in clear: %.30s…", m[0])
			}
		}
		for _, k := range []string{`"access_token":"`, `"refresh_token":"`, `"code_verifier":"`, "code_verifier=", "code="} {
			for _, i := range indexAll(s, k) {
				rest := s[i+len(k):]
				if !strings.HasPrefix(rest, "[redacted]") && !strings.HasPrefix(rest, "%5Bredacted%5D") &&
					!strings.HasPrefix(rest, "_challenge") && !strings.HasPrefix(rest, "\"") {
					t.Errorf("%s is followed by %.12q, not the mask", k, rest)
				}
			}
		}
	}
}

func indexAll(s, sub string) []int {
	var out []int
	for i := 0; ; {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return out
		}
		// Skip keys that merely end with sub, like "code_challenge=".
		if j+i == 0 || !isIdent(s[j+i-1]) {
			out = append(out, i+j)
		}
		i += j + len(sub)
	}
}

func isIdent(b byte) bool { return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func TestDemoEndToEnd(t *testing.T) {
	code, out, errOut := run(t, "demo", "--json", "--verbose")
	if code != ExitOK {
		t.Fatalf("demo exited %d\n%s", code, errOut)
	}
	r := decodeReport(t, out)
	if !r.OK || !r.Completed || r.Schema != report.Schema {
		t.Fatalf("report ok=%v completed=%v schema=%q", r.OK, r.Completed, r.Schema)
	}
	got := stepStatuses(r)
	for _, id := range []string{"probe", "prm", "asmeta", "register", "authorize", "token", "connect", "calls:tools/list", "calls:tools/call"} {
		if got[id] != "pass" {
			t.Errorf("step %s = %q, want pass (all: %v)", id, got[id], got)
		}
	}
	// write_note needs mcp:write: the walk must show a second authorization.
	var authorizations int
	for _, s := range r.Steps {
		if s.ID == "authorize" {
			authorizations++
		}
	}
	if authorizations != 2 {
		t.Errorf("%d authorize steps, want 2 (the initial one and the step-up)", authorizations)
	}
	for _, f := range r.Findings {
		if f.Severity == "error" {
			t.Errorf("error finding against the demo: %+v", f)
		}
	}
	assertRedacted(t, out.String(), errOut.String())
}

func TestCheckTypeScriptExampleServer(t *testing.T) {
	url := testpeer.StartTSExample(t)
	code, out, errOut := run(t, "check", "--headless", "--json", "--no-probes", url)
	if code != ExitOK {
		t.Fatalf("check exited %d\n%s", code, errOut)
	}
	r := decodeReport(t, out)
	if !r.OK {
		t.Fatalf("report not ok: %+v", r.Findings)
	}
	var tools int
	for _, s := range r.Steps {
		if s.ID == "calls:tools/list" {
			var res struct {
				Tools []struct{ Name string } `json:"tools"`
			}
			if err := json.Unmarshal(s.Data, &res); err != nil {
				t.Fatal(err)
			}
			tools = len(res.Tools)
		}
	}
	if tools == 0 {
		t.Errorf("no tools listed")
	}
	// What this peer does wrong, and only that: its challenge names no scope
	// (a SHOULD, info: clients fall back to scopes_supported), it sends
	// error="invalid_token" to a request that carried no token (RFC 6750 §3:
	// SHOULD NOT), it never
	// sends iss (RFC 9207; a SHOULD in 2026-07-28) and does not support CIMD
	// (a SHOULD since 2025-11-25), so registration is dynamic (deprecated in
	// 2026-07-28); its tokens are opaque, and it issues no
	// refresh token (its demo provider has none to give).
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.ID+":"+f.Severity)
	}
	want := "probe.scope-missing:info probe.error-without-token:warning asmeta.iss-supported:info asmeta.cimd:warning register.dcr-deprecated:info authorize.iss-absent:warning token.no-refresh-token:info token.opaque:info"
	if strings.Join(ids, " ") != want {
		t.Errorf("findings = %s\nwant       %s", strings.Join(ids, " "), want)
	}
	assertRedacted(t, out.String(), errOut.String())
}

// TestProbesTypeScriptExampleServer pins what the server probes find in
// the TypeScript SDK's example server (without --oauth-strict):
//   - an unknown bearer token is answered 500: its demo token verifier
//     throws instead of answering 401 invalid_token (MCP: invalid tokens
//     MUST get 401);
//   - a token the authorization server issued for another resource is
//     accepted: without --oauth-strict the example does not check the
//     audience (RFC 8707; MCP forbids accepting tokens not issued for it);
//   - a foreign Origin is served (a warning, since it runs on localhost);
//   - its CORS preflight answer has no Access-Control-Allow-Origin (info),
//     and neither has its 401, so browsers cannot read the challenge (info;
//     its metadata documents do allow cross-origin reads).
//
// Its authorization server validates redirect URIs and PKCE, and the
// server refuses a foreign Host and an empty Bearer: those probes pass.
func TestProbesTypeScriptExampleServer(t *testing.T) {
	url := testpeer.StartTSExample(t)
	code, out, errOut := run(t, "check", "--headless", "--json", url)
	r := decodeReport(t, out)
	if code != ExitFailed || r.OK || !r.Completed {
		t.Fatalf("exit %d ok=%v completed=%v: want a completed walk with error findings\n%s", code, r.OK, r.Completed, errOut)
	}
	var got []string
	for _, f := range r.Findings {
		if strings.HasPrefix(f.Step, "probes:") {
			got = append(got, f.ID+":"+f.Severity)
		}
	}
	want := "probes.invalid-token-status:error probes.other-resource-accepted:error probes.origin-not-validated:warning probes.cors:info probes.cors-expose:info"
	if strings.Join(got, " ") != want {
		t.Errorf("probe findings = %s\nwant             %s", strings.Join(got, " "), want)
	}
	assertRedacted(t, out.String(), errOut.String())
}

func TestCallAgainstDemo(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	code, out, errOut := run(t, "call", "--headless", srv.MCPURL, "tools/call", "add", "--arg", "a=2", "--arg", "b=3")
	if code != ExitOK {
		t.Fatalf("call exited %d\n%s", code, errOut)
	}
	var res struct {
		Content []struct{ Text string } `json:"content"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res.Content) == 0 || !strings.Contains(res.Content[0].Text, "5") {
		t.Fatalf("stdout = %s (err %v), want the add result 5", out, err)
	}
	code, _, errOut = run(t, "call", "--headless", srv.MCPURL, "tools/call", "no-such-tool")
	if code != ExitFailed || !strings.Contains(errOut.String(), "no-such-tool") {
		t.Errorf("unknown tool: exit %d, stderr lacks the tool name:\n%s", code, errOut)
	}
}

// With --oauth-strict the TypeScript example's authorization server also
// refuses a code whose resource is not this server, and its resource
// server refuses tokens for another audience. mcpwalk sends the right
// resource, so the walk completes with the same findings as without it.
// The difference shows in the probes: the audience is now enforced, so
// the AS will not even mint a token for another resource — it answers
// that request with a 500 server_error rather than RFC 8707's
// invalid_target, so the other-resource probe cannot run (info) — while
// a made-up token still gets 500 instead of 401 (an error: clients read
// 500 as "server down", not "log in again").
func TestCheckTypeScriptExampleServerStrict(t *testing.T) {
	url := testpeer.StartTSExample(t, "--oauth-strict")
	code, out, errOut := run(t, "check", "--headless", "--json", url)
	r := decodeReport(t, out)
	if code != ExitFailed || !r.Completed {
		t.Fatalf("exit %d completed=%v: want a completed walk with error findings\n%s", code, r.Completed, errOut)
	}
	want := "probe.scope-missing:info probe.error-without-token:warning asmeta.iss-supported:info asmeta.cimd:warning register.dcr-deprecated:info " +
		"authorize.iss-absent:warning token.no-refresh-token:info token.opaque:info probes.invalid-token-status:error " +
		"probes.other-resource-unavailable:info probes.origin-not-validated:warning probes.cors:info probes.cors-expose:info"
	if got := findingList(r); got != want {
		t.Errorf("findings = %s\nwant       %s", got, want)
	}
	for _, f := range r.Findings {
		if f.ID == "probes.other-resource-unavailable" && !strings.Contains(f.Message, "server_error") {
			t.Errorf("other-resource probe: %q, want the AS's server_error named", f.Message)
		}
	}
	assertRedacted(t, out.String(), errOut.String())
}

// The reference "everything" server needs no authorization: the probe
// says so, the OAuth steps are skipped, and the MCP half works — lists,
// a tool call, a resource read, a prompt. What it does wrong, run locally
// over streamable HTTP (dist/transports/streamableHttp.js, 2026.8.31): it
// answers requests carrying any Origin (its CORS middleware allows "*")
// and any Host (its transport is made without the SDK's DNS-rebinding
// protection), so a web page whose own name resolves to 127.0.0.1 can
// drive it. The MCP transports spec asks a local server to validate
// Origin; both probes say so as warnings.
func TestCheckEverythingServer(t *testing.T) {
	url := testpeer.StartEverything(t)
	code, out, errOut := run(t, "check", "--json", url)
	if code != ExitOK {
		t.Fatalf("check exited %d\n%s", code, errOut)
	}
	r := decodeReport(t, out)
	st := stepStatuses(r)
	for _, id := range []string{"prm", "asmeta", "stored", "register", "authorize", "token"} {
		if st[id] != "skip" {
			t.Errorf("%s = %q, want skipped for a server without authorization", id, st[id])
		}
	}
	for _, id := range []string{"connect", "calls:tools/list", "calls:resources/list", "calls:prompts/list"} {
		if st[id] != "pass" {
			t.Errorf("%s = %q, want pass", id, st[id])
		}
	}
	want := "probe.no-auth:info probes.origin-not-validated:warning probes.host-not-validated:warning"
	if got := findingList(r); got != want {
		t.Errorf("findings = %s\nwant       %s", got, want)
	}
	code, out, errOut = run(t, "call", url, "tools/call", "echo", "--arg", "message=hello everything")
	if code != ExitOK || !strings.Contains(out.String(), "hello everything") {
		t.Fatalf("tools/call echo: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = run(t, "call", url, "prompts/list")
	if code != ExitOK || !strings.Contains(out.String(), `"prompts"`) {
		t.Fatalf("prompts/list: exit %d\n%s%s", code, out, errOut)
	}
}

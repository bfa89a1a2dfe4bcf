package tui

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

func TestStateString(t *testing.T) {
	want := map[state]string{stateReady: "ready", stateRunning: "running", stateStopped: "stopped",
		stateConnected: "connected", stateQuitting: "quitting", state(99): "unknown"}
	for s, w := range want {
		if got := s.String(); got != w {
			t.Errorf("state(%d).String() = %q, want %q", s, got, w)
		}
	}
	if overlayPaste.String() != "paste" || screenExplore.String() != "explore" {
		t.Error("overlay/screen names")
	}
}

func TestStepThrough(t *testing.T) {
	for _, k := range []string{"n", "enter"} {
		t.Run(k, func(t *testing.T) {
			u := newUnit(t, false)
			if !strings.Contains(u.view(), "paused before probe") {
				t.Fatalf("start screen:\n%s", u.view())
			}
			if cmd := u.key(k); cmd == nil {
				t.Fatal("no command to run the step")
			}
			if u.m.state != stateRunning || u.m.active != 0 || !u.m.steps.rows[0].running {
				t.Fatalf("after %s: state %s active %d", k, u.m.state, u.m.active)
			}
			if cmd := u.key(k); cmd != nil {
				t.Error("a second step started while one runs")
			}
			u.finish()
			if u.m.state != stateReady || u.m.steps.next() != 1 {
				t.Fatalf("after probe: state %s next %d", u.m.state, u.m.steps.next())
			}
			v := u.view()
			for _, want := range []string{"paused before prm", "✓ probe", "probe done", "HTTP exchanges (0)"} {
				if !strings.Contains(v, want) {
					t.Errorf("view lacks %q:\n%s", want, v)
				}
			}
			if diff := cmp.Diff([]string{"probe"}, u.eng.ran); diff != "" {
				t.Errorf("ran (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunToEnd(t *testing.T) {
	u := newUnit(t, false)
	u.eng.data["calls:tools/list"] = `{"tools":[{"name":"echo","description":"Echoes.","inputSchema":{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}}]}`
	u.key("a")
	u.finish()
	want := []string{"probe", "prm", "asmeta", "stored", "register", "authorize", "token", "connect",
		"calls:tools/list", "calls:resources/list", "calls:resources/templates/list", "calls:prompts/list"}
	if diff := cmp.Diff(want, u.eng.ran); diff != "" {
		t.Errorf("ran (-want +got):\n%s", diff)
	}
	if u.m.state != stateConnected || u.m.screen != screenExplore || u.m.auto {
		t.Errorf("state %s screen %s auto %v", u.m.state, u.m.screen, u.m.auto)
	}
	if v := u.view(); !strings.Contains(v, "▸ echo") || !strings.Contains(v, "Tools(1)") {
		t.Errorf("explorer:\n%s", v)
	}
}

func TestAutoOption(t *testing.T) {
	u := newUnit(t, true)
	cmd := u.m.Init()
	if cmd == nil {
		t.Fatal("no Init command")
	}
	u.send(startMsg{})
	if u.m.state != stateRunning {
		t.Fatalf("--auto did not start: %s", u.m.state)
	}
	u.finish()
	if len(u.eng.ran) != 12 {
		t.Errorf("ran %v", u.eng.ran)
	}
}

func failing() flow.StepResult {
	return flow.StepResult{Status: flow.StatusFail, Error: "no PRM at any well-known URL",
		Fix: "Serve /.well-known/oauth-protected-resource", Checks: check.List{
			check.New("prm.found", check.Fail, "RFC 9728 §3", "Serve it.", "no Protected Resource Metadata")}}
}

func TestFailureStopsAndRerun(t *testing.T) {
	u := newUnit(t, false)
	u.eng.results["prm"] = failing()
	u.key("a")
	u.finish()
	if u.m.state != stateStopped || u.m.auto {
		t.Fatalf("state %s auto %v, want stopped", u.m.state, u.m.auto)
	}
	v := u.view()
	for _, want := range []string{"✗ prm", "error: no PRM", "fix:   Serve", "[FAIL] prm.found", "rule: RFC 9728 §3", "stopped"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	delete(u.eng.results, "prm")
	u.key("r")
	if u.m.active != 1 {
		t.Fatalf("r re-ran row %d, want prm", u.m.active)
	}
	u.finish()
	if got := u.m.steps.rows[1]; len(got.results) != 2 || got.status() != "pass" {
		t.Errorf("prm row: %d results, status %s", len(got.results), got.status())
	}
	if v := u.view() + u.m.stepView(1, 70); !strings.Contains(v, "attempt 2 (earlier: fail)") || !strings.Contains(v, "×2") {
		t.Errorf("re-run not shown:\n%s", v)
	}
}

func TestEditBeforeStep(t *testing.T) {
	u := newUnit(t, false)
	u.key("e")
	if u.m.overlay != overlayEdit || !strings.Contains(u.view(), "Edit before probe") {
		t.Fatalf("overlay %s:\n%s", u.m.overlay, u.view())
	}
	u.typeText("mcp:read mcp:write")
	for range 4 {
		u.key("down")
	}
	u.typeText("80x")
	u.key("ctrl+s")
	if u.m.overlay != overlayEdit || !strings.Contains(u.view(), `callback port "80x"`) {
		t.Fatalf("bad port accepted:\n%s", u.view())
	}
	u.send(tea.KeyMsg{Type: tea.KeyBackspace})
	u.key("down")
	u.typeText("prompt=consent")
	u.key("enter")
	if u.m.overlay != overlayNone {
		t.Fatalf("form still open: %s", u.m.form.err)
	}
	want := flow.Config{ServerURL: "https://mcp.example/mcp", Scopes: []string{"mcp:read", "mcp:write"},
		CallbackPort: 80, AuthParams: map[string]string{"prompt": "consent"}}
	if diff := cmp.Diff(want, u.eng.cfg); diff != "" {
		t.Errorf("configured (-want +got):\n%s", diff)
	}
	u.key("e")
	u.key("esc")
	if u.m.overlay != overlayNone {
		t.Error("esc did not close the form")
	}
	u.key("n")
	u.key("e")
	if u.m.overlay != overlayNone || !strings.Contains(u.m.status, "wait for the running step") {
		t.Errorf("edit while running: overlay %s status %q", u.m.overlay, u.m.status)
	}
}

const testAuthURL = "https://as.example/authorize?client_id=c1&code_challenge=abc&code_challenge_method=S256" +
	"&prompt=consent&redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Fcallback&resource=https%3A%2F%2Fmcp.example%2Fmcp" +
	"&response_type=code&scope=mcp%3Aread&state=xyz"

// atAuthorize runs the walk up to a running authorize step.
func atAuthorize(t *testing.T) *unit {
	u := newUnit(t, false)
	for range 4 {
		u.key("n")
		u.finish()
	}
	if _, err := u.m.box.listen(t.Context(), flow.CallbackAddr{Path: "/callback"}); err != nil {
		t.Fatal(err)
	}
	u.key("n")
	u.send(eventMsg{flow.Event{Kind: flow.EventStepStart, Step: flow.StepAuthorize}})
	u.send(eventMsg{flow.Event{Kind: flow.EventAuthURL, Step: flow.StepAuthorize, Note: testAuthURL}})
	return u
}

func TestAuthorizeKeys(t *testing.T) {
	u := atAuthorize(t)
	v := u.m.stepView(u.m.steps.cursor, 70)
	for _, want := range []string{"Authorization request", "code_challenge_method S256", "↳ PKCE", "o open in the browser", "resource"} {
		if !strings.Contains(v, want) {
			t.Errorf("authorize view lacks %q:\n%s", want, v)
		}
	}
	if msg := u.key("o")(); msg != (openedMsg{}) || len(u.br.opened) != 1 || u.br.opened[0] != testAuthURL {
		t.Errorf("o: %v, opened %v", msg, u.br.opened)
	}
	u.send(u.key("c")())
	if want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(testAuthURL)); !strings.Contains(u.out.String(), want) {
		t.Errorf("c wrote %q, want OSC 52 %q", u.out.String(), want)
	}
	if !strings.Contains(u.m.status, "copied") {
		t.Errorf("status %q", u.m.status)
	}
	u.key("p")
	if u.m.overlay != overlayPaste {
		t.Fatalf("p: overlay %s", u.m.overlay)
	}
	u.typeText("http://127.0.0.1:9999/elsewhere?code=1")
	u.send(u.key("enter")())
	if !strings.Contains(u.m.status, `path is "/elsewhere"`) {
		t.Errorf("bad paste: status %q", u.m.status)
	}
	u.key("p")
	u.typeText("http://127.0.0.1:9999/callback?code=abc&state=xyz")
	u.send(u.key("enter")())
	if !strings.Contains(u.m.status, "redirect URL handed") {
		t.Errorf("paste: status %q", u.m.status)
	}
}

func TestPasteWhenNotAuthorizing(t *testing.T) {
	u := newUnit(t, false)
	u.key("p")
	if u.m.overlay != overlayNone || !strings.Contains(u.m.status, "nothing to paste into") {
		t.Errorf("overlay %s status %q", u.m.overlay, u.m.status)
	}
}

func TestTokenReveal(t *testing.T) {
	u := newUnit(t, false)
	aud := true
	u.eng.token = &flow.TokenView{TokenType: "Bearer", Scopes: []string{"mcp:read"}, Resource: "https://mcp.example/mcp",
		JWTHeader: map[string]any{"alg": "RS256"}, JWTClaims: &flow.Claims{Audience: []string{"https://mcp.example/mcp"}}, AudienceMatches: &aud}
	for range 7 {
		u.key("n")
		u.finish()
	}
	u.key("t")
	v := u.m.stepView(u.m.steps.cursor, 120)
	for _, want := range []string{"hidden — press v to reveal", "✓ contains the resource", `"alg": "RS256"`} {
		if !strings.Contains(v, want) {
			t.Errorf("token view lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "secret-access-token") {
		t.Fatal("token shown before reveal")
	}
	u.key("v")
	if !strings.Contains(u.view(), "secret-access-token") || u.eng.revealed != 1 {
		t.Errorf("v did not reveal:\n%s", u.view())
	}
	u.key("v")
	if strings.Contains(u.view(), "secret-access-token") {
		t.Error("second v did not hide")
	}
	u.key("n")
	u.key("v")
	if u.eng.revealed != 1 {
		t.Error("revealed while a step runs")
	}
}

func TestQuit(t *testing.T) {
	tests := []struct {
		name    string
		running bool
		key     string
	}{
		{"q idle", false, "q"},
		{"ctrl+c idle", false, "ctrl+c"},
		{"q running", true, "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUnit(t, false)
			if tt.running {
				u.key("n")
			}
			cmd := u.key(tt.key)
			if !tt.running {
				if _, ok := cmd().(tea.QuitMsg); !ok {
					t.Fatal("no quit")
				}
				return
			}
			if u.m.state != stateQuitting || !errors.Is(u.m.ctx.Err(), context.Canceled) {
				t.Fatalf("state %s ctx %v", u.m.state, u.m.ctx.Err())
			}
			cmd = u.send(opDoneMsg{op: op{row: 0, id: "probe"}})
			if cmd == nil {
				t.Fatal("no quit after the step returned")
			}
			if _, ok := u.send(forceQuitMsg{}), true; !ok {
				t.Fatal("unreachable")
			}
		})
	}
}

func TestCtrlCInForm(t *testing.T) {
	u := newUnit(t, false)
	u.key("e")
	if _, ok := u.key("ctrl+c")().(tea.QuitMsg); !ok {
		t.Error("ctrl+c in the edit form did not quit")
	}
}

func TestHelpAndScreens(t *testing.T) {
	u := newUnit(t, false)
	if strings.Contains(u.view(), "reveal token") {
		t.Error("full help shown before ?")
	}
	u.key("?")
	if !strings.Contains(u.view(), "reveal token") {
		t.Errorf("? did not show all keys:\n%s", u.view())
	}
	u.key("tab")
	if u.m.screen != screenWalk || !strings.Contains(u.m.status, "once the connect step has passed") {
		t.Errorf("tab before connect: %s %q", u.m.screen, u.m.status)
	}
}

func TestResizeKeepsScreenSize(t *testing.T) {
	u := newUnit(t, false)
	u.key("a")
	u.finish()
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 15}, {200, 50}} {
		u.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, scr := range []screen{screenWalk, screenExplore} {
			u.m.screen = scr
			lines := strings.Split(u.view(), "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d %s: %d lines", size[0], size[1], scr, len(lines))
			}
			for i, l := range lines {
				if w := cellWidth(l); w != size[0] {
					t.Errorf("%dx%d %s: line %d is %d cells: %q", size[0], size[1], scr, i, w, l)
					break
				}
			}
		}
	}
}

func TestMouseWheel(t *testing.T) {
	u := newUnit(t, false)
	u.send(tea.MouseMsg{X: 2, Y: 5, Action: tea.MouseActionPress, Button: tea.MouseButtonWheelDown})
	if u.m.steps.cursor != 1 {
		t.Errorf("wheel over the list: cursor %d", u.m.steps.cursor)
	}
	u.eng.results["probe"] = flow.StepResult{Status: flow.StatusPass, Summary: strings.Repeat("long summary ", 200)}
	u.m.steps.cursor = 0
	u.key("n")
	u.finish()
	u.m.steps.cursor = 0
	u.send(tea.MouseMsg{X: 60, Y: 5, Action: tea.MouseActionPress, Button: tea.MouseButtonWheelDown})
	if u.m.detail.vp.YOffset == 0 {
		t.Error("wheel over the detail did not scroll")
	}
}

// A list_changed notification re-runs the list call once the walk is
// connected and idle, and the explorer shows the new list.
func TestListChangedRelists(t *testing.T) {
	u := newUnit(t, false)
	u.eng.data["calls:tools/list"] = `{"tools":[{"name":"echo","inputSchema":{"type":"object"}}]}`
	// Arriving mid-walk, it waits.
	u.send(notifyMsg{source: "notify", text: "notifications/tools/list_changed", relist: "tools/list"})
	if u.m.active >= 0 {
		t.Fatalf("a relist started before the walk was connected")
	}
	u.key("a")
	u.finish()
	u.drain()
	if u.m.active >= 0 {
		u.finish() // the queued relist
	}
	u.eng.data["calls:tools/list"] = `{"tools":[{"name":"echo","inputSchema":{"type":"object"}},{"name":"added","inputSchema":{"type":"object"}}]}`
	u.send(notifyMsg{source: "notify", text: "notifications/tools/list_changed", relist: "tools/list"})
	if u.m.active < 0 {
		t.Fatalf("no relist when connected and idle; state %s", u.m.state)
	}
	u.finish()
	if v := u.view(); !strings.Contains(v, "Tools(2)") || !strings.Contains(v, "added") {
		t.Errorf("explorer after list_changed:\n%s", v)
	}
	n := 0
	for _, id := range u.eng.ran {
		if id == "calls:tools/list" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("tools/list ran %d times, want 3 (walk, queued relist, relist)", n)
	}
}

// A DPoP-bound token's view names its key and checks cnf.jkt against it.
func TestTokenViewDPoP(t *testing.T) {
	now := time.Now()
	for _, tt := range []struct {
		jkt, want string
	}{
		{"jkt-of-the-walk", "✓ the walk's DPoP key"},
		{"jkt-of-another", "! not the walk's DPoP key"},
	} {
		v := tokenView{view: &flow.TokenView{TokenType: "DPoP", DPoPKeyThumbprint: "jkt-of-the-walk",
			JWTHeader: map[string]any{"alg": "ES256"}, JWTClaims: &flow.Claims{Confirmation: &flow.Confirmation{JKT: tt.jkt}}}}
		out := v.render(200, now)
		if !strings.Contains(out, "jkt jkt-of-the-walk") || !strings.Contains(out, tt.want) {
			t.Errorf("cnf.jkt %s: view lacks the key or %q:\n%s", tt.jkt, tt.want, out)
		}
	}
}

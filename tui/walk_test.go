package tui

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/mcpwalk/mcpwalk/flow"
)

func TestWalkHeadlessToExplorer(t *testing.T) {
	f := startFake(t)
	tm, _ := newTestProgram(t, testOptions(f, true), 120, 40)
	waitFor(t, tm, "paused before probe")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a")})
	waitFor(t, tm, "explore")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Call tool echo")
	tm.Type("hello")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "echo: hello")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	for _, r := range m.steps.rows {
		if s := r.status(); s != "pass" && s != "warn" && !(r.label == "stored" && s == "skip") {
			t.Errorf("%s: %s", r.label, s)
		}
	}
	if last := m.steps.rows[len(m.steps.rows)-1]; last.label != "tools/call echo" {
		t.Errorf("last row %q, want the echo call", last.label)
	}
}

// TestPasteRedirect finishes the authorize step with a pasted redirect URL,
// as when the browser runs on another machine: the browser here only
// records the URL; nobody calls the loopback listener.
func TestPasteRedirect(t *testing.T) {
	f := startFake(t)
	o := testOptions(f, false)
	opened := make(chan string, 1)
	o.Deps.Browser = followBrowser{opened: opened}
	tm, _ := newTestProgram(t, o, 110, 36)
	waitFor(t, tm, "paused before probe")
	for _, next := range []string{"prm", "asmeta", "stored", "register", "authorize"} {
		press(tm, "n")
		waitFor(t, tm, "paused before "+next)
	}
	press(tm, "n")
	authURL := <-opened
	waitFor(t, tm, "Waiting for the redirect back")
	press(tm, "p")
	waitFor(t, tm, "Paste the address your browser ended on")
	tm.Type(f.callbackFor(authURL))
	press(tm, "enter")
	waitFor(t, tm, "paused before token")
	press(tm, "n")
	waitFor(t, tm, "paused before connect")
	press(tm, "q")
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if got := m.steps.rows[4]; got.status() != "pass" || len(got.results) != 1 {
		t.Errorf("authorize row: %s, %d results", got.status(), len(got.results))
	}
	if m.token.view == nil || m.token.view.TokenType != "Bearer" {
		t.Errorf("no token after the pasted redirect: %+v", m.token.view)
	}
}

// TestQuitWhileWaitingForBrowser quits during the authorize step: the
// wait ends, the listener closes, the program ends promptly.
func TestQuitWhileWaitingForBrowser(t *testing.T) {
	f := startFake(t)
	o := testOptions(f, false)
	opened := make(chan string, 1)
	o.Deps.Browser = followBrowser{opened: opened}
	tm, m0 := newTestProgram(t, o, 100, 30)
	waitFor(t, tm, "paused before probe")
	press(tm, "a")
	<-opened
	waitFor(t, tm, "Waiting for the redirect back")
	start := time.Now()
	press(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("quit took %s", d)
	}
	m0.box.mu.Lock()
	defer m0.box.mu.Unlock()
	for _, r := range m0.box.all {
		if _, err := r.inner.(loopbackReceiver).Wait(t.Context()); err == nil || !strings.Contains(err.Error(), "closed") {
			t.Errorf("listener %s still open: %v", r.RedirectURI(), err)
		}
	}
}

// TestRunQuitMidStep drives Run itself: quitting while the authorize step
// waits ends the program with context.Canceled, the step recorded as
// canceled, and the listener closed.
func TestRunQuitMidStep(t *testing.T) {
	f := startFake(t)
	o := testOptions(f, false)
	opened := make(chan string, 1)
	o.Deps.Browser = followBrowser{opened: opened}
	in, keys := io.Pipe()
	defer keys.Close()
	o.In, o.Out = in, io.Discard
	o.Auto = true
	type outcome struct {
		results []flow.StepResult
		err     error
	}
	done := make(chan outcome, 1)
	go func() {
		rs, err := Run(t.Context(), o)
		done <- outcome{rs, err}
	}()
	<-opened
	if _, err := keys.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	var got outcome
	select {
	case got = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after q")
	}
	if !errors.Is(got.err, context.Canceled) {
		t.Errorf("Run error = %v, want context.Canceled", got.err)
	}
	last := got.results[len(got.results)-1]
	if last.ID != flow.StepAuthorize || last.Status != flow.StatusFail ||
		!strings.Contains(last.Error, "canceled") && !strings.Contains(last.Error, "receiver closed") {
		t.Errorf("last result %s %s %q", last.ID, last.Status, last.Error)
	}
	var data struct {
		URL string `json:"authorization_url"`
	}
	if err := json.Unmarshal(last.Data, &data); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get(parseAuthURL(data.URL).params.Get("redirect_uri")); err == nil {
		resp.Body.Close()
		t.Error("the loopback listener still answers after Run returned")
	}
}

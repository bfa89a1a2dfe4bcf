package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mcpwalk/mcpwalk/flow"
)

// fakeEngine scripts the engine: each step passes unless told otherwise,
// emitting the same events as the real one, on the caller's goroutine.
type fakeEngine struct {
	mu       sync.Mutex
	obs      flow.Observer
	results  map[string]flow.StepResult
	data     map[string]string // call id → result JSON
	ran      []string
	calls    []flow.Call
	cfg      flow.Config
	token    *flow.TokenView
	revealed int
	closed   bool
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{results: map[string]flow.StepResult{}, data: map[string]string{}}
}

func (f *fakeEngine) step(id string, data string) (flow.StepResult, error) {
	f.mu.Lock()
	f.ran = append(f.ran, id)
	r, ok := f.results[id]
	f.mu.Unlock()
	if !ok {
		r = flow.StepResult{Status: flow.StatusPass, Summary: id + " done", DurationMS: 3}
	}
	r.ID = id
	if data != "" {
		r.Data = json.RawMessage(data)
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	f.obs.Observe(flow.Event{Kind: flow.EventStepStart, Step: id, Time: now})
	f.obs.Observe(flow.Event{Kind: flow.EventStepEnd, Step: id, Result: &r, Time: now})
	if r.Status == flow.StatusFail {
		return r, fmt.Errorf("%w at %s: %s", flow.ErrStopped, id, r.Error)
	}
	return r, nil
}

func (f *fakeEngine) RunStep(_ context.Context, id string) error {
	_, err := f.step(id, "")
	return err
}

func (f *fakeEngine) Call(_ context.Context, c flow.Call) (json.RawMessage, error) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	d := f.data[c.ID()]
	f.mu.Unlock()
	if _, err := f.step(c.ID(), d); err != nil {
		return nil, err
	}
	if d == "" {
		return nil, nil
	}
	return json.RawMessage(d), nil
}

func (f *fakeEngine) Configure(fn func(*flow.Config)) { fn(&f.cfg) }
func (f *fakeEngine) Info() flow.Info {
	return flow.Info{ServerURL: f.cfg.ServerURL, Issuer: "https://as.example"}
}
func (f *fakeEngine) Token() *flow.TokenView     { return f.token }
func (f *fakeEngine) Results() []flow.StepResult { return nil }
func (f *fakeEngine) Close()                     { f.closed = true }
func (f *fakeEngine) RevealAccessToken() string {
	f.revealed++
	return "secret-access-token"
}

// fakeReceiver is a loopback receiver that never gets a real callback.
type fakeReceiver struct{ closed chan struct{} }

func (r *fakeReceiver) RedirectURI() string { return "http://127.0.0.1:9999/callback" }
func (r *fakeReceiver) Close() error {
	select {
	case <-r.closed:
	default:
		close(r.closed)
	}
	return nil
}
func (r *fakeReceiver) Wait(ctx context.Context) (url.Values, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-r.closed:
		return nil, fmt.Errorf("closed")
	}
}

func fakeListen(context.Context, flow.CallbackAddr) (flow.Receiver, error) {
	return &fakeReceiver{closed: make(chan struct{})}, nil
}

type recordBrowser struct{ opened []string }

func (b *recordBrowser) Open(u string) error { b.opened = append(b.opened, u); return nil }

// unit is a model on the fake engine, sized, with its pieces at hand.
type unit struct {
	t   *testing.T
	m   Model
	eng *fakeEngine
	br  *recordBrowser
	out *bytes.Buffer
}

func newUnit(t *testing.T, auto bool) *unit {
	t.Helper()
	eng := newFakeEngine()
	h := newHub()
	eng.obs = h
	eng.cfg.ServerURL = "https://mcp.example/mcp"
	u := &unit{t: t, eng: eng, br: &recordBrowser{}, out: &bytes.Buffer{}}
	box := newPasteBox(fakeListen)
	u.m = newModel(t.Context(), eng, h, box, Options{Config: eng.cfg, Auto: auto, Opener: u.br, Out: u.out,
		Now: func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }})
	t.Cleanup(func() { h.close(); box.closeAll() })
	u.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return u
}

// send runs one message through Update and returns its command.
func (u *unit) send(msg tea.Msg) tea.Cmd {
	m, cmd := u.m.Update(msg)
	u.m = m.(Model)
	return cmd
}

func (u *unit) key(k string) tea.Cmd {
	switch k {
	case "enter":
		return u.send(tea.KeyMsg{Type: tea.KeyEnter})
	case "esc":
		return u.send(tea.KeyMsg{Type: tea.KeyEsc})
	case "tab":
		return u.send(tea.KeyMsg{Type: tea.KeyTab})
	case "ctrl+c":
		return u.send(tea.KeyMsg{Type: tea.KeyCtrlC})
	case "ctrl+s":
		return u.send(tea.KeyMsg{Type: tea.KeyCtrlS})
	case "ctrl+r":
		return u.send(tea.KeyMsg{Type: tea.KeyCtrlR})
	case "down":
		return u.send(tea.KeyMsg{Type: tea.KeyDown})
	}
	return u.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
}

func (u *unit) typeText(s string) {
	for _, r := range s {
		u.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// finish runs the engine operation the model started (the engine is
// the fake, so this is synchronous) and feeds every message it produced
// back into the model, in order.
func (u *unit) finish() {
	u.t.Helper()
	if u.m.active < 0 {
		u.t.Fatal("no step is running")
	}
	r := u.m.steps.rows[u.m.active]
	u.m.hub.run(u.t.Context(), u.eng, op{row: u.m.active, id: r.id, call: r.call})()
	u.drain()
}

// drain feeds the messages waiting in the hub into the model, running
// the follow-up steps of run-to-end mode as they are started.
func (u *unit) drain() {
	for {
		select {
		case msg := <-u.m.hub.ch:
			u.send(msg)
			if _, done := msg.(opDoneMsg); done && u.m.state == stateRunning {
				u.finish()
				return
			}
		default:
			return
		}
	}
}

func (u *unit) view() string { return u.m.View() }

package tui

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mcpwalk/mcpwalk/flow"
)

// engine is what the TUI uses of *flow.Engine; tests substitute a fake.
type engine interface {
	RunStep(ctx context.Context, id string) error
	Call(ctx context.Context, c flow.Call) (json.RawMessage, error)
	Configure(fn func(*flow.Config))
	Info() flow.Info
	Token() *flow.TokenView
	RevealAccessToken() string
	Results() []flow.StepResult
	Close()
}

// eventMsg carries one engine event into the program.
type eventMsg struct{ ev flow.Event }

// snapshot is what the header and the token view need from the engine,
// read on the goroutine that ran the step, right after it returned, so that
// the model never touches the engine while a step runs.
type snapshot struct {
	info    flow.Info
	token   *flow.TokenView
	results []flow.StepResult
}

// opDoneMsg says a step or call returned; it travels through the same
// channel as the events, so it arrives after every event the step emitted.
type opDoneMsg struct {
	op     op
	err    error
	result []byte
	snap   snapshot
}

// op is one engine operation the TUI started.
type op struct {
	row  int // index in the step list
	id   string
	call *flow.Call
}

type (
	openedMsg    struct{ err error }
	copiedMsg    struct{ err error }
	pastedMsg    struct{ err error }
	forceQuitMsg struct{}
)

// hub is the flow.Observer of the TUI: the engine calls Observe on its own
// goroutine; the program reads one message at a time through wait, which
// the model re-arms after each message. After close, sends are dropped so
// that a step still running never blocks on a program that has ended.
type hub struct {
	ch        chan tea.Msg
	done      chan struct{}
	closeOnce sync.Once
	ops       sync.WaitGroup
}

func newHub() *hub { return &hub{ch: make(chan tea.Msg, 256), done: make(chan struct{})} }

// Observe forwards an engine event.
func (h *hub) Observe(ev flow.Event) { h.send(eventMsg{ev: ev}) }

func (h *hub) send(m tea.Msg) {
	if h.closed() {
		return
	}
	select {
	case h.ch <- m:
	case <-h.done:
	}
}

// wait is the re-armed command that delivers the next message.
func (h *hub) wait() tea.Cmd {
	return func() tea.Msg {
		if h.closed() {
			return nil
		}
		select {
		case m := <-h.ch:
			return m
		case <-h.done:
			return nil
		}
	}
}

func (h *hub) closed() bool {
	select {
	case <-h.done:
		return true
	default:
		return false
	}
}

func (h *hub) close() { h.closeOnce.Do(func() { close(h.done) }) }

// waitOps waits for the engine operations in flight, at most d.
func (h *hub) waitOps(d time.Duration) bool {
	ch := make(chan struct{})
	go func() { h.ops.Wait(); close(ch) }()
	select {
	case <-ch:
		return true
	case <-time.After(d):
		return false
	}
}

// run starts one engine operation; its completion arrives as an opDoneMsg.
func (h *hub) run(ctx context.Context, e engine, o op) tea.Cmd {
	h.ops.Add(1)
	return func() tea.Msg {
		defer h.ops.Done()
		var done opDoneMsg
		done.op = o
		if o.call != nil {
			done.result, done.err = e.Call(ctx, *o.call)
		} else {
			done.err = e.RunStep(ctx, o.id)
		}
		done.snap = snapshot{info: e.Info(), token: e.Token(), results: e.Results()}
		h.send(done)
		return nil
	}
}

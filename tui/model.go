package tui

import (
	"context"
	"io"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mcpwalk/mcpwalk/flow"
)

// Model is the whole TUI: the walk's step list and detail, the explorer,
// the overlays and the log. It never calls the engine while a step runs:
// steps run in commands, and their outcome arrives as messages.
type Model struct {
	ctx    context.Context
	cancel context.CancelFunc
	eng    engine
	hub    *hub
	box    *pasteBox
	opener flow.Browser
	out    io.Writer
	cfg    flow.Config
	now    func() time.Time

	state    state
	screen   screen
	overlay  overlay
	auto     bool
	width    int
	height   int
	showHelp bool

	steps    stepList
	active   int // row being run by the TUI, -1 when idle
	lastRun  int // row last run, for r
	detail   detail
	spin     spinner.Model
	help     help.Model
	keys     keyMap
	info     flow.Info
	token    tokenView
	auth     authURL
	explorer explorer
	form     form
	log      logPane
	status   string

	allHeaders bool
	explored   bool     // the explorer was opened once, automatically
	stale      []string // list calls made stale by list_changed, re-run when idle
}

// startMsg starts the walk in run-to-end mode (--auto).
type startMsg struct{}

func newModel(ctx context.Context, e engine, h *hub, box *pasteBox, o Options) Model {
	ctx, cancel := context.WithCancel(ctx)
	calls := o.Calls
	if calls == nil {
		calls = DefaultCalls
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	opener := o.Opener
	if opener == nil {
		opener = o.Deps.Browser
	}
	m := Model{
		ctx: ctx, cancel: cancel, eng: e, hub: h, box: box, opener: opener, out: o.Out, cfg: o.Config, now: now,
		auto:     o.Auto,
		steps:    stepList{rows: plannedRows(calls), follow: true},
		active:   -1,
		lastRun:  -1,
		detail:   newDetail(),
		spin:     spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(statusStyle("running"))),
		help:     help.New(),
		keys:     newKeyMap(),
		explorer: newExplorer(),
		info:     flow.Info{ServerURL: o.Config.ServerURL},
	}
	return m
}

// DefaultCalls are the listing calls made after connect; they fill the
// explorer. Each is skipped when the server lacks the capability.
var DefaultCalls = []flow.Call{
	{Method: "tools/list", Optional: true},
	{Method: "resources/list", Optional: true},
	{Method: "resources/templates/list", Optional: true},
	{Method: "prompts/list", Optional: true},
}

// Init waits for the engine's first message, and starts the walk at once
// in run-to-end mode.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.hub.wait()}
	if m.auto {
		cmds = append(cmds, func() tea.Msg { return startMsg{} })
	}
	return tea.Batch(cmds...)
}

// runRow starts row i's step or call.
func (m Model) runRow(i int) (Model, tea.Cmd) {
	if i < 0 || i >= len(m.steps.rows) || m.state == stateRunning || m.state == stateQuitting {
		return m, nil
	}
	r := m.steps.rows[i]
	m.active, m.lastRun, m.state, m.status = i, i, stateRunning, ""
	m.steps.follow = true
	m.steps.cursor = i
	m.steps.rows[i].running = true
	m.steps.rows[i].started = m.now()
	return m, tea.Batch(m.hub.run(m.ctx, m.eng, op{row: i, id: r.id, call: r.call}), m.spin.Tick)
}

func (m Model) runNext() (Model, tea.Cmd) {
	i := m.steps.next()
	if i < 0 {
		m.auto = false
		return m, nil
	}
	return m.runRow(i)
}

// runCall adds a row for a call made from the explorer and runs it.
func (m Model) runCall(c flow.Call, key string) (Model, tea.Cmd) {
	if m.state == stateRunning {
		m.status = "a step is running; wait for it to finish"
		return m, nil
	}
	m.steps.rows = append(m.steps.rows, row{id: c.ID(), label: callLabel(c), call: &c})
	i := len(m.steps.rows) - 1
	m.explorer.calls[key] = i
	return m.runRow(i)
}

// authorizing reports whether the authorize step is waiting for the user.
func (m Model) authorizing() bool {
	for _, r := range m.steps.rows {
		if r.running && r.id == flow.StepAuthorize {
			return true
		}
	}
	return false
}

func (m Model) tokenRow() int {
	for i, r := range m.steps.rows {
		if r.id == flow.StepToken {
			return i
		}
	}
	return -1
}

// connected reports whether the connect step passed (the explorer is usable).
func (m Model) connected() bool {
	for _, r := range m.steps.rows {
		if r.id == flow.StepConnect && len(r.results) > 0 {
			s := r.last().Status
			return s == flow.StatusPass || s == flow.StatusWarn
		}
	}
	return false
}

package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mcpwalk/mcpwalk/flow"
)

// Update handles one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case eventMsg:
		m = m.onEvent(msg.ev)
		cmd = m.hub.wait()
	case opDoneMsg:
		var next tea.Cmd
		m, next = m.onDone(msg)
		cmd = tea.Batch(m.hub.wait(), next)
	case notifyMsg:
		m.log = m.log.add(m.now(), msg.source, msg.text)
		cmd = m.hub.wait()
		if msg.relist != "" {
			m.stale = appendOnce(m.stale, msg.relist)
			var next tea.Cmd
			m, next = m.relist()
			cmd = tea.Batch(cmd, next)
		}
	case startMsg:
		m, cmd = m.runNext()
	case spinner.TickMsg:
		if m.state != stateRunning && m.state != stateQuitting {
			return m, nil
		}
		m.spin, cmd = m.spin.Update(msg)
	case openedMsg:
		m.status = result(msg.err, "opened the authorization URL in the browser")
	case copiedMsg:
		m.status = result(msg.err, "copied the authorization URL (OSC 52: the terminal must allow clipboard writes)")
	case pastedMsg:
		m.status = result(msg.err, "redirect URL handed to the authorize step")
	case forceQuitMsg:
		return m, tea.Quit
	case tea.MouseMsg:
		m = m.onMouse(msg)
	case tea.KeyMsg:
		m, cmd = m.onKey(msg)
	}
	return m.refresh(), cmd
}

func result(err error, ok string) string {
	if err != nil {
		return "✗ " + err.Error()
	}
	return ok
}

// onEvent applies one engine event to the step list and the log.
func (m Model) onEvent(ev flow.Event) Model {
	t := ev.Time
	if t.IsZero() {
		t = m.now()
	}
	switch ev.Kind {
	case flow.EventStepStart:
		i := m.steps.find(ev.Step, m.active)
		if i < 0 {
			m.steps.rows = append(m.steps.rows, row{id: ev.Step, label: ev.Step})
			i = len(m.steps.rows) - 1
		}
		m.steps.rows[i].running = true
		m.steps.rows[i].started = m.now()
		if m.steps.follow {
			m.steps.cursor = i
		}
	case flow.EventStepEnd:
		i := m.runningRow(ev.Step)
		if i < 0 || ev.Result == nil {
			break
		}
		r := &m.steps.rows[i]
		r.running = false
		r.results = append(r.results, *ev.Result)
		line := fmt.Sprintf("%s %s", strings.ToUpper(string(ev.Result.Status)), r.label)
		if ev.Result.Summary != "" {
			line += ": " + ev.Result.Summary
		}
		if ev.Result.Error != "" {
			line += ": " + ev.Result.Error
		}
		m.log = m.log.add(t, "step", line)
	case flow.EventNote:
		if i := m.runningRow(ev.Step); i >= 0 {
			m.steps.rows[i].notes = append(m.steps.rows[i].notes, ev.Note)
		}
		m.log = m.log.add(t, "note", ev.Note)
	case flow.EventAuthURL:
		m.auth = parseAuthURL(ev.Note)
		m.log = m.log.add(t, "auth", "authorization URL ready: o opens it, c copies it, p pastes the redirect")
	}
	return m
}

// runningRow is the running row with this step id, else the last row with it.
func (m Model) runningRow(id string) int {
	for i, r := range m.steps.rows {
		if r.running && r.id == id {
			return i
		}
	}
	return m.steps.find(id, -1)
}

// onDone takes the engine's state after a step or call and decides what
// comes next: another step in run-to-end mode, the explorer, or a pause.
func (m Model) onDone(d opDoneMsg) (Model, tea.Cmd) {
	for i := range m.steps.rows {
		m.steps.rows[i].running = false
	}
	m.active = -1
	m.info = d.snap.info
	m.token = tokenView{view: d.snap.token} // a revealed token is hidden again after each step
	if d.op.call != nil {
		m.explorer = m.explorer.load(d.op.call.Method, d.result)
	}
	if m.state == stateQuitting {
		return m, tea.Quit
	}
	failed := d.err != nil
	if d.op.row >= 0 && d.op.row < len(m.steps.rows) {
		failed = failed || m.steps.rows[d.op.row].last().Status == flow.StatusFail
	}
	switch {
	case failed:
		m.state, m.auto = stateStopped, false
		if d.err != nil && !errors.Is(d.err, flow.ErrStopped) {
			m.status = "✗ " + d.err.Error()
		}
	case m.steps.next() < 0 && m.connected():
		m.state, m.auto = stateConnected, false
		if !m.explored {
			m.explored, m.screen = true, screenExplore
		}
		return m.relist()
	default:
		m.state = stateReady
		if m.auto {
			return m.runNext()
		}
	}
	return m, nil
}

func (m Model) onMouse(msg tea.MouseMsg) Model {
	if msg.Action != tea.MouseActionPress {
		return m
	}
	if msg.X < m.leftWidth() {
		k := map[tea.MouseButton]tea.KeyMsg{tea.MouseButtonWheelUp: {Type: tea.KeyUp}, tea.MouseButtonWheelDown: {Type: tea.KeyDown}}
		if up, ok := k[msg.Button]; ok {
			if m.screen == screenExplore {
				m.explorer = m.explorer.update(up)
			} else {
				m.steps = m.steps.update(up)
			}
		}
		return m
	}
	m.detail = m.detail.update(msg)
	return m
}

// quit stops cleanly: a running step is canceled and its listener closed,
// and the program ends once the step has returned (or after a grace time).
func (m Model) quit() (Model, tea.Cmd) {
	if m.state != stateRunning {
		m.cancel()
		return m, tea.Quit
	}
	m.state = stateQuitting
	m.status = "stopping the running step…"
	m.cancel()
	m.box.closeAll()
	return m, tea.Tick(3*time.Second, func(time.Time) tea.Msg { return forceQuitMsg{} })
}

// relist re-runs, when idle and connected, a list call that a list_changed
// notification made stale, so the explorer shows the server's new list.
func (m Model) relist() (Model, tea.Cmd) {
	if len(m.stale) == 0 || m.state != stateConnected {
		return m, nil // runs when the walk is connected and idle
	}
	method := m.stale[0]
	m.stale = m.stale[1:]
	return m.runCall(flow.Call{Method: method, Optional: true}, "relist:"+method)
}

func appendOnce(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

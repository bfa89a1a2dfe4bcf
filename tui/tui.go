// Package tui is mcpwalk's interactive debugger: it steps through the
// authorization flow one step at a time, shows every exchange and check,
// and then explores the server (tools, resources, prompts) with real,
// recorded calls. It is an observer of the engine's events and drives the
// engine only through its API; it has no protocol logic of its own.
package tui

import (
	"context"
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mcpwalk/mcpwalk/flow"
)

// Options configure Run.
type Options struct {
	// Config is the walk's starting configuration; the user may edit it
	// between steps.
	Config flow.Config
	// Deps are the engine's dependencies. Run adds its own Observer (any
	// given one still receives every event) and wraps Listen so that a
	// redirect URL can be pasted.
	Deps flow.Deps
	// Opener opens the authorization URL on o; nil means Deps.Browser.
	Opener flow.Browser
	// Auto starts in run-to-end mode.
	Auto bool
	// Calls are made after connect to fill the explorer; nil means
	// DefaultCalls.
	Calls []flow.Call
	// In and Out are the terminal; nil means stdin and stdout.
	In  io.Reader
	Out io.Writer
	// Now is the clock for relative times; nil means time.Now.
	Now func() time.Time
	// ProgramOptions are added last (tests pass WithoutRenderer and sizes).
	ProgramOptions []tea.ProgramOption
}

// Run opens the TUI and returns when the user quits, with every step
// that ran. On return the terminal is restored, the MCP session is closed
// and no loopback listener is left open. Quitting while a step runs
// cancels it, and Run returns context.Canceled.
func Run(ctx context.Context, o Options) ([]flow.StepResult, error) {
	applyColorEnv()
	e, m := build(ctx, o)
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx)}
	if o.In != nil {
		opts = append(opts, tea.WithInput(o.In))
	}
	if o.Out != nil {
		opts = append(opts, tea.WithOutput(o.Out))
	}
	opts = append(opts, o.ProgramOptions...)
	final, err := tea.NewProgram(m, opts...).Run()
	m.shutdown()
	if fm, ok := final.(Model); ok && err == nil && fm.state == stateQuitting {
		// The user quit in the middle of a step: that step was canceled,
		// as with Ctrl+C on the command line.
		err = context.Canceled
	}
	return e.Results(), err
}

// build wires an engine to a new model.
func build(ctx context.Context, o Options) (*flow.Engine, Model) {
	h := newHub()
	box := newPasteBox(o.Deps.Listen)
	deps := o.Deps
	deps.Observer = flow.Observers{h, o.Deps.Observer}
	deps.Listen = box.listen
	deps.ClientOptions = h.clientOptions()
	e := flow.New(o.Config, deps)
	if o.Out == nil {
		o.Out = stdout
	}
	return e, newModel(ctx, e, h, box, o)
}

// shutdown runs after the program ended: stop what still runs, close the
// listeners and the session, release the event channel.
func (m Model) shutdown() {
	m.cancel()
	m.box.closeAll()
	if m.hub.waitOps(5 * time.Second) {
		m.eng.Close()
	}
	m.hub.close()
}

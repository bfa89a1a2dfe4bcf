package tui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
)

// The golden screens: the real engine walking the fake servers headless,
// driven through a real bubbletea program at 100x30, ASCII colour profile
// (set in harness_test.go). Ports, durations, times and random values are
// normalized. Rewrite with: go test ./tui/ -run Golden -update

func screenAfter(t *testing.T, drive func(tm *teatest.TestModel)) []byte {
	t.Helper()
	f := startFake(t)
	tm, _ := newTestProgram(t, testOptions(f, true), 100, 30)
	waitFor(t, tm, "paused before probe")
	drive(tm)
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	return []byte(normalize(m.View()))
}

func press(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		switch k {
		case "enter":
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		case "tab":
			tm.Send(tea.KeyMsg{Type: tea.KeyTab})
		default:
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		}
	}
}

func TestGoldenStart(t *testing.T) {
	golden.RequireEqual(t, screenAfter(t, func(*teatest.TestModel) {}))
}

func TestGoldenProbeDetail(t *testing.T) {
	golden.RequireEqual(t, screenAfter(t, func(tm *teatest.TestModel) {
		press(tm, "n")
		waitFor(t, tm, "paused before prm")
	}))
}

func TestGoldenFailedStep(t *testing.T) {
	golden.RequireEqual(t, screenAfter(t, func(tm *teatest.TestModel) {
		press(tm, "e")
		waitFor(t, tm, "Edit before probe")
		press(tm, "tab", "tab", "tab")
		tm.Type("https://wrong.example/mcp")
		tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
		waitFor(t, tm, "configuration changed")
		press(tm, "a")
		waitFor(t, tm, "stopped")
	}))
}

func TestGoldenToken(t *testing.T) {
	golden.RequireEqual(t, screenAfter(t, func(tm *teatest.TestModel) {
		for _, next := range []string{"prm", "asmeta", "stored", "register", "authorize", "token", "connect"} {
			press(tm, "n")
			waitFor(t, tm, "paused before "+next)
		}
		press(tm, "t") // the token row is selected already; t keeps it so
	}))
}

func TestGoldenExplorerCall(t *testing.T) {
	golden.RequireEqual(t, screenAfter(t, func(tm *teatest.TestModel) {
		press(tm, "a")
		waitFor(t, tm, "explore · connected")
		press(tm, "enter")
		waitFor(t, tm, "Call tool echo")
		tm.Type("hello")
		press(tm, "enter")
		waitFor(t, tm, "echo: hello")
	}))
}

func TestGoldenHelp(t *testing.T) {
	golden.RequireEqual(t, screenAfter(t, func(tm *teatest.TestModel) {
		press(tm, "?")
		waitFor(t, tm, "reveal token")
	}))
}

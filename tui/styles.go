package tui

import (
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/muesli/termenv"
)

// Every style the TUI uses lives here. Colours are adaptive (light and dark
// terminals); with NO_COLOR, or when the profile is ASCII, lipgloss drops
// them all, so nothing may rely on colour alone: marks and words carry the
// meaning (✓ ! ✗, [pass] [warn] [FAIL], the ▸ cursor).
var (
	colAccent = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#A48BFF"}
	colPass   = lipgloss.AdaptiveColor{Light: "#1A7F37", Dark: "#56D364"}
	colWarn   = lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#E3B341"}
	colFail   = lipgloss.AdaptiveColor{Light: "#CF222E", Dark: "#F85149"}
	colMuted  = lipgloss.AdaptiveColor{Light: "#6E7781", Dark: "#8B949E"}
	colInfo   = lipgloss.AdaptiveColor{Light: "#0969DA", Dark: "#58A6FF"}

	styleTitle    = lipgloss.NewStyle().Bold(true).Foreground(colAccent)
	styleHeader   = lipgloss.NewStyle().Bold(true)
	styleLabel    = lipgloss.NewStyle().Foreground(colMuted)
	styleMuted    = lipgloss.NewStyle().Foreground(colMuted)
	styleSection  = lipgloss.NewStyle().Bold(true).Underline(true)
	styleSelected = lipgloss.NewStyle().Bold(true).Foreground(colAccent)
	styleKey      = lipgloss.NewStyle().Bold(true)
	styleBorder   = lipgloss.NewStyle().Foreground(colMuted)
	styleError    = lipgloss.NewStyle().Foreground(colFail).Bold(true)
	styleFix      = lipgloss.NewStyle().Foreground(colInfo)
	styleSecret   = lipgloss.NewStyle().Foreground(colWarn)
	styleRequest  = lipgloss.NewStyle().Foreground(colInfo)
	styleResponse = lipgloss.NewStyle().Foreground(colAccent)
	styleStatus   = map[string]lipgloss.Style{
		"pass":    lipgloss.NewStyle().Foreground(colPass),
		"info":    lipgloss.NewStyle().Foreground(colInfo),
		"warn":    lipgloss.NewStyle().Foreground(colWarn),
		"fail":    lipgloss.NewStyle().Foreground(colFail).Bold(true),
		"skip":    lipgloss.NewStyle().Foreground(colMuted),
		"pending": lipgloss.NewStyle().Foreground(colMuted),
		"running": lipgloss.NewStyle().Foreground(colAccent),
	}
)

// applyColorEnv honours NO_COLOR (https://no-color.org): any non-empty
// value turns every colour and attribute off.
func applyColorEnv() {
	if os.Getenv("NO_COLOR") != "" {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
}

func statusStyle(s string) lipgloss.Style {
	if st, ok := styleStatus[s]; ok {
		return st
	}
	return lipgloss.NewStyle()
}

// stepMark is a step's status as one glyph.
func stepMark(s flow.Status) string {
	switch s {
	case flow.StatusPass:
		return statusStyle("pass").Render("✓")
	case flow.StatusWarn:
		return statusStyle("warn").Render("!")
	case flow.StatusFail:
		return statusStyle("fail").Render("✗")
	case flow.StatusSkip:
		return statusStyle("skip").Render("-")
	}
	return statusStyle("pending").Render("·")
}

// checkMark is a check's status as a bracketed word, readable without colour.
func checkMark(s check.Status) string {
	word := map[check.Status]string{check.Pass: "[pass]", check.Info: "[info]", check.Warn: "[warn]", check.Fail: "[FAIL]"}[s]
	if word == "" {
		word = "[" + string(s) + "]"
	}
	return statusStyle(string(s)).Render(word)
}

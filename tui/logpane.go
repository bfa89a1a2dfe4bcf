package tui

import (
	"strings"
	"time"
)

// logPane keeps the engine's notes (and, once the engine forwards them,
// the server's notifications and log messages), newest last.
type logPane struct {
	lines []string
	big   bool
}

const maxLogLines = 500

func (l logPane) add(t time.Time, src, text string) logPane {
	prefix := t.Format("15:04:05") + " " + src + " "
	for i, s := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if i > 0 {
			prefix = strings.Repeat(" ", len(prefix))
		}
		l.lines = append(l.lines, prefix+s)
	}
	if n := len(l.lines); n > maxLogLines {
		l.lines = append([]string(nil), l.lines[n-maxLogLines:]...)
	}
	return l
}

// height is the pane's share of a screen of total lines, title included;
// small screens get none.
func (l logPane) height(total int) int {
	switch {
	case total < 18:
		return 0
	case l.big:
		return total / 2
	}
	return 5
}

func (l logPane) view(w, h int) []string {
	if h <= 0 {
		return nil
	}
	title := styleBorder.Render("── log " + strings.Repeat("─", max(w-7, 0)))
	out := []string{title}
	if len(l.lines) == 0 {
		out = append(out, styleMuted.Render("engine notes, server notifications and log messages appear here"))
	}
	start := max(len(l.lines)-(h-1), 0)
	for _, s := range l.lines[start:] {
		out = append(out, styleMuted.Render(truncate(s, w)))
	}
	return block(out, w, h)
}

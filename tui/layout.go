package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The screen is assembled from fixed-size blocks of lines: each line is
// cut or padded to its column's width, so that nothing wraps behind the
// renderer's back and a resize never leaves stray cells.

func cellWidth(s string) int { return ansi.StringWidth(s) }

func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if cellWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// fit cuts or pads s to exactly w cells.
func fit(s string, w int) string {
	s = truncate(s, w)
	if n := w - cellWidth(s); n > 0 {
		s += strings.Repeat(" ", n)
	}
	return s
}

// block makes exactly h lines of exactly w cells.
func block(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return out
}

// columns joins two blocks of equal height with a separator.
func columns(left, right []string, sep string) []string {
	n := max(len(left), len(right))
	out := make([]string, n)
	for i := range out {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = l + sep + r
	}
	return out
}

// wrap breaks s into lines of at most w cells, at spaces where possible,
// mid-word otherwise (URLs and tokens have no spaces).
func wrap(s string, w int) string {
	if w <= 0 {
		return s
	}
	return ansi.Wrap(s, w, "")
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	if s == "" {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// wrapIndent wraps s to w cells with every line indented by prefix.
func wrapIndent(s string, w int, prefix string) string {
	return indent(wrap(s, w-cellWidth(prefix)), prefix)
}

// hang wraps s to w cells with every line after the first indented by n
// spaces: a check or header whose message runs long stays readable.
func hang(s string, w, n int) string {
	lines := strings.Split(wrap(s, w-n), "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.Repeat(" ", n) + lines[i]
	}
	return strings.Join(lines, "\n")
}

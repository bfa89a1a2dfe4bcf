package findings

import (
	"fmt"
	"io"
	"strings"
)

// width is where explanations wrap.
const width = 78

// WriteLong writes the long explanation of f, wrapped for a terminal.
func WriteLong(w io.Writer, f Finding) error {
	var b strings.Builder
	const hang = "          "
	b.WriteString(wrap("", f.ID+" — "+f.Title, "  ") + "\n\n")
	b.WriteString(wrap("Severity: ", string(f.Severity)+severityNote(f.Severity), hang) + "\n")
	for i, r := range f.Rules {
		label := hang
		if i == 0 {
			label = "Rule:     "
		}
		b.WriteString(wrap(label, r, hang+"  ") + "\n")
	}
	section(&b, "Why it exists", f.Why)
	section(&b, "What breaks", f.Breaks)
	if len(f.Clients.Refuse) > 0 || len(f.Clients.Tolerate) > 0 {
		b.WriteString("\n")
		list(&b, "Refused by:   ", f.Clients.Refuse)
		list(&b, "Tolerated by: ", f.Clients.Tolerate)
	}
	section(&b, "How to fix it", f.Fix)
	for _, p := range f.Providers {
		b.WriteString(wrap("  ", p.Provider+": "+p.Fix, "    ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteList writes one line per finding: id, severity, title.
func WriteList(w io.Writer, fs []Finding) error {
	idw := 0
	for _, f := range fs {
		idw = max(idw, len(f.ID))
	}
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%-*s  %-7s  %s\n", idw, f.ID, f.Severity, f.Title)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func severityNote(s Severity) string {
	switch s {
	case Error:
		return " (a strict client stops here; --lenient records it and carries on)"
	case Pass:
		return " (this id only records a rule that held)"
	}
	return ""
}

func section(b *strings.Builder, title, text string) {
	if text == "" {
		return
	}
	b.WriteString("\n" + title + "\n")
	for _, para := range strings.Split(text, "\n\n") {
		b.WriteString(wrap("  ", para, "  ") + "\n")
	}
}

func list(b *strings.Builder, label string, items []string) {
	if len(items) == 0 {
		return
	}
	b.WriteString(wrap(label, strings.Join(items, "; "), strings.Repeat(" ", len(label))) + "\n")
}

// wrap writes prefix then the words of text in lines of at most width
// runes, indenting continuation lines; a word longer than a line (a URL)
// stays whole.
func wrap(prefix, text, indent string) string {
	words := strings.Fields(text)
	var b strings.Builder
	line := prefix
	n := len([]rune(line))
	empty := true
	for _, w := range words {
		wl := len([]rune(w))
		if !empty && n+1+wl > width {
			b.WriteString(line + "\n")
			line, n, empty = indent, len([]rune(indent)), true
		}
		if !empty {
			line += " "
			n++
		}
		line += w
		n += wl
		empty = false
	}
	b.WriteString(line)
	return b.String()
}

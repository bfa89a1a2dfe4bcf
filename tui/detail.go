package tui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/record"
)

// detail is the right pane: a scrollable view of the selected step or of
// the explorer's selection. key identifies what is shown, so that new
// content for the same thing keeps the scroll position.
type detail struct {
	vp  viewport.Model
	key string
}

func newDetail() detail {
	return detail{vp: viewport.New(0, 0)}
}

func (d detail) setSize(w, h int) detail {
	d.vp.Width, d.vp.Height = w, h
	return d
}

// show replaces the content; a new key scrolls back to the top.
func (d detail) show(key, content string) detail {
	d.vp.SetContent(content)
	if key != d.key {
		d.vp.GotoTop()
		d.key = key
	}
	return d
}

func (d detail) update(msg tea.Msg) detail {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch k.String() {
		case "pgdown", "ctrl+d", "J":
			d.vp.HalfPageDown()
		case "pgup", "ctrl+u", "K":
			d.vp.HalfPageUp()
		}
		return d
	}
	d.vp, _ = d.vp.Update(msg)
	return d
}

func (d detail) view() string { return d.vp.View() }

// Headers worth showing by default; the rest are counted.
var shownHeaders = map[string]bool{
	"Content-Type": true, "Accept": true, "Authorization": true, "Mcp-Protocol-Version": true,
	"Mcp-Session-Id": true, "Www-Authenticate": true, "Location": true, "Cache-Control": true,
}

// renderExchanges shows each HTTP exchange: request line, headers, body,
// then status, headers and body. Bodies are pretty-printed when JSON.
func renderExchanges(exs []record.Exchange, w int, allHeaders bool) string {
	var b strings.Builder
	for i, ex := range exs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(wrapIndent(styleRequest.Render("→ "+ex.Method+" ")+ex.URL, w, "") + "\n")
		writeHeaders(&b, ex.RequestHeaders, w, allHeaders)
		writeBody(&b, ex.RequestBody, w)
		if ex.Error != "" {
			b.WriteString(wrapIndent(styleError.Render(fmt.Sprintf("← no response (%s): ", formatMS(ex.DurationMS)))+ex.Error, w, "") + "\n")
			continue
		}
		st := fmt.Sprintf("← %d %s", ex.Status, http.StatusText(ex.Status))
		style := styleResponse
		if ex.Status >= 400 {
			style = statusStyle("warn")
		}
		b.WriteString(style.Render(st) + styleMuted.Render(" ("+formatMS(ex.DurationMS)+")") + "\n")
		writeHeaders(&b, ex.ResponseHeaders, w, allHeaders)
		writeBody(&b, ex.ResponseBody, w)
		if ex.Truncated {
			b.WriteString(styleMuted.Render("  (body truncated)") + "\n")
		}
	}
	return b.String()
}

func writeHeaders(b *strings.Builder, h http.Header, w int, all bool) {
	names := make([]string, 0, len(h))
	hidden := 0
	for k := range h {
		if all || shownHeaders[http.CanonicalHeaderKey(k)] {
			names = append(names, k)
		} else {
			hidden++
		}
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h.Values(k) {
			b.WriteString(indent(hang(styleLabel.Render(headerName(k)+":")+" "+v, w-2, 4), "  ") + "\n")
		}
	}
	if hidden > 0 {
		b.WriteString(styleMuted.Render(fmt.Sprintf("  (+%d more headers: press h)", hidden)) + "\n")
	}
}

func writeBody(b *strings.Builder, body string, w int) {
	if body == "" {
		return
	}
	b.WriteString(wrapIndent(prettyJSON(body), w, "  │ ") + "\n")
}

// prettyJSON indents JSON; anything else is returned as it is.
func prettyJSON(s string) string {
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(s), "", "  ") == nil {
		return buf.String()
	}
	return strings.TrimRight(s, "\n")
}

// headerName spells headers the way the specs do.
func headerName(k string) string {
	switch c := http.CanonicalHeaderKey(k); c {
	case "Www-Authenticate":
		return "WWW-Authenticate"
	case "Mcp-Protocol-Version":
		return "MCP-Protocol-Version"
	case "Mcp-Session-Id":
		return "Mcp-Session-Id"
	default:
		return c
	}
}

// renderChecks lists the checks with their spec references and fixes.
func renderChecks(r flow.StepResult, w int) string {
	var b strings.Builder
	for _, c := range r.Checks {
		b.WriteString(hang(checkMark(c.Status)+" "+styleLabel.Render(c.ID)+" "+c.Message, w, 7) + "\n")
		if c.Spec != "" {
			b.WriteString(wrapIndent(styleMuted.Render("rule: "+c.Spec), w, "       ") + "\n")
		}
		if c.Fix != "" && c.Status != "pass" {
			b.WriteString(wrapIndent(styleFix.Render("fix:  "+c.Fix), w, "       ") + "\n")
		}
	}
	return b.String()
}

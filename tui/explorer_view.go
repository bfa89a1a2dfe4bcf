package tui

import (
	"encoding/json"
	"fmt"
	"strings"
)

// listView is the explorer's left pane: the kinds as tabs, the filter, the
// items.
func (x explorer) listView(w, h int, filtering bool) []string {
	var tabs []string
	for k := range numKinds {
		t := fmt.Sprintf("%d %s", k+1, kindNames[k])
		if x.loaded[k] {
			t += fmt.Sprintf("(%d)", len(x.items[k]))
		}
		if k == x.kind {
			t = styleSelected.Render("[" + t + "]")
		} else {
			t = styleMuted.Render(" " + t + " ")
		}
		tabs = append(tabs, t)
	}
	lines := wrapTabs(tabs, w)
	if filtering || x.filter.Value() != "" {
		lines = append(lines, x.filter.View())
	} else {
		lines = append(lines, styleMuted.Render("/ filter"))
	}
	vis := x.visible()
	if !x.loaded[x.kind] {
		lines = append(lines, styleMuted.Render("not listed (the server lacks the capability, or the list step has not run)"))
	} else if len(vis) == 0 {
		lines = append(lines, styleMuted.Render("nothing here"))
	}
	room := h - len(lines)
	off := 0
	if c := x.cursor[x.kind]; c >= room {
		off = c - room + 1
	}
	for i := off; i < len(vis) && len(lines) < h; i++ {
		it := vis[i]
		name := it.name
		if i == x.cursor[x.kind] {
			lines = append(lines, styleSelected.Render("▸ "+name))
		} else {
			lines = append(lines, "  "+name)
		}
	}
	return lines
}

// wrapTabs lays the tab labels out on as few lines as fit.
func wrapTabs(tabs []string, w int) []string {
	var lines []string
	cur := ""
	for _, t := range tabs {
		if cur != "" && cellWidth(cur)+cellWidth(t) > w {
			lines = append(lines, cur)
			cur = ""
		}
		cur += t
	}
	return append(lines, cur)
}

// itemView is the explorer's right pane: the selected item, then the
// latest call made on it with its result and HTTP exchanges.
func (m Model) itemView(w int) string {
	x := m.explorer
	it, ok := x.selected()
	if !ok {
		return styleMuted.Render("Select a tool, resource, template or prompt on the left.")
	}
	var b strings.Builder
	title := it.name
	if it.title != "" && it.title != it.name {
		title += "  " + styleMuted.Render(it.title)
	}
	b.WriteString(wrapIndent(styleHeader.Render(title), w, "") + "\n")
	if it.desc != "" {
		b.WriteString(wrapIndent(it.desc, w, "") + "\n")
	}
	hint := map[kind]string{kindTools: "enter: fill in the arguments and call the tool",
		kindResources: "enter: read the resource", kindTemplates: "enter: fill in the template and read",
		kindPrompts: "enter: fill in the arguments and get the prompt"}[x.kind]
	b.WriteString(styleMuted.Render(hint) + "\n\n")
	if row, ok := x.calls[it.key(x.kind)]; ok && row < len(m.steps.rows) {
		b.WriteString(m.callView(row, w) + "\n")
	}
	if x.kind == kindTools && it.input != nil {
		b.WriteString(styleSection.Render("Input schema") + "\n")
		sb, _ := json.MarshalIndent(it.input, "", "  ")
		b.WriteString(wrapIndent(string(sb), w, "  ") + "\n")
	} else {
		b.WriteString(styleSection.Render("Definition") + "\n")
		ob, _ := json.MarshalIndent(it.obj, "", "  ")
		b.WriteString(wrapIndent(string(ob), w, "  ") + "\n")
	}
	return b.String()
}

// callView shows a call's result and what went over the wire.
func (m Model) callView(i, w int) string {
	r := m.steps.rows[i]
	var b strings.Builder
	b.WriteString(styleSection.Render("Result of "+r.label) + "\n")
	if r.running {
		b.WriteString(styleMuted.Render("  running…") + "\n")
		return b.String()
	}
	res := r.last()
	b.WriteString(stepMark(res.Status) + " " + strings.ToUpper(string(res.Status)) + " " + styleMuted.Render(formatMS(res.DurationMS)))
	if res.Summary != "" {
		b.WriteString(" — " + res.Summary)
	}
	b.WriteString("\n")
	if res.Error != "" {
		b.WriteString(wrapIndent(styleError.Render("error: ")+res.Error, w, "  ") + "\n")
	}
	if len(res.Data) > 0 {
		b.WriteString(wrapIndent(prettyJSON(string(res.Data)), w, "  ") + "\n")
	}
	if len(res.Checks) > 0 {
		b.WriteString("\n" + styleSection.Render("Checks") + "\n" + renderChecks(res, w))
	}
	b.WriteString("\n" + styleSection.Render(fmt.Sprintf("HTTP exchanges (%d)", len(res.Exchanges))) + "\n")
	b.WriteString(renderExchanges(res.Exchanges, w, m.allHeaders))
	return b.String()
}

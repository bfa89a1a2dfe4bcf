package tui

import (
	"fmt"
	"strings"

	"github.com/mcpwalk/mcpwalk/flow"
)

// stepView is the walk screen's right pane for the selected row: what the
// step is for, its outcome, the checks, the exchanges; for authorize the
// request broken into parameters, for token the token view.
func (m Model) stepView(i, w int) string {
	r := m.steps.rows[i]
	var b strings.Builder
	title := r.label
	if res := r.last(); res.Title != "" {
		title += " — " + res.Title
	}
	b.WriteString(wrapIndent(styleHeader.Render(title), w, "") + "\n")
	if e := explain(r.id); e != "" {
		b.WriteString(wrapIndent(styleMuted.Render(e), w, "") + "\n")
	}
	b.WriteString("\n")
	switch {
	case r.running:
		b.WriteString(statusStyle("running").Render(m.spin.View()+" running") + "\n")
	case len(r.results) == 0:
		b.WriteString(m.pendingView(i, w))
	default:
		b.WriteString(m.outcomeView(r, w))
	}
	if r.id == flow.StepAuthorize && m.auth.raw != "" {
		b.WriteString("\n" + m.auth.render(w, r.running))
	}
	if r.id == flow.StepToken && len(r.results) > 0 {
		b.WriteString("\n" + m.token.render(w, m.now()))
	}
	if len(r.notes) > 0 {
		b.WriteString("\n" + styleSection.Render("Notes") + "\n")
		for _, n := range r.notes {
			b.WriteString(wrapIndent("… "+n, w, "  ") + "\n")
		}
	}
	if len(r.results) > 0 && !r.running {
		res := r.last()
		if len(res.Checks) > 0 {
			b.WriteString("\n" + styleSection.Render("Checks") + "\n" + renderChecks(res, w))
		}
		b.WriteString("\n" + styleSection.Render(fmt.Sprintf("HTTP exchanges (%d)", len(res.Exchanges))) + "\n")
		if len(res.Exchanges) == 0 {
			b.WriteString(styleMuted.Render("  none") + "\n")
		}
		b.WriteString(renderExchanges(res.Exchanges, w, m.allHeaders))
		if r.call != nil && len(res.Data) > 0 {
			b.WriteString("\n" + styleSection.Render("Result") + "\n" + wrapIndent(prettyJSON(string(res.Data)), w, "  ") + "\n")
		}
	}
	return b.String()
}

func (m Model) pendingView(i, w int) string {
	var b strings.Builder
	if i == m.steps.next() {
		b.WriteString(wrapIndent("Next step. Press "+styleKey.Render("enter")+" or "+styleKey.Render("n")+" to run it, "+
			styleKey.Render("a")+" to run to the end.", w, "") + "\n")
		if what := editable[m.steps.rows[i].id]; what != "" {
			b.WriteString(wrapIndent("Press "+styleKey.Render("e")+" first to change what it uses: "+what+".", w, "") + "\n")
		}
	} else {
		b.WriteString(styleMuted.Render("pending") + "\n")
	}
	return b.String()
}

func (m Model) outcomeView(r row, w int) string {
	res := r.last()
	var b strings.Builder
	st := strings.ToUpper(string(res.Status))
	line := stepMark(res.Status) + " " + statusStyle(string(res.Status)).Render(st) + " " + styleMuted.Render(formatMS(res.DurationMS))
	if n := len(r.results); n > 1 {
		var earlier []string
		for _, p := range r.results[:n-1] {
			earlier = append(earlier, string(p.Status))
		}
		line += styleMuted.Render(fmt.Sprintf("  attempt %d (earlier: %s)", n, strings.Join(earlier, ", ")))
	}
	b.WriteString(line + "\n")
	if res.Summary != "" {
		b.WriteString(wrapIndent(res.Summary, w, "") + "\n")
	}
	if res.Error != "" {
		b.WriteString("\n" + hang(styleError.Render("error: ")+res.Error, w, 7) + "\n")
		if res.Fix != "" {
			b.WriteString(hang(styleFix.Render("fix:   ")+res.Fix, w, 7) + "\n")
		}
		b.WriteString(wrapIndent(styleMuted.Render("e edits the configuration, r runs this step again."), w, "") + "\n")
	}
	return b.String()
}

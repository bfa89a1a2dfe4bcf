package tui

import (
	"fmt"
	"strings"
)

const headerLines = 3 // two lines of facts and a rule

func (m Model) leftWidth() int {
	return clamp(m.width*3/10, 28, 38)
}

func (m Model) rightWidth() int { return max(m.width-m.leftWidth()-3, 10) }

// footer is the status line and the help.
func (m Model) footer() []string {
	var out []string
	if m.status != "" {
		out = append(out, truncate(m.status, m.width))
	}
	m.help.Width = m.width
	hk := helpKeys{k: m.keys, m: &m}
	var h string
	if m.showHelp {
		h = m.help.FullHelpView(hk.FullHelp())
	} else {
		h = m.help.ShortHelpView(hk.ShortHelp())
	}
	return append(out, strings.Split(h, "\n")...)
}

func (m Model) mainHeight() int {
	return max(m.height-headerLines-m.log.height(m.height)-len(m.footer()), 1)
}

// refresh recomputes the detail pane for the current selection and size.
func (m Model) refresh() Model {
	if m.width == 0 {
		return m
	}
	m.detail = m.detail.setSize(m.rightWidth(), m.mainHeight())
	w := m.rightWidth()
	if m.screen == screenExplore {
		it, _ := m.explorer.selected()
		m.detail = m.detail.show("item:"+it.key(m.explorer.kind), m.itemView(w))
		return m
	}
	if len(m.steps.rows) > 0 {
		i := clamp(m.steps.cursor, 0, len(m.steps.rows)-1)
		m.detail = m.detail.show(fmt.Sprintf("step:%d", i), m.stepView(i, w))
	}
	return m
}

// View draws the screen: header, the two panes, the log, the footer.
func (m Model) View() string {
	if m.width == 0 || m.height == 0 {
		return "starting…"
	}
	lw, rw, h := m.leftWidth(), m.rightWidth(), m.mainHeight()
	lines := m.header()
	var left, right []string
	if m.screen == screenExplore {
		left = m.explorer.listView(lw, h, m.overlay == overlayFilter)
	} else {
		left = m.steps.view(lw, h, m.spin.View(), m.now())
	}
	switch m.overlay {
	case overlayEdit, overlayPaste, overlayCall:
		right = strings.Split(m.form.view(rw), "\n")
	default:
		right = strings.Split(m.detail.view(), "\n")
	}
	sep := styleBorder.Render(" │ ")
	lines = append(lines, columns(block(left, lw, h), block(right, rw, h), sep)...)
	lines = append(lines, m.log.view(m.width, m.log.height(m.height))...)
	lines = append(lines, m.footer()...)
	return strings.Join(block(lines, m.width, m.height), "\n")
}

// header: the server, the state; protocol revision, authorization
// server and client identity; a rule.
func (m Model) header() []string {
	in := m.info
	server := in.ServerURL
	if server == "" {
		server = m.cfg.ServerURL
	}
	mode := m.state.String()
	if m.auto && m.state == stateRunning {
		mode = "running to the end"
	}
	switch {
	case m.state == stateReady && m.steps.next() >= 0:
		mode = "paused before " + m.steps.rows[m.steps.next()].label
	case m.state == stateStopped && m.lastRun >= 0:
		mode = "stopped: " + m.steps.rows[m.lastRun].label + " failed"
	}
	title := styleTitle.Render("mcpwalk") + " " + server
	line1 := padBetween(title, styleMuted.Render(m.screen.String()+" · ")+mode, m.width)
	proto := orDash(in.ProtocolVersion)
	if in.Legacy {
		proto += " (2025-03-26 fallback)"
	}
	client := orDash(in.ClientID)
	if in.ClientSource != "" {
		client += " (" + in.ClientSource + ")"
	}
	facts := []string{
		styleLabel.Render("protocol ") + proto,
		styleLabel.Render("auth server ") + orDash(in.Issuer),
		styleLabel.Render("client ") + client,
	}
	if in.Resource != "" && in.Resource != server {
		facts = append(facts, styleLabel.Render("resource ")+in.Resource)
	}
	line2 := truncate(strings.Join(facts, styleMuted.Render(" · ")), m.width)
	rule := styleBorder.Render(strings.Repeat("─", m.width))
	return []string{line1, line2, rule}
}

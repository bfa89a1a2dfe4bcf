package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mcpwalk/mcpwalk/flow"
)

// onKey routes a key: ctrl+c always quits; an open overlay owns every
// other key; then the screen's keys.
func (m Model) onKey(k tea.KeyMsg) (Model, tea.Cmd) {
	// Keys typed faster than they are read arrive as one message ("/echo"):
	// take them one at a time, since the first may open an input for the rest.
	if k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste {
		var cmds []tea.Cmd
		for _, r := range k.Runes {
			var cmd tea.Cmd
			m, cmd = m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt})
			cmds = append(cmds, cmd)
		}
		return m, tea.Batch(cmds...)
	}
	if k.String() == "ctrl+c" {
		return m.quit()
	}
	switch m.overlay {
	case overlayEdit, overlayPaste, overlayCall:
		return m.onFormKey(k)
	case overlayFilter:
		return m.onFilterKey(k), nil
	}
	switch {
	case key.Matches(k, m.keys.Quit):
		return m.quit()
	case key.Matches(k, m.keys.Help):
		m.showHelp = !m.showHelp
		return m, nil
	case key.Matches(k, m.keys.Screen):
		if m.connected() || m.screen == screenExplore {
			m.screen = 1 - m.screen
		} else {
			m.status = "the explorer opens once the connect step has passed"
		}
		return m, nil
	case key.Matches(k, m.keys.Headers):
		m.allHeaders = !m.allHeaders
		return m, nil
	case key.Matches(k, m.keys.Log):
		m.log.big = !m.log.big
		return m, nil
	case key.Matches(k, m.keys.Scroll):
		m.detail = m.detail.update(k)
		return m, nil
	}
	if m.screen == screenExplore {
		return m.onExploreKey(k)
	}
	return m.onWalkKey(k)
}

func (m Model) onWalkKey(k tea.KeyMsg) (Model, tea.Cmd) {
	idle := m.state != stateRunning && m.state != stateQuitting
	switch {
	case key.Matches(k, m.keys.Next):
		if idle {
			return m.runNext()
		}
	case key.Matches(k, m.keys.All):
		m.auto = true
		if idle {
			return m.runNext()
		}
	case k.String() == "s" || k.String() == "esc":
		if m.auto {
			m.auto = false
			m.status = "run-to-end stopped: the walk pauses after this step"
		}
	case key.Matches(k, m.keys.Rerun):
		if !idle {
			return m, nil
		}
		i := m.steps.cursor
		if len(m.steps.rows[i].results) == 0 {
			i = m.lastRun
		}
		return m.runRow(i)
	case key.Matches(k, m.keys.Edit):
		if !idle {
			m.status = "wait for the running step to finish before editing"
			return m, nil
		}
		next := "the next step"
		if i := m.steps.next(); i >= 0 {
			next = m.steps.rows[i].label
		}
		m.form, m.overlay = newEditForm(m.cfg, next), overlayEdit
	case key.Matches(k, m.keys.Open):
		if m.auth.raw != "" {
			return m, openURL(m.opener, m.auth.raw)
		}
	case key.Matches(k, m.keys.Copy):
		if m.auth.raw != "" {
			return m, copyURL(m.out, m.auth.raw)
		}
	case key.Matches(k, m.keys.Paste):
		if !m.authorizing() {
			m.status = "nothing to paste into: the authorize step is not waiting for a redirect"
			return m, nil
		}
		f := form{title: "Paste the address your browser ended on", fields: []field{
			newField("url", "redirect URL", "http://127.0.0.1:…/callback?code=…&state=… (it may have failed to load there: that is fine)", "", false)}}
		m.form, m.overlay = f.focusField(0), overlayPaste
	case key.Matches(k, m.keys.Token):
		if i := m.tokenRow(); i >= 0 {
			m.steps.cursor, m.steps.follow = i, false
		}
	case key.Matches(k, m.keys.Reveal):
		if !idle || m.token.view == nil {
			return m, nil
		}
		if m.token.revealed != "" {
			m.token.revealed = ""
		} else {
			m.token.revealed = m.eng.RevealAccessToken()
		}
		if i := m.tokenRow(); i >= 0 {
			m.steps.cursor, m.steps.follow = i, false
		}
	default:
		m.steps = m.steps.update(k)
	}
	return m, nil
}

func (m Model) onExploreKey(k tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Filter):
		m.overlay = overlayFilter
		return m, m.explorer.filter.Focus()
	case k.String() == "enter":
		it, ok := m.explorer.selected()
		if !ok {
			return m, nil
		}
		if m.state == stateRunning {
			m.status = "a call is running; wait for it to finish"
			return m, nil
		}
		f, c := m.explorer.action(it)
		if c != nil {
			return m.runCall(*c, it.key(m.explorer.kind))
		}
		if f != nil {
			m.explorer.pending = it
			m.form, m.overlay = *f, overlayCall
		}
		return m, nil
	}
	m.explorer = m.explorer.update(k)
	return m, nil
}

func (m Model) onFilterKey(k tea.KeyMsg) Model {
	switch k.String() {
	case "esc":
		m.explorer.filter.SetValue("")
		fallthrough
	case "enter":
		m.explorer.filter.Blur()
		m.overlay = overlayNone
		return m
	}
	m.explorer.filter, _ = m.explorer.filter.Update(k)
	m.explorer.cursor[m.explorer.kind] = clamp(m.explorer.cursor[m.explorer.kind], 0, max(len(m.explorer.visible())-1, 0))
	return m
}

func (m Model) onFormKey(k tea.KeyMsg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.form, cmd = m.form.update(k)
	switch {
	case m.form.canceled:
		m.overlay = overlayNone
		return m, nil
	case !m.form.submitted:
		return m, cmd
	}
	switch m.overlay {
	case overlayEdit:
		vals := m.form.values()
		cfg := m.cfg
		if err := applyEdit(vals, &cfg); err != nil {
			m.form.err = err.Error()
			return m, nil
		}
		m.cfg = cfg
		m.eng.Configure(func(c *flow.Config) { _ = applyEdit(vals, c) })
		m.overlay = overlayNone
		m.status = "configuration changed: it applies to steps run from now on (r re-runs the selected one)"
	case overlayPaste:
		u := strings.TrimSpace(m.form.values()["url"])
		m.overlay = overlayNone
		box := m.box
		return m, func() tea.Msg { return pastedMsg{err: box.paste(u)} }
	case overlayCall:
		c, err := m.explorer.callFor(m.form)
		if err != nil {
			m.form.err = err.Error()
			return m, nil
		}
		m.overlay = overlayNone
		return m.runCall(c, m.explorer.pending.key(m.explorer.kind))
	}
	return m, nil
}

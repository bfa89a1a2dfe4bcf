package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is every key of the TUI; the help bar shows the ones that do
// something in the current state.
type keyMap struct {
	Next, Rerun, All, Stop, Edit     key.Binding
	Open, Copy, Paste                key.Binding
	Token, Reveal, Headers, Log      key.Binding
	Up, Down, Scroll, Screen, Filter key.Binding
	Enter, Kinds                     key.Binding
	Help, Quit                       key.Binding
	FormNext, FormSubmit, FormCancel key.Binding
	FilterKeep                       key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Next:    key.NewBinding(key.WithKeys("enter", "n"), key.WithHelp("enter/n", "run next")),
		Rerun:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-run")),
		All:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "run to end")),
		Stop:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "stop auto")),
		Edit:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit config")),
		Open:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open browser")),
		Copy:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy URL")),
		Paste:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "paste redirect")),
		Token:   key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "token")),
		Reveal:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "reveal token")),
		Headers: key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "all headers")),
		Log:     key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "bigger log")),
		Up:      key.NewBinding(key.WithKeys("up", "k", "down", "j"), key.WithHelp("↑/↓", "select")),
		Down:    key.NewBinding(key.WithKeys("home", "end", "g", "G"), key.WithHelp("g/G", "first/last")),
		Scroll:  key.NewBinding(key.WithKeys("pgup", "pgdown", "ctrl+u", "ctrl+d", "J", "K"), key.WithHelp("pgdn/pgup", "scroll (J/K)")),
		Screen:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "explorer")),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Enter:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "call/read")),
		Kinds:   key.NewBinding(key.WithKeys("left", "right", "1", "2", "3", "4"), key.WithHelp("←/→ 1-4", "lists")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),

		FormNext:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/↓", "next field")),
		FormSubmit: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "submit")),
		FormCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		FilterKeep: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
	}
}

// helpKeys adapts the key map to bubbles/help for the current state.
type helpKeys struct {
	k keyMap
	m *Model
}

func (h helpKeys) ShortHelp() []key.Binding {
	k, m := h.k, h.m
	switch m.overlay {
	case overlayEdit, overlayPaste, overlayCall:
		return []key.Binding{k.FormNext, k.FormSubmit, k.FormCancel, key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))}
	case overlayFilter:
		return []key.Binding{k.FilterKeep, k.FormCancel}
	}
	if m.screen == screenExplore {
		return []key.Binding{k.Enter, k.Kinds, k.Filter, k.Screen, k.Help, k.Quit}
	}
	out := []key.Binding{}
	switch m.state {
	case stateRunning:
		if m.auth.raw != "" && m.authorizing() {
			out = append(out, k.Open, k.Copy, k.Paste)
		}
		out = append(out, k.Stop)
	case stateConnected:
		out = append(out, k.Screen, k.Rerun)
	default:
		out = append(out, k.Next, k.Rerun, k.All, k.Edit)
	}
	return append(out, k.Help, k.Quit)
}

func (h helpKeys) FullHelp() [][]key.Binding {
	k := h.k
	return [][]key.Binding{
		{k.Next, k.Rerun, k.All, k.Stop, k.Edit},
		{k.Open, k.Copy, k.Paste, k.Token, k.Reveal},
		{k.Up, k.Down, k.Scroll, k.Headers, k.Log},
		{k.Screen, k.Enter, k.Kinds, k.Filter, k.Quit},
	}
}

package tui

import (
	"encoding/json"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// field is one labelled text input of a form.
type field struct {
	name     string // key in the result
	label    string
	help     string
	kind     string // schema type, for the explorer's forms
	required bool
	input    textinput.Model
}

func newField(name, label, help, value string, secret bool) field {
	in := textinput.New()
	in.Prompt = ""
	in.SetValue(value)
	in.Cursor.SetMode(cursor.CursorStatic)
	if secret {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
	}
	return field{name: name, label: label, help: help, input: in}
}

// form is a list of fields with a focus, and an optional raw editor that
// replaces them (the explorer's JSON fallback). The parent reads submitted
// and canceled after each update.
type form struct {
	title     string
	fields    []field
	focus     int
	raw       textarea.Model
	rawMode   bool
	hasRaw    bool
	err       string
	submitted bool
	canceled  bool
}

func (f form) focusField(i int) form {
	if len(f.fields) == 0 {
		return f
	}
	f.focus = clamp(i, 0, len(f.fields)-1)
	for j := range f.fields {
		if j == f.focus {
			f.fields[j].input.Focus()
		} else {
			f.fields[j].input.Blur()
		}
	}
	return f
}

func newRaw(value string) textarea.Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = "│ "
	ta.Cursor.SetMode(cursor.CursorStatic)
	ta.SetValue(value)
	ta.SetHeight(8)
	return ta
}

func (f form) update(msg tea.Msg) (form, tea.Cmd) {
	f.submitted, f.canceled = false, false
	k, isKey := msg.(tea.KeyMsg)
	if isKey {
		switch k.String() {
		case "esc":
			f.canceled = true
			return f, nil
		case "ctrl+s":
			f.submitted = true
			return f, nil
		case "ctrl+r":
			if f.hasRaw {
				if !f.rawMode {
					b, _ := json.MarshalIndent(f.draft(), "", "  ")
					f.raw.SetValue(string(b))
				}
				f.rawMode = !f.rawMode
				if f.rawMode {
					f.raw.Focus()
				} else {
					f.raw.Blur()
				}
				return f, nil
			}
		}
		if !f.rawMode {
			switch k.String() {
			case "tab", "down":
				return f.focusField(f.focus + 1), nil
			case "shift+tab", "up":
				return f.focusField(f.focus - 1), nil
			case "enter":
				if f.focus >= len(f.fields)-1 {
					f.submitted = true
					return f, nil
				}
				return f.focusField(f.focus + 1), nil
			}
		}
	}
	var cmd tea.Cmd
	if f.rawMode {
		f.raw, cmd = f.raw.Update(msg)
	} else if len(f.fields) > 0 {
		f.fields[f.focus].input, cmd = f.fields[f.focus].input.Update(msg)
	}
	return f, cmd
}

func (f form) values() map[string]string {
	out := map[string]string{}
	for _, fl := range f.fields {
		out[fl.name] = fl.input.Value()
	}
	return out
}

func (f form) view(w int) string {
	var b strings.Builder
	b.WriteString(styleSection.Render(f.title) + "\n")
	if f.rawMode {
		f.raw.SetWidth(max(w-2, 10))
		b.WriteString(styleMuted.Render("raw JSON arguments — ctrl+r back to the fields") + "\n")
		b.WriteString(f.raw.View() + "\n")
	} else {
		for i, fl := range f.fields {
			cur := "  "
			label := fl.label
			if fl.required {
				label += "*"
			}
			if i == f.focus {
				cur = styleSelected.Render("▸ ")
				label = styleSelected.Render(label)
			} else {
				label = styleLabel.Render(label)
			}
			fl.input.Width = max(w-24, 10)
			b.WriteString(cur + fit(label, 20) + " " + fl.input.View() + "\n")
			if fl.help != "" {
				b.WriteString(wrapIndent(styleMuted.Render(fl.help), w, strings.Repeat(" ", 23)) + "\n")
			}
		}
		if len(f.fields) == 0 {
			b.WriteString(styleMuted.Render("  no arguments") + "\n")
		}
	}
	if f.err != "" {
		b.WriteString(wrapIndent(styleError.Render(f.err), w, "") + "\n")
	}
	keys := "tab next field · enter on the last field or ctrl+s submit · esc cancel"
	if f.hasRaw {
		keys += " · ctrl+r raw JSON"
	}
	b.WriteString(wrapIndent(styleMuted.Render(keys), w, "") + "\n")
	return b.String()
}

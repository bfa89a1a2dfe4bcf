package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/flow"
)

// connectedUnit is a unit whose walk ran to the end with a server offering
// two tools, a resource, a template and a prompt.
func connectedUnit(t *testing.T) *unit {
	u := newUnit(t, false)
	u.eng.data["calls:tools/list"] = `{"tools":[
		{"name":"echo","description":"Echoes the text.","inputSchema":{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}},
		{"name":"add","description":"Adds.","inputSchema":{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"number"},"loud":{"type":"boolean"}},"required":["a","b"]}}]}`
	u.eng.data["calls:resources/list"] = `{"resources":[{"uri":"demo://readme","name":"readme"}]}`
	u.eng.data["calls:resources/templates/list"] = `{"resourceTemplates":[{"uriTemplate":"demo://notes/{id}","name":"note"}]}`
	u.eng.data["calls:prompts/list"] = `{"prompts":[{"name":"greet","arguments":[{"name":"name","required":true}]}]}`
	u.eng.data["calls:tools/call"] = `{"content":[{"type":"text","text":"echo: hi"}]}`
	u.key("a")
	u.finish()
	if u.m.screen != screenExplore {
		t.Fatalf("not in the explorer: %s", u.m.screen)
	}
	return u
}

func TestExplorerCallTool(t *testing.T) {
	u := connectedUnit(t)
	u.key("enter")
	if u.m.overlay != overlayCall || !strings.Contains(u.view(), "Call tool echo") {
		t.Fatalf("no form:\n%s", u.view())
	}
	u.key("enter") // text is required
	if !strings.Contains(u.view(), "text is required") {
		t.Fatalf("required not enforced:\n%s", u.view())
	}
	u.typeText("hi")
	u.key("enter")
	if u.m.overlay != overlayNone || u.m.state != stateRunning {
		t.Fatalf("overlay %s state %s", u.m.overlay, u.m.state)
	}
	u.finish()
	want := flow.Call{Method: "tools/call", Name: "echo", Args: map[string]any{"text": "hi"}}
	if diff := cmp.Diff(want, u.eng.calls[len(u.eng.calls)-1]); diff != "" {
		t.Errorf("call (-want +got):\n%s", diff)
	}
	v := u.view()
	for _, want := range []string{"Result of tools/call echo", "echo: hi", "HTTP exchanges (0)"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	u.key("tab")
	if last := u.m.steps.rows[len(u.m.steps.rows)-1]; last.label != "tools/call echo" || last.status() != "pass" {
		t.Errorf("step list row %+v", last)
	}
	if !strings.Contains(u.view(), "tools/call echo") {
		t.Errorf("walk screen lacks the call:\n%s", u.view())
	}
}

func TestExplorerTypedArguments(t *testing.T) {
	u := connectedUnit(t)
	u.key("j")
	u.key("enter")
	u.typeText("2")
	u.key("enter")
	u.typeText("2.5")
	u.key("enter")
	u.typeText("yes")
	u.key("enter")
	if !strings.Contains(u.m.form.err, "loud: expected true or false") {
		t.Fatalf("form err %q", u.m.form.err)
	}
	u.key("ctrl+r")
	if !u.m.form.rawMode || !strings.Contains(u.m.form.raw.Value(), `"a": 2`) {
		t.Fatalf("raw editor not prefilled: %q", u.m.form.raw.Value())
	}
	u.m.form.raw.SetValue(`{"a": 2, "b": 2.5, "loud": true}`)
	u.key("ctrl+s")
	u.finish()
	want := flow.Call{Method: "tools/call", Name: "add", Args: map[string]any{"a": 2.0, "b": 2.5, "loud": true}}
	if diff := cmp.Diff(want, u.eng.calls[len(u.eng.calls)-1]); diff != "" {
		t.Errorf("call (-want +got):\n%s", diff)
	}
}

func TestExplorerFilter(t *testing.T) {
	u := connectedUnit(t)
	u.key("/")
	u.typeText("add")
	if got := u.m.explorer.visible(); len(got) != 1 || got[0].name != "add" {
		t.Fatalf("filter add: %+v", got)
	}
	u.key("enter")
	if u.m.overlay != overlayNone || !strings.Contains(u.view(), "/add") {
		t.Errorf("filter closed wrongly:\n%s", u.view())
	}
	u.key("/")
	u.key("esc")
	if len(u.m.explorer.visible()) != 2 {
		t.Error("esc did not clear the filter")
	}
}

func TestExplorerResourcesTemplatesPrompts(t *testing.T) {
	u := connectedUnit(t)
	u.key("2")
	u.key("enter")
	u.finish()
	u.key("3")
	u.key("enter")
	u.typeText("42")
	u.key("enter")
	u.finish()
	u.key("4")
	u.key("enter")
	u.key("ctrl+s")
	if !strings.Contains(u.m.form.err, "name is required") {
		t.Fatalf("prompt form err %q", u.m.form.err)
	}
	u.typeText("Ada")
	u.key("enter")
	u.finish()
	want := []flow.Call{
		{Method: "resources/read", URI: "demo://readme"},
		{Method: "resources/read", URI: "demo://notes/42"},
		{Method: "prompts/get", Name: "greet", Args: map[string]any{"name": "Ada"}},
	}
	if diff := cmp.Diff(want, u.eng.calls[len(u.eng.calls)-3:]); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestKeysReadTogether(t *testing.T) {
	u := connectedUnit(t)
	u.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/add")})
	if u.m.overlay != overlayFilter || u.m.explorer.filter.Value() != "add" {
		t.Errorf("overlay %s filter %q", u.m.overlay, u.m.explorer.filter.Value())
	}
}

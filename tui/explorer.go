package tui

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/yosida95/uritemplate/v3"
)

// kind is one of the explorer's lists.
type kind int

const (
	kindTools kind = iota
	kindResources
	kindTemplates
	kindPrompts
	numKinds
)

var kindNames = [numKinds]string{"Tools", "Resources", "Templates", "Prompts"}

// listMethod is the MCP call that fills each list.
var listMethod = map[string]kind{
	"tools/list": kindTools, "resources/list": kindResources,
	"resources/templates/list": kindTemplates, "prompts/list": kindPrompts,
}

// item is one tool, resource, template or prompt.
type item struct {
	name  string // tool or prompt name, resource URI, URI template
	title string
	desc  string
	obj   any // the SDK object, shown as JSON
	input any // what the argument form is generated from
}

// explorer lists what the server offers and remembers the step-list row of
// the latest call made on each item.
type explorer struct {
	kind    kind
	items   [numKinds][]item
	loaded  [numKinds]bool
	cursor  [numKinds]int
	filter  textinput.Model
	calls   map[string]int // item key → row of its latest call
	pending item           // the item whose form is open
}

func newExplorer() explorer {
	f := textinput.New()
	f.Prompt = "/"
	f.Placeholder = "filter"
	return explorer{filter: f, calls: map[string]int{}}
}

// load fills a list from a list call's result.
func (x explorer) load(method string, raw []byte) explorer {
	k, ok := listMethod[method]
	if !ok || raw == nil {
		return x
	}
	var items []item
	switch k {
	case kindTools:
		var r mcp.ListToolsResult
		_ = json.Unmarshal(raw, &r)
		for _, t := range r.Tools {
			items = append(items, item{name: t.Name, title: t.Title, desc: t.Description, obj: t, input: t.InputSchema})
		}
	case kindResources:
		var r mcp.ListResourcesResult
		_ = json.Unmarshal(raw, &r)
		for _, res := range r.Resources {
			items = append(items, item{name: res.URI, title: res.Name, desc: res.Description, obj: res})
		}
	case kindTemplates:
		var r mcp.ListResourceTemplatesResult
		_ = json.Unmarshal(raw, &r)
		for _, t := range r.ResourceTemplates {
			items = append(items, item{name: t.URITemplate, title: t.Name, desc: t.Description, obj: t})
		}
	case kindPrompts:
		var r mcp.ListPromptsResult
		_ = json.Unmarshal(raw, &r)
		for _, p := range r.Prompts {
			items = append(items, item{name: p.Name, title: p.Title, desc: p.Description, obj: p, input: p.Arguments})
		}
	}
	x.items[k], x.loaded[k] = items, true
	return x
}

// visible is the current list after the filter.
func (x explorer) visible() []item {
	q := strings.ToLower(strings.TrimSpace(x.filter.Value()))
	if q == "" {
		return x.items[x.kind]
	}
	var out []item
	for _, it := range x.items[x.kind] {
		if strings.Contains(strings.ToLower(it.name+" "+it.title+" "+it.desc), q) {
			out = append(out, it)
		}
	}
	return out
}

func (x explorer) selected() (item, bool) {
	v := x.visible()
	c := x.cursor[x.kind]
	if c < 0 || c >= len(v) {
		return item{}, false
	}
	return v[c], true
}

func (x explorer) update(msg tea.KeyMsg) explorer {
	switch msg.String() {
	case "up", "k":
		x.cursor[x.kind]--
	case "down", "j":
		x.cursor[x.kind]++
	case "left":
		x.kind = (x.kind + numKinds - 1) % numKinds
	case "right":
		x.kind = (x.kind + 1) % numKinds
	case "1", "2", "3", "4":
		x.kind = kind(msg.String()[0] - '1')
	}
	x.cursor[x.kind] = clamp(x.cursor[x.kind], 0, max(len(x.visible())-1, 0))
	return x
}

func (it item) key(k kind) string { return kindNames[k] + ":" + it.name }

// action is what enter does on the selected item: a form to fill first,
// or a call to make at once (reading a resource).
func (x explorer) action(it item) (*form, *flow.Call) {
	switch x.kind {
	case kindTools:
		f := schemaForm("Call tool "+it.name, it.input)
		return &f, nil
	case kindResources:
		return nil, &flow.Call{Method: "resources/read", URI: it.name}
	case kindTemplates:
		f := form{title: "Read " + it.name}
		if t, err := uritemplate.New(it.name); err == nil {
			for _, v := range t.Varnames() {
				f.fields = append(f.fields, newField(v, v, "template variable", "", false))
			}
		}
		f = f.focusField(0)
		return &f, nil
	case kindPrompts:
		f := form{title: "Get prompt " + it.name}
		if args, ok := it.input.([]*mcp.PromptArgument); ok {
			for _, a := range args {
				fl := newField(a.Name, a.Name, a.Description, "", false)
				fl.required = a.Required
				f.fields = append(f.fields, fl)
			}
		}
		f = f.focusField(0)
		return &f, nil
	}
	return nil, nil
}

// callFor turns a submitted form into the MCP call.
func (x explorer) callFor(f form) (flow.Call, error) {
	it := x.pending
	switch x.kind {
	case kindTools:
		args, err := f.arguments()
		return flow.Call{Method: "tools/call", Name: it.name, Args: args}, err
	case kindTemplates:
		t, err := uritemplate.New(it.name)
		if err != nil {
			return flow.Call{}, fmt.Errorf("URI template %q: %v", it.name, err)
		}
		vals := uritemplate.Values{}
		for k, v := range f.values() {
			vals.Set(k, uritemplate.String(v))
		}
		uri, err := t.Expand(vals)
		return flow.Call{Method: "resources/read", URI: uri}, err
	case kindPrompts:
		args := map[string]any{}
		for _, fl := range f.fields {
			v := fl.input.Value()
			if v == "" && fl.required {
				return flow.Call{}, fmt.Errorf("%s is required", fl.name)
			}
			if v != "" {
				args[fl.name] = v
			}
		}
		return flow.Call{Method: "prompts/get", Name: it.name, Args: args}, nil
	}
	return flow.Call{}, fmt.Errorf("nothing to call for %s", kindNames[x.kind])
}

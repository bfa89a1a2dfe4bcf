package tui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// schema is the part of a JSON Schema a form can be generated from.
type schema struct {
	Type        any                `json:"type"`
	Description string             `json:"description"`
	Properties  map[string]*schema `json:"properties"`
	Required    []string           `json:"required"`
	Enum        []any              `json:"enum"`
	Default     any                `json:"default"`
}

func (s *schema) typeName() string {
	switch t := s.Type.(type) {
	case string:
		return t
	case []any: // ["string","null"]: the first non-null
		for _, x := range t {
			if n, ok := x.(string); ok && n != "null" {
				return n
			}
		}
	}
	return ""
}

// schemaForm generates a form from an input schema: one field per
// property, required ones first. Scalars are typed in as text and
// converted; arrays and objects are typed as JSON. The raw JSON editor is
// always available, and is the only editor when the schema has no
// properties to build fields from.
func schemaForm(title string, raw any) form {
	var s schema
	if b, err := json.Marshal(raw); err == nil {
		_ = json.Unmarshal(b, &s)
	}
	req := map[string]bool{}
	for _, r := range s.Required {
		req[r] = true
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if req[names[i]] != req[names[j]] {
			return req[names[i]]
		}
		return names[i] < names[j]
	})
	f := form{title: title, hasRaw: true, raw: newRaw("{}")}
	for _, n := range names {
		p := s.Properties[n]
		if p == nil {
			p = &schema{}
		}
		help := p.typeName()
		if len(p.Enum) > 0 {
			help += " one of " + enumList(p.Enum)
		}
		if p.Description != "" {
			help = strings.TrimSpace(help + " — " + p.Description)
		}
		def := ""
		if p.Default != nil {
			if b, err := json.Marshal(p.Default); err == nil {
				def = strings.Trim(string(b), `"`)
			}
		}
		fl := newField(n, n, help, def, false)
		fl.kind, fl.required = p.typeName(), req[n]
		f.fields = append(f.fields, fl)
	}
	if len(f.fields) == 0 && len(s.Properties) == 0 && s.typeName() != "object" && s.Type != nil {
		f.rawMode = true
		f.raw.Focus()
	}
	return f.focusField(0)
}

func enumList(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		b, _ := json.Marshal(v)
		parts[i] = string(b)
	}
	return strings.Join(parts, ", ")
}

// arguments converts the form into call arguments: from the raw editor in
// raw mode, else field by field; empty optional fields are left out.
func (f form) arguments() (map[string]any, error) {
	if f.rawMode {
		out := map[string]any{}
		if err := json.Unmarshal([]byte(f.raw.Value()), &out); err != nil {
			return nil, fmt.Errorf("arguments must be one JSON object: %v", err)
		}
		return out, nil
	}
	out := map[string]any{}
	for _, fl := range f.fields {
		v := fl.input.Value()
		if v == "" {
			if fl.required {
				return nil, fmt.Errorf("%s is required", fl.name)
			}
			continue
		}
		x, err := convert(fl.kind, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", fl.name, err)
		}
		out[fl.name] = x
	}
	return out, nil
}

// draft is the fields as far as they convert, to seed the raw editor:
// a value that does not convert is kept as the text typed.
func (f form) draft() map[string]any {
	out := map[string]any{}
	for _, fl := range f.fields {
		if v := fl.input.Value(); v != "" {
			if x, err := convert(fl.kind, v); err == nil {
				out[fl.name] = x
			} else {
				out[fl.name] = v
			}
		}
	}
	return out
}

func convert(kind, v string) (any, error) {
	switch kind {
	case "integer":
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("expected an integer, got %q", v)
		}
		return n, nil
	case "number":
		n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, fmt.Errorf("expected a number, got %q", v)
		}
		return n, nil
	case "boolean":
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("expected true or false, got %q", v)
		}
		return b, nil
	case "array", "object":
		var x any
		if err := json.Unmarshal([]byte(v), &x); err != nil {
			return nil, fmt.Errorf("expected JSON (%s): %v", kind, err)
		}
		return x, nil
	}
	return v, nil
}

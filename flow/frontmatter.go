package flow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"

	"gopkg.in/yaml.v3"
)

// maxFrontmatterNodes bounds the YAML nodes visited, aliases included, so
// that a self-multiplying document cannot exhaust memory.
const maxFrontmatterNodes = 10000

// parseFrontmatter returns the YAML frontmatter at the start of a SKILL.md
// (between a first line "---" and the next "---" line) as the JSON values
// an entry's frontmatter carries (SEP-2640 §Frontmatter Verification):
// strings, float64 numbers, booleans, nil, []any and map[string]any.
// Timestamps stay the strings they were written as.
func parseFrontmatter(doc []byte) (map[string]any, error) {
	doc = bytes.TrimPrefix(doc, []byte("\xef\xbb\xbf"))
	first, rest, _ := bytes.Cut(doc, []byte("\n"))
	if string(bytes.TrimRight(first, " \t\r")) != "---" {
		return nil, errors.New("SKILL.md does not begin with a --- line opening YAML frontmatter")
	}
	var block []byte
	closed := false
	for len(rest) > 0 {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(line, " \t\r")) == "---" {
			closed = true
			break
		}
		block = append(append(block, line...), '\n')
	}
	if !closed {
		return nil, errors.New("the YAML frontmatter of SKILL.md has no closing --- line")
	}
	var root yaml.Node
	if err := yaml.Unmarshal(block, &root); err != nil {
		return nil, fmt.Errorf("the frontmatter is not valid YAML: %v", err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the frontmatter is not a YAML mapping")
	}
	budget := maxFrontmatterNodes
	v, err := yamlValue(root.Content[0], &budget)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// yamlValue converts a YAML node to the JSON value it stands for.
func yamlValue(n *yaml.Node, budget *int) (any, error) {
	if *budget--; *budget < 0 {
		return nil, errors.New("the frontmatter is too large (more than 10000 YAML nodes, aliases expanded)")
	}
	switch n.Kind {
	case yaml.AliasNode:
		return yamlValue(n.Alias, budget)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := yamlValue(n.Content[i+1], budget)
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValue(c, budget)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		err := n.Decode(&b)
		return b, err
	case "!!int", "!!float":
		var f float64
		err := n.Decode(&f)
		return f, err
	}
	return n.Value, nil
}

// frontmatterDiff compares the entry's frontmatter with the one SKILL.md
// carries, field by field, and describes each difference; none means
// they agree.
func frontmatterDiff(entry, file map[string]any) []string {
	keys := map[string]bool{}
	for k := range entry {
		keys[k] = true
	}
	for k := range file {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var diffs []string
	for _, k := range names {
		ev, inEntry := entry[k]
		fv, inFile := file[k]
		switch {
		case !inFile:
			diffs = append(diffs, fmt.Sprintf("field %q: the entry has %s, SKILL.md has no such field", k, showJSON(ev)))
		case !inEntry:
			diffs = append(diffs, fmt.Sprintf("field %q: SKILL.md has %s, the entry has no such field", k, showJSON(fv)))
		case !reflect.DeepEqual(normalJSON(ev), fv):
			diffs = append(diffs, fmt.Sprintf("field %q: the entry has %s, SKILL.md has %s", k, showJSON(ev), showJSON(fv)))
		}
	}
	return diffs
}

// normalJSON makes a value decoded from JSON comparable with yamlValue's:
// numbers as float64.
func normalJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = normalJSON(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = normalJSON(e)
		}
		return s
	}
	return v
}

func showJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return clip(string(b), 120)
}

package flow

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// SkillsExtension identifies the Skills extension in a server's
// capabilities.extensions (SEP-2640 §Extension Identifier).
const SkillsExtension = "io.modelcontextprotocol/skills"

// The skills methods: two of the extension (SEP-2640 §Listing Skills,
// §Getting a Skill) and mcpwalk's own load, which fetches and verifies a
// skill's files with resources/read (§Integrity and Verification).
const (
	MethodSkillsList = "skills/list"
	MethodSkillsGet  = "skills/get"
	MethodSkillsLoad = "skills/load"
)

// Skill is one skill entry, the same in skills/list and skills/get
// (SEP-2640 §Skill Entries).
type Skill struct {
	// URI (`uri`, required) is the resource URI of the skill's SKILL.md,
	// whose final path segment before /SKILL.md is the skill's name
	// (§Skill URIs, §Resource Mapping).
	URI string `json:"uri"`
	// Frontmatter (`frontmatter`, required) is the SKILL.md YAML
	// frontmatter rendered verbatim as a JSON object; `name` and
	// `description` are always present (§Frontmatter).
	Frontmatter map[string]any `json:"frontmatter"`
	// Resources (`resources`, required) lists every file of the skill, or
	// is "dynamic" (§Resources).
	Resources SkillResources `json:"resources"`
}

// SkillResources is a skill's `resources`: a complete list of its files,
// SKILL.md included, or the string "dynamic" when the content is generated
// and no stable digests exist (SEP-2640 §Resources). Anything else, or
// nothing, makes the entry invalid.
type SkillResources struct {
	// Files is the list; nil when Dynamic, absent or invalid.
	Files []SkillResource
	// Dynamic is set for "dynamic": no content integrity is offered.
	Dynamic bool
	// Invalid is what the server sent when it is neither a list nor
	// "dynamic" (nil when `resources` was absent).
	Invalid json.RawMessage
}

// Absent reports whether the entry had no `resources` at all.
func (r SkillResources) Absent() bool { return r.Files == nil && !r.Dynamic && r.Invalid == nil }

// UnmarshalJSON accepts a list or "dynamic" and keeps anything else as Invalid.
func (r *SkillResources) UnmarshalJSON(b []byte) error {
	*r = SkillResources{}
	t := bytes.TrimSpace(b)
	switch {
	case string(t) == `"dynamic"`:
		r.Dynamic = true
	case len(t) > 0 && t[0] == '[':
		files := []SkillResource{}
		if err := json.Unmarshal(t, &files); err != nil {
			return fmt.Errorf("resources: %v", err)
		}
		r.Files = files
	default:
		r.Invalid = append(json.RawMessage(nil), t...)
	}
	return nil
}

// MarshalJSON writes the form the server sent.
func (r SkillResources) MarshalJSON() ([]byte, error) {
	switch {
	case r.Dynamic:
		return []byte(`"dynamic"`), nil
	case r.Files != nil:
		return json.Marshal(r.Files)
	case r.Invalid != nil:
		return r.Invalid, nil
	}
	return []byte("null"), nil
}

// SkillResource is one file of a skill (SEP-2640 §Skill Entries,
// SkillResource).
type SkillResource struct {
	// URI (`uri`, required) is the file's resource URI, the skill's
	// SKILL.md or a file within the skill's directory.
	URI string `json:"uri"`
	// Digest (`digest`, required) is "sha256:" and 64 lowercase hex digits
	// of the file's raw bytes (§Integrity and Verification).
	Digest string `json:"digest"`
	// Size (`size`, required) is the length in bytes of those raw bytes;
	// nil when absent.
	Size *int64 `json:"size"`
}

// listSkillsResult is one page of skills/list (SEP-2640 §Listing Skills):
// entries stay raw so that one malformed entry does not hide the others.
type listSkillsResult struct {
	Skills     []json.RawMessage `json:"skills"`
	NextCursor string            `json:"nextCursor,omitempty"`
	ResultType string            `json:"resultType,omitempty"`
	TTLMs      *float64          `json:"ttlMs,omitempty"`
	CacheScope string            `json:"cacheScope,omitempty"`
}

// getSkillResult is the result of skills/get (SEP-2640 §Getting a Skill).
type getSkillResult struct {
	Skill      json.RawMessage `json:"skill"`
	ResultType string          `json:"resultType,omitempty"`
	TTLMs      *float64        `json:"ttlMs,omitempty"`
	CacheScope string          `json:"cacheScope,omitempty"`
}

// heldSkill is an entry the engine holds for later loads, and the call it
// came from (SEP-2640 §The Acting Window and the Held Entry).
type heldSkill struct {
	skill Skill
	from  string
}

package flow

import (
	"regexp"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Where the skills rules are written (SEP-2640, the Skills extension).
const (
	specSkillCaps        = "SEP-2640 §Capability Negotiation"
	specSkillEntry       = "SEP-2640 §Skill Entries"
	specSkillMapping     = "SEP-2640 §Resource Mapping"
	specSkillResources   = "SEP-2640 §Skill Entries, Resources"
	specSkillLimits      = "SEP-2640 §Skill Entries, Limits"
	specSkillList        = "SEP-2640 §Listing Skills"
	specSkillGet         = "SEP-2640 §Getting a Skill"
	specSkillVerify      = "SEP-2640 §Integrity and Verification, Verification on Read"
	specSkillFrontmatter = "SEP-2640 §Integrity and Verification, Frontmatter Verification"
)

// The per-skill limits every host must accept (SEP-2640 §Limits).
const (
	maxSkillResources = 512
	maxSkillBytes     = 16 << 20
)

const (
	skillFile = "/SKILL.md"
	// digestPrefix starts every digest: SHA-256 is the only algorithm.
	digestPrefix = "sha256:"
)

var (
	digestPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	// skillName is the Agent Skills naming rule: 1-64 lowercase letters,
	// digits and single hyphens, neither first nor last.
	skillName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// skillRoot is the skill's directory URI (its SKILL.md URI without
// /SKILL.md) and its final segment, the skill's name by §Resource Mapping.
func skillRoot(uri string) (root, name string, ok bool) {
	root, found := strings.CutSuffix(uri, skillFile)
	if !found {
		return "", "", false
	}
	_, path, hasScheme := strings.Cut(root, "://")
	if !hasScheme {
		path = root
	}
	name = path[strings.LastIndex(path, "/")+1:]
	return root, name, name != ""
}

// checkEntry validates an entry from what it says alone, before any file
// of it is read. The entry is loadable when none of the checks fails.
func checkEntry(sk Skill) (cs check.List) {
	invalid := func(format string, args ...any) {
		cs.Add(check.New("skills.entry-invalid", check.Fail, specSkillEntry,
			"Serve each entry as {uri of SKILL.md, frontmatter with name and description, resources: [{uri, digest, size}] or \"dynamic\"}.",
			format, args...))
	}
	root, last, ok := skillRoot(sk.URI)
	if !ok {
		invalid("skill %q: uri must be the URI of the skill's SKILL.md (…/<name>/SKILL.md)", sk.URI)
	}
	name, _ := sk.Frontmatter["name"].(string)
	desc, _ := sk.Frontmatter["description"].(string)
	switch {
	case sk.Frontmatter == nil:
		invalid("skill %q: no frontmatter object", sk.URI)
	case name == "" || desc == "":
		invalid("skill %q: frontmatter must carry name and description as strings", sk.URI)
	}
	if ok && name != "" && name != last {
		cs.Add(check.New("skills.name-mismatch", check.Fail, specSkillMapping,
			"Serve the skill under a path whose last segment is its frontmatter name, or rename the skill.",
			"skill %q: the uri's final segment is %q but frontmatter.name is %q", sk.URI, last, name))
	}
	if name != "" && (len(name) > 64 || !skillName.MatchString(name)) || len(desc) > 1024 {
		cs.Add(check.New("skills.name-rules", check.Warn, specSkillMapping+"; Agent Skills specification, name and description fields",
			"Use 1-64 lowercase letters, digits and single hyphens for the name, and at most 1024 characters of description.",
			"skill %q: name %q or its description breaks the Agent Skills naming rules", sk.URI, name))
	}
	switch r := sk.Resources; {
	case r.Absent():
		invalid("skill %q: no resources (an array of files or \"dynamic\" is required)", sk.URI)
		return cs
	case r.Invalid != nil:
		invalid("skill %q: resources is %s, neither an array nor \"dynamic\"", sk.URI, clip(string(r.Invalid), 40))
		return cs
	case r.Dynamic:
		cs.Add(check.New("skills.dynamic", check.Info, specSkillResources, "",
			"skill %q: resources is \"dynamic\": its content has no digests, so nothing read can be verified", sk.URI))
		return cs
	}
	seen := map[string]bool{}
	var total int64
	for _, f := range sk.Resources.Files {
		switch {
		case f.URI == "":
			invalid("skill %q: a resource without uri", sk.URI)
			continue
		case seen[f.URI]:
			invalid("skill %q: %s is listed twice", sk.URI, f.URI)
		case f.URI != sk.URI && (root == "" || !strings.HasPrefix(f.URI, root+"/") || escapes(f.URI[len(root):])):
			invalid("skill %q: %s is not a file within the skill's directory %s/", sk.URI, f.URI, root)
		}
		seen[f.URI] = true
		if !digestPattern.MatchString(f.Digest) {
			invalid("skill %q: %s has digest %q, not sha256: and 64 lowercase hex digits", sk.URI, f.URI, f.Digest)
		}
		if f.Size == nil || *f.Size < 0 {
			invalid("skill %q: %s has no valid size", sk.URI, f.URI)
		} else {
			total += *f.Size
		}
	}
	if !seen[sk.URI] {
		invalid("skill %q: resources does not list the SKILL.md itself", sk.URI)
	}
	if n := len(sk.Resources.Files); n > maxSkillResources || total > maxSkillBytes {
		cs.Add(check.New("skills.limits", check.Warn, specSkillLimits,
			"Keep a skill within 512 files and 16 MiB; split larger ones.",
			"skill %q: %d files, %d bytes in all; hosts need accept only %d files and %d bytes", sk.URI, n, total, maxSkillResources, maxSkillBytes))
	}
	return cs
}

// escapes reports whether a path climbs out of its directory with . or ..
// segments.
func escapes(path string) bool {
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

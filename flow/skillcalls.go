package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// isSkillsMethod reports whether method belongs to the Skills extension
// (or is mcpwalk's skills/load built on it).
func isSkillsMethod(method string) bool { return strings.HasPrefix(method, "skills/") }

// skillsDeclared reports whether the server declared the Skills extension.
func (e *Engine) skillsDeclared() bool {
	caps := e.session.InitializeResult().Capabilities
	if caps == nil || caps.Extensions == nil {
		return false
	}
	_, ok := caps.Extensions[SkillsExtension]
	return ok
}

// doSkills makes one skills call in step s. Clients send skills/* only to
// a server that declared the extension (SEP-2640 §Capability Negotiation).
func (e *Engine) doSkills(ctx context.Context, s *stepCtx, c Call) (any, string, error) {
	if !e.skillsDeclared() {
		s.add(check.New("skills.not-declared", check.Fail, specSkillCaps,
			"Declare capabilities.extensions[\""+SkillsExtension+"\"] (an empty object will do) in the server's capabilities.",
			"the server does not declare the %s extension, so %s is not sent", SkillsExtension, c.Method))
		return nil, "not sent: the extension is not declared", nil
	}
	if e.session.InitializeResult().Capabilities.Resources == nil {
		s.add(check.New("skills.no-resources-capability", check.Warn, specSkillCaps,
			"Declare the resources capability: skill files are read with resources/read.",
			"the server declares %s without the resources capability, which the extension requires", SkillsExtension))
	}
	switch c.Method {
	case MethodSkillsList:
		return e.listSkills(ctx, s)
	case MethodSkillsGet:
		sk, res, err := e.getSkill(ctx, s, c.URI)
		if err != nil {
			return nil, "", err
		}
		return res, fmt.Sprintf("skill %q (%s)", sk.Frontmatter["name"], describeResources(sk.Resources)), nil
	case MethodSkillsLoad:
		return e.loadSkill(ctx, s, c.URI, c.AllFiles)
	}
	return nil, "", fmt.Errorf("unsupported method %q (supported: %s, %s, %s)", c.Method, MethodSkillsList, MethodSkillsGet, MethodSkillsLoad)
}

// listSkills pages through skills/list, validates every entry and holds
// the entries for later loads. It reads no file of any skill: hosts
// retrieve nothing ahead of need (SEP-2640 §Lazy Retrieval).
func (e *Engine) listSkills(ctx context.Context, s *stepCtx) (any, string, error) {
	var out listSkillsResult
	err := paginate(func(cur string) (string, error) {
		params := map[string]any{}
		if cur != "" {
			params["cursor"] = cur
		}
		raw, err := e.rawCall(ctx, MethodSkillsList, params)
		if err != nil {
			return "", err
		}
		var page listSkillsResult
		if err := json.Unmarshal(raw, &page); err != nil || page.Skills == nil {
			return "", fmt.Errorf("the skills/list result is not {\"skills\": [...]} (%s)", clip(string(raw), 80))
		}
		if out.Skills == nil {
			out = page
			out.NextCursor = ""
			checkCacheable(s, MethodSkillsList, specSkillList, page.ResultType, page.TTLMs, page.CacheScope)
		} else {
			out.Skills = append(out.Skills, page.Skills...)
		}
		return page.NextCursor, nil
	})
	if err != nil {
		return nil, "", err
	}
	before := len(s.checks)
	byName := map[string]string{}
	uris := make([]string, 0, len(out.Skills))
	for i, raw := range out.Skills {
		var sk Skill
		if err := json.Unmarshal(raw, &sk); err != nil {
			s.add(check.New("skills.entry-invalid", check.Fail, specSkillEntry, "Serve each entry as {uri, frontmatter, resources}.",
				"skills/list entry %d is not a skill entry: %v", i, err))
			continue
		}
		for _, c := range checkEntry(sk) {
			s.add(c)
		}
		name, _ := sk.Frontmatter["name"].(string)
		if other, dup := byName[name]; dup && name != "" {
			s.add(check.New("skills.duplicate-name", check.Warn, specSkillEntry+", Names",
				"Give each skill of a listing its own name; hosts must tell same-named skills apart by URI.",
				"skills %s and %s are both named %q", other, sk.URI, name))
		}
		byName[name] = sk.URI
		e.hold(sk, MethodSkillsList)
		uris = append(uris, sk.URI)
	}
	if len(s.checks) == before {
		noun := "entries"
		if len(out.Skills) == 1 {
			noun = "entry"
		}
		s.add(check.New("skills.listed", check.Pass, specSkillList, "",
			"%d skill %s, each well formed; no skill file was read (lazy retrieval)", len(out.Skills), noun))
	}
	return out, countSummary(len(uris), "skill", uris), nil
}

// getSkill fetches one entry with skills/get, validates it and holds it.
func (e *Engine) getSkill(ctx context.Context, s *stepCtx, uri string) (Skill, json.RawMessage, error) {
	raw, err := e.rawCall(ctx, MethodSkillsGet, map[string]any{"uri": uri})
	var rpcErr *RPCError
	if errors.As(err, &rpcErr) && rpcErr.Code == -32602 {
		return Skill{}, nil, fail("Check the URI: skills/get takes the URI of a skill's SKILL.md.",
			"skills/get %s: the server serves no such skill (%v)", uri, err)
	}
	if err != nil {
		return Skill{}, nil, err
	}
	var res getSkillResult
	var sk Skill
	if err := json.Unmarshal(raw, &res); err != nil || len(res.Skill) == 0 {
		return Skill{}, nil, fail("Answer skills/get with {\"skill\": {uri, frontmatter, resources}}.",
			"the skills/get result has no skill (%s)", clip(string(raw), 80))
	}
	if err := json.Unmarshal(res.Skill, &sk); err != nil {
		return Skill{}, nil, fail("Answer skills/get with {\"skill\": {uri, frontmatter, resources}}.",
			"the skills/get entry for %s is not a skill entry: %v", uri, err)
	}
	checkCacheable(s, MethodSkillsGet, specSkillGet, res.ResultType, res.TTLMs, res.CacheScope)
	if sk.URI != uri {
		s.add(check.New("skills.entry-invalid", check.Fail, specSkillGet, "Return the entry of the skill asked for.",
			"skills/get %s returned the entry of %q", uri, sk.URI))
	}
	for _, c := range checkEntry(sk) {
		s.add(c)
	}
	if sk.URI == uri {
		e.hold(sk, MethodSkillsGet)
	}
	return sk, raw, nil
}

// hold keeps an entry for later loads of the same skill in this walk.
func (e *Engine) hold(sk Skill, from string) {
	if sk.URI == "" {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.skills == nil {
		e.skills = map[string]heldSkill{}
	}
	e.skills[sk.URI] = heldSkill{skill: sk, from: from}
}

func (e *Engine) held(uri string) (heldSkill, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	h, ok := e.skills[uri]
	return h, ok
}

// checkCacheable checks the fields every skills result carries: resultType
// "complete", ttlMs and cacheScope.
func checkCacheable(s *stepCtx, method, spec, resultType string, ttl *float64, scope string) {
	var missing []string
	if resultType != "complete" {
		missing = append(missing, fmt.Sprintf("resultType %q (want \"complete\")", resultType))
	}
	if ttl == nil {
		missing = append(missing, "ttlMs")
	}
	if scope == "" {
		missing = append(missing, "cacheScope")
	}
	if len(missing) > 0 {
		s.add(check.New("skills.result-fields", check.Warn, spec,
			"Set resultType \"complete\", ttlMs and cacheScope on every skills result.",
			"the %s result lacks %s", method, strings.Join(missing, ", ")))
	}
}

func describeResources(r SkillResources) string {
	switch {
	case r.Dynamic:
		return "dynamic resources"
	case r.Files != nil:
		return fmt.Sprintf("%d file(s)", len(r.Files))
	}
	return "no valid resources"
}

package flow

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

func checkIDs(r StepResult, st check.Status) []string {
	var ids []string
	for _, c := range r.Checks {
		if c.Status == st {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func TestSkillsList(t *testing.T) {
	three := func(sf *skillFake) []map[string]any {
		sf.files = pdfFiles()
		sf.files["skill://git-workflow/SKILL.md"] = "---\nname: git-workflow\ndescription: Branches\n---\n"
		sf.files["skill://acme/billing/refunds/SKILL.md"] = "---\nname: refunds\ndescription: Refunds\n---\n"
		return []map[string]any{
			sf.entryFor(pdfSkill, pdfFrontmatter(), pdfSkill, pdfForms),
			sf.entryFor("skill://git-workflow/SKILL.md", map[string]any{"name": "git-workflow", "description": "Branches"}, "skill://git-workflow/SKILL.md"),
			sf.entryFor("skill://acme/billing/refunds/SKILL.md", map[string]any{"name": "refunds", "description": "Refunds"}, "skill://acme/billing/refunds/SKILL.md"),
		}
	}
	for _, tt := range []struct {
		name     string
		sse      bool
		pageSize int
		version  string
		stateful bool
	}{
		{name: "JSON, one page, 2026-07-28", version: "2026-07-28"},
		{name: "event stream, pages of one, 2026-07-28", sse: true, pageSize: 1, version: "2026-07-28"},
		{name: "JSON, pages of two, 2025-11-25 (session id, no _meta)", pageSize: 2, version: "2025-11-25", stateful: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sf := &skillFake{sse: tt.sse, pageSize: tt.pageSize, stateful: tt.stateful}
			sf.entries = three(sf)
			h, _ := connectSkills(t, sf, Config{ProtocolVersion: tt.version, Elicitation: ElicitDefaults})
			raw, err := h.e.Call(context.Background(), Call{Method: MethodSkillsList, Optional: true})
			if err != nil {
				t.Fatalf("skills/list: %v", err)
			}
			var got struct {
				Skills []Skill `json:"skills"`
			}
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			var uris []string
			for _, s := range got.Skills {
				uris = append(uris, s.URI)
			}
			want := []string{pdfSkill, "skill://git-workflow/SKILL.md", "skill://acme/billing/refunds/SKILL.md"}
			if diff := cmp.Diff(want, uris); diff != "" {
				t.Errorf("listed skills (-want +got):\n%s", diff)
			}
			if r := h.step(t, "calls:skills/list"); r.Status != StatusPass || !hasCheck(r, "skills.listed", check.Pass) {
				t.Errorf("calls:skills/list = %s %v", r.Status, r.Checks)
			}
			if reads := sf.readsSoFar(); len(reads) != 0 {
				t.Errorf("listing read %v; it must read no skill file", reads)
			}
			reqs := sf.requests()
			pages := 1
			if tt.pageSize > 0 {
				pages = (3 + tt.pageSize - 1) / tt.pageSize
			}
			if len(reqs) != pages {
				t.Fatalf("%d skills/list requests, want %d pages", len(reqs), pages)
			}
			version := h.e.negotiatedVersion()
			if version != tt.version {
				t.Fatalf("negotiated %q, asked for %q: the case does not test what it says", version, tt.version)
			}
			for i, r := range reqs {
				if i > 0 && r.params["cursor"] == nil {
					t.Errorf("page %d was asked without a cursor", i+1)
				}
				if !strings.HasPrefix(r.header.Get("Authorization"), "Bearer ") {
					t.Errorf("page %d: Authorization %q, want the walk's bearer token", i+1, r.header.Get("Authorization"))
				}
				if got := r.header.Get("MCP-Protocol-Version"); got != version {
					t.Errorf("page %d: MCP-Protocol-Version %q, want the negotiated %q", i+1, got, version)
				}
				meta, _ := r.params["_meta"].(map[string]any)
				if version >= "2026-07-28" && i == 0 {
					// The SDK's own first request carries the same _meta.
					var discover struct {
						Params struct {
							Meta map[string]any `json:"_meta"`
						} `json:"params"`
					}
					_ = json.Unmarshal([]byte(h.step(t, "connect").Exchanges[0].RequestBody), &discover)
					if diff := cmp.Diff(discover.Params.Meta, meta); diff != "" || meta == nil {
						t.Errorf("_meta differs from the SDK's on server/discover (-sdk +raw):\n%s", diff)
					}
				}
				if version >= "2026-07-28" {
					info, _ := meta["io.modelcontextprotocol/clientInfo"].(map[string]any)
					if meta["io.modelcontextprotocol/protocolVersion"] != version || info["name"] != "mcpwalk" ||
						meta["io.modelcontextprotocol/clientCapabilities"] == nil || r.header.Get("Mcp-Method") != MethodSkillsList {
						t.Errorf("page %d: _meta %v, Mcp-Method %q: want the SEP-2575 triple and the method header", i+1, meta, r.header.Get("Mcp-Method"))
					}
				} else {
					if meta != nil || r.header.Get("Mcp-Session-Id") != h.e.Session().ID() || h.e.Session().ID() == "" {
						t.Errorf("page %d: _meta %v, Mcp-Session-Id %q (session %q): want no _meta and the session id", i+1, meta, r.header.Get("Mcp-Session-Id"), h.e.Session().ID())
					}
				}
			}
		})
	}
}

func TestSkillsListEntryProblems(t *testing.T) {
	sf := &skillFake{files: pdfFiles()}
	good := sf.entryFor(pdfSkill, pdfFrontmatter(), pdfSkill)
	wrongName := sf.entryFor("skill://other/SKILL.md", map[string]any{"name": "pdf-processing", "description": "x"})
	wrongName["resources"] = []any{map[string]any{"uri": "skill://other/SKILL.md", "digest": digestOf(nil), "size": 0}}
	sf.entries = []map[string]any{good, wrongName, {"uri": "skill://nores/SKILL.md", "frontmatter": map[string]any{"name": "nores", "description": "x"}}}
	h, _ := connectSkills(t, sf, Config{})
	if _, err := h.e.Call(context.Background(), Call{Method: MethodSkillsList}); err == nil {
		t.Fatal("skills/list with invalid entries: want the step to fail")
	}
	r := h.step(t, "calls:skills/list")
	want := []string{"skills.name-mismatch", "skills.entry-invalid"}
	if diff := cmp.Diff(want, checkIDs(r, check.Fail)); diff != "" {
		t.Errorf("failing checks (-want +got):\n%s", diff)
	}
	if !hasCheck(r, "skills.duplicate-name", check.Warn) {
		t.Errorf("want skills.duplicate-name for two skills named pdf-processing: %v", r.Checks)
	}
}

func TestSkillsGet(t *testing.T) {
	sf := &skillFake{}
	h, _ := connectSkills(t, sf, Config{})
	ctx := context.Background()
	raw, err := h.e.Call(ctx, Call{Method: MethodSkillsGet, URI: pdfSkill})
	if err != nil {
		t.Fatalf("skills/get: %v", err)
	}
	var res struct {
		Skill Skill `json:"skill"`
	}
	if err := json.Unmarshal(raw, &res); err != nil || res.Skill.URI != pdfSkill || len(res.Skill.Resources.Files) != 3 {
		t.Errorf("skills/get result %s (%v)", raw, err)
	}
	if _, err := h.e.Call(ctx, Call{Method: MethodSkillsGet, URI: "skill://nope/SKILL.md"}); err == nil {
		t.Fatal("skills/get of an unknown skill: want an error")
	}
	if r := h.e.Results()[len(h.e.Results())-1]; r.Status != StatusFail || !strings.Contains(r.Error, "-32602") {
		t.Errorf("unknown skill: step %s %q, want a failure naming -32602", r.Status, r.Error)
	}
	if reads := sf.readsSoFar(); len(reads) != 0 {
		t.Errorf("skills/get read %v", reads)
	}
}

func TestSkillsNotDeclared(t *testing.T) {
	sf := &skillFake{noExtension: true}
	h, _ := connectSkills(t, sf, Config{})
	ctx := context.Background()
	if raw, err := h.e.Call(ctx, Call{Method: MethodSkillsList, Optional: true}); err != nil || raw != nil {
		t.Errorf("optional skills/list without the extension: %s, %v; want it skipped", raw, err)
	}
	if r := h.step(t, "calls:skills/list"); r.Status != StatusSkip {
		t.Errorf("calls:skills/list = %s, want skip", r.Status)
	}
	if _, err := h.e.Call(ctx, Call{Method: MethodSkillsLoad, URI: pdfSkill}); err == nil {
		t.Error("skills/load without the extension: want a failure")
	}
	if r := h.e.Results()[len(h.e.Results())-1]; !hasCheck(r, "skills.not-declared", check.Fail) {
		t.Errorf("want skills.not-declared: %v", r.Checks)
	}
	if n := len(sf.requests()); n != 0 || len(sf.readsSoFar()) != 0 {
		t.Errorf("%d skills request(s) and reads %v sent to a server without the extension", n, sf.readsSoFar())
	}
}

// A token rejected mid-session (401) goes through the OAuth handler, as
// with the SDK's own requests, and the request is retried once.
func TestSkillsRawCallReauthorizes(t *testing.T) {
	sf := &skillFake{rejectFirst: true}
	h, f := connectSkills(t, sf, Config{})
	tokensBefore := len(f.tokenReq)
	if _, err := h.e.Call(context.Background(), Call{Method: MethodSkillsList}); err != nil {
		t.Fatalf("skills/list after a 401: %v (%v)", err, stepIDs(h.e.Results()))
	}
	reqs := sf.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d skills/list requests, want the rejected one and one retry", len(reqs))
	}
	if a, b := reqs[0].header.Get("Authorization"), reqs[1].header.Get("Authorization"); a == b || b == "" {
		t.Errorf("the retry carried %q after %q was rejected; want a new token", b, a)
	}
	if len(f.tokenReq) != tokensBefore+1 {
		t.Errorf("%d token requests after the 401, want one more than %d", len(f.tokenReq), tokensBefore)
	}
}

// check's calls list the skills and never read a skill file.
func TestSkillsCheckDoesNotPrefetch(t *testing.T) {
	sf := &skillFake{files: pdfFiles()}
	f := (&fake{mcp: sf.handler()}).start(t)
	h := newHarness(t, Config{ServerURL: f.url(), Headless: true, Calls: []Call{
		{Method: "tools/list", Optional: true}, {Method: "resources/list", Optional: true},
		{Method: "prompts/list", Optional: true}, {Method: MethodSkillsList, Optional: true},
	}})
	if err := h.e.Run(context.Background()); err != nil {
		t.Fatalf("run: %v (%v)", err, stepIDs(h.e.Results()))
	}
	if len(sf.requests()) != 1 {
		t.Errorf("%d skills requests, want one skills/list", len(sf.requests()))
	}
	if reads := sf.readsSoFar(); len(reads) != 0 {
		t.Errorf("the walk read %v; skill files are read only when a skill is loaded", reads)
	}
}

func TestSkillsWithoutResourcesCapability(t *testing.T) {
	sf := &skillFake{noResources: true, files: map[string]string{}}
	sf.entries = []map[string]any{{"uri": pdfSkill, "frontmatter": pdfFrontmatter(), "resources": "dynamic"}}
	h, _ := connectSkills(t, sf, Config{})
	if _, err := h.e.Call(context.Background(), Call{Method: MethodSkillsList, Optional: true}); err != nil {
		t.Fatal(err)
	}
	r := h.step(t, "calls:skills/list")
	if r.Status != StatusWarn || !hasCheck(r, "skills.no-resources-capability", check.Warn) || !hasCheck(r, "skills.dynamic", check.Info) {
		t.Errorf("calls:skills/list = %s %v; want the missing resources capability warned about", r.Status, r.Checks)
	}
}

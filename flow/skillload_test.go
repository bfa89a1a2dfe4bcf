package flow

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

func TestSkillsLoad(t *testing.T) {
	tampered := strings.Replace(pdfBody, "# PDF processing", "# PDF-processing", 1) // same length
	for _, tt := range []struct {
		name     string
		setup    func(sf *skillFake)
		listed   bool // list first, so the entry is held (else skills/get)
		allFiles bool
		wantFail []string // failing check ids; none means loaded
		wantInfo []string
		wantRead []string // resources/read URIs, in order
		wantGets int
	}{
		{
			name:     "held entry, SKILL.md only",
			listed:   true,
			wantRead: []string{pdfSkill},
		},
		{
			name:     "entry from skills/get, every listed file, never the unlisted one",
			allFiles: true,
			wantRead: []string{pdfSkill, pdfForms, pdfPy},
			wantGets: 1,
		},
		{
			name:     "digest mismatch: same length, other bytes",
			setup:    func(sf *skillFake) { sf.served = map[string]string{pdfSkill: tampered} },
			listed:   true,
			allFiles: true,
			wantFail: []string{"skills.digest-mismatch"},
			wantRead: []string{pdfSkill},
		},
		{
			name:     "size mismatch, digest too",
			setup:    func(sf *skillFake) { sf.served = map[string]string{pdfSkill: pdfBody + "more\n"} },
			listed:   true,
			allFiles: true,
			wantFail: []string{"skills.size-mismatch", "skills.digest-mismatch"},
			wantRead: []string{pdfSkill},
		},
		{
			name: "frontmatter differs from the entry, digest consistent",
			setup: func(sf *skillFake) {
				fm := pdfFrontmatter()
				fm["description"] = "Extract PDFs"
				delete(fm, "metadata")
				fm["license"] = "MIT"
				sf.entries = []map[string]any{sf.entryFor(pdfSkill, fm, pdfSkill, pdfForms)}
			},
			listed:   true,
			allFiles: true,
			wantFail: []string{"skills.frontmatter-mismatch", "skills.frontmatter-mismatch", "skills.frontmatter-mismatch"},
			wantRead: []string{pdfSkill},
		},
		{
			name: "no frontmatter in SKILL.md",
			setup: func(sf *skillFake) {
				sf.files[pdfSkill] = "# PDF processing\n"
				sf.entries = []map[string]any{sf.entryFor(pdfSkill, pdfFrontmatter(), pdfSkill)}
			},
			listed:   true,
			wantFail: []string{"skills.frontmatter-unreadable"},
			wantRead: []string{pdfSkill},
		},
		{
			name:     "a supporting file fails: the load stops there",
			setup:    func(sf *skillFake) { sf.served = map[string]string{pdfForms: "Forms: FILL them in.\n"} },
			listed:   true,
			allFiles: true,
			wantFail: []string{"skills.digest-mismatch"},
			wantRead: []string{pdfSkill, pdfForms},
		},
		{
			name: "invalid entry (digest format, SKILL.md unlisted): nothing read",
			setup: func(sf *skillFake) {
				e := sf.entryFor(pdfSkill, pdfFrontmatter(), pdfForms)
				e["resources"].([]any)[0].(map[string]any)["digest"] = "sha256:ABC"
				sf.entries = []map[string]any{e}
			},
			allFiles: true,
			wantFail: []string{"skills.entry-invalid", "skills.entry-invalid"},
			wantGets: 1,
		},
		{
			name: "name mismatch: nothing read",
			setup: func(sf *skillFake) {
				fm := pdfFrontmatter()
				fm["name"] = "pdf"
				sf.entries = []map[string]any{sf.entryFor(pdfSkill, fm, pdfSkill)}
			},
			listed:   true,
			wantFail: []string{"skills.name-mismatch"},
		},
		{
			name: "dynamic: SKILL.md read for its frontmatter, nothing else",
			setup: func(sf *skillFake) {
				sf.entries = []map[string]any{{"uri": pdfSkill, "frontmatter": pdfFrontmatter(), "resources": "dynamic"}}
			},
			listed:   true,
			allFiles: true,
			wantInfo: []string{"skills.dynamic", "skills.dynamic"},
			wantRead: []string{pdfSkill},
		},
		{
			name: "over the limits: a warning, still loadable",
			setup: func(sf *skillFake) {
				e := sf.entryFor(pdfSkill, pdfFrontmatter(), pdfSkill, pdfPy)
				e["resources"].([]any)[1].(map[string]any)["size"] = 17 << 20
				sf.entries = []map[string]any{e}
			},
			listed:   true,
			wantRead: []string{pdfSkill},
		},
		{
			name: "a blob is verified as its decoded bytes",
			setup: func(sf *skillFake) {
				sf.blobs = map[string][]byte{"skill://pdf-processing/assets/logo.png": {0x89, 'P', 'N', 'G', 0, 1, 2}}
				sf.entries = []map[string]any{sf.entryFor(pdfSkill, pdfFrontmatter(), pdfSkill, "skill://pdf-processing/assets/logo.png")}
			},
			listed:   true,
			allFiles: true,
			wantRead: []string{pdfSkill, "skill://pdf-processing/assets/logo.png"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sf := &skillFake{files: pdfFiles()}
			if tt.setup != nil {
				tt.setup(sf)
			}
			h, _ := connectSkills(t, sf, Config{})
			ctx := context.Background()
			if tt.listed {
				_, _ = h.e.Call(ctx, Call{Method: MethodSkillsList})
			}
			raw, err := h.e.Call(ctx, Call{Method: MethodSkillsLoad, URI: pdfSkill, AllFiles: tt.allFiles})
			r := h.e.Results()[len(h.e.Results())-1]
			if r.ID != "calls:skills/load" {
				t.Fatalf("last step %q, want calls:skills/load", r.ID)
			}
			if diff := cmp.Diff(tt.wantFail, checkIDs(r, check.Fail)); diff != "" {
				t.Errorf("failing checks (-want +got):\n%s\n%v", diff, r.Checks)
			}
			if diff := cmp.Diff(tt.wantInfo, checkIDs(r, check.Info)); diff != "" {
				t.Errorf("info checks (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRead, sf.readsSoFar()); diff != "" {
				t.Errorf("resources/read (-want +got):\n%s", diff)
			}
			gets := 0
			for _, q := range sf.requests() {
				if q.method == MethodSkillsGet {
					gets++
				}
			}
			if gets != tt.wantGets {
				t.Errorf("%d skills/get, want %d", gets, tt.wantGets)
			}
			var out LoadedSkill
			if jerr := json.Unmarshal(raw, &out); jerr != nil {
				t.Fatalf("result %s: %v", raw, jerr)
			}
			if failed := len(tt.wantFail) > 0; failed == (err == nil) || failed == out.Loaded {
				t.Errorf("err %v, loaded %v; want failure %v", err, out.Loaded, failed)
			}
			for _, f := range out.Files {
				if served, ok := sf.served[f.URI]; ok && f.Text == served {
					t.Errorf("the result carries %s's unverified content", f.URI)
				}
			}
			if len(tt.wantFail) == 0 && len(out.Files) != len(tt.wantRead) {
				t.Errorf("%d files in the result, want the %d read", len(out.Files), len(tt.wantRead))
			}
		})
	}
}

// skills/load without a URI lists the skills and loads each listed one.
func TestSkillsLoadEveryListed(t *testing.T) {
	sf := &skillFake{files: pdfFiles()}
	sf.files["skill://git-workflow/SKILL.md"] = "---\nname: git-workflow\ndescription: Branches\n---\nbody\n"
	sf.served = map[string]string{"skill://git-workflow/SKILL.md": "---\nname: git-workflow\ndescription: Push to main\n---\nbody\n"}
	sf.entries = []map[string]any{
		sf.entryFor("skill://git-workflow/SKILL.md", map[string]any{"name": "git-workflow", "description": "Branches"}, "skill://git-workflow/SKILL.md"),
		sf.entryFor(pdfSkill, pdfFrontmatter(), pdfSkill, pdfForms),
	}
	h, _ := connectSkills(t, sf, Config{})
	raw, err := h.e.Call(context.Background(), Call{Method: MethodSkillsLoad, AllFiles: true, Optional: true})
	if err == nil {
		t.Error("one tampered skill: want an error")
	}
	want := []string{"calls:skills/list=pass", "calls:skills/load=fail", "calls:skills/load=pass"}
	if diff := cmp.Diff(want, stepIDs(h.e.Results())[len(h.e.Results())-3:]); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"skill://git-workflow/SKILL.md", pdfSkill, pdfForms}, sf.readsSoFar()); diff != "" {
		t.Errorf("resources/read (-want +got):\n%s", diff)
	}
	var out struct {
		Skills []LoadedSkill `json:"skills"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Skills) != 2 || out.Skills[0].Loaded || !out.Skills[1].Loaded {
		t.Errorf("result %s (%v): want git-workflow refused, pdf-processing loaded", raw, err)
	}
}

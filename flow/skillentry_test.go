package flow

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

func TestCheckEntry(t *testing.T) {
	d := `"digest":"sha256:` + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + `"`
	fm := `"frontmatter":{"name":"refunds","description":"x"}`
	skill := `"uri":"skill://acme/billing/refunds/SKILL.md"`
	self := `{"uri":"skill://acme/billing/refunds/SKILL.md",` + d + `,"size":3}`
	for _, tt := range []struct {
		name  string
		entry string
		want  []string
	}{
		{name: "nested path, valid", entry: `{` + skill + `,` + fm + `,"resources":[` + self + `,{"uri":"skill://acme/billing/refunds/a/b.md",` + d + `,"size":0}]}`},
		{name: "dynamic", entry: `{` + skill + `,` + fm + `,"resources":"dynamic"}`, want: []string{"skills.dynamic"}},
		{name: "resources absent", entry: `{` + skill + `,` + fm + `}`, want: []string{"skills.entry-invalid"}},
		{name: "resources an object", entry: `{` + skill + `,` + fm + `,"resources":{}}`, want: []string{"skills.entry-invalid"}},
		{name: "uri not a SKILL.md", entry: `{"uri":"skill://refunds/README.md",` + fm + `,"resources":"dynamic"}`, want: []string{"skills.entry-invalid", "skills.dynamic"}},
		{name: "no description", entry: `{` + skill + `,"frontmatter":{"name":"refunds"},"resources":"dynamic"}`, want: []string{"skills.entry-invalid", "skills.dynamic"}},
		{name: "name rules", entry: `{"uri":"skill://Re--funds/SKILL.md","frontmatter":{"name":"Re--funds","description":"x"},"resources":"dynamic"}`, want: []string{"skills.name-rules", "skills.dynamic"}},
		{
			name:  "outside the skill, escaping with .., listed twice, no size",
			entry: `{` + skill + `,` + fm + `,"resources":[` + self + `,` + self + `,{"uri":"skill://acme/billing/other.md",` + d + `,"size":1},{"uri":"skill://acme/billing/refunds/../x.md",` + d + `,"size":1},{"uri":"skill://acme/billing/refunds/y.md",` + d + `}]}`,
			want:  []string{"skills.entry-invalid", "skills.entry-invalid", "skills.entry-invalid", "skills.entry-invalid"},
		},
		{name: "too many bytes", entry: `{` + skill + `,` + fm + `,"resources":[{"uri":"skill://acme/billing/refunds/SKILL.md",` + d + `,"size":16777217}]}`, want: []string{"skills.limits"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var sk Skill
			if err := json.Unmarshal([]byte(tt.entry), &sk); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range checkEntry(sk) {
				got = append(got, c.ID)
				if c.Status == check.Pass {
					t.Errorf("%s: checkEntry reports problems only", c.ID)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("checks (-want +got):\n%s", diff)
			}
		})
	}
}

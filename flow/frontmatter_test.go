package flow

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFrontmatter(t *testing.T) {
	for _, tt := range []struct {
		name    string
		doc     string
		want    map[string]any
		wantErr string
	}{
		{
			name: "scalars keep their JSON types; a date stays the string written",
			doc:  "---\r\nname: a\ndescription: \"quoted: yes\"\nversion: 2\nratio: 0.5\nbeta: true\nnone: null\nreleased: 2024-05-01\n---\nbody\n",
			want: map[string]any{"name": "a", "description": "quoted: yes", "version": 2.0, "ratio": 0.5, "beta": true, "none": nil, "released": "2024-05-01"},
		},
		{
			name: "nested maps, lists, anchors",
			doc:  "---\nname: a\nbase: &b {x: 1}\nmetadata:\n  tags: [one, two]\n  copy: *b\n---\n",
			want: map[string]any{"name": "a", "base": map[string]any{"x": 1.0}, "metadata": map[string]any{"tags": []any{"one", "two"}, "copy": map[string]any{"x": 1.0}}},
		},
		{name: "no opening line", doc: "name: a\n---\n", wantErr: "does not begin"},
		{name: "no closing line", doc: "---\nname: a\n", wantErr: "no closing"},
		{name: "not a mapping", doc: "---\n- a\n---\n", wantErr: "not a YAML mapping"},
		{name: "not YAML", doc: "---\nname: [a\n---\n", wantErr: "not valid YAML"},
		{
			name:    "alias expansion is bounded",
			doc:     "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n",
			wantErr: "too large",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFrontmatter([]byte(tt.doc))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("frontmatter (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFrontmatterDiff(t *testing.T) {
	entry := map[string]any{"name": "a", "description": "d", "metadata": map[string]any{"v": 1.0}, "license": "MIT"}
	file := map[string]any{"name": "a", "description": "other", "metadata": map[string]any{"v": 1.0}, "extra": true}
	want := []string{
		`field "description": the entry has "d", SKILL.md has "other"`,
		`field "extra": SKILL.md has true, the entry has no such field`,
		`field "license": the entry has "MIT", SKILL.md has no such field`,
	}
	if diff := cmp.Diff(want, frontmatterDiff(entry, file)); diff != "" {
		t.Errorf("differences (-want +got):\n%s", diff)
	}
	if d := frontmatterDiff(entry, entry); d != nil {
		t.Errorf("identical frontmatter: %v", d)
	}
}

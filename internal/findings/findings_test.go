package findings

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	f, ok := Lookup("prm.resource-mismatch")
	if !ok || f.Severity != Error || f.Family() != "prm" {
		t.Fatalf("Lookup = %+v, %v", f, ok)
	}
	if _, ok := Lookup("prm.no-such-thing"); ok {
		t.Error("unknown id found")
	}
	all := All()
	if !slices.IsSortedFunc(all, func(a, b Finding) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("All is not sorted by id")
	}
	if fam := Family("asmeta"); len(fam) == 0 || fam[0].Family() != "asmeta" {
		t.Errorf("Family(asmeta) = %d entries", len(fam))
	}
	if !slices.Contains(Families(), "probes") {
		t.Errorf("Families() = %v", Families())
	}
}

func TestSimilar(t *testing.T) {
	tests := []struct {
		query string
		want  string // must be the first suggestion
	}{
		{"prm.resource-mismatc", "prm.resource-mismatch"},
		{"resource-mismatch", "prm.resource-mismatch"},
		{"asmeta.issuer-missmatch", "asmeta.issuer-mismatch"},
		{"PRM.FOUND", "prm.found"},
		{"token.invalid-client-auth", "token.invalid-client"},
		{"ssrf", "discovery.ssrf-suspicious-url"},
	}
	for _, tt := range tests {
		got := Similar(tt.query, 5)
		if len(got) == 0 || got[0] != tt.want {
			t.Errorf("Similar(%q) = %v, want %s first", tt.query, got, tt.want)
		}
		if len(got) > 5 {
			t.Errorf("Similar(%q) returned %d", tt.query, len(got))
		}
	}
	if got := Similar("zzzzzzzzzzzzzzzzzz", 5); len(got) != 0 {
		t.Errorf("Similar(nonsense) = %v", got)
	}
}

func TestWriteLong(t *testing.T) {
	f, _ := Lookup("asmeta.issuer-mismatch")
	var b bytes.Buffer
	if err := WriteLong(&b, f); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"asmeta.issuer-mismatch — ", "Severity: error", "RFC 8414 §3.3", "Why it exists", "What breaks",
		"Refused by:", "Tolerated by:", "How to fix it", "Auth0:"} {
		if !strings.Contains(out, want) {
			t.Errorf("long explanation lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > width && strings.Contains(strings.TrimSpace(line), " ") {
			t.Errorf("line of %d runes wraps badly: %q", n, line)
		}
	}
}

func TestWriteList(t *testing.T) {
	var b bytes.Buffer
	if err := WriteList(&b, All()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(All()) {
		t.Fatalf("%d lines for %d entries", len(lines), len(All()))
	}
	if !strings.Contains(b.String(), "prm.resource-mismatch") || !strings.Contains(b.String(), "error") {
		t.Errorf("list:\n%s", b.String())
	}
}

func TestClientsSummary(t *testing.T) {
	c := Clients{Refuse: []string{"a", "b"}, Tolerate: []string{"c"}}
	if got, want := c.Summary(), "refused by a, b; tolerated by c"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	if (Clients{}).Summary() != "" {
		t.Error("empty Clients should summarise to nothing")
	}
}

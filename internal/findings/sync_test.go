package findings

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var statusSeverity = map[string]Severity{"Pass": Pass, "Info": Info, "Warn": Warning, "Fail": Error}

func rank(s Severity) int {
	return map[Severity]int{Pass: 0, Info: 1, Warning: 2, Error: 3}[s]
}

// TestRegistryMatchesCode keeps the registry and the code in step: every
// check id the code can emit (and "<step>.failed" for every step) has an
// entry, every entry is emitted somewhere, and each entry's severity is the
// worst status the code gives the id.
func TestRegistryMatchesCode(t *testing.T) {
	scan := scanModule(t)
	if len(scan.emitted) == 0 || len(scan.steps) == 0 {
		t.Fatalf("the scanner found no check ids (%d) or no steps (%d): is it reading the module?", len(scan.emitted), len(scan.steps))
	}
	var problems []string
	for _, u := range scan.unresolved {
		problems = append(problems, fmt.Sprintf("  %s: cannot tell which id %q is — use a string literal or a string constant as the check id", u.pos, u.expr))
	}

	expected := map[string]Severity{} // id → worst severity in the code ("" unknown)
	where := map[string]string{}
	for id, ems := range scan.emitted {
		worst, known := Pass, true
		for _, e := range ems {
			if e.status == "" {
				known = false
				continue
			}
			if s := statusSeverity[e.status]; rank(s) > rank(worst) {
				worst = s
			}
		}
		if !known && worst == Pass {
			worst = ""
		}
		expected[id] = worst
		where[id] = ems[0].pos
	}
	for _, step := range scan.steps {
		id := step + ".failed"
		if _, dup := expected[id]; !dup {
			expected[id] = Error
			where[id] = "internal/report/report.go (a failed step without a failing check)"
		}
	}

	ids := make([]string, 0, len(expected))
	for id := range expected {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		want := expected[id]
		f, ok := Lookup(id)
		if !ok {
			sev := map[Severity]string{Error: "Error", Warning: "Warning", Info: "Info", Pass: "Pass"}[want]
			if sev == "" {
				sev = "Error|Warning|Info"
			}
			file := fmt.Sprintf("internal/findings/findings_%s.go", family(id))
			if len(Family(family(id))) == 0 {
				file += fmt.Sprintf(" (a new family: create it with var %sFindings and list that in families in findings.go)", goName(family(id)))
			}
			problems = append(problems, fmt.Sprintf("  missing  %-40s %s: add Finding{ID: %q, Severity: %s, …} to %s",
				id, where[id], id, sev, file))
			continue
		}
		if want != "" && f.Severity != want {
			problems = append(problems, fmt.Sprintf("  severity %-40s %s: the code's worst status is %s, the entry says %s; update one of them",
				id, where[id], want, f.Severity))
		}
	}
	for _, f := range All() {
		if _, ok := expected[f.ID]; !ok {
			problems = append(problems, fmt.Sprintf("  dead     %-40s no code emits it: delete the entry (or restore the check)", f.ID))
		}
	}
	if len(problems) > 0 {
		t.Errorf("internal/findings and the code disagree (%d):\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

// goName turns a family into a Go identifier prefix ("client-credentials"
// → "clientCredentials").
func goName(fam string) string {
	parts := strings.Split(fam, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func family(id string) string {
	fam, _, _ := strings.Cut(id, ".")
	return fam
}

var idPattern = regexp.MustCompile(`^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$`)

// TestEntriesComplete checks what every entry must say.
func TestEntriesComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, fam := range families {
		for _, f := range fam {
			if seen[f.ID] {
				t.Errorf("%s: duplicate entry", f.ID)
			}
			seen[f.ID] = true
			if !idPattern.MatchString(f.ID) {
				t.Errorf("%s: id does not look like family.name-with-dashes", f.ID)
			}
			if f.Title == "" || f.Why == "" || len(f.Rules) == 0 {
				t.Errorf("%s: needs a Title, Rules and Why", f.ID)
			}
			switch f.Severity {
			case Error, Warning:
				if f.Fix == "" || f.Breaks == "" {
					t.Errorf("%s: a %s needs Breaks and Fix", f.ID, f.Severity)
				}
			case Info, Pass:
			default:
				t.Errorf("%s: severity %q is not error, warning, info or pass", f.ID, f.Severity)
			}
			if f.Severity == Error && len(f.Clients.Refuse)+len(f.Clients.Tolerate) == 0 {
				t.Errorf("%s: an error needs Clients (who refuses it, who tolerates it)", f.ID)
			}
			for _, p := range f.Providers {
				if p.Provider == "" || p.Fix == "" {
					t.Errorf("%s: provider fix %+v is incomplete", f.ID, p)
				}
			}
		}
	}
}

package findings

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/demo"
)

// testdata/coverage.tsv maps every requirement of the shared spec
// checklist (SPEC-CHECKLIST.md: C-xx client side, S-xx server and
// authorization server side, A-xx security best practices, AMB-n
// ambiguities) and every field failure mode (FAILURE-MODES.md: FMn and the
// 2026-07-28 FM-En) to the findings that report it. Columns: item,
// requirement, finding ids, tests, status. TestCoverage keeps the file
// honest; see the file's header for the status vocabulary.

// coverageLabels are the labels the two reference documents use; each must
// have at least one row.
func coverageLabels() []string {
	var out []string
	add := func(format string, from, to int) {
		for i := from; i <= to; i++ {
			out = append(out, fmt.Sprintf(format, i))
		}
	}
	add("C-%02d", 1, 48)
	add("S-%02d", 1, 23)
	add("A-%02d", 1, 12)
	add("AMB-%d", 1, 9)
	add("FM%d", 1, 15)
	add("FM-E%d", 1, 4)
	return out
}

type coverageRow struct {
	line                      int
	item, requirement, status string
	ids, tests                []string
}

func readCoverage(t *testing.T) []coverageRow {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "coverage.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []coverageRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 5 {
			t.Errorf("coverage.tsv:%d: %d tab-separated columns, want 5 (item, requirement, ids, tests, status)", n, len(cols))
			continue
		}
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		rows = append(rows, coverageRow{line: n, item: cols[0], requirement: cols[1],
			ids: dashList(cols[2]), tests: dashList(cols[3]), status: cols[4]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// dashList splits a space-separated column; "-" is the empty list.
func dashList(s string) []string {
	if s == "-" {
		return nil
	}
	return strings.Fields(s)
}

var goPath = regexp.MustCompile(`\b(?:cmd|flow|discovery|internal|tui)(?:/[A-Za-z0-9_.-]+)*/[A-Za-z0-9_]+\.go\b`)

// TestCoverage checks the mapping: every label has a row; every id named
// is in the registry; a covered row names a finding that reports the
// problem (not a pass-only id, not a generic "<step>.failed") and a test
// that shows it; a rule mcpwalk obeys itself names the test that proves
// it; every test and every .go file named exists; no gap is left open
// without a reason.
func TestCoverage(t *testing.T) {
	root, _ := moduleRoot(t)
	tests := testFunctions(t, root)
	faults := map[string]bool{}
	for _, f := range demo.Faults() {
		faults[f.Finding] = true
	}
	rows := readCoverage(t)
	seen := map[string]bool{}
	labels := map[string]bool{}
	counts := map[string]int{}
	var waived []string
	for _, r := range rows {
		at := fmt.Sprintf("coverage.tsv:%d (%s)", r.line, r.item)
		labels[r.item] = true
		if r.item == "" || r.requirement == "" || r.status == "" {
			t.Errorf("%s: item, requirement and status must not be empty", at)
			continue
		}
		if key := r.item + "\x00" + r.requirement; seen[key] {
			t.Errorf("%s: duplicate row %q", at, r.requirement)
		} else {
			seen[key] = true
		}
		for _, id := range r.ids {
			if _, ok := Lookup(id); !ok {
				t.Errorf("%s: %q is not in the registry (internal/findings)", at, id)
			}
		}
		for _, name := range r.tests {
			if fn, _, _ := strings.Cut(name, "/"); tests[fn] == "" {
				t.Errorf("%s: no test function %s in the module", at, fn)
			}
		}
		for _, p := range goPath.FindAllString(r.status, -1) {
			if _, err := os.Stat(filepath.Join(root, p)); err != nil {
				t.Errorf("%s: the status names %s, which does not exist", at, p)
			}
		}
		kind, reason, _ := strings.Cut(r.status, ":")
		reason = strings.TrimSpace(reason)
		counts[kind]++
		switch kind {
		case "covered":
			if !reports(r.ids) {
				t.Errorf("%s: covered by %v, but none of them reports a problem precisely (pass-only or <step>.failed ids)", at, r.ids)
			}
			if !shown(r, tests, faults) {
				t.Errorf("%s: covered by %v, but none of the tests %v names one of them (in its file, or as the finding of a demo fault for TestFaultCatalogue)", at, r.ids, r.tests)
			}
		case "n/a":
			if len(reason) < 12 {
				t.Errorf("%s: n/a needs a reason", at)
			}
			if strings.HasPrefix(reason, "obeyed") && len(r.tests) == 0 {
				t.Errorf("%s: a rule mcpwalk obeys itself must name the test that proves it", at)
			}
		case "gap":
			if reason == "" {
				t.Errorf("%s: open gap: %s", at, r.requirement)
			} else {
				waived = append(waived, fmt.Sprintf("%s %s: %s", r.item, r.requirement, reason))
			}
		default:
			t.Errorf("%s: status %q: want covered, n/a: <why> or gap: <why>", at, r.status)
		}
	}
	for _, l := range coverageLabels() {
		if !labels[l] {
			t.Errorf("coverage.tsv has no row for %s", l)
		}
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, counts[k]))
	}
	sort.Strings(kinds)
	t.Logf("%d rows: %s", len(rows), strings.Join(kinds, ", "))
	for _, w := range waived {
		t.Logf("waived gap: %s", w)
	}
}

// reports says whether ids include one that names a problem: an entry
// whose severity is not pass, other than the generic "<step>.failed".
func reports(ids []string) bool {
	for _, id := range ids {
		f, _ := Lookup(id)
		if f.Severity != Pass && !strings.HasSuffix(id, ".failed") {
			return true
		}
	}
	return false
}

// shown reports whether one of the row's tests shows one of its ids: the
// test's file names the id, or the test walks the demo's fault catalogue
// and a fault there expects the id.
func shown(r coverageRow, tests map[string]string, faults map[string]bool) bool {
	for _, name := range r.tests {
		fn, _, _ := strings.Cut(name, "/")
		for _, id := range r.ids {
			if fn == "TestFaultCatalogue" && faults[id] ||
				regexp.MustCompile(`(^|[^a-z0-9.-])`+regexp.QuoteMeta(id)+`([^a-z0-9-]|$)`).MatchString(tests[fn]) {
				return true
			}
		}
	}
	return false
}

var testFunc = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)\(`)

// testFunctions maps the name of every test, fuzz and benchmark function in
// the module's _test.go files to the source of its file.
func testFunctions(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "node_modules" || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range testFunc.FindAllSubmatch(b, -1) {
			out[string(m[1])] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

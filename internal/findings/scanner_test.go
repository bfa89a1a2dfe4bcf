package findings

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScannerResolves(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "scanmod"))
	if err != nil {
		t.Fatal(err)
	}
	got := scanDir(t, root, "example.com/scanmod")
	var ids []string
	for id, ems := range got.emitted {
		var sts []string
		for _, e := range ems {
			sts = append(sts, e.status)
		}
		sort.Strings(sts)
		ids = append(ids, id+":"+strings.Join(sts, ","))
	}
	sort.Strings(ids)
	want := []string{
		"discovery.ssrf:Warn,Warn", // in discovery and, through the qualified constant, in flow
		"flow.composite:Pass",
		"flow.const:Fail",
		"flow.literal:Pass",
		"flow.param-a:Warn",
		"flow.param-b:Warn",
		"flow.var-a:Fail,Warn",
		"flow.var-b:Fail,Warn",
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("emitted (-want +got):\n%s", diff)
	}
	if len(got.unresolved) != 1 || got.unresolved[0].expr != "dyn" || !strings.HasPrefix(got.unresolved[0].pos, "flow/f.go:") {
		t.Errorf("unresolved = %+v, want the dyn call in flow/f.go", got.unresolved)
	}
	if diff := cmp.Diff([]string{"calls", "probe", "probes"}, got.steps); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}

package findings

import (
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/demo"
)

// Every fault of the demo's catalogue names a finding that explain knows.
func TestFaultCatalogueIsExplained(t *testing.T) {
	for _, f := range demo.Faults() {
		if _, ok := Lookup(f.Finding); !ok {
			t.Errorf("demo fault %q expects finding %q, which has no entry in internal/findings", f.Name, f.Finding)
		}
	}
}

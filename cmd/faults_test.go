package cmd

import (
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/demo"
)

// TestFaultCatalogue walks the demo once per fault and asserts the finding
// the fault must produce (id, step, severity), that the walk ends on its
// own within a bound, and that nothing panics.
func TestFaultCatalogue(t *testing.T) {
	faults := demo.Faults()
	if len(faults) < 20 {
		t.Fatalf("the catalogue has %d faults; the issue asks for at least 20", len(faults))
	}
	for _, f := range faults {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			// prm-slow sleeps 3s: a 1s request timeout must cut it short.
			code, out, errOut := run(t, "demo", "--fault", f.Name, "--json", "--timeout", "1s")
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("the walk took %v", d)
			}
			r := decodeReport(t, out)
			found := false
			for _, got := range r.Findings {
				if got.ID == f.Finding && got.Step == f.Step && got.Severity == f.Severity {
					found = true
				}
			}
			if !found {
				t.Errorf("no finding %s (%s) at step %s; got:", f.Finding, f.Severity, f.Step)
				for _, got := range r.Findings {
					t.Logf("  %s %s at %s: %s", got.Severity, got.ID, got.Step, got.Message)
				}
				t.Logf("stderr:\n%s", errOut)
			}
			if f.Severity == "error" && (code != ExitFailed || r.OK) {
				t.Errorf("exit %d ok=%v for an error finding; want exit %d", code, r.OK, ExitFailed)
			}
			assertRedacted(t, out.String(), errOut.String())
		})
	}
}

func TestUnknownFaultIsUsageError(t *testing.T) {
	code, _, errOut := run(t, "demo", "--fault", "no-such-fault")
	if code != ExitUsage {
		t.Errorf("exit %d, want %d\n%s", code, ExitUsage, errOut)
	}
}

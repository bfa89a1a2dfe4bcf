package cmd

import (
	"testing"
)

func TestLenientGoesOnPastAStrictStop(t *testing.T) {
	for _, fault := range []string{"issuer-trailing-slash", "prm-resource-mismatch", "wrong-iss", "no-pkce-advertised"} {
		t.Run(fault, func(t *testing.T) {
			code, out, errOut := run(t, "demo", "--fault", fault, "--lenient", "--json")
			r := decodeReport(t, out)
			if code != ExitFailed || r.OK {
				t.Errorf("exit %d ok=%v: a lenient walk still reports the error", code, r.OK)
			}
			lenient, listed := false, false
			for _, s := range r.Steps {
				lenient = lenient || s.Lenient
				listed = listed || s.ID == "calls:tools/list" && s.Status == "pass"
			}
			if !lenient || !listed {
				t.Errorf("lenient step marked: %v, tools listed after it: %v\n%s", lenient, listed, errOut)
			}
		})
	}
}

func TestSpecGrading(t *testing.T) {
	tests := []struct {
		spec, severity string
	}{
		{"2025-06-18", "error"}, // the challenge was the only discovery mechanism
		{"2026-07-28", "warning"},
		{"2025-03-26", "info"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, out, _ := run(t, "demo", "--fault", "no-resource-metadata", "--spec", tt.spec, "--json")
			r := decodeReport(t, out)
			for _, f := range r.Findings {
				if f.ID == "probe.resource-metadata-missing" {
					if f.Severity != tt.severity {
						t.Errorf("severity %s, want %s", f.Severity, tt.severity)
					}
					return
				}
			}
			t.Errorf("no probe.resource-metadata-missing finding")
		})
	}
	if code, _, _ := run(t, "demo", "--spec", "2024-01-01"); code != ExitUsage {
		t.Errorf("unknown revision: exit %d, want %d", code, ExitUsage)
	}
}

package flow

import (
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// The DPoP probes: the bound token offered as Bearer and with a proof of
// another key are both refused by the fake, which checks the binding.
func TestDPoPProbes(t *testing.T) {
	d := &fakeDPoP{algs: []string{"ES256"}}
	f := (&fake{dpop: d}).start(t)
	h := newHarness(t, Config{ServerURL: f.url(), Headless: true, Probes: true, Calls: []Call{{Method: "tools/list"}}})
	_ = h.e.Run(t.Context())
	for _, id := range []string{"dpop-as-bearer", "dpop-wrong-key"} {
		if r := h.step(t, "probes:"+id); !hasCheck(r, "probes."+id, check.Pass) {
			t.Errorf("probes:%s: %s %+v", id, r.Summary, r.Checks)
		}
	}
	// Without DPoP they have nothing to probe.
	g := (&fake{}).start(t)
	h = newHarness(t, Config{ServerURL: g.url(), Headless: true, Probes: true, Calls: []Call{{Method: "tools/list"}}})
	_ = h.e.Run(t.Context())
	if r := h.step(t, "probes:dpop-as-bearer"); len(r.Checks) != 0 || !strings.Contains(r.Summary, "not DPoP-bound") {
		t.Errorf("a Bearer walk ran the DPoP probe: %+v", r)
	}
}

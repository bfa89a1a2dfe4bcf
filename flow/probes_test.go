package flow

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProbes(t *testing.T) {
	tests := []struct {
		name string
		fake fake
		want []string // non-pass probe checks, id:status
	}{
		{"well-behaved server", fake{}, []string{"probes.cors:info"}},
		{"token accepted from the query string", fake{queryToken: true}, []string{
			"probes.query-token-accepted:fail", "probes.cors:info"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake
			f.start(t)
			h := newHarness(t, Config{ServerURL: f.url(), Headless: true, Probes: true, Calls: []Call{{Method: "tools/list"}}})
			_ = h.e.Run(context.Background())
			var got []string
			for _, r := range h.e.Results() {
				if !strings.HasPrefix(r.ID, "probes:") {
					continue
				}
				for _, c := range r.Checks {
					if c.Status != "pass" {
						got = append(got, c.ID+":"+string(c.Status))
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("probe findings (-want +got):\n%s", diff)
			}
			assertNoSecrets(t, h, &f)
		})
	}
}

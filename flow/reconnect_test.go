package flow

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReconnectAfterTheSDKEndsTheSession: a call the server keeps refusing
// with a 403 that carries no JSON-RPC body makes the SDK end the session;
// the next call connects again instead of failing unsent.
func TestReconnectAfterTheSDKEndsTheSession(t *testing.T) {
	f := (&fake{challengeScope: "read", scopeBug: true}).start(t)
	h := newHarness(t, Config{ServerURL: f.url(), Headless: true, Calls: []Call{
		{Method: "tools/call", Name: "secret", Args: map[string]any{"text": "refused"}},
		{Method: "tools/list"},
	}})
	_ = h.e.Run(context.Background())
	want := []string{"probe=pass", "prm=pass", "asmeta=pass", "stored=skip", "register=pass", "authorize=pass", "token=pass", "connect=pass",
		"authorize=pass", "token=pass", "calls:tools/call=fail", "connect=pass", "calls:tools/list=pass"}
	if diff := cmp.Diff(want, stepIDs(h.e.Results())); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if r := h.e.Results()[len(want)-2]; r.Attempt != 2 {
		t.Errorf("the second connect is attempt %d, want 2", r.Attempt)
	}
}

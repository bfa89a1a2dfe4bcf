package flow

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAuthorizationServerMigration: the MCP server moves to another
// authorization server between two calls (SEP-2352). The rejected token
// sends the engine back through discovery; it registers at the new
// server and presents nothing of the old registration there.
func TestAuthorizationServerMigration(t *testing.T) {
	old := (&fake{}).start(t)
	moved := (&fake{}).start(t)
	h := newHarness(t, Config{ServerURL: old.url(), Headless: true})
	ctx := context.Background()
	if err := h.e.Authenticate(ctx); err != nil {
		t.Fatalf("Authenticate: %v\n%v", err, stepIDs(h.e.Results()))
	}
	if err := h.e.Connect(ctx); err != nil {
		t.Fatalf("Connect: %v", err)
	}
	defer h.e.Close()
	oldClient := h.e.client.ID

	old.moveTo(moved)
	if _, err := h.e.Call(ctx, Call{Method: "tools/call", Name: "echo", Args: map[string]any{"text": "after the move"}}); err != nil {
		t.Fatalf("call after the move: %v\n%v", err, stepIDs(h.e.Results()))
	}
	want := []string{"probe=pass", "prm=pass", "asmeta=pass", "stored=skip", "register=pass", "authorize=pass", "token=pass", "connect=pass",
		"prm=pass", "asmeta=pass", "register=pass", "authorize=pass", "token=pass", "calls:tools/call=pass"}
	if diff := cmp.Diff(want, stepIDs(h.e.Results())); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if h.e.issuer != moved.issuer() {
		t.Errorf("issuer after the move %q, want %q", h.e.issuer, moved.issuer())
	}
	if h.e.client.ID == oldClient {
		t.Errorf("client id %q carried over to the new authorization server", oldClient)
	}
	moved.mu.Lock()
	defer moved.mu.Unlock()
	if _, ok := moved.clients[h.e.client.ID]; !ok {
		t.Errorf("client %q was not registered at the new authorization server", h.e.client.ID)
	}
	for _, q := range append(moved.authReq, moved.tokenReq...) {
		if q.Get("client_id") == oldClient {
			t.Errorf("the old registration %q was presented to the new authorization server: %v", oldClient, q)
		}
	}
	if n := len(moved.authReq); n != 1 {
		t.Errorf("%d authorization requests at the new server, want 1", n)
	}
	var noted bool
	for _, ev := range h.events {
		if strings.Contains(ev.Note, "authorization server changed") {
			noted = true
		}
	}
	if !noted {
		t.Error("no note that the authorization server changed")
	}
}

// A pre-registered client bound to the old authorization server
// (--client-issuer) is not presented to the new one: the register step
// after the move stops with register.client-issuer-mismatch.
func TestMigrationKeepsPreRegisteredClientAtItsIssuer(t *testing.T) {
	old := (&fake{}).start(t)
	moved := (&fake{}).start(t)
	h := newHarness(t, Config{ServerURL: old.url(), Headless: true, ClientID: "pre", ClientSecret: "pre-secret-123", ClientIssuer: old.issuer()})
	ctx := context.Background()
	if err := h.e.Authenticate(ctx); err != nil {
		t.Fatalf("Authenticate: %v\n%v", err, stepIDs(h.e.Results()))
	}
	if err := h.e.Connect(ctx); err != nil {
		t.Fatalf("Connect: %v", err)
	}
	defer h.e.Close()
	old.moveTo(moved)
	if _, err := h.e.Call(ctx, Call{Method: "tools/call", Name: "echo", Args: map[string]any{"text": "after the move"}}); err == nil {
		t.Fatal("the call after the move succeeded with the old authorization server's client")
	}
	rs := h.e.Results()
	var last StepResult
	for _, r := range rs {
		if r.ID == StepRegister {
			last = r
		}
	}
	if !hasCheck(last, "register.client-issuer-mismatch", "fail") {
		t.Errorf("last register step %+v: want register.client-issuer-mismatch", last)
	}
	moved.mu.Lock()
	defer moved.mu.Unlock()
	if len(moved.authReq)+len(moved.tokenReq) != 0 {
		t.Errorf("the old client was presented to the new authorization server: %v %v", moved.authReq, moved.tokenReq)
	}
}

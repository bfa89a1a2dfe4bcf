package flow

import (
	"context"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// TestSkillsOverDPoP: the engine's own JSON-RPC requests (skills/*, which
// the SDK cannot send) go through the same DPoP layer as the SDK's: the
// DPoP scheme, a fresh proof with ath, and the MCP server's nonce retry.
func TestSkillsOverDPoP(t *testing.T) {
	d := &fakeDPoP{algs: []string{"ES256"}, rsNonce: "rs-nonce-7"}
	sf := &skillFake{files: pdfFiles()}
	f := (&fake{mcp: sf.handler(), dpop: d}).start(t)
	h := newHarness(t, Config{ServerURL: f.url(), Headless: true, ProtocolVersion: "2026-07-28"})
	t.Cleanup(h.e.Close)
	ctx := context.Background()
	if err := h.e.Authenticate(ctx); err != nil {
		t.Fatalf("authenticate: %v (%v)", err, stepIDs(h.e.Results()))
	}
	if err := h.e.Connect(ctx); err != nil {
		t.Fatalf("connect: %v (%v)", err, stepIDs(h.e.Results()))
	}
	_, before, _, _ := d.seen()
	if _, err := h.e.Call(ctx, Call{Method: MethodSkillsLoad, URI: pdfSkill, AllFiles: true}); err != nil {
		t.Fatalf("skills/load: %v (%v)", err, stepIDs(h.e.Results()))
	}
	if r := h.step(t, "calls:skills/load"); r.Status != StatusPass || !hasCheck(r, "skills.frontmatter", check.Pass) {
		t.Errorf("calls:skills/load = %s %+v", r.Status, r.Checks)
	}
	_, proofs, schemes, errs := d.seen()
	if len(errs) > 0 {
		t.Errorf("proofs the MCP server refused: %v", errs)
	}
	if len(proofs) <= len(before) {
		t.Fatalf("no DPoP proof came with the skills requests (%d proofs before, %d after)", len(before), len(proofs))
	}
	for _, s := range schemes {
		if s != "DPoP" {
			t.Errorf("a request used the %q scheme; every one must use DPoP", s)
		}
	}
	for _, p := range proofs[len(before):] {
		if p["ath"] == nil || p["nonce"] != "rs-nonce-7" {
			t.Errorf("skills request proof %v: want ath and the MCP server's nonce", p)
		}
	}
	if got := sf.requests(); len(got) == 0 {
		t.Error("the skills server saw no skills request")
	}
}

package flow

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

func TestRetryRevision(t *testing.T) {
	unsupported := func(supported ...string) []byte {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "error": map[string]any{
			"code": -32022, "message": "Unsupported protocol version", "data": map[string]any{"supported": supported}}})
		return b
	}
	notFound := []byte(`{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}`)
	tests := []struct {
		name   string
		sent   string
		status int
		body   []byte
		next   string
		ok     bool
	}{
		{"accepted", "2025-11-25", 401, nil, "", true},
		{"newest common revision", "2026-07-28", 400, unsupported("2025-03-26", "2025-06-18"), "2025-06-18", true},
		{"refused but listed: one more try", "2026-07-28", 400, unsupported("2026-07-28"), "2026-07-28", true},
		{"nothing in common", "2025-11-25", 400, unsupported("2099-01-01"), "", false},
		{"no initialize on a 2026-07-28 server", "2025-11-25", 404, notFound, "2026-07-28", true},
		{"plain 400 to initialize", "2025-11-25", 400, []byte("bad request"), "2026-07-28", true},
		{"plain 400 to server/discover is final", "2026-07-28", 400, []byte("bad request"), "", true},
		{"404 without JSON-RPC is a wrong URL, not a revision", "2025-11-25", 404, []byte("not found"), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, why, ok := retryRevision(tt.sent, tt.status, tt.body)
			if next != tt.next || ok != tt.ok {
				t.Errorf("retryRevision(%s, %d) = %q, %v (%s); want %q, %v", tt.sent, tt.status, next, ok, why, tt.next, tt.ok)
			}
			if (next != "" || !ok) && why == "" {
				t.Error("no reason given")
			}
		})
	}
}

// TestProbeNegotiatesRevision: a server that refuses the revision asked
// for names the ones it supports; the probe asks again in the newest
// common one and the MCP session is opened in it.
func TestProbeNegotiatesRevision(t *testing.T) {
	var refused atomic.Bool
	inner := mcpHandler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && refused.CompareAndSwap(false, true) {
			writeJSON(w, http.StatusBadRequest, map[string]any{"jsonrpc": "2.0", "id": 1, "error": map[string]any{
				"code": -32022, "message": "Unsupported protocol version",
				"data": map[string]any{"supported": []string{"2025-06-18"}, "requested": r.Header.Get("MCP-Protocol-Version")}}})
			return
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	h := newHarness(t, Config{ServerURL: srv.URL + "/mcp", ProtocolVersion: "2026-07-28", Calls: []Call{{Method: "tools/list"}}})
	if err := h.e.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v\n%v", err, stepIDs(h.e.Results()))
	}
	probe := h.step(t, StepProbe)
	if !hasCheck(probe, "probe.revision-retry", check.Info) {
		t.Errorf("probe checks %+v: want probe.revision-retry", probe.Checks)
	}
	var got []string
	for _, ex := range probe.Exchanges {
		if ex.Method == http.MethodPost {
			got = append(got, ex.RequestHeaders.Get("MCP-Protocol-Version"))
		}
	}
	if diff := cmp.Diff([]string{"2026-07-28", "2025-06-18"}, got); diff != "" {
		t.Errorf("probe revisions (-want +got):\n%s", diff)
	}
	connect := h.step(t, StepConnect)
	if connect.Summary != "fake 0.1, protocol 2025-06-18" {
		t.Errorf("connect summary %q: want the session in 2025-06-18", connect.Summary)
	}
}

package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/mcpwalk/mcpwalk/internal/record"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sampleSteps() []flow.StepResult {
	return []flow.StepResult{
		{ID: "probe", Title: "Unauthenticated request", Status: flow.StatusWarn, DurationMS: 3,
			Exchanges: []record.Exchange{{Method: "POST", URL: "http://127.0.0.1:1/mcp",
				RequestHeaders: http.Header{"Content-Type": {"application/json"}}, RequestBody: `{"jsonrpc":"2.0","id":1,"method":"initialize"}`,
				Status: 401, ResponseHeaders: http.Header{"Www-Authenticate": {`Bearer scope="read"`}}, DurationMS: 2}},
			Checks: check.List{
				{ID: "probe.status-401", Status: check.Pass, Message: "401"},
				{ID: "probe.resource-metadata-missing", Status: check.Warn, Message: "no resource_metadata", Spec: "RFC 9728 §5.1", Fix: "add it"},
			}},
		{ID: "prm", Status: flow.StatusFail, Error: "connection refused", Fix: "start it", Exchanges: []record.Exchange{}, Checks: check.List{}},
	}
}

func TestBuild(t *testing.T) {
	r := Build("http://127.0.0.1:1/mcp", sampleSteps(), false, nil)
	want := []Finding{
		{ID: "probe.resource-metadata-missing", Severity: "warning", Step: "probe", Message: "no resource_metadata", Spec: "RFC 9728 §5.1", Fix: "add it"},
		{ID: "prm.failed", Severity: "error", Step: "prm", Message: "connection refused", Fix: "start it"},
	}
	if diff := cmp.Diff(want, r.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if r.OK || r.Schema != "mcpwalk.report/v1" {
		t.Errorf("ok=%v schema=%q", r.OK, r.Schema)
	}
	// A completed walk with only warnings is ok.
	if r := Build("u", sampleSteps()[:1], true, nil); !r.OK {
		t.Errorf("warnings alone must not fail the walk")
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not one JSON document: %v", err)
	}
	for _, k := range []string{"schema", "server", "ok", "steps", "findings"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("report lacks %q", k)
		}
	}
}

func TestTranscriptGolden(t *testing.T) {
	var buf bytes.Buffer
	tr := &Transcript{W: &buf}
	for _, s := range sampleSteps() {
		tr.Observe(flow.Event{Kind: flow.EventStepEnd, Step: s.ID, Result: &s})
	}
	Summary(&buf, Build("http://127.0.0.1:1/mcp", sampleSteps(), false, nil))
	golden := filepath.Join("testdata", "transcript.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
}

// A DPoP proof is shown decoded — type, algorithm, claims — with the
// recorder's mask in place of the signature; the nonce a server supplies
// is shown with the response.
func TestTranscriptDPoP(t *testing.T) {
	proof := "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2In0.eyJodG0iOiJQT1NUIiwiaHR1IjoiaHR0cHM6Ly9hcy9ub25jZSJ9.[redacted]"
	s := flow.StepResult{ID: "token", Status: flow.StatusPass, Checks: check.List{}, Exchanges: []record.Exchange{{
		Method: "POST", URL: "https://as/token", RequestHeaders: http.Header{"Dpop": {proof}, "Authorization": {"DPoP [redacted]"}},
		Status: 400, ResponseHeaders: http.Header{"Dpop-Nonce": {"n-1"}}}}}
	var buf bytes.Buffer
	(&Transcript{W: &buf}).Observe(flow.Event{Kind: flow.EventStepEnd, Step: s.ID, Result: &s})
	for _, want := range []string{
		`     DPoP: dpop+jwt ES256 {"htm":"POST","htu":"https://as/nonce"} (signature [redacted])`,
		"     Authorization: DPoP [redacted]",
		"     DPoP-Nonce: n-1",
	} {
		if !bytes.Contains(buf.Bytes(), []byte(want+"\n")) {
			t.Errorf("no line %q in\n%s", want, buf.String())
		}
	}
	if got := describeProof("not-a-proof"); got != "not-a-proof" {
		t.Errorf("a value that is no JWS was changed: %q", got)
	}
}

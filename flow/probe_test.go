package flow

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/mcpwalk/mcpwalk/internal/record"
)

// probeStep runs only the probe step against serverURL; dialTo, when set,
// is where every connection goes whatever the URL's host (so that a test
// can name a host that is not loopback).
func probeStep(t *testing.T, serverURL, dialTo string) StepResult {
	t.Helper()
	tr := record.NewTransport()
	if dialTo != "" {
		tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, dialTo)
		}
	}
	red := record.NewRedactor(false)
	rec := record.NewRecorder(tr, red)
	e := New(Config{ServerURL: serverURL}, Deps{HTTP: record.NewClient(rec, record.ClientOptions{Timeout: 5 * time.Second}), Recorder: rec, Secrets: red})
	_ = e.RunStep(context.Background(), StepProbe)
	rs := e.Results()
	if len(rs) != 1 {
		t.Fatalf("results %v, want the probe step only", stepIDs(rs))
	}
	return rs[0]
}

func challenging(header string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", header)
		w.WriteHeader(http.StatusUnauthorized)
	}
}

func TestProbeChecks(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		tls     bool
		host    string // the URL's host instead of the server's address
		id      string
		status  check.Status
		message []string // substrings of the check's message
	}{
		{name: "404 before authorization", handler: http.NotFound, id: "probe.status-unexpected", status: check.Fail,
			message: []string{"expected 401", "got 404 Not Found", "HTTP+SSE"}},
		{name: "405 to POST", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusMethodNotAllowed) },
			id: "probe.status-unexpected", status: check.Fail, message: []string{"got 405", "refuses POST"}},
		{name: "500", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
			id: "probe.status-unexpected", status: check.Fail, message: []string{"got 500", "failed instead of asking for a token"}},
		{name: "certificate from an unknown authority", handler: challenging(`Bearer resource_metadata="x"`), tls: true,
			id: "probe.tls-certificate", status: check.Fail, message: []string{"not accepted", "authority"}},
		{name: "plain http to another host", handler: challenging(`Bearer resource_metadata="x", scope="a"`), host: "mcp.example.com",
			id: "probe.insecure-http", status: check.Fail, message: []string{`"mcp.example.com"`, "expected an https URL"}},
		{name: "plain http to loopback is the development case", handler: challenging(`Bearer resource_metadata="x", scope="a"`),
			id: "probe.insecure-http", status: ""},
		{name: "offline_access in the challenge", handler: challenging(`Bearer resource_metadata="x", scope="read offline_access"`),
			id: "probe.offline-access", status: check.Warn, message: []string{`"read offline_access"`}},
		{name: "no scope in the challenge", handler: challenging(`Bearer resource_metadata="x"`),
			id: "probe.scope-missing", status: check.Info, message: []string{"Bearer challenge names no scope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(tt.handler)
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake of the TLS case
			if tt.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			t.Cleanup(srv.Close)
			u, dial := srv.URL+"/mcp", ""
			if tt.host != "" {
				u, dial = "http://"+tt.host+"/mcp", srv.Listener.Addr().String()
			}
			r := probeStep(t, u, dial)
			var got *check.Check
			for i, c := range r.Checks {
				if c.ID == tt.id {
					got = &r.Checks[i]
				}
			}
			switch {
			case tt.status == "" && got != nil:
				t.Fatalf("unexpected %s: %+v", tt.id, *got)
			case tt.status == "":
				return
			case got == nil || got.Status != tt.status:
				t.Fatalf("checks %+v: want %s %s", r.Checks, tt.id, tt.status)
			}
			for _, m := range tt.message {
				if !strings.Contains(got.Message, m) {
					t.Errorf("message %q lacks %q", got.Message, m)
				}
			}
			if tt.status == check.Fail && r.Status != StatusFail {
				t.Errorf("step status %s, want fail", r.Status)
			}
		})
	}
}

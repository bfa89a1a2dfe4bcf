package flow

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/record"
)

// walkAgainst runs the engine against handler with a short request timeout
// and returns the error and the results.
func walkAgainst(t *testing.T, serverURL string) ([]StepResult, error) {
	t.Helper()
	red := record.NewRedactor(false)
	rec := record.NewRecorder(nil, red)
	deps := Deps{
		HTTP:     record.NewClient(rec, record.ClientOptions{Timeout: 300 * time.Millisecond, MaxRedirects: 5}),
		Recorder: rec, Secrets: red,
		Listen: func(ctx context.Context, _ CallbackAddr) (Receiver, error) {
			return &fakeReceiver{redirect: "http://127.0.0.1:45678/callback"}, nil
		},
	}
	e := New(Config{ServerURL: serverURL, Headless: true, Calls: []Call{{Method: "tools/list"}}}, deps)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := e.Run(ctx)
	if ctx.Err() != nil {
		t.Fatalf("the walk hung until the test deadline")
	}
	return e.Results(), err
}

func TestMalformedPeers(t *testing.T) {
	challenge := func(w http.ResponseWriter, prm string) {
		w.Header().Set("WWW-Authenticate", `Bearer resource_metadata="`+prm+`"`)
		w.WriteHeader(401)
	}
	tests := []struct {
		name    string
		handler func(srv *string) http.HandlerFunc
		// want are substrings the failing step's error must contain.
		step string
		want []string
	}{
		{
			name: "404 on the MCP endpoint",
			handler: func(*string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }
			},
			step: "probe", want: []string{"expected 401", "got 404", "/mcp"},
		},
		{
			name: "slow server",
			handler: func(*string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					select {
					case <-time.After(time.Second):
					case <-r.Context().Done():
					}
				}
			},
			step: "probe", want: []string{"/mcp", "timed out", "300ms"},
		},
		{
			name: "PRM redirect loop",
			handler: func(srv *string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					switch r.URL.Path {
					case "/mcp":
						challenge(w, *srv+"/loop")
					default:
						http.Redirect(w, r, *srv+"/loop", http.StatusFound)
					}
				}
			},
			step: "prm", want: []string{"/loop"},
		},
		{
			name: "PRM is an HTML page",
			handler: func(srv *string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/mcp" {
						challenge(w, *srv+"/prm")
						return
					}
					w.Header().Set("Content-Type", "text/html")
					_, _ = w.Write([]byte("<html>login</html>"))
				}
			},
			step: "prm", want: []string{"/prm", "text/html"},
		},
		{
			name: "oversized PRM",
			handler: func(srv *string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/mcp" {
						challenge(w, *srv+"/prm")
						return
					}
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(`{"resource":"` + strings.Repeat("a", 3<<20) + `"}`))
				}
			},
			step: "prm", want: []string{"/prm"},
		},
		{
			name: "bad JSON in AS metadata",
			handler: func(srv *string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					switch r.URL.Path {
					case "/mcp":
						challenge(w, *srv+"/.well-known/oauth-protected-resource/mcp")
					case "/.well-known/oauth-protected-resource/mcp":
						writeJSON(w, 200, map[string]any{"resource": *srv + "/mcp", "authorization_servers": []string{*srv}})
					default:
						w.Header().Set("Content-Type", "application/json")
						_, _ = w.Write([]byte(`{"issuer": `))
					}
				}
			},
			step: "asmeta", want: []string{"/.well-known/oauth-authorization-server"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var base string
			srv := httptest.NewServer(tt.handler(&base))
			t.Cleanup(srv.Close)
			base = srv.URL
			results, err := walkAgainst(t, srv.URL+"/mcp")
			if err == nil {
				t.Fatalf("walk succeeded against a broken peer")
			}
			last := results[len(results)-1]
			if last.ID != tt.step || last.Status != StatusFail {
				t.Fatalf("stopped at %s (%s), want a failure at %s", last.ID, last.Status, tt.step)
			}
			text := last.Error
			for _, c := range last.Checks {
				text += "\n" + c.Message
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("failure text lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestRefusedConnection(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	results, err := walkAgainst(t, "http://"+addr+"/mcp")
	if err == nil || len(results) != 1 || !strings.Contains(results[0].Error, addr) || !strings.Contains(results[0].Error, "refused") {
		t.Fatalf("want a probe failure naming %s and the refusal, got %v / %+v", addr, err, results)
	}
}

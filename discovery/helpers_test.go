package discovery

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// route is one canned response; "{base}" in body is replaced by the
// server's URL.
type route struct {
	status int
	ctype  string
	body   string
}

func jsonRoute(body string) route { return route{http.StatusOK, "application/json", body} }

// newServer serves routes keyed by request URI on 127.0.0.1; anything else
// is a 404 text/plain.
func newServer(t *testing.T, routes map[string]route) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, ok := routes[r.URL.RequestURI()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if rt.ctype != "" {
			w.Header().Set("Content-Type", rt.ctype)
		} else {
			w.Header()["Content-Type"] = nil // no sniffing
		}
		w.WriteHeader(rt.status)
		_, _ = w.Write([]byte(strings.ReplaceAll(rt.body, "{base}", "http://"+r.Host)))
	})
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// attemptRow is the part of an Attempt the table tests compare.
type attemptRow struct {
	Path     string // URL without the server base
	Source   string
	Status   int
	Accepted bool
}

func rows(base string, as []Attempt) []attemptRow {
	out := make([]attemptRow, len(as))
	for i, a := range as {
		out[i] = attemptRow{strings.TrimPrefix(a.URL, base), a.Source, a.Status, a.Accepted}
	}
	return out
}

// checkIDs lists "id:status" for every check, in order.
func checkIDs(l check.List) []string {
	out := make([]string, len(l))
	for i, c := range l {
		out[i] = c.ID + ":" + string(c.Status)
	}
	return out
}

// findCheck returns the first check with id, or nil.
func findCheck(l check.List, id string) *check.Check {
	for i := range l {
		if l[i].ID == id {
			return &l[i]
		}
	}
	return nil
}

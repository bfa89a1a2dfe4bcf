package discovery

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fuzzDoc is what the fuzz server answers at every URL; "{base}" in the
// body is replaced by the server's URL so that seeds can name it.
type fuzzDoc struct {
	mu     sync.Mutex
	status int
	ctype  string
	body   []byte
}

func (d *fuzzDoc) set(status int, ctype string, body []byte) {
	d.mu.Lock()
	d.status, d.ctype, d.body = status, ctype, body
	d.mu.Unlock()
}

func (d *fuzzDoc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	status, ctype, body := d.status, d.ctype, d.body
	d.mu.Unlock()
	w.Header()["Content-Type"] = []string{ctype} // as fuzzed, even invalid
	w.WriteHeader(status)
	_, _ = w.Write([]byte(strings.ReplaceAll(string(body), "{base}", "http://"+r.Host)))
}

// FuzzMetadata serves fuzzed bytes (with a fuzzed status and Content-Type)
// as metadata and decodes them through GetJSON, ProtectedResource and
// AuthServer: none may panic or hang, and each must return either a
// result or an error that says why.
func FuzzMetadata(f *testing.F) {
	seeds := []struct {
		status int
		ctype  string
		body   string
	}{
		{200, "application/json", `{"resource":"{base}/mcp","authorization_servers":["{base}"],"scopes_supported":["a","offline_access"],"bearer_methods_supported":["body"]}`},
		{200, "application/json", `{"issuer":"{base}","authorization_endpoint":"{base}/authorize","token_endpoint":"http://10.0.0.1/token","code_challenge_methods_supported":["plain"],"response_types_supported":["code"]}`},
		{200, "application/json; charset=utf-8", `{"issuer":"{base}/","jwks_uri":"javascript:alert(1)","registration_endpoint":"http://[::ffff:169.254.169.254]/r"}`},
		{200, "application/problem+json", `{"resource":"{base}/mcp#frag","authorization_servers":[]}`},
		{200, "text/html", `<!doctype html><html>{"resource":"x"}</html>`},
		{200, "application/json", `[1,2,3]`},
		{200, "application/json", `{"resource":1,"authorization_servers":"x"}`},
		{200, "application/json", `{"resource":"{base}/mcp","authorization_servers":["https://0x7f000001/"]}` + strings.Repeat(" ", 100)},
		{200, "application/json", "\xef\xbb\xbf{\"a\":\"\\ud800\"}"},
		{200, "", `{}`},
		{200, "application/json;;=", `{"issuer":null}`},
		{404, "text/plain", `not found`},
		{401, "application/json", `{"error":"unauthorized"}`},
		{302, "text/plain", ``},
		{500, "application/json", `{`},
	}
	for _, s := range seeds {
		f.Add(s.status, s.ctype, []byte(s.body))
	}
	doc := &fuzzDoc{}
	srv := httptest.NewServer(doc) // 127.0.0.1
	f.Cleanup(srv.Close)
	client := &http.Client{Timeout: 5 * time.Second}
	fetcher := &Fetcher{Client: client, MaxBytes: 64 << 10}

	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		if status < 200 || status > 599 || status == http.StatusSwitchingProtocols || (status >= 300 && status < 400) {
			status = http.StatusOK // redirects without Location and 1xx are not what this fuzzes
		}
		if len(body) > 256<<10 {
			body = body[:256<<10]
		}
		doc.set(status, strings.Map(headerSafe, ctype), body)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()

		_, raw, gotStatus, _, err := GetJSON[ProtectedResourceMetadata](ctx, client, srv.URL+"/x", 64<<10, nil)
		var fe *FetchError
		switch {
		case err == nil && (raw == nil || gotStatus != http.StatusOK):
			t.Fatalf("GetJSON: no error, but raw=%v status=%d", raw, gotStatus)
		case err != nil && (!errors.As(err, &fe) || fe.Reason == ""):
			t.Fatalf("GetJSON: error %v is not a *FetchError with a reason", err)
		}

		prm := fetcher.ProtectedResource(ctx, srv.URL+"/mcp", srv.URL+"/meta")
		if len(prm.Attempts) == 0 || (prm.Metadata == nil) != (prm.From == nil) || findCheck(prm.Checks, "prm.found") == nil {
			t.Fatalf("ProtectedResource: attempts %d, metadata %v, from %v, checks %v", len(prm.Attempts), prm.Metadata, prm.From, checkIDs(prm.Checks))
		}
		for _, a := range prm.Attempts {
			if !a.Accepted && a.Reason == "" {
				t.Fatalf("ProtectedResource: attempt %s rejected without a reason", a.URL)
			}
		}

		for _, opts := range []ASOptions{{ServerURL: srv.URL + "/mcp"}, {Legacy: true}} {
			as := fetcher.AuthServer(ctx, srv.URL+"/tenant", opts)
			if len(as.Attempts) == 0 || (as.Metadata == nil) != (as.From == nil) || findCheck(as.Checks, "asmeta.found") == nil {
				t.Fatalf("AuthServer(%+v): attempts %d, metadata %v, checks %v", opts, len(as.Attempts), as.Metadata, checkIDs(as.Checks))
			}
		}
		if d := time.Since(start); d > 9*time.Second {
			t.Fatalf("decoding took %s", d)
		}
	})
}

// headerSafe drops bytes net/http refuses in a header value.
func headerSafe(r rune) rune {
	if r < 0x20 || r == 0x7f || r > 0xff {
		return -1
	}
	return r
}

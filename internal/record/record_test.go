package record

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRecorderKeepsBothSides(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "sid=abcdef123456")
		_, _ = w.Write([]byte(`{"echo":` + string(b) + `,"access_token":"tok-secret-value"}`))
	}))
	defer srv.Close()
	red := NewRedactor(false)
	rec := NewRecorder(nil, red)
	c := NewClient(rec, ClientOptions{})
	col := rec.Begin()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/x?code=abc123456&keep=1", strings.NewReader(`{"client_secret":"shh-123456"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer tok-secret-value")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "tok-secret-value") {
		t.Fatalf("the caller must get the body untouched, got %s", body)
	}
	exs := rec.End(col)
	if len(exs) != 1 {
		t.Fatalf("%d exchanges, want 1", len(exs))
	}
	ex := exs[0]
	all := ex.URL + ex.RequestBody + ex.ResponseBody + strings.Join(ex.RequestHeaders.Values("Authorization"), "") + strings.Join(ex.ResponseHeaders.Values("Set-Cookie"), "")
	for _, secret := range []string{"tok-secret-value", "shh-123456", "abc123456", "abcdef123456"} {
		if strings.Contains(all, secret) {
			t.Errorf("secret %q survived redaction in %s", secret, all)
		}
	}
	if got := ex.RequestHeaders.Get("Authorization"); got != "Bearer "+Mask {
		t.Errorf("Authorization = %q, want the scheme kept", got)
	}
	if !strings.Contains(ex.URL, "keep=1") || ex.Status != 200 {
		t.Errorf("exchange lost data: %+v", ex)
	}
	if req.Header.Get("Authorization") != "Bearer tok-secret-value" {
		t.Errorf("the caller's request was mutated")
	}
}

func TestRecorderCapsBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", 1000)))
	}))
	defer srv.Close()
	rec := NewRecorder(nil, nil)
	rec.MaxKeep = 100
	c := NewClient(rec, ClientOptions{})
	col := rec.Begin()
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	ex := rec.End(col)[0]
	if n != 1000 || len(ex.ResponseBody) != 100 || !ex.Truncated {
		t.Errorf("read %d, kept %d, truncated %v; want 1000, 100, true", n, len(ex.ResponseBody), ex.Truncated)
	}
}

func TestContextCollectorAndNesting(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	rec := NewRecorder(nil, nil)
	c := NewClient(rec, ClientOptions{})
	outer := rec.Begin()
	inner := rec.Begin()
	explicit := &Collector{}
	get := func(ctx context.Context, path string) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	get(context.Background(), "/inner")
	get(WithCollector(context.Background(), explicit), "/explicit")
	rec.End(inner)
	get(context.Background(), "/outer")
	urls := func(exs []Exchange) []string {
		var out []string
		for _, e := range exs {
			out = append(out, strings.TrimPrefix(e.URL, srv.URL))
		}
		return out
	}
	if diff := cmp.Diff([]string{"/inner"}, urls(rec.Snapshot(inner))); diff != "" {
		t.Errorf("inner (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/explicit"}, urls(rec.Snapshot(explicit))); diff != "" {
		t.Errorf("explicit (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/outer"}, urls(rec.End(outer))); diff != "" {
		t.Errorf("outer (-want +got):\n%s", diff)
	}
}

func TestRedirectPolicy(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+"/again", http.StatusFound)
	}))
	defer srv.Close()
	c := NewClient(NewRecorder(nil, nil), ClientOptions{MaxRedirects: 3})
	_, err := c.Get(srv.URL)
	if !errors.Is(err, ErrRedirect) || !strings.Contains(err.Error(), "more than 3 redirects") {
		t.Errorf("redirect loop: err = %v", err)
	}
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL, http.StatusFound)
	}))
	defer tls.Close()
	tc := tls.Client()
	tc.Transport = NewRecorder(tc.Transport, nil)
	tc.CheckRedirect = func(req *http.Request, via []*http.Request) error { return CheckRedirect(req, via, 10) }
	if _, err := tc.Get(tls.URL); !errors.Is(err, ErrRedirect) || !strings.Contains(err.Error(), "from https to") {
		t.Errorf("https→http: err = %v", err)
	}
}

func TestRedactorByName(t *testing.T) {
	red := NewRedactor(false)
	red.Secret("known-secret-value")
	tests := []struct{ name, ct, in, want string }{
		{"form", "application/x-www-form-urlencoded", "code=abc&code_verifier=v&grant_type=authorization_code",
			"code=%5Bredacted%5D&code_verifier=%5Bredacted%5D&grant_type=authorization_code"},
		{"json nested", "application/json", `{"a":{"refresh_token":"r"},"b":[{"id_token":"i"}],"scope":"x"}`,
			`{"a":{"refresh_token":"[redacted]"},"b":[{"id_token":"[redacted]"}],"scope":"x"}`},
		{"value anywhere", "text/event-stream", "data: known-secret-value\n", "data: [redacted]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := red.Body([]byte(tt.in), tt.ct); got != tt.want {
				t.Errorf("Body = %q, want %q", got, tt.want)
			}
		})
	}
	reveal := NewRedactor(true)
	reveal.Secret("known-secret-value")
	if got := reveal.Body([]byte(`{"access_token":"known-secret-value"}`), "application/json"); !strings.Contains(got, "known-secret-value") {
		t.Errorf("reveal must show secrets, got %s", got)
	}
}

// A DPoP proof keeps its header and claims (what a debugger needs) and
// loses its signature (what would make it replayable); a DPoP token in
// Authorization is masked like a Bearer one.
func TestRedactorDPoP(t *testing.T) {
	h := http.Header{}
	h.Set("DPoP", "eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJodG0iOiJQT1NUIn0.c2lnbmF0dXJl")
	h.Set("Authorization", "DPoP tok-secret-value")
	h.Add("X-Other", "kept")
	NewRedactor(false).Header(h)
	want := http.Header{
		"Dpop":          {"eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJodG0iOiJQT1NUIn0." + Mask},
		"Authorization": {"DPoP " + Mask},
		"X-Other":       {"kept"},
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("redacted headers (-want +got):\n%s", diff)
	}
	odd := http.Header{"Dpop": {"not-a-jwt"}}
	NewRedactor(false).Header(odd)
	if got := odd.Get("DPoP"); got != Mask {
		t.Errorf("a DPoP header that is no JWS: %q, want it masked whole", got)
	}
}

// A bearer token never follows a redirect to another origin, not even to
// another port of the same host (which Go's client alone would allow).
func TestRedirectDropsAuthorizationAcrossOrigins(t *testing.T) {
	seen := make(chan string, 4)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- "other:" + r.Header.Get("Authorization")
	}))
	defer other.Close()
	var self *httptest.Server
	self = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- "self:" + r.Header.Get("Authorization")
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/", http.StatusTemporaryRedirect)
		case "/same":
			http.Redirect(w, r, self.URL+"/here", http.StatusTemporaryRedirect)
		}
	}))
	defer self.Close()
	c := NewClient(NewRecorder(nil, nil), ClientOptions{})
	for _, tt := range []struct{ path, want string }{
		{"/away", "self:Bearer t other:"},
		{"/same", "self:Bearer t self:Bearer t"},
	} {
		req, _ := http.NewRequest(http.MethodGet, self.URL+tt.path, nil)
		req.Header.Set("Authorization", "Bearer t")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := []string{<-seen, <-seen}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: the servers saw %q, want %q", tt.path, got, tt.want)
		}
	}
}

// Session ids are credentials too: masked like tokens, by header name.
func TestRedactorMasksCredentialHeaders(t *testing.T) {
	h := http.Header{"Mcp-Session-Id": {"sess-123"}, "Authorization": {"Bearer tok"}, "Dpop": {"proof"}, "Accept": {"application/json"}}
	NewRedactor(false).Header(h)
	want := http.Header{"Mcp-Session-Id": {Mask}, "Authorization": {"Bearer " + Mask}, "Dpop": {Mask}, "Accept": {"application/json"}}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}

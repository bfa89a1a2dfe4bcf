package discovery

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGetJSON(t *testing.T) {
	big := `{"resource":"` + strings.Repeat("x", 2000) + `"}`
	srv := newServer(t, map[string]route{
		"/ok":        jsonRoute(`{"resource":"{base}/mcp","scopes_supported":["a"],"extra":1}`),
		"/plusjson":  {200, "application/vnd.example+json; charset=utf-8", `{"resource":"r"}`},
		"/upper":     {200, "Application/JSON; Charset=UTF-8", `{"resource":"r"}`},
		"/html":      {200, "text/html", "<html>hi</html>"},
		"/jsonastxt": {200, "text/plain", `{"resource":"r"}`},
		"/noct":      {200, "", `{"resource":"r"}`},
		"/badct":     {200, ";;", `{"resource":"r"}`},
		"/big":       jsonRoute(big),
		"/array":     jsonRoute(`[1,2]`),
		"/null":      jsonRoute(`null`),
		"/empty":     jsonRoute(``),
		"/htmlasjs":  jsonRoute(`<!doctype html>`),
		"/trailing":  jsonRoute(`{"a":1} x`),
		"/types":     jsonRoute(`{"resource":42}`),
		"/forbidden": {403, "text/html", "<h1>denied</h1>"},
		"/header":    jsonRoute(`{"resource":"r"}`),
	})
	base := srv.URL
	tests := []struct {
		name       string
		path       string
		max        int64
		wantStatus int
		wantCT     string
		wantRes    string
		wantErr    string
	}{
		{name: "ok", path: "/ok", wantStatus: 200, wantCT: "application/json", wantRes: base + "/mcp"},
		{name: "+json", path: "/plusjson", wantStatus: 200, wantCT: "application/vnd.example+json; charset=utf-8", wantRes: "r"},
		{name: "media type case-insensitive", path: "/upper", wantStatus: 200, wantCT: "Application/JSON; Charset=UTF-8", wantRes: "r"},
		{name: "404", path: "/missing", wantStatus: 404, wantCT: "text/plain; charset=utf-8",
			wantErr: "GET " + base + "/missing: expected 200 application/json, got 404 text/plain; charset=utf-8"},
		{name: "403 from a CDN", path: "/forbidden", wantStatus: 403, wantCT: "text/html", wantErr: "got 403 text/html"},
		{name: "html", path: "/html", wantStatus: 200, wantCT: "text/html", wantErr: "expected 200 application/json, got 200 text/html"},
		{name: "json with wrong content type", path: "/jsonastxt", wantStatus: 200, wantCT: "text/plain",
			wantErr: "got 200 text/plain (body looks like JSON"},
		{name: "no content type", path: "/noct", wantStatus: 200, wantErr: "got 200 without Content-Type (body looks like JSON"},
		{name: "unparsable content type", path: "/badct", wantStatus: 200, wantCT: ";;", wantErr: "got 200 ;;"},
		{name: "oversized", path: "/big", max: 1000, wantStatus: 200, wantCT: "application/json",
			wantErr: "expected a JSON object of at most 1000 bytes, got more"},
		{name: "exactly at the cap", path: "/big", max: int64(len(big)), wantStatus: 200, wantCT: "application/json", wantRes: strings.Repeat("x", 2000)},
		{name: "array", path: "/array", wantStatus: 200, wantCT: "application/json", wantErr: "expected a JSON object, got a JSON array"},
		{name: "null", path: "/null", wantStatus: 200, wantCT: "application/json", wantErr: "expected a JSON object, got JSON null"},
		{name: "empty", path: "/empty", wantStatus: 200, wantCT: "application/json", wantErr: "got an empty body"},
		{name: "html labelled json", path: "/htmlasjs", wantStatus: 200, wantCT: "application/json", wantErr: "probably HTML"},
		{name: "trailing garbage", path: "/trailing", wantStatus: 200, wantCT: "application/json", wantErr: "got invalid JSON"},
		{name: "wrong member type", path: "/types", wantStatus: 200, wantCT: "application/json", wantErr: "of the right types"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, raw, status, ct, err := GetJSON[ProtectedResourceMetadata](context.Background(), srv.Client(), base+tt.path, tt.max, nil)
			if diff := cmp.Diff([]any{tt.wantStatus, tt.wantCT, tt.wantRes}, []any{status, ct, doc.Resource}); diff != "" {
				t.Errorf("status, content type, resource (-want +got):\n%s", diff)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if raw == nil {
					t.Errorf("raw = nil, want the document")
				}
				return
			}
			var fe *FetchError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a *FetchError", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "GET "+base+tt.path+": ") {
				t.Errorf("error = %q, want it to name the URL and contain %q", err, tt.wantErr)
			}
			if fe.Status != tt.wantStatus || fe.ContentType != tt.wantCT {
				t.Errorf("FetchError status/ct = %d %q, want %d %q", fe.Status, fe.ContentType, tt.wantStatus, tt.wantCT)
			}
		})
	}
}

func TestGetJSONRawKeepsUnknownMembers(t *testing.T) {
	srv := newServer(t, map[string]route{"/ok": jsonRoute(`{"resource":"r","x_custom":{"a":[true]}}`)})
	_, raw, _, _, err := GetJSON[ProtectedResourceMetadata](context.Background(), srv.Client(), srv.URL+"/ok", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"resource": "r", "x_custom": map[string]any{"a": []any{true}}}
	if diff := cmp.Diff(want, raw); diff != "" {
		t.Errorf("raw (-want +got):\n%s", diff)
	}
}

func TestGetJSONHeaders(t *testing.T) {
	var got http.Header
	srv := newServer(t, nil)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	})
	hdr := http.Header{"Mcp-Protocol-Version": {"2025-03-26"}}
	if _, _, _, _, err := GetJSON[map[string]any](context.Background(), srv.Client(), srv.URL, 0, hdr); err != nil {
		t.Fatal(err)
	}
	want := []string{"application/json", "2025-03-26"}
	if diff := cmp.Diff(want, []string{got.Get("Accept"), got.Get("MCP-Protocol-Version")}); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}

func TestGetJSONTransportErrors(t *testing.T) {
	srv := newServer(t, nil)
	dead := srv.URL
	srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	live := newServer(t, map[string]route{"/": jsonRoute(`{}`)})

	tests := []struct {
		name, url string
		ctx       context.Context
		wantErr   string
	}{
		{"connection refused", dead + "/x", context.Background(), "GET " + dead + "/x: expected 200 application/json, got no response"},
		{"cancelled", live.URL + "/", ctx, "got no response"},
		{"relative", "/x", context.Background(), `GET /x: expected an absolute http or https URL, got scheme ""`},
		{"javascript", "javascript:alert(1)", context.Background(), `got scheme "javascript"`},
		{"empty", "", context.Background(), "got an empty one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, status, _, err := GetJSON[map[string]any](tt.ctx, live.Client(), tt.url, 0, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want containing %q", err, tt.wantErr)
			}
			if status != 0 {
				t.Errorf("status = %d, want 0", status)
			}
		})
	}
}

func TestGetJSONRefusesHTTPSDowngrade(t *testing.T) {
	plain := newServer(t, map[string]route{"/m": jsonRoute(`{}`)})
	tlsSrv := httptest.NewTLSServer(http.RedirectHandler(plain.URL+"/m", http.StatusFound))
	t.Cleanup(tlsSrv.Close)
	_, _, _, _, err := GetJSON[map[string]any](context.Background(), tlsSrv.Client(), tlsSrv.URL+"/", 0, nil)
	if err == nil || !strings.Contains(err.Error(), "expected the response over https, got redirected to "+plain.URL+"/m") {
		t.Errorf("error = %v, want a refused https→http redirect", err)
	}
}

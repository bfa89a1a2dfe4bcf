package discovery

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

const (
	wkPRM     = "/.well-known/oauth-protected-resource"
	wkPRMPath = wkPRM + "/mcp"
)

func prmDoc(resource string, extra string) route {
	return jsonRoute(`{"resource":"` + resource + `","authorization_servers":["{base}/as"]` + extra + `}`)
}

func TestProtectedResource(t *testing.T) {
	tests := []struct {
		name       string
		routes     map[string]route
		header     bool // send resource_metadata = base + "/meta"
		mcpPath    string
		maxBytes   int64
		wantRows   []attemptRow
		wantChecks []string
		wantFrom   string // source of the accepted candidate, "" for none
	}{
		{
			name:       "header URL used",
			header:     true,
			routes:     map[string]route{"/meta": prmDoc("{base}/mcp", "")},
			wantRows:   []attemptRow{{"/meta", "header", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:pass"},
			wantFrom:   "header",
		},
		{
			name:   "header 404 then path-aware",
			header: true,
			routes: map[string]route{wkPRMPath: prmDoc("{base}/mcp", "")},
			wantRows: []attemptRow{
				{"/meta", "header", 404, false},
				{wkPRMPath, "path", 200, true},
			},
			wantChecks: []string{"prm.found:pass", "prm.header-url-failed:warn", "prm.authorization-servers:pass"},
			wantFrom:   "path",
		},
		{
			name:   "path 404 then root naming the MCP URL",
			routes: map[string]route{wkPRM: prmDoc("{base}/mcp", "")},
			wantRows: []attemptRow{
				{wkPRMPath, "path", 404, false},
				{wkPRM, "root", 200, true},
			},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:pass"},
			wantFrom:   "root",
		},
		{
			name:   "root naming the origin",
			routes: map[string]route{wkPRM: prmDoc("{base}", "")},
			wantRows: []attemptRow{
				{wkPRMPath, "path", 404, false},
				{wkPRM, "root", 200, true},
			},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:pass", "prm.root-resource:info"},
			wantFrom:   "root",
		},
		{
			name:       "root naming the origin for an MCP URL without path",
			mcpPath:    "/",
			routes:     map[string]route{wkPRM: prmDoc("{base}", "")},
			wantRows:   []attemptRow{{wkPRM, "root", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:pass"},
			wantFrom:   "root",
		},
		{
			name:   "mismatch at header, then path OK",
			header: true,
			routes: map[string]route{
				"/meta":   prmDoc("{base}/", ""),
				wkPRMPath: prmDoc("{base}/mcp", ""),
			},
			wantRows: []attemptRow{
				{"/meta", "header", 200, false},
				{wkPRMPath, "path", 200, true},
			},
			wantChecks: []string{"prm.found:pass", "prm.resource-mismatch:warn", "prm.header-url-failed:warn", "prm.authorization-servers:pass"},
			wantFrom:   "path",
		},
		{
			name:   "all mismatch",
			header: true,
			routes: map[string]route{
				"/meta":   prmDoc("https://evil.example.com/mcp", ""),
				wkPRMPath: prmDoc("{base}/mcp/", ""),
				wkPRM:     prmDoc("{base}/other", ""),
			},
			wantRows: []attemptRow{
				{"/meta", "header", 200, false},
				{wkPRMPath, "path", 200, false},
				{wkPRM, "root", 200, false},
				{"/mcp" + wkPRM, "off-spec-suffix", 404, false},
			},
			wantChecks: []string{"prm.found:fail", "prm.resource-mismatch:fail", "prm.resource-mismatch:fail", "prm.resource-mismatch:fail", "prm.header-url-failed:warn"},
		},
		{
			name: "401 from a CDN on the path-aware URL is recorded, root used",
			routes: map[string]route{
				wkPRMPath: {401, "text/html", "<h1>Unauthorized</h1>"},
				wkPRM:     prmDoc("{base}/mcp", ""),
			},
			wantRows:   []attemptRow{{wkPRMPath, "path", 401, false}, {wkPRM, "root", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.fallback-status:warn", "prm.authorization-servers:pass"},
			wantFrom:   "root",
		},
		{
			name: "403 and 500",
			routes: map[string]route{
				wkPRMPath: {403, "text/html", "denied"},
				wkPRM:     {500, "text/plain", "oops"},
			},
			wantRows:   []attemptRow{{wkPRMPath, "path", 403, false}, {wkPRM, "root", 500, false}, {"/mcp" + wkPRM, "off-spec-suffix", 404, false}},
			wantChecks: []string{"prm.found:fail"},
		},
		{
			name: "HTML body with 200",
			routes: map[string]route{
				wkPRMPath: {200, "text/html; charset=utf-8", "<!doctype html><title>SPA</title>"},
				wkPRM:     prmDoc("{base}/mcp", ""),
			},
			wantRows:   []attemptRow{{wkPRMPath, "path", 200, false}, {wkPRM, "root", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.fallback-status:warn", "prm.authorization-servers:pass"},
			wantFrom:   "root",
		},
		{
			name:       "oversized body",
			maxBytes:   64,
			routes:     map[string]route{wkPRMPath: prmDoc("{base}/mcp", `,"resource_name":"`+strings.Repeat("n", 100)+`"`)},
			wantRows:   []attemptRow{{wkPRMPath, "path", 200, false}, {wkPRM, "root", 404, false}, {"/mcp" + wkPRM, "off-spec-suffix", 404, false}},
			wantChecks: []string{"prm.found:fail"},
		},
		{
			name:       "wrong content type",
			routes:     map[string]route{wkPRMPath: {200, "text/plain", `{"resource":"{base}/mcp","authorization_servers":["{base}/as"]}`}},
			wantRows:   []attemptRow{{wkPRMPath, "path", 200, false}, {wkPRM, "root", 404, false}, {"/mcp" + wkPRM, "off-spec-suffix", 404, false}},
			wantChecks: []string{"prm.found:fail"},
		},
		{
			name:       "only at the suffix appended to the MCP path",
			routes:     map[string]route{"/mcp" + wkPRM: prmDoc("{base}/mcp", "")},
			wantRows:   []attemptRow{{wkPRMPath, "path", 404, false}, {wkPRM, "root", 404, false}, {"/mcp" + wkPRM, "off-spec-suffix", 200, false}},
			wantChecks: []string{"prm.found:fail", "prm.nonstandard-location:fail"},
		},
		{
			name:       "no authorization servers",
			routes:     map[string]route{wkPRMPath: jsonRoute(`{"resource":"{base}/mcp"}`)},
			wantRows:   []attemptRow{{wkPRMPath, "path", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:fail"},
			wantFrom:   "path",
		},
		{
			name: "invalid authorization server URLs",
			routes: map[string]route{wkPRMPath: jsonRoute(`{"resource":"{base}/mcp","authorization_servers":[
				"https://as.example.com/t1", "http://localhost:9/as", "http://[::1]/", "http://as.example.com", "/as", "javascript:alert(1)", "https://as.example.com/?x=1"]}`)},
			wantRows: []attemptRow{{wkPRMPath, "path", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:pass",
				"prm.as-url-invalid:fail", "prm.as-url-invalid:fail", "prm.as-url-invalid:fail", "prm.as-url-invalid:fail"},
			wantFrom: "path",
		},
		{
			name:       "offline_access and bearer methods without header",
			routes:     map[string]route{wkPRMPath: prmDoc("{base}/mcp", `,"scopes_supported":["read","offline_access"],"bearer_methods_supported":["body"]`)},
			wantRows:   []attemptRow{{wkPRMPath, "path", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:pass", "prm.offline-access:warn", "prm.bearer-methods:warn"},
			wantFrom:   "path",
		},
		{
			name:       "bearer methods with header",
			routes:     map[string]route{wkPRMPath: prmDoc("{base}/mcp", `,"bearer_methods_supported":["header"]`)},
			wantRows:   []attemptRow{{wkPRMPath, "path", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:pass"},
			wantFrom:   "path",
		},
		{
			name:       "resource with a query",
			header:     true,
			mcpPath:    "/mcp?tenant=a",
			routes:     map[string]route{"/meta": prmDoc("{base}/mcp?tenant=a", "")},
			wantRows:   []attemptRow{{"/meta", "header", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:pass", "prm.resource-query:warn"},
			wantFrom:   "header",
		},
		{
			name:       "catch-all scopes",
			routes:     map[string]route{wkPRMPath: prmDoc("{base}/mcp", `,"scopes_supported":["read","notes:*","ALL"]`)},
			wantRows:   []attemptRow{{wkPRMPath, "path", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:pass", "prm.broad-scopes:warn"},
			wantFrom:   "path",
		},
		{
			name:       "resource with fragment",
			header:     true,
			mcpPath:    "/mcp#frag",
			routes:     map[string]route{"/meta": prmDoc("{base}/mcp#frag", "")},
			wantRows:   []attemptRow{{"/meta", "header", 200, true}},
			wantChecks: []string{"prm.found:pass", "prm.authorization-servers:pass", "prm.resource-fragment:fail"},
			wantFrom:   "header",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.routes)
			base := srv.URL
			mcpPath := tt.mcpPath
			if mcpPath == "" {
				mcpPath = "/mcp"
			}
			header := ""
			if tt.header {
				header = base + "/meta"
			}
			f := &Fetcher{Client: srv.Client(), MaxBytes: tt.maxBytes}
			res := f.ProtectedResource(context.Background(), base+mcpPath, header)

			if diff := cmp.Diff(tt.wantRows, rows(base, res.Attempts)); diff != "" {
				t.Errorf("attempts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantChecks, checkIDs(res.Checks)); diff != "" {
				t.Errorf("checks (-want +got):\n%s\n%+v", diff, res.Checks)
			}
			gotFrom := ""
			if res.From != nil {
				gotFrom = res.From.Source
				if res.Metadata == nil || res.Raw == nil {
					t.Errorf("accepted from %s but Metadata/Raw missing", gotFrom)
				}
			} else if res.Metadata != nil || res.Raw != nil {
				t.Errorf("nothing accepted but Metadata/Raw set")
			}
			if gotFrom != tt.wantFrom {
				t.Errorf("From = %q, want %q", gotFrom, tt.wantFrom)
			}
			for _, a := range res.Attempts {
				if !a.Accepted && a.Reason == "" {
					t.Errorf("attempt %s rejected without a reason", a.URL)
				}
			}
			for _, c := range res.Checks {
				if c.Status != "pass" && (c.Spec == "" || c.Fix == "") {
					t.Errorf("check %s lacks spec or fix: %+v", c.ID, c)
				}
			}
		})
	}
}

func TestProtectedResourceMessages(t *testing.T) {
	srv := newServer(t, map[string]route{
		"/meta":   prmDoc("{base}/mcp/", ""),
		wkPRMPath: {403, "text/html", "denied"},
		wkPRM:     {200, "text/plain", `{"resource":"x"}`},
	})
	base := srv.URL
	f := &Fetcher{Client: srv.Client()}
	res := f.ProtectedResource(context.Background(), base+"/mcp", base+"/meta")

	wantReasons := []string{
		`resource "` + base + `/mcp/" ≠ "` + base + `/mcp"`,
		"expected 200 application/json, got 403 text/html (metadata must be public; a CDN or auth middleware may guard this path)",
		"expected 200 application/json, got 200 text/plain (body looks like JSON, but the Content-Type must be application/json)",
		"not a location clients try; expected 200 application/json, got 404 text/plain; charset=utf-8",
	}
	var gotReasons []string
	for _, a := range res.Attempts {
		gotReasons = append(gotReasons, a.Reason)
	}
	if diff := cmp.Diff(wantReasons, gotReasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}

	found := findCheck(res.Checks, "prm.found")
	wantFound := "no Protected Resource Metadata at any of 3 URLs: " + base + "/meta (200, resource \"" + base + "/mcp/\" ≠ \"" + base + "/mcp\"), " +
		base + wkPRMPath + " (403), " + base + wkPRM + " (200, expected 200 application/json, got 200 text/plain (body looks like JSON, but the Content-Type must be application/json))"
	if found == nil || found.Message != wantFound {
		t.Errorf("prm.found message:\n got %+v\nwant %q", found, wantFound)
	}
	mm := findCheck(res.Checks, "prm.resource-mismatch")
	wantMM := "PRM at " + base + "/meta (header): resource \"" + base + "/mcp/\" ≠ \"" + base + "/mcp\" (they differ only by a trailing slash; the comparison is exact)"
	if mm == nil || mm.Message != wantMM || mm.Status != "fail" {
		t.Errorf("prm.resource-mismatch:\n got %+v\nwant fail %q", mm, wantMM)
	}
	hu := findCheck(res.Checks, "prm.header-url-failed")
	if hu == nil || !strings.Contains(hu.Message, base+"/meta") || !strings.Contains(hu.Message, "≠") {
		t.Errorf("prm.header-url-failed = %+v, want it to name the header URL and the reason", hu)
	}
}

func TestProtectedResourceRootMismatchNamesBoth(t *testing.T) {
	srv := newServer(t, map[string]route{wkPRM: prmDoc("https://elsewhere.example", "")})
	base := srv.URL
	res := (&Fetcher{Client: srv.Client()}).ProtectedResource(context.Background(), base+"/mcp", "")
	want := `resource "https://elsewhere.example" ≠ "` + base + `" (or "` + base + `/mcp")`
	if got := res.Attempts[1].Reason; res.Attempts[1].Source != SourceRoot || got != want {
		t.Errorf("root reason = %q, want %q", got, want)
	}
}

func TestProtectedResourceCancelled(t *testing.T) {
	srv := newServer(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := (&Fetcher{Client: srv.Client()}).ProtectedResource(ctx, srv.URL+"/mcp", "")
	if diff := cmp.Diff([]string{"prm.found:fail"}, checkIDs(res.Checks)); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
	if res.Attempts == nil {
		t.Errorf("Attempts = nil, want an empty list")
	}
}

func TestMismatchNote(t *testing.T) {
	const want = "https://mcp.example.com/mcp"
	tests := []struct{ got, note string }{
		{"https://mcp.example.com/mcp/", "trailing slash"},
		{"http://mcp.example.com/mcp", "only the scheme differs"},
		{"https://mcp.example.com", "a parent path on the same origin"},
		{"https://mcp.example.com/", "a parent path on the same origin"},
		{"https://MCP.example.com/mcp", "only in letter case"},
		{"https://mcp.example.com/other", "same origin, another path"},
		{"https://evil.example.com/mcp", "another origin"},
		{"urn:example:mcp", "not a URL clients connect to"},
		{"api://mcp-server", "not a URL clients connect to"},
	}
	for _, tt := range tests {
		if got := mismatchNote(tt.got, want); !strings.Contains(got, tt.note) {
			t.Errorf("mismatchNote(%q) = %q, want it to say %q", tt.got, got, tt.note)
		}
	}
}

func TestHeaderURLScheme(t *testing.T) {
	tests := []struct {
		header, mcp string
		flagged     bool
	}{
		{"http://mcp.example.com/.well-known/oauth-protected-resource/mcp", "https://mcp.example.com/mcp", true},
		{"https://mcp.example.com/.well-known/oauth-protected-resource/mcp", "https://mcp.example.com/mcp", false},
		{"http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp", "https://mcp.example.com/mcp", false},
		{"http://mcp.example.com/meta", "http://mcp.example.com/mcp", false}, // probe.insecure-http already says it
	}
	for _, tt := range tests {
		var l check.List
		checkHeaderURLScheme(&l, tt.header, tt.mcp)
		c := findCheck(l, "prm.header-url-insecure")
		if (c != nil) != tt.flagged {
			t.Errorf("%s for %s: flagged %v, want %v", tt.header, tt.mcp, c != nil, tt.flagged)
		}
		if c != nil && (c.Status != check.Warn || !strings.Contains(c.Message, `"mcp.example.com"`)) {
			t.Errorf("check %+v", c)
		}
	}
}

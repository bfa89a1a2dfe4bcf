package discovery

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	wkOAS  = "/.well-known/oauth-authorization-server"
	wkOIDC = "/.well-known/openid-configuration"
)

// asDoc is a valid metadata document for issuer with extra members
// appended (a later duplicate member wins in encoding/json).
func asDoc(issuer, extra string) route {
	return jsonRoute(`{"issuer":"` + issuer + `","authorization_endpoint":"{base}/authorize","token_endpoint":"{base}/token",` +
		`"response_types_supported":["code"],"code_challenge_methods_supported":["S256"]` + extra + `}`)
}

// goodChecks are the checks of a valid document found at the first try.
var goodChecks = []string{"asmeta.found:pass", "asmeta.pkce:pass", "asmeta.iss-supported:info", "asmeta.cimd:warn", "asmeta.registration:info"}

func withMismatch(n int, st string) []string {
	out := []string{"asmeta.found:pass"}
	for range n {
		out = append(out, "asmeta.issuer-mismatch:"+st)
	}
	return append(out, goodChecks[1:]...)
}

func TestAuthServer(t *testing.T) {
	tests := []struct {
		name       string
		issuerPath string // appended to the server URL
		legacy     bool
		routes     map[string]route
		wantRows   []attemptRow
		wantChecks []string
		wantFrom   string
	}{
		{
			name:       "path issuer: oauth insert answers",
			issuerPath: "/t1",
			routes:     map[string]route{wkOAS + "/t1": asDoc("{base}/t1", "")},
			wantRows:   []attemptRow{{wkOAS + "/t1", "oauth-insert", 200, true}},
			wantChecks: goodChecks,
			wantFrom:   "oauth-insert",
		},
		{
			name:       "path issuer: oidc insert answers",
			issuerPath: "/t1",
			routes:     map[string]route{wkOIDC + "/t1": asDoc("{base}/t1", "")},
			wantRows:   []attemptRow{{wkOAS + "/t1", "oauth-insert", 404, false}, {wkOIDC + "/t1", "oidc-insert", 200, true}},
			wantChecks: goodChecks,
			wantFrom:   "oidc-insert",
		},
		{
			name:       "path issuer: oidc append answers",
			issuerPath: "/t1",
			routes:     map[string]route{"/t1" + wkOIDC: asDoc("{base}/t1", "")},
			wantRows: []attemptRow{
				{wkOAS + "/t1", "oauth-insert", 404, false},
				{wkOIDC + "/t1", "oidc-insert", 404, false},
				{"/t1" + wkOIDC, "oidc-append", 200, true},
			},
			wantChecks: goodChecks,
			wantFrom:   "oidc-append",
		},
		{
			name:       "path issuer: root-only metadata is not used, and reported",
			issuerPath: "/t1",
			routes:     map[string]route{wkOAS: asDoc("{base}", "")},
			wantRows: []attemptRow{
				{wkOAS + "/t1", "oauth-insert", 404, false},
				{wkOIDC + "/t1", "oidc-insert", 404, false},
				{"/t1" + wkOIDC, "oidc-append", 404, false},
				{"/t1" + wkOAS, "off-spec-append", 404, false},
				{wkOAS, "off-spec-root", 200, false},
			},
			wantChecks: []string{"asmeta.found:fail", "asmeta.nonstandard-location:fail"},
		},
		{
			name:       "path issuer: the RFC 8414 suffix appended to the issuer is not used, and reported",
			issuerPath: "/t1",
			routes:     map[string]route{"/t1" + wkOAS: asDoc("{base}/t1", "")},
			wantRows: []attemptRow{
				{wkOAS + "/t1", "oauth-insert", 404, false},
				{wkOIDC + "/t1", "oidc-insert", 404, false},
				{"/t1" + wkOIDC, "oidc-append", 404, false},
				{"/t1" + wkOAS, "off-spec-append", 200, false},
				{wkOAS, "off-spec-root", 404, false},
			},
			wantChecks: []string{"asmeta.found:fail", "asmeta.nonstandard-location:fail"},
		},
		{
			name:       "no path: oauth",
			routes:     map[string]route{wkOAS: asDoc("{base}", "")},
			wantRows:   []attemptRow{{wkOAS, "oauth-insert", 200, true}},
			wantChecks: goodChecks,
			wantFrom:   "oauth-insert",
		},
		{
			name:       "no path: oidc after a CDN 403",
			routes:     map[string]route{wkOAS: {403, "text/html", "no"}, wkOIDC: asDoc("{base}", "")},
			wantRows:   []attemptRow{{wkOAS, "oauth-insert", 403, false}, {wkOIDC, "oidc-insert", 200, true}},
			wantChecks: append([]string{"asmeta.found:pass", "asmeta.fallback-status:warn"}, goodChecks[1:]...),
			wantFrom:   "oidc-insert",
		},
		{
			name:       "issuer mismatch, strict",
			routes:     map[string]route{wkOAS: asDoc("https://vanity.example.com", ""), wkOIDC: asDoc("https://vanity.example.com", "")},
			wantRows:   []attemptRow{{wkOAS, "oauth-insert", 200, false}, {wkOIDC, "oidc-insert", 200, false}},
			wantChecks: []string{"asmeta.found:fail", "asmeta.issuer-mismatch:fail", "asmeta.issuer-mismatch:fail"},
		},
		{
			name:       "issuer mismatch, then a matching document",
			routes:     map[string]route{wkOAS: asDoc("https://vanity.example.com", ""), wkOIDC: asDoc("{base}", "")},
			wantRows:   []attemptRow{{wkOAS, "oauth-insert", 200, false}, {wkOIDC, "oidc-insert", 200, true}},
			wantChecks: withMismatch(1, "warn"),
			wantFrom:   "oidc-insert",
		},
		{
			name:       "trailing slash in the document",
			routes:     map[string]route{wkOAS: asDoc("{base}/", "")},
			wantRows:   []attemptRow{{wkOAS, "oauth-insert", 200, false}, {wkOIDC, "oidc-insert", 404, false}},
			wantChecks: []string{"asmeta.found:fail", "asmeta.issuer-mismatch:fail"},
		},
		{
			name:       "trailing slash in the issuer is stripped for the URL, kept for the comparison",
			issuerPath: "/t1/",
			routes:     map[string]route{wkOAS + "/t1": asDoc("{base}/t1/", "")},
			wantRows:   []attemptRow{{wkOAS + "/t1", "oauth-insert", 200, true}},
			wantChecks: goodChecks,
			wantFrom:   "oauth-insert",
		},
		{
			name:       "legacy: issuer mismatch accepted with a warning",
			issuerPath: "/v1/mcp",
			legacy:     true,
			routes:     map[string]route{wkOAS: asDoc("https://auth.example.com", "")},
			wantRows:   []attemptRow{{wkOAS, "legacy-root", 200, true}},
			wantChecks: withMismatch(1, "warn"),
			wantFrom:   "legacy-root",
		},
		{
			name:       "legacy: matching origin",
			issuerPath: "/v1/mcp",
			legacy:     true,
			routes:     map[string]route{wkOAS: asDoc("{base}", "")},
			wantRows:   []attemptRow{{wkOAS, "legacy-root", 200, true}},
			wantChecks: goodChecks,
			wantFrom:   "legacy-root",
		},
		{
			name:       "legacy: no metadata",
			issuerPath: "/mcp",
			legacy:     true,
			wantRows:   []attemptRow{{wkOAS, "legacy-root", 404, false}},
			wantChecks: []string{"asmeta.found:fail"},
		},
		{
			name:       "missing PKCE",
			routes:     map[string]route{wkOAS: asDoc("{base}", `,"code_challenge_methods_supported":[]`)},
			wantRows:   []attemptRow{{wkOAS, "oauth-insert", 200, true}},
			wantChecks: []string{"asmeta.found:pass", "asmeta.pkce-missing:fail", "asmeta.iss-supported:info", "asmeta.cimd:warn", "asmeta.registration:info"},
			wantFrom:   "oauth-insert",
		},
		{
			name:       "no S256",
			routes:     map[string]route{wkOAS: asDoc("{base}", `,"code_challenge_methods_supported":["plain"]`)},
			wantRows:   []attemptRow{{wkOAS, "oauth-insert", 200, true}},
			wantChecks: []string{"asmeta.found:pass", "asmeta.pkce-no-s256:fail", "asmeta.pkce-plain:info", "asmeta.iss-supported:info", "asmeta.cimd:warn", "asmeta.registration:info"},
			wantFrom:   "oauth-insert",
		},
		{
			name:       "S256 and plain",
			routes:     map[string]route{wkOAS: asDoc("{base}", `,"code_challenge_methods_supported":["plain","S256"]`)},
			wantRows:   []attemptRow{{wkOAS, "oauth-insert", 200, true}},
			wantChecks: []string{"asmeta.found:pass", "asmeta.pkce:pass", "asmeta.pkce-plain:info", "asmeta.iss-supported:info", "asmeta.cimd:warn", "asmeta.registration:info"},
			wantFrom:   "oauth-insert",
		},
		{
			name: "javascript: and other bad endpoints",
			routes: map[string]route{wkOAS: asDoc("{base}", `,"authorization_endpoint":"javascript:alert(1)","token_endpoint":"/token",`+
				`"registration_endpoint":"http://as.example.com/register","jwks_uri":"data:text/plain,x","revocation_endpoint":"file:///etc/passwd",`+
				`"introspection_endpoint":"http://localhost:1/introspect"`)},
			wantRows: []attemptRow{{wkOAS, "oauth-insert", 200, true}},
			wantChecks: []string{"asmeta.found:pass", "asmeta.pkce:pass",
				"asmeta.endpoint-scheme:fail", "asmeta.endpoint-scheme:fail", "asmeta.endpoint-scheme:fail", "asmeta.endpoint-scheme:fail", "asmeta.endpoint-scheme:fail",
				"asmeta.iss-supported:info", "asmeta.cimd:warn", "asmeta.registration:pass"},
			wantFrom: "oauth-insert",
		},
		{
			name:       "missing endpoints and response types",
			routes:     map[string]route{wkOAS: jsonRoute(`{"issuer":"{base}","code_challenge_methods_supported":["S256"]}`)},
			wantRows:   []attemptRow{{wkOAS, "oauth-insert", 200, true}},
			wantChecks: []string{"asmeta.found:pass", "asmeta.pkce:pass", "asmeta.endpoints:fail", "asmeta.response-types:warn", "asmeta.iss-supported:info", "asmeta.cimd:warn", "asmeta.registration:info"},
			wantFrom:   "oauth-insert",
		},
		{
			name:       "response types without code",
			routes:     map[string]route{wkOAS: asDoc("{base}", `,"response_types_supported":["token"]`)},
			wantRows:   []attemptRow{{wkOAS, "oauth-insert", 200, true}},
			wantChecks: []string{"asmeta.found:pass", "asmeta.pkce:pass", "asmeta.response-types:warn", "asmeta.iss-supported:info", "asmeta.cimd:warn", "asmeta.registration:info"},
			wantFrom:   "oauth-insert",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.routes)
			base := srv.URL
			f := &Fetcher{Client: srv.Client()}
			res := f.AuthServer(context.Background(), base+tt.issuerPath, ASOptions{Legacy: tt.legacy})

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
				if (c.Status == "fail" || c.Status == "warn") && (c.Spec == "" || c.Fix == "") {
					t.Errorf("check %s lacks spec or fix: %+v", c.ID, c)
				}
			}
		})
	}
}

func TestAuthServerMessages(t *testing.T) {
	srv := newServer(t, map[string]route{
		wkOAS:  asDoc("{base}/", ""),
		wkOIDC: {500, "text/plain", "boom"},
	})
	base := srv.URL
	res := (&Fetcher{Client: srv.Client()}).AuthServer(context.Background(), base, ASOptions{})

	found := findCheck(res.Checks, "asmeta.found")
	wantFound := "no authorization server metadata at any of 2 URLs: " + base + wkOAS + ` (200, issuer "` + base + `/" ≠ "` + base + `"), ` + base + wkOIDC + " (500)"
	if found == nil || found.Message != wantFound {
		t.Errorf("asmeta.found:\n got %+v\nwant %q", found, wantFound)
	}
	mm := findCheck(res.Checks, "asmeta.issuer-mismatch")
	wantMM := "metadata at " + base + wkOAS + ` (oauth-insert) has issuer "` + base + `/", expected "` + base +
		`"; they differ only by a trailing slash, which some lenient clients (such as the Go SDK) trim, but the comparison is exact`
	if mm == nil || mm.Message != wantMM {
		t.Errorf("asmeta.issuer-mismatch:\n got %+v\nwant %q", mm, wantMM)
	}
	if got, want := res.Attempts[1].Reason, "expected 200 application/json, got 500 text/plain"; got != want {
		t.Errorf("reason = %q, want %q", got, want)
	}
}

func TestAuthServerEndpointSchemeMessages(t *testing.T) {
	srv := newServer(t, map[string]route{wkOAS: asDoc("{base}", `,"authorization_endpoint":"javascript:alert(1)","token_endpoint":"http://as.example.com/token"`)})
	res := (&Fetcher{Client: srv.Client()}).AuthServer(context.Background(), srv.URL, ASOptions{})
	var got []string
	for _, c := range res.Checks {
		if c.ID == "asmeta.endpoint-scheme" {
			got = append(got, c.Message)
		}
	}
	want := []string{
		`authorization_endpoint "javascript:alert(1)": expected https (or http to a loopback host), got scheme "javascript"`,
		`token_endpoint "http://as.example.com/token": expected https, got http to the non-loopback host "as.example.com"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAuthServerLegacySendsHeaderAndWarns(t *testing.T) {
	var gotVersion string
	srv := newServer(t, nil)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotVersion = r.Header.Get("MCP-Protocol-Version")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"issuer":"https://other.example","code_challenge_methods_supported":["S256"]}`))
	})
	f := &Fetcher{Client: srv.Client(), Header: http.Header{"MCP-Protocol-Version": {"2025-03-26"}}}
	res := f.AuthServer(context.Background(), srv.URL+"/mcp", ASOptions{Legacy: true})
	if gotVersion != "2025-03-26" {
		t.Errorf("MCP-Protocol-Version = %q, want 2025-03-26", gotVersion)
	}
	mm := findCheck(res.Checks, "asmeta.issuer-mismatch")
	if mm == nil || mm.Status != "warn" || !strings.Contains(mm.Message, "used anyway") {
		t.Errorf("asmeta.issuer-mismatch = %+v, want a warning saying the document is used", mm)
	}
	if res.Metadata == nil || res.Metadata.Issuer != "https://other.example" {
		t.Errorf("Metadata = %+v, want the document's own issuer kept", res.Metadata)
	}
}

func TestAuthServerFlags(t *testing.T) {
	srv := newServer(t, map[string]route{wkOAS: asDoc("{base}", `,"registration_endpoint":"{base}/register",`+
		`"client_id_metadata_document_supported":true,"authorization_response_iss_parameter_supported":true`)})
	res := (&Fetcher{Client: srv.Client()}).AuthServer(context.Background(), srv.URL, ASOptions{})
	for id, want := range map[string]string{
		"asmeta.iss-supported": "authorization_response_iss_parameter_supported is true",
		"asmeta.cimd":          "client_id_metadata_document_supported is true",
		"asmeta.registration":  "registration_endpoint " + srv.URL + "/register is advertised",
	} {
		c := findCheck(res.Checks, id)
		if c == nil || c.Status != "pass" || !strings.Contains(c.Message, want) {
			t.Errorf("%s = %+v, want pass containing %q", id, c, want)
		}
	}
}

func TestAuthServerInvalidIssuer(t *testing.T) {
	res := (&Fetcher{}).AuthServer(context.Background(), "urn:example:as", ASOptions{})
	if diff := cmp.Diff([]string{"asmeta.found:fail"}, checkIDs(res.Checks)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(res.Checks[0].Message, `"urn:example:as"`) {
		t.Errorf("message %q does not name the issuer", res.Checks[0].Message)
	}
	if len(res.Attempts) != 0 {
		t.Errorf("Attempts = %+v, want none", res.Attempts)
	}
}

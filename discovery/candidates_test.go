package discovery

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPRMCandidates(t *testing.T) {
	const prm = "/.well-known/oauth-protected-resource"
	tests := []struct {
		name      string
		mcpURL    string
		headerURL string
		want      []Candidate
	}{
		{
			name:      "header, path, root",
			mcpURL:    "https://a.example/mcp",
			headerURL: "https://meta.example/prm",
			want: []Candidate{
				{URL: "https://meta.example/prm", Expect: "https://a.example/mcp", Source: "header"},
				{URL: "https://a.example" + prm + "/mcp", Expect: "https://a.example/mcp", Source: "path"},
				{URL: "https://a.example" + prm, Expect: "https://a.example", Source: "root"},
			},
		},
		{
			name:   "no header",
			mcpURL: "https://a.example/v1/mcp",
			want: []Candidate{
				{URL: "https://a.example" + prm + "/v1/mcp", Expect: "https://a.example/v1/mcp", Source: "path"},
				{URL: "https://a.example" + prm, Expect: "https://a.example", Source: "root"},
			},
		},
		{
			name:   "terminating slash removed, query kept, port kept",
			mcpURL: "http://127.0.0.1:8080/mcp/?tenant=a",
			want: []Candidate{
				{URL: "http://127.0.0.1:8080" + prm + "/mcp?tenant=a", Expect: "http://127.0.0.1:8080/mcp/?tenant=a", Source: "path"},
				{URL: "http://127.0.0.1:8080" + prm, Expect: "http://127.0.0.1:8080", Source: "root"},
			},
		},
		{
			name:   "root path only",
			mcpURL: "https://a.example/",
			want:   []Candidate{{URL: "https://a.example" + prm, Expect: "https://a.example", Source: "root"}},
		},
		{
			name:   "no path",
			mcpURL: "https://a.example",
			want:   []Candidate{{URL: "https://a.example" + prm, Expect: "https://a.example", Source: "root"}},
		},
		{
			name:   "query without path (RFC 9728 §3.1)",
			mcpURL: "https://a.example/?t=1",
			want: []Candidate{
				{URL: "https://a.example" + prm + "?t=1", Expect: "https://a.example/?t=1", Source: "path"},
				{URL: "https://a.example" + prm, Expect: "https://a.example", Source: "root"},
			},
		},
		{
			name:      "header equal to path-aware URL is deduplicated",
			mcpURL:    "https://a.example/mcp",
			headerURL: "https://a.example" + prm + "/mcp",
			want: []Candidate{
				{URL: "https://a.example" + prm + "/mcp", Expect: "https://a.example/mcp", Source: "header"},
				{URL: "https://a.example" + prm, Expect: "https://a.example", Source: "root"},
			},
		},
		{
			name:      "header equal to root URL is deduplicated",
			mcpURL:    "https://a.example/",
			headerURL: "https://a.example" + prm,
			want: []Candidate{
				{URL: "https://a.example" + prm, Expect: "https://a.example/", Source: "header"},
			},
		},
		{
			name:      "unparsable MCP URL keeps the header",
			mcpURL:    "not a url",
			headerURL: "https://meta.example/prm",
			want:      []Candidate{{URL: "https://meta.example/prm", Expect: "not a url", Source: "header"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, PRMCandidates(tt.mcpURL, tt.headerURL)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestASCandidates(t *testing.T) {
	tests := []struct {
		name   string
		issuer string
		want   []Candidate
	}{
		{
			name:   "issuer with path",
			issuer: "https://auth.example.com/tenant1",
			want: []Candidate{
				{URL: "https://auth.example.com/.well-known/oauth-authorization-server/tenant1", Expect: "https://auth.example.com/tenant1", Source: "oauth-insert"},
				{URL: "https://auth.example.com/.well-known/openid-configuration/tenant1", Expect: "https://auth.example.com/tenant1", Source: "oidc-insert"},
				{URL: "https://auth.example.com/tenant1/.well-known/openid-configuration", Expect: "https://auth.example.com/tenant1", Source: "oidc-append"},
			},
		},
		{
			name:   "issuer with path and trailing slash",
			issuer: "https://auth.example.com/t/v2/",
			want: []Candidate{
				{URL: "https://auth.example.com/.well-known/oauth-authorization-server/t/v2", Expect: "https://auth.example.com/t/v2/", Source: "oauth-insert"},
				{URL: "https://auth.example.com/.well-known/openid-configuration/t/v2", Expect: "https://auth.example.com/t/v2/", Source: "oidc-insert"},
				{URL: "https://auth.example.com/t/v2/.well-known/openid-configuration", Expect: "https://auth.example.com/t/v2/", Source: "oidc-append"},
			},
		},
		{
			name:   "issuer without path",
			issuer: "https://auth.example.com",
			want: []Candidate{
				{URL: "https://auth.example.com/.well-known/oauth-authorization-server", Expect: "https://auth.example.com", Source: "oauth-insert"},
				{URL: "https://auth.example.com/.well-known/openid-configuration", Expect: "https://auth.example.com", Source: "oidc-insert"},
			},
		},
		{
			name:   "issuer with only a slash",
			issuer: "https://auth.example.com/",
			want: []Candidate{
				{URL: "https://auth.example.com/.well-known/oauth-authorization-server", Expect: "https://auth.example.com/", Source: "oauth-insert"},
				{URL: "https://auth.example.com/.well-known/openid-configuration", Expect: "https://auth.example.com/", Source: "oidc-insert"},
			},
		},
		{name: "relative issuer", issuer: "/tenant", want: nil},
		{name: "other scheme", issuer: "urn:example:as", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ASCandidates(tt.issuer)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestLegacyASCandidate(t *testing.T) {
	tests := []struct {
		name, mcpURL string
		want         Candidate
	}{
		{"path discarded", "https://mcp.example.com:8443/v1/mcp?x=1", Candidate{URL: "https://mcp.example.com:8443/.well-known/oauth-authorization-server", Expect: "https://mcp.example.com:8443", Source: "legacy-root"}},
		{"no path", "http://127.0.0.1:9", Candidate{URL: "http://127.0.0.1:9/.well-known/oauth-authorization-server", Expect: "http://127.0.0.1:9", Source: "legacy-root"}},
		{"invalid", "::", Candidate{Source: "legacy-root"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, LegacyASCandidate(tt.mcpURL)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestLegacyDefaultEndpoints(t *testing.T) {
	want := &AuthServerMetadata{
		Issuer:                        "https://mcp.example.com",
		AuthorizationEndpoint:         "https://mcp.example.com/authorize",
		TokenEndpoint:                 "https://mcp.example.com/token",
		RegistrationEndpoint:          "https://mcp.example.com/register",
		CodeChallengeMethodsSupported: []string{"S256"},
	}
	if diff := cmp.Diff(want, LegacyDefaultEndpoints("https://mcp.example.com/v1/mcp")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := LegacyDefaultEndpoints("relative/path"); got != nil {
		t.Errorf("LegacyDefaultEndpoints(relative) = %+v, want nil", got)
	}
}

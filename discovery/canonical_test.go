package discovery

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCanonicalResource(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    string
		wantErr string
	}{
		{name: "already canonical", raw: "https://mcp.example.com/mcp", want: "https://mcp.example.com/mcp"},
		{name: "scheme and host lower-cased", raw: "HTTPS://MCP.Example.COM/Path/MCP", want: "https://mcp.example.com/Path/MCP"},
		{name: "port kept", raw: "https://mcp.example.com:443/mcp", want: "https://mcp.example.com:443/mcp"},
		{name: "trailing slash kept", raw: "https://mcp.example.com/", want: "https://mcp.example.com/"},
		{name: "no path kept", raw: "https://mcp.example.com", want: "https://mcp.example.com"},
		{name: "query and escaping kept", raw: "https://A.example/a%2Fb?X=Y&z", want: "https://a.example/a%2Fb?X=Y&z"},
		{name: "loopback http with port", raw: "http://127.0.0.1:8080/mcp", want: "http://127.0.0.1:8080/mcp"},
		{name: "ipv6 host", raw: "http://[::1]:9/mcp", want: "http://[::1]:9/mcp"},
		{name: "fragment", raw: "https://a.example/mcp#frag", wantErr: `resource "https://a.example/mcp#frag": expected no fragment`},
		{name: "empty fragment", raw: "https://a.example/mcp#", wantErr: "expected no fragment"},
		{name: "relative", raw: "/mcp", wantErr: `resource "/mcp": expected an absolute http or https URL, got scheme ""`},
		{name: "other scheme", raw: "ftp://a.example/x", wantErr: `got scheme "ftp"`},
		{name: "no host", raw: "https:///mcp", wantErr: "with a host"},
		{name: "opaque", raw: "https:a.example", wantErr: "with a host"},
		{name: "unparsable", raw: "https://a b/", wantErr: `resource "https://a b/": expected an absolute http or https URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalResource(tt.raw)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("error = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
}

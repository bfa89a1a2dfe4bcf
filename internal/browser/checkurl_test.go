package browser

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckURL(t *testing.T) {
	long := "https://example.test/" + strings.Repeat("a", 300)
	tests := []struct {
		name    string
		url     string
		wantErr string // substring; empty means accepted
	}{
		{name: "https", url: "https://as.example.test/authorize?client_id=x&state=y"},
		{name: "https upper-case scheme", url: "HTTPS://as.example.test/authorize"},
		{name: "https with port", url: "https://as.example.test:8443/authorize"},
		{name: "http localhost", url: "http://localhost:3001/authorize"},
		{name: "http 127.0.0.1", url: "http://127.0.0.1:3001/authorize"},
		{name: "http 127.0.0.0/8", url: "http://127.9.8.7/authorize"},
		{name: "http ::1", url: "http://[::1]:3001/authorize"},
		{name: "http remote host", url: "http://as.example.test/authorize", wantErr: "http only for a loopback host"},
		{name: "http looks like localhost", url: "http://localhost.example.test/authorize", wantErr: "http only for a loopback host"},
		{name: "http private address", url: "http://10.0.0.1/authorize", wantErr: "http only for a loopback host"},
		{name: "javascript", url: "javascript:alert(1)", wantErr: `not "javascript:"`},
		{name: "javascript mixed case", url: "JavaScript:alert(1)", wantErr: `not "javascript:"`},
		{name: "data", url: "data:text/html,<script>alert(1)</script>", wantErr: `not "data:"`},
		{name: "file", url: "file:///etc/passwd", wantErr: `not "file:"`},
		{name: "vbscript", url: "vbscript:msgbox(1)", wantErr: `not "vbscript:"`},
		{name: "relative path", url: "/authorize?x=1", wantErr: "not a relative reference"},
		{name: "scheme-relative", url: "//as.example.test/authorize", wantErr: "not a relative reference"},
		{name: "empty", url: "", wantErr: "not a relative reference"},
		{name: "opaque https", url: "https:as.example.test", wantErr: "with a host"},
		{name: "no host", url: "https:///authorize", wantErr: "with a host"},
		{name: "userinfo", url: "https://user@as.example.test/", wantErr: "without userinfo"},
		{name: "userinfo password", url: "https://user:pw@as.example.test/", wantErr: "without userinfo"},
		{name: "userinfo disguising host", url: "https://trusted.test@evil.test/", wantErr: "without userinfo"},
		{name: "control character", url: "https://as.example.test/\x1b[31m", wantErr: "valid absolute"},
		{name: "long URL is truncated", url: "ftp://x/" + strings.Repeat("b", 300), wantErr: "truncated from 308 bytes"},
		{name: "long https accepted", url: long},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckURL(tt.url)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckURL(%q) = %v, want nil", tt.url, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckURL(%q) = nil, want error containing %q", tt.url, tt.wantErr)
			}
			if !errors.Is(err, ErrUnsafeURL) {
				t.Errorf("error %v does not wrap ErrUnsafeURL", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			if strings.ContainsRune(err.Error(), '\x1b') {
				t.Errorf("error %q carries a raw control character", err)
			}
			if len(err.Error()) > 400 {
				t.Errorf("error is %d bytes long; the URL should be truncated", len(err.Error()))
			}
		})
	}
}

func TestCheckURLNamesTheURL(t *testing.T) {
	err := CheckURL("javascript:alert(1)")
	if err == nil || !strings.Contains(err.Error(), `"javascript:alert(1)"`) {
		t.Fatalf("error %v should quote the rejected URL", err)
	}
}

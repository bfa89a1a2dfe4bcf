package discovery

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClassifyURL(t *testing.T) {
	const public, private = false, true
	tests := []struct {
		name       string
		url        string
		private    bool
		wantFlag   bool
		wantRefuse bool
		wantWhy    string // substring of the reason
	}{
		{"public name", "https://auth.example.com/t1", public, false, false, ""},
		{"public IPv4", "https://93.184.216.34/", public, false, false, ""},
		{"public IPv6", "https://[2606:2800:220:1::]/", public, false, false, ""},
		{"loopback IPv4", "http://127.0.0.1:8080/meta", public, false, false, ""},
		{"loopback 127/8", "http://127.3.4.5/", public, false, false, ""},
		{"loopback IPv6", "http://[::1]:9000/", public, false, false, ""},
		{"localhost", "http://localhost:3000/", public, false, false, ""},
		{"sub.localhost", "http://as.localhost:3000/", public, false, false, ""},
		{"10/8", "https://10.1.2.3/", public, true, true, "private address (RFC 1918)"},
		{"172.16/12", "https://172.31.255.1/", public, true, true, "RFC 1918"},
		{"172.32 is public", "https://172.32.0.1/", public, false, false, ""},
		{"192.168/16", "https://192.168.0.10:8443/x", public, true, true, "RFC 1918"},
		{"cloud metadata", "http://169.254.169.254/latest/meta-data/", public, true, true, "cloud instance metadata"},
		{"link-local v4", "http://169.254.10.1/", public, true, true, "link-local"},
		{"link-local v6", "http://[fe80::1]/", public, true, true, "link-local"},
		{"zone", "http://[fe80::1%25eth0]/", public, true, true, "zone"},
		{"CGNAT", "https://100.64.0.1/", public, true, true, "100.64.0.0/10"},
		{"100.128 is public", "https://100.128.0.1/", public, false, false, ""},
		{"ULA", "https://[fd12:3456::1]/", public, true, true, "unique local"},
		{"AWS IPv6 metadata", "http://[fd00:ec2::254]/", private, true, true, "cloud instance metadata"},
		{"unspecified v4", "http://0.0.0.0:8080/", public, true, true, "unspecified"},
		{"this network", "http://0.1.2.3/", public, true, true, "unspecified"},
		{"unspecified v6", "http://[::]/", public, true, true, "unspecified"},
		{"multicast v4", "http://224.0.0.1/", public, true, true, "multicast"},
		{"multicast v6", "http://[ff02::1]/", public, true, true, "multicast"},
		{"broadcast", "http://255.255.255.255/", public, true, true, "broadcast"},
		{"decimal", "http://2130706433/", public, true, true, "odd encoding of the IPv4 address 127.0.0.1"},
		{"hex", "http://0x7f000001/", public, true, true, "127.0.0.1"},
		{"octal", "http://0177.0.0.1/", public, true, true, "127.0.0.1"},
		{"leading zero", "http://010.0.0.1/", public, true, true, "8.0.0.1"},
		{"short form", "http://10.1/", public, true, true, "10.0.0.1"},
		{"dotted hex", "http://0xa9.0xfe.0xa9.0xfe/", public, true, true, "169.254.169.254"},
		{"decimal metadata", "http://2852039166/", public, true, true, "169.254.169.254"},
		{"trailing dot", "http://10.0.0.1./", public, true, true, "trailing dot"},
		{"IPv4-mapped", "http://[::ffff:169.254.169.254]/", public, true, true, "IPv4-mapped"},
		{"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]/", public, true, true, "IPv4-mapped"},
		{"IPv4-compatible", "http://[::10.0.0.1]/", public, true, true, "IPv4-compatible"},
		{"NAT64 private", "http://[64:ff9b::a00:1]/", public, true, true, "NAT64"},
		{"NAT64 public", "http://[64:ff9b::5db8:d822]/", public, false, false, ""},
		{"GCP metadata name", "http://metadata.google.internal/computeMetadata/v1/", public, true, true, "cloud instance metadata service"},
		{"private-use name", "https://auth.corp.internal/", public, true, false, "private-use suffix .internal"},
		{"mDNS name", "http://printer.local/", public, true, false, ".local"},
		{"hex-looking name", "https://deadbeef/", public, false, false, ""},
		{"name with digits", "https://1password.com/", public, false, false, ""},
		// The MCP server is itself on a private network: private
		// destinations are expected there, the dangerous ones still are not.
		{"private from private", "https://10.1.2.3/", private, false, false, ""},
		{"CGNAT from private", "https://100.64.0.1/", private, false, false, ""},
		{"private name from private", "https://auth.corp.internal/", private, false, false, ""},
		{"metadata from private", "http://169.254.169.254/", private, true, true, "cloud instance metadata"},
		{"odd from private", "http://0x0a000001/", private, true, true, "odd encoding"},
		{"unparsable", "http://[::1/", public, false, false, ""},
		{"relative", "/meta", public, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := classifyURL(tt.url, tt.private)
			if (v.why != "") != tt.wantFlag || v.refuse != tt.wantRefuse {
				t.Fatalf("classifyURL(%q, private=%v) = %+v; want flagged=%v refuse=%v", tt.url, tt.private, v, tt.wantFlag, tt.wantRefuse)
			}
			if !strings.Contains(v.why, tt.wantWhy) {
				t.Errorf("reason %q does not mention %q", v.why, tt.wantWhy)
			}
		})
	}
}

func TestPrivateContext(t *testing.T) {
	for u, want := range map[string]bool{
		"https://mcp.example.com/mcp":   false,
		"http://127.0.0.1:3000/mcp":     true,
		"http://localhost:3000/mcp":     true,
		"http://192.168.1.20/mcp":       true,
		"http://[fd00::5]/mcp":          true,
		"http://100.100.1.1/mcp":        true,
		"https://mcp.svc.internal/mcp":  true,
		"https://93.184.216.34/mcp":     false,
		"":                              false,
		"not a url":                     false,
		"https://169.254.169.254/mcp":   false,
		"https://mcp.example.com.:8443": false,
	} {
		if got := privateContext(u); got != want {
			t.Errorf("privateContext(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestSuspiciousURL(t *testing.T) {
	if why, refuse := SuspiciousURL("http://10.0.0.7/token", "https://mcp.example.com/mcp"); why == "" || !refuse {
		t.Errorf("private token endpoint of a public server: %q, %v", why, refuse)
	}
	if why, _ := SuspiciousURL("http://10.0.0.7/token", "http://10.0.0.6/mcp"); why != "" {
		t.Errorf("private token endpoint of a private server flagged: %q", why)
	}
}

func TestParseLooseIPv4(t *testing.T) {
	for in, want := range map[string]string{
		"2130706433": "127.0.0.1", "0x7f000001": "127.0.0.1", "0177.1": "127.0.0.1",
		"1.2.3": "1.2.0.3", "1.2.3.4": "1.2.3.4", "0x0": "0.0.0.0", "0": "0.0.0.0",
	} {
		a, ok := parseLooseIPv4(in)
		if !ok || a.String() != want {
			t.Errorf("parseLooseIPv4(%q) = %v, %v; want %s", in, a, ok, want)
		}
	}
	for _, in := range []string{"", "1.2.3.4.5", "256.1.1.1", "08", "0x", "1..2", "4294967296", "1.16777216", "abc", "example"} {
		if a, ok := parseLooseIPv4(in); ok {
			t.Errorf("parseLooseIPv4(%q) = %v, want no address", in, a)
		}
	}
}

func TestProtectedResourceSSRF(t *testing.T) {
	t.Run("private resource_metadata is not fetched", func(t *testing.T) {
		base := newServer(t, map[string]route{wkPRMPath: prmDoc("{base}/mcp", "")}).URL
		// The MCP server is on loopback, which counts as a private
		// network; a link-local header URL is refused wherever the server is.
		res := (&Fetcher{}).ProtectedResource(context.Background(), base+"/mcp", "http://169.254.169.254/latest/meta-data/")
		if res.Attempts[0].Status != 0 || !strings.Contains(res.Attempts[0].Reason, "not fetched (SSRF guard)") {
			t.Errorf("header attempt = %+v; want not fetched", res.Attempts[0])
		}
		if res.From == nil || res.From.Source != SourcePath {
			t.Fatalf("want the path-aware document after the refused header URL, got %+v", res.Attempts)
		}
		c := findCheck(res.Checks, SSRFCheckID)
		if c == nil || c.Status != "warn" || !strings.Contains(c.Message, "resource_metadata URL") {
			t.Errorf("ssrf check = %+v", c)
		}
	})
	t.Run("authorization_servers flagged", func(t *testing.T) {
		base := newServer(t, map[string]route{
			wkPRMPath: jsonRoute(`{"resource":"{base}/mcp","authorization_servers":["https://0x7f000001/"]}`),
		}).URL
		res := (&Fetcher{}).ProtectedResource(context.Background(), base+"/mcp", "")
		got := checkIDs(res.Checks)
		want := []string{"prm.found:pass", SSRFCheckID + ":warn", "prm.authorization-servers:pass"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("checks (-want +got):\n%s", diff)
		}
	})
}

func TestAuthServerSSRF(t *testing.T) {
	t.Run("private issuer of a public server is not fetched", func(t *testing.T) {
		res := (&Fetcher{}).AuthServer(context.Background(), "https://10.9.8.7/tenant", ASOptions{ServerURL: "https://mcp.example.com/mcp"})
		for _, a := range res.Attempts {
			if a.Status != 0 || !strings.Contains(a.Reason, "not fetched (SSRF guard)") {
				t.Errorf("attempt %+v; want not fetched", a)
			}
		}
		if len(res.Attempts) != 3 || res.Metadata != nil {
			t.Fatalf("attempts %+v", res.Attempts)
		}
		want := []string{"asmeta.found:fail", SSRFCheckID + ":warn"}
		if diff := cmp.Diff(want, checkIDs(res.Checks)); diff != "" {
			t.Errorf("checks (-want +got):\n%s", diff)
		}
	})
	t.Run("endpoints at internal addresses flagged", func(t *testing.T) {
		base := newServer(t, map[string]route{
			"/.well-known/oauth-authorization-server": jsonRoute(`{"issuer":"{base}","authorization_endpoint":"{base}/authorize",
				"token_endpoint":"https://169.254.169.254/token","jwks_uri":"https://[::ffff:10.0.0.1]/jwks",
				"response_types_supported":["code"],"code_challenge_methods_supported":["S256"]}`),
		}).URL
		res := (&Fetcher{}).AuthServer(context.Background(), base, ASOptions{ServerURL: base + "/mcp"})
		var msgs []string
		for _, c := range res.Checks {
			if c.ID == SSRFCheckID {
				msgs = append(msgs, c.Message)
			}
		}
		if len(msgs) != 2 || !strings.Contains(msgs[0], "token_endpoint") || !strings.Contains(msgs[1], "jwks_uri") {
			t.Errorf("ssrf checks: %q", msgs)
		}
	})
	t.Run("legacy issuer is the server itself", func(t *testing.T) {
		offline := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			return nil, errors.New("offline")
		})}
		res := (&Fetcher{Client: offline}).AuthServer(context.Background(), "http://192.168.77.1:1/mcp", ASOptions{Legacy: true})
		if findCheck(res.Checks, SSRFCheckID) != nil {
			t.Errorf("legacy issuer on the server's own private host flagged: %v", checkIDs(res.Checks))
		}
		if !strings.Contains(res.Attempts[0].Reason, "offline") {
			t.Errorf("legacy candidate refused: %+v", res.Attempts[0])
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSSRFRedirectRefused(t *testing.T) {
	srv := newServer(t, map[string]route{wkPRMPath: prmDoc("{base}/mcp", "")})
	inner := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/meta" {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
			return
		}
		inner.ServeHTTP(w, r)
	})
	res := (&Fetcher{}).ProtectedResource(context.Background(), srv.URL+"/mcp", srv.URL+"/meta")
	if a := res.Attempts[0]; a.Status != 0 || !strings.Contains(a.Reason, "refused (SSRF guard)") || !strings.Contains(a.Reason, "cloud instance metadata") {
		t.Errorf("redirected header attempt = %+v; want the redirect refused", a)
	}
	if res.From == nil || res.From.Source != SourcePath {
		t.Errorf("want the path-aware document after the refused redirect, got %+v", res.Attempts)
	}
	// Discovery went on elsewhere; the refused redirect is still a finding.
	if c := findCheck(res.Checks, "discovery.ssrf-suspicious-url"); c == nil || !strings.Contains(c.Message, "/meta (resource_metadata from WWW-Authenticate) redirected somewhere a client must not follow: redirect to http://169.254.169.254/") {
		t.Errorf("ssrf check = %+v, want the refused redirect named", c)
	}
}

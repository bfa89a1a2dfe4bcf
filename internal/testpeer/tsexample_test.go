package testpeer

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"testpeer","version":"0"}}}`

var resourceMetadataRE = regexp.MustCompile(`resource_metadata="([^"]+)"`)

func TestTSExampleAnswersUnauthenticatedWith401(t *testing.T) {
	var mcpPort, authPort int
	var skipped bool
	t.Run("running", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		mcpURL := StartTSExample(t)
		c := &http.Client{Timeout: 10 * time.Second}

		req, err := http.NewRequest(http.MethodPost, mcpURL, strings.NewReader(initializeBody))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", mcpURL, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("POST %s: status %d, want 401", mcpURL, resp.StatusCode)
		}
		challenge := resp.Header.Get("WWW-Authenticate")
		if !strings.HasPrefix(challenge, "Bearer ") {
			t.Fatalf("WWW-Authenticate = %q, want a Bearer challenge", challenge)
		}
		m := resourceMetadataRE.FindStringSubmatch(challenge)
		if m == nil {
			t.Fatalf("WWW-Authenticate = %q, want resource_metadata", challenge)
		}

		// The protected resource metadata names the AS, whose port is the
		// second one the peer listens on.
		var prm struct {
			Resource             string   `json:"resource"`
			AuthorizationServers []string `json:"authorization_servers"`
		}
		getJSON(t, c, m[1], &prm)
		if prm.Resource != mcpURL {
			t.Errorf("PRM resource = %q, want %q", prm.Resource, mcpURL)
		}
		if len(prm.AuthorizationServers) != 1 {
			t.Fatalf("PRM authorization_servers = %q, want one", prm.AuthorizationServers)
		}
		mcpPort = portOf(t, mcpURL)
		authPort = portOf(t, prm.AuthorizationServers[0])

		var asMeta struct {
			Issuer string `json:"issuer"`
		}
		getJSON(t, c, strings.TrimSuffix(prm.AuthorizationServers[0], "/")+"/.well-known/oauth-authorization-server", &asMeta)
		if asMeta.Issuer != prm.AuthorizationServers[0] {
			t.Errorf("AS issuer = %q, want %q", asMeta.Issuer, prm.AuthorizationServers[0])
		}

		assertLoopbackOnly(t, mcpPort, authPort)
	})
	if skipped {
		t.Skip("the peer is not installed")
	}
	if mcpPort == 0 {
		return // skipped or failed before the ports were known
	}

	// The cleanup of the subtest has run: the process group is gone.
	for _, port := range []int{mcpPort, authPort} {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after the test's cleanup", addr)
		}
	}
}

func getJSON(t *testing.T, c *http.Client, u string, v any) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", u, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", u, err, body)
	}
}

func portOf(t *testing.T, raw string) int {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("no port in %q", raw)
	}
	return port
}

// assertLoopbackOnly reads the kernel's socket tables: each port must have a
// listener, and every listener on it must be 127.0.0.1, never 0.0.0.0 or ::.
func assertLoopbackOnly(t *testing.T, ports ...int) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Log("listener addresses are only checked on Linux")
		return
	}
	listeners := map[int][]string{}
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		for port, addrs := range listening(t, file) {
			listeners[port] = append(listeners[port], addrs...)
		}
	}
	for _, port := range ports {
		addrs := listeners[port]
		if len(addrs) == 0 {
			t.Errorf("port %d: no listener in /proc/net/tcp{,6}", port)
		}
		for _, a := range addrs {
			if a != "127.0.0.1" {
				t.Errorf("port %d: listening on %s, want 127.0.0.1 only", port, a)
			}
		}
	}
}

// listening maps port to the local addresses of LISTEN sockets in file.
func listening(t *testing.T, file string) map[int][]string {
	t.Helper()
	f, err := os.Open(file)
	if os.IsNotExist(err) {
		return nil // no IPv6 in this kernel
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[int][]string{}
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || fields[3] != "0A" { // 0A: TCP_LISTEN
			continue
		}
		hexAddr, hexPort, ok := strings.Cut(fields[1], ":")
		if !ok {
			continue
		}
		port, err := strconv.ParseUint(hexPort, 16, 16)
		if err != nil {
			t.Fatalf("%s: bad port in %q", file, fields[1])
		}
		out[int(port)] = append(out[int(port)], decodeProcAddr(t, hexAddr))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// decodeProcAddr turns /proc/net/tcp's hex address, stored as host-order
// 32-bit words, into an IP string.
func decodeProcAddr(t *testing.T, h string) string {
	t.Helper()
	if len(h) != 8 && len(h) != 32 {
		t.Fatalf("unexpected address %q", h)
	}
	ip := make(net.IP, len(h)/2)
	for w := 0; w < len(h)/8; w++ {
		v, err := strconv.ParseUint(h[w*8:w*8+8], 16, 32)
		if err != nil {
			t.Fatalf("unexpected address %q", h)
		}
		binary.NativeEndian.PutUint32(ip[w*4:], uint32(v))
	}
	return ip.String()
}

func TestDecodeProcAddr(t *testing.T) {
	for in, want := range map[string]string{
		"0100007F":                         "127.0.0.1",
		"00000000":                         "0.0.0.0",
		"00000000000000000000000000000000": "::",
		"00000000000000000000000001000000": "::1",
	} {
		if got := decodeProcAddr(t, in); got != want {
			t.Errorf("decodeProcAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

package testpeer

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const everythingScript = "node_modules/@modelcontextprotocol/server-everything/dist/index.js"

// StartEverything runs the reference "everything" server
// (@modelcontextprotocol/server-everything) over streamable HTTP, without
// authorization, on a free loopback port, and returns its MCP endpoint.
// It reads PORT and calls app.listen(PORT) on every interface, so it runs
// with tests/peers/loopback-only.cjs like the TypeScript example.
func StartEverything(t testing.TB) (mcpURL string) {
	t.Helper()
	node := nodeFor(t, "the everything server", everythingScript)
	dir := filepath.Join(repoRoot(t), filepath.FromSlash(peersDir))
	var lastErr error
	for try := 1; try <= startTries; try++ {
		port, _ := freePorts(t)
		p, err := startNode(t, node, dir, []string{"PORT=" + strconv.Itoa(port), "PEER_LISTEN_HOST=127.0.0.1"},
			[]string{"--require", filepath.Join(dir, preload), filepath.Join(dir, filepath.FromSlash(everythingScript)), "streamableHttp"}, port)
		if err == nil {
			return fmt.Sprintf("http://127.0.0.1:%d/mcp", port)
		}
		lastErr = err
		if !strings.Contains(p.output(), "EADDRINUSE") && !strings.Contains(p.output(), "already in use") {
			break
		}
	}
	t.Fatalf("testpeer: the everything server did not start: %v", lastErr)
	return ""
}

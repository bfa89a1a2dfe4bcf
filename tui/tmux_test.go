package tui

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/testpeer"
)

// TestTmux runs scripts/tmux-test.sh: the built binary in a real terminal
// (tmux), stepped through with send-keys, against the demo servers and
// against the TypeScript SDK's example server with its demo OAuth provider
// (software we did not write), calling a tool of each from the explorer.
// It is skipped without tmux unless CI=true, and in -short mode.
func TestTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the real-terminal test")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed; CI must install it (apt-get install tmux)")
		}
		t.Skip("tmux is not installed")
	}
	bin := filepath.Join(t.TempDir(), "mcpwalk")
	if out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "../cmd/mcpwalk").CombinedOutput(); err != nil {
		t.Fatalf("building mcpwalk: %v\n%s", err, out)
	}
	run := func(t *testing.T, env ...string) {
		cmd := exec.CommandContext(t.Context(), "bash", filepath.Join("..", "scripts", "tmux-test.sh"))
		cmd.Env = append(append(os.Environ(), "MCPWALK_BIN="+bin), env...)
		out, err := cmd.CombinedOutput()
		t.Logf("%s", out)
		if err != nil {
			t.Fatalf("tmux-test.sh: %v", err)
		}
	}
	t.Run("demo", func(t *testing.T) { run(t) })
	t.Run("typescript-example", func(t *testing.T) {
		url := testpeer.StartTSExample(t)
		run(t, "MCPWALK_TUI_URL="+url, "MCPWALK_TUI_TOOL=greet")
	})
}

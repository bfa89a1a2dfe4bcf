package cmd

import (
	"fmt"
	"os"
	"testing"
)

// TestMain keeps the tests away from the user's keychain and data
// directory: the default store is none, and a test that stores tokens
// names --token-store file with its own XDG_DATA_HOME.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mcpwalk-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_DATA_HOME", dir)
	os.Setenv("MCPWALK_TOKEN_STORE", "none")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

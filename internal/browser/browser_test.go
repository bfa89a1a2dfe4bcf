package browser

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	pkgbrowser "github.com/pkg/browser"
)

func TestPrinterOpen(t *testing.T) {
	var buf bytes.Buffer
	p := Printer{W: &buf}
	url := "https://as.example.test/authorize?client_id=abc&state=xyz"
	if err := p.Open(url); err != nil {
		t.Fatalf("Open: %v", err)
	}
	want := "Open this URL in a browser:\n  " + url + "\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("printed text (-want +got):\n%s", diff)
	}
}

func TestPrinterRefusesUnsafeURL(t *testing.T) {
	var buf bytes.Buffer
	err := Printer{W: &buf}.Open("javascript:alert(1)")
	if !errors.Is(err, ErrUnsafeURL) {
		t.Fatalf("Open error = %v, want ErrUnsafeURL", err)
	}
	if buf.Len() != 0 {
		t.Errorf("printed %q for a refused URL", buf.String())
	}
}

// fakeLauncher puts an xdg-open on PATH that records its argument vector and
// chatters on stdout and stderr, so System runs pkg/browser for real without
// starting a browser. Not parallel: it changes PATH.
func fakeLauncher(t *testing.T) (argsFile string) {
	t.Helper()
	dir := t.TempDir()
	argsFile = filepath.Join(dir, "args")
	script := "#!/bin/sh\n" +
		"for a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + argsFile + "'; done\n" +
		"echo launcher-stdout\n" +
		"echo launcher-stderr >&2\n"
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	return argsFile
}

func TestSystemOpenRunsLauncherWithoutShell(t *testing.T) {
	argsFile := fakeLauncher(t)
	var stderr bytes.Buffer
	// Characters a shell would interpret must arrive as one literal argument.
	url := "https://as.example.test/authorize?a=1&b=$(touch%20x);c=`id`"
	if err := (System{Stderr: &stderr}).Open(url); err != nil {
		t.Fatalf("Open: %v", err)
	}
	got, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(url+"\n", string(got)); diff != "" {
		t.Errorf("launcher argv (-want +got):\n%s", diff)
	}
	for _, line := range []string{"launcher-stdout", "launcher-stderr"} {
		if !strings.Contains(stderr.String(), line) {
			t.Errorf("Stderr = %q, want it to contain %q", stderr.String(), line)
		}
	}
	if pkgbrowser.Stdout != os.Stdout || pkgbrowser.Stderr != os.Stderr {
		t.Error("pkg/browser's output globals were not restored")
	}
}

func TestSystemOpenRefusesUnsafeURL(t *testing.T) {
	argsFile := fakeLauncher(t)
	err := (System{}).Open("file:///etc/passwd")
	if !errors.Is(err, ErrUnsafeURL) {
		t.Fatalf("Open error = %v, want ErrUnsafeURL", err)
	}
	if _, err := os.Stat(argsFile); !os.IsNotExist(err) {
		t.Error("the launcher ran for a refused URL")
	}
}

func TestSystemOpenReportsLauncherFailure(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no launcher at all
	err := (System{}).Open("https://as.example.test/authorize")
	if err == nil || !strings.Contains(err.Error(), `"https://as.example.test/authorize"`) {
		t.Fatalf("Open error = %v, want one naming the URL", err)
	}
}

var _ Opener = System{}
var _ Opener = Printer{}

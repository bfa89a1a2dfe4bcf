// Package browser opens the authorization URL for the user: in the system
// browser, or by printing it when --no-browser is set. Every URL is checked
// first, because the authorization endpoint comes from metadata that a
// misconfigured or hostile server controls.
package browser

import (
	"fmt"
	"io"
	"sync"

	pkgbrowser "github.com/pkg/browser"
)

// Opener shows a URL to the user.
type Opener interface {
	Open(url string) error
}

// System opens URLs in the desktop's browser through github.com/pkg/browser,
// which runs xdg-open (or open, or rundll32) with the URL as one argument, never
// through a shell.
type System struct {
	// Stderr receives whatever the launcher prints. Nil discards it. The
	// launcher's stdout goes here too: stdout is reserved for machine output.
	Stderr io.Writer
}

// pkg/browser takes its output streams from package globals; this lock keeps
// concurrent Opens from swapping them under each other.
var launchMu sync.Mutex

// Open checks url with CheckURL and hands it to the system browser.
func (s System) Open(url string) error {
	if err := CheckURL(url); err != nil {
		return err
	}
	w := s.Stderr
	if w == nil {
		w = io.Discard
	}

	launchMu.Lock()
	defer launchMu.Unlock()
	prevOut, prevErr := pkgbrowser.Stdout, pkgbrowser.Stderr
	pkgbrowser.Stdout, pkgbrowser.Stderr = w, w
	defer func() { pkgbrowser.Stdout, pkgbrowser.Stderr = prevOut, prevErr }()

	if err := pkgbrowser.OpenURL(url); err != nil {
		return fmt.Errorf("browser: could not open %s: %w", quoteURL(url), err)
	}
	return nil
}

// Printer is the --no-browser opener: it prints the URL for the user to open.
type Printer struct {
	W io.Writer
}

// Open checks url with CheckURL and prints it on its own indented line.
func (p Printer) Open(url string) error {
	if err := CheckURL(url); err != nil {
		return err
	}
	_, err := fmt.Fprintf(p.W, "Open this URL in a browser:\n  %s\n", url)
	return err
}

package tui

import (
	"errors"
	"io"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mcpwalk/mcpwalk/flow"
)

// authURL is the authorization request as the engine built it, broken
// into its parameters so each can be read and checked by eye.
type authURL struct {
	raw      string
	endpoint string
	params   url.Values
}

func parseAuthURL(raw string) authURL {
	a := authURL{raw: raw}
	if u, err := url.Parse(raw); err == nil {
		a.params = u.Query()
		u.RawQuery = ""
		a.endpoint = u.String()
	}
	return a
}

// paramOrder puts the parameters a reviewer looks for first; the rest
// follow alphabetically.
var paramOrder = []string{"response_type", "client_id", "redirect_uri", "scope", "state",
	"code_challenge", "code_challenge_method", "resource"}

var paramNotes = map[string]string{
	"code_challenge":        "PKCE: SHA-256 of the verifier, which stays in mcpwalk",
	"code_challenge_method": "must be S256",
	"state":                 "checked when the redirect comes back",
	"resource":              "RFC 8707: the MCP server the token is for",
	"redirect_uri":          "the loopback listener",
}

func (a authURL) render(w int, waiting bool) string {
	var b strings.Builder
	b.WriteString(styleSection.Render("Authorization request") + "\n")
	if waiting {
		b.WriteString(wrapIndent("Waiting for the redirect back. "+styleKey.Render("o")+" open in the browser · "+
			styleKey.Render("c")+" copy the URL (OSC 52) · "+styleKey.Render("p")+
			" paste the redirect URL (browser on another machine)", w, "") + "\n")
	}
	b.WriteString(wrapIndent(styleLabel.Render("endpoint ")+a.endpoint, w, "  ") + "\n")
	seen := map[string]bool{}
	keys := []string{}
	for _, k := range paramOrder {
		if _, ok := a.params[k]; ok {
			keys = append(keys, k)
			seen[k] = true
		}
	}
	var rest []string
	for k := range a.params {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	keys = append(keys, rest...)
	for _, k := range keys {
		line := styleLabel.Render(fit(k, 22)) + strings.Join(a.params[k], ", ")
		b.WriteString(wrapIndent(line, w, "  ") + "\n")
		if n := paramNotes[k]; n != "" {
			b.WriteString(wrapIndent(styleMuted.Render("↳ "+n), w, strings.Repeat(" ", 24)) + "\n")
		}
	}
	b.WriteString("\n" + styleLabel.Render("full URL") + "\n" + wrapIndent(a.raw, w, "  ") + "\n")
	return b.String()
}

// openURL opens the authorization URL with the browser opener.
func openURL(b flow.Browser, u string) tea.Cmd {
	return func() tea.Msg {
		if b == nil {
			return openedMsg{err: errors.New("no browser available: copy the URL with c")}
		}
		return openedMsg{err: b.Open(u)}
	}
}

// copyURL writes an OSC 52 clipboard sequence to the terminal: it works
// over SSH, where the local clipboard is out of reach. Inside tmux or
// screen the sequence is wrapped so that the outer terminal gets it.
func copyURL(out io.Writer, u string) tea.Cmd {
	return func() tea.Msg {
		if out == nil {
			return copiedMsg{err: errors.New("no terminal to copy through")}
		}
		seq := osc52.New(u)
		switch {
		case os.Getenv("TMUX") != "":
			seq = seq.Tmux()
		case strings.HasPrefix(os.Getenv("TERM"), "screen"):
			seq = seq.Screen()
		}
		_, err := seq.WriteTo(out)
		return copiedMsg{err: err}
	}
}

// stdout is where OSC 52 goes when Options.Out is nil.
var stdout io.Writer = os.Stdout

package cmd

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/spf13/cobra"
)

func TestWalkFlags(t *testing.T) {
	io, _, _ := TestIO()
	f := NewFactory(io)
	var got *WalkOptions
	c := NewCmdWalk(f, func(o *WalkOptions) error { got = o; return nil })
	c.SetArgs([]string{"--auto", "--headless", "--no-browser", "--client-id", "app", "--scope", "a,b",
		"--callback-port", "8765", "--timeout", "5s", "--protocol-version", "2025-06-18", "https://mcp.example.com/mcp"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	want := clientFlags{ClientID: "app", Scopes: []string{"a", "b"}, Grant: "authorization_code", DPoP: "auto"}
	if diff := cmp.Diff(want, got.Client); diff != "" {
		t.Errorf("client flags (-want +got):\n%s", diff)
	}
	if !got.Auto || !got.Callback.Headless || !got.Callback.NoBrowser || got.Callback.Port != 8765 ||
		got.Output.Timeout != 5*time.Second || got.Protocol != "2025-06-18" || got.Server != "https://mcp.example.com/mcp" {
		t.Errorf("parsed %+v", got)
	}
}

func TestWalkArgs(t *testing.T) {
	io, _, _ := TestIO()
	c := NewCmdWalk(NewFactory(io), func(*WalkOptions) error { return nil })
	c.SetArgs([]string{})
	c.SilenceErrors, c.SilenceUsage = true, true
	var u errUsage
	if err := c.Execute(); err == nil || !asUsage(err, &u) {
		t.Errorf("walk without URL: err = %v, want a usage error", err)
	}
}

func asUsage(err error, u *errUsage) bool {
	e, ok := err.(errUsage)
	if ok {
		*u = e
	}
	return ok
}

func TestRootURLRunsWalk(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantURL  string
		wantAuto bool
		usage    bool
	}{
		{name: "url", args: []string{"https://mcp.example.com/mcp"}, wantURL: "https://mcp.example.com/mcp"},
		{name: "url with flags", args: []string{"--auto", "http://127.0.0.1:3000/mcp"}, wantURL: "http://127.0.0.1:3000/mcp", wantAuto: true},
		{name: "walk subcommand", args: []string{"walk", "https://a.example/mcp"}, wantURL: "https://a.example/mcp"},
		{name: "two urls", args: []string{"https://a.example/mcp", "https://b.example/mcp"}, usage: true},
		{name: "bare", args: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, _ := TestIO()
			f := NewFactory(io)
			root := &cobra.Command{Use: "mcpwalk", SilenceErrors: true, SilenceUsage: true}
			root.SetOut(io.Out)
			var got *WalkOptions
			addRootWalk(root, f, func(o *WalkOptions) error { got = o; return nil })
			root.SetArgs(tt.args)
			err := root.Execute()
			if tt.usage {
				var u errUsage
				if !asUsage(err, &u) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantURL == "" {
				if got != nil {
					t.Errorf("bare mcpwalk ran a walk: %+v", got)
				}
				return
			}
			if got == nil || got.Server != tt.wantURL || got.Auto != tt.wantAuto {
				t.Errorf("got %+v, want server %q auto %v", got, tt.wantURL, tt.wantAuto)
			}
		})
	}
}

func TestInteractiveNeedsTerminals(t *testing.T) {
	io, _, _ := TestIO()
	if interactive(io) {
		t.Error("buffers are not terminals")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if interactive(IOStreams{In: r, Out: w, ErrOut: w}) {
		t.Error("pipes are not terminals")
	}
}

func TestConnected(t *testing.T) {
	tests := []struct {
		name string
		rs   []flow.StepResult
		want bool
	}{
		{"none", nil, false},
		{"passed", []flow.StepResult{{ID: "probe", Status: flow.StatusPass}, {ID: "connect", Status: flow.StatusPass}}, true},
		{"re-run failed", []flow.StepResult{{ID: "connect", Status: flow.StatusPass}, {ID: "connect", Status: flow.StatusFail}}, false},
		{"fixed on re-run", []flow.StepResult{{ID: "connect", Status: flow.StatusFail}, {ID: "connect", Status: flow.StatusWarn}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := connected(tt.rs); got != tt.want {
				t.Errorf("connected = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWalkPlainWithoutTerminal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not an MCP server", http.StatusNotFound)
	}))
	defer srv.Close()
	io, out, errOut := TestIO()
	f := NewFactory(io)
	c := NewCmdWalk(f, nil)
	c.SetArgs([]string{"--headless", srv.URL + "/mcp"})
	c.SilenceErrors, c.SilenceUsage = true, true
	err := c.ExecuteContext(t.Context())
	if !errors.Is(err, errSilent) {
		t.Errorf("err = %v, want the failed walk reported", err)
	}
	if !strings.Contains(errOut.String(), "== probe") || !strings.Contains(errOut.String(), "FAILED") {
		t.Errorf("stderr lacks the plain transcript:\n%s", errOut)
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing without --json", out)
	}
}

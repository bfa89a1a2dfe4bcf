package cmd

import (
	"errors"
	"io"
	"os"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/browser"
	"github.com/mcpwalk/mcpwalk/internal/report"
	"github.com/mcpwalk/mcpwalk/tui"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// WalkOptions are the parsed flags of `mcpwalk walk` (and `mcpwalk URL`).
type WalkOptions struct {
	F      *Factory
	Server string
	walkFlags
	Auto     bool
	NoProbes bool
}

// NewCmdWalk builds `mcpwalk walk URL`: the interactive debugger in a
// terminal, the plain transcript of check otherwise.
func NewCmdWalk(f *Factory, runF func(*WalkOptions) error) *cobra.Command {
	opts := &WalkOptions{F: f}
	c := &cobra.Command{
		Use:   "walk URL",
		Short: "Step through the authorization flow interactively, then explore the server's tools, resources and prompts",
		Long: `Opens an interactive debugger when stdin and stdout are a terminal: the walk
pauses before each step (enter runs it, a runs to the end), shows every HTTP
exchange and check, lets you edit scopes, client and resource between steps,
and after connecting lets you call tools, read resources and get prompts.
Without a terminal, or with --json, it prints the same transcript as check.`,
		Example: `  mcpwalk walk https://mcp.example.com/mcp
  mcpwalk walk --auto --headless http://127.0.0.1:3000/mcp
  mcpwalk walk --no-browser https://mcp.example.com/mcp   # browser on another machine: paste the redirect`,
		Args: exactArgs(1, "the MCP server URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Server = args[0]
			if err := opts.walkFlags.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return walkCmdRun(cmd, opts)
		},
	}
	addWalkFlags(c, opts)
	return c
}

func addWalkFlags(c *cobra.Command, opts *WalkOptions) {
	opts.walkFlags.addFlags(c.Flags())
	c.Flags().BoolVar(&opts.Auto, "auto", false, "run every step without pausing (the TUI still opens)")
	c.Flags().BoolVar(&opts.NoProbes, "no-probes", false, "without a terminal: skip the server probes, as check --no-probes")
}

// addRootWalk makes `mcpwalk URL` mean `mcpwalk walk URL`; bare `mcpwalk`
// prints the help.
func addRootWalk(root *cobra.Command, f *Factory, runF func(*WalkOptions) error) {
	walk := NewCmdWalk(f, runF)
	root.AddCommand(walk)
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 1 {
			return usagef("mcpwalk expects one MCP server URL or a command (got %d arguments); see --help", len(args))
		}
		return nil
	}
	root.Flags().AddFlagSet(walk.Flags())
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		return walk.RunE(cmd, args)
	}
}

func walkCmdRun(cmd *cobra.Command, opts *WalkOptions) error {
	if opts.Output.JSON || !interactive(opts.F.IO) {
		return checkRun(cmd, &CheckOptions{F: opts.F, Server: opts.Server, walkFlags: opts.walkFlags, NoProbes: opts.NoProbes})
	}
	f := opts.F
	cfg := opts.config(opts.Server)
	st, err := opts.Store.open(cmd.Context(), f.IO.ErrOut)
	if err != nil {
		return err
	}
	red, rec, client := newHTTP(opts.Output.Timeout, false)
	// Nothing may print on the terminal the TUI draws on: the launcher's
	// chatter is discarded, and --no-browser leaves opening to the o key.
	opener := f.Browser
	if opener == nil {
		opener = browser.System{Stderr: io.Discard}
	}
	var engineBrowser flow.Browser = opener
	if opts.Callback.NoBrowser {
		engineBrowser = noBrowser{}
	}
	results, err := tui.Run(cmd.Context(), tui.Options{
		Config: cfg,
		Deps:   flow.Deps{HTTP: client, Recorder: rec, Secrets: red, Browser: engineBrowser, Listen: f.listen(), Store: st},
		Opener: opener,
		Auto:   opts.Auto,
		In:     f.IO.In,
		Out:    f.IO.Out,
	})
	if err != nil {
		return err
	}
	var walkErr error
	completed := connected(results)
	if !completed {
		walkErr = errors.New("the walk ended before the MCP session was connected")
	}
	r := report.Build(cfg.ServerURL, results, completed, walkErr)
	report.Summary(f.IO.ErrOut, r)
	if !r.OK {
		return errSilent
	}
	return nil
}

// noBrowser is the engine's browser under --no-browser in the TUI.
type noBrowser struct{}

func (noBrowser) Open(string) error {
	return errors.New("--no-browser: press o to open it here, c to copy it, or p to paste the redirect URL from another machine")
}

// connected reports whether the latest connect attempt passed.
func connected(rs []flow.StepResult) bool {
	ok := false
	for _, r := range rs {
		if r.ID == flow.StepConnect {
			ok = r.Status == flow.StatusPass || r.Status == flow.StatusWarn
		}
	}
	return ok
}

// interactive reports whether both stdin and stdout are terminals.
func interactive(s IOStreams) bool {
	return isTerminal(s.In) && isTerminal(s.Out)
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

package cmd

import (
	"github.com/spf13/cobra"
)

// CheckOptions are the parsed flags of `mcpwalk check`.
type CheckOptions struct {
	F      *Factory
	Server string
	walkFlags
	NoProbes bool
}

// NewCmdCheck builds `mcpwalk check URL`; runF replaces the run in tests.
func NewCmdCheck(f *Factory, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{F: f}
	c := &cobra.Command{
		Use:   "check URL",
		Short: "Walk the whole authorization flow against an MCP server, then list its tools, resources, prompts and skills",
		Example: `  mcpwalk check https://mcp.example.com/mcp
  mcpwalk check --headless --json http://127.0.0.1:3000/mcp
  mcpwalk check --client-id my-app --client-secret s3cret --callback-port 8765 https://mcp.example.com/mcp`,
		Args: exactArgs(1, "the MCP server URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Server = args[0]
			if err := opts.walkFlags.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return checkRun(cmd, opts)
		},
	}
	opts.walkFlags.addFlags(c.Flags())
	c.Flags().BoolVar(&opts.NoProbes, "no-probes", false, "skip the server probes (invalid token, token in the query, other resource, Origin, CORS, …)")
	return c
}

func checkRun(cmd *cobra.Command, opts *CheckOptions) error {
	cfg := opts.config(opts.Server)
	cfg.Calls = defaultCalls
	cfg.Probes = !opts.NoProbes
	st, err := opts.Store.open(cmd.Context(), opts.F.IO.ErrOut)
	if err != nil {
		return err
	}
	w := newWalk(opts.F, cfg, opts.Output, opts.Callback.NoBrowser, st)
	_, err = w.finish(w.engine.Run(cmd.Context()))
	return err
}

// exactArgs is cobra.ExactArgs with a usage error that names the argument.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s expects %s (got %d argument(s)); see --help", cmd.CommandPath(), what, len(args))
		}
		return nil
	}
}

// rangeArgs is cobra.RangeArgs with a usage error.
func rangeArgs(min, max int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min || len(args) > max {
			return usagef("%s expects %s (got %d argument(s)); see --help", cmd.CommandPath(), what, len(args))
		}
		return nil
	}
}

package cmd

import (
	"fmt"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/demo"
	"github.com/spf13/cobra"
)

// DemoOptions are the parsed flags of `mcpwalk demo`.
type DemoOptions struct {
	F          *Factory
	Serve      bool
	Fault      string
	ListFaults bool
	DPoP       bool
	DPoPNonce  bool
	Output     outputFlags
	Grading    gradingFlags
}

// NewCmdDemo builds `mcpwalk demo`.
func NewCmdDemo(f *Factory, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{F: f}
	c := &cobra.Command{
		Use:   "demo",
		Short: "Start the built-in OAuth-protected MCP server on 127.0.0.1 and walk it",
		Long: `Starts an embedded authorization server and an OAuth-protected MCP server on
127.0.0.1 (random ports), walks the whole flow against them headlessly (the demo
authorization server approves without a login page), lists the tools, calls
echo, then calls write_note, which needs a scope the first token lacks, to show
the 403 insufficient_scope step-up. With --serve it keeps the servers running
and prints the MCP URL so other clients can be pointed at it. With --dpop both
servers speak DPoP (RFC 9449): DPoP-bound tokens only, a proof on every
request; --dpop-nonce also has each demand a nonce of its own.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Grading.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return demoRun(cmd, opts)
		},
	}
	c.Flags().BoolVar(&opts.Serve, "serve", false, "keep the demo servers running and print the MCP URL")
	c.Flags().StringVar(&opts.Fault, "fault", "", "reproduce one real-world misconfiguration (see --list-faults)")
	c.Flags().BoolVar(&opts.ListFaults, "list-faults", false, "list the faults the demo can reproduce, with the finding each must produce")
	c.Flags().BoolVar(&opts.DPoP, "dpop", false, "the demo requires DPoP-bound tokens (RFC 9449) and a proof on every request")
	c.Flags().BoolVar(&opts.DPoPNonce, "dpop-nonce", false, "like --dpop, and both servers demand a DPoP nonce (RFC 9449 §8, §9)")
	opts.Output.addFlags(c.Flags())
	opts.Grading.addFlags(c.Flags())
	return c
}

func demoRun(cmd *cobra.Command, opts *DemoOptions) error {
	io := opts.F.IO
	if opts.ListFaults {
		for _, f := range demo.Faults() {
			fmt.Fprintf(io.Out, "%-28s %s\n%-28s   → %s %s at %s\n", f.Name, f.Description, "", f.Severity, f.Finding, f.Step)
		}
		return nil
	}
	srv, err := demo.Start(demo.Options{Fault: opts.Fault, DPoP: opts.DPoP, DPoPNonce: opts.DPoPNonce})
	if err != nil {
		if opts.Fault != "" {
			return usagef("%v", err)
		}
		return fmt.Errorf("starting the demo servers: %w", err)
	}
	defer srv.Close()
	if opts.Serve {
		fmt.Fprintf(io.ErrOut, "mcpwalk demo server\n  MCP endpoint:         %s\n  authorization server: %s\n  pre-registered client: %s (secret not shown)\nPress Ctrl+C to stop.\n",
			srv.MCPURL, srv.Issuer, srv.PreRegisteredClientID)
		fmt.Fprintln(io.Out, srv.MCPURL)
		<-cmd.Context().Done()
		return nil
	}
	fmt.Fprintf(io.ErrOut, "Demo servers on 127.0.0.1: MCP %s, authorization server %s\n", srv.MCPURL, srv.Issuer)
	if opts.Fault != "" {
		f, _ := demo.LookupFault(opts.Fault)
		fmt.Fprintf(io.ErrOut, "Fault %q: %s\n", f.Name, f.Description)
	}
	cfg := flow.Config{
		ServerURL: srv.MCPURL,
		Headless:  true,
		Version:   Version,
		Probes:    true,
		Calls: []flow.Call{
			{Method: "tools/list"},
			{Method: "tools/call", Name: "echo", Args: map[string]any{"text": "hello from mcpwalk"}},
			{Method: "tools/call", Name: "write_note", Args: map[string]any{"text": "step-up worked"}},
			{Method: "resources/list", Optional: true},
			{Method: "prompts/list", Optional: true},
		},
	}
	opts.Grading.apply(&cfg)
	// The demo's servers live for one run on random ports: nothing to keep.
	w := newWalk(opts.F, cfg, opts.Output, true, nil)
	_, err = w.finish(w.engine.Run(cmd.Context()))
	return err
}

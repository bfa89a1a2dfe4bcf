package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/findings"
	"github.com/spf13/cobra"
)

// ExplainOptions are the parsed flags of `mcpwalk explain`.
type ExplainOptions struct {
	F *Factory
	// ID is the finding id (or a family such as "prm") to explain.
	ID   string
	List bool
	JSON bool
}

// NewCmdExplain builds `mcpwalk explain ID` and `mcpwalk explain --list`.
func NewCmdExplain(f *Factory, runF func(*ExplainOptions) error) *cobra.Command {
	opts := &ExplainOptions{F: f}
	c := &cobra.Command{
		Use:   "explain ID | --list",
		Short: "Explain a finding: the rule, why it exists, which clients break and how to fix it",
		Long: `Prints the long explanation of a finding id from a report or transcript: the
rule (MCP revision and section, RFC and section), why it exists, what breaks in
which clients (strict and tolerant), and how to fix it on common servers and
identity providers. With a family name (probe, prm, asmeta, register,
authorize, token, connect, calls, probes, discovery) it lists that family.
--list lists every finding id with its default severity and title.`,
		Example: `  mcpwalk explain prm.resource-mismatch
  mcpwalk explain asmeta
  mcpwalk explain --list
  mcpwalk explain --list --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.List {
				if len(args) != 0 {
					return usagef("%s --list takes no ID (got %q)", cmd.CommandPath(), strings.Join(args, " "))
				}
				return nil
			}
			return exactArgs(1, "a finding ID (or --list)")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.ID = strings.TrimSpace(args[0])
			}
			if runF != nil {
				return runF(opts)
			}
			return explainRun(opts)
		},
	}
	c.Flags().BoolVar(&opts.List, "list", false, "list every finding id with its severity and title")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the entries as JSON")
	return c
}

func explainRun(opts *ExplainOptions) error {
	out := opts.F.IO.Out
	var list []findings.Finding
	switch {
	case opts.List:
		list = findings.All()
	default:
		if f, ok := findings.Lookup(opts.ID); ok {
			if opts.JSON {
				return writeExplainJSON(out, f)
			}
			return findings.WriteLong(out, f)
		}
		family, _, _ := strings.Cut(opts.ID, ":") // a step id such as probes:cors
		list = findings.Family(strings.TrimSuffix(family, "."))
		if len(list) == 0 {
			return unknownFinding(opts.ID)
		}
	}
	if opts.JSON {
		return writeExplainJSON(out, list)
	}
	return findings.WriteList(out, list)
}

func unknownFinding(id string) error {
	hint := "mcpwalk explain --list lists every finding"
	if near := findings.Similar(id, 5); len(near) > 0 {
		return usagef("unknown finding %q; did you mean %s? (%s)", id, strings.Join(near, ", "), hint)
	}
	return usagef("unknown finding %q (%s)", id, hint)
}

func writeExplainJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

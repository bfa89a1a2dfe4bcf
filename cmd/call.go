package cmd

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/spf13/cobra"
)

// CallOptions are the parsed flags of `mcpwalk call`.
type CallOptions struct {
	F        *Factory
	Server   string
	Call     flow.Call
	Args     []string // --arg k=v
	ArgsJSON string   // --args '{...}'
	AllFiles bool     // --all-files (skills/load)
	walkFlags
}

// NewCmdCall builds `mcpwalk call URL METHOD [NAME|URI]`.
func NewCmdCall(f *Factory, runF func(*CallOptions) error) *cobra.Command {
	opts := &CallOptions{F: f}
	c := &cobra.Command{
		Use:   "call URL METHOD [NAME|URI]",
		Short: "Make one authenticated MCP call and print its result as JSON",
		Long: `Walks the authorization flow, then makes one MCP call and prints the result JSON
on stdout. METHOD is one of tools/list, tools/call NAME, resources/list,
resources/templates/list, resources/read URI, prompts/list, prompts/get NAME, ping,
or one of the Skills extension (SEP-2640): skills/list, skills/get URI, and
skills/load [URI], which fetches the skill's entry, reads its SKILL.md and
verifies size, SHA-256 digest and frontmatter against the entry (with
--all-files, every supporting file the entry lists too; without a URI, every
listed skill). A failed verification exits 1 naming the file, the expected
and the actual value; unverified content is never printed.`,
		Example: `  mcpwalk call https://mcp.example.com/mcp tools/list
  mcpwalk call https://mcp.example.com/mcp tools/call add --arg a=1 --arg b=2
  mcpwalk call https://mcp.example.com/mcp tools/call search --args '{"query":"x","limit":3}'
  mcpwalk call https://mcp.example.com/mcp resources/read file:///README.md
  mcpwalk call https://mcp.example.com/mcp skills/list
  mcpwalk call https://mcp.example.com/mcp skills/load skill://pdf-processing/SKILL.md --all-files`,
		Args: rangeArgs(2, 3, "URL METHOD [NAME|URI]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Server = args[0]
			call, err := parseCall(args[1:], opts.Args, opts.ArgsJSON)
			if err != nil {
				return err
			}
			if opts.AllFiles && call.Method != flow.MethodSkillsLoad {
				return usagef("--all-files goes with skills/load")
			}
			call.AllFiles = opts.AllFiles
			opts.Call = call
			if err := opts.walkFlags.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return callRun(cmd, opts)
		},
	}
	c.Flags().StringArrayVar(&opts.Args, "arg", nil, "argument k=v (numbers, true/false and null are decoded as JSON); repeatable")
	c.Flags().StringVar(&opts.ArgsJSON, "args", "", "arguments as one JSON object")
	c.Flags().BoolVar(&opts.AllFiles, "all-files", false, "skills/load: also read and verify every supporting file the skill's entry lists")
	opts.walkFlags.addFlags(c.Flags())
	return c
}

// parseCall validates METHOD and its operand and decodes the arguments.
func parseCall(args, kv []string, argsJSON string) (flow.Call, error) {
	c := flow.Call{Method: args[0]}
	operand := ""
	if len(args) > 1 {
		operand = args[1]
	}
	switch c.Method {
	case "tools/call", "prompts/get":
		if operand == "" {
			return c, usagef("%s needs a NAME", c.Method)
		}
		c.Name = operand
	case "resources/read", flow.MethodSkillsGet:
		if operand == "" {
			return c, usagef("%s needs a URI", c.Method)
		}
		c.URI = operand
	case flow.MethodSkillsLoad:
		c.URI = operand // none: every listed skill
	case "tools/list", "resources/list", "resources/templates/list", "prompts/list", "ping", flow.MethodSkillsList:
		if operand != "" {
			return c, usagef("%s takes no operand (got %q)", c.Method, operand)
		}
	default:
		return c, usagef("unknown METHOD %q: use tools/list, tools/call, resources/list, resources/templates/list, resources/read, prompts/list, prompts/get, ping, skills/list, skills/get or skills/load", c.Method)
	}
	if (len(kv) > 0 || argsJSON != "") && c.Name == "" {
		return c, usagef("--arg and --args go with tools/call and prompts/get")
	}
	args2, err := decodeArgs(kv, argsJSON)
	if err != nil {
		return c, err
	}
	c.Args = args2
	return c, nil
}

func decodeArgs(kv []string, argsJSON string) (map[string]any, error) {
	out := map[string]any{}
	if argsJSON != "" {
		if err := json.Unmarshal([]byte(argsJSON), &out); err != nil {
			return nil, usagef("--args must be a JSON object: %v", err)
		}
	}
	for _, p := range kv {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, usagef("--arg %q: expected key=value", p)
		}
		out[k] = argValue(v)
	}
	return out, nil
}

// argValue decodes numbers, booleans and null; everything else is a string.
func argValue(v string) any {
	if v == "true" || v == "false" || v == "null" {
		var x any
		_ = json.Unmarshal([]byte(v), &x)
		return x
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "xXpP_") {
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
	}
	return v
}

func callRun(cmd *cobra.Command, opts *CallOptions) error {
	cfg := opts.config(opts.Server)
	st, err := opts.Store.open(cmd.Context(), opts.F.IO.ErrOut)
	if err != nil {
		return err
	}
	w := newWalk(opts.F, cfg, opts.Output, opts.Callback.NoBrowser, st)
	ctx := cmd.Context()
	defer w.engine.Close()
	var result json.RawMessage
	err = w.engine.Authenticate(ctx)
	if err == nil {
		err = w.engine.Connect(ctx)
	}
	if err == nil {
		result, err = w.engine.Call(ctx, opts.Call)
	}
	if _, ferr := w.finish(err); ferr != nil {
		return ferr
	}
	if !opts.Output.JSON {
		if err := printResult(opts.F, result); err != nil {
			return fmt.Errorf("printing the result: %w", err)
		}
	}
	return nil
}

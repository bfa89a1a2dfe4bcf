package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"time"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/spf13/cobra"
)

// cimdConformanceURL is the Client ID Metadata Document URL the
// conformance suite's authorization server knows (auth/basic-cimd).
const cimdConformanceURL = "https://conformance-test.local/client-metadata.json"

// NewCmdConformanceClient builds the hidden `mcpwalk conformance-client
// URL`: the client side of the official MCP conformance suite's contract.
// The runner sets MCP_CONFORMANCE_SCENARIO (and MCP_CONFORMANCE_CONTEXT,
// MCP_CONFORMANCE_PROTOCOL_VERSION) and passes the server URL last. This
// command only turns them into options a user also has; every protocol
// behaviour is the engine's. It never reads stdin (the runner's is an open
// pipe never written), never uses stored tokens, and ends itself at its
// own deadline because the runner's timeout kills only the shell.
func NewCmdConformanceClient(f *Factory) *cobra.Command {
	var deadline time.Duration
	c := &cobra.Command{
		Use:    "conformance-client URL",
		Short:  "Client side of the official MCP conformance suite (reads MCP_CONFORMANCE_* variables)",
		Hidden: true,
		Args:   exactArgs(1, "the server URL the conformance runner gives"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), deadline)
			defer cancel()
			return conformanceRun(ctx, f, args[0])
		},
	}
	c.Flags().DurationVar(&deadline, "deadline", 25*time.Second, "give up after this long (the runner's own timeout is 30s)")
	return c
}

// conformanceContext is MCP_CONFORMANCE_CONTEXT: what a scenario gives the
// client (credentials, keys, tokens), by scenario.
type conformanceContext struct {
	ClientID         string `json:"client_id"`
	ClientSecret     string `json:"client_secret"`
	PrivateKeyPEM    string `json:"private_key_pem"`
	SigningAlgorithm string `json:"signing_algorithm"`
	Issuer           string `json:"issuer"`
	// Enterprise-managed authorization (cross-app access).
	IdPClientID      string `json:"idp_client_id"`
	IdPClientSecret  string `json:"idp_client_secret"`
	IdPIDToken       string `json:"idp_id_token"`
	IdPTokenEndpoint string `json:"idp_token_endpoint"`
	// Workload identity federation: a valid JWT (and invalid ones the
	// client is not meant to use).
	ValidJWT string `json:"valid_jwt"`
	// ToolCalls are the tool calls a scenario asks for, with their
	// arguments (http-custom-headers).
	ToolCalls []conformanceToolCall `json:"toolCalls"`
}

type conformanceToolCall struct {
	Name      string         `json:"name"`
	Arguments map[string]any `json:"arguments"`
}

func conformanceRun(ctx context.Context, f *Factory, server string) error {
	scenario := os.Getenv("MCP_CONFORMANCE_SCENARIO")
	var cc conformanceContext
	if raw := os.Getenv("MCP_CONFORMANCE_CONTEXT"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &cc); err != nil {
			return fmt.Errorf("MCP_CONFORMANCE_CONTEXT is not the JSON object expected: %v", err)
		}
	}
	cfg := flow.Config{
		ServerURL:       server,
		Headless:        true,
		ClientID:        cc.ClientID,
		ClientSecret:    cc.ClientSecret,
		ProtocolVersion: os.Getenv("MCP_CONFORMANCE_PROTOCOL_VERSION"),
		Version:         Version,
		Elicitation:     flow.ElicitDefaults,
	}
	switch {
	case scenario == "auth/basic-cimd":
		cfg.ClientMetadataURL = cimdConformanceURL
	case strings.HasPrefix(scenario, "auth/client-credentials-"):
		cfg.Grant = flow.GrantClientCredentials
	case cc.IdPTokenEndpoint != "":
		cfg.Grant = flow.GrantEnterprise
		cfg.IdP = &flow.IdP{TokenEndpoint: cc.IdPTokenEndpoint, ClientID: cc.IdPClientID, ClientSecret: cc.IdPClientSecret, IDToken: cc.IdPIDToken}
	case cc.ValidJWT != "":
		cfg.Grant, cfg.Assertion = flow.GrantJWTBearer, cc.ValidJWT
	}
	if cc.PrivateKeyPEM != "" {
		k, err := flow.ParseClientKey(cc.PrivateKeyPEM, cc.SigningAlgorithm)
		if err != nil {
			return fmt.Errorf("MCP_CONFORMANCE_CONTEXT private_key_pem: %v", err)
		}
		cfg.ClientKey = k
	}
	out := outputFlags{Timeout: 10 * time.Second, Verbose: os.Getenv("MCPWALK_CONFORMANCE_VERBOSE") != ""}
	w := newWalk(f, cfg, out, true, nil)
	defer w.engine.Close()
	err := w.engine.Authenticate(ctx)
	if err == nil {
		err = w.engine.Connect(ctx)
	}
	if err == nil {
		err = conformanceCalls(ctx, w.engine, scenario, cc.ToolCalls)
	}
	if err == nil {
		err = conformanceSkills(ctx, w.engine, scenario)
	}
	_, ferr := w.finish(err)
	return ferr
}

// conformanceCalls makes the MCP calls a scenario observes: by default it
// lists the tools and calls each one with arguments built from its input
// schema. A scenario whose context names tool calls gets exactly those,
// after the list (the SDK mirrors x-mcp-header arguments into Mcp-Param
// headers from the listed schemas). Two scenarios ask for something else,
// as their descriptions say:
// json-schema-ref-no-deref only lists (its server answers nothing else),
// and json-schema-2020-12-preservation echoes one tool's input schema,
// verbatim, to another tool.
func conformanceCalls(ctx context.Context, e *flow.Engine, scenario string, calls []conformanceToolCall) error {
	raw, err := e.Call(ctx, flow.Call{Method: "tools/list", Optional: true})
	if err != nil || raw == nil || scenario == "json-schema-ref-no-deref" {
		return err
	}
	if len(calls) > 0 {
		var first error
		for _, c := range calls {
			if _, err := e.Call(ctx, flow.Call{Method: "tools/call", Name: c.Name, Args: c.Arguments}); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	var list struct {
		Tools []struct {
			Name        string          `json:"name"`
			InputSchema json.RawMessage `json:"inputSchema"`
		} `json:"tools"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return fmt.Errorf("tools/list result: %v", err)
	}
	if scenario == "json-schema-2020-12-preservation" {
		for _, t := range list.Tools {
			if t.Name == "json_schema_2020_12_tool" {
				_, err := e.Call(ctx, flow.Call{Method: "tools/call", Name: "json_schema_echo", Args: map[string]any{"schema": t.InputSchema}})
				return err
			}
		}
		return fmt.Errorf("tools/list has no json_schema_2020_12_tool to echo")
	}
	var first error
	for _, t := range list.Tools {
		var schema map[string]any
		_ = json.Unmarshal(t.InputSchema, &schema)
		args, _ := sampleValue(schema).(map[string]any)
		if _, err := e.Call(ctx, flow.Call{Method: "tools/call", Name: t.Name, Args: args}); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// conformanceSkills makes the skills calls of check: list the skills when
// the server declares the extension, read nothing (this is what
// sep-2640-client-no-prefetch observes). sep-2640-client-verify-*: load
// every listed skill with its files, as `mcpwalk call URL skills/load
// --all-files` does.
func conformanceSkills(ctx context.Context, e *flow.Engine, scenario string) error {
	c := flow.Call{Method: flow.MethodSkillsList, Optional: true}
	if strings.HasPrefix(scenario, "sep-2640-client-verify-") {
		c = flow.Call{Method: flow.MethodSkillsLoad, AllFiles: true, Optional: true}
	}
	_, err := e.Call(ctx, c)
	return err
}

// sampleValue returns a value that satisfies a simple JSON Schema: its
// default, else its first example or enum value, else one per type, with
// every property of an object filled in.
func sampleValue(schema map[string]any) any {
	if schema == nil {
		return map[string]any{}
	}
	if d, ok := schema["default"]; ok {
		return d
	}
	if ex, ok := schema["examples"].([]any); ok && len(ex) > 0 {
		return ex[0]
	}
	if en, ok := schema["enum"].([]any); ok && len(en) > 0 {
		return en[0]
	}
	if c, ok := schema["const"]; ok {
		return c
	}
	typ, _ := schema["type"].(string)
	if types, ok := schema["type"].([]any); ok && len(types) > 0 {
		typ, _ = types[0].(string)
	}
	switch typ {
	case "string":
		return "test"
	case "number":
		return 1.5
	case "integer":
		return 1
	case "boolean":
		return true
	case "array":
		items, _ := schema["items"].(map[string]any)
		return []any{sampleValue(items)}
	case "null":
		return nil
	}
	props, _ := schema["properties"].(map[string]any)
	out := map[string]any{}
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		p, _ := props[k].(map[string]any)
		out[k] = sampleValue(p)
	}
	return out
}

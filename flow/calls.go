package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// maxPages bounds pagination of list calls.
const maxPages = 20

// Call makes one MCP request on the connected session and returns its
// result as JSON. Its step id is "calls:<method>".
func (e *Engine) Call(ctx context.Context, c Call) (json.RawMessage, error) {
	if e.session == nil {
		return nil, fmt.Errorf("%s: not connected", c.ID())
	}
	if c.Optional {
		if why := e.missingCapability(c.Method); why != "" {
			e.skip(c.ID(), why)
			return nil, nil
		}
	}
	if c.Method == MethodSkillsLoad && c.URI == "" {
		return e.loadListedSkills(ctx, c)
	}
	var out json.RawMessage
	err := e.run(ctx, c.ID(), func(ctx context.Context, s *stepCtx) error {
		res, summary, err := e.callOnce(ctx, s, c)
		if errors.Is(err, mcp.ErrConnectionClosed) && len(e.deps.Recorder.Snapshot(s.col)) == 0 {
			// The SDK ends the session when a request fails in some ways (a
			// 4xx without a JSON-RPC body, say), and every later call then
			// fails at once, before sending anything, which says nothing
			// about the server. Connect again and make the call once more.
			e.note(StepConnect, "the MCP session was closed after an earlier failure: connecting again for %s", c.ID())
			if cerr := e.RunStep(ctx, StepConnect); cerr != nil {
				return fail("See the connect step.", "%s: the session had ended, and connecting again failed: %v", c.Method, cerr)
			}
			res, summary, err = e.callOnce(ctx, s, c)
		}
		if err != nil {
			return fail("See the exchanges: the server's JSON-RPC error or HTTP status says why.", "%s: %v", c.Method, err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			return fail("", "%s: encoding the result: %v", c.Method, err)
		}
		out, s.res.Data, s.res.Summary = b, b, summary
		if r, ok := res.(*mcp.CallToolResult); ok && r.IsError {
			s.add(check.New("calls.tool-error", check.Warn, "MCP 2025-11-25 Tools §Error Handling", "",
				"tool %q returned isError: true", c.Name))
		}
		return nil
	})
	return out, err
}

// callOnce makes the call on the current session.
func (e *Engine) callOnce(ctx context.Context, s *stepCtx, c Call) (any, string, error) {
	if isSkillsMethod(c.Method) {
		return e.doSkills(ctx, s, c)
	}
	return e.doCall(ctx, c)
}

// missingCapability says why an optional call cannot be made, or "".
func (e *Engine) missingCapability(method string) string {
	caps := e.session.InitializeResult().Capabilities
	if caps == nil {
		caps = &mcp.ServerCapabilities{}
	}
	switch strings.SplitN(method, "/", 2)[0] {
	case "logging":
		if caps.Logging == nil {
			return "the server does not declare the logging capability"
		}
	case "tools":
		if caps.Tools == nil {
			return "the server does not declare the tools capability"
		}
	case "resources":
		if caps.Resources == nil {
			return "the server does not declare the resources capability"
		}
	case "prompts":
		if caps.Prompts == nil {
			return "the server does not declare the prompts capability"
		}
	case "skills":
		if !e.skillsDeclared() {
			return "the server does not declare the " + SkillsExtension + " extension"
		}
	}
	return ""
}

func (e *Engine) doCall(ctx context.Context, c Call) (any, string, error) {
	cs := e.session
	switch c.Method {
	case "tools/list":
		var all []*mcp.Tool
		err := paginate(func(cur string) (string, error) {
			r, err := cs.ListTools(ctx, &mcp.ListToolsParams{Cursor: cur})
			if err == nil {
				all = append(all, r.Tools...)
				return r.NextCursor, nil
			}
			return "", err
		})
		names := make([]string, len(all))
		for i, t := range all {
			names[i] = t.Name
		}
		return &mcp.ListToolsResult{Tools: all}, countSummary(len(all), "tool", names), err
	case "tools/call":
		r, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: c.Name, Arguments: c.Args})
		if err != nil {
			return nil, "", err
		}
		return r, fmt.Sprintf("tool %q returned %d content item(s)", c.Name, len(r.Content)), nil
	case "resources/list":
		var all []*mcp.Resource
		err := paginate(func(cur string) (string, error) {
			r, err := cs.ListResources(ctx, &mcp.ListResourcesParams{Cursor: cur})
			if err == nil {
				all = append(all, r.Resources...)
				return r.NextCursor, nil
			}
			return "", err
		})
		names := make([]string, len(all))
		for i, r := range all {
			names[i] = r.URI
		}
		return &mcp.ListResourcesResult{Resources: all}, countSummary(len(all), "resource", names), err
	case "resources/templates/list":
		r, err := cs.ListResourceTemplates(ctx, &mcp.ListResourceTemplatesParams{})
		if err != nil {
			return nil, "", err
		}
		return r, fmt.Sprintf("%d resource template(s)", len(r.ResourceTemplates)), nil
	case "resources/read":
		r, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: c.URI})
		if err != nil {
			return nil, "", err
		}
		return r, fmt.Sprintf("%d content item(s) from %s", len(r.Contents), c.URI), nil
	case "prompts/list":
		var all []*mcp.Prompt
		err := paginate(func(cur string) (string, error) {
			r, err := cs.ListPrompts(ctx, &mcp.ListPromptsParams{Cursor: cur})
			if err == nil {
				all = append(all, r.Prompts...)
				return r.NextCursor, nil
			}
			return "", err
		})
		names := make([]string, len(all))
		for i, p := range all {
			names[i] = p.Name
		}
		return &mcp.ListPromptsResult{Prompts: all}, countSummary(len(all), "prompt", names), err
	case "prompts/get":
		args := map[string]string{}
		for k, v := range c.Args {
			if s, ok := v.(string); ok {
				args[k] = s
			} else {
				b, _ := json.Marshal(v)
				args[k] = string(b)
			}
		}
		r, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: c.Name, Arguments: args})
		if err != nil {
			return nil, "", err
		}
		return r, fmt.Sprintf("prompt %q: %d message(s)", c.Name, len(r.Messages)), nil
	case "ping":
		return map[string]any{}, "pong", cs.Ping(ctx, nil)
	case "logging/setLevel":
		level, _ := c.Args["level"].(string)
		if level == "" {
			level = "info"
		}
		return map[string]any{}, "log level " + level, cs.SetLoggingLevel(ctx, &mcp.SetLoggingLevelParams{Level: mcp.LoggingLevel(level)})
	}
	return nil, "", fmt.Errorf("unsupported method %q (supported: tools/list, tools/call, resources/list, resources/templates/list, resources/read, prompts/list, prompts/get, ping, logging/setLevel, skills/list, skills/get, skills/load)", c.Method)
}

func paginate(page func(cursor string) (string, error)) error {
	cur := ""
	for range maxPages {
		next, err := page(cur)
		if err != nil || next == "" {
			return err
		}
		cur = next
	}
	return fmt.Errorf("more than %d pages; stopped", maxPages)
}

func countSummary(n int, noun string, names []string) string {
	if n == 0 {
		return "no " + noun + "s"
	}
	if len(names) > 8 {
		names = append(names[:8:8], "…")
	}
	return fmt.Sprintf("%d %s(s): %s", n, noun, strings.Join(names, ", "))
}

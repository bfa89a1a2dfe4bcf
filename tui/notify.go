package tui

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// notifyMsg is a server notification or log message for the log pane.
type notifyMsg struct {
	source string // "log", "notify"
	text   string
	// relist is the list call a list_changed notification makes stale.
	relist string
}

// clientOptions are the MCP client handlers that forward what the server
// sends on its own (log messages, list changes, resource updates,
// progress) to the log pane. The engine creates the MCP client, so these
// reach the SDK only through the engine's configuration. MCP logging is
// deprecated from protocol 2026-07-28 (SEP-2577) but servers on earlier
// revisions still send it, and a debugger should show what arrives.
func (h *hub) clientOptions() *mcp.ClientOptions {
	note := func(source, format string, args ...any) {
		h.send(notifyMsg{source: source, text: fmt.Sprintf(format, args...)})
	}
	return &mcp.ClientOptions{
		LoggingMessageHandler: func(_ context.Context, r *mcp.LoggingMessageRequest) {
			p := r.Params
			data, _ := json.Marshal(p.Data)
			if p.Logger != "" {
				note("log", "[%s] %s: %s", p.Level, p.Logger, data)
				return
			}
			note("log", "[%s] %s", p.Level, data)
		},
		ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) {
			h.send(notifyMsg{source: "notify", text: "notifications/tools/list_changed: listing tools again", relist: "tools/list"})
		},
		PromptListChangedHandler: func(context.Context, *mcp.PromptListChangedRequest) {
			h.send(notifyMsg{source: "notify", text: "notifications/prompts/list_changed: listing prompts again", relist: "prompts/list"})
		},
		ResourceListChangedHandler: func(context.Context, *mcp.ResourceListChangedRequest) {
			h.send(notifyMsg{source: "notify", text: "notifications/resources/list_changed: listing resources again", relist: "resources/list"})
		},
		ResourceUpdatedHandler: func(_ context.Context, r *mcp.ResourceUpdatedNotificationRequest) {
			note("notify", "notifications/resources/updated: %s", r.Params.URI)
		},
		ProgressNotificationHandler: func(_ context.Context, r *mcp.ProgressNotificationClientRequest) {
			p := r.Params
			note("notify", "progress %v/%v %s", p.Progress, p.Total, p.Message)
		},
	}
}

package flow

import (
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// metaRevision is the first protocol revision whose requests carry the
// per-request _meta triple (SEP-2575) and name their method in the
// Mcp-Method header (SEP-2243).
const metaRevision = "2026-07-28"

// clientInfo is the Implementation the engine's MCP client presents.
func (e *Engine) clientInfo() *mcp.Implementation {
	return &mcp.Implementation{Name: "mcpwalk", Version: e.cfg.Version}
}

// requestMeta is the _meta a request of revision version carries from
// 2026-07-28 on (SEP-2575): the protocol version, the client's info and
// capabilities, the same values the SDK puts on its own requests; nil for
// earlier revisions.
func (e *Engine) requestMeta(version string) map[string]any {
	if version < metaRevision {
		return nil
	}
	return map[string]any{
		mcp.MetaKeyProtocolVersion:    version,
		mcp.MetaKeyClientInfo:         e.clientInfo(),
		mcp.MetaKeyClientCapabilities: clientCapabilities(e.clientOptions(), version),
	}
}

// clientCapabilities are the capabilities an SDK client built with opts
// declares in revision version: the configured ones, or the SDK's default
// (roots with listChanged), plus sampling and elicitation when a handler is
// set; roots are written from RootsV2, as the SDK does (go-sdk #607).
func clientCapabilities(opts *mcp.ClientOptions, version string) map[string]any {
	if opts == nil {
		opts = &mcp.ClientOptions{}
	}
	caps := mcp.ClientCapabilities{RootsV2: &mcp.RootCapabilities{ListChanged: true}}
	if opts.Capabilities != nil {
		caps = *opts.Capabilities
	}
	if caps.Sampling == nil && (opts.CreateMessageHandler != nil || opts.CreateMessageWithToolsHandler != nil) {
		caps.Sampling = &mcp.SamplingCapabilities{}
		if opts.CreateMessageWithToolsHandler != nil {
			caps.Sampling.Tools = &mcp.SamplingToolsCapabilities{}
		}
	}
	if caps.Elicitation == nil && opts.ElicitationHandler != nil {
		caps.Elicitation = &mcp.ElicitationCapabilities{}
		if version >= "2025-11-25" {
			caps.Elicitation.Form = &mcp.FormElicitationCapabilities{}
		}
	}
	out := map[string]any{}
	if b, err := json.Marshal(caps); err == nil {
		_ = json.Unmarshal(b, &out)
	}
	delete(out, "roots")
	if caps.RootsV2 != nil {
		out["roots"] = caps.RootsV2
	}
	return out
}

// requestBody is one JSON-RPC request of revision version: params, with
// the revision's _meta added when it has one.
func (e *Engine) requestBody(id any, method string, params map[string]any, version string) ([]byte, error) {
	if meta := e.requestMeta(version); meta != nil {
		p := make(map[string]any, len(params)+1)
		for k, v := range params {
			p[k] = v
		}
		p["_meta"] = meta
		params = p
	}
	msg := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	return json.Marshal(msg)
}

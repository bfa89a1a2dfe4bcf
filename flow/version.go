package flow

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// codeUnsupportedVersion is the JSON-RPC error a 2026-07-28 server answers
// a request in a revision it does not implement with (SEP-2575), listing
// the revisions it does in data.supported.
const codeUnsupportedVersion = -32022

// codeMethodNotFound is JSON-RPC's "method not found"; a 2026-07-28 server
// that dropped initialize answers it with this and HTTP 404 (SEP-2575).
const codeMethodNotFound = -32601

const specVersionNegotiation = "MCP 2026-07-28 Transports §Protocol Version Header; SEP-2575"

// rpcError is the error member of a JSON-RPC response, when the body is one.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    struct {
		Supported []string `json:"supported"`
		Requested string   `json:"requested"`
	} `json:"data"`
}

// parseRPCError reads a JSON-RPC error response; nil when body is not one.
func parseRPCError(body []byte) *rpcError {
	var r struct {
		Error *rpcError `json:"error"`
	}
	if json.Unmarshal(body, &r) != nil {
		return nil
	}
	return r.Error
}

// retryRevision decides, from the answer to a first request sent as
// revision sent, which revision to ask in again ("" for none) and why.
//
//   - 400 with UnsupportedProtocolVersion: the newest revision both sides
//     support, from the error's data.supported (SEP-2575). A server that
//     lists the very revision it refused gets one more try with it.
//   - 404 or 400 with "method not found" to an initialize: a server that
//     speaks only 2026-07-28 has no initialize; ask with server/discover.
//   - any other 400 to an initialize: the same, once; an older server that
//     refuses initialize for its own reasons refuses server/discover too,
//     and the status of that second answer is what the probe reports.
//
// ok is false when the server named the revisions it supports and mcpwalk
// speaks none of them.
func retryRevision(sent string, status int, body []byte) (next, why string, ok bool) {
	rpc := parseRPCError(body)
	switch {
	case status == http.StatusBadRequest && rpc != nil && rpc.Code == codeUnsupportedVersion && len(rpc.Data.Supported) > 0:
		for _, v := range mcp.SupportedProtocolVersions() {
			if slices.Contains(rpc.Data.Supported, v) {
				return v, fmt.Sprintf("the server refused revision %s (error %d, supported %v): asking again as %s",
					sent, rpc.Code, rpc.Data.Supported, v), true
			}
		}
		return "", fmt.Sprintf("the server refused revision %s and supports only %v, none of which mcpwalk speaks (%v)",
			sent, rpc.Data.Supported, mcp.SupportedProtocolVersions()), false
	case sent >= "2026-07-28":
		return "", "", true
	case (status == http.StatusNotFound || status == http.StatusBadRequest) && rpc != nil && rpc.Code == codeMethodNotFound:
		return "2026-07-28", fmt.Sprintf("the server has no initialize (%d, error %d): asking again as 2026-07-28 (server/discover)", status, rpc.Code), true
	case status == http.StatusBadRequest:
		return "2026-07-28", "the server answered the initialize with 400: asking again as 2026-07-28 (server/discover)", true
	}
	return "", "", true
}

package flow

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync/atomic"
)

// maxRawResponse bounds the answer to one raw request (JSON or event
// stream): a page of skills/list is the largest expected.
const maxRawResponse = 8 << 20

// rawIDs numbers raw requests. String ids never collide with the SDK's
// integer ids on the same session.
var rawIDs atomic.Int64

// RPCError is a JSON-RPC error response (JSON-RPC 2.0 §5.1).
type RPCError struct {
	// Code (`code`, required) is the error code, -32602 for invalid params.
	Code int `json:"code"`
	// Message (`message`, required) is the server's short description.
	Message string `json:"message"`
	// Data (`data`, optional) is whatever else the server attached.
	Data json.RawMessage `json:"data,omitempty"`
}

func (e *RPCError) Error() string { return fmt.Sprintf("JSON-RPC error %d: %s", e.Code, e.Message) }

// mcpHTTPClient is the client every request to the MCP server goes
// through: the SDK's transport and the engine's own raw requests alike, so
// a layer added here (DPoP proofs, for one) applies to both.
func (e *Engine) mcpHTTPClient() *http.Client { return e.resourceHTTP() }

// rawCall sends a JSON-RPC request the SDK has no method for (the skills
// extension's) on the connected session, as the SDK's transport would: the
// same endpoint and client, the negotiated revision in MCP-Protocol-Version
// and, from 2026-07-28, in _meta with Mcp-Method (SEP-2575, SEP-2243), the
// session id when there is one, and the walk's bearer token. A 401 or 403
// goes to the OAuth handler, and the request is retried once after it.
// It returns the result, or the JSON-RPC error as *RPCError.
func (e *Engine) rawCall(ctx context.Context, method string, params map[string]any) (json.RawMessage, error) {
	if e.session == nil {
		return nil, fmt.Errorf("%s: not connected", method)
	}
	version := e.negotiatedVersion()
	id := fmt.Sprintf("mcpwalk-%d", rawIDs.Add(1))
	body, err := e.requestBody(id, method, params, version)
	if err != nil {
		return nil, fmt.Errorf("%s: encoding the request: %v", method, err)
	}
	send := func() (*http.Request, *http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.serverURL, bytes.NewReader(body))
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if version != "" {
			req.Header.Set("MCP-Protocol-Version", version)
		}
		if version >= metaRevision {
			req.Header.Set("Mcp-Method", method)
		}
		if sid := e.session.ID(); sid != "" {
			e.deps.Secrets.Secret(sid)
			req.Header.Set("Mcp-Session-Id", sid)
		}
		if err := e.setBearer(ctx, req); err != nil {
			return nil, nil, err
		}
		resp, err := e.mcpHTTPClient().Do(req)
		if err != nil {
			return nil, nil, fmt.Errorf("POST %s: %s", e.deps.Secrets.String(e.serverURL), e.netErr(err))
		}
		return req, resp, nil
	}
	req, resp, err := send()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		// Authorize closes the body.
		if err := (*oauthHandler)(e).Authorize(ctx, req, resp); err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		if _, resp, err = send(); err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
	}
	defer resp.Body.Close()
	return readRPCResult(resp, id)
}

// setBearer puts the walk's token in Authorization, as the SDK's transport
// does with the OAuth handler's token source.
func (e *Engine) setBearer(ctx context.Context, req *http.Request) error {
	ts, err := (*oauthHandler)(e).TokenSource(ctx)
	if err != nil || ts == nil {
		return err
	}
	tok, err := ts.Token()
	if err != nil {
		return err
	}
	if tok != nil {
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	}
	return nil
}

// rpcMessage is one JSON-RPC message as read from the wire.
type rpcMessage struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Error  *RPCError       `json:"error"`
}

// readRPCResult reads the response to request id from a JSON body or an
// event stream (which may carry notifications before it).
func readRPCResult(resp *http.Response, id string) (json.RawMessage, error) {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("HTTP %d %s: %s", resp.StatusCode, http.StatusText(resp.StatusCode), strings.TrimSpace(string(snippet)))
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	wantID, _ := json.Marshal(id)
	var found *rpcMessage
	match := func(data []byte) bool {
		var m rpcMessage
		if json.Unmarshal(data, &m) != nil || m.Method != "" || !bytes.Equal(bytes.TrimSpace(m.ID), wantID) {
			return false // a notification, a request of the server's, or another answer
		}
		found = &m
		return true
	}
	switch ct {
	case "application/json":
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxRawResponse+1))
		if err != nil {
			return nil, fmt.Errorf("reading the response: %v", err)
		}
		if len(b) > maxRawResponse {
			return nil, fmt.Errorf("the response is longer than %d bytes; stopped reading", maxRawResponse)
		}
		if !match(b) {
			return nil, fmt.Errorf("the JSON body is not the JSON-RPC response to request %s", wantID)
		}
	case "text/event-stream":
		if err := readSSE(resp.Body, maxRawResponse, match); err != nil {
			return nil, err
		}
		if found == nil {
			return nil, fmt.Errorf("the event stream ended without the response to request %s", wantID)
		}
	default:
		return nil, fmt.Errorf("answered with Content-Type %q; expected application/json or text/event-stream", resp.Header.Get("Content-Type"))
	}
	switch {
	case found.Error != nil:
		return nil, found.Error
	case len(found.Result) == 0 || string(found.Result) == "null":
		return nil, fmt.Errorf("the response to request %s has neither result nor error", wantID)
	}
	return found.Result, nil
}

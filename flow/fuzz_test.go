package flow

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// FuzzDecodeJWT: DecodeJWT never panics, and returns either claims or an
// error, never both or neither.
func FuzzDecodeJWT(f *testing.F) {
	enc := base64.RawURLEncoding.EncodeToString
	for _, s := range []string{
		enc([]byte(`{"alg":"RS256","typ":"at+jwt"}`)) + "." + enc([]byte(`{"iss":"https://as","aud":["https://mcp/mcp","x"],"scope":"a b","exp":1700000000,"client_id":"c"}`)) + ".sig",
		enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(`{"aud":"https://mcp/mcp","exp":"soon","iat":1e400}`)) + ".",
		enc([]byte(`null`)) + "." + enc([]byte(`null`)) + ".",
		enc([]byte(`{}`)) + "." + enc([]byte(`[1,2]`)) + ".x",
		"opaque-token",
		"a.b",
		"a.b.c.d",
		"..",
		"eyJ.eyJ.",
		enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(`{"aud":{"nested":true},"sub":7}`)) + ".s",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		header, claims, err := DecodeJWT(tok)
		switch {
		case err != nil && (header != nil || claims != nil):
			t.Fatalf("error %v together with a result", err)
		case err == nil && claims == nil:
			t.Fatal("no error and no claims")
		case err == nil && strings.Count(tok, ".") != 2:
			t.Fatalf("decoded %q, which does not have three parts", tok)
		}
	})
}

// sseServer is an MCP server (the Go SDK's own handler) whose answer to
// tools/list is replaced by a fuzzed text/event-stream body; "{id}" in the
// body becomes the request's JSON-RPC id.
type sseServer struct {
	mcp  http.Handler
	mu   sync.Mutex
	body []byte
}

func (s *sseServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.mcp.ServeHTTP(w, r)
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var msg struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	_ = json.Unmarshal(raw, &msg)
	if msg.Method != "tools/list" {
		r.Body = io.NopCloser(bytes.NewReader(raw))
		s.mcp.ServeHTTP(w, r)
		return
	}
	s.mu.Lock()
	body := bytes.ReplaceAll(s.body, []byte("{id}"), msg.ID)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// FuzzSSEToolsList feeds fuzzed event streams to the official SDK's
// streamable client transport through the engine's Call path: mcpwalk has
// no SSE reader of its own, so this guards the one it relies on. A call
// must neither panic nor outlive its context.
func FuzzSSEToolsList(f *testing.F) {
	for _, s := range []string{
		"event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":{\"tools\":[]}}\n\n",
		"id: 1\nretry: 10\ndata: {\"jsonrpc\":\"2.0\",\n" + "data: \"id\":{id},\"result\":{\"tools\":[{\"name\":\"t\",\"inputSchema\":{\"type\":\"object\"}}]}}\n\n",
		": comment\n\nevent: ping\ndata:\n\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":{id},\"error\":{\"code\":-32601,\"message\":\"no\"}}\r\n\r\n",
		"data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"x\"}}\n\n",
		"data: {\"jsonrpc\":\"2.0\",\"id\":999,\"result\":{}}\n\n",
		"data: not json\n\n",
		"event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":{\"tools\":null,\"nextCursor\":\"\"}}",
		"id: \x00\ndata: {}\n\n",
		"",
		strings.Repeat("data: x\n", 1000) + "\n",
	} {
		f.Add([]byte(s))
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "fuzz", Version: "0"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "t", Description: "t"}, func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{}, nil, nil
	})
	srv := &sseServer{mcp: mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, nil)}
	hs := httptest.NewServer(srv)
	f.Cleanup(hs.Close)

	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 64<<10 {
			body = body[:64<<10]
		}
		srv.mu.Lock()
		srv.body = body
		srv.mu.Unlock()
		h := newHarness(t, Config{ServerURL: hs.URL + "/mcp"})
		defer h.e.Close()
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ccancel()
		if err := h.e.Connect(cctx); err != nil {
			t.Fatalf("connect (not fuzzed): %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = h.e.Call(ctx, Call{Method: "tools/list"})
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("tools/list did not return 10s after a 1s deadline (started %s ago); body %q", time.Since(start), body)
		}
	})
}

// TestSSEFuzzHarness checks that the fuzz server's stream really reaches
// the call: a well-formed stream yields the result, a broken one an error.
func TestSSEFuzzHarness(t *testing.T) {
	s := mcp.NewServer(&mcp.Implementation{Name: "fuzz", Version: "0"}, nil)
	srv := &sseServer{mcp: mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, nil)}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	for _, tt := range []struct {
		body    string
		wantErr bool
	}{
		{"event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":{\"tools\":[{\"name\":\"from-stream\",\"inputSchema\":{\"type\":\"object\"}}]}}\n\n", false},
		{"event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":{id},\"error\":{\"code\":-32601,\"message\":\"nope\"}}\n\n", true},
	} {
		srv.body = []byte(tt.body)
		h := newHarness(t, Config{ServerURL: hs.URL + "/mcp"})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		if err := h.e.Connect(ctx); err != nil {
			t.Fatal(err)
		}
		out, err := h.e.Call(ctx, Call{Method: "tools/list"})
		cancel()
		h.e.Close()
		if (err != nil) != tt.wantErr || (!tt.wantErr && !strings.Contains(string(out), "from-stream")) {
			t.Errorf("body %q: result %s, err %v", tt.body, out, err)
		}
	}
}

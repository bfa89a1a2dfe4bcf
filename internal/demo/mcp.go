package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// scopeFor names the scope a JSON-RPC request needs beyond mcp:read:
// write_note needs mcp:write, to show step-up.
func scopeFor(body []byte) string {
	var req struct {
		Method string `json:"method"`
		Params struct {
			Name string `json:"name"`
		} `json:"params"`
	}
	if json.Unmarshal(body, &req) == nil && req.Method == "tools/call" && req.Params.Name == "write_note" {
		return "mcp:write"
	}
	return ""
}

func (s *Server) mcpServer() http.Handler {
	mux := http.NewServeMux()
	switch {
	case s.has("prm-path-forbidden"):
		// A CDN rule guards the path-aware URL; the root one is served.
		mux.HandleFunc("GET /.well-known/oauth-protected-resource/mcp", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "forbidden", http.StatusForbidden)
		})
		mux.HandleFunc("GET /.well-known/oauth-protected-resource", s.prm)
	case s.has("prm-appended-path"):
		mux.HandleFunc("GET /mcp/.well-known/oauth-protected-resource", s.prm)
	default:
		mux.HandleFunc("GET /.well-known/oauth-protected-resource/mcp", s.prm)
	}
	srv := newMCPServer()
	switch {
	case s.has("mcp-not-found"):
		mux.Handle("/mcp", http.NotFoundHandler())
		return mux
	case s.has("post-not-allowed"):
		mux.HandleFunc("/mcp", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", "GET")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		})
		return mux
	}
	// Stateless, because the Go SDK serves the 2026-07-28 revision only in
	// stateless mode; older clients still get the initialize handshake.
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, &mcp.StreamableHTTPOptions{Stateless: true})
	mux.Handle("/mcp", s.requireToken(h))
	return mux
}

func (s *Server) prm(w http.ResponseWriter, r *http.Request) {
	m := map[string]any{
		"resource":                 s.MCPURL,
		"authorization_servers":    []string{s.Issuer},
		"scopes_supported":         []string{"mcp:read", "mcp:write"},
		"bearer_methods_supported": []string{"header"},
		"resource_name":            "mcpwalk demo",
	}
	if s.dpopOn() {
		m["dpop_bound_access_tokens_required"] = true
		m["dpop_signing_alg_values_supported"] = dpopAlgs
	}
	switch {
	case s.has("prm-resource-mismatch"):
		m["resource"] = strings.TrimSuffix(s.MCPURL, "/mcp") + "/other"
	case s.has("prm-offline-access"):
		m["scopes_supported"] = []string{"mcp:read", "mcp:write", "offline_access"}
	case s.has("prm-html"):
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!doctype html><html><body><div id=app></div></body></html>"))
		return
	case s.has("prm-oversized"):
		m["resource_name"] = strings.Repeat("x", 2<<20)
	case s.has("prm-slow"):
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Access-Control-Allow-Origin", "*") // public, for browser-based clients
	writeJSON(w, http.StatusOK, m)
}

// requireToken is the resource server's side of RFC 6750 and the MCP
// authorization spec: 401 with a challenge for a missing or bad token, 403
// insufficient_scope naming the scopes for a token that lacks one. Tokens
// are accepted from the Authorization header only, never the query string.
func (s *Server) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			if u, err := url.Parse(o); err != nil || !isLoopback(u.Hostname()) {
				http.Error(w, "forbidden origin", http.StatusForbidden)
				return
			}
			// Browser-based clients on this machine (web inspectors) may
			// connect: answer preflights before asking for a token.
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Expose-Headers", "WWW-Authenticate, Mcp-Session-Id")
			if s.has("cors-no-expose") {
				w.Header().Set("Access-Control-Expose-Headers", "Mcp-Session-Id")
			}
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Methods", "POST, GET, DELETE")
				w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, MCP-Protocol-Version, Mcp-Session-Id, Mcp-Method, Mcp-Name")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		challenge := func(status int, params ...string) {
			if !s.has("no-resource-metadata") && !s.has("prm-path-forbidden") && !s.has("prm-appended-path") {
				params = append(params, fmt.Sprintf("resource_metadata=%q", s.PRMURL))
			}
			scheme := "Bearer"
			if s.dpopOn() {
				// RFC 9449 §7.1: the DPoP challenge, with the algorithms.
				scheme, params = "DPoP", append([]string{fmt.Sprintf("algs=%q", strings.Join(dpopAlgs, " "))}, params...)
			}
			switch {
			case s.has("no-www-authenticate") && status == http.StatusUnauthorized:
			case s.has("malformed-challenge"):
				w.Header().Set("WWW-Authenticate", `Bearer resource_metadata="`+s.PRMURL)
			default:
				w.Header().Set("WWW-Authenticate", scheme+" "+strings.Join(params, ", "))
			}
			http.Error(w, http.StatusText(status), status)
		}
		if s.has("empty-bearer-500") && r.Header.Get("Authorization") == "Bearer" {
			http.Error(w, "runtime error: index out of range [1] with length 1", http.StatusInternalServerError)
			return
		}
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if s.has("query-token-accepted") && r.URL.Query().Get("access_token") != "" {
			scheme, tok = "Bearer", r.URL.Query().Get("access_token")
		}
		if s.dpopOn() {
			if !s.dpopResource(w, r, scheme, tok, challenge) {
				return
			}
			if strings.EqualFold(scheme, "DPoP") {
				scheme = "Bearer" // its proof holds: from here on, a token like any other
			}
		}
		if !strings.EqualFold(scheme, "Bearer") || tok == "" {
			switch {
			case s.has("error-without-token"):
				challenge(http.StatusUnauthorized, `error="invalid_token"`, `scope="mcp:read"`)
			case s.has("forbidden-without-token"):
				challenge(http.StatusForbidden, `scope="mcp:read"`)
			case s.has("challenge-offline-access"):
				challenge(http.StatusUnauthorized, `scope="mcp:read offline_access"`)
			default:
				challenge(http.StatusUnauthorized, `scope="mcp:read"`)
			}
			return
		}
		g := s.state.lookup(tok, time.Now())
		switch {
		case g == nil && s.has("invalid-token-500"):
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		case g == nil:
			challenge(http.StatusUnauthorized, `error="invalid_token"`, `error_description="unknown, expired or revoked token"`)
			return
		case s.has("audience-trailing-slash"):
			// The resource server normalises its own URL with a trailing
			// slash and compares the token's audience with that.
			challenge(http.StatusUnauthorized, `error="invalid_token"`, fmt.Sprintf(`error_description="audience %s is not %s/"`, g.Resource, s.MCPURL))
			return
		case g.Resource != s.MCPURL && !s.has("no-audience-check"):
			challenge(http.StatusUnauthorized, `error="invalid_token"`, `error_description="token audience is not this server"`)
			return
		case !slices.Contains(g.Scopes, "mcp:read"):
			challenge(http.StatusForbidden, `error="insufficient_scope"`, `scope="mcp:read"`)
			return
		}
		if r.Method == http.MethodPost {
			body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err != nil {
				http.Error(w, "reading the body", http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			need := scopeFor(body)
			refuse := need != "" && !slices.Contains(g.Scopes, need)
			if need != "" && s.has("scope-granted-refused") {
				// Compares the granted scope string as a whole, not as a set.
				refuse = strings.Join(g.Scopes, " ") != need
			}
			switch {
			case !refuse:
			case s.has("insufficient-scope-401"):
				challenge(http.StatusUnauthorized, `error="invalid_token"`, fmt.Sprintf("scope=%q", "mcp:read "+need))
				return
			case s.has("forbidden-without-error"):
				challenge(http.StatusForbidden, fmt.Sprintf("scope=%q", "mcp:read "+need))
				return
			default:
				challenge(http.StatusForbidden, `error="insufficient_scope"`, fmt.Sprintf("scope=%q", "mcp:read "+need))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func newMCPServer() *mcp.Server {
	srv := mcp.NewServer(&mcp.Implementation{Name: "mcpwalk-demo", Version: "1.0.0"}, nil)
	type textArgs struct {
		Text string `json:"text" jsonschema:"the text"`
	}
	type addArgs struct {
		A float64 `json:"a" jsonschema:"first addend"`
		B float64 `json:"b" jsonschema:"second addend"`
	}
	text := func(s string) *mcp.CallToolResult {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s}}}
	}
	mcp.AddTool(srv, &mcp.Tool{Name: "echo", Description: "Returns the text it is given."},
		func(_ context.Context, _ *mcp.CallToolRequest, a textArgs) (*mcp.CallToolResult, any, error) {
			return text(a.Text), nil, nil
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "add", Description: "Adds two numbers."},
		func(_ context.Context, _ *mcp.CallToolRequest, a addArgs) (*mcp.CallToolResult, any, error) {
			return text(fmt.Sprint(a.A + a.B)), nil, nil
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "write_note", Description: "Stores a note. Needs the mcp:write scope."},
		func(_ context.Context, _ *mcp.CallToolRequest, a textArgs) (*mcp.CallToolResult, any, error) {
			return text("noted: " + a.Text), nil, nil
		})
	srv.AddResource(&mcp.Resource{URI: "demo://readme", Name: "readme", MIMEType: "text/markdown", Description: "About this demo"},
		func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: "text/markdown",
				Text: "# mcpwalk demo\n\nAn OAuth-protected MCP server. Every tool needs mcp:read; write_note also needs mcp:write."}}}, nil
		})
	srv.AddPrompt(&mcp.Prompt{Name: "greet", Description: "Greets someone.", Arguments: []*mcp.PromptArgument{{Name: "name", Required: true}}},
		func(_ context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{{Role: "user",
				Content: &mcp.TextContent{Text: "Say hello to " + req.Params.Arguments["name"] + "."}}}}, nil
		})
	return srv
}

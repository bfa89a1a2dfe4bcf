package tui

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// fakeServer is an authorization server and an OAuth-protected MCP server
// on one 127.0.0.1 listener, just enough for the engine to walk every step.
type fakeServer struct {
	srv   *httptest.Server
	base  string
	MCP   string
	token string

	mu        sync.Mutex
	challenge string
	state     string
	redirect  string
}

type echoIn struct {
	Text string `json:"text" jsonschema:"the text to echo back"`
}

func startFake(t *testing.T) *fakeServer {
	t.Helper()
	f := &fakeServer{}
	mux := http.NewServeMux()
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	f.base = f.srv.URL
	f.MCP = f.base + "/mcp"
	f.token = fakeJWT(f.base, f.MCP)

	mux.HandleFunc("/.well-known/oauth-protected-resource/mcp", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"resource": f.MCP, "authorization_servers": []string{f.base},
			"scopes_supported": []string{"mcp:read"}, "bearer_methods_supported": []string{"header"}})
	})
	mux.HandleFunc("/.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"issuer": f.base, "authorization_endpoint": f.base + "/authorize",
			"token_endpoint": f.base + "/token", "registration_endpoint": f.base + "/register",
			"response_types_supported": []string{"code"}, "grant_types_supported": []string{"authorization_code"},
			"code_challenge_methods_supported": []string{"S256"}, "token_endpoint_auth_methods_supported": []string{"none"},
			"authorization_response_iss_parameter_supported": true, "scopes_supported": []string{"mcp:read"}})
	})
	mux.HandleFunc("POST /register", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			RedirectURIs []string `json:"redirect_uris"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		writeJSON(w, 201, map[string]any{"client_id": "fake-client", "redirect_uris": req.RedirectURIs,
			"token_endpoint_auth_method": "none", "grant_types": []string{"authorization_code"}, "response_types": []string{"code"}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f.mu.Lock()
		f.challenge, f.state, f.redirect = q.Get("code_challenge"), q.Get("state"), q.Get("redirect_uri")
		f.mu.Unlock()
		if q.Get("resource") != f.MCP { // RFC 8707 §2: an unknown resource is refused
			http.Redirect(w, r, f.redirect+"?"+url.Values{"error": {"invalid_target"}, "state": {f.state}, "iss": {f.base},
				"error_description": {"unknown resource"}}.Encode(), http.StatusFound)
			return
		}
		http.Redirect(w, r, f.callbackURL(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		f.mu.Lock()
		ok := r.PostForm.Get("code") == "fake-code" && base64.RawURLEncoding.EncodeToString(sum[:]) == f.challenge
		f.mu.Unlock()
		w.Header().Set("Cache-Control", "no-store")
		if !ok {
			writeJSON(w, 400, map[string]any{"error": "invalid_grant"})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": f.token, "token_type": "Bearer", "expires_in": 3600, "scope": "mcp:read"})
	})

	server := mcp.NewServer(&mcp.Implementation{Name: "fake", Version: "1.0"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "echo", Description: "Echoes the text back."},
		func(_ context.Context, _ *mcp.CallToolRequest, in echoIn) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "echo: " + in.Text}}}, nil, nil
		})
	server.AddResource(&mcp.Resource{URI: "demo://readme", Name: "readme", MIMEType: "text/plain"},
		func(_ context.Context, r *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: r.Params.URI, Text: "hello"}}}, nil
		})
	server.AddPrompt(&mcp.Prompt{Name: "greet", Arguments: []*mcp.PromptArgument{{Name: "name", Required: true}}},
		func(_ context.Context, r *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{{Role: "user",
				Content: &mcp.TextContent{Text: "Hello, " + r.Params.Arguments["name"]}}}}, nil
		})
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil)
	mux.HandleFunc("/mcp", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+f.token {
			w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer resource_metadata=%q, scope="mcp:read"`,
				f.base+"/.well-known/oauth-protected-resource/mcp"))
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
	return f
}

// callbackURL is where the authorization endpoint sends the browser.
func (f *fakeServer) callbackURL() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.redirect + "?" + url.Values{"code": {"fake-code"}, "state": {f.state}, "iss": {f.base}}.Encode()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fakeJWT(iss, aud string) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	now := time.Now()
	return enc(map[string]any{"alg": "none", "typ": "at+jwt"}) + "." + enc(map[string]any{"iss": iss, "sub": "user-1",
		"aud": aud, "scope": "mcp:read", "client_id": "fake-client", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}) + ".sig"
}

// callbackFor is the redirect the authorization server would send for
// this authorization URL, without anyone requesting it.
func (f *fakeServer) callbackFor(authURL string) string {
	u, _ := url.Parse(authURL)
	q := u.Query()
	f.mu.Lock()
	f.challenge = q.Get("code_challenge")
	f.mu.Unlock()
	return q.Get("redirect_uri") + "?" + url.Values{"code": {"fake-code"}, "state": {q.Get("state")}, "iss": {f.base}}.Encode()
}

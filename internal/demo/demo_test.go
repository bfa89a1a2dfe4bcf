package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"golang.org/x/oauth2"
)

func start(t *testing.T) *Server {
	t.Helper()
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

const redirect = "http://127.0.0.1:41234/callback"

func registerPublic(t *testing.T, s *Server, extra map[string]any) string {
	t.Helper()
	body := map[string]any{"redirect_uris": []string{redirect}, "token_endpoint_auth_method": "none",
		"grant_types": []string{"authorization_code", "refresh_token"}}
	for k, v := range extra {
		body[k] = v
	}
	b, _ := json.Marshal(body)
	resp, err := http.Post(s.Issuer+"/register", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %v", resp.StatusCode, out)
	}
	return out["client_id"].(string)
}

// authorizeQuery returns the redirect's query for an authorization request.
func authorizeQuery(t *testing.T, s *Server, q url.Values) url.Values {
	t.Helper()
	resp, err := noRedirect.Get(s.Issuer + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %d, want 302", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return loc.Query()
}

func authParams(s *Server, client, verifier string) url.Values {
	sum := sha256.Sum256([]byte(verifier))
	return url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {redirect}, "state": {"st"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
		"resource": {s.MCPURL}, "scope": {"mcp:read"}}
}

func tokenReq(t *testing.T, s *Server, form url.Values, basic ...string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.Issuer+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if len(basic) == 2 {
		req.SetBasicAuth(basic[0], basic[1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func code(t *testing.T, s *Server, client, verifier string) string {
	q := authorizeQuery(t, s, authParams(s, client, verifier))
	if q.Get("iss") != s.Issuer || q.Get("state") != "st" || q.Get("code") == "" {
		t.Fatalf("authorization response %v: want code, state and iss", q)
	}
	return q.Get("code")
}

func redeem(client, c, verifier, resource string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "client_id": {client}, "code": {c},
		"code_verifier": {verifier}, "redirect_uri": {redirect}, "resource": {resource}}
}

func TestFullFlowAndMCP(t *testing.T) {
	s := start(t)
	client := registerPublic(t, s, nil)
	v := oauth2.GenerateVerifier()
	st, tok := tokenReq(t, s, redeem(client, code(t, s, client, v), v, s.MCPURL))
	if st != 200 || tok["access_token"] == nil || tok["refresh_token"] == nil {
		t.Fatalf("token: %d %v", st, tok)
	}
	hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok["access_token"].(string)}))
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t"}, nil).Connect(t.Context(),
		&mcp.StreamableClientTransport{Endpoint: s.MCPURL, HTTPClient: hc}, &mcp.ClientSessionOptions{ProtocolVersion: "2025-06-18"})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.ListTools(t.Context(), nil)
	if err != nil || len(res.Tools) != 3 {
		t.Fatalf("tools/list: %v %v", res, err)
	}
	// write_note needs mcp:write, which this token lacks: the transport sees 403.
	if _, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "write_note", Arguments: map[string]any{"text": "x"}}); err == nil {
		t.Errorf("write_note without mcp:write succeeded")
	}
}

func TestTokenEndpointRejections(t *testing.T) {
	s := start(t)
	client := registerPublic(t, s, nil)
	v := oauth2.GenerateVerifier()
	tests := []struct {
		name    string
		form    func() url.Values
		wantErr string
	}{
		{"wrong verifier", func() url.Values { return redeem(client, code(t, s, client, v), "wrong-"+v, s.MCPURL) }, "invalid_grant"},
		{"other resource", func() url.Values { return redeem(client, code(t, s, client, v), v, "http://127.0.0.1:1/other") }, "invalid_target"},
		{"unknown code", func() url.Values { return redeem(client, "nope", v, s.MCPURL) }, "invalid_grant"},
		{"secret sent by a public client", func() url.Values {
			f := redeem(client, code(t, s, client, v), v, s.MCPURL)
			f.Set("client_secret", "x")
			return f
		}, "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, out := tokenReq(t, s, tt.form())
			if st < 400 || out["error"] != tt.wantErr {
				t.Errorf("got %d %v, want error %s", st, out, tt.wantErr)
			}
		})
	}
	// A code is single-use.
	c := code(t, s, client, v)
	if st, _ := tokenReq(t, s, redeem(client, c, v, s.MCPURL)); st != 200 {
		t.Fatalf("first redemption: %d", st)
	}
	if st, out := tokenReq(t, s, redeem(client, c, v, s.MCPURL)); out["error"] != "invalid_grant" {
		t.Errorf("replayed code: %d %v", st, out)
	}
}

func TestRefreshRotation(t *testing.T) {
	s := start(t)
	client := registerPublic(t, s, nil)
	v := oauth2.GenerateVerifier()
	_, tok := tokenReq(t, s, redeem(client, code(t, s, client, v), v, s.MCPURL))
	rt := tok["refresh_token"].(string)
	refresh := func(rt string) (int, map[string]any) {
		return tokenReq(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {client}, "refresh_token": {rt}, "resource": {s.MCPURL}})
	}
	st, next := refresh(rt)
	if st != 200 || next["refresh_token"] == rt || next["refresh_token"] == nil {
		t.Fatalf("refresh: %d %v; want a rotated refresh token", st, next)
	}
	if st, out := refresh(rt); out["error"] != "invalid_grant" {
		t.Errorf("old refresh token reused: %d %v", st, out)
	}
	// Reuse revoked the family: the rotated token is dead too.
	if st, out := refresh(next["refresh_token"].(string)); out["error"] != "invalid_grant" {
		t.Errorf("after reuse detection the family must be revoked: %d %v", st, out)
	}
}

func TestPreRegisteredBasic(t *testing.T) {
	s := start(t)
	v := oauth2.GenerateVerifier()
	c := code(t, s, s.PreRegisteredClientID, v)
	f := redeem("", c, v, s.MCPURL)
	f.Del("client_id")
	if st, out := tokenReq(t, s, f, s.PreRegisteredClientID, s.PreRegisteredClientSecret); st != 200 {
		t.Fatalf("basic auth: %d %v", st, out)
	}
	c = code(t, s, s.PreRegisteredClientID, v)
	f = redeem(s.PreRegisteredClientID, c, v, s.MCPURL)
	f.Set("client_secret", s.PreRegisteredClientSecret)
	if st, out := tokenReq(t, s, f); out["error"] != "invalid_client" {
		t.Errorf("client_secret_post for a basic client: %d %v", st, out)
	}
}

func TestCIMD(t *testing.T) {
	s := start(t)
	var docURL string
	meta := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"client_id": docURL, "client_name": "t", "redirect_uris": []string{redirect},
			"token_endpoint_auth_method": "none"})
	}))
	defer meta.Close()
	docURL = meta.URL + "/client.json"
	v := oauth2.GenerateVerifier()
	if st, out := tokenReq(t, s, redeem(docURL, code(t, s, docURL, v), v, s.MCPURL)); st != 200 {
		t.Fatalf("CIMD client: %d %v", st, out)
	}
}

func TestAuthorizeErrors(t *testing.T) {
	s := start(t)
	client := registerPublic(t, s, nil)
	for name, mutate := range map[string]func(url.Values){
		"plain PKCE":     func(q url.Values) { q.Set("code_challenge_method", "plain") },
		"no PKCE":        func(q url.Values) { q.Del("code_challenge") },
		"wrong resource": func(q url.Values) { q.Set("resource", "http://127.0.0.1:1/x") },
		"unknown scope":  func(q url.Values) { q.Set("scope", "admin") },
	} {
		t.Run(name, func(t *testing.T) {
			q := authParams(s, client, "v")
			mutate(q)
			got := authorizeQuery(t, s, q)
			if got.Get("error") == "" || got.Get("iss") != s.Issuer || got.Get("state") != "st" {
				t.Errorf("error response %v: want error, iss and state", got)
			}
		})
	}
	// An unregistered redirect URI is never redirected to.
	q := authParams(s, client, "v")
	q.Set("redirect_uri", "http://127.0.0.1:41234/elsewhere")
	resp, err := noRedirect.Get(s.Issuer + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unregistered redirect_uri: %d, want 400 without a redirect", resp.StatusCode)
	}
}

func TestResourceServerChallenges(t *testing.T) {
	s := start(t)
	post := func(auth, origin, rawQuery string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, s.MCPURL+rawQuery, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := post("", "", ""); r.StatusCode != 401 || !strings.Contains(r.Header.Get("WWW-Authenticate"), `resource_metadata="`+s.PRMURL) ||
		strings.Contains(r.Header.Get("WWW-Authenticate"), "error=") {
		t.Errorf("no token: %d %q", r.StatusCode, r.Header.Get("WWW-Authenticate"))
	}
	if r := post("Bearer bogus", "", ""); r.StatusCode != 401 || !strings.Contains(r.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("bad token: %d %q", r.StatusCode, r.Header.Get("WWW-Authenticate"))
	}
	if r := post("", "", "?access_token=bogus"); r.StatusCode != 401 {
		t.Errorf("query token: %d, want 401", r.StatusCode)
	}
	if r := post("", "http://evil.example", ""); r.StatusCode != 403 {
		t.Errorf("foreign Origin: %d, want 403", r.StatusCode)
	}
}

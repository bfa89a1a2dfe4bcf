package flow

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// fake is an authorization server and an MCP server on one httptest origin,
// with a switch for each behaviour the engine must handle.
type fake struct {
	// Discovery shape.
	noPRM        bool   // no Protected Resource Metadata anywhere (2025-03-26)
	noASMeta     bool   // with noPRM: no metadata either (default endpoints)
	prmAtRoot    bool   // PRM only at the root well-known, resource = origin
	noHeaderRM   bool   // challenge without resource_metadata
	issuerPath   string // authorization server issuer path ("/tenant1")
	issuerSuffix string // appended to the issuer inside the metadata (mismatch)
	prmResource  string // overrides the PRM resource
	noPKCE       bool   // metadata without code_challenge_methods_supported
	// Registration.
	noDCR       bool
	cimd        bool
	authMethods []string // token_endpoint_auth_methods_supported
	// Authorization response.
	iss string // "" correct, "none", "wrong", "unadvertised"
	// Scopes: tools/call of "secret" needs "write".
	challengeScope string
	// open serves MCP without any authorization.
	open bool
	// queryToken also accepts access_token in the URL query (a server bug).
	queryToken bool
	// grantOnly, when set, is the most the token endpoint grants.
	grantOnly []string
	// refresh issues rotating refresh tokens and serves the refresh grant.
	refresh bool
	// ccKey, when set, is the public key of client "pre" for
	// private_key_jwt; the client_credentials grant is always served.
	ccKey *ecdsa.PublicKey
	// movedTo, once set (moveTo), is the authorization server the MCP
	// server has moved to: its PRM names that issuer and only that
	// server's tokens are accepted (SEP-2352).
	movedTo *fake
	// mcp, when set, is the MCP server behind the authorization checks
	// (default mcpHandler()).
	mcp http.Handler
	// dpop, when set, makes both servers speak DPoP (dpop_fake_test.go).
	dpop *fakeDPoP
	// asScopes is the authorization server's scopes_supported.
	asScopes []string
	// How the MCP server answers a "secret" call whose token lacks scope:
	// scope401 with 401 instead of 403; scopeBug with 403 even when the
	// token has the scope; incremental with one missing scope at a time,
	// "secret" then needing "admin" as well.
	scope401, scopeBug, incremental bool
	// openRedirect redirects to any redirect_uri (by default a registered
	// one is required: exactly, or any port for a loopback IP);
	// exactPort refuses another port of a registered loopback URI.
	openRedirect, exactPort bool
	// skipPKCE redeems codes without checking code_verifier.
	skipPKCE bool
	// mw, when set, wraps the whole fake: a test that needs one odd answer
	// (an error page, a changed redirect) puts it here.
	mw func(http.Handler) http.Handler

	t   *testing.T
	srv *httptest.Server

	mu       *sync.Mutex
	clients  map[string]fakeClient
	codes    map[string]fakeCode
	tokens   map[string][]string // access token → scopes
	audience map[string]string   // access token → resource
	tokenReq []url.Values
	authReq  []url.Values
	refreshs map[string]fakeCode // refresh token → grant
}

type fakeClient struct {
	secret, method string
	redirects      []string // nil: any loopback redirect URI
}

type fakeCode struct {
	client, challenge, resource, redirect string
	scopes                                []string
}

func (f *fake) start(t *testing.T) *fake {
	f.t = t
	f.mu = &sync.Mutex{}
	f.clients = map[string]fakeClient{"pre": {secret: "pre-secret-123", method: "client_secret_basic"}}
	f.codes = map[string]fakeCode{}
	f.tokens = map[string][]string{}
	f.audience = map[string]string{}
	f.refreshs = map[string]fakeCode{}
	mux := http.NewServeMux()
	var h http.Handler = mux
	if f.mw != nil {
		h = f.mw(mux)
	}
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	if !f.noPRM {
		prmPath := "/.well-known/oauth-protected-resource/mcp"
		if f.prmAtRoot {
			prmPath = "/.well-known/oauth-protected-resource"
		}
		mux.HandleFunc("GET "+prmPath, f.prm)
	}
	if !f.noASMeta {
		asPath := "/.well-known/oauth-authorization-server" + f.issuerPath
		if f.noPRM {
			asPath = "/.well-known/oauth-authorization-server"
		}
		mux.HandleFunc("GET "+asPath, f.asMeta)
	}
	mux.HandleFunc("GET /authorize", f.authorize)
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("POST /idp/token", f.idpToken)
	if !f.noDCR {
		mux.HandleFunc("POST /register", f.register)
	}
	if f.cimd {
		mux.HandleFunc("GET /client.json", f.clientDocument)
	}
	if f.mcp == nil {
		f.mcp = mcpHandler()
	}
	mux.Handle("/mcp", f.protect(f.mcp))
	return f
}

func (f *fake) url() string     { return f.srv.URL + "/mcp" }
func (f *fake) cimdURL() string { return f.srv.URL + "/client.json" }
func (f *fake) issuer() string  { return f.srv.URL + f.issuerPath }
func (f *fake) prmURL() string  { return f.srv.URL + "/.well-known/oauth-protected-resource/mcp" }
func (f *fake) wantIss() string { return f.issuer() + f.issuerSuffix }
func (f *fake) lastToken() url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenReq[len(f.tokenReq)-1]
}

func (f *fake) prm(w http.ResponseWriter, r *http.Request) {
	res := f.url()
	if f.prmAtRoot {
		res = f.srv.URL
	}
	if f.prmResource != "" {
		res = f.prmResource
	}
	issuer := f.issuer()
	if mv := f.moved(); mv != nil {
		issuer = mv.issuer()
	}
	m := map[string]any{"resource": res, "authorization_servers": []string{issuer},
		"scopes_supported": []string{"read", "write"}}
	if f.dpop != nil && f.dpop.required {
		m["dpop_bound_access_tokens_required"] = true
	}
	if f.dpop != nil && !f.dpop.silent && !f.dpop.bearerOnly {
		m["dpop_signing_alg_values_supported"] = []string{"ES256"}
	}
	writeJSON(w, 200, m)
}

func (f *fake) asMeta(w http.ResponseWriter, r *http.Request) {
	m := map[string]any{
		"issuer":                   f.wantIss(),
		"authorization_endpoint":   f.srv.URL + "/authorize",
		"token_endpoint":           f.srv.URL + "/token",
		"response_types_supported": []string{"code"},
		"authorization_response_iss_parameter_supported": f.iss != "unadvertised",
		"client_id_metadata_document_supported":          true,
	}
	if !f.noPKCE {
		m["code_challenge_methods_supported"] = []string{"S256"}
	}
	if !f.noDCR {
		m["registration_endpoint"] = f.srv.URL + "/register"
	}
	if f.authMethods != nil {
		m["token_endpoint_auth_methods_supported"] = f.authMethods
	}
	if f.dpop != nil && f.dpop.algs != nil {
		m["dpop_signing_alg_values_supported"] = f.dpop.algs
	}
	if f.asScopes != nil {
		m["scopes_supported"] = f.asScopes
	}
	writeJSON(w, 200, m)
}

func (f *fake) register(w http.ResponseWriter, r *http.Request) {
	var req map[string]any
	_ = json.NewDecoder(r.Body).Decode(&req)
	id := "dcr-" + rand.Text()[:8]
	var redirects []string
	if list, ok := req["redirect_uris"].([]any); ok {
		for _, v := range list {
			s, _ := v.(string)
			redirects = append(redirects, s)
		}
	}
	f.mu.Lock()
	f.clients[id] = fakeClient{method: "none", redirects: redirects}
	f.mu.Unlock()
	req["client_id"] = id
	writeJSON(w, 201, req)
}

func (f *fake) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	f.authReq = append(f.authReq, q)
	f.mu.Unlock()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "PKCE S256 required", 400)
		return
	}
	if !f.redirectOK(q.Get("client_id"), q.Get("redirect_uri")) {
		http.Error(w, "redirect_uri is not registered for this client", 400)
		return
	}
	code := rand.Text()
	f.mu.Lock()
	f.codes[code] = fakeCode{client: q.Get("client_id"), challenge: q.Get("code_challenge"), resource: q.Get("resource"),
		redirect: q.Get("redirect_uri"), scopes: strings.Fields(q.Get("scope"))}
	f.mu.Unlock()
	back := url.Values{"code": {code}, "state": {q.Get("state")}}
	switch f.iss {
	case "", "unadvertised":
		back.Set("iss", f.wantIss())
	case "wrong":
		back.Set("iss", "https://evil.example")
	}
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+back.Encode(), http.StatusFound)
}

func (f *fake) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenReq = append(f.tokenReq, r.PostForm)
	if f.dpop != nil && !f.dpop.tokenRequest(f, w, r) {
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if a := r.PostForm.Get("client_assertion"); a != "" {
		if !f.assertionOK(a, r.PostForm.Get("client_assertion_type")) {
			writeJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "bad assertion"})
			return
		}
		id, secret = "pre", "pre-secret-123"
	}
	if r.PostForm.Get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		a := r.PostForm.Get("assertion")
		if a != "workload-jwt" && !strings.HasPrefix(a, fakeIDJAG) {
			writeJSON(w, 400, map[string]string{"error": "invalid_grant"})
			return
		}
		f.issue(w, fakeCode{client: id, resource: r.PostForm.Get("resource"), scopes: strings.Fields(r.PostForm.Get("scope"))})
		return
	}
	if r.PostForm.Get("grant_type") == "client_credentials" {
		if cl, ok := f.clients[id]; !ok || cl.secret != secret {
			writeJSON(w, 401, map[string]string{"error": "invalid_client"})
			return
		}
		f.issue(w, fakeCode{client: id, resource: r.PostForm.Get("resource"), scopes: strings.Fields(r.PostForm.Get("scope"))})
		return
	}
	cl, ok := f.clients[id]
	if !ok && !(f.cimd && id == f.cimdURL()) || cl.secret != secret {
		writeJSON(w, 401, map[string]string{"error": "invalid_client"})
		return
	}
	if r.PostForm.Get("grant_type") == "refresh_token" {
		g, ok := f.refreshs[r.PostForm.Get("refresh_token")]
		delete(f.refreshs, r.PostForm.Get("refresh_token"))
		switch {
		case !ok || g.client != id:
			writeJSON(w, 400, map[string]string{"error": "invalid_grant"})
		case g.resource != r.PostForm.Get("resource"):
			writeJSON(w, 400, map[string]string{"error": "invalid_target", "error_description": "refresh without the original resource"})
		default:
			f.issue(w, g)
		}
		return
	}
	c, ok := f.codes[r.PostForm.Get("code")]
	delete(f.codes, r.PostForm.Get("code"))
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case !ok || c.client != id || c.redirect != r.PostForm.Get("redirect_uri"):
		writeJSON(w, 400, map[string]string{"error": "invalid_grant"})
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge && !f.skipPKCE:
		writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "PKCE verification failed"})
		return
	case c.resource != r.PostForm.Get("resource"):
		writeJSON(w, 400, map[string]string{"error": "invalid_target"})
		return
	}
	if f.grantOnly != nil {
		c.scopes = f.grantOnly
	}
	f.issue(w, c)
}

// issue answers with a new access token for grant c (and a refresh token
// when f.refresh); callers hold mu.
func (f *fake) issue(w http.ResponseWriter, c fakeCode) {
	tok, typ := "at-"+rand.Text(), "Bearer"
	if f.dpop != nil {
		tok, typ = f.dpop.mint(f, c)
	}
	f.tokens[tok] = c.scopes
	f.audience[tok] = c.resource
	resp := map[string]any{"access_token": tok, "token_type": typ, "expires_in": 3600, "scope": strings.Join(c.scopes, " ")}
	if f.refresh {
		rt := "rt-" + rand.Text()
		f.refreshs[rt] = c
		resp["refresh_token"] = rt
		if f.dpop != nil {
			f.dpop.bindRefresh(rt)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, 200, resp)
}

// protect answers 401 without a known token and 403 insufficient_scope
// when a tools/call of "secret" lacks the "write" scope.
func (f *fake) protect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if f.dpop != nil {
			var ok bool
			if tok, ok = f.dpop.resource(f, w, r); !ok {
				return
			}
		}
		if f.queryToken && r.URL.Query().Get("access_token") != "" {
			tok = r.URL.Query().Get("access_token")
		}
		as := f
		if m := f.moved(); m != nil {
			as = m
		}
		as.mu.Lock()
		scopes, ok := as.tokens[tok]
		aud := as.audience[tok]
		as.mu.Unlock()
		if o := r.Header.Get("Origin"); o != "" && !strings.HasPrefix(o, "http://localhost") {
			http.Error(w, "forbidden origin", 403)
			return
		}
		if f.open {
			next.ServeHTTP(w, r)
			return
		}
		params := []string{}
		if !f.noHeaderRM {
			params = append(params, fmt.Sprintf("resource_metadata=%q", f.prmURL()))
		}
		if f.challengeScope != "" {
			params = append(params, fmt.Sprintf("scope=%q", f.challengeScope))
		}
		if !ok || (aud != f.url() && aud != f.srv.URL) {
			if tok != "" {
				params = append(params, `error="invalid_token"`)
			}
			w.Header().Set("WWW-Authenticate", "Bearer "+strings.Join(params, ", "))
			http.Error(w, "unauthorized", 401)
			return
		}
		if need := f.missing(scopes); r.Method == http.MethodPost && need != "" {
			body, _ := readBody(r)
			if strings.Contains(body, `"name":"secret"`) {
				status, code := http.StatusForbidden, "insufficient_scope"
				if f.scope401 {
					status, code = http.StatusUnauthorized, "invalid_token"
				}
				w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error=%q, scope=%q, resource_metadata=%q`, code, need, f.prmURL()))
				http.Error(w, http.StatusText(status), status)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// moveTo points the MCP server at another authorization server.
func (f *fake) moveTo(to *fake) {
	f.mu.Lock()
	f.movedTo = to
	f.mu.Unlock()
}

func (f *fake) moved() *fake {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.movedTo
}

func containsScope(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func readBody(r *http.Request) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(b))
	return string(b), err
}

func mcpHandler() http.Handler {
	s := mcp.NewServer(&mcp.Implementation{Name: "fake", Version: "0.1"}, nil)
	type args struct {
		Text string `json:"text"`
	}
	for _, name := range []string{"echo", "secret"} {
		mcp.AddTool(s, &mcp.Tool{Name: name, Description: name}, func(ctx context.Context, req *mcp.CallToolRequest, a args) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: a.Text}}}, nil, nil
		})
	}
	return mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, nil)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// assertionOK verifies an ES256 client assertion for client "pre".
func (f *fake) assertionOK(a, typ string) bool {
	parts := strings.Split(a, ".")
	if f.ccKey == nil || typ != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || len(parts) != 3 {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return false
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(f.ccKey, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return false
	}
	var c struct {
		Iss, Sub, Aud, Jti string
		Exp                int64
	}
	b, _ := base64.RawURLEncoding.DecodeString(parts[1])
	return json.Unmarshal(b, &c) == nil && c.Iss == "pre" && c.Sub == "pre" && c.Aud == f.issuer() && c.Jti != "" && c.Exp > 0
}

// fakeIDJAG starts the ID-JAG the fake IdP issues: a JWT typed
// oauth-id-jag+jwt (unsigned here; the fake AS only compares it).
var fakeIDJAG = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256","typ":"oauth-id-jag+jwt"}`)) + "."

// idpToken is an RFC 8693 token endpoint that trades the ID token
// "user-id-token" for an ID-JAG.
func (f *fake) idpToken(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f.mu.Lock()
	f.tokenReq = append(f.tokenReq, r.PostForm)
	f.mu.Unlock()
	p := r.PostForm
	if p.Get("grant_type") != "urn:ietf:params:oauth:grant-type:token-exchange" || p.Get("subject_token") != "user-id-token" ||
		p.Get("subject_token_type") != "urn:ietf:params:oauth:token-type:id_token" ||
		p.Get("requested_token_type") != "urn:ietf:params:oauth:token-type:id-jag" || p.Get("audience") != f.issuer() || p.Get("resource") != f.url() {
		writeJSON(w, 400, map[string]string{"error": "invalid_request"})
		return
	}
	writeJSON(w, 200, map[string]string{"access_token": fakeIDJAG + "e30.c2ln", "issued_token_type": "urn:ietf:params:oauth:token-type:id-jag", "token_type": "N_A"})
}

package testpeer

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

// OIDCPeer is oidc-provider (tests/peers/oidc-as.mjs) and, in front of it,
// an MCP server built from the Go SDK's auth helpers that verifies the
// provider's JWT access tokens against its JWKS.
type OIDCPeer struct {
	// MCPURL is the protected MCP endpoint, http://127.0.0.1:<port>/mcp.
	MCPURL string
	// Issuer is oidc-provider's issuer, http://127.0.0.1:<port>.
	Issuer string

	t       testing.TB
	mcpLn   net.Listener
	oidcRun func() *proc
	oidc    *proc
}

// OIDCOptions shape the peer.
type OIDCOptions struct {
	// Forms uses oidc-provider's own login and consent pages (for a real
	// browser) instead of finishing them automatically.
	Forms bool
	// AccessTTL is the access token lifetime (default 300s).
	AccessTTL time.Duration
}

// StartOIDC starts both halves on free loopback ports; both stop when the
// test ends (node by its process group). Without node or the npm peers the
// test is skipped, or failed when CI=true.
func StartOIDC(t testing.TB, o OIDCOptions) *OIDCPeer {
	t.Helper()
	node := nodeFor(t, "oidc-provider", "node_modules/oidc-provider/package.json")
	root := repoRoot(t)
	dir := root + "/" + peersDir

	mcpLn, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	p := &OIDCPeer{t: t, mcpLn: mcpLn, MCPURL: fmt.Sprintf("http://127.0.0.1:%d/mcp", mcpLn.Addr().(*net.TCPAddr).Port)}
	mode := "auto"
	if o.Forms {
		mode = "forms"
	}
	ttl := o.AccessTTL
	if ttl == 0 {
		ttl = 300 * time.Second
	}
	var lastErr error
	for try := 1; try <= startTries && p.oidc == nil; try++ {
		port, _ := freePorts(t)
		env := []string{fmt.Sprintf("OIDC_PORT=%d", port), "OIDC_RESOURCES=" + p.MCPURL, "OIDC_INTERACTION=" + mode,
			fmt.Sprintf("OIDC_ACCESS_TTL=%d", int(ttl.Seconds()))}
		run := func() (*proc, error) { return startNode(t, node, dir, env, []string{"oidc-as.mjs"}, port) }
		pr, err := run()
		if err == nil {
			p.oidc, p.Issuer = pr, fmt.Sprintf("http://127.0.0.1:%d", port)
			p.oidcRun = func() *proc {
				pr, err := run()
				if err != nil {
					t.Fatalf("testpeer: restarting oidc-provider: %v", err)
				}
				return pr
			}
			break
		}
		lastErr = err
		if !strings.Contains(pr.output(), "EADDRINUSE") {
			break
		}
	}
	if p.oidc == nil {
		mcpLn.Close()
		t.Fatalf("testpeer: oidc-provider did not start: %v", lastErr)
	}
	srv := &http.Server{Handler: p.handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(mcpLn)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return p
}

// Restart stops oidc-provider and starts it again on the same port: its
// in-memory registrations, grants and signing keys are gone, as after a
// redeploy without persistent storage.
func (p *OIDCPeer) Restart() {
	p.t.Helper()
	p.oidc.stop()
	p.oidc = p.oidcRun()
}

// handler is the protected MCP server: PRM naming the provider, and the
// Go SDK's bearer middleware with a JWT verifier.
func (p *OIDCPeer) handler() http.Handler {
	prmURL := strings.TrimSuffix(p.MCPURL, "/mcp") + "/.well-known/oauth-protected-resource/mcp"
	mux := http.NewServeMux()
	mux.Handle("/.well-known/oauth-protected-resource/mcp", auth.ProtectedResourceMetadataHandler(&oauthex.ProtectedResourceMetadata{
		Resource:               p.MCPURL,
		AuthorizationServers:   []string{p.issuer()},
		ScopesSupported:        []string{"mcp:read", "mcp:write"},
		BearerMethodsSupported: []string{"header"},
	}))
	srv := mcp.NewServer(&mcp.Implementation{Name: "mcpwalk-testpeer-jwt", Version: "1.0.0"}, nil)
	type textArgs struct {
		Text string `json:"text" jsonschema:"the text"`
	}
	mcp.AddTool(srv, &mcp.Tool{Name: "echo", Description: "Returns the text it is given."},
		func(ctx context.Context, req *mcp.CallToolRequest, a textArgs) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: a.Text}}}, nil, nil
		})
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, &mcp.StreamableHTTPOptions{Stateless: true})
	v := &jwtVerifier{issuer: p.issuer, resource: p.MCPURL, client: &http.Client{Timeout: 10 * time.Second}}
	mux.Handle("/mcp", auth.RequireBearerToken(v.verify, &auth.RequireBearerTokenOptions{
		ResourceMetadataURL: prmURL, Scopes: []string{"mcp:read"},
	})(h))
	return mux
}

func (p *OIDCPeer) issuer() string { return p.Issuer }

// jwtVerifier checks RFC 9068 JWT access tokens: RS256 signature against
// the issuer's JWKS (fetched again for an unknown kid, so a restarted
// provider's new keys are picked up), typ at+jwt, iss, aud, exp, scope.
type jwtVerifier struct {
	issuer   func() string
	resource string
	client   *http.Client

	mu   sync.Mutex
	keys map[string]*rsa.PublicKey
}

func (v *jwtVerifier) verify(ctx context.Context, token string, _ *http.Request) (*auth.TokenInfo, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: not a JWT", auth.ErrInvalidToken)
	}
	var hdr struct{ Alg, Kid, Typ string }
	if err := decodeSegment(parts[0], &hdr); err != nil || hdr.Alg != "RS256" {
		return nil, fmt.Errorf("%w: header %+v (%v)", auth.ErrInvalidToken, hdr, err)
	}
	if !strings.EqualFold(hdr.Typ, "at+jwt") && !strings.EqualFold(hdr.Typ, "application/at+jwt") {
		return nil, fmt.Errorf("%w: typ %q is not at+jwt (RFC 9068 §2.1)", auth.ErrInvalidToken, hdr.Typ)
	}
	key, err := v.key(ctx, hdr.Kid)
	if err != nil {
		return nil, err
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, fmt.Errorf("%w: signature encoding", auth.ErrInvalidToken)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig); err != nil {
		return nil, fmt.Errorf("%w: bad signature", auth.ErrInvalidToken)
	}
	var c struct {
		Iss   string          `json:"iss"`
		Aud   json.RawMessage `json:"aud"`
		Exp   int64           `json:"exp"`
		Scope string          `json:"scope"`
		Sub   string          `json:"sub"`
	}
	if err := decodeSegment(parts[1], &c); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", auth.ErrInvalidToken, err)
	}
	var aud []string
	if err := json.Unmarshal(c.Aud, &aud); err != nil {
		var one string
		_ = json.Unmarshal(c.Aud, &one)
		aud = []string{one}
	}
	switch {
	case c.Iss != v.issuer():
		return nil, fmt.Errorf("%w: iss %q", auth.ErrInvalidToken, c.Iss)
	case !slices.Contains(aud, v.resource):
		return nil, fmt.Errorf("%w: aud %v does not name %s", auth.ErrInvalidToken, aud, v.resource)
	case c.Exp == 0 || time.Unix(c.Exp, 0).Before(time.Now()):
		return nil, fmt.Errorf("%w: expired", auth.ErrInvalidToken)
	}
	return &auth.TokenInfo{Scopes: strings.Fields(c.Scope), Expiration: time.Unix(c.Exp, 0), UserID: c.Sub}, nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// key returns the signing key kid, fetching the JWKS when it is unknown.
func (v *jwtVerifier) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if k := v.keys[kid]; k != nil {
		return k, nil
	}
	keys, err := v.fetchJWKS(ctx)
	if err != nil {
		return nil, err // a 500: the verifier could not do its job
	}
	v.keys = keys
	if k := keys[kid]; k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("%w: unknown kid %q", auth.ErrInvalidToken, kid)
}

func (v *jwtVerifier) fetchJWKS(ctx context.Context) (map[string]*rsa.PublicKey, error) {
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := v.getJSON(ctx, v.issuer()+"/.well-known/openid-configuration", &meta); err != nil {
		return nil, err
	}
	var set struct {
		Keys []struct{ Kty, Kid, N, E, Use string } `json:"keys"`
	}
	if err := v.getJSON(ctx, meta.JWKSURI, &set); err != nil {
		return nil, err
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" || k.Use != "" && k.Use != "sig" {
			continue
		}
		n, errN := base64.RawURLEncoding.DecodeString(k.N)
		e, errE := base64.RawURLEncoding.DecodeString(k.E)
		if errN != nil || errE != nil || len(e) > 4 {
			continue
		}
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys, nil
}

func (v *jwtVerifier) getJSON(ctx context.Context, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %d", url, resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return errors.New("GET " + url + ": not JSON")
	}
	return nil
}

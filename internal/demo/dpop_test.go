package demo

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/flow"
	"golang.org/x/oauth2"
)

func startDPoP(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// proofFor signs a proof with k for method and target.
func proofFor(t *testing.T, k *flow.DPoPKey, method, target, tok, nonce string) string {
	t.Helper()
	u, _ := url.Parse(target)
	p, err := k.Proof(method, u, time.Now(), tok, nonce)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// dpopToken sends a token request with a proof (none when k is nil).
func dpopToken(t *testing.T, s *Server, form url.Values, k *flow.DPoPKey, nonce string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.Issuer+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if k != nil {
		req.Header.Set("DPoP", proofFor(t, k, http.MethodPost, s.Issuer+"/token", "", nonce))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

// mcpPing POSTs a ping to the MCP server with auth and proof.
func mcpPing(t *testing.T, s *Server, auth, proof string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.MCPURL, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	req.Header.Set("Authorization", auth)
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// In DPoP mode the demo binds what it issues to the proof's key, and the
// MCP server serves a bound token only with a fresh proof from that key.
func TestDPoPMode(t *testing.T) {
	s := startDPoP(t, Options{DPoP: true})
	client := registerPublic(t, s, nil)
	key, _ := flow.NewDPoPKey("ES256")
	other, _ := flow.NewDPoPKey("ES256")
	v := oauth2.GenerateVerifier()
	boundCode := func() string {
		q := authParams(s, client, v)
		q.Set("dpop_jkt", key.Thumbprint())
		return authorizeQuery(t, s, q).Get("code")
	}
	if _, out := dpopToken(t, s, redeem(client, boundCode(), v, s.MCPURL), other, ""); out["error"] != "invalid_grant" {
		t.Errorf("a code bound with dpop_jkt was redeemed with another key's proof: %v", out)
	}
	resp, tok := dpopToken(t, s, redeem(client, boundCode(), v, s.MCPURL), key, "")
	at, _ := tok["access_token"].(string)
	if resp.StatusCode != 200 || tok["token_type"] != "DPoP" {
		t.Fatalf("token: %d %v", resp.StatusCode, tok)
	}
	if _, c, err := flow.DecodeJWT(at); err != nil || c.Confirmation == nil || c.Confirmation.JKT != key.Thumbprint() || c.Audience[0] != s.MCPURL {
		t.Errorf("the access token's claims %+v (%v): want cnf.jkt the key's thumbprint and aud the MCP server", c, err)
	}

	good := proofFor(t, key, http.MethodPost, s.MCPURL, at, "")
	for _, tt := range []struct {
		name, auth, proof string
		want              int
	}{
		{"DPoP with a proof from its key", "DPoP " + at, good, 200},
		{"the same proof again", "DPoP " + at, good, 401},
		{"as Bearer", "Bearer " + at, "", 401},
		{"without a proof", "DPoP " + at, "", 401},
		{"a proof for another token", "DPoP " + at, proofFor(t, key, http.MethodPost, s.MCPURL, "another", ""), 401},
		{"a proof for another URL", "DPoP " + at, proofFor(t, key, http.MethodPost, s.Issuer+"/mcp", at, ""), 401},
		{"a proof for another method", "DPoP " + at, proofFor(t, key, http.MethodGet, s.MCPURL, at, ""), 401},
		{"a proof from another key", "DPoP " + at, proofFor(t, other, http.MethodPost, s.MCPURL, at, ""), 401},
	} {
		if got := mcpPing(t, s, tt.auth, tt.proof); got.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d (%s)", tt.name, got.StatusCode, tt.want, got.Header.Get("WWW-Authenticate"))
		}
	}

	// A token request without a proof gets a Bearer token, which this
	// resource refuses: it accepts DPoP-bound tokens only.
	q := authParams(s, client, v)
	_, plain := dpopToken(t, s, redeem(client, authorizeQuery(t, s, q).Get("code"), v, s.MCPURL), nil, "")
	if plain["token_type"] != "Bearer" {
		t.Fatalf("without a proof: %v", plain)
	}
	if got := mcpPing(t, s, "Bearer "+plain["access_token"].(string), ""); got.StatusCode != 401 ||
		!strings.HasPrefix(got.Header.Get("WWW-Authenticate"), "DPoP ") {
		t.Errorf("an unbound token: %d %q", got.StatusCode, got.Header.Get("WWW-Authenticate"))
	}

	// A public client's refresh token is bound to the key as well.
	rt, _ := tok["refresh_token"].(string)
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {client}, "refresh_token": {rt}, "resource": {s.MCPURL}}
	if _, out := dpopToken(t, s, refresh, other, ""); out["error"] != "invalid_grant" {
		t.Errorf("a bound refresh token was redeemed with another key: %v", out)
	}
}

// With DPoPNonce each server demands a nonce of its own.
func TestDPoPNonce(t *testing.T) {
	s := startDPoP(t, Options{DPoPNonce: true})
	client := registerPublic(t, s, nil)
	key, _ := flow.NewDPoPKey("ES256")
	v := oauth2.GenerateVerifier()
	form := redeem(client, code(t, s, client, v), v, s.MCPURL)
	resp, out := dpopToken(t, s, form, key, "")
	asNonce := resp.Header.Get("DPoP-Nonce")
	if resp.StatusCode != 400 || out["error"] != "use_dpop_nonce" || asNonce == "" {
		t.Fatalf("a proof without the nonce: %d %v nonce %q", resp.StatusCode, out, asNonce)
	}
	resp, tok := dpopToken(t, s, form, key, asNonce)
	if resp.StatusCode != 200 || tok["token_type"] != "DPoP" {
		t.Fatalf("with the nonce: %d %v", resp.StatusCode, tok)
	}
	at := tok["access_token"].(string)
	got := mcpPing(t, s, "DPoP "+at, proofFor(t, key, http.MethodPost, s.MCPURL, at, asNonce))
	rsNonce := got.Header.Get("DPoP-Nonce")
	if got.StatusCode != 401 || !strings.Contains(got.Header.Get("WWW-Authenticate"), `error="use_dpop_nonce"`) || rsNonce == "" || rsNonce == asNonce {
		t.Fatalf("the MCP server with the authorization server's nonce: %d %q nonce %q", got.StatusCode, got.Header.Get("WWW-Authenticate"), rsNonce)
	}
	if got := mcpPing(t, s, "DPoP "+at, proofFor(t, key, http.MethodPost, s.MCPURL, at, rsNonce)); got.StatusCode != 200 {
		t.Errorf("with its own nonce: %d %q", got.StatusCode, got.Header.Get("WWW-Authenticate"))
	}
}

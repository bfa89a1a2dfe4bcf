package flow

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"
)

// fakeDPoP makes the fake's authorization server and MCP server speak
// DPoP. Proofs are verified here with crypto/ecdsa directly, not with
// mcpwalk's own code, so that the tests check the engine against RFC 9449
// rather than against itself.
type fakeDPoP struct {
	algs     []string // dpop_signing_alg_values_supported (nil: not advertised)
	required bool     // PRM dpop_bound_access_tokens_required
	bearer   bool     // the authorization server ignores proofs: Bearer tokens
	asNonce  string   // demanded by the token endpoint, when set
	rsNonce  string   // demanded by the MCP server, when set
	// asLoop and rsLoop demand the nonce again even from a proof that
	// carries it (a broken server a client must not loop on).
	asLoop, rsLoop bool
	// silent: the resource's metadata does not mention DPoP (by default
	// it lists ES256); bearerOnly: the MCP server knows nothing of DPoP
	// and refuses the DPoP scheme with a Bearer challenge.
	silent, bearerOnly bool

	mu      sync.Mutex
	jtis    map[string]bool
	lastJKT string            // the verified proof of the token request being served
	bound   map[string]string // access token → jkt
	refresh map[string]string // refresh token → jkt
	// What was seen, for the tests.
	tokenProofs    []map[string]any
	resourceProofs []map[string]any
	schemes        []string
	resourceHits   int
	errs           []string
}

// proofClaims verifies a DPoP proof for method and htu (RFC 9449 §4.3)
// and returns its claims and the thumbprint of its key. token, when set,
// is the access token the proof's ath must hash.
func (d *fakeDPoP) verify(proof, method, htu, token string) (map[string]any, string, error) {
	parts := strings.Split(proof, ".")
	if len(parts) != 3 {
		return nil, "", errors.New("not a compact JWS")
	}
	var hdr struct {
		Typ string            `json:"typ"`
		Alg string            `json:"alg"`
		JWK map[string]string `json:"jwk"`
	}
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if err := json.Unmarshal(hb, &hdr); err != nil {
		return nil, "", fmt.Errorf("header: %v", err)
	}
	if hdr.Typ != "dpop+jwt" || hdr.Alg != "ES256" || hdr.JWK["kty"] != "EC" || hdr.JWK["crv"] != "P-256" {
		return nil, "", fmt.Errorf("header %s", hb)
	}
	if _, private := hdr.JWK["d"]; private {
		return nil, "", errors.New("the jwk carries the private key")
	}
	x, _ := base64.RawURLEncoding.DecodeString(hdr.JWK["x"])
	y, _ := base64.RawURLEncoding.DecodeString(hdr.JWK["y"])
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, "", fmt.Errorf("jwk: %v", err)
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if len(sig) != 64 || !ecdsa.Verify(pub, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return nil, "", errors.New("the signature does not verify")
	}
	var c map[string]any
	cb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if err := json.Unmarshal(cb, &c); err != nil {
		return nil, "", fmt.Errorf("claims: %v", err)
	}
	jti, _ := c["jti"].(string)
	iat, _ := c["iat"].(float64)
	ath, hasAth := c["ath"].(string)
	hash := sha256.Sum256([]byte(token))
	switch {
	case jti == "" || d.jtis[jti]:
		return nil, "", fmt.Errorf("jti %q missing or replayed", jti)
	case c["htm"] != method:
		return nil, "", fmt.Errorf("htm %v, want %s", c["htm"], method)
	case c["htu"] != htu:
		return nil, "", fmt.Errorf("htu %v, want %s", c["htu"], htu)
	case math.Abs(float64(time.Now().Unix())-iat) > 60:
		return nil, "", fmt.Errorf("iat %v is not now", c["iat"])
	case token != "" && ath != base64.RawURLEncoding.EncodeToString(hash[:]):
		return nil, "", errors.New("ath is not the token's hash")
	case token == "" && hasAth:
		return nil, "", errors.New("ath in a token request proof")
	}
	if d.jtis == nil {
		d.jtis = map[string]bool{}
	}
	d.jtis[jti] = true
	canon := fmt.Sprintf(`{"crv":"P-256","kty":"EC","x":%q,"y":%q}`, hdr.JWK["x"], hdr.JWK["y"])
	jkt := sha256.Sum256([]byte(canon))
	return c, base64.RawURLEncoding.EncodeToString(jkt[:]), nil
}

// tokenRequest checks the proof of a token request (f.mu is held); false
// means it has answered.
func (d *fakeDPoP) tokenRequest(f *fake, w http.ResponseWriter, r *http.Request) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lastJKT = ""
	proof := r.Header.Get("DPoP")
	if proof == "" {
		return true
	}
	c, jkt, err := d.verify(proof, http.MethodPost, f.srv.URL+"/token", "")
	if err != nil {
		d.errs = append(d.errs, "token: "+err.Error())
		writeJSON(w, 400, map[string]string{"error": "invalid_dpop_proof", "error_description": err.Error()})
		return false
	}
	d.tokenProofs = append(d.tokenProofs, c)
	if d.asNonce != "" && (c["nonce"] != d.asNonce || d.asLoop) {
		w.Header().Set("DPoP-Nonce", d.asNonce)
		writeJSON(w, 400, map[string]string{"error": "use_dpop_nonce", "error_description": "a nonce is required"})
		return false
	}
	if want := d.refresh[r.PostForm.Get("refresh_token")]; want != "" && want != jkt {
		writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "refresh token bound to another key"})
		return false
	}
	d.lastJKT = jkt
	return true
}

// mint is the access token for grant c: a JWT with cnf.jkt when the
// request carried a proof (f.mu is held).
func (d *fakeDPoP) mint(f *fake, c fakeCode) (string, string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.bearer || d.lastJKT == "" {
		return "at-" + rand.Text(), "Bearer"
	}
	enc := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
	tok := enc(map[string]any{"alg": "ES256", "typ": "at+jwt"}) + "." + enc(map[string]any{
		"iss": f.issuer(), "aud": c.resource, "sub": c.client, "jti": rand.Text(), "cnf": map[string]string{"jkt": d.lastJKT},
	}) + ".c2ln"
	if d.bound == nil {
		d.bound = map[string]string{}
	}
	d.bound[tok] = d.lastJKT
	return tok, "DPoP"
}

func (d *fakeDPoP) bindRefresh(rt string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lastJKT != "" {
		if d.refresh == nil {
			d.refresh = map[string]string{}
		}
		d.refresh[rt] = d.lastJKT
	}
}

// resource checks a request to the MCP server and returns its token;
// false means it has answered (401).
func (d *fakeDPoP) resource(f *fake, w http.ResponseWriter, r *http.Request) (string, bool) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	d.mu.Lock()
	defer d.mu.Unlock()
	if scheme != "" {
		d.schemes = append(d.schemes, scheme)
		d.resourceHits++
	}
	deny := func(params string) (string, bool) {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`DPoP algs="ES256", %s, resource_metadata=%q`, params, f.prmURL()))
		http.Error(w, "unauthorized", 401)
		return "", false
	}
	jkt := d.bound[tok]
	if d.bearerOnly && strings.EqualFold(scheme, "DPoP") {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="invalid_token", resource_metadata=%q`, f.prmURL()))
		http.Error(w, "unauthorized", 401)
		return "", false
	}
	switch {
	case scheme == "" || strings.EqualFold(scheme, "Bearer") && jkt == "":
		return tok, true
	case strings.EqualFold(scheme, "Bearer"):
		return deny(`error="invalid_token", error_description="a DPoP-bound token presented as Bearer"`)
	case !strings.EqualFold(scheme, "DPoP"):
		return deny(`error="invalid_token"`)
	}
	c, pjkt, err := d.verify(r.Header.Get("DPoP"), r.Method, f.url(), tok)
	if err != nil {
		d.errs = append(d.errs, "resource: "+err.Error())
		return deny(`error="invalid_dpop_proof"`)
	}
	d.resourceProofs = append(d.resourceProofs, c)
	if d.rsNonce != "" && (c["nonce"] != d.rsNonce || d.rsLoop) {
		w.Header().Set("DPoP-Nonce", d.rsNonce)
		return deny(`error="use_dpop_nonce"`)
	}
	if pjkt != jkt {
		return deny(`error="invalid_token", error_description="the proof's key is not the token's"`)
	}
	return tok, true
}

func (d *fakeDPoP) seen() (token, resource []map[string]any, schemes, errs []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.tokenProofs, d.resourceProofs, d.schemes, d.errs
}

package demo

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/jose"
)

// The demo's DPoP mode (Options.DPoP): the authorization server advertises
// DPoP, verifies the proofs of token requests and binds what it issues to
// their key; the MCP server accepts only DPoP-bound tokens, each with a
// proof of the key it is bound to.

// dpopAlgs are the proof algorithms the demo accepts and advertises.
var dpopAlgs = []string{"ES256", "RS256"}

// proofWindow is how far a proof's iat may be from now, either way.
const proofWindow = time.Minute

// errNonce means the proof lacks the server's current nonce.
var errNonce = errors.New("a DPoP nonce is required")

// dpopVerifier checks proofs for one server (the authorization server and
// the MCP server each have theirs, with their own nonce, RFC 9449 §8, §9).
type dpopVerifier struct {
	// nonce, when set, must be in every proof.
	nonce string

	mu   sync.Mutex
	seen map[string]time.Time // jti → when it stops mattering (replay)
}

func newVerifier(requireNonce bool) *dpopVerifier {
	v := &dpopVerifier{seen: map[string]time.Time{}}
	if requireNonce {
		v.nonce = secret()
	}
	return v
}

// check verifies the proof of r (RFC 9449 §4.3) for htu and, on a resource
// request, the access token it must hash; it returns the thumbprint of
// the proof's key. errNonce means only the nonce was missing or stale.
func (v *dpopVerifier) check(r *http.Request, htu, accessToken string) (string, error) {
	vals := r.Header.Values("DPoP")
	if len(vals) != 1 || strings.Contains(vals[0], ",") {
		return "", fmt.Errorf("expected exactly one DPoP header, got %d", len(vals))
	}
	j, err := jose.Parse(vals[0])
	if err != nil {
		return "", err
	}
	alg := jose.String(j.Header, "alg")
	if jose.String(j.Header, "typ") != "dpop+jwt" || !slices.Contains(dpopAlgs, alg) {
		return "", fmt.Errorf("typ must be dpop+jwt and alg one of %v", dpopAlgs)
	}
	var key jose.JWK
	if raw, ok := j.Header["jwk"]; !ok || json.Unmarshal(raw, &key) != nil || key.D != "" {
		return "", errors.New("the header must carry the public key as jwk, without private members")
	}
	pub, err := key.PublicKey()
	if err != nil {
		return "", err
	}
	if err := j.Verify(pub, alg); err != nil {
		return "", err
	}
	var c struct {
		JTI   string   `json:"jti"`
		HTM   string   `json:"htm"`
		HTU   string   `json:"htu"`
		IAT   *float64 `json:"iat"`
		ATH   string   `json:"ath"`
		Nonce string   `json:"nonce"`
	}
	raw, _ := json.Marshal(j.Claims)
	_ = json.Unmarshal(raw, &c)
	now := time.Now()
	switch {
	case c.JTI == "":
		return "", errors.New("no jti")
	case c.HTM != r.Method:
		return "", fmt.Errorf("htm %q is not the request's method %s", c.HTM, r.Method)
	case c.HTU != htu:
		return "", fmt.Errorf("htu %q is not %s", c.HTU, htu)
	case c.IAT == nil || now.Sub(time.Unix(int64(*c.IAT), 0)).Abs() > proofWindow:
		return "", errors.New("iat is missing or not within a minute of now")
	case accessToken != "" && c.ATH != jose.TokenHash(accessToken):
		return "", errors.New("ath is not the hash of the access token")
	case v.nonce != "" && c.Nonce != v.nonce:
		return "", errNonce
	}
	if !v.fresh(c.JTI, now) {
		return "", errors.New("the proof was used before (jti replayed)")
	}
	return key.Thumbprint(), nil
}

// fresh records jti and reports whether it is new; entries are forgotten
// once a proof with that jti would be too old anyway.
func (v *dpopVerifier) fresh(jti string, now time.Time) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	for k, until := range v.seen {
		if now.After(until) {
			delete(v.seen, k)
		}
	}
	if _, used := v.seen[jti]; used {
		return false
	}
	v.seen[jti] = now.Add(2 * proofWindow)
	return true
}

// accessJWT is a DPoP-bound access token: a JWT (RFC 9068) carrying the
// key's thumbprint as cnf.jkt (RFC 9449 §6.1), signed with the demo's
// HMAC key. The MCP server still looks tokens up in the demo's state (so
// revocation works); the JWT is there for clients to decode.
func (s *Server) accessJWT(c *client, g *grant, jkt string, exp time.Time) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(map[string]string{"alg": "HS256", "typ": "at+jwt"}) + "." + enc(map[string]any{
		"iss": s.Issuer, "sub": c.ID, "client_id": c.ID, "aud": g.Resource, "scope": strings.Join(g.Scopes, " "),
		"iat": time.Now().Unix(), "exp": exp.Unix(), "jti": rand.Text(), "cnf": map[string]string{"jkt": jkt},
	})
	mac := hmac.New(sha256.New, s.jwtKey)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// dpopOn reports whether the demo speaks DPoP: asked for, or needed by
// the fault being reproduced.
func (s *Server) dpopOn() bool {
	return s.opts.DPoP || s.opts.DPoPNonce || strings.HasPrefix(s.opts.Fault, "dpop-")
}

// tokenProof verifies the proof of a token request, if any, and returns
// its key's thumbprint ("" without a proof). false means it has answered.
func (s *Server) tokenProof(w http.ResponseWriter, r *http.Request) (string, bool) {
	if !s.dpopOn() || r.Header.Get("DPoP") == "" {
		return "", true
	}
	jkt, err := s.asProofs.check(r, s.Issuer+"/token", "")
	switch {
	case errors.Is(err, errNonce):
		w.Header().Set("DPoP-Nonce", s.asProofs.nonce)
		oauthError(w, http.StatusBadRequest, "use_dpop_nonce", "the authorization server requires a nonce in DPoP proofs")
		return "", false
	case err != nil:
		oauthError(w, http.StatusBadRequest, "invalid_dpop_proof", err.Error())
		return "", false
	}
	return jkt, true
}

// dpopResource applies the MCP server's DPoP rules to a request carrying
// tok with scheme: a DPoP token needs a valid proof from the key it is
// bound to; a bound token is refused as Bearer (RFC 9449 §7.2); an
// unbound one is refused, since the resource requires DPoP-bound tokens.
// Unknown tokens are left to the usual invalid_token answer. It answers
// (and returns false) when the request is refused.
func (s *Server) dpopResource(w http.ResponseWriter, r *http.Request, scheme, tok string, challenge func(int, ...string)) bool {
	g := s.state.lookup(tok, time.Now())
	if tok == "" || g == nil {
		return true
	}
	deny := func(code, desc string) bool {
		challenge(http.StatusUnauthorized, fmt.Sprintf("error=%q", code), fmt.Sprintf("error_description=%q", desc))
		return false
	}
	switch {
	case !strings.EqualFold(scheme, "DPoP") && g.JKT != "":
		if s.has("dpop-rs-accepts-bearer") {
			return true
		}
		return deny("invalid_token", "a DPoP-bound token needs the DPoP scheme and a proof")
	case !strings.EqualFold(scheme, "DPoP"):
		return deny("invalid_token", "this resource accepts only DPoP-bound tokens")
	case g.JKT == "":
		return deny("invalid_token", "not a DPoP-bound token")
	}
	jkt, err := s.rsProofs.check(r, s.MCPURL, tok)
	switch {
	case errors.Is(err, errNonce):
		w.Header().Set("DPoP-Nonce", s.rsProofs.nonce)
		return deny("use_dpop_nonce", "the MCP server requires a nonce in DPoP proofs")
	case err != nil:
		return deny("invalid_dpop_proof", err.Error())
	case jkt != g.JKT && !s.has("dpop-no-key-check"):
		return deny("invalid_dpop_proof", "the proof's key is not the one the token is bound to")
	}
	return true
}

package flow

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/jose"
)

// DPoP modes (Config.DPoP): whether the walk sender-constrains its tokens
// with RFC 9449 proofs of possession.
const (
	// DPoPAuto (the default, also "") uses DPoP when the authorization
	// server lists an algorithm mcpwalk signs in
	// dpop_signing_alg_values_supported (RFC 9449 §5.1) and the MCP server
	// shows it accepts DPoP (a DPoP challenge, RFC 9449 §7.1, or DPoP in
	// its metadata, RFC 9728 §2), or when the resource demands DPoP-bound
	// tokens (dpop_bound_access_tokens_required).
	DPoPAuto = "auto"
	// DPoPAlways insists on DPoP: the walk stops when the authorization
	// server does not advertise it.
	DPoPAlways = "always"
	// DPoPNever sends Bearer tokens, never a proof.
	DPoPNever = "never"
)

const (
	specDPoP         = "RFC 9449; MCP extension io.modelcontextprotocol/auth/dpop (SEP-1932)"
	specDPoPProof    = "RFC 9449 §4.2"
	specDPoPMetadata = "RFC 9449 §5.1; RFC 8414 §2"
	specDPoPToken    = "RFC 9449 §5; SEP-1932"
	specDPoPBinding  = "RFC 9449 §6.1; RFC 7638"
	specDPoPResource = "RFC 9449 §7.1; SEP-1932"
	specDPoPRequired = "RFC 9728 §2 (dpop_bound_access_tokens_required); RFC 9449 §7.2"
	specDPoPASNonce  = "RFC 9449 §8"
	specDPoPRSNonce  = "RFC 9449 §9"
)

// dpopAlgs are the proof algorithms mcpwalk signs, preferred first.
var dpopAlgs = []string{"ES256", "RS256"}

// DPoPKey is the key pair whose possession the walk proves (RFC 9449 §2):
// generated for the walk, or the one stored with a DPoP-bound token, which
// is useless without it.
type DPoPKey struct {
	key *ClientKey
	jwk jose.JWK
}

// NewDPoPKey generates a key for alg: a P-256 key for ES256, a 2048-bit
// RSA key for RS256.
func NewDPoPKey(alg string) (*DPoPKey, error) {
	var k *ClientKey
	switch alg {
	case "ES256":
		ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		k = &ClientKey{Signer: ec, Alg: alg}
	case "RS256":
		rk, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		k = &ClientKey{Signer: rk, Alg: alg}
	default:
		return nil, fmt.Errorf("DPoP algorithm %q: mcpwalk signs %s", alg, strings.Join(dpopAlgs, ", "))
	}
	return dpopKeyOf(k)
}

// ParseDPoPKey reads a key saved with PEM.
func ParseDPoPKey(pemText string) (*DPoPKey, error) {
	k, err := ParseClientKey(pemText, "")
	if err != nil {
		return nil, err
	}
	return dpopKeyOf(k)
}

func dpopKeyOf(k *ClientKey) (*DPoPKey, error) {
	j, err := jose.PublicJWK(k.Signer.Public())
	if err != nil {
		return nil, err
	}
	return &DPoPKey{key: k, jwk: j}, nil
}

// Alg is the JWS algorithm of the key's proofs.
func (k *DPoPKey) Alg() string { return k.key.Alg }

// Thumbprint is the key's RFC 7638 thumbprint: the jkt an authorization
// server binds tokens to (cnf.jkt, RFC 9449 §6.1).
func (k *DPoPKey) Thumbprint() string { return k.jwk.Thumbprint() }

// PEM is the private key, PKCS#8: a secret, kept only in the token store.
func (k *DPoPKey) PEM() (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.key.Signer)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// Proof is a DPoP proof JWT (RFC 9449 §4.2) for one request: typ
// dpop+jwt, the public key in jwk; a fresh jti, htm, htu (the target
// without query or fragment) and iat; ath, the hash of the access token,
// on resource requests; nonce when the server supplied one. Signed with
// the same code as private_key_jwt assertions.
func (k *DPoPKey) Proof(method string, target *url.URL, now time.Time, accessToken, nonce string) (string, error) {
	claims := map[string]any{"jti": rand.Text(), "htm": method, "htu": htu(target), "iat": now.Unix()}
	if accessToken != "" {
		claims["ath"] = jose.TokenHash(accessToken)
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	return signJWT(k.key, map[string]any{"typ": "dpop+jwt", "alg": k.key.Alg, "jwk": k.jwk}, claims)
}

// htu is the proof's target URI: scheme, host and path of u, without
// query, fragment or user information (RFC 9449 §4.2), with the scheme
// and host lower-cased as RFC 3986 §6.2.2.1 normalises them.
func htu(u *url.URL) string {
	t := url.URL{Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(u.Host), Path: u.Path, RawPath: u.RawPath}
	return t.String()
}

// pickDPoPAlg returns the first algorithm mcpwalk signs that the
// authorization server lists (and the resource, when it lists any).
func pickDPoPAlg(asAlgs, rsAlgs []string) string {
	for _, a := range dpopAlgs {
		if contains(asAlgs, a) && (len(rsAlgs) == 0 || contains(rsAlgs, a)) {
			return a
		}
	}
	for _, a := range dpopAlgs {
		if contains(asAlgs, a) {
			return a
		}
	}
	return ""
}

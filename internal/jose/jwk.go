// Package jose is the little of JOSE that both ends of DPoP need: public
// keys as JWKs (RFC 7517), their thumbprints (RFC 7638), and the
// verification of compact JWS signatures with ES256 and RS256 (RFC 7515,
// RFC 7518 §3.3–3.4). The client signs with flow's signJWT; the demo server
// and the tests verify here.
package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// JWK is a public key (RFC 7517 §4; RFC 7518 §6.2.1 for EC, §6.3.1 for
// RSA). Only the members a P-256 or RSA public key needs are kept.
type JWK struct {
	// Kty (`kty`, REQUIRED): "EC" or "RSA".
	Kty string `json:"kty"`
	// Crv, X, Y (`crv`, `x`, `y`): the EC curve and point, base64url.
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	// N, E (`n`, `e`): the RSA modulus and exponent, base64url.
	N string `json:"n,omitempty"`
	E string `json:"e,omitempty"`
	// D (`d`) is a private member. It is decoded only so that a key
	// published with it can be refused; PublicJWK never sets it.
	D string `json:"d,omitempty"`
}

var b64 = base64.RawURLEncoding

// PublicJWK returns the JWK of a P-256 or RSA public key.
func PublicJWK(pub crypto.PublicKey) (JWK, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return JWK{}, fmt.Errorf("EC key on %s: only P-256 is supported", k.Curve.Params().Name)
		}
		raw, err := k.Bytes() // 0x04 || X || Y, 32 bytes each
		if err != nil {
			return JWK{}, err
		}
		return JWK{Kty: "EC", Crv: "P-256", X: b64.EncodeToString(raw[1:33]), Y: b64.EncodeToString(raw[33:])}, nil
	case *rsa.PublicKey:
		return JWK{Kty: "RSA", N: b64.EncodeToString(k.N.Bytes()), E: b64.EncodeToString(big.NewInt(int64(k.E)).Bytes())}, nil
	}
	return JWK{}, fmt.Errorf("unsupported public key type %T", pub)
}

// PublicKey returns the key the JWK describes.
func (j JWK) PublicKey() (crypto.PublicKey, error) {
	switch j.Kty {
	case "EC":
		if j.Crv != "P-256" {
			return nil, fmt.Errorf("EC JWK on curve %q: only P-256 is supported", j.Crv)
		}
		x, errX := b64.DecodeString(j.X)
		y, errY := b64.DecodeString(j.Y)
		if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
			return nil, errors.New("EC JWK: x and y must be 32 bytes each, base64url")
		}
		return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	case "RSA":
		n, errN := b64.DecodeString(j.N)
		e, errE := b64.DecodeString(j.E)
		if errN != nil || errE != nil || len(n) < 256 || len(e) == 0 || len(e) > 4 {
			return nil, errors.New("RSA JWK: n (2048 bits or more) and e must be base64url")
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
	}
	return nil, fmt.Errorf("JWK kty %q: only EC and RSA are supported", j.Kty)
}

// Thumbprint is the RFC 7638 SHA-256 thumbprint, base64url: the hash of
// the required members only, in lexicographic order, without whitespace.
// It is the jkt of RFC 9449 §6.1 (cnf.jkt) and §10 (dpop_jkt).
func (j JWK) Thumbprint() string {
	var canon []byte
	switch j.Kty {
	case "EC":
		canon, _ = json.Marshal(struct {
			Crv string `json:"crv"`
			Kty string `json:"kty"`
			X   string `json:"x"`
			Y   string `json:"y"`
		}{j.Crv, j.Kty, j.X, j.Y})
	case "RSA":
		canon, _ = json.Marshal(struct {
			E   string `json:"e"`
			Kty string `json:"kty"`
			N   string `json:"n"`
		}{j.E, j.Kty, j.N})
	default:
		return ""
	}
	sum := sha256.Sum256(canon)
	return b64.EncodeToString(sum[:])
}

// TokenHash is the base64url SHA-256 of an access token: the ath claim of
// a DPoP proof (RFC 9449 §4.2).
func TokenHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return b64.EncodeToString(sum[:])
}

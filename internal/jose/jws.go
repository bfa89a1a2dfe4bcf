package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// JWS is a compact JWS taken apart (RFC 7515 §7.1), not yet verified.
type JWS struct {
	// Header and Claims are the decoded JSON of the first two parts.
	Header map[string]json.RawMessage
	Claims map[string]json.RawMessage
	// signingInput is the first two parts as sent; sig the third, decoded.
	signingInput string
	sig          []byte
}

// Parse splits and decodes a compact JWS without verifying anything.
func Parse(compact string) (*JWS, error) {
	parts := strings.Split(compact, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a compact JWS: expected three dot-separated parts")
	}
	j := &JWS{signingInput: parts[0] + "." + parts[1]}
	for i, dst := range []*map[string]json.RawMessage{&j.Header, &j.Claims} {
		raw, err := b64.DecodeString(parts[i])
		if err != nil {
			return nil, fmt.Errorf("JWS part %d is not base64url: %w", i+1, err)
		}
		if err := json.Unmarshal(raw, dst); err != nil || *dst == nil {
			return nil, fmt.Errorf("JWS part %d is not a JSON object", i+1)
		}
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return nil, fmt.Errorf("JWS signature is not base64url: %w", err)
	}
	j.sig = sig
	return j, nil
}

// String returns a header or claim member that is a JSON string, "" when
// it is absent or not a string.
func String(m map[string]json.RawMessage, name string) string {
	var s string
	if raw, ok := m[name]; ok && json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}

// Verify checks the signature with pub for alg, ES256 (the raw r||s form
// of RFC 7518 §3.4, not ASN.1) or RS256.
func (j *JWS) Verify(pub crypto.PublicKey, alg string) error {
	sum := sha256.Sum256([]byte(j.signingInput))
	switch alg {
	case "ES256":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("ES256 needs an EC key, got %T", pub)
		}
		if len(j.sig) != 64 {
			return fmt.Errorf("ES256 signature of %d bytes, expected 64 (r||s)", len(j.sig))
		}
		r, s := new(big.Int).SetBytes(j.sig[:32]), new(big.Int).SetBytes(j.sig[32:])
		if !ecdsa.Verify(k, sum[:], r, s) {
			return errors.New("ES256 signature does not verify")
		}
		return nil
	case "RS256":
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("RS256 needs an RSA key, got %T", pub)
		}
		if err := rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], j.sig); err != nil {
			return errors.New("RS256 signature does not verify")
		}
		return nil
	}
	return fmt.Errorf("unsupported JWS algorithm %q", alg)
}

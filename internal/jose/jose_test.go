package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"testing"
)

// The example key of RFC 9449 §4.2 and the jkt of its §6.1 example, and
// the access token and ath of its §7.1 example.
func TestRFC9449Vectors(t *testing.T) {
	k := JWK{Kty: "EC", Crv: "P-256", X: "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs", Y: "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}
	if got, want := k.Thumbprint(), "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"; got != want {
		t.Errorf("thumbprint %s, want %s", got, want)
	}
	if _, err := k.PublicKey(); err != nil {
		t.Errorf("the RFC's key does not parse: %v", err)
	}
	if got, want := TokenHash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"), "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"; got != want {
		t.Errorf("ath %s, want %s", got, want)
	}
}

func TestJWKRoundTrip(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	for name, pub := range map[string]crypto.PublicKey{"EC": &ec.PublicKey, "RSA": &rk.PublicKey} {
		j, err := PublicJWK(pub)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if j.D != "" {
			t.Errorf("%s: a public JWK carries d", name)
		}
		back, err := j.PublicKey()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !back.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
			t.Errorf("%s: the key did not survive the round trip", name)
		}
		if len(j.Thumbprint()) != 43 {
			t.Errorf("%s: thumbprint %q is not a base64url SHA-256", name, j.Thumbprint())
		}
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if _, err := PublicJWK(&p384.PublicKey); err == nil {
		t.Errorf("a P-384 key was accepted")
	}
	if _, err := (JWK{Kty: "EC", Crv: "P-256", X: "AAAA", Y: "AAAA"}).PublicKey(); err == nil {
		t.Errorf("a short point was accepted")
	}
}

// compact signs header.claims with the standard library directly, so that
// Verify is checked against an independent signer.
func compact(t *testing.T, key crypto.Signer, alg string, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(map[string]any{"alg": alg})
	c, _ := json.Marshal(claims)
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(c)
	sum := sha256.Sum256([]byte(input))
	var sig []byte
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		r, s, err := ecdsa.Sign(rand.Reader, k, sum[:])
		if err != nil {
			t.Fatal(err)
		}
		sig = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	case *rsa.PrivateKey:
		sig, _ = rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	}
	return input + "." + b64.EncodeToString(sig)
}

func TestVerify(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	tok := compact(t, ec, "ES256", map[string]any{"jti": "x"})
	j, err := Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	if String(j.Claims, "jti") != "x" || String(j.Header, "alg") != "ES256" {
		t.Errorf("decoded %v %v", j.Header, j.Claims)
	}
	if err := j.Verify(&ec.PublicKey, "ES256"); err != nil {
		t.Errorf("a good ES256 signature: %v", err)
	}
	if err := j.Verify(&other.PublicKey, "ES256"); err == nil {
		t.Errorf("another key verified the signature")
	}
	if err := j.Verify(&ec.PublicKey, "RS256"); err == nil {
		t.Errorf("an EC key verified as RS256")
	}
	rj, _ := Parse(compact(t, rk, "RS256", map[string]any{"jti": "y"}))
	if err := rj.Verify(&rk.PublicKey, "RS256"); err != nil {
		t.Errorf("a good RS256 signature: %v", err)
	}
	tampered, _ := Parse(tok[:len(tok)-4] + "AAAA")
	if tampered != nil && tampered.Verify(&ec.PublicKey, "ES256") == nil {
		t.Errorf("a tampered signature verified")
	}
	for _, bad := range []string{"a.b", "!!.e30.", "e30.bm90IGpzb24.", "e30.e30.!!"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

package flow

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// decodePart decodes one part of a compact JWS into a map.
func decodePart(t *testing.T, part string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// A proof has the RFC 9449 §4.2 shape and verifies with the standard
// library's ECDSA and RSA against the public key it carries.
func TestDPoPProof(t *testing.T) {
	now := time.Unix(1700000000, 0)
	target, _ := url.Parse("HTTPS://MCP.Example.com/mcp/v1?x=1#frag")
	for _, alg := range []string{"ES256", "RS256"} {
		t.Run(alg, func(t *testing.T) {
			k, err := NewDPoPKey(alg)
			if err != nil {
				t.Fatal(err)
			}
			tok := "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU" // RFC 9449 §7.1's example token
			p, err := k.Proof("GET", target, now, tok, "nonce-1")
			if err != nil {
				t.Fatal(err)
			}
			parts := strings.Split(p, ".")
			if len(parts) != 3 {
				t.Fatalf("proof %q is not a compact JWS", p)
			}
			h, c := decodePart(t, parts[0]), decodePart(t, parts[1])
			jwk, _ := h["jwk"].(map[string]any)
			if h["typ"] != "dpop+jwt" || h["alg"] != alg || jwk == nil || jwk["d"] != nil || jwk["p"] != nil {
				t.Errorf("header %v", h)
			}
			want := map[string]any{"htm": "GET", "htu": "https://mcp.example.com/mcp/v1", "iat": float64(now.Unix()),
				"ath": "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo", "nonce": "nonce-1", "jti": c["jti"]}
			if diff := cmp.Diff(want, c); diff != "" || len(c["jti"].(string)) < 16 {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
			sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
			sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
			switch pub := k.key.Signer.Public().(type) {
			case *ecdsa.PublicKey:
				if len(sig) != 64 || !ecdsa.Verify(pub, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
					t.Errorf("the ES256 signature (%d bytes, raw r||s) does not verify", len(sig))
				}
			case *rsa.PublicKey:
				if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
					t.Errorf("the RS256 signature does not verify: %v", err)
				}
			}
			p2, _ := k.Proof("GET", target, now, "", "")
			c2 := decodePart(t, strings.Split(p2, ".")[1])
			if c2["jti"] == c["jti"] || c2["ath"] != nil || c2["nonce"] != nil {
				t.Errorf("a second proof without token and nonce: %v", c2)
			}
		})
	}
	if _, err := NewDPoPKey("PS256"); err == nil {
		t.Errorf("an algorithm mcpwalk does not sign was accepted")
	}
}

// The key survives the token store, thumbprint and all.
func TestDPoPKeyPEM(t *testing.T) {
	k, _ := NewDPoPKey("ES256")
	pem, err := k.PEM()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseDPoPKey(pem)
	if err != nil || back.Thumbprint() != k.Thumbprint() || back.Alg() != "ES256" {
		t.Errorf("round trip: %v %+v", err, back)
	}
}

func TestPickDPoPAlg(t *testing.T) {
	for _, tt := range []struct {
		as, rs []string
		want   string
	}{
		{[]string{"ES256"}, nil, "ES256"},
		{[]string{"PS256", "RS256", "ES256"}, nil, "ES256"},
		{[]string{"RS256"}, nil, "RS256"},
		{[]string{"ES256", "RS256"}, []string{"RS256"}, "RS256"},
		{[]string{"ES256"}, []string{"PS256"}, "ES256"},
		{[]string{"EdDSA", "PS256"}, nil, ""},
		{nil, nil, ""},
	} {
		if got := pickDPoPAlg(tt.as, tt.rs); got != tt.want {
			t.Errorf("pickDPoPAlg(%v, %v) = %q, want %q", tt.as, tt.rs, got, tt.want)
		}
	}
}

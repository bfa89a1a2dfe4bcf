package flow

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

func pemOf(t *testing.T, key any) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func TestParseClientKey(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	if k, err := ParseClientKey(pemOf(t, ec), ""); err != nil || k.Alg != "ES256" {
		t.Errorf("P-256: %v %+v", err, k)
	}
	if k, err := ParseClientKey(pemOf(t, rk), "RS256"); err != nil || k.Alg != "RS256" {
		t.Errorf("RSA: %v %+v", err, k)
	}
	if _, err := ParseClientKey(pemOf(t, ec), "RS256"); err == nil {
		t.Errorf("an EC key was accepted for RS256")
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if _, err := ParseClientKey(pemOf(t, p384), ""); err == nil || !strings.Contains(err.Error(), "P-256") {
		t.Errorf("P-384: %v", err)
	}
	if _, err := ParseClientKey("not a key", ""); err == nil {
		t.Errorf("garbage was accepted")
	}
}

// The client_credentials grant with client_secret_basic, and with
// private_key_jwt: no browser, no redirect, the resource and scope sent,
// the assertion signed by the key with iss/sub the client and aud the issuer.
func TestClientCredentials(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	key, err := ParseClientKey(pemOf(t, ec), "")
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]Config{
		"secret": {ClientID: "pre", ClientSecret: "pre-secret-123"},
		"key":    {ClientID: "pre", ClientKey: key},
	} {
		t.Run(name, func(t *testing.T) {
			f := (&fake{ccKey: &ec.PublicKey, authMethods: []string{"client_secret_basic", "private_key_jwt"}}).start(t)
			cfg.ServerURL, cfg.Grant = f.url(), GrantClientCredentials
			cfg.Calls = []Call{{Method: "tools/list"}}
			h := newHarness(t, cfg)
			if err := h.e.Run(t.Context()); err != nil {
				t.Fatalf("walk: %v", err)
			}
			if s := h.step(t, StepAuthorize); s.Status != StatusSkip {
				t.Errorf("authorize: %s, want skipped", s.Status)
			}
			if !hasCheck(h.step(t, StepToken), "token.client-credentials", check.Pass) {
				t.Errorf("no token.client-credentials check")
			}
			last := f.lastToken()
			if last.Get("grant_type") != "client_credentials" || last.Get("resource") != f.url() {
				t.Errorf("token request %v", last)
			}
			if name == "key" && last.Get("client_assertion") == "" {
				t.Errorf("no client assertion sent")
			}
			assertNoSecrets(t, h, f)
		})
	}
}

func TestClientCredentialsNeedsClientID(t *testing.T) {
	f := (&fake{}).start(t)
	h := newHarness(t, Config{ServerURL: f.url(), Grant: GrantClientCredentials})
	if err := h.e.Run(t.Context()); err == nil || !strings.Contains(h.step(t, StepRegister).Error, "pre-registered client") {
		t.Errorf("err %v, register %+v", err, h.step(t, StepRegister))
	}
}

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

// The jwt-bearer grant presents the workload JWT; the enterprise grant
// first exchanges the user's ID token at the IdP for an ID-JAG (audience
// the issuer, resource the MCP server) and presents that.
func TestAssertionGrants(t *testing.T) {
	for name, cfg := range map[string]Config{
		"jwt-bearer": {ClientID: "pre", ClientSecret: "pre-secret-123", Grant: GrantJWTBearer, Assertion: "workload-jwt"},
		"enterprise": {ClientID: "pre", ClientSecret: "pre-secret-123", Grant: GrantEnterprise,
			IdP: &IdP{ClientID: "idp-client", IDToken: "user-id-token"}},
	} {
		t.Run(name, func(t *testing.T) {
			f := (&fake{}).start(t)
			cfg.ServerURL = f.url()
			if cfg.IdP != nil {
				cfg.IdP.TokenEndpoint = f.srv.URL + "/idp/token"
			}
			cfg.Calls = []Call{{Method: "tools/list"}}
			h := newHarness(t, cfg)
			if err := h.e.Run(t.Context()); err != nil {
				t.Fatalf("walk: %v\n%+v", err, h.step(t, StepToken))
			}
			tok := h.step(t, StepToken)
			if !hasCheck(tok, "token.jwt-bearer", check.Pass) || cfg.IdP != nil && !hasCheck(tok, "token.exchange", check.Pass) {
				t.Errorf("token step checks: %+v", tok.Checks)
			}
			last := f.lastToken()
			if last.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || last.Get("assertion") == "" || last.Get("resource") != f.url() {
				t.Errorf("token request %v", last)
			}
			assertNoSecrets(t, h, f)
		})
	}
}

// A refused assertion is reported once: no retry, no other grant.
func TestJWTBearerRefusedIsNotRetried(t *testing.T) {
	f := (&fake{}).start(t)
	h := newHarness(t, Config{ServerURL: f.url(), ClientID: "pre", ClientSecret: "pre-secret-123", Grant: GrantJWTBearer, Assertion: "expired-jwt"})
	if err := h.e.Run(t.Context()); err == nil {
		t.Fatal("a refused assertion was not a failure")
	}
	if !hasCheck(h.step(t, StepToken), "token.invalid-grant", check.Fail) {
		t.Errorf("token step: %+v", h.step(t, StepToken).Checks)
	}
	if n := len(f.tokenReq); n != 1 {
		t.Errorf("%d token requests, want exactly 1", n)
	}
}

func TestSchemaDefaults(t *testing.T) {
	got := schemaDefaults(map[string]any{"type": "object", "properties": map[string]any{
		"name": map[string]any{"type": "string", "default": "Ada"}, "age": map[string]any{"type": "integer", "default": 36},
		"ok": map[string]any{"type": "boolean", "default": false}, "free": map[string]any{"type": "string"},
	}})
	if len(got) != 3 || got["name"] != "Ada" || got["age"] != float64(36) || got["ok"] != false {
		t.Errorf("defaults %v", got)
	}
	if got := schemaDefaults(nil); len(got) != 0 {
		t.Errorf("nil schema: %v", got)
	}
}

package flow

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"

	"net/url"
	"strings"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
	"golang.org/x/oauth2"
)

// Grants the engine can use to obtain a token.
const (
	GrantAuthorizationCode = "authorization_code"
	// GrantClientCredentials is the machine-to-machine grant (OAuth 2.1
	// §4.2; MCP's client-credentials extension, SEP-1046): no user, no
	// browser, the client authenticates as itself.
	GrantClientCredentials = "client_credentials"
)

const (
	specClientCredentials = "OAuth 2.1 §4.2; MCP extension io.modelcontextprotocol/oauth-client-credentials (SEP-1046)"
	specPrivateKeyJWT     = "RFC 7523 §2.2, §3; OpenID Connect Core §9 (private_key_jwt)"
	assertionType         = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
)

// grant is the configured grant, authorization_code by default.
func (e *Engine) grant() string {
	if e.cfg.Grant == "" {
		return GrantAuthorizationCode
	}
	return e.cfg.Grant
}

// interactive reports whether the grant sends a user to the authorization
// endpoint (and so needs a redirect URI and a loopback listener).
func (e *Engine) interactive() bool { return e.grant() == GrantAuthorizationCode }

// clientCredentials requests a token with the client's own credentials,
// for the chosen scopes and the resource.
func (e *Engine) clientCredentials(ctx context.Context, s *stepCtx, challenged []string) error {
	if len(e.as.GrantTypesSupported) > 0 && !contains(e.as.GrantTypesSupported, GrantClientCredentials) {
		s.add(check.New("token.grant-unsupported", check.Warn, "RFC 8414 §2",
			"List client_credentials in grant_types_supported if the token endpoint accepts it.",
			"grant_types_supported %v lacks client_credentials; trying it anyway", e.as.GrantTypesSupported))
	}
	scopes := e.chooseScopes(s, challenged)
	e.requested = scopes
	form := url.Values{"grant_type": {GrantClientCredentials}, "resource": {e.resource}}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	s.add(check.New("token.client-credentials", check.Pass, specClientCredentials, "",
		"client_credentials grant as %q (%s), resource=%q", e.client.ID, e.client.AuthMethod, e.resource))
	body, status, err := e.tokenRequest(ctx, s, e.as.TokenEndpoint, form, e.client.ID, e.client.Secret, e.client.AuthMethod)
	if err != nil {
		return fail("Check token_endpoint in the metadata.", "%v", err)
	}
	if body.Error != "" || body.AccessToken == "" {
		return e.grantError(s, status, body)
	}
	tok := body.oauth2(e.deps.Now())
	e.deps.Secrets.Secret(tok.AccessToken)
	e.deps.Secrets.Secret(tok.RefreshToken)
	reason := e.checkTokenResponse(s, tok, scopes)
	e.token = tok
	e.saveToken(ctx, s, reason)
	return nil
}

// grantError records a token endpoint refusal of a non-interactive grant.
func (e *Engine) grantError(s *stepCtx, status int, body *tokenResponse) error {
	code := body.Error
	if code == "" {
		code = "no access_token"
	}
	id, fix := "token.error", "See error_description."
	switch code {
	case "invalid_client":
		id, fix = "token.invalid-client", fmt.Sprintf("Client authentication failed with %s: check the client id, secret or key, and token_endpoint_auth_methods_supported.", e.client.AuthMethod)
	case "invalid_grant":
		id, fix = "token.invalid-grant", "The grant or assertion was refused: check its issuer, audience, lifetime and signature."
	case "invalid_target":
		id, fix = "token.invalid-target", fmt.Sprintf("The authorization server rejected resource=%q (RFC 8707).", e.resource)
	case "unauthorized_client":
		id, fix = "token.error", fmt.Sprintf("The client may not use grant %s: allow it for this client.", e.grant())
	}
	s.add(check.New(id, check.Fail, "RFC 6749 §5.2", fix, "token request to %s: %d error=%q %s", e.as.TokenEndpoint, status, code, body.ErrorDescription))
	return nil
}

// oauth2 converts a token response.
func (t *tokenResponse) oauth2(now time.Time) *oauth2.Token {
	tok := &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken}
	if t.ExpiresIn > 0 {
		tok.Expiry = now.Add(time.Duration(t.ExpiresIn) * time.Second)
	}
	if t.Scope != "" {
		tok = tok.WithExtra(map[string]any{"scope": t.Scope})
	}
	return tok
}

// ClientKey is a private key for private_key_jwt client authentication.
type ClientKey struct {
	Signer crypto.Signer
	// Alg is the JWS algorithm: ES256 or RS256.
	Alg string
}

// ParseClientKey reads a PEM private key (PKCS#8, SEC 1 EC or PKCS#1
// RSA) and picks its JWS algorithm: ES256 for P-256, RS256 for RSA, or
// alg when given and compatible.
func ParseClientKey(pemText, alg string) (*ClientKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, errors.New("no PEM block in the private key")
	}
	var key any
	var err error
	switch block.Type {
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	}
	if err != nil {
		return nil, fmt.Errorf("parsing the %s: %w", block.Type, err)
	}
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("EC key on %s: only P-256 (ES256) is supported", k.Curve.Params().Name)
		}
		if alg != "" && alg != "ES256" {
			return nil, fmt.Errorf("a P-256 key signs ES256, not %s", alg)
		}
		return &ClientKey{Signer: k, Alg: "ES256"}, nil
	case *rsa.PrivateKey:
		if alg != "" && alg != "RS256" {
			return nil, fmt.Errorf("an RSA key signs RS256 here, not %s", alg)
		}
		return &ClientKey{Signer: k, Alg: "RS256"}, nil
	}
	return nil, fmt.Errorf("unsupported private key type %T: use P-256 or RSA", key)
}

// clientAssertion is the RFC 7523 §3 JWT that authenticates the client:
// iss and sub the client id, aud the authorization server's issuer, a
// short lifetime and a unique jti.
func (e *Engine) clientAssertion(clientID string) (string, error) {
	k := e.cfg.ClientKey
	if k == nil {
		return "", errors.New("private_key_jwt needs a private key (--client-key)")
	}
	now := e.deps.Now()
	return signJWT(k, map[string]any{"alg": k.Alg, "typ": "JWT"}, map[string]any{
		"iss": clientID, "sub": clientID, "aud": e.issuer,
		"iat": now.Unix(), "exp": now.Add(2 * time.Minute).Unix(), "jti": rand.Text(),
	})
}

// signJWT signs a compact JWS with k.
func signJWT(k *ClientKey, header, claims map[string]any) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	sum := sha256.Sum256([]byte(input))
	var sig []byte
	switch k.Alg {
	case "ES256":
		r, s, err := ecdsa.Sign(rand.Reader, k.Signer.(*ecdsa.PrivateKey), sum[:])
		if err != nil {
			return "", err
		}
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	case "RS256":
		sig, err = rsa.SignPKCS1v15(rand.Reader, k.Signer.(*rsa.PrivateKey), crypto.SHA256, sum[:])
		if err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("unsupported JWS algorithm %s", k.Alg)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

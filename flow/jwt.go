package flow

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Claims are the JWT claims mcpwalk reads from an access token. Nothing is
// verified: the token is decoded only to explain what the server will see.
type Claims struct {
	Issuer   string   `json:"iss,omitempty"`
	Subject  string   `json:"sub,omitempty"`
	Audience []string `json:"aud,omitempty"`
	Scope    string   `json:"scope,omitempty"`
	Expiry   int64    `json:"exp,omitempty"`
	IssuedAt int64    `json:"iat,omitempty"`
	ClientID string   `json:"client_id,omitempty"`
	// Confirmation (`cnf`, RFC 7800): for a DPoP-bound token, the
	// thumbprint of the key it is bound to (RFC 9449 §6.1).
	Confirmation *Confirmation `json:"cnf,omitempty"`
}

// Confirmation is the cnf claim.
type Confirmation struct {
	// JKT (`jkt`) is the RFC 7638 thumbprint of the DPoP key.
	JKT string `json:"jkt,omitempty"`
}

// DecodeJWT decodes a JWS compact serialization without verifying it.
// An opaque token returns an error.
func DecodeJWT(tok string) (header map[string]any, claims *Claims, err error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, nil, errors.New("not a JWT: expected three dot-separated parts")
	}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return nil, nil, fmt.Errorf("JWT header is not base64url: %w", err)
	}
	if err := json.Unmarshal(hb, &header); err != nil {
		return nil, nil, fmt.Errorf("JWT header is not JSON: %w", err)
	}
	cb, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, nil, fmt.Errorf("JWT claims are not base64url: %w", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(cb, &raw); err != nil {
		return nil, nil, fmt.Errorf("JWT claims are not a JSON object: %w", err)
	}
	claims = &Claims{}
	for k, dst := range map[string]any{"iss": &claims.Issuer, "sub": &claims.Subject, "scope": &claims.Scope,
		"exp": &claims.Expiry, "iat": &claims.IssuedAt, "client_id": &claims.ClientID} {
		if v, ok := raw[k]; ok {
			_ = json.Unmarshal(v, dst)
		}
	}
	if v, ok := raw["cnf"]; ok {
		var cnf Confirmation
		if json.Unmarshal(v, &cnf) == nil && cnf.JKT != "" {
			claims.Confirmation = &cnf
		}
	}
	if v, ok := raw["aud"]; ok {
		var one string
		if json.Unmarshal(v, &one) == nil {
			claims.Audience = []string{one}
		} else {
			_ = json.Unmarshal(v, &claims.Audience)
		}
	}
	return header, claims, nil
}

// checkAudience compares a JWT access token's aud with the resource; it
// returns "jwt" or "opaque".
func (e *Engine) checkAudience(s *stepCtx, tok string) string {
	_, c, err := DecodeJWT(tok)
	if err != nil {
		s.add(check.New("token.opaque", check.Info, "RFC 9068", "", "the access token is opaque: its audience cannot be checked here"))
		return "opaque"
	}
	switch {
	case len(c.Audience) == 0:
		s.add(check.New("token.audience-missing", check.Warn, "RFC 8707 §2; RFC 9068 §3",
			"Bind tokens to the resource: honour the resource parameter and put it in aud.",
			"the JWT access token has no aud; the MCP server cannot tell it was issued for %q", e.resource))
	case !contains(c.Audience, e.resource):
		s.add(check.New("token.audience-mismatch", check.Warn, "RFC 8707 §2; MCP 2025-06-18 Authorization §Token Audience Binding",
			"Configure the authorization server to issue tokens whose aud is the requested resource (resource indicators).",
			"JWT aud %q does not contain the resource %q; the MCP server should reject it", c.Audience, e.resource))
	default:
		s.add(check.New("token.audience", check.Pass, "RFC 8707 §2", "", "JWT aud contains %q", e.resource))
	}
	if c.Expiry != 0 && time.Unix(c.Expiry, 0).Before(e.deps.Now()) {
		s.add(check.New("token.expired", check.Warn, "RFC 7519 §4.1.4", "Check the authorization server's clock and token lifetime.",
			"the JWT expired at %s", time.Unix(c.Expiry, 0).UTC().Format(time.RFC3339)))
	}
	return "jwt"
}

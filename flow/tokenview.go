package flow

import (
	"strings"
	"time"
)

// TokenView describes the current access token without the token itself.
type TokenView struct {
	TokenType string    `json:"token_type"`
	Scopes    []string  `json:"scopes,omitempty"`
	Expiry    time.Time `json:"expiry,omitzero"`
	// RefreshToken says whether one was issued; the value is never here.
	RefreshToken bool `json:"refresh_token_issued"`
	// JWT is set when the access token is a JWT (decoded, not verified).
	JWTHeader map[string]any `json:"jwt_header,omitempty"`
	JWTClaims *Claims        `json:"jwt_claims,omitempty"`
	// AudienceMatches compares the JWT aud with the resource; nil when
	// the token is opaque.
	AudienceMatches *bool  `json:"audience_matches,omitempty"`
	Resource        string `json:"resource"`
	// DPoPKeyThumbprint is the jkt of the key a DPoP-bound token is bound
	// to (RFC 9449 §6.1), "" for a Bearer token.
	DPoPKeyThumbprint string `json:"dpop_key_thumbprint,omitempty"`
}

// Token returns a view of the current token, nil before the token step.
func (e *Engine) Token() *TokenView {
	tok := e.token
	if tok == nil {
		return nil
	}
	v := &TokenView{TokenType: tok.Type(), Expiry: tok.Expiry, RefreshToken: tok.RefreshToken != "", Resource: e.resource}
	if k := e.dpop.currentKey(); k != nil && e.dpop.isBound(tok.AccessToken) {
		v.DPoPKeyThumbprint = k.Thumbprint()
	}
	if sc, ok := tok.Extra("scope").(string); ok {
		v.Scopes = strings.Fields(sc)
	} else {
		v.Scopes = e.requested
	}
	if h, c, err := DecodeJWT(tok.AccessToken); err == nil {
		v.JWTHeader, v.JWTClaims = h, c
		m := contains(c.Audience, e.resource)
		v.AudienceMatches = &m
	}
	return v
}

// RevealAccessToken returns the raw access token. Only call it when the
// user explicitly asked to see it.
func (e *Engine) RevealAccessToken() string {
	if e.token == nil {
		return ""
	}
	return e.token.AccessToken
}

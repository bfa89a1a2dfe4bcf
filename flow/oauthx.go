package flow

import (
	"context"

	"golang.org/x/oauth2"
)

// Small wrappers over x/oauth2 so every request the engine builds carries
// the same PKCE, resource and client choices.

func newVerifier() string { return oauth2.GenerateVerifier() }

func s256(verifier string) oauth2.AuthCodeOption { return oauth2.S256ChallengeOption(verifier) }

func verifierParam(verifier string) oauth2.AuthCodeOption { return oauth2.VerifierOption(verifier) }

// resourceParam is the RFC 8707 resource parameter.
func resourceParam(resource string) oauth2.AuthCodeOption {
	return oauth2.SetAuthURLParam("resource", resource)
}

// oauthContext hands the recording client to x/oauth2.
func (e *Engine) oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, e.deps.HTTP)
}

// authCodeOptions are the authorization request parameters every request
// carries: the S256 challenge, the resource, and — when the walk uses
// DPoP — dpop_jkt, which binds the code to the walk's key so that only
// the holder of that key can redeem it (RFC 9449 §10).
func (e *Engine) authCodeOptions(verifier, resource string) []oauth2.AuthCodeOption {
	opts := []oauth2.AuthCodeOption{s256(verifier), resourceParam(resource)}
	if e.dpop.active() {
		if k, err := e.dpop.ensureKey(); err == nil {
			opts = append(opts, oauth2.SetAuthURLParam("dpop_jkt", k.Thumbprint()))
		}
	}
	return opts
}

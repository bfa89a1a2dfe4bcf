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

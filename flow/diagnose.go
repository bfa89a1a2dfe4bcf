package flow

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
	"golang.org/x/oauth2"
)

// A step that talks to the MCP server (connect, calls:*) is read once more
// when it ends, from its own exchanges: the SDK hands 401s and 403s to the
// engine's OAuthHandler, which authorizes again within a bound, so what
// the server did wrong is visible only as the sequence of answers. The
// findings name it: a token issued for the server refused (FM8), a 401
// where a missing scope calls for 403 (S-05), scopes refused though
// granted, never granted, or named one at a time (C-43, C-44, FM11).

// diagnosis is what the walk knew when the step started.
type diagnosis struct {
	family    string // "connect" or "calls"
	reused    bool   // the token came from the store
	requested []string
}

// beginDiagnosis returns nil for steps that do not talk to the MCP server.
func (e *Engine) beginDiagnosis(id string) *diagnosis {
	fam := baseID(id)
	if fam != StepConnect && fam != StepCalls {
		return nil
	}
	return &diagnosis{family: fam, reused: e.reused, requested: append([]string(nil), e.requested...)}
}

// answer is one 401 or 403 the server gave to a request with a token.
type answer struct {
	status    int
	challenge *discovery.Challenge
}

// diagnose adds the findings the step's exchanges show; err is the step's.
func (e *Engine) diagnose(d *diagnosis, s *stepCtx, err error) {
	if d == nil {
		return
	}
	if d.family == StepConnect && err == nil {
		e.checkSessionID(s)
	}
	var answers []answer
	for _, ex := range e.deps.Recorder.Snapshot(s.col) {
		auth := ex.RequestHeaders.Get("Authorization")
		if ex.Status != http.StatusUnauthorized && ex.Status != http.StatusForbidden || !strings.HasPrefix(ex.URL, e.serverURL) ||
			!strings.HasPrefix(auth, "Bearer ") && !strings.HasPrefix(auth, "DPoP ") {
			continue
		}
		cs, _ := discovery.ParseWWWAuthenticate(ex.ResponseHeaders.Values("WWW-Authenticate"))
		answers = append(answers, answer{ex.Status, discovery.FindChallenge(cs, "Bearer", "DPoP")})
	}
	if len(answers) == 0 || e.token == nil {
		return
	}
	last := answers[len(answers)-1]
	fresh := !e.reused && (e.token.Expiry.IsZero() || e.token.Expiry.After(e.deps.Now()))
	switch {
	case err != nil && last.status == http.StatusUnauthorized && fresh:
		e.tokenRejected(s, d.family, last)
	case err != nil && last.status == http.StatusForbidden:
		e.scopeRefused(s, last)
	case err == nil && d.family == StepCalls && !d.reused && has401(answers) && len(difference(e.requested, d.requested)) > 0:
		s.add(check.New("calls.unauthorized-for-scope", check.Warn, "RFC 6750 §3.1 (insufficient_scope: 403); MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors",
			`Answer a valid token that lacks a scope with 403 and WWW-Authenticate: Bearer error="insufficient_scope", scope="…"; keep 401 for missing, invalid or expired tokens.`,
			"the server answered 401 to a token it had accepted for the session, and served the request once a token with scope %q added was issued: a missing scope calls for 403 insufficient_scope, expected instead of 401",
			strings.Join(difference(e.requested, d.requested), " ")))
	}
	e.checkIncremental(s, answers)
}

func has401(as []answer) bool {
	for _, a := range as {
		if a.status == http.StatusUnauthorized {
			return true
		}
	}
	return false
}

// tokenRejected: the server refused, with 401, a token the authorization
// server issued for it in this walk, through every re-authorization.
func (e *Engine) tokenRejected(s *stepCtx, family string, a answer) {
	said := "no Bearer challenge"
	if a.challenge != nil {
		said = describeParams(a.challenge.Params)
		if d := a.challenge.Params["error_description"]; d != "" {
			said += fmt.Sprintf(" error_description=%q", d)
		}
	}
	id := "connect.token-rejected"
	if family == StepCalls {
		id = "calls.token-rejected"
	}
	s.add(check.New(id, check.Fail, "MCP 2025-11-25 Authorization §Token Audience Binding and Validation; RFC 8707 §2; RFC 6750 §3.1",
		"Make the server accept tokens for its canonical URI from its authorization server: its expected audience must be the resource value, its expected issuer the authorization server's issuer.",
		"the MCP server answered 401 (%s) to the token its authorization server issued for resource %q in this walk, after every re-authorization; %s",
		said, e.resource, e.tokenFacts()))
}

// tokenFacts says what the token claims against what the server should
// expect.
func (e *Engine) tokenFacts() string {
	_, c, err := DecodeJWT(e.token.AccessToken)
	if err != nil {
		return fmt.Sprintf("the token is opaque, so its audience cannot be read here: check that the authorization server binds it to %q (RFC 8707) and that the server validates it against the same authorization server (introspection, or the JWKS of %q)", e.resource, e.issuer)
	}
	var parts []string
	if contains(c.Audience, e.resource) {
		parts = append(parts, fmt.Sprintf("its aud %q contains the resource", c.Audience))
	} else {
		parts = append(parts, fmt.Sprintf("its aud %q does not contain the resource %q (expected)", c.Audience, e.resource))
	}
	if c.Issuer != e.issuer {
		parts = append(parts, fmt.Sprintf("its iss %q differs from the authorization server's issuer %q", c.Issuer, e.issuer))
	}
	if c.Scope != "" {
		parts = append(parts, fmt.Sprintf("its scope is %q", c.Scope))
	}
	facts := "the JWT says: " + strings.Join(parts, "; ")
	if contains(c.Audience, e.resource) && c.Issuer == e.issuer {
		facts += "; aud and iss are right, so the server's own expectations differ (its configured audience or issuer, the JWKS it verifies with, its clock)"
	}
	return facts
}

// scopeRefused: the call ended on a 403 insufficient_scope that no
// re-authorization could satisfy.
func (e *Engine) scopeRefused(s *stepCtx, a answer) {
	if a.challenge == nil || a.challenge.Params["error"] != "insufficient_scope" || a.challenge.Params["scope"] == "" {
		return // probes.insufficient-scope-* grade the challenge itself
	}
	challenged := strings.Fields(a.challenge.Params["scope"])
	granted := grantedOf(e.token, e.requested)
	switch {
	case len(difference(challenged, granted)) == 0:
		s.add(check.New("calls.scope-rejected", check.Fail, "MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors (servers MUST account for scope hierarchies); RFC 6750 §3.1",
			"Compare scopes as a space-separated set and honour broader scopes that include narrower ones; answer insufficient_scope only for scopes the token lacks.",
			"the server answered 403 insufficient_scope for scope %q, and the token was granted %q, which includes it: it refuses scopes it granted", a.challenge.Params["scope"], strings.Join(granted, " ")))
	case len(difference(challenged, e.requested)) == 0:
		s.add(check.New("calls.scope-not-granted", check.Warn, "MCP 2025-11-25 Authorization §Step-Up Authorization Flow; RFC 6749 §3.3",
			"Allow this client (and user) the scope at the authorization server, or stop asking for it in the server's challenge.",
			"the server needs scope %q; mcpwalk requested it, and the authorization server granted only %q, so no re-authorization can satisfy the server", strings.Join(difference(challenged, granted), " "), strings.Join(granted, " ")))
	}
}

// checkIncremental flags challenges that name scopes one at a time: a
// later 403 for the same request asking for a scope an earlier one did
// not, after that one was satisfied.
func (e *Engine) checkIncremental(s *stepCtx, as []answer) {
	var seen []string
	for _, a := range as {
		if a.status != http.StatusForbidden || a.challenge == nil || a.challenge.Params["error"] != "insufficient_scope" {
			continue
		}
		sc := strings.Fields(a.challenge.Params["scope"])
		if len(seen) > 0 && len(difference(sc, seen)) > 0 {
			s.add(check.New("calls.incremental-scope", check.Warn, "MCP 2026-07-28 Authorization §Runtime Insufficient Scope Errors (servers SHOULD include every scope the operation needs in one challenge)",
				"Name every scope the operation needs in the first insufficient_scope challenge.",
				"a 403 for scope %q, then, for the same request, another for %q: each re-authorization costs the user a login; expected all needed scopes in one challenge", strings.Join(seen, " "), strings.Join(sc, " ")))
			return
		}
		seen = union(seen, sc)
	}
}

// grantedOf is the scope the token response granted, else what was asked.
func grantedOf(tok *oauth2.Token, requested []string) []string {
	if tok == nil {
		return requested
	}
	if sc, ok := tok.Extra("scope").(string); ok && sc != "" {
		return strings.Fields(sc)
	}
	return requested
}

// checkSessionID flags a legacy session id with characters other than
// visible ASCII (MCP 2025-03-26 to 2025-11-25 Transports §Session Management).
func (e *Engine) checkSessionID(s *stepCtx) {
	if e.session == nil {
		return
	}
	id := e.session.ID()
	for _, r := range id {
		if r < 0x21 || r > 0x7e {
			s.add(check.New("connect.session-id", check.Fail, "MCP 2025-11-25 Transports §Session Management (the session ID MUST only contain visible ASCII characters, 0x21 to 0x7E)",
				"Mint session ids from visible ASCII only, for example base64url of random bytes.",
				"the Mcp-Session-Id contains %q (U+%04X); expected visible ASCII characters only", r, r))
			return
		}
	}
}

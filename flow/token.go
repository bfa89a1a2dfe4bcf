package flow

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
	"golang.org/x/oauth2"
)

const specToken = "RFC 6749 §5.1; OAuth 2.1 §3.2.3"

// exchangeToken redeems the code with the verifier and the same resource.
func (e *Engine) exchangeToken(ctx context.Context, s *stepCtx) error {
	p, code := e.pending, e.code
	e.pending, e.code = nil, ""
	if p == nil || code == "" {
		return fail("", "no authorization code to exchange")
	}
	var tok *oauth2.Token
	if e.handBuiltTokenRequests() {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {p.verifier},
			"redirect_uri": {p.redirect}, "resource": {e.resource}}
		body, status, err := e.tokenRequest(ctx, s, e.as.TokenEndpoint, form, e.client.ID, e.client.Secret, e.client.AuthMethod)
		if err != nil {
			return fail("Check token_endpoint in the metadata.", "%v", err)
		}
		if body.Error != "" || body.AccessToken == "" {
			return e.grantError(s, status, body)
		}
		tok = body.oauth2(e.deps.Now())
	} else {
		var err error
		conf := e.oauthConfig(p.scopes)
		if tok, err = conf.Exchange(e.oauthContext(ctx), code, verifierParam(p.verifier), resourceParam(e.resource)); err != nil {
			return e.tokenError(s, err)
		}
	}
	e.deps.Secrets.Secret(tok.AccessToken)
	e.deps.Secrets.Secret(tok.RefreshToken)
	if idt, ok := tok.Extra("id_token").(string); ok {
		e.deps.Secrets.Secret(idt)
	}
	reason := e.checkTokenResponse(s, tok, p.scopes)
	e.token = tok
	e.saveToken(ctx, s, reason)
	return nil
}

// handBuiltTokenRequests reports whether the code is redeemed with
// tokenRequest rather than x/oauth2, which can add neither a client
// assertion (private_key_jwt) nor a DPoP proof header.
func (e *Engine) handBuiltTokenRequests() bool {
	return e.client.AuthMethod == "private_key_jwt" || e.dpop.active()
}

// checkTokenResponse records what the token response says and lacks, and
// returns why no refresh token came with it ("" when one did).
func (e *Engine) checkTokenResponse(s *stepCtx, tok *oauth2.Token, requested []string) string {
	if !strings.EqualFold(tok.Type(), "Bearer") && !strings.EqualFold(tok.Type(), "DPoP") {
		s.add(check.New("token.type", check.Warn, "RFC 6750 §4; RFC 6749 §7.1", "Return token_type \"Bearer\".",
			"token_type %q; sending it as a Bearer token anyway", tok.TokenType))
	}
	if ex := e.lastExchange(s); ex != nil {
		if cc := ex.ResponseHeaders.Get("Cache-Control"); !strings.Contains(strings.ToLower(cc), "no-store") {
			s.add(check.New("token.cache-control", check.Warn, "RFC 6749 §5.1; OAuth 2.1 §3.2.3", "Send Cache-Control: no-store with token responses.",
				"token response Cache-Control %q, expected no-store", cc))
		}
	}
	granted := requested
	if sc, ok := tok.Extra("scope").(string); ok {
		granted = strings.Fields(sc)
		if missing := difference(requested, granted); len(missing) > 0 {
			s.add(check.New("token.scope-reduced", check.Info, "RFC 6749 §3.3", "",
				"granted scope %q lacks requested %q", sc, strings.Join(missing, " ")))
		}
	}
	if tok.Expiry.IsZero() {
		s.add(check.New("token.expires-in", check.Info, specToken, "Return expires_in so clients can refresh before expiry.", "no expires_in in the token response"))
	}
	e.checkLifetime(s, tok)
	refresh, reason := "a refresh token", ""
	if tok.RefreshToken == "" {
		refresh, reason = "no refresh token", e.noRefreshReason(requested, granted)
		s.add(check.New("token.no-refresh-token", check.Info, specRefresh,
			"Without a refresh token every expiry means a new browser login; request offline_access when it is offered.",
			"no refresh token was issued: %s", reason))
	}
	aud := e.checkAudience(s, tok.AccessToken)
	e.checkDPoPToken(s, tok.TokenType, tok.AccessToken)
	s.data(map[string]any{"token_type": tok.Type(), "scope": strings.Join(granted, " "), "expires_in_s": expiresIn(tok, e.deps.Now()),
		"refresh_token_issued": tok.RefreshToken != "", "access_token_format": aud})
	s.res.Summary = fmt.Sprintf("%s token, scope %q, %s, expires in %s", tok.Type(), strings.Join(granted, " "), refresh, expiresText(tok, e.deps.Now()))
	return reason
}

// lastExchange is the most recent exchange of the running step.
func (e *Engine) lastExchange(s *stepCtx) *exchange {
	exs := e.deps.Recorder.Snapshot(s.col)
	if len(exs) == 0 {
		return nil
	}
	return &exs[len(exs)-1]
}

func expiresIn(tok *oauth2.Token, now time.Time) int64 {
	if tok.Expiry.IsZero() {
		return 0
	}
	return int64(tok.Expiry.Sub(now).Seconds())
}

func expiresText(tok *oauth2.Token, now time.Time) string {
	if tok.Expiry.IsZero() {
		return "an unknown time"
	}
	return tok.Expiry.Sub(now).Round(time.Second).String()
}

func difference(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// tokenError turns an x/oauth2 failure into a check saying what happened
// and what to do.
func (e *Engine) tokenError(s *stepCtx, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) && e.notATokenResponse(s, err) {
		return nil
	}
	if re == nil {
		return fail("Check token_endpoint in the metadata.", "token request to %s: %s", e.as.TokenEndpoint, e.netErr(err))
	}
	status, ct := 0, ""
	if re.Response != nil {
		status, ct = re.Response.StatusCode, re.Response.Header.Get("Content-Type")
	}
	url := e.as.TokenEndpoint
	if re.ErrorCode == "" {
		s.add(check.New("token.not-json", check.Fail, "RFC 6749 §5.2", "Answer token errors with a JSON object carrying error (and error_description).",
			"token request to %s: expected JSON with access_token or error, got %d %s", url, status, ct))
		return nil
	}
	desc := re.ErrorDescription
	if re.ErrorURI != "" {
		desc += " (" + re.ErrorURI + ")"
	}
	if status >= 200 && status < 300 {
		s.add(check.New("token.error-status", check.Fail, "RFC 6749 §5.2",
			"Answer token errors with 400 (401 for invalid_client), never 200: clients read 200 as success and fail on a missing access_token.",
			"token request to %s: error=%q %s came back with HTTP %d", url, re.ErrorCode, desc, status))
		return nil
	}
	id, fix := "token.error", "See error_description."
	switch re.ErrorCode {
	case "invalid_client":
		id, fix = "token.invalid-client", fmt.Sprintf("Client authentication failed with %s. Check that the token endpoint accepts the method it registered or advertises (token_endpoint_auth_methods_supported) and, for a pre-registered client, the secret.", e.client.AuthMethod)
	case "invalid_grant":
		id, fix = "token.invalid-grant", "The code or verifier was refused: codes are single-use and short-lived, and redirect_uri and resource must match the authorization request."
	case "invalid_target":
		id, fix = "token.invalid-target", fmt.Sprintf("The authorization server rejected resource=%q (RFC 8707): configure it to accept the MCP server's canonical URI.", e.resource)
	}
	s.add(check.New(id, check.Fail, "RFC 6749 §5.2", fix, "token request to %s: %d error=%q %s", url, status, re.ErrorCode, desc))
	return nil
}

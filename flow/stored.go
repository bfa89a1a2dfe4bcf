package flow

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

const (
	specRefresh  = "RFC 6749 §6; OAuth 2.1 §4.3; MCP 2025-11-25 Authorization §Token Handling"
	specRotation = "OAuth 2.1 §4.3.1; RFC 9700 §4.14.2"
)

// useStored looks for a token and a registration kept by an earlier run:
// a valid token is used as is, an expired one refreshed (with the resource
// parameter), and a registration reused so no new dynamic registration is
// made per run. What cannot be used is explained, and the login that
// follows replaces it; nothing is wiped before a replacement exists.
func (e *Engine) useStored(ctx context.Context, s *stepCtx) error {
	st := e.deps.Store
	e.storedClient, e.reused = nil, false
	unlock, err := st.Lock(ctx)
	if err != nil {
		s.add(check.New("stored.unavailable", check.Warn, "", "Check the token store (--token-store).", "token store %s: %v", st.Where(), err))
		return e.loginNeeded(s, "the token store could not be locked")
	}
	defer unlock()

	tok, err := st.Token(ctx, e.serverURL)
	if err != nil {
		s.add(check.New("stored.unavailable", check.Warn, "", "Check the token store (--token-store).", "reading the token for %s from %s: %v", e.serverURL, st.Where(), err))
		tok = nil
	}
	if tok != nil {
		e.deps.Secrets.Secret(tok.AccessToken)
		e.deps.Secrets.Secret(tok.RefreshToken)
		if why := e.unusable(tok); why != "" {
			s.add(check.New("stored.token-mismatch", check.Info, "RFC 8707 §2; MCP 2025-11-25 Authorization §Token Audience Binding and Validation", "",
				"the stored token for %s is not used: %s", e.serverURL, why))
			tok = nil
		}
	}
	if tok != nil {
		e.restoreDPoPKey(tok)
	}
	clientID := e.cfg.ClientID
	if clientID == "" && tok != nil {
		clientID = tok.ClientID
	}
	if c, err := st.Client(ctx, e.issuer, clientID); err == nil && c != nil && (e.cfg.ClientID == "" || c.ClientID == e.cfg.ClientID) {
		e.deps.Secrets.Secret(c.ClientSecret)
		e.deps.Secrets.Secret(c.RegistrationAccessToken)
		e.storedClient = c
	}
	data := map[string]any{"store": st.Where(), "token_found": tok != nil, "registration_found": e.storedClient != nil}
	defer func() { s.data(data) }()
	if tok == nil {
		s.res.Summary = "no stored token for this server"
		return e.loginNeeded(s, "no stored token")
	}
	now := e.deps.Now()
	data["obtained_at"], data["expires_in_s"] = tok.ObtainedAt, expiresIn(tok.oauth2(), now)
	if !tok.Expired(now) && !e.cfg.ForceRefresh {
		if e.cfg.ClientID == "" && e.storedClient == nil {
			s.add(check.New("stored.registration-missing", check.Info, "", "",
				"the registration of client %q is no longer stored; the token is used, a new login will register again", tok.ClientID))
		}
		e.adopt(tok)
		s.add(check.New("stored.token-reused", check.Pass, "", "",
			"stored token from %s, expires in %s, scope %q: no login needed",
			tok.ObtainedAt.Format(time.RFC3339), expiresText(tok.oauth2(), now), strings.Join(tok.Scopes, " ")))
		s.res.Summary = fmt.Sprintf("reusing the stored token (%s)", st.Where())
		return nil
	}
	if tok.RefreshToken == "" {
		reason := tok.NoRefreshReason
		if reason == "" {
			reason = "none was issued"
		}
		s.add(check.New("stored.no-refresh-token", check.Warn, specRefresh,
			"Request offline_access when the authorization server lists it, or have the authorization server issue refresh tokens to public clients (OAuth 2.1 §4.3.1 allows it with rotation).",
			"the stored token has expired and cannot be refreshed: %s", reason))
		return e.loginNeeded(s, "the stored token has expired and no refresh token was issued")
	}
	client := e.storedClient
	if client == nil && e.cfg.ClientID != "" {
		client = &StoredClient{Issuer: e.issuer, ClientID: e.cfg.ClientID, ClientSecret: e.cfg.ClientSecret, AuthMethod: authMethodFor(e.cfg.ClientSecret)}
	}
	if client == nil {
		s.add(check.New("stored.registration-missing", check.Warn, "", "",
			"the stored token has expired and the registration of client %q it was issued to is no longer stored; cannot refresh", tok.ClientID))
		return e.loginNeeded(s, "no registration to refresh with")
	}
	fresh, rerr := e.refresh(ctx, s, client, tok)
	data["refresh"] = rerr == nil
	if rerr != nil {
		return e.refreshFailed(ctx, s, client, rerr)
	}
	e.adopt(fresh)
	if err := st.SaveToken(ctx, fresh); err != nil {
		s.add(check.New("stored.save-failed", check.Warn, "", "Check the token store (--token-store).",
			"the refreshed token could not be saved to %s: %v; the rotated refresh token is lost when this run ends", st.Where(), err))
	} else {
		data["saved"] = true
		s.add(check.New("stored.saved", check.Pass, "", "", "refreshed token saved to %s", st.Where()))
	}
	s.res.Summary = fmt.Sprintf("refreshed the stored token (%s)", st.Where())
	return nil
}

// unusable says why a stored token cannot be used for this walk, or "".
func (e *Engine) unusable(t *StoredToken) string {
	switch {
	case t.Issuer != e.issuer:
		return fmt.Sprintf("it was issued by %s, the server now names %s (authorization server migration)", t.Issuer, e.issuer)
	case t.Resource != e.resource:
		return fmt.Sprintf("it was requested for resource %q, this walk uses %q", t.Resource, e.resource)
	case e.cfg.ClientID != "" && t.ClientID != e.cfg.ClientID:
		return fmt.Sprintf("it was issued to client %q, --client-id is %q", t.ClientID, e.cfg.ClientID)
	case len(e.cfg.Scopes) > 0 && len(difference(e.cfg.Scopes, t.Scopes)) > 0:
		return fmt.Sprintf("it lacks the requested scope %q", strings.Join(difference(e.cfg.Scopes, t.Scopes), " "))
	case t.DPoPBound() && e.dpopMode() == DPoPNever:
		return "it is DPoP-bound (token_type DPoP), and --dpop never sends Bearer tokens"
	case t.DPoPBound() && t.DPoPKey == "":
		return "it is DPoP-bound, but its key was not stored with it: without the key it cannot be used"
	case !t.DPoPBound() && e.dpopMode() == DPoPAlways:
		return "it is a Bearer token, and --dpop always asks for a DPoP-bound one"
	}
	if t.DPoPKey != "" {
		if _, err := ParseDPoPKey(t.DPoPKey); err != nil {
			return fmt.Sprintf("its stored DPoP key cannot be read (%v)", err)
		}
	}
	return ""
}

// restoreDPoPKey makes the key stored with a token the walk's key: a
// DPoP-bound token is presented with proofs from it, and a refresh token
// bound to it (RFC 9449 §5: public clients' are) is redeemed with it.
func (e *Engine) restoreDPoPKey(t *StoredToken) {
	if t.DPoPKey == "" || !t.DPoPBound() && !e.dpop.active() {
		return
	}
	e.deps.Secrets.Secret(t.DPoPKey)
	if k, err := ParseDPoPKey(t.DPoPKey); err == nil {
		e.dpop.useKey(k)
	}
}

// adopt makes a stored (or freshly refreshed) token the walk's token.
func (e *Engine) adopt(t *StoredToken) {
	e.token = t.oauth2()
	if t.DPoPBound() {
		e.dpop.bind(t.AccessToken)
	}
	e.requested = t.Scopes
	e.reused = true
	if e.storedClient != nil {
		e.client = e.storedClient.info()
	} else {
		e.client = &ClientInfo{ID: t.ClientID, Secret: e.cfg.ClientSecret, AuthMethod: authMethodFor(e.cfg.ClientSecret), Source: "pre-registered"}
	}
}

// loginNeeded ends the step when the stored state cannot be used: with
// --stored-auth-only the walk stops; otherwise a login follows.
func (e *Engine) loginNeeded(s *stepCtx, why string) error {
	if e.cfg.StoredAuthOnly || e.cfg.ForceRefresh {
		e.loginRefused = true
		return fail("Log in once without --stored-auth-only (mcpwalk check URL), then run again.", "%s: %v (%s)", e.serverURL, ErrLoginNeeded, why)
	}
	if s.res.Summary == "" {
		s.res.Summary = why + "; a new login follows"
	} else {
		s.res.Summary += "; a new login follows"
	}
	return nil
}

// refreshFailed explains a failed refresh. A stale registration is
// forgotten so that registration runs again; the stored token stays until
// a new login replaces it.
func (e *Engine) refreshFailed(ctx context.Context, s *stepCtx, client *StoredClient, err error) error {
	var re *refreshError
	if !errors.As(err, &re) {
		s.add(check.New("stored.refresh-failed", check.Warn, specRefresh, "Check the token endpoint.", "refresh: %v", err))
		return e.loginNeeded(s, "the refresh failed")
	}
	switch re.Code {
	case "invalid_grant":
		s.add(check.New("stored.refresh-invalid-grant", check.Warn, specRotation,
			"The refresh token was revoked, expired, or already used (with rotation, reusing an old refresh token revokes the whole family): log in again. If this happens after every rotation, the client is not saving the rotated refresh token.",
			"refresh at %s: %d error=%q %s", client.tokenEndpointOr(e), re.Status, re.Code, re.Desc))
	case "invalid_client", "unauthorized_client":
		s.add(check.New("stored.stale-registration", check.Warn, "RFC 7591 §3; RFC 6749 §5.2",
			"The authorization server no longer knows this client (registrations can expire or be deleted); mcpwalk registers again.",
			"refresh at %s with client %q: %d error=%q %s; the stored registration is stale and is replaced", client.tokenEndpointOr(e), client.ClientID, re.Status, re.Code, re.Desc))
		if e.cfg.ClientID == "" {
			if derr := e.deps.Store.DeleteClient(ctx, client.Issuer, client.ClientID); derr != nil {
				s.add(check.New("stored.save-failed", check.Warn, "", "", "forgetting the stale registration: %v", derr))
			}
			e.storedClient = nil
		}
	default:
		s.add(check.New("stored.refresh-failed", check.Warn, specRefresh, "See error_description; fix the token endpoint's refresh_token grant.",
			"refresh at %s: %d error=%q %s", client.tokenEndpointOr(e), re.Status, re.Code, re.Desc))
	}
	return e.loginNeeded(s, "the refresh failed")
}

func (c *StoredClient) tokenEndpointOr(e *Engine) string {
	if e.as != nil {
		return e.as.TokenEndpoint
	}
	return ""
}

func authMethodFor(secret string) string {
	if secret != "" {
		return "client_secret_basic"
	}
	return "none"
}

// saveToken keeps the walk's token for later runs, and says so.
func (e *Engine) saveToken(ctx context.Context, s *stepCtx, reason string) {
	st := e.deps.Store
	if st == nil || e.token == nil || e.client == nil {
		return
	}
	t := &StoredToken{
		Server: e.serverURL, Resource: e.resource, Issuer: e.issuer, ClientID: e.client.ID,
		TokenEndpoint: e.as.TokenEndpoint, RevocationEndpoint: e.as.RevocationEndpoint,
		AccessToken: e.token.AccessToken, RefreshToken: e.token.RefreshToken, TokenType: e.token.Type(), Expiry: e.token.Expiry,
		Scopes: grantedScopes(e.token.Extra("scope"), e.requested), NoRefreshReason: reason, ObtainedAt: e.deps.Now(),
	}
	t.DPoPKey = e.dpopKeyToStore(e.token.AccessToken)
	unlock, err := st.Lock(ctx)
	if err == nil {
		err = st.SaveToken(ctx, t)
		unlock()
	}
	if err != nil {
		s.add(check.New("stored.save-failed", check.Warn, "", "Check the token store (--token-store).", "saving the token to %s: %v", st.Where(), err))
		return
	}
	s.add(check.New("stored.saved", check.Pass, "", "", "token saved to %s", st.Where()))
}

// saveClient keeps a registration so later runs do not register again.
func (e *Engine) saveClient(ctx context.Context, s *stepCtx, c *ClientInfo, regToken, regURI string) {
	st := e.deps.Store
	if st == nil || c.Source == "pre-registered" && c.Secret == "" {
		return
	}
	sc := &StoredClient{Issuer: e.issuer, ClientID: c.ID, ClientSecret: c.Secret, RegistrationAccessToken: regToken, RegistrationClientURI: regURI,
		AuthMethod: c.AuthMethod, Source: c.Source, RedirectURI: c.RedirectURI, GrantTypes: c.GrantTypes, RegisteredAt: e.deps.Now()}
	unlock, err := st.Lock(ctx)
	if err == nil {
		err = st.SaveClient(ctx, sc)
		unlock()
	}
	if err != nil {
		s.add(check.New("stored.save-failed", check.Warn, "", "Check the token store (--token-store).", "saving the registration to %s: %v", st.Where(), err))
	}
}

func grantedScopes(extra any, requested []string) []string {
	if sc, ok := extra.(string); ok && sc != "" {
		return strings.Fields(sc)
	}
	return requested
}

// noRefreshReason says why a token response carried no refresh token.
func (e *Engine) noRefreshReason(requested, granted []string) string {
	switch {
	case contains(requested, "offline_access") && !contains(granted, "offline_access") && !strings.Contains(e.cfg.AuthParams["prompt"], "consent"):
		return "offline_access was requested but not granted; OpenID Connect providers grant it only when the authorization request has prompt=consent (OpenID Connect Core §11): try --auth-param prompt=consent"
	case contains(requested, "offline_access") && !contains(granted, "offline_access"):
		return "offline_access was requested but not granted (the user or the authorization server's policy declined it)"
	case containsFold(e.as.ScopesSupported, "offline_access") && !contains(requested, "offline_access"):
		return "offline_access was not requested, though the authorization server lists it"
	case !contains(e.as.GrantTypesSupported, "refresh_token") && len(e.as.GrantTypesSupported) > 0:
		return fmt.Sprintf("the authorization server does not list refresh_token in grant_types_supported %v", e.as.GrantTypesSupported)
	case !containsFold(e.as.ScopesSupported, "offline_access") && len(e.as.ScopesSupported) > 0:
		return "the authorization server does not offer offline_access, and issued none by its own policy"
	}
	return "the authorization server chose not to issue one (its policy)"
}

// refreshError is an OAuth error answer to a refresh request.
type refreshError struct {
	Status     int
	Code, Desc string
}

func (r *refreshError) Error() string {
	return fmt.Sprintf("%d error=%q %s", r.Status, r.Code, r.Desc)
}

// refresh redeems tok's refresh token at the token endpoint with the same
// resource (RFC 8707 §2.2), and checks what comes back: rotation,
// audience, scopes.
func (e *Engine) refresh(ctx context.Context, s *stepCtx, c *StoredClient, tok *StoredToken) (*StoredToken, error) {
	endpoint := e.as.TokenEndpoint
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "resource": {tok.Resource}}
	body, status, err := e.tokenRequest(ctx, s, endpoint, form, c.ClientID, c.ClientSecret, c.AuthMethod)
	if err != nil {
		return nil, err
	}
	if body.Error == "invalid_target" || body.Error == "invalid_request" && strings.Contains(strings.ToLower(body.ErrorDescription), "resource") {
		s.add(check.New("stored.refresh-resource-rejected", check.Warn, "RFC 8707 §2.2; MCP 2025-11-25 Authorization §Resource Parameter Implementation",
			"Accept the resource parameter on refresh requests (RFC 8707 §2.2), for the resource of the original grant.",
			"refresh at %s with resource=%q: %d error=%q %s", endpoint, tok.Resource, status, body.Error, body.ErrorDescription))
		if !e.cfg.Lenient {
			return nil, &refreshError{Status: status, Code: body.Error, Desc: body.ErrorDescription}
		}
		e.note(StepStored, "--lenient: retrying the refresh without the resource parameter, which a strict client would not do")
		form.Del("resource")
		if body, status, err = e.tokenRequest(ctx, s, endpoint, form, c.ClientID, c.ClientSecret, c.AuthMethod); err != nil {
			return nil, err
		}
	}
	if body.Error != "" || body.AccessToken == "" {
		if body.Error == "" {
			body.Error = "no access_token"
		}
		return nil, &refreshError{Status: status, Code: body.Error, Desc: body.ErrorDescription}
	}
	e.deps.Secrets.Secret(body.AccessToken)
	e.deps.Secrets.Secret(body.RefreshToken)
	now := e.deps.Now()
	fresh := *tok
	fresh.AccessToken, fresh.TokenType, fresh.RefreshedAt = body.AccessToken, body.TokenType, now
	fresh.Expiry = time.Time{}
	if body.ExpiresIn > 0 {
		fresh.Expiry = now.Add(time.Duration(body.ExpiresIn) * time.Second)
	}
	e.checkDPoPToken(s, body.TokenType, body.AccessToken)
	fresh.DPoPKey = e.dpopKeyToStore(body.AccessToken)
	rotation := check.Info
	who := "a confidential client"
	if c.AuthMethod == "none" || c.AuthMethod == "" {
		// SEC-26 §Token Theft, OAuth 2.1 §4.3.1: for public clients the
		// authorization server MUST rotate (or sender-constrain).
		rotation, who = check.Warn, "a public client, for which OAuth 2.1 §4.3.1 requires rotation"
	}
	switch {
	case body.RefreshToken == "" || body.RefreshToken == tok.RefreshToken:
		what := "carries no new refresh token; the old one stays in use"
		if body.RefreshToken != "" {
			what = "repeats the same refresh token"
		}
		s.add(check.New("stored.refresh-not-rotated", rotation, specRotation,
			"Rotate refresh tokens for public clients (issue a new one with each refresh and invalidate the old), or sender-constrain them (DPoP).",
			"the refresh answer %s: not rotated, for %s", what, who))
	default:
		fresh.RefreshToken = body.RefreshToken
		s.add(check.New("stored.refresh-rotated", check.Pass, specRotation, "", "the refresh token was rotated; the new one replaces the old"))
		if e.cfg.CheckReuse {
			e.checkReuse(ctx, s, c, tok)
		}
	}
	if body.Scope != "" {
		granted := strings.Fields(body.Scope)
		if lost := difference(tok.Scopes, granted); len(lost) > 0 {
			s.add(check.New("stored.refresh-scope-reduced", check.Warn, "RFC 6749 §6",
				"A refresh must not widen scope and should keep the original grant's scope when none is requested.",
				"the refreshed token's scope %q lacks %q of the original grant", body.Scope, strings.Join(lost, " ")))
		}
		fresh.Scopes = granted
	}
	s.add(check.New("stored.refreshed", check.Pass, specRefresh, "", "refreshed at %s with resource=%q: %d, new access token expires in %s",
		endpoint, tok.Resource, status, expiresText(fresh.oauth2(), now)))
	e.checkAudience(s, fresh.AccessToken)
	return &fresh, nil
}

// checkReuse replays the refresh token that was just rotated away: an
// authorization server with reuse detection answers invalid_grant (and
// ends the grant, so the user logs in again afterwards). Opt-in only.
func (e *Engine) checkReuse(ctx context.Context, s *stepCtx, c *StoredClient, old *StoredToken) {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {old.RefreshToken}, "resource": {old.Resource}}
	body, status, err := e.tokenRequest(ctx, s, e.as.TokenEndpoint, form, c.ClientID, c.ClientSecret, c.AuthMethod)
	switch {
	case err != nil:
		s.add(check.New("stored.refresh-reuse", check.Warn, specRotation, "", "replaying the rotated refresh token: %v", err))
	case body.AccessToken != "":
		e.deps.Secrets.Secret(body.AccessToken)
		e.deps.Secrets.Secret(body.RefreshToken)
		s.add(check.New("stored.refresh-reuse", check.Warn, specRotation,
			"Invalidate a refresh token once it has been rotated, and treat its reuse as theft (revoke the grant).",
			"the rotated-away refresh token was accepted again (%d): a stolen refresh token stays usable", status))
	case body.Error == "invalid_grant":
		s.add(check.New("stored.refresh-reuse", check.Pass, specRotation, "",
			"the rotated-away refresh token was refused (%d invalid_grant); reuse detection may now have ended the whole grant", status))
	default:
		s.add(check.New("stored.refresh-reuse", check.Warn, specRotation, "Answer a spent refresh token with invalid_grant (RFC 6749 §5.2).",
			"the rotated-away refresh token was refused with %d error=%q, expected invalid_grant", status, body.Error))
	}
}

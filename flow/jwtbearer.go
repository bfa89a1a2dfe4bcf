package flow

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Grants that present an assertion instead of sending a user anywhere.
const (
	// GrantJWTBearer presents a JWT the client already holds (workload
	// identity federation, SEP-1933) with RFC 7523's jwt-bearer grant.
	GrantJWTBearer = "jwt-bearer"
	// GrantEnterprise is enterprise-managed authorization (SEP-990, cross-
	// app access): the user's ID token is exchanged at the enterprise IdP
	// (RFC 8693) for an ID-JAG, which the jwt-bearer grant redeems at the
	// MCP server's authorization server.
	GrantEnterprise = "enterprise"
)

const (
	jwtBearerGrantType     = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	tokenExchangeGrantType = "urn:ietf:params:oauth:grant-type:token-exchange"
	idTokenType            = "urn:ietf:params:oauth:token-type:id_token"
	idJAGTokenType         = "urn:ietf:params:oauth:token-type:id-jag"

	specJWTBearer     = "RFC 7523 §2.1; MCP extension io.modelcontextprotocol/auth/wif (SEP-1933)"
	specTokenExchange = "RFC 8693 §2.1; MCP extension io.modelcontextprotocol/enterprise-managed-authorization (SEP-990)"
)

// IdP is the enterprise identity provider of GrantEnterprise.
type IdP struct {
	// TokenEndpoint is where the ID token is exchanged for an ID-JAG.
	TokenEndpoint string
	// ClientID and ClientSecret are the client's credentials at the IdP.
	ClientID     string
	ClientSecret string
	// IDToken is the user's ID token from the IdP (the subject token).
	IDToken string
}

// nonInteractiveToken obtains the token for a grant without a user.
func (e *Engine) nonInteractiveToken(ctx context.Context, s *stepCtx, challenged []string) error {
	switch e.grant() {
	case GrantClientCredentials:
		return e.clientCredentials(ctx, s, challenged)
	case GrantJWTBearer:
		if e.cfg.Assertion == "" {
			return fail("Pass the workload's JWT with --assertion.", "the jwt-bearer grant needs an assertion, and none was given")
		}
		e.deps.Secrets.Secret(e.cfg.Assertion)
		return e.jwtBearer(ctx, s, challenged, e.cfg.Assertion, "the given workload JWT")
	case GrantEnterprise:
		jag, err := e.exchangeForIDJAG(ctx, s)
		if err != nil || jag == "" {
			return err
		}
		return e.jwtBearer(ctx, s, challenged, jag, "the ID-JAG from the IdP")
	}
	return fail("", "unknown grant %q", e.grant())
}

// jwtBearer redeems assertion with RFC 7523's jwt-bearer grant, once: a
// refusal is reported, never retried or answered with another grant.
func (e *Engine) jwtBearer(ctx context.Context, s *stepCtx, challenged []string, assertion, what string) error {
	if len(e.as.GrantTypesSupported) > 0 && !contains(e.as.GrantTypesSupported, jwtBearerGrantType) {
		s.add(check.New("token.grant-unsupported", check.Warn, "RFC 8414 §2",
			"List urn:ietf:params:oauth:grant-type:jwt-bearer in grant_types_supported if the token endpoint accepts it.",
			"grant_types_supported %v lacks the jwt-bearer grant; trying it anyway", e.as.GrantTypesSupported))
	}
	scopes := e.chooseScopes(s, challenged)
	e.requested = scopes
	form := url.Values{"grant_type": {jwtBearerGrantType}, "assertion": {assertion}, "resource": {e.resource}}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	s.add(check.New("token.jwt-bearer", check.Pass, specJWTBearer, "", "jwt-bearer grant with %s as %q (%s), resource=%q",
		what, e.client.ID, e.client.AuthMethod, e.resource))
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

// exchangeForIDJAG trades the user's ID token at the IdP for an Identity
// Assertion JWT Authorization Grant whose audience is the MCP server's
// authorization server and whose resource is the MCP server.
func (e *Engine) exchangeForIDJAG(ctx context.Context, s *stepCtx) (string, error) {
	idp := e.cfg.IdP
	if idp == nil || idp.TokenEndpoint == "" || idp.IDToken == "" {
		return "", fail("Pass --idp-token-endpoint and --idp-id-token (and the client's IdP credentials).",
			"enterprise-managed authorization needs the IdP's token endpoint and the user's ID token")
	}
	e.deps.Secrets.Secret(idp.IDToken)
	e.deps.Secrets.Secret(idp.ClientSecret)
	form := url.Values{
		"grant_type":           {tokenExchangeGrantType},
		"subject_token":        {idp.IDToken},
		"subject_token_type":   {idTokenType},
		"requested_token_type": {idJAGTokenType},
		"audience":             {e.issuer},
		"resource":             {e.resource},
	}
	method := "none"
	if idp.ClientSecret != "" {
		method = "client_secret_basic"
	}
	body, status, err := e.tokenRequest(ctx, s, idp.TokenEndpoint, form, idp.ClientID, idp.ClientSecret, method)
	if err != nil {
		return "", fail("Check --idp-token-endpoint.", "token exchange at the IdP: %v", err)
	}
	if body.Error != "" || body.AccessToken == "" {
		s.add(check.New("token.exchange-failed", check.Fail, specTokenExchange,
			"The IdP refused to issue an ID-JAG: check the ID token, the client's IdP credentials, and that the IdP trusts this authorization server as an audience.",
			"token exchange at %s: %d error=%q %s", idp.TokenEndpoint, status, body.Error, body.ErrorDescription))
		return "", nil
	}
	e.deps.Secrets.Secret(body.AccessToken)
	if body.IssuedTokenType != idJAGTokenType {
		s.add(check.New("token.exchange-type", check.Warn, specTokenExchange, "Return issued_token_type urn:ietf:params:oauth:token-type:id-jag.",
			"the IdP answered issued_token_type %q, expected %s", body.IssuedTokenType, idJAGTokenType))
	}
	if h, _, err := DecodeJWT(body.AccessToken); err == nil && fmt.Sprint(h["typ"]) != "oauth-id-jag+jwt" {
		s.add(check.New("token.exchange-type", check.Warn, specTokenExchange, "Type the ID-JAG oauth-id-jag+jwt.",
			"the ID-JAG's typ is %q, expected oauth-id-jag+jwt", h["typ"]))
	}
	s.add(check.New("token.exchange", check.Pass, specTokenExchange, "",
		"exchanged the ID token at %s for an ID-JAG (audience %s, resource %s)", idp.TokenEndpoint, e.issuer, e.resource))
	return body.AccessToken, nil
}

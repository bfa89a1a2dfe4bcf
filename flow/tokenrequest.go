package flow

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// tokenResponse is the JSON of a token endpoint answer, success or error.
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	RefreshToken     string `json:"refresh_token"`
	ExpiresIn        int64  `json:"expires_in"`
	Scope            string `json:"scope"`
	IssuedTokenType  string `json:"issued_token_type"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// tokenRequest POSTs form to a token endpoint with the client's
// authentication and decodes the JSON answer, bounded. Every token
// request of the walk goes through here (authorization_code exchange,
// refresh, client_credentials, jwt-bearer), because x/oauth2 can add
// neither a client assertion nor a per-request header. When the walk uses
// DPoP and endpoint is its authorization server's token endpoint (not an
// enterprise IdP's), the request carries a fresh proof, and a 400
// use_dpop_nonce with a DPoP-Nonce header is answered once with a request
// carrying that nonce (RFC 9449 §8); s records it.
func (e *Engine) tokenRequest(ctx context.Context, s *stepCtx, endpoint string, form url.Values, clientID, secret, method string) (*tokenResponse, int, error) {
	dpop := e.dpop.active() && e.as != nil && endpoint == e.as.TokenEndpoint
	origin := originOfString(endpoint)
	for attempt := 1; ; attempt++ {
		req, err := e.newTokenRequest(ctx, endpoint, form, clientID, secret, method)
		if err != nil {
			return nil, 0, err
		}
		sent := ""
		if dpop {
			k, err := e.dpop.ensureKey()
			if err != nil {
				return nil, 0, fmt.Errorf("DPoP key: %w", err)
			}
			sent = e.dpop.nonce(true, origin)
			proof, err := k.Proof(http.MethodPost, req.URL, e.deps.Now(), "", sent)
			if err != nil {
				return nil, 0, fmt.Errorf("signing the DPoP proof: %w", err)
			}
			req.Header.Set("DPoP", proof)
		}
		out, status, hdr, err := e.postToken(req, endpoint)
		if err != nil || !dpop {
			return out, status, err
		}
		nonce := hdr.Get("DPoP-Nonce")
		e.dpop.setNonce(true, origin, nonce)
		if out.Error != "use_dpop_nonce" {
			return out, status, nil
		}
		switch {
		case nonce == "":
			s.add(check.New("dpop.as-nonce", check.Warn, specDPoPASNonce, "Send the nonce in a DPoP-Nonce header with every use_dpop_nonce error.",
				"the token endpoint answered %d use_dpop_nonce without a DPoP-Nonce header: there is no nonce to retry with", status))
			return out, status, nil
		case attempt > 1 || nonce == sent:
			s.add(check.New("dpop.as-nonce", check.Warn, specDPoPASNonce, "Accept a proof carrying the nonce you supplied.",
				"the token endpoint answered use_dpop_nonce again, to a proof carrying the nonce %q it had supplied; not retrying", sent))
			return out, status, nil
		}
		s.add(check.New("dpop.as-nonce", check.Pass, specDPoPASNonce, "",
			"the token endpoint asked for a DPoP nonce (%d use_dpop_nonce with DPoP-Nonce); the request is sent once more, its proof carrying the nonce", status))
	}
}

// newTokenRequest builds one token request; a private_key_jwt client
// signs a fresh assertion each time (its jti must not repeat).
func (e *Engine) newTokenRequest(ctx context.Context, endpoint string, form url.Values, clientID, secret, method string) (*http.Request, error) {
	if method == "private_key_jwt" {
		a, err := e.clientAssertion(clientID)
		if err != nil {
			return nil, err
		}
		form = cloneValues(form)
		form.Set("client_assertion_type", assertionType)
		form.Set("client_assertion", a)
		e.deps.Secrets.Secret(a)
		method, secret = "none", ""
	}
	return newFormRequest(ctx, endpoint, form, clientID, secret, method)
}

// postToken sends a token request and decodes the answer.
func (e *Engine) postToken(req *http.Request, endpoint string) (*tokenResponse, int, http.Header, error) {
	resp, err := e.deps.HTTP.Do(req)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("POST %s: %s", endpoint, e.netErr(err))
	}
	defer resp.Body.Close()
	var out tokenResponse
	if err := decodeJSON(resp, &out); err != nil {
		return nil, resp.StatusCode, resp.Header, fmt.Errorf("POST %s: expected a JSON token response, got %d: %v", endpoint, resp.StatusCode, err)
	}
	if resp.StatusCode/100 == 2 && out.Error != "" {
		out.Error += " (with HTTP " + fmt.Sprint(resp.StatusCode) + ")"
	}
	if resp.StatusCode/100 != 2 && out.Error == "" {
		out.Error = http.StatusText(resp.StatusCode)
	}
	return &out, resp.StatusCode, resp.Header, nil
}

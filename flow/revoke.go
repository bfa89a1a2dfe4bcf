package flow

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// newFormRequest builds a POST of form to endpoint authenticated as the
// client: client_secret_basic in the Authorization header (RFC 6749
// §2.3.1, form-encoded credentials), client_secret_post in the body, or
// just client_id for a public client.
func newFormRequest(ctx context.Context, endpoint string, form url.Values, clientID, secret, method string) (*http.Request, error) {
	form = cloneValues(form)
	basic := method == "client_secret_basic" && secret != ""
	if !basic {
		form.Set("client_id", clientID)
		if secret != "" {
			form.Set("client_secret", secret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("building the request for %s: %w", endpoint, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if basic {
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	}
	return req, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// decodeJSON reads at most maxJSON bytes of resp's body as JSON into v.
func decodeJSON(resp *http.Response, v any) error {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxJSON+1))
	if err != nil {
		return err
	}
	if len(raw) > maxJSON {
		return fmt.Errorf("body larger than %d bytes", maxJSON)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		return fmt.Errorf("not JSON (%s)%s", mt, bodyHint(mt, raw, err))
	}
	return nil
}

// Revocation is the outcome of revoking one token (RFC 7009).
type Revocation struct {
	Kind   string `json:"kind"` // refresh_token or access_token
	Status int    `json:"status"`
	Error  string `json:"error,omitempty"`
}

// Revoke revokes a stored token's refresh token and access token at the
// revocation endpoint (RFC 7009 §2), refresh token first so the grant
// ends. client authenticates the requests; hc is the bounded client.
func Revoke(ctx context.Context, hc *http.Client, t *StoredToken, c *StoredClient) ([]Revocation, error) {
	if t.RevocationEndpoint == "" {
		return nil, fmt.Errorf("the authorization server %s advertises no revocation_endpoint (RFC 8414 §2)", t.Issuer)
	}
	id, secret, method := t.ClientID, "", "none"
	if c != nil {
		id, secret, method = c.ClientID, c.ClientSecret, c.AuthMethod
	}
	var out []Revocation
	for _, tk := range []struct{ kind, value string }{{"refresh_token", t.RefreshToken}, {"access_token", t.AccessToken}} {
		if tk.value == "" {
			continue
		}
		req, err := newFormRequest(ctx, t.RevocationEndpoint, url.Values{"token": {tk.value}, "token_type_hint": {tk.kind}}, id, secret, method)
		if err != nil {
			return out, err
		}
		r := Revocation{Kind: tk.kind}
		resp, err := hc.Do(req)
		if err != nil {
			r.Error = err.Error()
			out = append(out, r)
			continue
		}
		r.Status = resp.StatusCode
		if resp.StatusCode != http.StatusOK {
			var body tokenResponse
			if decodeJSON(resp, &body) == nil && body.Error != "" {
				r.Error = strings.TrimSpace(body.Error + " " + body.ErrorDescription)
			} else {
				r.Error = http.StatusText(resp.StatusCode)
			}
		}
		_ = resp.Body.Close()
		out = append(out, r)
	}
	return out, nil
}

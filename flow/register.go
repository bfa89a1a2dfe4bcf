package flow

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// ClientInfo is the client identity the walk uses.
type ClientInfo struct {
	// ID is the client_id.
	ID string `json:"client_id"`
	// Secret is the client_secret; never shown.
	Secret string `json:"-"`
	// AuthMethod is the token endpoint auth method: none,
	// client_secret_basic or client_secret_post (RFC 7591 §2).
	AuthMethod string `json:"token_endpoint_auth_method"`
	// Source says how it was obtained: pre-registered, cimd, dcr.
	Source string `json:"source"`
	// RedirectURI is the registered loopback redirect URI.
	RedirectURI string `json:"redirect_uri"`
	// GrantTypes registered (DCR) or assumed.
	GrantTypes []string `json:"grant_types,omitempty"`
}

const (
	specRegistration = "MCP 2025-11-25 Authorization §Client Registration Approaches"
	specDCR          = "RFC 7591 §3.2; MCP 2026-07-28 Client Registration §Dynamic Client Registration"
)

// register picks the client identity in the spec's order: pre-registered,
// Client ID Metadata Document, dynamic registration.
func (e *Engine) register(ctx context.Context, s *stepCtx) error {
	e.closeReceiver()
	e.client = nil
	if !e.interactive() {
		return e.registerNonInteractive(s)
	}
	if e.cfg.ClientID == "" && e.storedClient != nil && e.reuseRegistration(ctx, s) {
		return nil
	}
	r, err := e.deps.Listen(ctx, e.callbackAddr("", e.cfg.CallbackPort))
	if err != nil {
		callbackPortProblem(s, e.cfg.CallbackPort, err)
		return nil
	}
	e.receiver = r
	redirect := r.RedirectURI()
	switch {
	case e.cfg.ClientID != "" && !e.clientIssuerMatches(s):
		return nil // the failing check says why
	case e.cfg.ClientID != "":
		e.client = &ClientInfo{ID: e.cfg.ClientID, Secret: e.cfg.ClientSecret, Source: "pre-registered",
			RedirectURI: redirect, AuthMethod: e.pickAuthMethod(s, e.cfg.ClientSecret != "")}
		e.deps.Secrets.Secret(e.cfg.ClientSecret)
		s.add(check.New("register.pre-registered", check.Pass, specRegistration, "", "using the pre-registered client %q (%s)", e.client.ID, e.client.AuthMethod))
	case e.cfg.ClientMetadataURL != "" && e.as.ClientIDMetadataDocumentSupported:
		e.client = &ClientInfo{ID: e.cfg.ClientMetadataURL, Source: "cimd", AuthMethod: "none", RedirectURI: redirect}
		s.add(check.New("register.cimd", check.Pass, specRegistration, "", "using the Client ID Metadata Document %s as client_id", e.client.ID))
		e.checkOwnCIMD(ctx, s, e.cfg.ClientMetadataURL, redirect)
	case e.as.RegistrationEndpoint != "":
		if e.cfg.ClientMetadataURL != "" {
			s.add(check.New("register.cimd-unsupported", check.Info, specRegistration,
				"Set client_id_metadata_document_supported: true in the authorization server metadata if it accepts CIMD.",
				"--client-metadata-url given, but the authorization server does not advertise client_id_metadata_document_supported; using dynamic registration"))
		}
		if err := e.registerDynamic(ctx, s, redirect); err != nil || e.client == nil {
			return err // a failing check explains a nil client
		}
		s.add(check.New("register.dcr-deprecated", check.Info, "MCP 2026-07-28 Client Registration §Dynamic Client Registration (deprecated)",
			"Support Client ID Metadata Documents (client_id_metadata_document_supported: true), the path 2026-07-28 prefers.",
			"used dynamic registration, which 2026-07-28 deprecates in favour of Client ID Metadata Documents"))
	default:
		hint := "Pass --client-id (and --client-secret) for a client registered with the authorization server"
		if e.as.ClientIDMetadataDocumentSupported {
			hint += ", or --client-metadata-url with the https URL of your Client ID Metadata Document"
		}
		s.add(check.New("register.no-mechanism", check.Fail, specRegistration, hint+".",
			"no way to obtain a client_id: no --client-id, no usable Client ID Metadata Document, no registration_endpoint"))
		return nil
	}
	s.data(e.client)
	s.res.Summary = fmt.Sprintf("client_id %q via %s, auth method %s, redirect %s", e.client.ID, e.client.Source, e.client.AuthMethod, redirect)
	return nil
}

// registerNonInteractive sets up the client of a grant without a user:
// it must be pre-registered, and no redirect URI is involved.
func (e *Engine) registerNonInteractive(s *stepCtx) error {
	if e.cfg.ClientID == "" {
		return fail("Pass --client-id with --client-secret or --client-key: the "+e.grant()+" grant needs a client registered in advance.",
			"the %s grant needs a pre-registered client, and no --client-id was given", e.grant())
	}
	if !e.clientIssuerMatches(s) {
		return nil
	}
	e.client = &ClientInfo{ID: e.cfg.ClientID, Secret: e.cfg.ClientSecret, Source: "pre-registered",
		AuthMethod: e.pickAuthMethod(s, e.cfg.ClientSecret != ""), GrantTypes: []string{e.grant()}}
	e.deps.Secrets.Secret(e.cfg.ClientSecret)
	s.add(check.New("register.pre-registered", check.Pass, specRegistration, "", "using the pre-registered client %q (%s) for the %s grant",
		e.client.ID, e.client.AuthMethod, e.grant()))
	s.data(e.client)
	s.res.Summary = fmt.Sprintf("client_id %q, auth method %s, grant %s (no redirect URI)", e.client.ID, e.client.AuthMethod, e.grant())
	return nil
}

// pickAuthMethod chooses how a pre-registered client authenticates at the
// token endpoint (RFC 8414 §2: the list defaults to client_secret_basic).
func (e *Engine) pickAuthMethod(s *stepCtx, hasSecret bool) string {
	supported := e.as.TokenEndpointAuthMethodsSupported
	if e.cfg.ClientKey != nil {
		if len(supported) > 0 && !contains(supported, "private_key_jwt") {
			s.add(check.New("register.auth-method", check.Warn, "RFC 8414 §2", "List private_key_jwt in token_endpoint_auth_methods_supported if the token endpoint accepts it.",
				"token_endpoint_auth_methods_supported %v lacks private_key_jwt; using it as --client-key asks", supported))
		}
		return "private_key_jwt"
	}
	if !hasSecret {
		if len(supported) > 0 && !contains(supported, "none") {
			s.add(check.New("register.auth-method-none", check.Info, "RFC 8414 §2", "",
				"no client secret, but token_endpoint_auth_methods_supported %v lacks \"none\"", supported))
		}
		return "none"
	}
	switch {
	case len(supported) == 0 || contains(supported, "client_secret_basic"):
		return "client_secret_basic"
	case contains(supported, "client_secret_post"):
		return "client_secret_post"
	}
	s.add(check.New("register.auth-method", check.Warn, "RFC 8414 §2", "List the methods the token endpoint accepts in token_endpoint_auth_methods_supported.",
		"token_endpoint_auth_methods_supported %v has neither client_secret_basic nor client_secret_post; trying client_secret_basic", supported))
	return "client_secret_basic"
}

type dcrRequest struct {
	RedirectURIs            []string `json:"redirect_uris"`
	ClientName              string   `json:"client_name"`
	ApplicationType         string   `json:"application_type"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	Scope                   string   `json:"scope,omitempty"`
}

type dcrResponse struct {
	ClientID                string   `json:"client_id"`
	ClientSecret            string   `json:"client_secret"`
	RegistrationAccessToken string   `json:"registration_access_token"`
	RedirectURIs            []string `json:"redirect_uris"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	Error                   string   `json:"error"`
	ErrorDescription        string   `json:"error_description"`
	RegistrationClientURI   string   `json:"registration_client_uri"`
}

// registerDynamic registers a public native client (RFC 7591).
func (e *Engine) registerDynamic(ctx context.Context, s *stepCtx, redirect string) error {
	grants := []string{"authorization_code", "refresh_token"}
	body, _ := json.Marshal(dcrRequest{
		RedirectURIs: []string{redirect}, ClientName: e.cfg.ClientName, ApplicationType: "native",
		TokenEndpointAuthMethod: "none", GrantTypes: grants, ResponseTypes: []string{"code"},
	})
	url := e.as.RegistrationEndpoint
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fail("", "building the registration request for %s: %v", url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := e.deps.HTTP.Do(req)
	if err != nil {
		return fail("Check the registration_endpoint in the authorization server metadata.", "POST %s: %s", url, e.netErr(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxJSON+1))
	if err != nil {
		return fail("", "reading the registration response from %s: %v", url, err)
	}
	if len(raw) > maxJSON {
		return fail("", "registration response from %s is larger than %d bytes", url, maxJSON)
	}
	var out dcrResponse
	jsonErr := json.Unmarshal(raw, &out)
	e.deps.Secrets.Secret(out.ClientSecret)
	e.deps.Secrets.Secret(out.RegistrationAccessToken)
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch {
	case resp.StatusCode >= 400:
		fix := "Check the registration policy of the authorization server."
		if out.Error == "invalid_redirect_uri" {
			fix = "The authorization server must accept loopback redirect URIs on any port (RFC 8252 §7.3); or pre-register a client and pass --client-id with --callback-port."
		}
		s.add(check.New("register.dcr-rejected", check.Fail, specDCR+"; MCP 2026-07-28 Client Registration (handle redirect URI constraints)", fix,
			"POST %s: expected 201 with a client_id, got %d %s%s", url, resp.StatusCode, oauthErrorText(out.Error, out.ErrorDescription), bodyHint(mt, raw, jsonErr)))
		return nil
	case jsonErr != nil || out.ClientID == "":
		s.add(check.New("register.dcr-response", check.Fail, specDCR, "Return the registered client metadata as JSON with client_id (RFC 7591 §3.2.1).",
			"POST %s: expected a JSON object with client_id, got %d %s%s", url, resp.StatusCode, orNoType(mt), bodyHint(mt, raw, jsonErr)))
		return nil
	case resp.StatusCode == http.StatusCreated:
		s.add(check.New("register.dcr-status", check.Pass, specDCR, "", "registered: 201 Created"))
	default:
		s.add(check.New("register.dcr-status", check.Warn, specDCR, "Answer a successful registration with 201 Created.",
			"registration answered %d; RFC 7591 §3.2.1 says 201 Created", resp.StatusCode))
	}
	if mt != "application/json" {
		s.add(check.New("register.dcr-content-type", check.Warn, specDCR, "Send Content-Type: application/json.",
			"registration response Content-Type %q, expected application/json", mt))
	}
	method := out.TokenEndpointAuthMethod
	if supported := e.as.TokenEndpointAuthMethodsSupported; (method == "" || method == "none") && len(supported) > 0 && !contains(supported, "none") {
		s.add(check.New("register.auth-method-none", check.Info, "RFC 8414 §2", "List \"none\" in token_endpoint_auth_methods_supported if the token endpoint accepts public clients.",
			"registered as a public client (none), but token_endpoint_auth_methods_supported %v lacks \"none\"", supported))
	}
	switch {
	case method == "":
		method = "none"
		s.add(check.New("register.dcr-auth-method", check.Info, specDCR, "", "no token_endpoint_auth_method in the response; keeping \"none\""))
	case method != "none":
		s.add(check.New("register.dcr-auth-method", check.Warn, specDCR,
			"Honour the requested token_endpoint_auth_method \"none\" for public native clients.",
			"asked for token_endpoint_auth_method \"none\", the server registered %q; using it", method))
		if out.ClientSecret == "" {
			s.add(check.New("register.dcr-secret-missing", check.Fail, specDCR,
				"Return client_secret with a secret-based token_endpoint_auth_method.",
				"registered with %q but no client_secret came back", method))
		}
	}
	if len(out.RedirectURIs) > 0 && !slices.Equal(out.RedirectURIs, []string{redirect}) {
		s.add(check.New("register.dcr-redirect-uris", check.Warn, specDCR, "Register the redirect URIs as sent.",
			"sent redirect_uris [%s], the server registered %v", redirect, out.RedirectURIs))
	}
	if len(out.GrantTypes) > 0 {
		grants = out.GrantTypes
	}
	e.client = &ClientInfo{ID: out.ClientID, Secret: out.ClientSecret, AuthMethod: method, Source: "dcr",
		RedirectURI: redirect, GrantTypes: grants}
	e.saveClient(ctx, s, e.client, out.RegistrationAccessToken, out.RegistrationClientURI)
	return nil
}

// reuseRegistration takes the registration an earlier run stored for this
// authorization server, listening on its registered redirect port. It
// reports false when that port is taken (then a new registration is made).
func (e *Engine) reuseRegistration(ctx context.Context, s *stepCtx) bool {
	c := e.storedClient
	if c.Source == "cimd" && (e.cfg.ClientMetadataURL != c.ClientID || !e.as.ClientIDMetadataDocumentSupported) {
		return false
	}
	at := e.callbackAddr(c.RedirectURI, 0)
	port := at.Port
	if e.cfg.CallbackPort != 0 && e.cfg.CallbackPort != port {
		s.add(check.New("register.stored-port", check.Info, specRegistration, "",
			"the stored registration of %q uses redirect port %d, --callback-port asks for %d: registering again", c.ClientID, port, e.cfg.CallbackPort))
		return false
	}
	if at.Host != e.cfg.CallbackHost || at.Path != e.cfg.CallbackPath {
		s.add(check.New("register.stored-port", check.Info, specRegistration, "",
			"the stored registration of %q redirects to %s, not to host %s and path %s as asked: registering again",
			c.ClientID, c.RedirectURI, e.cfg.CallbackHost, e.cfg.CallbackPath))
		return false
	}
	r, err := e.deps.Listen(ctx, at)
	if err != nil {
		s.add(check.New("register.stored-port", check.Info, specRegistration, "",
			"the stored registration of %q redirects to %s, but that port cannot be used (%v): registering again", c.ClientID, c.RedirectURI, err))
		return false
	}
	e.receiver = r
	e.client = c.info()
	e.client.RedirectURI = r.RedirectURI()
	s.add(check.New("register.reused", check.Pass, specRegistration, "",
		"reusing client_id %q (%s) registered %s: no new registration", c.ClientID, c.Source, c.RegisteredAt.Format(time.RFC3339)))
	s.data(e.client)
	s.res.Summary = fmt.Sprintf("client_id %q reused from the store (%s), redirect %s", c.ClientID, c.Source, e.client.RedirectURI)
	return true
}

// maxJSON caps every JSON body the engine reads itself.
const maxJSON = 1 << 20

func oauthErrorText(code, desc string) string {
	switch {
	case code != "" && desc != "":
		return fmt.Sprintf("(error=%q: %s)", code, desc)
	case code != "":
		return fmt.Sprintf("(error=%q)", code)
	}
	return ""
}

// bodyHint says what kind of body came back when it is not the JSON wanted.
func bodyHint(mt string, raw []byte, jsonErr error) string {
	if jsonErr == nil {
		return ""
	}
	if len(raw) == 0 {
		return "; empty body"
	}
	snippet := string(raw)
	if len(snippet) > 120 {
		snippet = snippet[:120] + "…"
	}
	return fmt.Sprintf("; body (%s) is not JSON: %q", mt, snippet)
}

package demo

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

var (
	scopesSupported = []string{"mcp:read", "mcp:write", "offline_access"}
	defaultScope    = []string{"mcp:read"}
)

const maxBody = 64 << 10

func (s *Server) authServer() http.Handler {
	mux := http.NewServeMux()
	if s.has("metadata-oidc-only") {
		mux.HandleFunc("GET /.well-known/openid-configuration", s.metadata)
	} else {
		mux.HandleFunc("GET /.well-known/oauth-authorization-server", s.metadata)
	}
	mux.HandleFunc("POST /register", s.register)
	mux.HandleFunc("GET /authorize", s.authorize)
	mux.HandleFunc("POST /token", s.token)
	mux.HandleFunc("POST /revoke", s.revokeEndpoint)
	return mux
}

func (s *Server) metadata(w http.ResponseWriter, r *http.Request) {
	m := map[string]any{
		"issuer":                                         s.Issuer,
		"authorization_endpoint":                         s.Issuer + "/authorize",
		"token_endpoint":                                 s.Issuer + "/token",
		"registration_endpoint":                          s.Issuer + "/register",
		"revocation_endpoint":                            s.Issuer + "/revoke",
		"scopes_supported":                               scopesSupported,
		"response_types_supported":                       []string{"code"},
		"grant_types_supported":                          []string{"authorization_code", "refresh_token"},
		"token_endpoint_auth_methods_supported":          []string{"none", "client_secret_basic", "client_secret_post"},
		"code_challenge_methods_supported":               []string{"S256"},
		"client_id_metadata_document_supported":          true,
		"authorization_response_iss_parameter_supported": true,
	}
	if s.dpopOn() {
		m["dpop_signing_alg_values_supported"] = dpopAlgs
	}
	switch {
	case s.has("issuer-trailing-slash"):
		m["issuer"] = s.Issuer + "/"
	case s.has("no-pkce-advertised"):
		delete(m, "code_challenge_methods_supported")
	case s.has("pkce-plain-only"):
		m["code_challenge_methods_supported"] = []string{"plain"}
	case s.has("no-registration"):
		delete(m, "registration_endpoint")
		m["client_id_metadata_document_supported"] = false
	case s.has("iss-not-advertised"):
		m["authorization_response_iss_parameter_supported"] = false
	case s.has("metadata-internal-address"):
		// A proxy leaking its own view of the network.
		m["jwks_uri"] = "https://169.254.169.254/jwks.json"
	case s.has("metadata-wrong-content-type"):
		w.Header().Set("Content-Type", "text/plain")
		_ = json.NewEncoder(w).Encode(m)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*") // public, for browser-based clients
	writeJSON(w, http.StatusOK, m)
}

// register is RFC 7591 dynamic client registration.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	var req struct {
		RedirectURIs            []string `json:"redirect_uris"`
		TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
		GrantTypes              []string `json:"grant_types"`
		ClientName              string   `json:"client_name"`
		ApplicationType         string   `json:"application_type"`
	}
	if s.has("dcr-html-page") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><html><body><div id=app>Sign in</div></body></html>"))
		return
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&req); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_client_metadata", "body is not a JSON object: "+err.Error())
		return
	}
	if len(req.RedirectURIs) == 0 {
		oauthError(w, http.StatusBadRequest, "invalid_redirect_uri", "redirect_uris is required")
		return
	}
	for _, u := range req.RedirectURIs {
		if s.has("dcr-rejects-loopback") && strings.HasPrefix(u, "http://") {
			oauthError(w, http.StatusBadRequest, "invalid_redirect_uri", "redirect URIs must use https")
			return
		}
		if !allowedRedirect(u) {
			oauthError(w, http.StatusBadRequest, "invalid_redirect_uri", fmt.Sprintf("%q: must be https, or http on a loopback host", u))
			return
		}
	}
	method := req.TokenEndpointAuthMethod
	if method == "" || s.has("dcr-forces-basic") {
		method = "client_secret_basic" // RFC 7591 §2 default
	}
	if !slices.Contains([]string{"none", "client_secret_basic", "client_secret_post"}, method) {
		oauthError(w, http.StatusBadRequest, "invalid_client_metadata", "unsupported token_endpoint_auth_method "+method)
		return
	}
	if len(req.GrantTypes) == 0 {
		req.GrantTypes = []string{"authorization_code"}
	}
	c := &client{ID: secret()[:22], AuthMethod: method, RedirectURIs: req.RedirectURIs, GrantTypes: req.GrantTypes}
	if method != "none" {
		c.Secret = secret()
	}
	s.state.mu.Lock()
	s.state.clients[c.ID] = c
	s.state.keep(c.Secret)
	s.state.mu.Unlock()
	resp := map[string]any{
		"client_id": c.ID, "client_id_issued_at": time.Now().Unix(), "redirect_uris": c.RedirectURIs,
		"token_endpoint_auth_method": method, "grant_types": c.GrantTypes, "response_types": []string{"code"},
		"client_name": req.ClientName, "application_type": req.ApplicationType,
	}
	if c.Secret != "" {
		resp["client_secret"] = c.Secret
		resp["client_secret_expires_at"] = 0
	}
	status := http.StatusCreated
	if s.has("dcr-status-200") {
		status = http.StatusOK
	}
	writeJSON(w, status, resp)
}

// authorize approves every valid request at once (no consent page) and
// redirects with code, state and iss (RFC 9207).
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c, err := s.clientFor(r, q.Get("client_id"))
	if err == nil && s.has("registration-not-shared") && c.ID != s.PreRegisteredClientID && !strings.Contains(c.ID, "://") {
		err = fmt.Errorf("unknown client_id %q", c.ID) // registered on another instance
	}
	if err != nil {
		http.Error(w, "invalid client: "+err.Error(), http.StatusBadRequest)
		return
	}
	redirect := q.Get("redirect_uri")
	if !s.has("open-redirect") && !c.redirectOK(redirect, s.has("loopback-port-exact")) {
		http.Error(w, fmt.Sprintf("redirect_uri %q is not registered for this client", redirect), http.StatusBadRequest)
		return
	}
	fail := func(code, desc string) {
		v := url.Values{"error": {code}, "error_description": {desc}, "iss": {s.Issuer}}
		if st := q.Get("state"); st != "" {
			v.Set("state", st)
		}
		http.Redirect(w, r, withQuery(redirect, v), http.StatusFound)
	}
	scopes := strings.Fields(q.Get("scope"))
	if len(scopes) == 0 {
		scopes = defaultScope
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "only response_type=code")
	case q.Get("code_challenge") == "":
		fail("invalid_request", "PKCE is required: code_challenge missing")
	case q.Get("code_challenge_method") != "S256":
		fail("invalid_request", "code_challenge_method must be S256")
	case q.Get("resource") != s.MCPURL && !s.has("no-audience-check"):
		fail("invalid_target", fmt.Sprintf("resource must be %s", s.MCPURL))
	case s.has("resource-rejected"):
		fail("invalid_target", "the resource is not an API registered here")
	case !hasAll(scopesSupported, scopes):
		fail("invalid_scope", "unknown scope in "+q.Get("scope"))
	default:
		code := secret()
		s.state.mu.Lock()
		s.state.codes[code] = &grant{ClientID: c.ID, Scopes: scopes, Resource: q.Get("resource"), Challenge: q.Get("code_challenge"),
			Redirect: redirect, Expires: time.Now().Add(time.Minute), Family: secret(), JKT: q.Get("dpop_jkt")}
		s.state.keep(code)
		s.state.mu.Unlock()
		v := url.Values{"code": {code}, "iss": {s.Issuer}}
		if st := q.Get("state"); st != "" && !s.has("state-dropped") {
			v.Set("state", st)
		}
		switch {
		case s.has("no-iss"):
			v.Del("iss")
		case s.has("wrong-iss"):
			v.Set("iss", "https://wrong-issuer.example")
		}
		if u, err := url.Parse(redirect); err == nil && s.has("redirect-port-dropped") {
			u.Host = u.Hostname()
			redirect = u.String()
		}
		http.Redirect(w, r, withQuery(redirect, v), http.StatusFound)
	}
}

// redirectOK matches exactly, except that a loopback redirect URI may use
// any port (RFC 8252 §7.3).
func (c *client) redirectOK(raw string, exactPort bool) bool {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return false
	}
	if c.AnyLoopback && !exactPort {
		return u.Scheme == "http" && isLoopback(u.Hostname())
	}
	for _, reg := range c.RedirectURIs {
		if reg == raw {
			return true
		}
		ru, err := url.Parse(reg)
		if err == nil && !exactPort && u.Scheme == "http" && isLoopback(u.Hostname()) && ru.Scheme == u.Scheme &&
			ru.Hostname() == u.Hostname() && ru.Path == u.Path && ru.RawQuery == u.RawQuery {
			return true
		}
	}
	return false
}

func allowedRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Fragment != "" {
		return false
	}
	return u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func withQuery(base string, v url.Values) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + v.Encode()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

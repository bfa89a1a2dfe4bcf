package demo

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// token is the token endpoint: authorization_code and refresh_token grants.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	c, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	jkt, ok := s.tokenProof(w, r)
	if !ok {
		return
	}
	switch {
	case s.has("token-error-200") && r.PostForm.Get("grant_type") == "authorization_code":
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_grant", "error_description": "this server reports errors with 200"})
		return
	case s.has("token-login-page") && r.PostForm.Get("grant_type") == "authorization_code":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<html><body><form action=/login>Sign in</form></body></html>"))
		return
	case s.has("token-html-error") && r.PostForm.Get("grant_type") == "authorization_code":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte("<html><body><h1>Bad Request</h1></body></html>"))
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		s.redeemCode(w, r.PostForm, c, jkt)
	case "refresh_token":
		s.refreshGrant(w, r.PostForm, c, jkt)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "use authorization_code or refresh_token")
	}
}

// authenticate checks the client by its registered method, and only that
// method (RFC 6749 §2.3: one method per request).
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*client, bool) {
	bid, bsecret, basic := r.BasicAuth()
	if basic {
		bid, _ = url.QueryUnescape(bid)
		bsecret, _ = url.QueryUnescape(bsecret)
	}
	pid, psecret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	id := pid
	if basic {
		id = bid
	}
	deny := func(desc string) (*client, bool) {
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="mcpwalk demo"`)
		}
		oauthError(w, http.StatusUnauthorized, "invalid_client", desc)
		return nil, false
	}
	if basic && psecret != "" {
		return deny("use one client authentication method, not two")
	}
	c, err := s.clientFor(r, id)
	if err != nil {
		return deny(err.Error())
	}
	method := c.AuthMethod
	if s.has("dcr-forces-basic") && c.ID != s.PreRegisteredClientID {
		method = "client_secret_post" // registered basic, reads only the body
	}
	switch method {
	case "none":
		if basic || psecret != "" {
			return deny("this client is public: send client_id only")
		}
	case "client_secret_basic":
		if !basic || subtle.ConstantTimeCompare([]byte(bsecret), []byte(c.Secret)) != 1 {
			return deny("authenticate with HTTP Basic (client_secret_basic)")
		}
	case "client_secret_post":
		if basic || subtle.ConstantTimeCompare([]byte(psecret), []byte(c.Secret)) != 1 {
			return deny("send client_id and client_secret in the body (client_secret_post)")
		}
	}
	return c, true
}

func (s *Server) redeemCode(w http.ResponseWriter, f url.Values, c *client, jkt string) {
	code := f.Get("code")
	st := s.state
	st.mu.Lock()
	g := st.codes[code]
	delete(st.codes, code)
	if fam, replay := st.used[code]; replay {
		st.revokeFamily(fam) // a replayed code revokes what it produced
	}
	if g != nil {
		st.used[code] = g.Family
	}
	st.keep(f.Get("code_verifier"))
	st.mu.Unlock()
	sum := sha256.Sum256([]byte(f.Get("code_verifier")))
	switch {
	case g == nil || time.Now().After(g.Expires):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown, used or expired code")
	case g.ClientID != c.ID:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the code was issued to another client")
	case g.Redirect != f.Get("redirect_uri"):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request")
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.Challenge && !s.has("pkce-not-verified"):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge")
	case f.Get("resource") != g.Resource:
		oauthError(w, http.StatusBadRequest, "invalid_target", "resource differs from the authorization request")
	case g.JKT != "" && g.JKT != jkt:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the code is bound (dpop_jkt) to another key than the proof's")
	default:
		s.issue(w, c, g, jkt)
	}
}

func (s *Server) refreshGrant(w http.ResponseWriter, f url.Values, c *client, jkt string) {
	rt := f.Get("refresh_token")
	st := s.state
	st.mu.Lock()
	g := st.refresh[rt]
	delete(st.refresh, rt)
	if fam, reused := st.rotated[rt]; reused {
		st.revokeFamily(fam) // rotation reuse: the whole family is compromised
	}
	if g != nil {
		st.rotated[rt] = g.Family
	}
	revoked := g != nil && st.families[g.Family]
	st.mu.Unlock()
	switch {
	case g == nil || revoked || time.Now().After(g.Expires):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown, rotated, revoked or expired refresh token")
		return
	case g.ClientID != c.ID:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the refresh token was issued to another client")
		return
	case f.Get("resource") != "" && f.Get("resource") != g.Resource:
		oauthError(w, http.StatusBadRequest, "invalid_target", "resource differs from the original grant")
		return
	case g.JKT != "" && g.JKT != jkt:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the refresh token is bound to another DPoP key than the proof's")
		return
	}
	next := *g
	if sc := strings.Fields(f.Get("scope")); len(sc) > 0 {
		if !hasAll(g.Scopes, sc) {
			oauthError(w, http.StatusBadRequest, "invalid_scope", "a refresh may narrow the scope, not widen it")
			return
		}
		next.Scopes = sc
	}
	s.issue(w, c, &next, jkt)
}

// issue mints an access token, and a refresh token when offline_access was
// granted or the client registered the refresh_token grant type. With a
// proof's key (jkt) the access token is a DPoP-bound JWT, and a public
// client's refresh token is bound to the key too (RFC 9449 §5).
func (s *Server) issue(w http.ResponseWriter, c *client, g *grant, jkt string) {
	at, typ := secret(), "Bearer"
	access := *g
	access.Expires, access.JKT = time.Now().Add(s.opts.TokenTTL), ""
	bound := jkt != "" && !s.has("dpop-bearer-token")
	if bound {
		at, typ, access.JKT = s.accessJWT(c, g, jkt, access.Expires), "DPoP", jkt
	}
	resp := map[string]any{"access_token": at, "token_type": typ, "expires_in": int(s.opts.TokenTTL.Seconds()),
		"scope": strings.Join(g.Scopes, " ")}
	st := s.state
	st.mu.Lock()
	st.keep(at)
	st.access[at] = &access
	if slices.Contains(g.Scopes, "offline_access") || slices.Contains(c.GrantTypes, "refresh_token") {
		rt := secret()
		ref := *g
		ref.Expires, ref.JKT = time.Now().Add(s.opts.RefreshTTL), ""
		if bound && c.AuthMethod == "none" {
			ref.JKT = jkt
		}
		st.refresh[rt] = &ref
		st.keep(rt)
		resp["refresh_token"] = rt
	}
	st.mu.Unlock()
	if !s.has("token-no-store-missing") {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
	}
	writeJSON(w, http.StatusOK, resp)
}

// revokeEndpoint is RFC 7009: unknown tokens are not an error.
func (s *Server) revokeEndpoint(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	if _, ok := s.authenticate(w, r); !ok {
		return
	}
	s.state.revoke(r.PostForm.Get("token"))
	w.WriteHeader(http.StatusOK)
}

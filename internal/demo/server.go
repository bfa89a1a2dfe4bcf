// Package demo is the embedded demo that `mcpwalk demo` walks: a small
// OAuth 2.1 authorization server and an OAuth-protected MCP server, on two
// loopback origins (so that, as in real deployments, the issuer is not the
// resource's origin). The authorization server approves every valid request
// without a login page: it is a demo, and the headless walk depends on it.
package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options tune the demo.
type Options struct {
	// Logf, if set, receives one line per request (method, path, status);
	// never a secret.
	Logf func(format string, args ...any)
	// TokenTTL is the access token lifetime (default 1h).
	TokenTTL time.Duration
	// RefreshTTL is the refresh token lifetime (default 24h).
	RefreshTTL time.Duration
	// Fault names one misconfiguration to reproduce (see Faults).
	Fault string
	// DPoP makes the demo speak DPoP (RFC 9449): the authorization server
	// advertises ES256 and RS256, verifies token requests' proofs and
	// issues DPoP-bound JWTs (cnf.jkt); the MCP server requires DPoP-bound
	// tokens (PRM dpop_bound_access_tokens_required) with a proof from
	// their key on every request. The dpop-* faults imply it.
	DPoP bool
	// DPoPNonce (implies DPoP) has both servers demand a nonce of their
	// own in proofs (RFC 9449 §8, §9).
	DPoPNonce bool
}

// Server is a running demo.
type Server struct {
	// MCPURL is the protected MCP endpoint, http://127.0.0.1:<port>/mcp.
	MCPURL string
	// Issuer is the authorization server's issuer identifier.
	Issuer string
	// PRMURL is where the Protected Resource Metadata is served.
	PRMURL string
	// PreRegisteredClientID and PreRegisteredClientSecret are a confidential
	// client registered in advance (client_secret_basic, any loopback
	// redirect URI).
	PreRegisteredClientID     string
	PreRegisteredClientSecret string

	opts    Options
	state   *state
	servers []*http.Server
	once    sync.Once

	// jwtKey signs the demo's DPoP-bound access tokens; asProofs and
	// rsProofs verify the proofs each server receives.
	jwtKey             []byte
	asProofs, rsProofs *dpopVerifier
}

// Start binds two listeners on 127.0.0.1 and serves until Close.
func Start(opts Options) (*Server, error) {
	if opts.Fault != "" {
		if _, err := LookupFault(opts.Fault); err != nil {
			return nil, err
		}
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = time.Hour
	}
	if opts.RefreshTTL <= 0 {
		opts.RefreshTTL = 24 * time.Hour
	}
	asL, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo authorization server: %w", err)
	}
	mcpL, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		asL.Close()
		return nil, fmt.Errorf("demo MCP server: %w", err)
	}
	s := &Server{
		Issuer:                    "http://" + asL.Addr().String(),
		MCPURL:                    "http://" + mcpL.Addr().String() + "/mcp",
		PRMURL:                    "http://" + mcpL.Addr().String() + "/.well-known/oauth-protected-resource/mcp",
		PreRegisteredClientID:     "mcpwalk-demo",
		PreRegisteredClientSecret: rand.Text(),
		opts:                      opts,
	}
	s.state = newState()
	s.jwtKey = []byte(secret())
	s.asProofs, s.rsProofs = newVerifier(opts.DPoPNonce), newVerifier(opts.DPoPNonce)
	s.state.clients[s.PreRegisteredClientID] = &client{ID: s.PreRegisteredClientID, Secret: s.PreRegisteredClientSecret,
		AuthMethod: "client_secret_basic", AnyLoopback: true, GrantTypes: []string{"authorization_code", "refresh_token"}}
	for _, p := range []struct {
		l net.Listener
		h http.Handler
	}{{asL, s.authServer()}, {mcpL, s.mcpServer()}} {
		srv := &http.Server{Handler: s.logged(p.h), ReadHeaderTimeout: 5 * time.Second}
		s.servers = append(s.servers, srv)
		go func() { _ = srv.Serve(p.l) }()
	}
	return s, nil
}

// Close shuts both servers down, waiting at most two seconds.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for _, srv := range s.servers {
			if e := srv.Shutdown(ctx); e != nil && !errors.Is(e, http.ErrServerClosed) {
				err = errors.Join(err, e, srv.Close())
			}
		}
	})
	return err
}

// logged reports each request's method, path and status to Logf.
func (s *Server) logged(h http.Handler) http.Handler {
	if s.opts.Logf == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: 200}
		h.ServeHTTP(sw, r)
		s.opts.Logf("demo: %s %s → %d", r.Method, r.URL.Path, sw.status)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }

// Flush keeps SSE responses streaming through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// ForgetClients drops every dynamically registered client, as an
// authorization server restarted with in-memory registrations would; the
// pre-registered client stays. Tests use it for stale registrations.
func (s *Server) ForgetClients() {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	for id := range st.clients {
		if id != s.PreRegisteredClientID {
			delete(st.clients, id)
		}
	}
}

// RevokeAll revokes every grant issued so far (access and refresh tokens),
// as an administrator ending all sessions would.
func (s *Server) RevokeAll() {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, g := range st.refresh {
		st.revokeFamily(g.Family)
	}
	for _, g := range st.access {
		st.revokeFamily(g.Family)
	}
}

// Registrations counts the dynamic registrations made so far.
func (s *Server) Registrations() int {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	n := 0
	for id := range st.clients {
		if id != s.PreRegisteredClientID {
			n++
		}
	}
	return n
}

// Secrets returns every secret value the demo issued or received so far:
// client secrets, authorization codes, PKCE verifiers, access and refresh
// tokens. Tests scan mcpwalk's output for them.
func (s *Server) Secrets() []string {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]string{s.PreRegisteredClientSecret}, st.secrets...)
}

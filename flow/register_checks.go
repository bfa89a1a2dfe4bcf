package flow

import (
	"errors"
	"strconv"
	"syscall"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// callbackPortProblem reports a loopback redirect listener that could not
// start. A port already in use usually means another client (or an
// earlier run) listens there: the authorization server's redirect would
// reach that process, which then reports a state mismatch or nothing.
func callbackPortProblem(s *stepCtx, port int, err error) {
	where := "an ephemeral port on 127.0.0.1"
	if port != 0 {
		where = "127.0.0.1:" + strconv.Itoa(port)
	}
	fix := "Pick another port with --callback-port (one registered with the authorization server, for a pre-registered client)."
	if errors.Is(err, syscall.EADDRINUSE) {
		fix = "Stop the process that listens on the port (another MCP client, an earlier mcpwalk), or pick another with --callback-port; a pre-registered client needs a port registered with the authorization server."
	}
	s.add(check.New("register.callback-port", check.Fail, "RFC 8252 §7.3 (loopback redirect); MCP 2025-11-25 Security Best Practices", fix,
		"cannot listen for the authorization response on %s: %v; expected a free port", where, err))
}

// orNoType names a missing media type.
func orNoType(mt string) string {
	if mt == "" {
		return "without Content-Type"
	}
	return mt
}

// clientIssuerMatches checks a pre-registered client's --client-issuer
// against the authorization server of this walk: credentials from one
// authorization server must not be used at another.
func (e *Engine) clientIssuerMatches(s *stepCtx) bool {
	if e.cfg.ClientIssuer == "" || e.cfg.ClientIssuer == e.issuer {
		return true
	}
	s.add(check.New("register.client-issuer-mismatch", check.Fail,
		"MCP 2026-07-28 Client Registration §Authorization Server Binding (credentials are keyed by issuer; a pre-registered mismatch SHOULD surface an error)",
		"Register a client with the authorization server the resource now names and pass its --client-id (and --client-issuer), or point the resource back at the old one.",
		"--client-id %q belongs to %q (--client-issuer), but the resource's authorization server is %q; expected the same issuer: its credentials are not sent there",
		e.cfg.ClientID, e.cfg.ClientIssuer, e.issuer))
	return false
}

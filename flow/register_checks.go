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

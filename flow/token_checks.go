package flow

import (
	"fmt"
	"strings"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/check"
	"golang.org/x/oauth2"
)

// maxLifetime is the access token lifetime beyond which a token is
// reported as long-lived.
const maxLifetime = 24 * time.Hour

// notATokenResponse reports, as token.not-json, a success answer x/oauth2
// could not read as a token (an HTML page with 200, JSON without
// access_token): x/oauth2 returns those as plain errors, not as a
// RetrieveError. It reports false when no answer came back at all.
func (e *Engine) notATokenResponse(s *stepCtx, err error) bool {
	ex := e.lastExchange(s)
	if ex == nil || ex.Status == 0 {
		return false
	}
	what := "a body x/oauth2 cannot read (" + err.Error() + ")"
	switch msg := err.Error(); {
	case strings.Contains(msg, "missing access_token"):
		what = "a response without access_token"
	case strings.Contains(msg, "cannot parse"):
		what = "a body that is not JSON"
		if b := strings.TrimSpace(ex.ResponseBody); b != "" {
			if len(b) > 120 {
				b = b[:120] + "…"
			}
			what += fmt.Sprintf(": %q", b)
		}
	}
	s.add(check.New("token.not-json", check.Fail, "RFC 6749 §5.1, §5.2",
		"Answer token requests with application/json: access_token and token_type on success, error with 400 (401 for invalid_client) on failure; make sure the token endpoint is not behind a login page.",
		"token request to %s: expected JSON with access_token or error, got %d %s, %s", e.as.TokenEndpoint, ex.Status, ex.ResponseHeaders.Get("Content-Type"), what))
	return true
}

// checkLifetime notes an access token that lives longer than a day.
func (e *Engine) checkLifetime(s *stepCtx, tok *oauth2.Token) {
	if tok.Expiry.IsZero() {
		return
	}
	if d := tok.Expiry.Sub(e.deps.Now()); d > maxLifetime {
		s.add(check.New("token.long-lived", check.Info, "MCP 2025-11-25 Security Considerations §Token Theft (authorization servers SHOULD issue short-lived access tokens); OAuth 2.1 §7.1",
			"Issue access tokens for minutes or hours and let clients refresh them.",
			"the access token expires in %s; expected at most %s", d.Round(time.Minute), maxLifetime))
	}
}

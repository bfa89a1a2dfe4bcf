package discovery

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// mismatch is an attempt whose document named the wrong identifier.
type mismatch struct {
	Attempt
	got string
}

// slashNote explains a difference of only a trailing slash.
func slashNote(got, want string) string {
	if got != want && got != "" && strings.TrimSuffix(got, "/") == strings.TrimSuffix(want, "/") {
		return " (they differ only by a trailing slash; the comparison is exact)"
	}
	return ""
}

// guardHint notes that 401/403 on a public metadata URL usually come from a
// CDN or auth middleware in front of it; discovery carries on regardless.
func guardHint(status int) string {
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return " (metadata must be public; a CDN or auth middleware may guard this path)"
	}
	return ""
}

func describeSource(s string) string {
	switch s {
	case SourceHeader:
		return "resource_metadata from WWW-Authenticate"
	case SourcePath:
		return "path-aware well-known URL"
	case SourceRoot:
		return "root well-known URL"
	case SourceOAuthInsert:
		return "RFC 8414 path insertion"
	case SourceOIDCInsert:
		return "OpenID Connect suffix inserted after the host"
	case SourceOIDCAppend:
		return "OpenID Connect suffix appended to the issuer"
	case SourceLegacyRoot:
		return "2025-03-26 metadata at the MCP server's origin"
	case SourceOffSpecSuffix:
		return "suffix appended to the MCP URL's path"
	case SourceOffSpecAppend:
		return "RFC 8414 suffix appended to the issuer"
	case SourceOffSpecRoot:
		return "root URL of an issuer with a path"
	}
	return s
}

// stopped notes candidates left untried because the context ended.
func stopped(ctx context.Context, candidates, tried int) string {
	if tried >= candidates || ctx.Err() == nil {
		return ""
	}
	return fmt.Sprintf("; %d more not tried: %v", candidates-tried, context.Cause(ctx))
}

func listAttempts(as []Attempt) string {
	parts := make([]string, len(as))
	for i, a := range as {
		st := fmt.Sprint(a.Status)
		switch {
		case a.Status == 0:
			st = a.Reason
		case a.Status == http.StatusOK && a.Reason != "":
			st += ", " + a.Reason
		}
		parts[i] = fmt.Sprintf("%s (%s)", a.URL, st)
	}
	return strings.Join(parts, ", ")
}

package flow

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

// The Client ID Metadata Document given with --client-metadata-url is the
// user's own configuration: it is checked here, before the authorization
// server is asked to fetch it, against what MCP 2026-07-28 Client
// Registration and draft-ietf-oauth-client-id-metadata-document-00 require.

const specCIMD = "MCP 2025-11-25 Authorization §Client ID Metadata Documents; draft-ietf-oauth-client-id-metadata-document-00 §3, §4"

// cimdDocument holds the members of the document that are checked.
type cimdDocument struct {
	ClientID                string   `json:"client_id"`
	ClientName              string   `json:"client_name"`
	RedirectURIs            []string `json:"redirect_uris"`
	GrantTypes              []string `json:"grant_types"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
}

// sharedSecretMethods are token endpoint auth methods that need a secret
// the document cannot carry.
var sharedSecretMethods = []string{"client_secret_basic", "client_secret_post", "client_secret_jwt"}

// checkOwnCIMD fetches and checks the document at docURL for a walk that
// will redirect to redirect.
func (e *Engine) checkOwnCIMD(ctx context.Context, s *stepCtx, docURL, redirect string) {
	bad := func(format string, args ...any) {
		s.add(check.New("register.cimd-document", check.Fail, specCIMD,
			"Fix the document (or its URL) given with --client-metadata-url; the authorization server fetches it to learn who the client is.",
			"Client ID Metadata Document %s: "+format, append([]any{docURL}, args...)...))
	}
	if why := cimdURLProblem(docURL); why != "" {
		bad("%s", why)
		return
	}
	doc, raw, status, _, err := discovery.GetJSON[cimdDocument](ctx, e.deps.HTTP, docURL, maxJSON, nil)
	var fe *discovery.FetchError
	switch {
	case err != nil && errors.As(err, &fe) && fe.Status == 0:
		s.add(check.New("register.cimd-document", check.Warn, specCIMD,
			"Make the document reachable; the authorization server must be able to fetch it.",
			"Client ID Metadata Document %s could not be fetched from here to be checked: %s", docURL, fe.Reason))
		return
	case err != nil:
		bad("%s", discoveryReason(err, status))
		return
	}
	if doc.ClientID != docURL {
		bad("client_id is %q; expected exactly the document's URL", doc.ClientID)
	}
	if doc.ClientName == "" {
		bad("no client_name; expected the name the consent screen shows")
	}
	if _, ok := raw["client_secret"]; ok {
		bad("carries a client_secret; a document anyone can fetch must hold no secret")
	}
	if slices.Contains(sharedSecretMethods, doc.TokenEndpointAuthMethod) {
		bad("token_endpoint_auth_method is %q, a shared-secret method; expected none (or private_key_jwt)", doc.TokenEndpointAuthMethod)
	}
	if len(doc.GrantTypes) > 0 && !slices.Contains(doc.GrantTypes, GrantAuthorizationCode) {
		bad("grant_types %q lacks authorization_code", doc.GrantTypes)
	} else if len(doc.GrantTypes) > 0 && !slices.Contains(doc.GrantTypes, "refresh_token") {
		s.add(check.New("register.cimd-grant-types", check.Info, "MCP 2026-07-28 Authorization §Refresh Tokens (clients SHOULD include refresh_token in grant_types)",
			"Add refresh_token to the document's grant_types if the client should be able to refresh.",
			"Client ID Metadata Document %s: grant_types %q lacks refresh_token; authorization servers may issue no refresh token", docURL, doc.GrantTypes))
	}
	switch {
	case len(doc.RedirectURIs) == 0:
		bad("no redirect_uris; expected the redirect URIs the client uses")
	case !slices.ContainsFunc(doc.RedirectURIs, func(r string) bool { return redirectMatches(r, redirect) }):
		s.add(check.New("register.cimd-redirect", check.Fail, specCIMD+"; RFC 8252 §7.3 (any port for loopback IP redirect URIs)",
			"List the redirect URI in the document, or pass --callback-port and --callback-path to match one listed.",
			"Client ID Metadata Document %s: redirect_uris %q do not include the redirect URI in use, %s%s", docURL, doc.RedirectURIs, redirect, hostHint(doc.RedirectURIs, redirect)))
	}
}

// cimdURLProblem says why docURL cannot be a client_id (an https URL with
// a path, no fragment, userinfo or dot segments; http only to loopback,
// for development), "" when it can.
func cimdURLProblem(docURL string) string {
	u, err := url.Parse(docURL)
	switch {
	case err != nil:
		return fmt.Sprintf("expected an https URL, got an unparsable one (%v)", err)
	case u.Scheme != "https" && !(u.Scheme == "http" && discovery.IsLoopbackHost(u.Hostname())):
		return fmt.Sprintf("expected an https URL, got scheme %q", u.Scheme)
	case u.Path == "" || u.Path == "/":
		return "expected a URL with a path, got none"
	case u.Fragment != "" || strings.Contains(docURL, "#"):
		return "expected no fragment"
	case u.User != nil:
		return "expected no user information before the host"
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return fmt.Sprintf("expected no %q path segments", seg)
		}
	}
	return ""
}

// redirectMatches compares a registered redirect URI with the one in use:
// exactly, or for a loopback IP with any port (RFC 8252 §7.3).
func redirectMatches(registered, used string) bool {
	if registered == used {
		return true
	}
	r, err1 := url.Parse(registered)
	u, err2 := url.Parse(used)
	return err1 == nil && err2 == nil && r.Scheme == "http" && u.Scheme == "http" && r.Hostname() == u.Hostname() &&
		discovery.IsLoopbackHost(r.Hostname()) && r.Path == u.Path && r.RawQuery == u.RawQuery
}

// hostHint notes a localhost / 127.0.0.1 difference, which exact-match
// authorization servers treat as different URIs.
func hostHint(registered []string, used string) string {
	u, err := url.Parse(used)
	if err != nil {
		return ""
	}
	for _, r := range registered {
		if ru, err := url.Parse(r); err == nil && ru.Path == u.Path && ru.Hostname() != u.Hostname() &&
			discovery.IsLoopbackHost(ru.Hostname()) && discovery.IsLoopbackHost(u.Hostname()) {
			return fmt.Sprintf(" (%s names %s, mcpwalk's listener %s: authorization servers compare them as different hosts)", r, ru.Hostname(), u.Hostname())
		}
	}
	return ""
}

// discoveryReason is a fetch error's reason.
func discoveryReason(err error, status int) string {
	var fe *discovery.FetchError
	if errors.As(err, &fe) {
		return fe.Reason
	}
	return fmt.Sprintf("%v (status %d)", err, status)
}

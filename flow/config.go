package flow

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/record"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Config is what the user asked for. Zero values mean "discover it".
type Config struct {
	// ServerURL is the MCP endpoint, as the user gave it.
	ServerURL string
	// ClientID and ClientSecret select a pre-registered client.
	ClientID     string
	ClientSecret string
	// ClientIssuer, when set, is the issuer the pre-registered client
	// belongs to: credentials are bound to the authorization server that
	// issued them (MCP 2026-07-28 Client Registration, SEP-2352).
	ClientIssuer string
	// ClientMetadataURL is a Client ID Metadata Document URL to use as the
	// client_id when the authorization server supports CIMD.
	ClientMetadataURL string
	// Scopes, when set, replace the scope selection strategy.
	Scopes []string
	// Resource overrides the RFC 8707 resource parameter.
	Resource string
	// CallbackHost is the redirect URI's host: "127.0.0.1" (default, RFC
	// 8252 §7.3), "localhost" or "::1", for authorization servers whose
	// registered redirect URI names one of the others.
	CallbackHost string
	// CallbackPort fixes the loopback redirect port (0 = ephemeral).
	CallbackPort int
	// CallbackPath is the redirect URI path (default "/callback").
	CallbackPath string
	// Headless completes the authorize step without a browser.
	Headless bool
	// AuthWait bounds the wait for the browser callback (default 5m).
	AuthWait time.Duration
	// ProtocolVersion pins the MCP protocol revision ("" = negotiate).
	ProtocolVersion string
	// Calls are the MCP calls to make once connected.
	Calls []Call
	// Probes runs the server probes (probes:*) after the calls.
	Probes bool
	// Spec is the MCP revision the server is graded against (default the
	// latest, LatestRevision).
	Spec string
	// Lenient records a violation a strict client would stop at and
	// carries on, so the rest of the flow can be seen; such steps are
	// marked Lenient in their results.
	Lenient bool
	// MaxStepUps bounds re-authorizations during MCP calls (default 2).
	MaxStepUps int
	// AuthParams are extra authorization request parameters (the TUI lets
	// the user add them, for example prompt=consent).
	AuthParams map[string]string
	// Grant is how the token is obtained: GrantAuthorizationCode (default,
	// a user in a browser), GrantClientCredentials (the client itself),
	// GrantJWTBearer (a workload JWT) or GrantEnterprise (an ID token
	// exchanged at the enterprise IdP).
	Grant string
	// ClientKey, when set, authenticates the pre-registered client with
	// private_key_jwt (RFC 7523) instead of a secret.
	ClientKey *ClientKey
	// DPoP is when tokens are sender-constrained with RFC 9449 proofs:
	// DPoPAuto ("" too), DPoPAlways or DPoPNever.
	DPoP string
	// Assertion is the JWT GrantJWTBearer presents.
	Assertion string
	// IdP is the enterprise IdP of GrantEnterprise.
	IdP *IdP
	// Elicitation is how a server's request for user input is answered
	// when no view handles it: ElicitNone, ElicitDecline, ElicitDefaults.
	Elicitation string
	// StoredAuthOnly never starts a login: without a usable stored token
	// (or one that refreshes) the walk stops with ErrLoginNeeded.
	StoredAuthOnly bool
	// ForceRefresh refreshes the stored token even when it is still valid
	// (mcpwalk token refresh); it never falls back to a login.
	ForceRefresh bool
	// CheckReuse, after a rotating refresh, replays the old refresh token
	// to see reuse refused (which may end the grant: opt-in).
	CheckReuse bool
	// ClientName is sent in dynamic registration (default "mcpwalk").
	ClientName string
	// Version is mcpwalk's version, sent as MCP clientInfo.
	Version string
}

// Call is one MCP request to make after connecting.
type Call struct {
	// Method is the MCP method: tools/list, tools/call, resources/list,
	// resources/read, resources/templates/list, prompts/list, prompts/get,
	// skills/list, skills/get, or skills/load (a skills/get, unless the
	// entry is held from a listing, then SKILL.md read and verified; with
	// no URI, every listed skill).
	Method string
	// Name is the tool or prompt name; URI the resource URI.
	Name string
	URI  string
	// Args are tool arguments or prompt arguments.
	Args map[string]any
	// Optional calls are skipped when the server lacks the capability
	// (for skills/*, the Skills extension).
	Optional bool
	// AllFiles makes skills/load also read and verify every supporting
	// file the skill's entry lists, not only its SKILL.md.
	AllFiles bool
}

// ID is the step id of the call.
func (c Call) ID() string { return StepCalls + ":" + c.Method }

// Recorder gives each step its own collection of HTTP exchanges.
type Recorder interface {
	Begin() *record.Collector
	End(*record.Collector) []record.Exchange
	Snapshot(*record.Collector) []record.Exchange
}

// Secrets learns secret values so that no view ever shows them.
type Secrets interface {
	Secret(string)
	String(string) string
}

// Browser opens the authorization URL for the user.
type Browser interface {
	Open(url string) error
}

// Receiver is a started loopback redirect listener.
type Receiver interface {
	RedirectURI() string
	// Wait returns the query of the first callback.
	Wait(ctx context.Context) (url.Values, error)
	Close() error
}

// Listen starts a receiver on 127.0.0.1:port at path.
type Listen func(ctx context.Context, at CallbackAddr) (Receiver, error)

// CallbackAddr is where a receiver listens: the redirect URI's host
// ("127.0.0.1", "localhost" or "::1"), port (0 = any free one) and path.
type CallbackAddr struct {
	Host string
	Port int
	Path string
}

// callbackAddr is where the redirect URI u points, or, when u is not one,
// the configured callback with the given port.
func (e *Engine) callbackAddr(u string, port int) CallbackAddr {
	at := CallbackAddr{Host: e.cfg.CallbackHost, Port: port, Path: e.cfg.CallbackPath}
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		at.Host, at.Path = p.Hostname(), p.Path
		at.Port, _ = strconv.Atoi(p.Port())
	}
	return at
}

// Gate is asked before each step; the TUI blocks here to step through a
// walk. It may return an error to stop the walk.
type Gate interface {
	Before(ctx context.Context, step string) error
}

// Deps are the engine's only ways to reach the outside world.
type Deps struct {
	// HTTP is used for every request; it must record through Recorder and
	// carry the timeouts, size limits and redirect policy.
	HTTP     *http.Client
	Recorder Recorder
	Secrets  Secrets
	Browser  Browser
	Listen   Listen
	Observer Observer
	Gate     Gate
	Now      func() time.Time
	// ClientOptions, if set, are the MCP client's options: the handlers
	// for server notifications and log messages a view wants to show.
	ClientOptions *mcp.ClientOptions
	// Store, if set, keeps tokens and registrations between runs; nil
	// means every walk logs in from scratch.
	Store TokenStore
}

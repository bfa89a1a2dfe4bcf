package flow

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"golang.org/x/oauth2"
)

// Connect opens the MCP session through the official SDK, with the engine
// as its OAuthHandler.
func (e *Engine) Connect(ctx context.Context) error {
	return e.run(ctx, StepConnect, e.connect)
}

// Session is the connected MCP session, nil before Connect.
func (e *Engine) Session() *mcp.ClientSession { return e.session }

func (e *Engine) connect(ctx context.Context, s *stepCtx) error {
	if e.serverURL == "" {
		canon, err := discovery.CanonicalResource(e.cfg.ServerURL)
		if err != nil {
			return fail("", "server URL: %v", err)
		}
		e.serverURL = canon
	}
	opts := e.clientOptions()
	client := mcp.NewClient(e.clientInfo(), opts)
	transport := &mcp.StreamableClientTransport{
		Endpoint:     e.serverURL,
		HTTPClient:   e.mcpHTTPClient(),
		OAuthHandler: (*oauthHandler)(e),
		// The standalone GET stream carries notifications and requests
		// (elicitation) sent outside a request's own stream; it is opened
		// only when something handles them.
		DisableStandaloneSSE: opts == nil,
		MaxRetries:           2,
	}
	var sopts *mcp.ClientSessionOptions
	if v := cmp.Or(e.revision, e.cfg.ProtocolVersion); v != "" {
		sopts = &mcp.ClientSessionOptions{ProtocolVersion: v}
	}
	cs, err := client.Connect(ctx, transport, sopts)
	if err != nil {
		return fail("Look at the exchanges above: the server's answer to the handshake explains it.",
			"MCP handshake with %s: %v", e.serverURL, err)
	}
	e.session = cs
	init := cs.InitializeResult()
	info := map[string]any{"protocol_version": init.ProtocolVersion, "capabilities": init.Capabilities}
	name := "unnamed server"
	if init.ServerInfo != nil {
		info["server_info"] = init.ServerInfo
		name = init.ServerInfo.Name + " " + init.ServerInfo.Version
	}
	s.data(info)
	s.add(check.New("connect.session", check.Pass, "MCP "+init.ProtocolVersion+" Lifecycle", "",
		"connected to %s, protocol %s", name, init.ProtocolVersion))
	s.res.Summary = fmt.Sprintf("%s, protocol %s", name, init.ProtocolVersion)
	return nil
}

// oauthHandler is the engine seen as the SDK's auth.OAuthHandler: the SDK
// asks it for tokens and hands it every 401 and 403.
type oauthHandler Engine

// TokenSource returns the walk's token; nil when the server needs none.
func (h *oauthHandler) TokenSource(context.Context) (oauth2.TokenSource, error) {
	e := (*Engine)(h)
	if e.token == nil {
		return nil, nil
	}
	return oauth2.StaticTokenSource(e.token), nil
}

// Authorize handles a 401 or 403 during MCP traffic: a 403 with
// error="insufficient_scope" re-authorizes with the union of scopes
// (SEP-2350); a 401 walks the authorization again. Both are bounded.
func (h *oauthHandler) Authorize(ctx context.Context, req *http.Request, resp *http.Response) error {
	e := (*Engine)(h)
	defer resp.Body.Close()
	// A DPoP nonce demand is not a rejected token: nil makes the SDK send
	// the request once more, and the DPoP transport puts the nonce in the
	// new proof. dpopNonceChallenge refuses a nonce the request already
	// carried, so this cannot loop.
	if retry, err := e.dpopNonceChallenge(resp); retry || err != nil {
		return err
	}
	if err := e.dpopRefused(resp); err != nil {
		return err
	}
	e.stepUps++
	if e.stepUps > e.cfg.MaxStepUps {
		return fmt.Errorf("%s %s answered %d again after %d re-authorizations; giving up (retry limit)",
			req.Method, req.URL.Redacted(), resp.StatusCode, e.cfg.MaxStepUps)
	}
	challenges, _ := discovery.ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate"))
	c := discovery.FindChallenge(challenges, "Bearer", "DPoP")
	switch resp.StatusCode {
	case http.StatusForbidden:
		e.forbidden = append(e.forbidden, c)
		if c == nil || c.Params["error"] != "insufficient_scope" {
			return fmt.Errorf("%s answered 403 without a Bearer error=\"insufficient_scope\" challenge (WWW-Authenticate %q); "+
				"nothing a new authorization could fix (MCP 2025-11-25 Authorization §Runtime Insufficient Scope Errors)",
				req.URL.Redacted(), resp.Header.Values("WWW-Authenticate"))
		}
		challenged := strings.Fields(c.Params["scope"])
		if len(challenged) > 0 && len(difference(challenged, e.requested)) == 0 {
			return fmt.Errorf("%s answered 403 insufficient_scope for scope %q, which was already requested (the token was granted %q); "+
				"authorizing again would ask for nothing new", req.URL.Redacted(), c.Params["scope"], strings.Join(grantedOf(e.token, e.requested), " "))
		}
		e.note(StepAuthorize, "403 insufficient_scope: re-authorizing with scope %q added", c.Params["scope"])
		return e.reauthorize(ctx, c, challenged)
	case http.StatusUnauthorized:
		if !e.authNeeded {
			// The probe was served without a token, but this request was not.
			e.authNeeded = true
			e.challenge = c
			e.dpop.challenged(challenges)
			if err := e.rediscover(ctx); err != nil {
				return err
			}
			return e.reauthorize(ctx, c, nil)
		}
		// The token was rejected. The protected resource may have moved to
		// another authorization server (SEP-2352), so discovery runs again
		// before authorizing: credentials are bound to the issuer that
		// issued them and are never carried to another.
		e.note(StepAuthorize, "401 during MCP traffic: the token was rejected; discovering and authorizing again")
		if c != nil {
			e.challenge = c
		}
		before := e.issuer
		if err := e.rediscover(ctx); err != nil {
			return err
		}
		if e.issuer != before {
			e.note(StepAuthorize, "the authorization server changed from %s to %s (SEP-2352): registered again there, nothing of the old one reused", before, e.issuer)
		}
		return e.reauthorize(ctx, nil, nil)
	}
	return fmt.Errorf("unexpected status %d handed to the OAuth handler", resp.StatusCode)
}

// rediscover runs the discovery and registration steps again. When the
// authorization server changes, what was requested of the old one does not
// carry over (SEP-2352: separate state per authorization server).
func (e *Engine) rediscover(ctx context.Context) error {
	before := e.issuer
	defer func() {
		if before != "" && e.issuer != before {
			e.requested = nil
		}
	}()
	for _, s := range []struct {
		id string
		fn func(context.Context, *stepCtx) error
	}{{StepPRM, e.discoverPRM}, {StepASMeta, e.discoverAS}, {StepRegister, e.register}} {
		if err := e.run(ctx, s.id, s.fn); err != nil {
			return err
		}
	}
	return nil
}

// reauthorize runs authorize and token again for the challenged scopes.
func (e *Engine) reauthorize(ctx context.Context, c *discovery.Challenge, challenged []string) error {
	if e.cfg.StoredAuthOnly {
		e.loginRefused = true
		return fmt.Errorf("the server asks for a new authorization (%w)", ErrLoginNeeded)
	}
	if e.reused {
		// The stored token was refused or lacks a scope: from here on the
		// walk logs in, with the stored registration if there is one.
		e.reused = false
		if e.receiver == nil && e.client != nil && e.client.RedirectURI == "" {
			if err := e.run(ctx, StepRegister, e.register); err != nil {
				return err
			}
		}
	}
	if c != nil && c.Params["resource_metadata"] != "" && e.challenge != nil &&
		c.Params["resource_metadata"] != e.challenge.Params["resource_metadata"] {
		e.challenge = c
		if err := e.rediscover(ctx); err != nil {
			return err
		}
	}
	defer e.closeReceiver()
	if !e.interactive() {
		return e.run(ctx, StepToken, func(ctx context.Context, s *stepCtx) error { return e.nonInteractiveToken(ctx, s, challenged) })
	}
	if err := e.run(ctx, StepAuthorize, func(ctx context.Context, s *stepCtx) error {
		return e.authorizeScopes(ctx, s, challenged)
	}); err != nil {
		return err
	}
	return e.run(ctx, StepToken, e.exchangeToken)
}

// Answers to a server's elicitation/create (Config.Elicitation).
const (
	ElicitNone     = ""         // no elicitation capability is declared
	ElicitDecline  = "decline"  // declare it, decline every request
	ElicitDefaults = "defaults" // accept with the schema's defaults (SEP-1034)
)

// clientOptions are the view's MCP client options, plus the elicitation
// answer the configuration asks for when the view has no handler.
func (e *Engine) clientOptions() *mcp.ClientOptions {
	if e.cfg.Elicitation == ElicitNone {
		return e.deps.ClientOptions
	}
	var opts mcp.ClientOptions
	if e.deps.ClientOptions != nil {
		opts = *e.deps.ClientOptions
	}
	if opts.ElicitationHandler != nil {
		return &opts
	}
	answer := e.cfg.Elicitation
	opts.ElicitationHandler = func(_ context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
		if answer == ElicitDecline || req.Params.Mode == "url" {
			e.note(StepCalls, "the server asked for input (elicitation %q): declined", req.Params.Message)
			return &mcp.ElicitResult{Action: "decline"}, nil
		}
		content := schemaDefaults(req.Params.RequestedSchema)
		e.note(StepCalls, "the server asked for input (elicitation %q): accepted with the schema's defaults %v", req.Params.Message, content)
		return &mcp.ElicitResult{Action: "accept", Content: content}, nil
	}
	return &opts
}

// schemaDefaults returns the default of every property of an elicitation
// schema that has one (SEP-1034).
func schemaDefaults(schema any) map[string]any {
	raw, err := json.Marshal(schema)
	if err != nil {
		return map[string]any{}
	}
	var s struct {
		Properties map[string]struct {
			Default any `json:"default"`
		} `json:"properties"`
	}
	out := map[string]any{}
	if json.Unmarshal(raw, &s) != nil {
		return out
	}
	for name, p := range s.Properties {
		if p.Default != nil {
			out[name] = p.Default
		}
	}
	return out
}

// Package flow is mcpwalk's engine: it walks the MCP authorization sequence
// step by step (probe, prm, asmeta, register, authorize, token, connect,
// calls), records every HTTP exchange and check of each step, and emits
// events that every view observes. It prints nothing and owns no I/O of its
// own: the HTTP client, browser, loopback listener and clock are injected.
package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/mcpwalk/mcpwalk/internal/record"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"golang.org/x/oauth2"
)

// Engine walks one server. It is not reusable across servers.
type Engine struct {
	cfg  Config
	deps Deps

	mu       sync.Mutex
	results  []StepResult
	attempts map[string]int

	// Walk state: the per-flow record of AUTH-26 §Authorization Response
	// Validation (issuer, verifier, state, resource, redirect, scopes).
	serverURL  string // canonical MCP server URI
	revision   string // MCP revision the probe found the server to accept, when it had to ask twice
	challenge  *discovery.Challenge
	prm        *discovery.PRMResult
	resource   string
	legacy     bool // 2025-03-26 path: no PRM, AS at the server origin
	issuer     string
	as         *discovery.AuthServerMetadata
	asMetaURL  string // where the metadata was found
	client     *ClientInfo
	receiver   Receiver
	requested  []string // scopes requested so far (union on step-up)
	pending    *pending
	code       string
	token      *oauth2.Token
	authNeeded bool
	stepUps    int
	forbidden  []*discovery.Challenge // 403 challenges seen during MCP calls

	// Stored state (Deps.Store): a registration to reuse, whether the
	// token came from the store, and whether a login was refused.
	storedClient *StoredClient
	reused       bool
	loginRefused bool

	session *mcp.ClientSession
	skills  map[string]heldSkill // entries held for skills/load, by SKILL.md URI

	// dpop is the walk's RFC 9449 state: key, bound tokens, nonces.
	dpop dpopState
	// pendingChecks are checks made outside a step's own code (the SDK's
	// OAuthHandler, the DPoP transport); the step that ends next keeps them.
	pendingChecks check.List
}

// New returns an engine for cfg.
func New(cfg Config, deps Deps) *Engine {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if cfg.MaxStepUps <= 0 {
		cfg.MaxStepUps = 2
	}
	if cfg.AuthWait <= 0 {
		cfg.AuthWait = 5 * time.Minute
	}
	if cfg.CallbackPath == "" {
		cfg.CallbackPath = "/callback"
	}
	if cfg.CallbackHost == "" {
		cfg.CallbackHost = "127.0.0.1"
	}
	if cfg.ClientName == "" {
		cfg.ClientName = "mcpwalk"
	}
	return &Engine{cfg: cfg, deps: deps, attempts: map[string]int{}}
}

// Results returns the steps run so far, in order.
func (e *Engine) Results() []StepResult {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]StepResult(nil), e.results...)
}

// ErrStopped is returned by Run when a step failed; the step's result says why.
var ErrStopped = errors.New("walk stopped")

// Run walks every step, then the configured calls, and closes the session.
// It returns nil only when every step ran without a failing check.
func (e *Engine) Run(ctx context.Context) error {
	defer e.Close()
	if err := e.Authenticate(ctx); err != nil {
		return err
	}
	if err := e.Connect(ctx); err != nil {
		return err
	}
	// Each call and probe is a step of its own: one failing does not keep
	// the others from running. The first failure is returned.
	var first error
	for _, c := range e.cfg.Calls {
		if _, err := e.Call(ctx, c); err != nil && first == nil {
			first = err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if e.cfg.Probes {
		e.Probes(ctx)
	}
	return first
}

// AuthSteps are the authorization steps in walk order.
var AuthSteps = []string{StepProbe, StepPRM, StepASMeta, StepStored, StepRegister, StepAuthorize, StepToken}

// Authenticate runs probe through token. A server that does not ask for
// authorization skips the OAuth steps.
func (e *Engine) Authenticate(ctx context.Context) error {
	defer e.closeReceiver()
	for _, id := range AuthSteps {
		if err := e.RunStep(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// RunStep runs one step by id (one of AuthSteps, or StepConnect); the
// TUI drives a walk this way, one step at a time, and re-runs a step by
// calling it again. A step after probe is skipped when the server did not
// ask for authorization.
func (e *Engine) RunStep(ctx context.Context, id string) error {
	fn := map[string]func(context.Context, *stepCtx) error{
		StepProbe: e.probe, StepPRM: e.discoverPRM, StepASMeta: e.discoverAS,
		StepStored: e.useStored, StepRegister: e.register, StepAuthorize: e.authorize, StepToken: e.exchangeToken, StepConnect: e.connect,
	}[id]
	if fn == nil {
		return fmt.Errorf("unknown step %q", id)
	}
	if id != StepProbe && id != StepConnect && !e.authNeeded {
		e.skip(id, "the server did not ask for authorization")
		return nil
	}
	switch {
	case id == StepStored && e.deps.Store == nil:
		e.skip(id, "no token store (--token-store none): every run logs in")
		return nil
	case (id == StepRegister || id == StepAuthorize || id == StepToken) && e.reused:
		e.skip(id, "a stored token is in use (see the stored step)")
		return nil
	case id == StepAuthorize && !e.interactive():
		e.skip(id, "the "+e.grant()+" grant involves no user authorization")
		return nil
	case id == StepToken && !e.interactive():
		return e.run(ctx, id, func(ctx context.Context, s *stepCtx) error { return e.nonInteractiveToken(ctx, s, nil) })
	}
	if id == StepConnect && e.session != nil {
		_ = e.session.Close()
		e.session = nil
	}
	return e.run(ctx, id, fn)
}

// ready reports whether the state a step produces exists, so that a
// lenient walk can go on after the step's failing checks.
func (e *Engine) ready(id string) bool {
	switch id {
	case StepProbe:
		return e.serverURL != ""
	case StepPRM:
		return e.legacy || e.prm != nil && e.resource != "" && (e.prm.Metadata != nil || e.prm.Rejected != nil)
	case StepASMeta:
		return e.as != nil
	case StepStored:
		return !e.loginRefused
	case StepRegister:
		return e.client != nil
	case StepAuthorize:
		return e.code != ""
	case StepToken:
		return e.token != nil
	}
	// Calls and probes are each a request of their own.
	return strings.HasPrefix(id, StepCalls+":") || strings.HasPrefix(id, "probes:")
}

// LoginRefused reports whether the walk stopped because it needed a login
// that Config.StoredAuthOnly (or ForceRefresh) forbids.
func (e *Engine) LoginRefused() bool { return e.loginRefused }

// AuthRequired reports whether the probe found the server asking for
// authorization.
func (e *Engine) AuthRequired() bool { return e.authNeeded }

// Configure changes the configuration between steps (the TUI edits
// scopes, client, resource, callback port, extra parameters this way).
func (e *Engine) Configure(fn func(*Config)) { fn(&e.cfg) }

// Info is what a header line shows about the walk so far.
type Info struct {
	ServerURL       string `json:"server_url"`
	Resource        string `json:"resource,omitempty"`
	Issuer          string `json:"issuer,omitempty"`
	ClientID        string `json:"client_id,omitempty"`
	ClientSource    string `json:"client_source,omitempty"`
	ProtocolVersion string `json:"protocol_version,omitempty"`
	Legacy          bool   `json:"legacy,omitempty"`
}

// Info returns what is known so far.
func (e *Engine) Info() Info {
	in := Info{ServerURL: e.cfg.ServerURL, Resource: e.resource, Issuer: e.issuer, Legacy: e.legacy}
	if e.client != nil {
		in.ClientID, in.ClientSource = e.client.ID, e.client.Source
	}
	if e.session != nil && e.session.InitializeResult() != nil {
		in.ProtocolVersion = e.session.InitializeResult().ProtocolVersion
	}
	return in
}

// Close ends the MCP session, if any, and releases the listener.
func (e *Engine) Close() {
	e.closeReceiver()
	if e.session != nil {
		_ = e.session.Close()
		e.session = nil
	}
}

func (e *Engine) closeReceiver() {
	if e.receiver != nil {
		_ = e.receiver.Close()
		e.receiver = nil
	}
}

// stepCtx is what one step fills in.
type stepCtx struct {
	col    *record.Collector
	res    StepResult
	checks check.List
}

func (s *stepCtx) add(c check.Check) check.Check { return s.checks.Add(c) }

// data stores v as the step's data.
func (s *stepCtx) data(v any) {
	if b, err := json.Marshal(v); err == nil {
		s.res.Data = b
	}
}

// stepError is a failure with a fix hint.
type stepError struct {
	msg, fix string
}

func (e *stepError) Error() string { return e.msg }

func fail(fix, format string, args ...any) error {
	return &stepError{msg: fmt.Sprintf(format, args...), fix: fix}
}

// run executes one step: gate, events, timing, exchanges, checks, status.
func (e *Engine) run(ctx context.Context, id string, fn func(context.Context, *stepCtx) error) error {
	if e.deps.Gate != nil {
		if err := e.deps.Gate.Before(ctx, id); err != nil {
			return err
		}
	}
	// Auth steps repeat on re-authorization and are numbered; every MCP
	// call is a request of its own.
	attempt := 1
	if baseID(id) != StepCalls {
		e.mu.Lock()
		e.attempts[id]++
		attempt = e.attempts[id]
		e.mu.Unlock()
	}
	e.emit(Event{Kind: EventStepStart, Step: id})

	start := e.deps.Now()
	col := e.deps.Recorder.Begin()
	s := &stepCtx{col: col, res: StepResult{ID: id, Title: stepTitle(id)}}
	if attempt > 1 {
		s.res.Attempt = attempt
	}
	d := e.beginDiagnosis(id)
	err := fn(ctx, s)
	s.checks = append(s.checks, e.takePending()...)
	e.diagnose(d, s, err)
	s.res.Exchanges = e.deps.Recorder.End(col)
	if s.res.Exchanges == nil {
		s.res.Exchanges = []exchange{}
	}
	s.checks = regrade(s.checks, e.cfg.Spec)
	s.res.Checks = s.checks
	if s.res.Checks == nil {
		s.res.Checks = check.List{}
	}
	s.res.DurationMS = e.deps.Now().Sub(start).Milliseconds()
	switch {
	case err != nil:
		s.res.Status = StatusFail
		s.res.Error = e.deps.Secrets.String(err.Error())
		var se *stepError
		if errors.As(err, &se) {
			s.res.Fix = se.fix
		}
	case s.checks.Failed():
		s.res.Status = StatusFail
		err = firstFailure(s.checks)
		s.res.Error = err.Error()
		s.res.Fix = firstFailureFix(s.checks)
		if e.cfg.Lenient && e.ready(id) {
			s.res.Lenient = true
			err = nil
			e.note(id, "--lenient: going on past a failure where a strict client stops; what follows is beyond what real clients would do")
		}
	case check.Worst(s.checks) == check.Warn:
		s.res.Status = StatusWarn
	default:
		s.res.Status = StatusPass
	}
	e.record(s.res)
	if err != nil {
		return fmt.Errorf("%w at %s: %v", ErrStopped, id, err)
	}
	return nil
}

func (e *Engine) skip(id, why string) {
	e.emit(Event{Kind: EventStepStart, Step: id})
	e.record(StepResult{ID: id, Title: stepTitle(id), Status: StatusSkip, Summary: why,
		Exchanges: []exchange{}, Checks: check.List{}})
}

func (e *Engine) record(r StepResult) {
	e.mu.Lock()
	e.results = append(e.results, r)
	e.mu.Unlock()
	e.emit(Event{Kind: EventStepEnd, Step: r.ID, Result: &r})
}

func (e *Engine) emit(ev Event) {
	ev.Time = e.deps.Now()
	if e.deps.Observer != nil {
		e.deps.Observer.Observe(ev)
	}
}

func (e *Engine) note(step, format string, args ...any) {
	e.emit(Event{Kind: EventNote, Step: step, Note: fmt.Sprintf(format, args...)})
}

func firstFailure(cs check.List) error {
	for _, c := range cs {
		if c.Status == check.Fail {
			return errors.New(c.Message)
		}
	}
	return nil
}

func firstFailureFix(cs check.List) string {
	for _, c := range cs {
		if c.Status == check.Fail {
			return c.Fix
		}
	}
	return ""
}

// netErr says plainly what went wrong with a request that got no answer.
func (e *Engine) netErr(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		if t := e.deps.HTTP.Timeout; t > 0 {
			return fmt.Sprintf("timed out: no answer within %s (%v)", t, err)
		}
		return fmt.Sprintf("timed out (%v)", err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("connection refused: nothing listens there (%v)", err)
	}
	return err.Error()
}

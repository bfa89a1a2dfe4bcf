package flow

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/mcpwalk/mcpwalk/internal/record"
)

// fakeReceiver stands in for the loopback listener: the fake browser
// delivers to it.
type fakeReceiver struct {
	redirect string
	ch       chan url.Values
}

func (r *fakeReceiver) RedirectURI() string { return r.redirect }
func (r *fakeReceiver) Close() error        { return nil }
func (r *fakeReceiver) Wait(ctx context.Context) (url.Values, error) {
	select {
	case q := <-r.ch:
		return q, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fakeBrowser plays the user agent: it requests the authorization URL and
// hands the redirect's query to the receiver.
type fakeBrowser struct {
	t    *testing.T
	recv func() *fakeReceiver
}

func (b fakeBrowser) Open(u string) error {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		return err
	}
	b.recv().ch <- loc.Query()
	return nil
}

type harness struct {
	e      *Engine
	red    *record.Redactor
	mu     sync.Mutex
	events []Event
}

func (h *harness) Observe(e Event) {
	h.mu.Lock()
	h.events = append(h.events, e)
	h.mu.Unlock()
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{red: record.NewRedactor(false)}
	rec := record.NewRecorder(nil, h.red)
	var last *fakeReceiver
	deps := Deps{
		HTTP:     record.NewClient(rec, record.ClientOptions{Timeout: 10 * time.Second}),
		Recorder: rec,
		Secrets:  h.red,
		Listen: func(ctx context.Context, at CallbackAddr) (Receiver, error) {
			if at.Port == 0 {
				at.Port = 45678
			}
			last = &fakeReceiver{redirect: "http://" + net.JoinHostPort(at.Host, itoa(at.Port)) + at.Path, ch: make(chan url.Values, 1)}
			return last, nil
		},
		Observer: h,
	}
	deps.Browser = fakeBrowser{t: t, recv: func() *fakeReceiver { return last }}
	if cfg.AuthWait == 0 {
		cfg.AuthWait = 5 * time.Second
	}
	h.e = New(cfg, deps)
	return h
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func (h *harness) step(t *testing.T, id string) StepResult {
	t.Helper()
	for _, r := range h.e.Results() {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no step %q in %v", id, stepIDs(h.e.Results()))
	return StepResult{}
}

func stepIDs(rs []StepResult) []string {
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.ID+"="+string(r.Status))
	}
	return ids
}

func hasCheck(r StepResult, id string, st check.Status) bool {
	for _, c := range r.Checks {
		if c.ID == id && c.Status == st {
			return true
		}
	}
	return false
}

func TestWalk(t *testing.T) {
	tests := []struct {
		name    string
		fake    fake
		cfg     func(f *fake) Config
		wantErr string // step id where the walk must stop
		verify  func(t *testing.T, h *harness, f *fake)
	}{
		{
			name: "dynamic registration, path-aware PRM from the header",
			fake: fake{},
			verify: func(t *testing.T, h *harness, f *fake) {
				want := []string{"probe=pass", "prm=pass", "asmeta=pass", "stored=skip", "register=pass", "authorize=pass", "token=pass", "connect=pass", "calls:tools/list=pass"}
				if diff := cmp.Diff(want, stepIDs(h.e.Results())); diff != "" {
					t.Errorf("steps (-want +got):\n%s", diff)
				}
				auth := f.authReq[0]
				if auth.Get("resource") != f.url() || auth.Get("code_challenge_method") != "S256" || auth.Get("scope") != "read write" {
					t.Errorf("authorization request %v: want resource %s, S256, scope from PRM", auth, f.url())
				}
				tok := f.lastToken()
				if tok.Get("resource") != f.url() || tok.Get("code_verifier") == "" || tok.Get("client_secret") != "" {
					t.Errorf("token request %v: want the same resource, a verifier and no secret", tok)
				}
			},
		},
		{
			name: "challenge scope wins over PRM scopes_supported",
			fake: fake{challengeScope: "read"},
			verify: func(t *testing.T, h *harness, f *fake) {
				if got := f.authReq[0].Get("scope"); got != "read" {
					t.Errorf("scope = %q, want the challenge's %q", got, "read")
				}
			},
		},
		{
			name: "root PRM with resource = origin, no resource_metadata in the challenge",
			fake: fake{prmAtRoot: true, noHeaderRM: true},
			verify: func(t *testing.T, h *harness, f *fake) {
				if got := f.authReq[0].Get("resource"); got != f.srv.URL {
					t.Errorf("resource = %q, want the origin %q", got, f.srv.URL)
				}
				if !hasCheck(h.step(t, "probe"), "probe.resource-metadata-missing", check.Warn) {
					t.Errorf("probe: want a warning for the missing resource_metadata")
				}
			},
		},
		{
			name: "issuer with a path: RFC 8414 path insertion",
			fake: fake{issuerPath: "/tenant1"},
			verify: func(t *testing.T, h *harness, f *fake) {
				if h.step(t, "asmeta").Status != StatusPass {
					t.Errorf("asmeta: %s %s %v", h.step(t, "asmeta").Status, h.step(t, "asmeta").Error, h.step(t, "asmeta").Checks)
				}
			},
		},
		{
			name: "2025-03-26: no PRM, metadata at the server origin",
			fake: fake{noPRM: true, noHeaderRM: true},
			verify: func(t *testing.T, h *harness, f *fake) {
				if h.step(t, "prm").Status != StatusWarn || h.step(t, "token").Status == StatusFail {
					t.Errorf("prm: want warn (legacy fallback), got %v", stepIDs(h.e.Results()))
				}
			},
		},
		{
			name: "2025-03-26: no metadata at all, default endpoints",
			fake: fake{noPRM: true, noASMeta: true, noHeaderRM: true},
			verify: func(t *testing.T, h *harness, f *fake) {
				as := h.step(t, "asmeta")
				if as.Status != StatusWarn || !strings.Contains(as.Summary, "default endpoints") {
					t.Errorf("asmeta = %+v, want the default endpoints fallback", as)
				}
			},
		},
		{
			name:    "PRM resource mismatch stops before authorization",
			fake:    fake{prmResource: "https://evil.example.com/mcp"},
			wantErr: "prm",
			verify: func(t *testing.T, h *harness, f *fake) {
				if !hasCheck(h.step(t, "prm"), "prm.resource-mismatch", check.Fail) || len(f.authReq) != 0 {
					t.Errorf("want prm.resource-mismatch and no authorization request; got %d", len(f.authReq))
				}
			},
		},
		{
			name:    "issuer mismatch refused",
			fake:    fake{issuerSuffix: "/"},
			wantErr: "asmeta",
			verify: func(t *testing.T, h *harness, f *fake) {
				if !hasCheck(h.step(t, "asmeta"), "asmeta.issuer-mismatch", check.Fail) {
					t.Errorf("want asmeta.issuer-mismatch, got %+v", h.step(t, "asmeta").Checks)
				}
			},
		},
		{
			name:    "no code_challenge_methods_supported refused",
			fake:    fake{noPKCE: true},
			wantErr: "asmeta",
		},
		{
			name: "pre-registered client, client_secret_basic",
			fake: fake{},
			cfg:  func(f *fake) Config { return Config{ClientID: "pre", ClientSecret: "pre-secret-123"} },
			verify: func(t *testing.T, h *harness, f *fake) {
				if tok := f.lastToken(); tok.Get("client_secret") != "" {
					t.Errorf("secret sent in the body with client_secret_basic: %v", tok)
				}
			},
		},
		{
			name: "pre-registered client, client_secret_post when basic is not offered",
			fake: fake{authMethods: []string{"client_secret_post"}},
			cfg:  func(f *fake) Config { return Config{ClientID: "pre", ClientSecret: "pre-secret-123"} },
			verify: func(t *testing.T, h *harness, f *fake) {
				if tok := f.lastToken(); tok.Get("client_secret") != "pre-secret-123" {
					t.Errorf("client_secret_post: secret not in the body: %v", tok)
				}
			},
		},
		{
			name: "Client ID Metadata Document",
			fake: fake{cimd: true},
			cfg:  func(f *fake) Config { return Config{ClientMetadataURL: f.cimdURL()} },
			verify: func(t *testing.T, h *harness, f *fake) {
				if got := f.authReq[0].Get("client_id"); got != f.cimdURL() {
					t.Errorf("client_id = %q, want the CIMD URL", got)
				}
				if r := h.step(t, "register"); r.Status != StatusPass {
					t.Errorf("register = %s %v, want the document to pass its checks", r.Status, r.Checks)
				}
			},
		},
		{
			name:    "no registration mechanism",
			fake:    fake{noDCR: true},
			wantErr: "register",
			verify: func(t *testing.T, h *harness, f *fake) {
				if !hasCheck(h.step(t, "register"), "register.no-mechanism", check.Fail) {
					t.Errorf("want register.no-mechanism")
				}
			},
		},
		{
			name:    "iss from another issuer: mix-up refused",
			fake:    fake{iss: "wrong"},
			wantErr: "authorize",
			verify: func(t *testing.T, h *harness, f *fake) {
				if !hasCheck(h.step(t, "authorize"), "authorize.iss-mismatch", check.Fail) || len(f.tokenReq) != 0 {
					t.Errorf("want authorize.iss-mismatch and no token request")
				}
			},
		},
		{
			name:    "iss advertised but missing",
			fake:    fake{iss: "none"},
			wantErr: "authorize",
		},
		{
			name: "iss sent but not advertised: compare and proceed",
			fake: fake{iss: "unadvertised"},
			verify: func(t *testing.T, h *harness, f *fake) {
				if !hasCheck(h.step(t, "authorize"), "authorize.iss-unadvertised", check.Warn) {
					t.Errorf("want a warning")
				}
			},
		},
		{
			name: "browser path through the receiver",
			fake: fake{},
			cfg:  func(f *fake) Config { return Config{Headless: false} },
		},
		{
			name: "server without authorization",
			fake: fake{open: true},
			verify: func(t *testing.T, h *harness, f *fake) {
				want := []string{"probe=pass", "prm=skip", "asmeta=skip", "stored=skip", "register=skip", "authorize=skip", "token=skip", "connect=pass", "calls:tools/list=pass"}
				if diff := cmp.Diff(want, stepIDs(h.e.Results())); diff != "" {
					t.Errorf("steps (-want +got):\n%s", diff)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake
			f.start(t)
			cfg := Config{Headless: true}
			if tt.cfg != nil {
				cfg = tt.cfg(&f)
				if cfg.ClientID == "" && cfg.ClientMetadataURL == "" && !cfg.Headless && tt.name != "browser path through the receiver" {
					cfg.Headless = true
				}
			}
			cfg.ServerURL = f.url()
			cfg.Calls = []Call{{Method: "tools/list"}}
			h := newHarness(t, cfg)
			err := h.e.Run(context.Background())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Run: %v\nsteps: %v", err, stepIDs(h.e.Results()))
			case tt.wantErr != "" && (err == nil || !errors.Is(err, ErrStopped) || !strings.Contains(err.Error(), " at "+tt.wantErr+":")):
				t.Fatalf("Run = %v, want a stop at %s; steps %v", err, tt.wantErr, stepIDs(h.e.Results()))
			}
			if tt.verify != nil {
				tt.verify(t, h, &f)
			}
			assertNoSecrets(t, h, &f)
		})
	}
}

// assertNoSecrets scans every result and event for the secrets the fake
// handed out or saw.
func assertNoSecrets(t *testing.T, h *harness, f *fake) {
	t.Helper()
	b, _ := json.Marshal(h.e.Results())
	ev, _ := json.Marshal(h.events)
	all := string(b) + string(ev)
	f.mu.Lock()
	defer f.mu.Unlock()
	var secrets []string
	for tok := range f.tokens {
		secrets = append(secrets, tok)
	}
	for _, q := range f.tokenReq {
		secrets = append(secrets, q.Get("code"), q.Get("code_verifier"), q.Get("client_secret"))
	}
	secrets = append(secrets, "pre-secret-123")
	for _, s := range secrets {
		if s != "" && strings.Contains(all, s) {
			t.Errorf("secret %.6s… appears in the results or events", s)
		}
	}
}

func TestStepUp(t *testing.T) {
	f := fake{challengeScope: "read"}
	f.start(t)
	cfg := Config{ServerURL: f.url(), Headless: true, Calls: []Call{
		{Method: "tools/call", Name: "echo", Args: map[string]any{"text": "hi"}},
		{Method: "tools/call", Name: "secret", Args: map[string]any{"text": "needs write"}},
	}}
	h := newHarness(t, cfg)
	if err := h.e.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v\n%v", err, stepIDs(h.e.Results()))
	}
	want := []string{"probe=pass", "prm=pass", "asmeta=pass", "stored=skip", "register=pass", "authorize=pass", "token=pass", "connect=pass",
		"calls:tools/call=pass", "authorize=pass", "token=pass", "calls:tools/call=pass"}
	if diff := cmp.Diff(want, stepIDs(h.e.Results())); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if len(f.authReq) != 2 || f.authReq[1].Get("scope") != "read write" {
		t.Errorf("step-up scope: %v, want the union \"read write\"", f.authReq)
	}
	assertNoSecrets(t, h, &f)
}

func TestStepUpLimit(t *testing.T) {
	f := fake{challengeScope: "read", grantOnly: []string{"read"}}
	f.start(t)
	// The authorization server never grants "write", so re-authorization
	// cannot satisfy the server: the engine must give up, not loop.
	cfg := Config{ServerURL: f.url(), Headless: true, MaxStepUps: 3,
		Calls: []Call{{Method: "tools/call", Name: "secret", Args: map[string]any{"text": "x"}}}}
	h := newHarness(t, cfg)
	err := h.e.Run(context.Background())
	if err == nil {
		t.Fatalf("Run succeeded; want a bounded failure")
	}
	if n := len(f.authReq); n > 4 {
		t.Errorf("%d authorization requests; the retry limit did not hold", n)
	}
}

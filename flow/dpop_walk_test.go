package flow

import (
	"strings"
	"testing"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// dpopWalk walks f with cfg (headless, one tools/list) and returns the
// harness and the walk's error.
func dpopWalk(t *testing.T, f *fake, cfg Config) (*harness, error) {
	t.Helper()
	cfg.ServerURL, cfg.Headless = f.url(), true
	cfg.Calls = []Call{{Method: "tools/list"}}
	h := newHarness(t, cfg)
	return h, h.e.Run(t.Context())
}

// A DPoP walk: the token request carries a verified proof without ath,
// the code is bound with dpop_jkt, the token comes back DPoP-bound with
// cnf.jkt, and every MCP request presents it with the DPoP scheme and a
// fresh proof with ath for that token.
func TestDPoPWalk(t *testing.T) {
	d := &fakeDPoP{algs: []string{"ES256"}}
	f := (&fake{dpop: d}).start(t)
	h, err := dpopWalk(t, f, Config{})
	if err != nil {
		t.Fatalf("walk: %v\n%+v", err, h.e.Results())
	}
	tokenProofs, resourceProofs, schemes, errs := d.seen()
	if len(errs) > 0 {
		t.Errorf("proofs the server refused: %v", errs)
	}
	if len(tokenProofs) != 1 {
		t.Errorf("%d token request proofs, want 1", len(tokenProofs))
	}
	if len(resourceProofs) < 2 {
		t.Errorf("%d resource proofs, want one per MCP request (initialize, notification, tools/list…)", len(resourceProofs))
	}
	for _, s := range schemes {
		if s != "DPoP" {
			t.Errorf("an MCP request used the %q scheme: %v", s, schemes)
			break
		}
	}
	k := h.e.dpop.currentKey()
	if got := f.authReq[0].Get("dpop_jkt"); got != k.Thumbprint() {
		t.Errorf("dpop_jkt %q, want the key's thumbprint %q", got, k.Thumbprint())
	}
	for _, c := range []struct{ step, id string }{{StepASMeta, "dpop.in-use"}, {StepToken, "dpop.token-bound"}, {StepToken, "dpop.jkt"}} {
		if !hasCheck(h.step(t, c.step), c.id, check.Pass) {
			t.Errorf("%s: no passing %s: %+v", c.step, c.id, h.step(t, c.step).Checks)
		}
	}
	assertNoSecrets(t, h, f)
	// The recorded proof shows its claims, never its signature.
	for _, ex := range h.step(t, StepConnect).Exchanges {
		if p := ex.RequestHeaders.Get("DPoP"); p != "" && !strings.HasSuffix(p, ".[redacted]") {
			t.Errorf("a recorded proof keeps its signature: %q", p)
		}
	}
}

// The nonces of RFC 9449 §8 and §9: the token endpoint and the MCP server
// each ask for theirs once; each request is retried once with it, and the
// nonces are kept apart although both servers share an origin.
func TestDPoPNonces(t *testing.T) {
	d := &fakeDPoP{algs: []string{"ES256"}, asNonce: "as-nonce-1", rsNonce: "rs-nonce-1"}
	f := (&fake{dpop: d}).start(t)
	h, err := dpopWalk(t, f, Config{})
	if err != nil {
		t.Fatalf("walk: %v\n%+v", err, h.e.Results())
	}
	tokenProofs, resourceProofs, _, errs := d.seen()
	if len(errs) > 0 {
		t.Errorf("proofs the server refused: %v", errs)
	}
	if len(tokenProofs) != 2 || tokenProofs[0]["nonce"] != nil || tokenProofs[1]["nonce"] != "as-nonce-1" {
		t.Errorf("token request proofs %v: want one without a nonce, then one with as-nonce-1", tokenProofs)
	}
	if len(resourceProofs) < 2 || resourceProofs[0]["nonce"] != nil {
		t.Fatalf("resource proofs %v", resourceProofs)
	}
	for _, p := range resourceProofs[1:] {
		if p["nonce"] != "rs-nonce-1" {
			t.Errorf("a resource proof after the challenge carries nonce %v, want rs-nonce-1 (never the AS's)", p["nonce"])
		}
	}
	if !hasCheck(h.step(t, StepToken), "dpop.as-nonce", check.Pass) {
		t.Errorf("token step: %+v", h.step(t, StepToken).Checks)
	}
	if !hasCheck(h.step(t, StepConnect), "dpop.rs-nonce", check.Pass) {
		t.Errorf("connect step: %+v", h.step(t, StepConnect).Checks)
	}
}

// A server that refuses the very nonce it supplied gets one retry, not a
// loop: at the token endpoint and at the MCP server.
func TestDPoPNonceRetryIsBounded(t *testing.T) {
	t.Run("token endpoint", func(t *testing.T) {
		d := &fakeDPoP{algs: []string{"ES256"}, asNonce: "n", asLoop: true}
		f := (&fake{dpop: d}).start(t)
		h, err := dpopWalk(t, f, Config{})
		if err == nil {
			t.Fatal("the walk succeeded without a token")
		}
		if tp, _, _, _ := d.seen(); len(tp) != 2 {
			t.Errorf("%d token requests, want exactly 2", len(tp))
		}
		if !hasCheck(h.step(t, StepToken), "dpop.as-nonce", check.Warn) {
			t.Errorf("token step: %+v", h.step(t, StepToken).Checks)
		}
	})
	t.Run("MCP server", func(t *testing.T) {
		d := &fakeDPoP{algs: []string{"ES256"}, rsNonce: "n", rsLoop: true}
		f := (&fake{dpop: d}).start(t)
		// One handshake message (initialize), not server/discover with
		// the SDK's fallback to initialize after it.
		h, err := dpopWalk(t, f, Config{ProtocolVersion: "2025-11-25"})
		if err == nil {
			t.Fatal("the walk succeeded against a server refusing every request")
		}
		if _, rp, _, _ := d.seen(); len(rp) != 2 {
			t.Errorf("%d MCP requests, want exactly 2 (the initialize and its one retry)", len(rp))
		}
		if got := h.step(t, StepConnect); !hasCheck(got, "dpop.rs-nonce", check.Warn) || got.Status != StatusFail {
			t.Errorf("connect step %s: %+v", got.Status, got.Checks)
		}
		if n := len(f.authReq); n != 1 {
			t.Errorf("%d authorizations: a nonce demand must not start a new login", n)
		}
	})
}

// The DPoP modes and what the servers say: an authorization server that
// ignores the proof (Bearer token, sent as Bearer), a resource requiring
// DPoP-bound tokens, --dpop never and --dpop always.
func TestDPoPModes(t *testing.T) {
	tests := []struct {
		name    string
		dpop    *fakeDPoP
		mode    string
		ok      bool
		proofs  bool     // token requests carried proofs
		scheme  string   // what the MCP requests used
		want    []string // step:check:status that must be there
		refused []string // step:check that must not be there
	}{
		{name: "AS ignores the proof", dpop: &fakeDPoP{algs: []string{"ES256"}, bearer: true}, ok: true, proofs: true, scheme: "Bearer",
			want: []string{"token:dpop.token-not-bound:warn"}, refused: []string{"token:dpop.token-bound"}},
		{name: "AS ignores the proof, resource requires DPoP", dpop: &fakeDPoP{algs: []string{"ES256"}, bearer: true, required: true}, proofs: true,
			want: []string{"asmeta:dpop.required:pass", "token:dpop.token-not-bound:fail"}},
		{name: "resource requires DPoP, AS does not advertise it", dpop: &fakeDPoP{required: true}, ok: true, proofs: true, scheme: "DPoP",
			want: []string{"asmeta:dpop.required:warn", "token:dpop.token-bound:pass"}},
		{name: "not advertised: Bearer, silently", dpop: &fakeDPoP{}, ok: true, scheme: "Bearer", refused: []string{"asmeta:dpop.in-use", "asmeta:dpop.unsupported"}},
		{name: "only algorithms mcpwalk does not sign", dpop: &fakeDPoP{algs: []string{"EdDSA", "none"}}, ok: true, scheme: "Bearer",
			want: []string{"asmeta:dpop.unsupported:info", "asmeta:dpop.algs-invalid:warn"}},
		{name: "--dpop never", dpop: &fakeDPoP{algs: []string{"ES256"}}, mode: DPoPNever, ok: true, scheme: "Bearer", refused: []string{"asmeta:dpop.in-use"}},
		{name: "--dpop always, not advertised", dpop: &fakeDPoP{}, mode: DPoPAlways, want: []string{"asmeta:dpop.unsupported:fail"}},
		{name: "--dpop always, advertised", dpop: &fakeDPoP{algs: []string{"ES256"}}, mode: DPoPAlways, ok: true, proofs: true, scheme: "DPoP",
			want: []string{"asmeta:dpop.in-use:pass"}},
		{name: "the resource shows no sign of DPoP", dpop: &fakeDPoP{algs: []string{"ES256"}, silent: true}, ok: true, scheme: "Bearer",
			want: []string{"asmeta:dpop.resource-silent:info"}, refused: []string{"asmeta:dpop.in-use"}},
		{name: "--dpop always, the resource knows no DPoP", dpop: &fakeDPoP{algs: []string{"ES256"}, bearerOnly: true}, mode: DPoPAlways,
			proofs: true, scheme: "DPoP", want: []string{"asmeta:dpop.in-use:pass", "connect:dpop.resource-refused:fail"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.dpop
			f := (&fake{dpop: d}).start(t)
			h, err := dpopWalk(t, f, Config{DPoP: tt.mode})
			if (err == nil) != tt.ok {
				t.Fatalf("walk error %v, want ok=%v", err, tt.ok)
			}
			tokenProofs, _, schemes, errs := d.seen()
			if len(errs) > 0 {
				t.Errorf("proofs refused: %v", errs)
			}
			if (len(tokenProofs) > 0) != tt.proofs {
				t.Errorf("%d token request proofs, want proofs=%v", len(tokenProofs), tt.proofs)
			}
			for _, s := range schemes {
				if s != tt.scheme {
					t.Errorf("MCP requests used %v, want only %s", schemes, tt.scheme)
					break
				}
			}
			if tt.scheme != "" && len(schemes) == 0 {
				t.Errorf("no authenticated MCP request")
			}
			for _, w := range tt.want {
				p := strings.Split(w, ":")
				if !hasCheck(h.step(t, p[0]), p[1], check.Status(p[2])) {
					t.Errorf("no %s at %s: %+v", w, p[0], h.step(t, p[0]).Checks)
				}
			}
			if n := len(f.authReq); n > 1 {
				t.Errorf("%d authorizations: no refusal here is one a new login could fix", n)
			}
			for _, w := range tt.refused {
				p := strings.Split(w, ":")
				for _, c := range h.step(t, p[0]).Checks {
					if c.ID == p[1] {
						t.Errorf("unexpected %s at %s: %s", c.ID, p[0], c.Message)
					}
				}
			}
		})
	}
}

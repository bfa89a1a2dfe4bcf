package flow

import (
	"fmt"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// dpopMode is Config.DPoP with the default filled in.
func (e *Engine) dpopMode() string {
	if e.cfg.DPoP == "" {
		return DPoPAuto
	}
	return e.cfg.DPoP
}

// dpopRequired reports whether the resource demands DPoP-bound tokens
// (PRM dpop_bound_access_tokens_required, RFC 9728 §2).
func (e *Engine) dpopRequired() bool {
	return e.prm != nil && e.prm.Metadata != nil && e.prm.Metadata.DPoPBoundAccessTokensRequired
}

// chooseDPoP decides, once the authorization server's metadata is known,
// whether this walk sends DPoP proofs, and grades what the authorization
// server and the resource say about DPoP. It runs again on rediscovery:
// another authorization server is decided afresh.
func (e *Engine) chooseDPoP(s *stepCtx) {
	e.dpop.disable()
	mode, required := e.dpopMode(), e.dpopRequired()
	asAlgs := e.as.DPoPSigningAlgValuesSupported
	var rsAlgs []string
	if e.prm != nil && e.prm.Metadata != nil {
		rsAlgs = e.prm.Metadata.DPoPSigningAlgValuesSupported
	}
	if bad := unsafeDPoPAlgs(asAlgs); len(bad) > 0 {
		s.add(check.New("dpop.algs-invalid", check.Warn, specDPoPMetadata+"; "+specDPoPProof,
			"List only asymmetric JWS algorithms (ES256, RS256, …) in dpop_signing_alg_values_supported: never none or an HMAC.",
			"dpop_signing_alg_values_supported lists %q, which no DPoP proof may use", strings.Join(bad, " ")))
	}
	alg := pickDPoPAlg(asAlgs, rsAlgs)
	switch {
	case mode == DPoPNever:
		if required {
			s.add(check.New("dpop.required", check.Warn, specDPoPRequired, "Drop --dpop never: this resource accepts only DPoP-bound tokens.",
				"--dpop never, but the resource requires DPoP-bound access tokens (dpop_bound_access_tokens_required): expect it to refuse the Bearer token"))
		}
		return
	case alg == "" && mode == DPoPAlways:
		s.add(check.New("dpop.unsupported", check.Fail, specDPoPMetadata,
			"Advertise DPoP in the authorization server metadata (dpop_signing_alg_values_supported with ES256), or run without --dpop always.",
			"--dpop always: the authorization server lists no DPoP algorithm mcpwalk signs (%s) in dpop_signing_alg_values_supported %q",
			strings.Join(dpopAlgs, ", "), asAlgs))
		return
	case alg == "" && required:
		// A client cannot know whether an authorization server supports
		// DPoP before trying (RFC 9449 §5): with the resource demanding
		// it, proofs are worth sending; token_type says what happened.
		alg = dpopAlgs[0]
		s.add(check.New("dpop.required", check.Warn, specDPoPRequired+"; "+specDPoPMetadata,
			"Advertise DPoP at the authorization server (dpop_signing_alg_values_supported), since the resource requires DPoP-bound tokens.",
			"the resource requires DPoP-bound access tokens, but the authorization server does not advertise DPoP (dpop_signing_alg_values_supported %q): sending %s proofs anyway",
			asAlgs, alg))
	case alg == "" && len(asAlgs) > 0:
		s.add(check.New("dpop.unsupported", check.Info, specDPoPMetadata, "",
			"the authorization server lists DPoP algorithms %q, none of which mcpwalk signs (%s): tokens stay Bearer tokens",
			asAlgs, strings.Join(dpopAlgs, ", ")))
		return
	case alg == "":
		return // nobody speaks of DPoP: Bearer tokens, nothing to say
	case mode != DPoPAlways && !required && len(rsAlgs) == 0 && !e.dpop.wasOffered():
		// A DPoP-bound token is of no use at a resource that cannot check
		// proofs, and must not be sent there as Bearer (RFC 9449 §7.2).
		s.add(check.New("dpop.resource-silent", check.Info, specDPoPRequired+"; "+specDPoPResource,
			"If the MCP server accepts DPoP, say so: a DPoP challenge (WWW-Authenticate: DPoP algs=…) or dpop_signing_alg_values_supported in its metadata.",
			"the authorization server supports DPoP (%q), but the MCP server shows no sign of it (a Bearer challenge, no DPoP in its metadata): tokens stay Bearer tokens; --dpop always uses DPoP anyway",
			asAlgs))
		return
	case required:
		s.add(check.New("dpop.required", check.Pass, specDPoPRequired, "",
			"the resource requires DPoP-bound access tokens and the authorization server supports DPoP"))
	}
	if len(rsAlgs) > 0 && !contains(rsAlgs, alg) {
		s.add(check.New("dpop.rs-alg", check.Warn, specDPoPRequired,
			"List the same DPoP algorithms at the resource (PRM dpop_signing_alg_values_supported) as at the authorization server.",
			"the resource accepts DPoP proofs signed with %q only; the authorization server and mcpwalk share %s, which the resource may refuse",
			rsAlgs, alg))
	}
	e.dpop.enable(alg)
	why := fmt.Sprintf("the authorization server lists %q", asAlgs)
	if mode == DPoPAlways {
		why += ", --dpop always"
	}
	s.add(check.New("dpop.in-use", check.Pass, specDPoP, "",
		"DPoP: %s proofs with every token request and every request to the MCP server (%s)", alg, why))
}

// unsafeDPoPAlgs are the listed algorithms no proof may use (RFC 9449
// §4.2: asymmetric only, never none or a MAC).
func unsafeDPoPAlgs(algs []string) []string {
	var bad []string
	for _, a := range algs {
		if strings.EqualFold(a, "none") || strings.HasPrefix(strings.ToUpper(a), "HS") {
			bad = append(bad, a)
		}
	}
	return bad
}

// checkDPoPToken grades a token response to a request that carried a
// proof, and binds the token when it is a DPoP token. It reports whether
// the token is bound (and so is presented with the DPoP scheme).
func (e *Engine) checkDPoPToken(s *stepCtx, tokenType, accessToken string) bool {
	if !e.dpop.active() {
		return false
	}
	if !strings.EqualFold(tokenType, "DPoP") {
		st, fix := check.Warn, "Bind the token to the proof's key and answer token_type \"DPoP\" (or stop advertising dpop_signing_alg_values_supported)."
		if e.dpopRequired() {
			st, fix = check.Fail, "The resource accepts only DPoP-bound tokens: the authorization server must bind them (token_type \"DPoP\", cnf.jkt)."
		}
		s.add(check.New("dpop.token-not-bound", st, specDPoPToken, fix,
			"the token request carried a DPoP proof, but token_type is %q: the authorization server ignored the proof, the token is not bound to a key and is sent as a Bearer token",
			tokenType))
		return false
	}
	e.dpop.bind(accessToken)
	k := e.dpop.currentKey()
	s.add(check.New("dpop.token-bound", check.Pass, specDPoPToken, "",
		"token_type DPoP: the token is bound to the walk's %s key (jkt %s) and is presented with the DPoP scheme and a proof", k.Alg(), k.Thumbprint()))
	_, c, err := DecodeJWT(accessToken)
	switch {
	case err != nil:
		// Opaque: the binding is for the authorization server to tell
		// the resource (introspection, RFC 9449 §6.2).
	case c.Confirmation == nil || c.Confirmation.JKT == "":
		s.add(check.New("dpop.jkt", check.Info, specDPoPBinding, "Put the key's thumbprint in the JWT access token as cnf.jkt.",
			"the JWT access token has no cnf.jkt: the resource cannot see which key it is bound to without asking the authorization server"))
	case c.Confirmation.JKT != k.Thumbprint():
		s.add(check.New("dpop.jkt", check.Warn, specDPoPBinding, "Bind the token to the thumbprint of the proof's jwk (RFC 7638, SHA-256).",
			"cnf.jkt %q is not the thumbprint of the key that signed the proof (%s): the resource will refuse every proof", c.Confirmation.JKT, k.Thumbprint()))
	default:
		s.add(check.New("dpop.jkt", check.Pass, specDPoPBinding, "", "cnf.jkt is the thumbprint of the walk's key"))
	}
	return true
}

// dpopKeyToStore is the PEM of the key to keep with a token: when the
// token is bound to it, or proofs were sent for it (a refresh token may be
// bound even when the access token came back Bearer). "" otherwise.
func (e *Engine) dpopKeyToStore(accessToken string) string {
	k := e.dpop.currentKey()
	if k == nil || !e.dpop.isBound(accessToken) && !e.dpop.active() {
		return ""
	}
	pem, err := k.PEM()
	if err != nil {
		return ""
	}
	e.deps.Secrets.Secret(pem)
	return pem
}

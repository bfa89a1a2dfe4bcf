package record

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// Mask replaces every secret mcpwalk shows.
const Mask = "[redacted]"

// secretNames are parameter and JSON member names whose values are secrets
// in OAuth and MCP traffic.
var secretNames = map[string]bool{
	"access_token": true, "refresh_token": true, "id_token": true,
	"code": true, "code_verifier": true, "client_secret": true,
	"registration_access_token": true, "client_assertion": true,
	"assertion": true, "subject_token": true, "actor_token": true,
	"private_key_pem": true, "password": true, "dpop_key": true,
}

// secretHeaders carry credentials (a session id is one too: whoever holds
// it can speak in the session); their values are masked (the auth
// scheme is kept, because which scheme was sent is worth seeing).
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "Mcp-Session-Id"}

// maskProof keeps a DPoP proof's header and claims and masks its
// signature. The proof holds no secret — a public key, the method and URL,
// a nonce, and ath, a hash of the token — and those are what a debugger
// needs to see; but the whole proof is a credential for one request to
// one URL until it expires, so what is shown can never be replayed.
func maskProof(v string) string {
	if i := strings.LastIndexByte(v, '.'); i > 0 && strings.Count(v, ".") == 2 {
		return v[:i+1] + Mask
	}
	return Mask
}

// Redactor scrubs secrets by name (headers, query and form parameters, JSON
// members) and by value (every secret the engine has learnt, wherever it
// appears). With Reveal set it scrubs nothing: the user asked to see them.
type Redactor struct {
	Reveal bool

	mu     sync.RWMutex
	values map[string]bool
}

// NewRedactor returns a redactor; reveal disables it.
func NewRedactor(reveal bool) *Redactor {
	return &Redactor{Reveal: reveal, values: map[string]bool{}}
}

// Secret registers a value to be masked wherever it shows up. Values
// shorter than 6 characters are ignored: masking them would shred
// unrelated text.
func (r *Redactor) Secret(v string) {
	if r == nil || len(v) < 6 {
		return
	}
	r.mu.Lock()
	r.values[v] = true
	r.mu.Unlock()
}

// String masks every registered secret value in s.
func (r *Redactor) String(s string) string {
	if r == nil || r.Reveal || s == "" {
		return s
	}
	r.mu.RLock()
	vals := make([]string, 0, len(r.values))
	for v := range r.values {
		vals = append(vals, v)
	}
	r.mu.RUnlock()
	// Longest first, so a secret that contains another is masked whole.
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	for _, v := range vals {
		s = strings.ReplaceAll(s, v, Mask)
	}
	return s
}

// URL masks secret query parameters of a URL string, then known values.
func (r *Redactor) URL(raw string) string {
	if r == nil || r.Reveal {
		return raw
	}
	u, err := url.Parse(raw)
	if err == nil && u.RawQuery != "" {
		q := u.Query()
		changed := false
		for k := range q {
			if secretNames[strings.ToLower(k)] {
				q[k] = []string{Mask}
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
			raw = u.String()
		}
	}
	return r.String(raw)
}

// Header masks credential headers in place and URLs in Location.
func (r *Redactor) Header(h http.Header) {
	if r == nil || r.Reveal || h == nil {
		return
	}
	for _, name := range secretHeaders {
		vs := h.Values(name)
		if len(vs) == 0 {
			continue
		}
		masked := make([]string, len(vs))
		for i, v := range vs {
			if scheme, _, ok := strings.Cut(v, " "); ok && name != "Cookie" && name != "Set-Cookie" {
				masked[i] = scheme + " " + Mask
			} else {
				masked[i] = Mask
			}
		}
		h[http.CanonicalHeaderKey(name)] = masked
	}
	if vs := h.Values("Dpop"); len(vs) > 0 {
		masked := make([]string, len(vs))
		for i, v := range vs {
			masked[i] = maskProof(v)
		}
		h["Dpop"] = masked
	}
	if loc := h.Get("Location"); loc != "" {
		h.Set("Location", r.URL(loc))
	}
	for k, vs := range h {
		for i := range vs {
			vs[i] = r.String(vs[i])
		}
		h[k] = vs
	}
}

// Exchange scrubs the URL and headers of ex; bodies go through Body.
func (r *Redactor) Exchange(ex *Exchange) {
	if r == nil || r.Reveal {
		return
	}
	ex.URL = r.URL(ex.URL)
	r.Header(ex.RequestHeaders)
	r.Header(ex.ResponseHeaders)
	ex.Error = r.String(ex.Error)
}

// Body renders a captured body as text, masking secret members of JSON and
// form bodies, then every registered value.
func (r *Redactor) Body(raw []byte, contentType string) string {
	if len(raw) == 0 {
		return ""
	}
	s := string(raw)
	if r == nil || r.Reveal {
		return s
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		if q, err := url.ParseQuery(s); err == nil {
			for k := range q {
				if secretNames[strings.ToLower(k)] {
					q[k] = []string{Mask}
				}
			}
			s = q.Encode()
		}
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		var v any
		if json.Unmarshal(raw, &v) == nil {
			if b, err := json.Marshal(maskJSON(v)); err == nil {
				s = string(b)
			}
		}
	}
	return r.String(s)
}

func maskJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if secretNames[strings.ToLower(k)] {
				if _, isStr := val.(string); isStr {
					t[k] = Mask
					continue
				}
			}
			t[k] = maskJSON(val)
		}
	case []any:
		for i := range t {
			t[i] = maskJSON(t[i])
		}
	}
	return v
}

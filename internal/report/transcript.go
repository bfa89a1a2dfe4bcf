package report

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/mcpwalk/mcpwalk/internal/findings"
	"github.com/mcpwalk/mcpwalk/internal/record"
)

// Transcript prints each step as it ends: what was sent, what came back,
// what was checked and the outcome. It is a flow.Observer.
type Transcript struct {
	W io.Writer
	// Verbose prints every header and whole bodies.
	Verbose bool
	// MaxBodyLines caps a body's lines when not verbose (default 30).
	MaxBodyLines int

	mu sync.Mutex
}

var requestHeaders = []string{"Content-Type", "Accept", "Authorization", "Dpop", "Mcp-Protocol-Version", "Mcp-Session-Id", "Mcp-Method"}
var responseHeaders = []string{"Content-Type", "Www-Authenticate", "Dpop-Nonce", "Location", "Cache-Control", "Mcp-Session-Id"}

// Observe prints one event.
func (t *Transcript) Observe(ev flow.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch ev.Kind {
	case flow.EventStepEnd:
		t.step(ev.Result)
	case flow.EventNote:
		fmt.Fprintf(t.W, "   … %s\n", ev.Note)
	case flow.EventAuthURL:
		fmt.Fprintf(t.W, "   … authorization URL: %s\n", ev.Note)
	}
}

func (t *Transcript) step(r *flow.StepResult) {
	label := r.ID
	if r.Attempt > 1 {
		label = fmt.Sprintf("%s (attempt %d)", r.ID, r.Attempt)
	}
	fmt.Fprintf(t.W, "\n== %s — %s\n", label, r.Title)
	for _, ex := range r.Exchanges {
		t.exchange(ex)
	}
	for _, c := range r.Checks {
		fmt.Fprintf(t.W, "   %s %s: %s\n", checkMark(c.Status), c.ID, c.Message)
		if c.Status != check.Pass {
			if c.Spec != "" {
				fmt.Fprintf(t.W, "         rule: %s\n", c.Spec)
			}
			if c.Fix != "" {
				fmt.Fprintf(t.W, "         fix:  %s\n", c.Fix)
			}
		}
	}
	fmt.Fprintf(t.W, "   %s %s (%d ms)", strings.ToUpper(string(r.Status)), label, r.DurationMS)
	if r.Summary != "" {
		fmt.Fprintf(t.W, ": %s", r.Summary)
	}
	fmt.Fprintln(t.W)
	if r.Error != "" {
		fmt.Fprintf(t.W, "   error: %s\n", r.Error)
		if r.Fix != "" {
			fmt.Fprintf(t.W, "   fix:   %s\n", r.Fix)
		}
	}
}

func checkMark(s check.Status) string {
	switch s {
	case check.Pass:
		return "[pass]"
	case check.Info:
		return "[info]"
	case check.Warn:
		return "[warn]"
	}
	return "[FAIL]"
}

func (t *Transcript) exchange(ex record.Exchange) {
	fmt.Fprintf(t.W, "   → %s %s\n", ex.Method, ex.URL)
	t.headers(ex.RequestHeaders, requestHeaders)
	t.body(ex.RequestBody)
	if ex.Error != "" {
		fmt.Fprintf(t.W, "   ← no response (%d ms): %s\n", ex.DurationMS, ex.Error)
		return
	}
	fmt.Fprintf(t.W, "   ← %d %s (%d ms)\n", ex.Status, http.StatusText(ex.Status), ex.DurationMS)
	t.headers(ex.ResponseHeaders, responseHeaders)
	t.body(ex.ResponseBody)
	if ex.Truncated {
		fmt.Fprintf(t.W, "     (body truncated)\n")
	}
}

func (t *Transcript) headers(h http.Header, relevant []string) {
	names := relevant
	if t.Verbose {
		names = make([]string, 0, len(h))
		for k := range h {
			names = append(names, k)
		}
		sort.Strings(names)
	}
	for _, k := range names {
		for _, v := range h.Values(k) {
			if http.CanonicalHeaderKey(k) == "Dpop" {
				v = describeProof(v)
			}
			fmt.Fprintf(t.W, "     %s: %s\n", displayName(k), v)
		}
	}
}

// describeProof shows a DPoP proof as what it says: its type, algorithm
// and claims (htm, htu, iat, jti, ath, nonce); the recorder has already
// masked the signature. Anything else is shown as it came.
func describeProof(v string) string {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return v
	}
	var hdr struct{ Typ, Alg string }
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	cb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	var claims bytes.Buffer
	if err1 != nil || err2 != nil || json.Unmarshal(hb, &hdr) != nil || json.Compact(&claims, cb) != nil {
		return v
	}
	return fmt.Sprintf("%s %s %s (signature %s)", hdr.Typ, hdr.Alg, claims.String(), parts[2])
}

func (t *Transcript) body(b string) {
	if b == "" {
		return
	}
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(b), "", "  ") == nil {
		b = buf.String()
	}
	lines := strings.Split(strings.TrimRight(b, "\n"), "\n")
	max := t.MaxBodyLines
	if max <= 0 {
		max = 30
	}
	cut := 0
	if !t.Verbose && len(lines) > max {
		cut = len(lines) - max
		lines = lines[:max]
	}
	for _, l := range lines {
		fmt.Fprintf(t.W, "     | %s\n", l)
	}
	if cut > 0 {
		fmt.Fprintf(t.W, "     | … %d more lines (--verbose shows all)\n", cut)
	}
}

// Summary prints the closing lines: the outcome and the error findings.
func Summary(w io.Writer, r Report) {
	counts := map[string]int{}
	for _, f := range r.Findings {
		counts[f.Severity]++
	}
	verdict := "OK"
	if !r.OK {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "\n%s: %s — %d error(s), %d warning(s), %d note(s)\n", verdict, r.Server, counts["error"], counts["warning"], counts["info"])
	for _, f := range r.Findings {
		if f.Severity == "error" {
			fmt.Fprintf(w, "  error %s [%s]: %s\n", f.ID, f.Step, f.Message)
			if who := findings.WhoBreaks(f.ID); who != "" {
				fmt.Fprintf(w, "        clients: %s (mcpwalk explain %s)\n", who, f.ID)
			}
		}
	}
}

// displayName spells headers the way the specs do, where Go's canonical
// form differs.
func displayName(k string) string {
	switch c := http.CanonicalHeaderKey(k); c {
	case "Www-Authenticate":
		return "WWW-Authenticate"
	case "Mcp-Protocol-Version":
		return "MCP-Protocol-Version"
	case "Dpop":
		return "DPoP"
	case "Dpop-Nonce":
		return "DPoP-Nonce"
	default:
		return c
	}
}

// Package findings is the catalogue of every check id mcpwalk can emit:
// what the rule is and where it is written, why it exists, which clients
// break on it and how to fix it on common servers and identity providers.
// `mcpwalk explain` prints it; report summaries use Clients to say whom a
// problem breaks. A test keeps it in step with the code: every id the code
// emits has an entry, and every entry is emitted somewhere.
package findings

import (
	"sort"
	"strings"
	"sync"
)

// Severity is a finding's default severity, in report vocabulary.
type Severity string

const (
	// Error: a MUST is broken; a strict client stops here.
	Error Severity = "error"
	// Warning: a SHOULD is broken, or a MUST mcpwalk could work around.
	Warning Severity = "warning"
	// Info: an interop note; nothing is wrong.
	Info Severity = "info"
	// Pass: the id only ever records a rule that held (it is listed so
	// that every id in a transcript can be explained).
	Pass Severity = "pass"
)

// Finding explains one check id.
type Finding struct {
	// ID is the stable check id ("prm.resource-mismatch").
	ID string `json:"id"`
	// Title is one line saying what is wrong (or, for Pass, what held).
	Title string `json:"title"`
	// Severity is the usual severity when the check does not pass; some
	// checks are downgraded in context (the message says so).
	Severity Severity `json:"severity"`
	// Rules are where the rule is written: MCP revision and section, RFC
	// and section, most specific first.
	Rules []string `json:"rules"`
	// Why says what the rule protects and why it exists.
	Why string `json:"why"`
	// Breaks says what goes wrong in clients when the rule is broken.
	Breaks string `json:"breaks,omitempty"`
	// Clients says which kinds of clients refuse and which tolerate it.
	Clients Clients `json:"clients"`
	// Fix is the general fix.
	Fix string `json:"fix,omitempty"`
	// Providers are fixes for specific servers and identity providers.
	Providers []ProviderFix `json:"providers,omitempty"`
}

// Clients says whom a finding breaks.
type Clients struct {
	// Refuse lists kinds of clients that stop on this problem.
	Refuse []string `json:"refuse,omitempty"`
	// Tolerate lists kinds of clients that carry on regardless.
	Tolerate []string `json:"tolerate,omitempty"`
}

// ProviderFix is how to fix a finding on one product.
type ProviderFix struct {
	// Provider names the server, SDK or identity provider.
	Provider string `json:"provider"`
	// Fix says what to change there.
	Fix string `json:"fix"`
}

// Kinds of clients, named the same way in every entry.
const (
	strictClients  = "strict spec clients (2025-11-25 and later rules)"
	goSDK          = "Go SDK v1.8 client"
	tsSDK1         = "TypeScript SDK 1.x client"
	tsSDK2         = "TypeScript SDK v2 client"
	vscode         = "VS Code"
	inspector      = "MCP Inspector"
	browserClients = "browser-based clients (web inspectors, in-browser agents)"
	cliClients     = "CLI and desktop clients"
	hostedClients  = "hosted clients that probe for OAuth"
	dcrOnly        = "clients that only know dynamic registration (mcp-remote, several desktop clients)"
	mostClients    = "most clients (the problem surfaces as an opaque error)"
)

// Summary says in one line whom the finding breaks, "" when unknown.
func (c Clients) Summary() string {
	var parts []string
	if len(c.Refuse) > 0 {
		parts = append(parts, "refused by "+strings.Join(c.Refuse, ", "))
	}
	if len(c.Tolerate) > 0 {
		parts = append(parts, "tolerated by "+strings.Join(c.Tolerate, ", "))
	}
	return strings.Join(parts, "; ")
}

// Family is the part of the id before the first dot: the step family
// ("prm", "probes", "discovery").
func (f Finding) Family() string {
	fam, _, _ := strings.Cut(f.ID, ".")
	return fam
}

// families lists every entry table; one file per step family.
var families = [][]Finding{
	probeFindings, prmFindings, asmetaFindings, discoveryFindings, storedFindings, registerFindings,
	authorizeFindings, tokenFindings, connectFindings, callsFindings, skillsFindings, probesFindings,
	probesASFindings, probesHTTPFindings, failedFindings, dpopFindings, dpopProbeFindings,
}

var index = sync.OnceValue(func() map[string]Finding {
	m := map[string]Finding{}
	for _, fam := range families {
		for _, f := range fam {
			if _, dup := m[f.ID]; !dup {
				m[f.ID] = f
			}
		}
	}
	return m
})

// Lookup returns the entry for id.
func Lookup(id string) (Finding, bool) {
	f, ok := index()[id]
	return f, ok
}

// Families returns the family names (the part of an id before the dot).
func Families() []string {
	set := map[string]bool{}
	for _, f := range All() {
		set[f.Family()] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Family returns the entries of one family, sorted by id.
func Family(name string) []Finding {
	var out []Finding
	for _, f := range All() {
		if f.Family() == name {
			out = append(out, f)
		}
	}
	return out
}

// All returns every entry, sorted by id.
func All() []Finding {
	m := index()
	out := make([]Finding, 0, len(m))
	for _, f := range m {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Similar returns up to max ids close to query, closest first, for "did
// you mean" hints: by edit distance, with ids containing the query (or
// contained in it) counted as close.
func Similar(query string, max int) []string {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" || max <= 0 {
		return nil
	}
	type scored struct {
		id    string
		score int
	}
	var cands []scored
	for id := range index() {
		score := distance(q, id)
		_, name, _ := strings.Cut(id, ".")
		switch {
		case strings.Contains(id, q), strings.Contains(q, id):
			score = min(score, 2)
		case len(name) > 3 && strings.Contains(q, name):
			score = min(score, (len(q)-len(name))/2+1)
		}
		if score <= len(q)/3+2 {
			cands = append(cands, scored{id, score})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score < cands[j].score
		}
		return cands[i].id < cands[j].id
	})
	out := []string{}
	for _, c := range cands {
		if len(out) == max {
			break
		}
		out = append(out, c.id)
	}
	return out
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// WhoBreaks says in one line which kinds of clients refuse and which
// tolerate the finding id, "" when the id is unknown or nobody is named;
// report summaries print it under error findings.
func WhoBreaks(id string) string {
	f, ok := Lookup(id)
	if !ok {
		return ""
	}
	return f.Clients.Summary()
}

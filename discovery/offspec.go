package discovery

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Where discovery goes wrong in the field, beyond a missing or wrong
// document: metadata served at a URL clients never build (a suffix
// appended to the path instead of inserted after the host, or the root
// for an issuer with a path), a miss answered with something other than
// 404 before the document that was found, and a redirect the SSRF guard
// refused while discovery went on elsewhere.

// Off-spec sources, recorded as Candidate.Source of the extra attempts.
const (
	SourceOffSpecSuffix = "off-spec-suffix" // PRM: <MCP URL>/.well-known/oauth-protected-resource
	SourceOffSpecAppend = "off-spec-append" // AS: <issuer>/.well-known/oauth-authorization-server
	SourceOffSpecRoot   = "off-spec-root"   // AS: the root URL for an issuer with a path
)

const specFallback = "RFC 9728 §3.1; RFC 8414 §3.1; MCP 2025-11-25 Authorization §Protected Resource Metadata Discovery Requirements, §Authorization Server Metadata Discovery"

// offSpecPRM is where some servers put the PRM of an MCP endpoint with a
// path: the well-known suffix appended to the path.
func offSpecPRM(mcpURL string) []Candidate {
	o, u, ok := origin(mcpURL)
	if !ok {
		return nil
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	if path == "" {
		return nil
	}
	return []Candidate{{URL: o + path + wellKnownPRM, Expect: mcpURL, Source: SourceOffSpecSuffix}}
}

// offSpecAS is where some authorization servers with a path in their
// issuer put their metadata: the RFC 8414 suffix appended to the issuer,
// or the root of the host.
func offSpecAS(issuer string) []Candidate {
	o, u, ok := origin(issuer)
	if !ok {
		return nil
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	if path == "" {
		return nil
	}
	return []Candidate{
		{URL: o + path + wellKnownOAS, Expect: issuer, Source: SourceOffSpecAppend},
		{URL: o + wellKnownOAS, Expect: issuer, Source: SourceOffSpecRoot},
	}
}

// offSpec is one off-spec lookup: what is looked for, where clients look
// (tried; want is where it belongs) and where else it may be (off).
type offSpec struct {
	id, what  string
	tried     []Candidate
	want      string
	off       []Candidate
	serverURL string   // for the SSRF guard
	looks     []string // members that make a JSON object look like the document
}

// probeOffSpec, after every candidate failed, looks at the off-spec
// locations and reports as id (an error) a JSON document found there that has
// one of the members named in looks. The attempts are recorded, never
// accepted: clients do not look there.
func (f *Fetcher) probeOffSpec(ctx context.Context, l *check.List, attempts *[]Attempt, id string, o offSpec) {
	answered := false
	for _, a := range *attempts {
		answered = answered || a.Status != 0
	}
	if !answered {
		return // nothing answered at all (unreachable, or refused by the SSRF guard): nothing to learn elsewhere
	}
	for _, c := range o.off {
		if ctx.Err() != nil {
			return
		}
		_, raw, status, ct, err := getJSONGuarded[map[string]any](ctx, f, c.URL, o.serverURL)
		a := Attempt{Candidate: c, Status: status, ContentType: ct, Reason: "not a location clients try"}
		if err != nil {
			a.Reason += "; " + reasonOf(err)
		}
		*attempts = append(*attempts, a)
		if err != nil || !hasAny(raw, o.looks) {
			continue
		}
		urls := make([]string, len(o.tried))
		for i, t := range o.tried {
			urls[i] = t.URL
		}
		l.Addf(id, check.Fail, specFallback,
			fmt.Sprintf("Serve the document at %s (as well, if other clients rely on %s)", o.want, c.URL),
			"%s is served at %s (%s), where MCP clients do not look; they try %s", o.what, c.URL, describeSource(c.Source), strings.Join(urls, ", "))
	}
}

func hasAny(raw map[string]any, keys []string) bool {
	for _, k := range keys {
		if _, ok := raw[k]; ok {
			return true
		}
	}
	return false
}

// checkFallbacks flags, when a document was accepted, every well-known
// candidate before it that answered something other than "not here"
// (404 or 410): clients that go on to the next URL only after a 404 stop
// at such an answer. The header candidate has a finding of its own.
func checkFallbacks(l *check.List, id string, as []Attempt) {
	var accepted *Attempt
	for i := range as {
		if as[i].Accepted {
			accepted = &as[i]
		}
	}
	if accepted == nil {
		return
	}
	for _, a := range as {
		if a.Accepted {
			return
		}
		notHere := a.Status == 0 || a.Status == http.StatusNotFound || a.Status == http.StatusGone
		// A JSON document that is there but unusable (too large, invalid)
		// is not a miss; a 200 HTML page (a catch-all route) is.
		broken := a.Status == http.StatusOK && isJSONMediaType(a.ContentType)
		if a.Source == SourceHeader || notHere || broken || isMismatch(a) {
			continue
		}
		l.Addf(id, check.Warn, specFallback,
			fmt.Sprintf("Answer %s with 404 Not Found (and no body that looks like a document) when nothing is served there; a CDN or an auth middleware in front of /.well-known must let 404s through", a.URL),
			"%s (%s) answered %d %s, expected 404 when nothing is there: clients that try the next URL only after a 404 stop here; the metadata was found at %s",
			a.URL, describeSource(a.Source), a.Status, orNone(a.ContentType), accepted.URL)
	}
}

// isMismatch reports whether the attempt got a document that named the
// wrong resource or issuer (those have findings of their own).
func isMismatch(a Attempt) bool {
	return strings.HasPrefix(a.Reason, "resource ") || strings.HasPrefix(a.Reason, "issuer ")
}

// checkRefusedRedirects flags a fetch whose redirect the SSRF guard
// refused; discovery went on without it, so nothing else would say so.
func checkRefusedRedirects(l *check.List, as []Attempt) {
	for _, a := range as {
		if i := strings.Index(a.Reason, "redirect to "); i >= 0 && strings.Contains(a.Reason, "(SSRF guard)") {
			l.Addf(SSRFCheckID, check.Warn, specSSRF, fixSSRF, "%s (%s) redirected somewhere a client must not follow: %s",
				a.URL, describeSource(a.Source), a.Reason[i:])
		}
	}
}

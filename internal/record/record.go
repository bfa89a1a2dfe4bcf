// Package record keeps every HTTP exchange mcpwalk makes, per step, with
// bounded bodies and secrets redacted before anything leaves the package.
package record

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// DefaultMaxKeep is how much of each body an exchange keeps.
const DefaultMaxKeep = 64 << 10

// Exchange is one HTTP request and its response (or transport error), as
// shown to the user: bodies are capped and secrets already redacted.
type Exchange struct {
	Method          string      `json:"method"`
	URL             string      `json:"url"`
	RequestHeaders  http.Header `json:"request_headers,omitempty"`
	RequestBody     string      `json:"request_body,omitempty"`
	Status          int         `json:"status,omitempty"`
	ResponseHeaders http.Header `json:"response_headers,omitempty"`
	ResponseBody    string      `json:"response_body,omitempty"`
	// Truncated is set when a body was longer than what is kept.
	Truncated  bool   `json:"truncated,omitempty"`
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

// Collector gathers the exchanges of one step. Safe for concurrent use: the
// MCP SDK may read a streamed response on another goroutine.
type Collector struct {
	mu      sync.Mutex
	entries []*entry
}

type entry struct {
	mu      sync.Mutex
	ex      Exchange
	reqRaw  []byte
	respRaw []byte
	started time.Time
}

type collectorKey struct{}

// WithCollector makes requests sent with ctx record into c, overriding the
// recorder's current collector.
func WithCollector(ctx context.Context, c *Collector) context.Context {
	return context.WithValue(ctx, collectorKey{}, c)
}

// Recorder is an http.RoundTripper that records into the collector carried
// by the request context, else into the current one set with Begin.
type Recorder struct {
	Base    http.RoundTripper
	MaxKeep int
	// Redactor scrubs snapshots; nil means a fresh one with no known values.
	Redactor *Redactor

	mu    sync.Mutex
	stack []*Collector
}

// NewRecorder wraps base (http.DefaultTransport's clone when nil).
func NewRecorder(base http.RoundTripper, red *Redactor) *Recorder {
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	if red == nil {
		red = NewRedactor(false)
	}
	return &Recorder{Base: base, MaxKeep: DefaultMaxKeep, Redactor: red}
}

// Begin makes a new collector current until the matching End. Steps nest:
// a step-up authorization during an MCP call records into its own step.
func (r *Recorder) Begin() *Collector {
	c := &Collector{}
	r.mu.Lock()
	r.stack = append(r.stack, c)
	r.mu.Unlock()
	return c
}

// End pops c and returns its exchanges, redacted.
func (r *Recorder) End(c *Collector) []Exchange {
	r.mu.Lock()
	for i := len(r.stack) - 1; i >= 0; i-- {
		if r.stack[i] == c {
			r.stack = append(r.stack[:i], r.stack[i+1:]...)
			break
		}
	}
	r.mu.Unlock()
	return r.Snapshot(c)
}

func (r *Recorder) current(ctx context.Context) *Collector {
	if c, ok := ctx.Value(collectorKey{}).(*Collector); ok {
		return c
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.stack) == 0 {
		return nil
	}
	return r.stack[len(r.stack)-1]
}

// RoundTrip records req and its response. It never mutates req: the body is
// read from a clone and a fresh reader is handed on.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	c := r.current(req.Context())
	if c == nil {
		return r.Base.RoundTrip(req)
	}
	e := &entry{started: time.Now()}
	e.ex.Method = req.Method
	e.ex.URL = req.URL.String()
	e.ex.RequestHeaders = req.Header.Clone()
	out := req
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		out = req.Clone(req.Context())
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		e.reqRaw = keep(body, r.maxKeep(), &e.ex.Truncated)
	}
	c.mu.Lock()
	c.entries = append(c.entries, e)
	c.mu.Unlock()

	resp, err := r.Base.RoundTrip(out)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ex.DurationMS = time.Since(e.started).Milliseconds()
	if err != nil {
		e.ex.Error = err.Error()
		return nil, err
	}
	e.ex.Status = resp.StatusCode
	e.ex.ResponseHeaders = resp.Header.Clone()
	resp.Body = &tee{rc: resp.Body, e: e, max: r.maxKeep()}
	return resp, nil
}

func (r *Recorder) maxKeep() int {
	if r.MaxKeep <= 0 {
		return DefaultMaxKeep
	}
	return r.MaxKeep
}

func keep(b []byte, max int, truncated *bool) []byte {
	if len(b) > max {
		*truncated = true
		return append([]byte(nil), b[:max]...)
	}
	return append([]byte(nil), b...)
}

// tee copies what the consumer reads, up to max bytes, into the entry.
type tee struct {
	rc  io.ReadCloser
	e   *entry
	max int
}

func (t *tee) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	if n > 0 {
		t.e.mu.Lock()
		room := t.max - len(t.e.respRaw)
		switch {
		case room >= n:
			t.e.respRaw = append(t.e.respRaw, p[:n]...)
		case room > 0:
			t.e.respRaw = append(t.e.respRaw, p[:room]...)
			t.e.ex.Truncated = true
		default:
			t.e.ex.Truncated = true
		}
		t.e.mu.Unlock()
	}
	return n, err
}

func (t *tee) Close() error { return t.rc.Close() }

// Snapshot returns c's exchanges so far, redacted.
func (r *Recorder) Snapshot(c *Collector) []Exchange {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	entries := append([]*entry(nil), c.entries...)
	c.mu.Unlock()
	out := make([]Exchange, 0, len(entries))
	for _, e := range entries {
		e.mu.Lock()
		ex := e.ex
		ex.RequestHeaders = ex.RequestHeaders.Clone()
		ex.ResponseHeaders = ex.ResponseHeaders.Clone()
		reqCT := ex.RequestHeaders.Get("Content-Type")
		respCT := ex.ResponseHeaders.Get("Content-Type")
		ex.RequestBody = r.Redactor.Body(e.reqRaw, reqCT)
		ex.ResponseBody = r.Redactor.Body(e.respRaw, respCT)
		e.mu.Unlock()
		r.Redactor.Exchange(&ex)
		out = append(out, ex)
	}
	return out
}

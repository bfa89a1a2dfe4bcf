package discovery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// DefaultMaxBytes caps a metadata document when no cap is given (1 MiB).
const DefaultMaxBytes int64 = 1 << 20

// Fetcher fetches and validates discovery documents. The zero value uses
// http.DefaultClient; mcpwalk injects its recording client.
type Fetcher struct {
	// Client makes every request; its timeout and redirect policy apply.
	Client *http.Client
	// MaxBytes caps each document (DefaultMaxBytes when <= 0).
	MaxBytes int64
	// Header is added to every discovery request, for example
	// MCP-Protocol-Version on the 2025-03-26 path (MCP 2025-03-26
	// Authorization §Server Metadata Discovery: clients SHOULD send it).
	Header http.Header
}

// FetchError is a metadata fetch that did not yield a usable JSON object
// (RFC 9728 §3.2, RFC 8414 §3.2: 200 OK, application/json, a JSON object).
type FetchError struct {
	// URL is the URL requested.
	URL string
	// Status is the HTTP status, 0 when no response came back.
	Status int
	// ContentType is the Content-Type header as sent, "" when absent.
	ContentType string
	// Reason says what was expected and what came back.
	Reason string
	// Err is the underlying transport, read or decode error, if any.
	Err error
}

// Error reads "GET <url>: <reason>".
func (e *FetchError) Error() string {
	return "GET " + e.URL + ": " + e.Reason
}

// Unwrap returns the underlying error, if any.
func (e *FetchError) Unwrap() error { return e.Err }

// GetJSON fetches url with the injected client (its timeout and redirect
// policy apply) and decodes a JSON object into doc and into raw. It sends
// Accept: application/json plus hdr, and requires status 200, a Content-Type
// of application/json or */*+json (parsed with mime.ParseMediaType), a body
// of at most maxBytes (DefaultMaxBytes when <= 0; never read further) and a
// top-level JSON object. An https URL that ends on http after redirects is
// refused. Every failure is a *FetchError naming the URL, what was expected
// and what came back; status and contentType are returned either way.
func GetJSON[T any](ctx context.Context, c *http.Client, url string, maxBytes int64, hdr http.Header) (doc T, raw map[string]any, status int, contentType string, err error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if c == nil {
		c = http.DefaultClient
	}
	fail := func(reason string, cause error) error {
		return &FetchError{URL: url, Status: status, ContentType: contentType, Reason: reason, Err: cause}
	}
	if r := checkFetchURL(url); r != "" {
		return doc, nil, 0, "", fail(r, nil)
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return doc, nil, 0, "", fail("expected a valid request URL: "+err.Error(), err)
	}
	req = req.WithContext(ctx)
	req.Header.Set("Accept", "application/json")
	for k, vs := range hdr {
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	resp, err := c.Do(req)
	if err != nil {
		return doc, nil, 0, "", fail("expected 200 application/json, got no response: "+err.Error(), err)
	}
	defer func() {
		// Drain a little so the connection can be reused, never unbounded.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
	}()
	status, contentType = resp.StatusCode, resp.Header.Get("Content-Type")
	got := fmt.Sprintf("%d %s", status, orNone(contentType))

	if strings.EqualFold(req.URL.Scheme, "https") && resp.Request != nil && resp.Request.URL.Scheme != "https" {
		return doc, nil, status, contentType, fail("expected the response over https, got redirected to "+resp.Request.URL.String(), nil)
	}
	if status != http.StatusOK {
		return doc, nil, status, contentType, fail("expected 200 application/json, got "+got, nil)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return doc, nil, status, contentType, fail(fmt.Sprintf("expected a JSON body, got a read error after %d bytes: %v", len(body), err), err)
	}
	if int64(len(body)) > maxBytes {
		return doc, nil, status, contentType, fail(fmt.Sprintf("expected a JSON object of at most %d bytes, got more (%s)", maxBytes, got), nil)
	}
	if !isJSONMediaType(contentType) {
		reason := "expected 200 application/json, got " + got
		if looksLikeJSON(body) {
			reason += " (body looks like JSON, but the Content-Type must be application/json)"
		}
		return doc, nil, status, contentType, fail(reason, nil)
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return doc, nil, status, contentType, fail("expected a JSON object, got "+describeJSON(trimmed), nil)
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return doc, nil, status, contentType, fail("expected a JSON object, got invalid JSON: "+err.Error(), err)
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return doc, raw, status, contentType, fail("expected a JSON object with metadata members of the right types, got: "+err.Error(), err)
	}
	return doc, raw, status, contentType, nil
}

// checkFetchURL refuses what must not be fetched at all: relative URLs and
// schemes other than http and https.
func checkFetchURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return "expected an absolute http or https URL, got an empty one"
	case err != nil:
		return fmt.Sprintf("expected an absolute http or https URL, got an unparsable one (%v)", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("expected an absolute http or https URL, got scheme %q", u.Scheme)
	case u.Host == "":
		return "expected an absolute http or https URL with a host, got none"
	}
	return ""
}

func isJSONMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func looksLikeJSON(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

func describeJSON(t []byte) string {
	if len(t) == 0 {
		return "an empty body"
	}
	switch {
	case !json.Valid(t):
		if t[0] == '<' {
			return "a body that is not JSON (it starts with \"<\", probably HTML)"
		}
		return "a body that is not JSON"
	case t[0] == '[':
		return "a JSON array"
	case t[0] == '"':
		return "a JSON string"
	case t[0] == 'n':
		return "JSON null"
	case t[0] == 't' || t[0] == 'f':
		return "a JSON boolean"
	}
	return "a JSON number"
}

func orNone(ct string) string {
	if ct == "" {
		return "without Content-Type"
	}
	return ct
}

// reasonOf extracts the reason of a *FetchError (the URL is recorded next
// to it already), or the error text.
func reasonOf(err error) string {
	if fe, ok := err.(*FetchError); ok {
		return fe.Reason
	}
	return err.Error()
}

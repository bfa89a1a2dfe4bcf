package loopback

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
)

// singleParams must appear at most once in an authorization response
// (RFC 6749 §3.1; RFC 9207 §2.4 for iss). A repeated one is rejected rather
// than letting the first or last copy win.
var singleParams = []string{"code", "state", "iss", "error"}

// serveHTTP answers every request: only GET on the exact callback path
// counts, and only the first such request is delivered.
func (r *Receiver) serveHTTP(w http.ResponseWriter, req *http.Request) {
	setPageHeaders(w.Header())
	if req.URL.Path != r.opts.Path {
		writePage(w, http.StatusNotFound, notFoundPage)
		return
	}
	if req.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writePage(w, http.StatusMethodNotAllowed, methodPage)
		return
	}

	cb, err := r.parse(req)
	status, page := http.StatusOK, r.successPage()
	switch {
	case err != nil:
		status, page = http.StatusBadRequest, rejectedPage(err)
	case cb.Query.Has("error"):
		page = r.failurePage(cb.Query)
	}
	if !r.deliver(cb, err) {
		writePage(w, http.StatusConflict, alreadyReceivedPage)
		return
	}
	writePage(w, status, page)
}

// parse turns the request into a Callback and checks what can be checked
// before the engine sees it: well-formed query, single parameters, state.
// The iss check needs the issuer, so it is left to the engine.
func (r *Receiver) parse(req *http.Request) (*Callback, error) {
	cb := &Callback{URL: "http://" + req.Host + req.RequestURI}
	q, err := url.ParseQuery(req.URL.RawQuery)
	cb.Query = q
	if err != nil {
		return cb, &CallbackError{Callback: cb, Err: fmt.Errorf("callback query cannot be parsed: %w", err)}
	}
	for _, name := range singleParams {
		if len(q[name]) > 1 {
			return cb, &CallbackError{Callback: cb, Err: duplicateError(name)}
		}
	}
	if r.opts.State != "" &&
		subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(r.opts.State)) != 1 {
		return cb, &CallbackError{Callback: cb, Err: ErrStateMismatch}
	}
	return cb, nil
}

type duplicateError string

func (d duplicateError) Error() string {
	return ErrDuplicateParameter.Error() + ": " + string(d)
}

func (d duplicateError) Is(target error) bool { return target == ErrDuplicateParameter }

// setPageHeaders keeps the pages out of caches, frames and referrers: the
// callback URL carries the authorization code.
func setPageHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

func writePage(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

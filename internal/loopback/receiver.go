// Package loopback receives the OAuth authorization response on a loopback
// redirect URI (RFC 8252 §7.3): it binds 127.0.0.1 (or ::1, or both for
// "localhost"), serves one callback path and hands the first callback to
// Wait.
package loopback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DefaultPath is the callback path used when Options.Path is empty.
const DefaultPath = "/callback"

// shutdownGrace bounds how long Close waits for in-flight page writes.
const shutdownGrace = 2 * time.Second

// ErrStateMismatch is returned by Wait when the callback's state differs from
// Options.State (RFC 6749 §10.12): the response belongs to another attempt, or
// was forged.
var ErrStateMismatch = errors.New("state in the callback does not match this authorization request")

// ErrDuplicateParameter is returned by Wait when code, state, iss or error
// appears more than once in the callback (RFC 6749 §3.1, RFC 9207 §2.4).
var ErrDuplicateParameter = errors.New("callback repeats a parameter that must appear at most once")

// Options configures Start.
type Options struct {
	// Host is the redirect URI's host: "127.0.0.1" (the default, as RFC
	// 8252 §7.3 recommends), "::1", or "localhost" for authorization
	// servers that registered that name; localhost binds 127.0.0.1 and,
	// when it can, ::1 on the same port, since a browser may resolve the
	// name to either.
	Host string
	// Port to bind; 0 picks a free one.
	Port int
	// Path of the redirect URI; DefaultPath when empty. Must start with "/".
	Path string
	// State expected in the callback; empty skips the check.
	State string
	// SuccessHTML and FailureHTML replace the built-in pages. They are sent
	// as-is under Content-Security-Policy: default-src 'none', so they cannot
	// load scripts, styles or images.
	SuccessHTML, FailureHTML string
}

// Callback is the authorization response as the browser delivered it.
type Callback struct {
	// Query holds the callback's parameters (code, state, iss, error, ...).
	Query url.Values
	// URL is the callback URL as received, for display and the iss/state checks.
	URL string
}

// CallbackError is what Wait returns for a callback that was received but
// rejected. It unwraps to ErrStateMismatch or ErrDuplicateParameter.
type CallbackError struct {
	Callback *Callback
	Err      error
}

func (e *CallbackError) Error() string { return "loopback: " + e.Err.Error() }
func (e *CallbackError) Unwrap() error { return e.Err }

// Receiver serves the redirect URI until Close.
type Receiver struct {
	opts        Options
	redirectURI string
	srv         *http.Server

	once      sync.Once     // the single delivery
	delivered chan struct{} // closed after cb/err are set
	cb        *Callback
	err       error

	closeOnce sync.Once
	closed    chan struct{} // closed when Close starts
	serveDone chan struct{} // closed when Serve has returned
	closeErr  error
}

// Start binds the loopback address of o.Host on o.Port and serves the
// callback path in the background. ctx bounds only the bind; call Close to
// stop serving.
func Start(ctx context.Context, o Options) (*Receiver, error) {
	if o.Path == "" {
		o.Path = DefaultPath
	}
	if !strings.HasPrefix(o.Path, "/") || strings.ContainsAny(o.Path, "?#") {
		return nil, fmt.Errorf("loopback: callback path %q must start with / and have no query or fragment", o.Path)
	}
	if o.Port < 0 || o.Port > 65535 {
		return nil, fmt.Errorf("loopback: port %d is out of range 0-65535", o.Port)
	}

	lns, err := listen(ctx, o.Host, o.Port)
	if err != nil {
		return nil, err
	}
	port := lns[0].Addr().(*net.TCPAddr).Port
	host := o.Host
	if host == "" {
		host = "127.0.0.1"
	}

	r := &Receiver{
		opts:        o,
		redirectURI: "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + o.Path,
		delivered:   make(chan struct{}),
		closed:      make(chan struct{}),
		serveDone:   make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.Handle("/", http.HandlerFunc(r.serveHTTP))
	r.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    64 << 10,
		// net/http's own complaints (bad requests, broken connections) must
		// not land in the middle of the user's terminal.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	var serving sync.WaitGroup
	for _, ln := range lns {
		serving.Go(func() { _ = r.srv.Serve(ln) }) // returns ErrServerClosed after Close
	}
	go func() {
		serving.Wait()
		close(r.serveDone)
	}()
	return r, nil
}

// listen binds the loopback addresses of host on port: 127.0.0.1, ::1, or
// for localhost 127.0.0.1 and then ::1 on the port the first got (skipped
// when this machine has no ::1, or something else holds that port there).
func listen(ctx context.Context, host string, port int) ([]net.Listener, error) {
	var lc net.ListenConfig
	bind := func(network, ip string, port int) (net.Listener, error) {
		addr := net.JoinHostPort(ip, strconv.Itoa(port))
		ln, err := lc.Listen(ctx, network, addr)
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("loopback: cannot listen on %s: the port is already in use (EADDRINUSE); pick another port or use port 0 for any free one: %w", addr, err)
		}
		if err != nil {
			return nil, fmt.Errorf("loopback: cannot listen on %s: %w", addr, err)
		}
		return ln, nil
	}
	switch host {
	case "", "127.0.0.1":
		ln, err := bind("tcp4", "127.0.0.1", port)
		if err != nil {
			return nil, err
		}
		return []net.Listener{ln}, nil
	case "::1":
		ln, err := bind("tcp6", "::1", port)
		if err != nil {
			return nil, err
		}
		return []net.Listener{ln}, nil
	case "localhost":
		v4, err := bind("tcp4", "127.0.0.1", port)
		if err != nil {
			return nil, err
		}
		lns := []net.Listener{v4}
		if v6, err := bind("tcp6", "::1", v4.Addr().(*net.TCPAddr).Port); err == nil {
			lns = append(lns, v6)
		}
		return lns, nil
	}
	return nil, fmt.Errorf("loopback: redirect URI host %q: expected 127.0.0.1, ::1 or localhost", host)
}

// RedirectURI is the URI to register and send as redirect_uri, built from the
// port actually bound.
func (r *Receiver) RedirectURI() string { return r.redirectURI }

// Wait returns the first callback. It returns a *CallbackError for a callback
// that was rejected, and an error naming the redirect URI when ctx ends (its
// deadline is the time limit) or the receiver is closed first. Wait may be
// called more than once; every call sees the same delivery.
func (r *Receiver) Wait(ctx context.Context) (*Callback, error) {
	select {
	case <-r.delivered:
		return r.cb, r.err
	default:
	}
	select {
	case <-r.delivered:
		return r.cb, r.err
	case <-r.closed:
		return nil, fmt.Errorf("loopback: receiver closed before the browser returned to %s", r.redirectURI)
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("loopback: timed out waiting for the browser to return to %s: %w", r.redirectURI, ctx.Err())
		}
		return nil, fmt.Errorf("loopback: stopped waiting for the browser to return to %s: %w", r.redirectURI, ctx.Err())
	}
}

// Close shuts the server down, giving in-flight responses up to two seconds.
// It is safe to call more than once; later calls return the first result.
func (r *Receiver) Close() error {
	r.closeOnce.Do(func() {
		close(r.closed)
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := r.srv.Shutdown(ctx); err != nil {
			r.closeErr = fmt.Errorf("loopback: shutting down %s: %w", r.redirectURI, err)
			_ = r.srv.Close()
		}
		<-r.serveDone
	})
	return r.closeErr
}

// deliver records the first outcome and reports whether this call was it.
func (r *Receiver) deliver(cb *Callback, err error) bool {
	first := false
	r.once.Do(func() {
		r.cb, r.err = cb, err
		close(r.delivered)
		first = true
	})
	return first
}

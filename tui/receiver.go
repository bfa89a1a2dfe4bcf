package tui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/mcpwalk/mcpwalk/flow"
)

// pasteBox lets the user finish an authorization whose browser runs on
// another machine: the browser ends on http://127.0.0.1:PORT/callback?code=…,
// which cannot load there, and the user pastes that address here. It wraps
// the real loopback listener; the receiver it hands the engine returns
// whichever comes first, the real callback or the pasted URL. The engine
// still validates state, iss and code exactly as for a real callback.
type pasteBox struct {
	mu    sync.Mutex
	cur   *pasteReceiver
	all   []*pasteReceiver
	inner flow.Listen
}

func newPasteBox(inner flow.Listen) *pasteBox { return &pasteBox{inner: inner} }

// listen is the flow.Listen the engine gets.
func (b *pasteBox) listen(ctx context.Context, at flow.CallbackAddr) (flow.Receiver, error) {
	r, err := b.inner(ctx, at)
	if err != nil {
		return nil, err
	}
	pr := &pasteReceiver{inner: r, pasted: make(chan url.Values, 1)}
	b.mu.Lock()
	b.cur = pr
	b.all = append(b.all, pr)
	b.mu.Unlock()
	return pr, nil
}

// errNoReceiver: nothing listens for a redirect right now.
var errNoReceiver = errors.New("no authorization is waiting for a redirect: run the authorize step first")

// paste hands a redirect URL to the current receiver.
func (b *pasteBox) paste(raw string) error {
	b.mu.Lock()
	pr := b.cur
	b.mu.Unlock()
	if pr == nil {
		return errNoReceiver
	}
	q, err := parseRedirect(raw, pr.RedirectURI())
	if err != nil {
		return err
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.used {
		return errors.New("a redirect URL was already pasted for this authorization")
	}
	pr.used = true
	pr.pasted <- q // buffered for one, and used guards it
	return nil
}

// closeAll closes every listener opened, for a clean quit even when a
// step is still waiting.
func (b *pasteBox) closeAll() {
	b.mu.Lock()
	all := b.all
	b.mu.Unlock()
	for _, r := range all {
		_ = r.Close()
	}
}

// parseRedirect checks that raw is the redirect URI with an authorization
// response in its query, and returns the query.
func parseRedirect(raw, redirectURI string) (url.Values, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("paste the whole address the browser ended on (%s?code=…)", redirectURI)
	}
	if want, err := url.Parse(redirectURI); err == nil && want.Path != u.Path {
		return nil, fmt.Errorf("that URL's path is %q, but the redirect URI is %s", u.Path, redirectURI)
	}
	q := u.Query()
	if q.Get("code") == "" && q.Get("error") == "" {
		return nil, errors.New("that URL has neither code nor error in its query: it is not an authorization response")
	}
	return q, nil
}

// pasteReceiver is a flow.Receiver fed by the loopback callback or a paste.
type pasteReceiver struct {
	inner  flow.Receiver
	pasted chan url.Values
	mu     sync.Mutex
	used   bool
}

func (r *pasteReceiver) RedirectURI() string { return r.inner.RedirectURI() }

func (r *pasteReceiver) Close() error { return r.inner.Close() }

// Wait returns the first of the real callback and a pasted URL.
func (r *pasteReceiver) Wait(ctx context.Context) (url.Values, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type res struct {
		q   url.Values
		err error
	}
	real := make(chan res, 1)
	go func() {
		q, err := r.inner.Wait(ctx)
		real <- res{q, err}
	}()
	select {
	case got := <-real:
		return got.q, got.err
	case q := <-r.pasted:
		return q, nil
	}
}

package loopback

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// start runs a receiver that is closed when the test ends.
func start(t *testing.T, o Options) *Receiver {
	t.Helper()
	r, err := Start(context.Background(), o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return r
}

type page struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, method, rawURL string) page {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return page{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func get(t *testing.T, rawURL string) page { t.Helper(); return do(t, http.MethodGet, rawURL) }

// waitShort waits for a delivery that should already have happened.
func waitShort(t *testing.T, r *Receiver) (*Callback, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.Wait(ctx)
}

// assertNotDelivered checks that Wait is still waiting.
func assertNotDelivered(t *testing.T, r *Receiver) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	cb, err := r.Wait(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %+v, %v; want nothing delivered", cb, err)
	}
}

func TestRedirectURI(t *testing.T) {
	r := start(t, Options{})
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[1-9][0-9]*/callback$`).MatchString(r.RedirectURI()) {
		t.Errorf("RedirectURI() = %q", r.RedirectURI())
	}

	port := freePort(t)
	r2 := start(t, Options{Port: port, Path: "/oauth/cb"})
	want := "http://127.0.0.1:" + strconv.Itoa(port) + "/oauth/cb"
	if diff := cmp.Diff(want, r2.RedirectURI()); diff != "" {
		t.Errorf("RedirectURI (-want +got):\n%s", diff)
	}
}

// A receiver for "localhost" names it in the redirect URI and answers on
// 127.0.0.1 and, where the machine has it, on ::1 at the same port: a
// browser may resolve localhost to either.
func TestLocalhostRedirectURI(t *testing.T) {
	r := start(t, Options{Host: "localhost", State: "st-l"})
	m := regexp.MustCompile(`^http://localhost:([1-9][0-9]*)/callback$`).FindStringSubmatch(r.RedirectURI())
	if m == nil {
		t.Fatalf("RedirectURI() = %q", r.RedirectURI())
	}
	if p := do(t, http.MethodGet, "http://127.0.0.1:"+m[1]+"/elsewhere"); p.status != http.StatusNotFound {
		t.Errorf("127.0.0.1:%s answered %d for another path, want 404", m[1], p.status)
	}
	if ln, err := net.Listen("tcp6", "[::1]:0"); err == nil {
		ln.Close()
		if p := do(t, http.MethodGet, "http://[::1]:"+m[1]+"/elsewhere"); p.status != http.StatusNotFound {
			t.Errorf("[::1]:%s answered %d for another path, want 404", m[1], p.status)
		}
	} else {
		t.Logf("no ::1 on this machine (%v): only 127.0.0.1 checked", err)
	}
	get(t, "http://127.0.0.1:"+m[1]+"/callback?code=c&state=st-l")
	cb, err := r.Wait(context.Background())
	if err != nil || cb.Query.Get("code") != "c" {
		t.Fatalf("Wait = %+v, %v", cb, err)
	}
}

func TestStartRejectsBadOptions(t *testing.T) {
	for _, o := range []Options{{Path: "callback"}, {Path: "/cb?x=1"}, {Port: -1}, {Port: 70000}, {Host: "example.com"}, {Host: "0.0.0.0"}} {
		if r, err := Start(context.Background(), o); err == nil {
			r.Close()
			t.Errorf("Start(%+v) succeeded, want an error", o)
		}
	}
}

func TestHappyPath(t *testing.T) {
	r := start(t, Options{State: "st-1"})
	callback := r.RedirectURI() + "?code=c0de&state=st-1&iss=" + url.QueryEscape("https://as.example.test")
	p := get(t, callback)
	if p.status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body:\n%s", p.status, p.body)
	}
	for name, want := range map[string]string{
		"Cache-Control":   "no-store",
		"X-Frame-Options": "DENY",
		"Content-Type":    "text/html; charset=utf-8",
	} {
		if got := p.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if csp := p.header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy = %q, want default-src 'none'", csp)
	}
	if !strings.Contains(p.body, "Authorization response received") {
		t.Errorf("body does not report success:\n%s", p.body)
	}

	cb, err := waitShort(t, r)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	want := &Callback{
		Query: url.Values{"code": {"c0de"}, "state": {"st-1"}, "iss": {"https://as.example.test"}},
		URL:   callback,
	}
	if diff := cmp.Diff(want, cb); diff != "" {
		t.Errorf("callback (-want +got):\n%s", diff)
	}

	// Wait can be asked again and sees the same delivery.
	cb2, err := waitShort(t, r)
	if err != nil || cb2 != cb {
		t.Errorf("second Wait = %p, %v; want %p, nil", cb2, err, cb)
	}
}

func TestCustomPages(t *testing.T) {
	r := start(t, Options{SuccessHTML: "<p>yay</p>", FailureHTML: "<p>nay</p>"})
	if p := get(t, r.RedirectURI()+"?code=x"); p.body != "<p>yay</p>" {
		t.Errorf("success body = %q", p.body)
	}
	r2 := start(t, Options{SuccessHTML: "<p>yay</p>", FailureHTML: "<p>nay</p>"})
	if p := get(t, r2.RedirectURI()+"?error=access_denied"); p.body != "<p>nay</p>" {
		t.Errorf("failure body = %q", p.body)
	}
}

func TestWrongPathAndMethod(t *testing.T) {
	r := start(t, Options{})
	base := strings.TrimSuffix(r.RedirectURI(), "/callback")
	tests := []struct {
		name, method, url string
		wantStatus        int
	}{
		{"root", http.MethodGet, base + "/?code=x", http.StatusNotFound},
		{"other path", http.MethodGet, base + "/callbackx?code=x", http.StatusNotFound},
		{"sub path", http.MethodGet, base + "/callback/more?code=x", http.StatusNotFound},
		{"favicon", http.MethodGet, base + "/favicon.ico", http.StatusNotFound},
		{"POST", http.MethodPost, r.RedirectURI() + "?code=x", http.StatusMethodNotAllowed},
		{"HEAD", http.MethodHead, r.RedirectURI() + "?code=x", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := do(t, tt.method, tt.url)
			if p.status != tt.wantStatus {
				t.Errorf("status = %d, want %d", p.status, tt.wantStatus)
			}
			if p.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q on a %d page", p.header.Get("Cache-Control"), p.status)
			}
		})
	}
	if p := do(t, http.MethodPost, r.RedirectURI()); p.header.Get("Allow") != "GET" {
		t.Errorf("405 Allow = %q, want GET", p.header.Get("Allow"))
	}
	assertNotDelivered(t, r)
}

func TestStateMismatch(t *testing.T) {
	r := start(t, Options{State: "expected"})
	p := get(t, r.RedirectURI()+"?code=c&state=forged")
	if p.status != http.StatusBadRequest {
		t.Errorf("status = %d, want 400", p.status)
	}
	if strings.Contains(p.body, "forged") || !strings.Contains(p.body, "state") {
		t.Errorf("page should explain the state mismatch without echoing it:\n%s", p.body)
	}
	cb, err := waitShort(t, r)
	if !errors.Is(err, ErrStateMismatch) {
		t.Fatalf("Wait = %v, %v; want ErrStateMismatch", cb, err)
	}
	var ce *CallbackError
	if !errors.As(err, &ce) || ce.Callback.Query.Get("state") != "forged" {
		t.Errorf("error %v should carry the rejected callback", err)
	}

	// The rejection was the delivery: a later, correct callback is not used.
	if p := get(t, r.RedirectURI()+"?code=c&state=expected"); p.status != http.StatusConflict {
		t.Errorf("second callback status = %d, want 409", p.status)
	}
	if _, err := waitShort(t, r); !errors.Is(err, ErrStateMismatch) {
		t.Errorf("Wait after a second callback = %v, want ErrStateMismatch still", err)
	}
}

func TestMissingStateIsMismatch(t *testing.T) {
	r := start(t, Options{State: "expected"})
	get(t, r.RedirectURI()+"?code=c")
	if _, err := waitShort(t, r); !errors.Is(err, ErrStateMismatch) {
		t.Errorf("Wait = %v, want ErrStateMismatch", err)
	}
}

func TestDuplicateDelivery(t *testing.T) {
	r := start(t, Options{})
	get(t, r.RedirectURI()+"?code=first")
	p := get(t, r.RedirectURI()+"?code=second")
	if p.status != http.StatusConflict || !strings.Contains(p.body, "already received") {
		t.Errorf("second callback: status %d, body:\n%s", p.status, p.body)
	}
	cb, err := waitShort(t, r)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if got := cb.Query.Get("code"); got != "first" {
		t.Errorf("delivered code = %q, want the first one", got)
	}
}

func TestDuplicateParams(t *testing.T) {
	for _, name := range []string{"code", "state", "iss", "error"} {
		t.Run(name, func(t *testing.T) {
			r := start(t, Options{})
			p := get(t, r.RedirectURI()+"?code=c&"+name+"=a&"+name+"=b")
			if p.status != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", p.status)
			}
			_, err := waitShort(t, r)
			if !errors.Is(err, ErrDuplicateParameter) || !strings.Contains(err.Error(), name) {
				t.Errorf("Wait error = %v, want ErrDuplicateParameter naming %s", err, name)
			}
		})
	}
}

func TestMalformedQuery(t *testing.T) {
	r := start(t, Options{})
	if p := get(t, r.RedirectURI()+"?code=%zz"); p.status != http.StatusBadRequest {
		t.Errorf("status = %d, want 400", p.status)
	}
	if _, err := waitShort(t, r); err == nil {
		t.Error("Wait returned no error for an unparsable query")
	}
}

func TestErrorResponseIsDeliveredAndEscaped(t *testing.T) {
	r := start(t, Options{State: "s"})
	q := url.Values{
		"error":             {"access_denied"},
		"error_description": {`<script>alert("x")</script>`},
		"state":             {"s"},
	}
	p := get(t, r.RedirectURI()+"?"+q.Encode())
	if p.status != http.StatusOK {
		t.Errorf("status = %d, want 200", p.status)
	}
	if !strings.Contains(p.body, "Authorization failed") {
		t.Errorf("page does not say authorization failed:\n%s", p.body)
	}
	if strings.Contains(p.body, "<script>") || !strings.Contains(p.body, "&lt;script&gt;") {
		t.Errorf("error_description not escaped:\n%s", p.body)
	}
	cb, err := waitShort(t, r)
	if err != nil {
		t.Fatalf("Wait: %v (an error response is still delivered)", err)
	}
	if diff := cmp.Diff(q, cb.Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}

func TestTimeout(t *testing.T) {
	r := start(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := r.Wait(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait error = %v, want DeadlineExceeded", err)
	}
	for _, want := range []string{"timed out waiting for the browser", r.RedirectURI()} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	r, err := Start(context.Background(), Options{Port: port})
	if err == nil {
		r.Close()
		t.Fatal("Start on a busy port succeeded")
	}
	if !errors.Is(err, syscall.EADDRINUSE) {
		t.Errorf("error %v does not wrap EADDRINUSE", err)
	}
	for _, want := range []string{"127.0.0.1:" + strconv.Itoa(port), "already in use", "EADDRINUSE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestCloseTwice(t *testing.T) {
	r, err := Start(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() {
		_, err := r.Wait(context.Background())
		waited <- err
	}()
	if err := r.Close(); err != nil {
		t.Errorf("first Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	select {
	case err := <-waited:
		if err == nil || !strings.Contains(err.Error(), "closed") {
			t.Errorf("Wait after Close = %v, want a closed error", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait did not return after Close")
	}
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(strings.TrimSuffix(r.RedirectURI(), "/callback"), "http://"), time.Second); err == nil {
		c.Close()
		t.Error("the port still accepts connections after Close")
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

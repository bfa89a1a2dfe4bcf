package tui

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/loopback"
	"github.com/mcpwalk/mcpwalk/internal/record"
	"github.com/muesli/termenv"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// testListen is the real loopback receiver as a flow.Listen.
func testListen(ctx context.Context, at flow.CallbackAddr) (flow.Receiver, error) {
	r, err := loopback.Start(ctx, loopback.Options{Host: at.Host, Port: at.Port, Path: at.Path})
	if err != nil {
		return nil, err
	}
	return loopbackReceiver{r}, nil
}

type loopbackReceiver struct{ *loopback.Receiver }

func (r loopbackReceiver) Wait(ctx context.Context) (url.Values, error) {
	cb, err := r.Receiver.Wait(ctx)
	if err != nil {
		return nil, err
	}
	return cb.Query, nil
}

// followBrowser plays the browser: it requests the authorization URL,
// stops at the redirect and delivers it to the loopback receiver.
type followBrowser struct{ opened chan string }

func (b followBrowser) Open(u string) error {
	if b.opened != nil {
		b.opened <- u
		return nil
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	resp.Body.Close()
	go func() {
		if r, err := http.Get(resp.Header.Get("Location")); err == nil {
			r.Body.Close()
		}
	}()
	return nil
}

// testOptions wires the real engine, recorder and loopback to the fake.
func testOptions(f *fakeServer, headless bool) Options {
	red := record.NewRedactor(false)
	rec := record.NewRecorder(record.NewTransport(), red)
	client := record.NewClient(rec, record.ClientOptions{Timeout: 10 * time.Second})
	start := time.Now() // the engine's clock stands still: every step takes 0ms
	return Options{
		Config: flow.Config{ServerURL: f.MCP, Headless: headless, Version: "test", AuthWait: 20 * time.Second},
		Deps: flow.Deps{HTTP: client, Recorder: rec, Secrets: red, Browser: followBrowser{}, Listen: testListen,
			Now: func() time.Time { return start }},
		Out: io.Discard,
	}
}

func newTestProgram(t *testing.T, o Options, w, h int) (*teatest.TestModel, Model) {
	t.Helper()
	_, m := build(t.Context(), o)
	t.Cleanup(m.shutdown)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	return tm, m
}

// waitFor waits until the screen shows all of the texts.
func waitFor(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	var seen strings.Builder
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen.Write(b)
		for _, s := range texts {
			if !strings.Contains(seen.String(), s) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`\(\d+(\.\d)?m?s\)`), "(Nms)"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`), "TIME"},
	{regexp.MustCompile(`\d\d:\d\d:\d\d`), "hh:mm:ss"},
	{regexp.MustCompile(`(state|code_challenge)(\s+)[A-Za-z0-9_-]{20,}`), "$1${2}RANDOM"},
	{regexp.MustCompile(`in (\d+h \d+m|\d+m \d+s|\d+[msh])\b`), "in REL"},
	{regexp.MustCompile(`(\d+[mhd] )?\d+[smhd] ago`), "REL ago"},
	{regexp.MustCompile(`(Mcp-Session-Id:) \S+`), "$1 ID"},
}

// normalize replaces what changes between runs: ports, durations, times,
// random PKCE and state values.
// Exchange durations differ in length, so trailing padding is dropped.
func normalize(s string) string {
	for _, n := range normalizers {
		s = n.re.ReplaceAllString(s, n.with)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

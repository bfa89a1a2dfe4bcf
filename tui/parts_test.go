package tui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/muesli/termenv"
)

func TestHubDeliversEventsBeforeDone(t *testing.T) {
	h := newHub()
	defer h.close()
	eng := newFakeEngine()
	eng.obs = h
	if msg := h.run(t.Context(), eng, op{row: 0, id: "probe"})(); msg != nil {
		t.Fatalf("run returned %T; its outcome must travel through the hub", msg)
	}
	var kinds []string
	for range 3 {
		switch m := h.wait()().(type) {
		case eventMsg:
			kinds = append(kinds, string(m.ev.Kind))
		case opDoneMsg:
			kinds = append(kinds, "done")
		}
	}
	if diff := cmp.Diff([]string{"step.start", "step.end", "done"}, kinds); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	h.close()
	h.Observe(flow.Event{}) // must not block once closed
	if msg := h.wait()(); msg != nil {
		t.Errorf("wait after close: %T", msg)
	}
	if !h.waitOps(time.Second) {
		t.Error("ops still counted")
	}
}

func TestPasteBox(t *testing.T) {
	box := newPasteBox(fakeListen)
	if err := box.paste("http://127.0.0.1:9999/callback?code=x"); err != errNoReceiver {
		t.Fatalf("paste with no receiver: %v", err)
	}
	r, err := box.listen(t.Context(), flow.CallbackAddr{Path: "/callback"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, url, err string
	}{
		{"not a URL", "code=abc", "paste the whole address"},
		{"other path", "http://127.0.0.1:9999/cb?code=abc", `path is "/cb"`},
		{"no code", "http://127.0.0.1:9999/callback?foo=1", "neither code nor error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := box.paste(tt.url); err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("paste(%q) = %v, want %q", tt.url, err, tt.err)
			}
		})
	}
	got := make(chan url.Values, 1)
	go func() {
		q, _ := r.Wait(t.Context())
		got <- q
	}()
	if err := box.paste(" http://127.0.0.1:9999/callback?code=abc&state=s&iss=https%3A%2F%2Fas \n"); err != nil {
		t.Fatal(err)
	}
	q := <-got
	if q.Get("code") != "abc" || q.Get("state") != "s" || q.Get("iss") != "https://as" {
		t.Errorf("Wait got %v", q)
	}
	if err := box.paste("http://127.0.0.1:9999/callback?code=again"); err == nil {
		t.Error("a second paste was accepted")
	}
	box.closeAll()
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	if _, err := r.Wait(ctx); err == nil {
		t.Error("Wait after close succeeded")
	}
}

func TestPasteReceiverRealCallbackWins(t *testing.T) {
	f := startFake(t)
	box := newPasteBox(testListen)
	r, err := box.listen(t.Context(), flow.CallbackAddr{Path: "/callback"})
	if err != nil {
		t.Fatal(err)
	}
	defer box.closeAll()
	f.mu.Lock()
	f.redirect, f.state = r.RedirectURI(), "st"
	f.mu.Unlock()
	go func() {
		if resp, err := http.Get(f.callbackURL()); err == nil {
			resp.Body.Close()
		}
	}()
	q, err := r.Wait(t.Context())
	if err != nil || q.Get("code") != "fake-code" || q.Get("state") != "st" {
		t.Errorf("Wait = %v, %v", q, err)
	}
}

func TestApplyEdit(t *testing.T) {
	tests := []struct {
		name string
		vals map[string]string
		want flow.Config
		err  string
	}{
		{name: "empty clears", vals: map[string]string{}, want: flow.Config{}},
		{name: "all", vals: map[string]string{"scopes": " a  b ", "client_id": " app ", "client_secret": "s",
			"resource": "https://r/mcp", "port": "8765", "params": "prompt=consent login_hint=ada"},
			want: flow.Config{Scopes: []string{"a", "b"}, ClientID: "app", ClientSecret: "s", Resource: "https://r/mcp",
				CallbackPort: 8765, AuthParams: map[string]string{"prompt": "consent", "login_hint": "ada"}}},
		{name: "bad port", vals: map[string]string{"port": "70000"}, err: "0 to 65535"},
		{name: "bad param", vals: map[string]string{"params": "consent"}, err: "expected k=v"},
		{name: "reserved param", vals: map[string]string{"params": "state=x"}, err: "set by mcpwalk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := flow.Config{Scopes: []string{"old"}, ClientID: "old"}
			err := applyEdit(tt.vals, &cfg)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, cfg); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSchemaForm(t *testing.T) {
	f := schemaForm("t", map[string]any{"type": "object", "required": []any{"z"},
		"properties": map[string]any{"a": map[string]any{"type": "array"}, "z": map[string]any{"type": []any{"null", "integer"}},
			"m": map[string]any{"type": "string", "enum": []any{"x", "y"}, "default": "x"}}})
	var names []string
	for _, fl := range f.fields {
		names = append(names, fl.name+":"+fl.kind)
	}
	if diff := cmp.Diff([]string{"z:integer", "a:array", "m:string"}, names); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if f.fields[2].input.Value() != "x" || !strings.Contains(f.fields[2].help, `one of "x", "y"`) {
		t.Errorf("default/enum: %q %q", f.fields[2].input.Value(), f.fields[2].help)
	}
	f.fields[0].input.SetValue("7")
	f.fields[1].input.SetValue(`[1,"two"]`)
	args, err := f.arguments()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"z": int64(7), "a": []any{1.0, "two"}, "m": "x"}, args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
	if raw := schemaForm("t", map[string]any{"type": "array"}); !raw.rawMode {
		t.Error("a non-object schema should open the raw editor")
	}
	if none := schemaForm("t", nil); none.rawMode || len(none.fields) != 0 {
		t.Error("no schema: no fields, no raw mode")
	}
}

func TestRelTime(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Second, "in 30s"}, {59*time.Minute + 58*time.Second, "in 59m 58s"}, {time.Hour, "in 1h 0m"},
		{-3 * time.Minute, "3m ago"}, {72 * time.Hour, "in 3d"},
	}
	for _, tt := range tests {
		if got := relTime(now.Add(tt.d), now); got != tt.want {
			t.Errorf("relTime(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	if got := expiry(now.Add(-time.Minute), now); !strings.Contains(got, "expired 1m ago") {
		t.Errorf("expiry in the past: %q", got)
	}
}

func TestParseAuthURL(t *testing.T) {
	a := parseAuthURL(testAuthURL)
	if a.endpoint != "https://as.example/authorize" || a.params.Get("resource") != "https://mcp.example/mcp" {
		t.Fatalf("parsed %+v", a)
	}
	v := a.render(200, false)
	order := []string{"response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge ", "code_challenge_method", "resource", "prompt"}
	last := -1
	for _, k := range order {
		i := strings.Index(v, "  "+k)
		if i < last {
			t.Errorf("%s out of order:\n%s", k, v)
		}
		last = i
	}
}

func TestNotificationsReachTheLog(t *testing.T) {
	server := mcp.NewServer(&mcp.Implementation{Name: "chatty", Version: "1"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "work"}, func(ctx context.Context, r *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
		_ = r.Session.Log(ctx, &mcp.LoggingMessageParams{Level: "info", Logger: "worker", Data: "halfway"})
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "done"}}}, nil, nil
	})
	srv := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil))
	defer srv.Close()

	u := newUnit(t, false)
	client := mcp.NewClient(&mcp.Implementation{Name: "test"}, u.m.hub.clientOptions())
	cs, err := client.Connect(t.Context(), &mcp.StreamableClientTransport{Endpoint: srv.URL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if err := cs.SetLoggingLevel(t.Context(), &mcp.SetLoggingLevelParams{Level: "debug"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "work"}); err != nil {
		t.Fatal(err)
	}
	msg := u.m.hub.wait()()
	if _, ok := msg.(notifyMsg); !ok {
		t.Fatalf("got %T, want a notification", msg)
	}
	u.send(msg)
	if v := u.view(); !strings.Contains(v, `log [info] worker: "halfway"`) {
		t.Errorf("log pane:\n%s", v)
	}
}

func TestNoColor(t *testing.T) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetColorProfile(termenv.TrueColor)
	t.Setenv("NO_COLOR", "1")
	applyColorEnv()
	if p := lipgloss.ColorProfile(); p != termenv.Ascii {
		t.Errorf("NO_COLOR: profile %v, want ASCII", p)
	}
	if got := statusStyle("fail").Render("x"); got != "x" {
		t.Errorf("NO_COLOR still styles: %q", got)
	}
}

package cmd

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mcpwalk/mcpwalk/flow"
)

func TestParseCall(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		kv       []string
		json     string
		want     flow.Call
		usageErr bool
	}{
		{name: "list", args: []string{"tools/list"}, want: flow.Call{Method: "tools/list", Args: map[string]any{}}},
		{name: "call with k=v", args: []string{"tools/call", "add"}, kv: []string{"a=1", "b=2.5", "flag=true", "s=hello"},
			want: flow.Call{Method: "tools/call", Name: "add", Args: map[string]any{"a": json.Number("1"), "b": json.Number("2.5"), "flag": true, "s": "hello"}}},
		{name: "call with json", args: []string{"tools/call", "x"}, json: `{"q":"a","n":[1,2]}`,
			want: flow.Call{Method: "tools/call", Name: "x", Args: map[string]any{"q": "a", "n": []any{1.0, 2.0}}}},
		{name: "k=v overrides json", args: []string{"tools/call", "x"}, json: `{"q":"a"}`, kv: []string{"q=b"},
			want: flow.Call{Method: "tools/call", Name: "x", Args: map[string]any{"q": "b"}}},
		{name: "read", args: []string{"resources/read", "demo://readme"}, want: flow.Call{Method: "resources/read", URI: "demo://readme", Args: map[string]any{}}},
		{name: "prompt", args: []string{"prompts/get", "greet"}, kv: []string{"name=Ada"},
			want: flow.Call{Method: "prompts/get", Name: "greet", Args: map[string]any{"name": "Ada"}}},
		{name: "skills list", args: []string{"skills/list"}, want: flow.Call{Method: "skills/list", Args: map[string]any{}}},
		{name: "skills get", args: []string{"skills/get", "skill://a/SKILL.md"}, want: flow.Call{Method: "skills/get", URI: "skill://a/SKILL.md", Args: map[string]any{}}},
		{name: "skills load one", args: []string{"skills/load", "skill://a/SKILL.md"}, want: flow.Call{Method: "skills/load", URI: "skill://a/SKILL.md", Args: map[string]any{}}},
		{name: "skills load every listed", args: []string{"skills/load"}, want: flow.Call{Method: "skills/load", Args: map[string]any{}}},
		{name: "skills get without uri", args: []string{"skills/get"}, usageErr: true},
		{name: "operand on skills list", args: []string{"skills/list", "x"}, usageErr: true},
		{name: "missing name", args: []string{"tools/call"}, usageErr: true},
		{name: "missing uri", args: []string{"resources/read"}, usageErr: true},
		{name: "unknown method", args: []string{"tools/destroy"}, usageErr: true},
		{name: "operand on a list", args: []string{"tools/list", "x"}, usageErr: true},
		{name: "bad json", args: []string{"tools/call", "x"}, json: `[1]`, usageErr: true},
		{name: "bad kv", args: []string{"tools/call", "x"}, kv: []string{"novalue"}, usageErr: true},
		{name: "args on a list", args: []string{"tools/list"}, kv: []string{"a=1"}, usageErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCall(tt.args, tt.kv, tt.json)
			if tt.usageErr {
				var u errUsage
				if !errors.As(err, &u) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckFlags(t *testing.T) {
	io, _, _ := TestIO()
	f := NewFactory(io)
	var got *CheckOptions
	c := NewCmdCheck(f, func(o *CheckOptions) error { got = o; return nil })
	c.SetArgs([]string{"--headless", "--json", "--client-id", "app", "--client-secret", "s", "--scope", "a,b", "--scope", "c",
		"--callback-port", "8765", "--resource", "https://r.example/mcp", "--timeout", "5s", "--dpop", "always", "https://mcp.example.com/mcp"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	want := clientFlags{ClientID: "app", ClientSecret: "s", Scopes: []string{"a", "b", "c"}, Resource: "https://r.example/mcp", Grant: "authorization_code", DPoP: "always"}
	if diff := cmp.Diff(want, got.Client); diff != "" {
		t.Errorf("client flags (-want +got):\n%s", diff)
	}
	if !got.Callback.Headless || got.Callback.Port != 8765 || !got.Output.JSON || got.Output.Timeout.Seconds() != 5 || got.Server != "https://mcp.example.com/mcp" {
		t.Errorf("parsed %+v", got)
	}
}

func TestExitCodes(t *testing.T) {
	io, _, errOut := TestIO()
	f := NewFactory(io)
	root := NewRootCmd(f)
	root.SetArgs([]string{"check"})
	err := root.Execute()
	if code := exitCode(t.Context(), f, err); code != ExitUsage {
		t.Errorf("check without URL: exit %d, want %d (%s)", code, ExitUsage, errOut)
	}
	root = NewRootCmd(f)
	root.SetArgs([]string{"check", "--no-such-flag", "x"})
	if code := exitCode(t.Context(), f, root.Execute()); code != ExitUsage {
		t.Errorf("unknown flag: exit %d, want %d", code, ExitUsage)
	}
	root = NewRootCmd(f)
	root.SetArgs([]string{"check", "--dpop", "sometimes", "https://mcp.example.com/mcp"})
	if code := exitCode(t.Context(), f, root.Execute()); code != ExitUsage || !strings.Contains(errOut.String(), "--dpop") {
		t.Errorf("--dpop sometimes: exit %d, want %d (%s)", code, ExitUsage, errOut)
	}
}

// --redirect-uri gives host, port and path of the loopback redirect URI
// for a client registered with a fixed one.
func TestRedirectURIFlag(t *testing.T) {
	for _, tt := range []struct {
		args       []string
		host, path string
		port       int
		usage      bool
	}{
		{args: []string{"--redirect-uri", "http://localhost:3118/callback"}, host: "localhost", port: 3118, path: "/callback"},
		{args: []string{"--redirect-uri", "http://127.0.0.1/oauth/cb"}, host: "127.0.0.1", path: "/oauth/cb"},
		{args: []string{"--redirect-uri", "http://[::1]:9000"}, host: "::1", port: 9000, path: "/"},
		{args: []string{"--redirect-uri", "http://localhost:3118/cb", "--callback-port", "3118"}, host: "localhost", port: 3118, path: "/cb"},
		{args: []string{"--redirect-uri", "http://localhost:3118/cb", "--callback-port", "4000"}, usage: true},
		{args: []string{"--redirect-uri", "https://localhost:3118/cb"}, usage: true},
		{args: []string{"--redirect-uri", "http://app.example.com/cb"}, usage: true},
		{args: []string{"--redirect-uri", "http://localhost:3118/cb?x=1"}, usage: true},
		{args: []string{"--redirect-uri", "http://localhost:99999/cb"}, usage: true},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			io, _, _ := TestIO()
			var got *CheckOptions
			c := NewCmdCheck(NewFactory(io), func(o *CheckOptions) error { got = o; return nil })
			c.SetArgs(append(tt.args, "https://mcp.example.com/mcp"))
			c.SilenceErrors, c.SilenceUsage = true, true
			err := c.Execute()
			var ue errUsage
			if tt.usage {
				if !errors.As(err, &ue) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg := got.config(got.Server)
			if cfg.CallbackHost != tt.host || cfg.CallbackPort != tt.port || cfg.CallbackPath != tt.path {
				t.Errorf("callback %s:%d%s, want %s:%d%s", cfg.CallbackHost, cfg.CallbackPort, cfg.CallbackPath, tt.host, tt.port, tt.path)
			}
		})
	}
}

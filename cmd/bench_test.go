package cmd

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/internal/demo"
	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

// The benchmarks time one whole authorization and a tools/list against
// the same demo server: mcpwalk as a user runs it (the call command, with
// its recording, checks and transcript), and the official Go SDK's own
// client (auth.AuthorizationCodeHandler with dynamic registration, the
// authorization URL fetched without a browser, as --headless does).
// scripts/bench.sh runs both in one go and prints their ratios.

func benchDemo(b *testing.B) *demo.Server {
	b.Helper()
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	return srv
}

func BenchmarkFullFlowMcpwalk(b *testing.B) {
	srv := benchDemo(b)
	b.Setenv("MCPWALK_TOKEN_STORE", "none")
	b.ReportAllocs()
	for b.Loop() {
		io, _, errOut := TestIO()
		f := NewFactory(io)
		root := NewRootCmd(f)
		root.SetArgs([]string{"call", "--headless", "--json", srv.MCPURL, "tools/list"})
		if err := root.ExecuteContext(b.Context()); err != nil {
			b.Fatalf("%v\n%s", err, errOut)
		}
	}
}

func BenchmarkFullFlowGoSDK(b *testing.B) {
	srv := benchDemo(b)
	hc := &http.Client{Timeout: 30 * time.Second}
	noRedirect := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	const redirect = "http://127.0.0.1:1/callback"
	fetch := func(ctx context.Context, args *auth.AuthorizationArgs) (*auth.AuthorizationResult, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, args.URL, nil)
		if err != nil {
			return nil, err
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil || loc.Query().Get("code") == "" {
			return nil, fmt.Errorf("authorize: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		q := loc.Query()
		return &auth.AuthorizationResult{Code: q.Get("code"), State: q.Get("state"), Iss: q.Get("iss")}, nil
	}
	b.ReportAllocs()
	for b.Loop() {
		h, err := auth.NewAuthorizationCodeHandler(&auth.AuthorizationCodeHandlerConfig{
			DynamicClientRegistrationConfig: &auth.DynamicClientRegistrationConfig{Metadata: &oauthex.ClientRegistrationMetadata{
				RedirectURIs: []string{redirect}, TokenEndpointAuthMethod: "none", ClientName: "bench",
				GrantTypes: []string{"authorization_code", "refresh_token"}, ResponseTypes: []string{"code"},
			}},
			RedirectURL:              redirect,
			AuthorizationCodeFetcher: fetch,
			Client:                   hc,
		})
		if err != nil {
			b.Fatal(err)
		}
		client := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "0"}, nil)
		cs, err := client.Connect(b.Context(), &mcp.StreamableClientTransport{Endpoint: srv.MCPURL, HTTPClient: hc,
			OAuthHandler: h, DisableStandaloneSSE: true}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := cs.ListTools(b.Context(), nil); err != nil {
			b.Fatal(err)
		}
		cs.Close()
	}
}

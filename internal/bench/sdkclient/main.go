// Command sdkclient is the baseline of scripts/bench.sh: the official Go
// SDK's client, with no mcpwalk code, connecting to an MCP server with a
// bearer token (from MCPWALK_BENCH_TOKEN, so it is not on the command line)
// and listing its tools.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: MCPWALK_BENCH_TOKEN=… sdkclient URL")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	hc := &http.Client{Timeout: 30 * time.Second, Transport: bearer{os.Getenv("MCPWALK_BENCH_TOKEN"), http.DefaultTransport}}
	client := mcp.NewClient(&mcp.Implementation{Name: "sdkclient", Version: "0"}, nil)
	cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: os.Args[1], HTTPClient: hc, DisableStandaloneSSE: true}, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdkclient:", err)
		os.Exit(1)
	}
	defer cs.Close()
	res, err := cs.ListTools(ctx, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdkclient:", err)
		os.Exit(1)
	}
	fmt.Println(len(res.Tools), "tools")
}

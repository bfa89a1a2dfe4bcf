package cmd

import (
	"strings"
	"time"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/spf13/pflag"
)

// clientFlags select the client identity and what it asks for.
type clientFlags struct {
	ClientID          string
	ClientSecret      string
	ClientMetadataURL string
	Scopes            []string
	Resource          string
}

func (c *clientFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&c.ClientID, "client-id", "", "use this pre-registered client_id")
	fs.StringVar(&c.ClientSecret, "client-secret", "", "client secret of the pre-registered client")
	fs.StringVar(&c.ClientMetadataURL, "client-metadata-url", "", "https URL of a Client ID Metadata Document to use as client_id")
	fs.StringSliceVar(&c.Scopes, "scope", nil, "scopes to request (replaces the challenge / PRM selection); repeat or comma-separate")
	fs.StringVar(&c.Resource, "resource", "", "override the RFC 8707 resource parameter")
}

// callbackFlags shape the authorize step.
type callbackFlags struct {
	Port      int
	Headless  bool
	NoBrowser bool
	AuthWait  time.Duration
}

func (c *callbackFlags) addFlags(fs *pflag.FlagSet) {
	fs.IntVar(&c.Port, "callback-port", 0, "loopback port for the redirect URI (default: any free port)")
	fs.BoolVar(&c.Headless, "headless", false, "complete authorization without a browser, following the authorization server's redirects")
	fs.BoolVar(&c.NoBrowser, "no-browser", false, "print the authorization URL instead of opening a browser")
	fs.DurationVar(&c.AuthWait, "auth-wait", 5*time.Minute, "how long to wait for the browser to come back")
}

// outputFlags choose what is printed.
type outputFlags struct {
	JSON    bool
	Verbose bool
	Timeout time.Duration
}

func (o *outputFlags) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.JSON, "json", false, "print exactly one JSON document (the report) on stdout; human output goes to stderr")
	fs.BoolVar(&o.Verbose, "verbose", false, "print every header and whole bodies (secrets stay redacted)")
	fs.DurationVar(&o.Timeout, "timeout", 30*time.Second, "time limit for each HTTP request")
}

// gradingFlags choose the revision graded against and strictness.
type gradingFlags struct {
	Spec    string
	Lenient bool
}

func (g *gradingFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&g.Spec, "spec", flow.LatestRevision, "grade the server against this MCP revision: "+strings.Join(flow.Revisions, ", "))
	fs.BoolVar(&g.Lenient, "lenient", false, "record violations a strict client would stop at, and carry on to show the rest of the flow")
}

func (g gradingFlags) validate() error {
	if err := flow.ValidRevision(g.Spec); err != nil {
		return usagef("--spec: %v", err)
	}
	return nil
}

func (g gradingFlags) apply(cfg *flow.Config) {
	cfg.Spec, cfg.Lenient = g.Spec, g.Lenient
}

// walkFlags are the flag groups of every command that walks a server the
// user names (check, call, walk).
type walkFlags struct {
	Client   clientFlags
	Callback callbackFlags
	Output   outputFlags
	Grading  gradingFlags
	Protocol string
}

func (w *walkFlags) addFlags(fs *pflag.FlagSet) {
	w.Client.addFlags(fs)
	w.Callback.addFlags(fs)
	w.Output.addFlags(fs)
	w.Grading.addFlags(fs)
	fs.StringVar(&w.Protocol, "protocol-version", "", "MCP protocol revision to request (default: negotiate the newest)")
}

// config is the engine configuration for server.
func (w walkFlags) config(server string) flow.Config {
	cfg := config(server, w.Client, w.Callback, w.Protocol)
	w.Grading.apply(&cfg)
	return cfg
}

// config assembles the engine configuration from the flag groups.
func config(server string, c clientFlags, cb callbackFlags, protocol string) flow.Config {
	return flow.Config{
		ServerURL:         server,
		ClientID:          c.ClientID,
		ClientSecret:      c.ClientSecret,
		ClientMetadataURL: c.ClientMetadataURL,
		Scopes:            c.Scopes,
		Resource:          c.Resource,
		CallbackPort:      cb.Port,
		Headless:          cb.Headless,
		AuthWait:          cb.AuthWait,
		ProtocolVersion:   protocol,
		Version:           Version,
	}
}

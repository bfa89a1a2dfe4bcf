package cmd

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/store"
	"github.com/spf13/pflag"
)

// clientFlags select the client identity and what it asks for.
type clientFlags struct {
	ClientID          string
	ClientSecret      string
	ClientIssuer      string
	ClientMetadataURL string
	Scopes            []string
	Resource          string
	AuthParams        []string
	Grant             string
	KeyFile           string
	KeyAlg            string
	Assertion         string
	IdPTokenEndpoint  string
	IdPClientID       string
	IdPClientSecret   string
	IdPIDToken        string
	DPoP              string
}

func (c *clientFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&c.ClientID, "client-id", "", "use this pre-registered client_id")
	fs.StringVar(&c.ClientSecret, "client-secret", "", "client secret of the pre-registered client")
	fs.StringVar(&c.ClientIssuer, "client-issuer", "", "issuer of the authorization server the pre-registered client belongs to; another one is refused (SEP-2352)")
	fs.StringVar(&c.ClientMetadataURL, "client-metadata-url", "", "https URL of a Client ID Metadata Document to use as client_id")
	fs.StringSliceVar(&c.Scopes, "scope", nil, "scopes to request (replaces the challenge / PRM selection); repeat or comma-separate")
	fs.StringVar(&c.Resource, "resource", "", "override the RFC 8707 resource parameter")
	fs.StringArrayVar(&c.AuthParams, "auth-param", nil, "extra authorization request parameter key=value (repeatable), e.g. prompt=consent")
	fs.StringVar(&c.Grant, "grant", flow.GrantAuthorizationCode, "how to get the token: authorization_code (a user, in a browser), client_credentials (the pre-registered client itself), jwt-bearer (a workload JWT, --assertion) or enterprise (an ID token exchanged at the enterprise IdP for an ID-JAG, --idp-*)")
	fs.StringVar(&c.Assertion, "assertion", "", "the JWT the jwt-bearer grant presents, or @FILE to read it")
	fs.StringVar(&c.IdPTokenEndpoint, "idp-token-endpoint", "", "enterprise grant: the IdP's token endpoint (RFC 8693 token exchange)")
	fs.StringVar(&c.IdPClientID, "idp-client-id", "", "enterprise grant: the client's id at the IdP")
	fs.StringVar(&c.IdPClientSecret, "idp-client-secret", "", "enterprise grant: the client's secret at the IdP")
	fs.StringVar(&c.IdPIDToken, "idp-id-token", "", "enterprise grant: the user's ID token from the IdP, or @FILE to read it")
	fs.StringVar(&c.KeyFile, "client-key", "", "PEM private key (P-256 or RSA) authenticating the pre-registered client with private_key_jwt (RFC 7523)")
	fs.StringVar(&c.KeyAlg, "client-key-alg", "", "JWS algorithm for --client-key: ES256 or RS256 (default: from the key)")
	fs.StringVar(&c.DPoP, "dpop", flow.DPoPAuto, "sender-constrained tokens (DPoP, RFC 9449): auto (when the authorization server advertises it and the MCP server accepts it), always (stop if the authorization server does not advertise it), never (Bearer tokens)")
}

// callbackFlags shape the authorize step.
type callbackFlags struct {
	Port        int
	RedirectURI string
	// host and path come from RedirectURI (validate).
	host, path string
	Headless   bool
	NoBrowser  bool
	AuthWait   time.Duration
}

func (c *callbackFlags) addFlags(fs *pflag.FlagSet) {
	fs.IntVar(&c.Port, "callback-port", 0, "loopback port for the redirect URI (default: any free port)")
	fs.StringVar(&c.RedirectURI, "redirect-uri", "", "the loopback redirect URI to use, for a client registered with a fixed one: http://127.0.0.1|localhost|[::1][:PORT]/PATH (default http://127.0.0.1:<any free port>/callback)")
	fs.BoolVar(&c.Headless, "headless", false, "complete authorization without a browser, following the authorization server's redirects")
	fs.BoolVar(&c.NoBrowser, "no-browser", false, "print the authorization URL instead of opening a browser")
	fs.DurationVar(&c.AuthWait, "auth-wait", 5*time.Minute, "how long to wait for the browser to come back")
}

// validate checks --redirect-uri and takes its host, port and path.
func (c *callbackFlags) validate() error {
	if c.RedirectURI == "" {
		return nil
	}
	u, err := url.Parse(c.RedirectURI)
	if err != nil || u.Scheme != "http" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return usagef("--redirect-uri %q: expected http://127.0.0.1, localhost or [::1], an optional port and a path, nothing else", c.RedirectURI)
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
	default:
		return usagef("--redirect-uri %q: the host must be a loopback one (127.0.0.1, localhost or [::1]): mcpwalk receives the redirect itself (RFC 8252 §7.3)", c.RedirectURI)
	}
	port := 0
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return usagef("--redirect-uri %q: port %q is not one", c.RedirectURI, p)
		}
	}
	if c.Port != 0 && port != 0 && c.Port != port {
		return usagef("--redirect-uri names port %d, --callback-port %d: give one", port, c.Port)
	}
	if port != 0 {
		c.Port = port
	}
	c.host, c.path = u.Hostname(), u.Path
	if c.path == "" {
		c.path = "/"
	}
	return nil
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

func (w *walkFlags) validate() error {
	if err := w.Client.validate(); err != nil {
		return err
	}
	if err := w.Callback.validate(); err != nil {
		return err
	}
	switch w.Elicitation {
	case flow.ElicitNone, flow.ElicitDecline, flow.ElicitDefaults:
	default:
		return usagef("--elicitation %q: expected decline or defaults (or empty)", w.Elicitation)
	}
	for _, v := range []*string{&w.Client.Assertion, &w.Client.IdPIDToken} {
		if name, ok := strings.CutPrefix(*v, "@"); ok {
			raw, err := os.ReadFile(name)
			if err != nil {
				return usagef("%v", err)
			}
			*v = strings.TrimSpace(string(raw))
		}
	}
	if w.Client.KeyFile != "" {
		raw, err := os.ReadFile(w.Client.KeyFile)
		if err != nil {
			return usagef("--client-key: %v", err)
		}
		k, err := flow.ParseClientKey(string(raw), w.Client.KeyAlg)
		if err != nil {
			return usagef("--client-key %s: %v", w.Client.KeyFile, err)
		}
		w.key = k
	}
	return w.Grading.validate()
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

// storeFlags choose where tokens and registrations are kept.
type storeFlags struct {
	Kind       string
	StoredOnly bool
}

func (t *storeFlags) addFlags(fs *pflag.FlagSet) {
	def := os.Getenv("MCPWALK_TOKEN_STORE")
	if def == "" {
		def = store.KindAuto
	}
	fs.StringVar(&t.Kind, "token-store", def, "where tokens and registrations are kept: auto (OS keychain, else a 0600 file), keyring, file, none (env MCPWALK_TOKEN_STORE)")
	fs.BoolVar(&t.StoredOnly, "stored-auth-only", false, "never start a login: use (or refresh) the stored token, else exit with code 4")
}

// open returns the chosen store (nil for none), warning on errOut when
// the keychain is missing and the file is used instead.
func (t storeFlags) open(ctx context.Context, errOut io.Writer) (flow.TokenStore, error) {
	st, err := store.Open(ctx, t.Kind, func(msg string) { fmt.Fprintln(errOut, "mcpwalk: warning:", msg) })
	if err != nil {
		return nil, usagef("%v", err)
	}
	if st == nil {
		if t.StoredOnly {
			return nil, usagef("--stored-auth-only needs a token store; --token-store none keeps nothing")
		}
		return nil, nil
	}
	return st, nil
}

// walkFlags are the flag groups of every command that walks a server the
// user names (check, call, walk).
type walkFlags struct {
	Client      clientFlags
	Callback    callbackFlags
	Output      outputFlags
	Grading     gradingFlags
	Store       storeFlags
	Protocol    string
	Elicitation string
	key         *flow.ClientKey // parsed --client-key
}

func (w *walkFlags) addFlags(fs *pflag.FlagSet) {
	w.Client.addFlags(fs)
	w.Callback.addFlags(fs)
	w.Output.addFlags(fs)
	w.Grading.addFlags(fs)
	w.Store.addFlags(fs)
	fs.StringVar(&w.Protocol, "protocol-version", "", "MCP protocol revision to request (default: negotiate the newest)")
	fs.StringVar(&w.Elicitation, "elicitation", flow.ElicitNone, "answer servers' requests for user input: \"\" (do not offer elicitation), decline, or defaults (accept with the schema's defaults)")
}

// config is the engine configuration for server.
func (w walkFlags) config(server string) flow.Config {
	cfg := config(server, w.Client, w.Callback, w.Protocol)
	w.Grading.apply(&cfg)
	cfg.StoredAuthOnly = w.Store.StoredOnly
	cfg.ClientKey = w.key
	cfg.Elicitation = w.Elicitation
	return cfg
}

// config assembles the engine configuration from the flag groups.
func config(server string, c clientFlags, cb callbackFlags, protocol string) flow.Config {
	return flow.Config{
		ServerURL:         server,
		ClientID:          c.ClientID,
		ClientSecret:      c.ClientSecret,
		ClientIssuer:      c.ClientIssuer,
		ClientMetadataURL: c.ClientMetadataURL,
		Scopes:            c.Scopes,
		Resource:          c.Resource,
		AuthParams:        authParams(c.AuthParams),
		Grant:             c.Grant,
		DPoP:              c.DPoP,
		Assertion:         c.Assertion,
		IdP:               idp(c),
		CallbackHost:      cb.host,
		CallbackPort:      cb.Port,
		CallbackPath:      cb.path,
		Headless:          cb.Headless,
		AuthWait:          cb.AuthWait,
		ProtocolVersion:   protocol,
		Version:           Version,
	}
}

// authParams turns key=value flags into a map; entries without "=" are
// refused by validate.
func authParams(kv []string) map[string]string {
	if len(kv) == 0 {
		return nil
	}
	m := map[string]string{}
	for _, p := range kv {
		if k, v, ok := strings.Cut(p, "="); ok && k != "" {
			m[k] = v
		}
	}
	return m
}

// validate checks the client flags.
func (c clientFlags) validate() error {
	switch c.Grant {
	case flow.GrantAuthorizationCode, flow.GrantClientCredentials, flow.GrantJWTBearer, flow.GrantEnterprise:
	default:
		return usagef("--grant %q: expected authorization_code, client_credentials, jwt-bearer or enterprise", c.Grant)
	}
	switch c.DPoP {
	case flow.DPoPAuto, flow.DPoPAlways, flow.DPoPNever:
	default:
		return usagef("--dpop %q: expected auto, always or never", c.DPoP)
	}
	for _, p := range c.AuthParams {
		k, _, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return usagef("--auth-param %q: expected key=value", p)
		}
		switch k {
		case "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "resource", "response_type", "scope", "dpop_jkt":
			return usagef("--auth-param %s: mcpwalk sets this parameter itself (use --scope, --resource, --client-id)", k)
		}
	}
	return nil
}

func idp(c clientFlags) *flow.IdP {
	if c.IdPTokenEndpoint == "" && c.IdPIDToken == "" {
		return nil
	}
	return &flow.IdP{TokenEndpoint: c.IdPTokenEndpoint, ClientID: c.IdPClientID, ClientSecret: c.IdPClientSecret, IDToken: c.IdPIDToken}
}

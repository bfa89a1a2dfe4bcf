package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/store"
	"github.com/spf13/cobra"
)

// tokenOptions are the flags shared by the token commands.
type tokenOptions struct {
	F       *Factory
	Store   storeFlags
	JSON    bool
	Timeout time.Duration
}

func (o *tokenOptions) addFlags(c *cobra.Command, network bool) {
	o.Store.addFlags(c.Flags())
	c.Flags().Lookup("stored-auth-only").Hidden = true
	c.Flags().BoolVar(&o.JSON, "json", false, "print one JSON document on stdout")
	if network {
		c.Flags().DurationVar(&o.Timeout, "timeout", 30*time.Second, "time limit for each HTTP request")
	}
}

// open returns the store; none is refused, since there is nothing in it.
func (o *tokenOptions) open(ctx context.Context) (*store.Store, error) {
	st, err := store.Open(ctx, o.Store.Kind, func(msg string) { fmt.Fprintln(o.F.IO.ErrOut, "mcpwalk: warning:", msg) })
	if err != nil {
		return nil, usagef("%v", err)
	}
	if st == nil {
		return nil, usagef("--token-store none keeps no tokens")
	}
	return st, nil
}

// NewCmdToken builds `mcpwalk token` and its subcommands.
func NewCmdToken(f *Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "token",
		Short: "List, show, decode, refresh and remove stored tokens",
		Long: `Tokens and client registrations are kept between runs in the OS keychain
(service "mcpwalk"), or, where there is none, in a 0600 file under
$XDG_DATA_HOME/mcpwalk (default ~/.local/share/mcpwalk). --token-store
chooses explicitly. Secrets are never printed unless --reveal is given.`,
	}
	c.AddCommand(newCmdTokenList(f), newCmdTokenShow(f), newCmdTokenDecode(f), newCmdTokenRefresh(f), newCmdTokenRm(f))
	return c
}

func newCmdTokenList(f *Factory) *cobra.Command {
	o := &tokenOptions{F: f}
	c := &cobra.Command{
		Use:   "list",
		Short: "List stored tokens and registrations (never the secrets)",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			ix, err := st.Index(cmd.Context())
			if err != nil {
				return err
			}
			if o.JSON {
				return writeJSON(f.IO.Out, map[string]any{"storage": st.Where(), "tokens": nonNil(ix.Tokens), "registrations": nonNil(ix.Clients)})
			}
			printIndex(f.IO.Out, ix, st.Where(), time.Now())
			return nil
		},
	}
	o.addFlags(c, false)
	return c
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func printIndex(w io.Writer, ix *store.Index, where string, now time.Time) {
	fmt.Fprintf(w, "storage: %s\n\n", where)
	if len(ix.Tokens) == 0 {
		fmt.Fprintln(w, "no stored tokens")
	} else {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SERVER\tISSUER\tCLIENT\tTYPE\tSCOPES\tEXPIRES\tREFRESH")
		for _, t := range ix.Tokens {
			refresh, typ := "no", "Bearer"
			if t.Refreshable {
				refresh = "yes"
			}
			if t.DPoP {
				typ = "DPoP"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Server, t.Issuer, t.ClientID, typ, strings.Join(t.Scopes, " "), relTime(t.Expiry, now), refresh)
		}
		tw.Flush()
	}
	if len(ix.Clients) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "AUTHORIZATION SERVER\tCLIENT\tHOW\tREGISTERED")
		for _, c := range ix.Clients {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Issuer, c.ClientID, c.Source, c.RegisteredAt.Local().Format(time.DateTime))
		}
		tw.Flush()
	}
}

// relTime says when t is relative to now ("in 59m", "expired 3m ago").
func relTime(t, now time.Time) string {
	switch {
	case t.IsZero():
		return "unknown"
	case t.After(now):
		return "in " + t.Sub(now).Round(time.Second).String()
	}
	return "expired " + now.Sub(t).Round(time.Second).String() + " ago"
}

// storedFor reads the token stored for the server URL raw.
func storedFor(ctx context.Context, st *store.Store, raw string) (*flow.StoredToken, string, error) {
	server, err := discovery.CanonicalResource(raw)
	if err != nil {
		return nil, "", usagef("%v", err)
	}
	t, err := st.Token(ctx, server)
	if err != nil {
		return nil, server, err
	}
	if t == nil {
		return nil, server, fmt.Errorf("no token stored for %s in %s (see mcpwalk token list)", server, st.Where())
	}
	return t, server, nil
}

// shownToken is a stored token as token show prints it.
type shownToken struct {
	*flow.StoredToken
	Storage string `json:"storage"`
	// DPoPKeyThumbprint is the jkt of the stored DPoP key (no secret).
	DPoPKeyThumbprint string     `json:"dpop_key_thumbprint,omitempty"`
	Decoded           *decodedTk `json:"access_token_decoded,omitempty"`
}

func newCmdTokenShow(f *Factory) *cobra.Command {
	o := &tokenOptions{F: f}
	var reveal bool
	c := &cobra.Command{
		Use:   "show URL",
		Short: "Show the token stored for a server, secrets hidden unless --reveal",
		Args:  exactArgs(1, "the MCP server URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			t, _, err := storedFor(cmd.Context(), st, args[0])
			if err != nil {
				return err
			}
			shown := *t
			if !reveal {
				shown.AccessToken = mask(t.AccessToken)
				shown.RefreshToken = mask(t.RefreshToken)
				shown.DPoPKey = mask(t.DPoPKey)
			}
			jkt := t.DPoPThumbprint()
			out := shownToken{StoredToken: &shown, Storage: st.Where(), DPoPKeyThumbprint: jkt, Decoded: decodeToken(t.AccessToken, t.Resource, jkt, time.Now())}
			if reveal {
				fmt.Fprintln(f.IO.ErrOut, "mcpwalk: --reveal: the output below holds live secrets")
			}
			return writeJSON(f.IO.Out, out)
		},
	}
	o.addFlags(c, false)
	c.Flags().BoolVar(&reveal, "reveal", false, "print the access and refresh tokens (and the DPoP private key) themselves")
	return c
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf("[hidden: %d characters; --reveal prints it]", len(s))
}

func newCmdTokenRefresh(f *Factory) *cobra.Command {
	var flags walkFlags
	var checkReuse bool
	c := &cobra.Command{
		Use:   "refresh URL",
		Short: "Force a refresh of the stored token and report what happened",
		Long: `Refreshes the token stored for URL now, with the resource parameter, and
reports: whether a refresh token was issued at all (and if not, why), whether
it rotated, whether the new one was saved, and whether the new access token's
audience and scopes still match. Never starts a login. --check-reuse also
replays the old refresh token after a rotation, to see reuse refused.`,
		Args: exactArgs(1, "the MCP server URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := flags.validate(); err != nil {
				return err
			}
			cfg := flags.config(args[0])
			cfg.ForceRefresh = true
			cfg.CheckReuse = checkReuse
			st, err := flags.Store.open(cmd.Context(), f.IO.ErrOut)
			if err != nil {
				return err
			}
			if st == nil {
				return usagef("--token-store none keeps no tokens to refresh")
			}
			w := newWalk(f, cfg, flags.Output, true, st)
			defer w.engine.Close()
			_, err = w.finish(w.engine.Authenticate(cmd.Context()))
			return err
		},
	}
	flags.addFlags(c.Flags())
	c.Flags().BoolVar(&checkReuse, "check-reuse", false, "after a rotation, replay the old refresh token: it must be refused (an authorization server with reuse detection then ends the grant, and the next run logs in again)")
	return c
}

func newCmdTokenRm(f *Factory) *cobra.Command {
	o := &tokenOptions{F: f}
	var all bool
	c := &cobra.Command{
		Use:   "rm URL | --all",
		Short: "Forget the token stored for a server (--all: every token and registration)",
		Args:  rangeArgs(0, 1, "the MCP server URL, or --all"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) == 1) {
				return usagef("give either a server URL or --all")
			}
			ctx := cmd.Context()
			st, err := o.open(ctx)
			if err != nil {
				return err
			}
			unlock, err := st.Lock(ctx)
			if err != nil {
				return err
			}
			defer unlock()
			if !all {
				server, err := discovery.CanonicalResource(args[0])
				if err != nil {
					return usagef("%v", err)
				}
				if err := st.DeleteToken(ctx, server); errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("no token stored for %s in %s", server, st.Where())
				} else if err != nil {
					return err
				}
				fmt.Fprintf(f.IO.ErrOut, "removed the token for %s from %s (the registration is kept; --all removes everything)\n", server, st.Where())
				return nil
			}
			ix, err := st.Index(ctx)
			if err != nil {
				return err
			}
			for _, t := range ix.Tokens {
				if err := st.DeleteToken(ctx, t.Server); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
			for _, c := range ix.Clients {
				if err := st.DeleteClient(ctx, c.Issuer, c.ClientID); err != nil {
					return err
				}
			}
			fmt.Fprintf(f.IO.ErrOut, "removed %d token(s) and %d registration(s) from %s\n", len(ix.Tokens), len(ix.Clients), st.Where())
			return nil
		},
	}
	o.addFlags(c, false)
	c.Flags().BoolVar(&all, "all", false, "remove every stored token and registration")
	return c
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

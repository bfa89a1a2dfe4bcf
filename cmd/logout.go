package cmd

import (
	"errors"
	"fmt"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/record"
	"github.com/mcpwalk/mcpwalk/internal/store"
	"github.com/spf13/cobra"
)

// NewCmdLogout builds `mcpwalk logout URL`: revoke, then forget.
func NewCmdLogout(f *Factory) *cobra.Command {
	o := &tokenOptions{F: f}
	c := &cobra.Command{
		Use:   "logout URL",
		Short: "Revoke the stored token at the authorization server (RFC 7009) and forget it",
		Args:  exactArgs(1, "the MCP server URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
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
			t, server, err := storedFor(ctx, st, args[0])
			if err != nil {
				return err
			}
			client, _ := st.Client(ctx, t.Issuer, t.ClientID)
			var revs []flow.Revocation
			var revErr error
			if t.RevocationEndpoint == "" {
				revErr = fmt.Errorf("%s advertises no revocation_endpoint: the token stays valid until it expires", t.Issuer)
			} else {
				hc := record.NewClient(record.NewTransport(), record.ClientOptions{Timeout: o.Timeout})
				revs, revErr = flow.Revoke(ctx, hc, t, client)
			}
			if err := st.DeleteToken(ctx, server); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			failed := revErr != nil
			for _, r := range revs {
				if r.Status != 200 {
					failed = true
				}
			}
			if o.JSON {
				res := map[string]any{"server": server, "revocations": nonNil(revs), "forgotten": true}
				if revErr != nil {
					res["error"] = revErr.Error()
				}
				if err := writeJSON(f.IO.Out, res); err != nil {
					return err
				}
			} else {
				for _, r := range revs {
					status := "revoked"
					if r.Status != 200 {
						status = fmt.Sprintf("not revoked (%d %s)", r.Status, r.Error)
					}
					fmt.Fprintf(f.IO.ErrOut, "%s at %s: %s\n", r.Kind, t.RevocationEndpoint, status)
				}
				if revErr != nil {
					fmt.Fprintf(f.IO.ErrOut, "mcpwalk: %v\n", revErr)
				}
				fmt.Fprintf(f.IO.ErrOut, "forgot the token for %s (%s)\n", server, st.Where())
			}
			if failed {
				return errSilent
			}
			return nil
		},
	}
	o.addFlags(c, true)
	return c
}

package cmd

import (
	"io"
	"strings"
	"time"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/spf13/cobra"
)

// decodedTk is what token decode says about an access token.
type decodedTk struct {
	Format          string         `json:"format"` // jwt or opaque
	Header          map[string]any `json:"header,omitempty"`
	Claims          *flow.Claims   `json:"claims,omitempty"`
	Expires         string         `json:"expires,omitempty"`
	Resource        string         `json:"resource,omitempty"`
	AudienceMatches *bool          `json:"audience_matches,omitempty"`
	Scopes          []string       `json:"scopes,omitempty"`
	DPoP            *dpopBinding   `json:"dpop,omitempty"`
	Note            string         `json:"note,omitempty"`
}

// dpopBinding is what a token says about the DPoP key it is bound to
// (cnf.jkt, RFC 9449 §6.1), and whether that is the stored key.
type dpopBinding struct {
	JKT           string `json:"cnf_jkt,omitempty"`
	KeyThumbprint string `json:"stored_key_thumbprint,omitempty"`
	Matches       *bool  `json:"matches_stored_key,omitempty"`
}

// decodeToken says what tok is; keyJKT, when known, is the thumbprint of
// the DPoP key stored with it.
func decodeToken(tok, resource, keyJKT string, now time.Time) *decodedTk {
	h, c, err := flow.DecodeJWT(tok)
	if err != nil {
		d := &decodedTk{Format: "opaque", Resource: resource,
			Note: "an opaque token: only the authorization server (introspection) and the MCP server can tell what it stands for"}
		if keyJKT != "" {
			d.DPoP = &dpopBinding{KeyThumbprint: keyJKT}
		}
		return d
	}
	d := &decodedTk{Format: "jwt", Header: h, Claims: c, Resource: resource, Scopes: strings.Fields(c.Scope),
		Note: "decoded, not verified: the signature is the MCP server's to check"}
	if c.Confirmation != nil || keyJKT != "" {
		d.DPoP = &dpopBinding{KeyThumbprint: keyJKT}
		if c.Confirmation != nil {
			d.DPoP.JKT = c.Confirmation.JKT
		}
		if d.DPoP.JKT != "" && keyJKT != "" {
			m := d.DPoP.JKT == keyJKT
			d.DPoP.Matches = &m
		}
	}
	if c.Expiry != 0 {
		d.Expires = relTime(time.Unix(c.Expiry, 0), now)
	}
	if resource != "" {
		m := false
		for _, a := range c.Audience {
			m = m || a == resource
		}
		d.AudienceMatches = &m
	}
	return d
}

func newCmdTokenDecode(f *Factory) *cobra.Command {
	o := &tokenOptions{F: f}
	var resource string
	c := &cobra.Command{
		Use:   "decode [TOKEN|URL]",
		Short: "Decode an access token (JWT header and claims, expiry, audience, scopes), given or stored for URL",
		Long: `Decodes a JWT access token without verifying it: header, claims, expiry,
audience compared with the resource, scopes, and for a DPoP-bound token the
key thumbprint it is bound to (cnf.jkt), compared with the stored key's. An opaque token is said to be
opaque. The argument is a token, or the URL of a server whose stored token
is decoded; with no argument the token is read from standard input.`,
		Args: rangeArgs(0, 1, "a token or an MCP server URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var tok, keyJKT string
			switch {
			case len(args) == 0:
				raw, err := io.ReadAll(io.LimitReader(f.IO.In, 64<<10))
				if err != nil {
					return err
				}
				tok = strings.TrimSpace(string(raw))
			case strings.HasPrefix(args[0], "http://") || strings.HasPrefix(args[0], "https://"):
				st, err := o.open(cmd.Context())
				if err != nil {
					return err
				}
				t, _, err := storedFor(cmd.Context(), st, args[0])
				if err != nil {
					return err
				}
				tok, keyJKT = t.AccessToken, t.DPoPThumbprint()
				if resource == "" {
					resource = t.Resource
				}
			default:
				tok = args[0]
			}
			if tok == "" {
				return usagef("no token given")
			}
			for _, scheme := range []string{"Bearer ", "bearer ", "DPoP ", "dpop "} {
				tok = strings.TrimPrefix(tok, scheme)
			}
			return writeJSON(f.IO.Out, decodeToken(tok, resource, keyJKT, time.Now()))
		},
	}
	o.addFlags(c, false)
	c.Flags().StringVar(&resource, "resource", "", "compare the audience with this resource (default: the stored token's)")
	return c
}

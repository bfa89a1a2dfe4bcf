package flow

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// StoredToken is what a walk keeps of a token for later runs: enough to
// reuse it, refresh it and revoke it without discovery.
type StoredToken struct {
	// Server is the canonical MCP server URI the token was obtained for.
	Server string `json:"server"`
	// Resource is the RFC 8707 resource it was requested for.
	Resource string `json:"resource"`
	// Issuer is the authorization server that issued it.
	Issuer string `json:"issuer"`
	// ClientID is the client it was issued to.
	ClientID string `json:"client_id"`
	// TokenEndpoint and RevocationEndpoint come from the issuer's
	// validated metadata.
	TokenEndpoint      string `json:"token_endpoint"`
	RevocationEndpoint string `json:"revocation_endpoint,omitempty"`

	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	TokenType    string    `json:"token_type,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	// Scopes granted (or requested, when the response did not say).
	Scopes []string `json:"scopes,omitempty"`
	// NoRefreshReason says why no refresh token came with it.
	NoRefreshReason string `json:"no_refresh_reason,omitempty"`

	// DPoPKey is the PKCS#8 PEM private key the token is bound to (RFC
	// 9449), kept with it because a DPoP-bound token (and its refresh
	// token) is useless without it. A secret, like the tokens.
	DPoPKey string `json:"dpop_key,omitempty"`

	ObtainedAt  time.Time `json:"obtained_at"`
	RefreshedAt time.Time `json:"refreshed_at,omitzero"`
}

// DPoPBound reports whether the token is a DPoP token (token_type DPoP),
// to be presented with proofs from DPoPKey.
func (t *StoredToken) DPoPBound() bool { return strings.EqualFold(t.TokenType, "DPoP") }

// DPoPThumbprint is the RFC 7638 thumbprint (jkt) of the stored DPoP key,
// "" when there is none or it cannot be read. It is no secret.
func (t *StoredToken) DPoPThumbprint() string {
	if t.DPoPKey == "" {
		return ""
	}
	k, err := ParseDPoPKey(t.DPoPKey)
	if err != nil {
		return ""
	}
	return k.Thumbprint()
}

// oauth2 returns the token as x/oauth2 sees it.
func (t *StoredToken) oauth2() *oauth2.Token {
	return &oauth2.Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, TokenType: t.TokenType, Expiry: t.Expiry}
}

// Expired reports whether the token is expired at now, with a margin so a
// token is not sent in its last seconds.
func (t *StoredToken) Expired(now time.Time) bool {
	return !t.Expiry.IsZero() && !t.Expiry.After(now.Add(expiryMargin))
}

const expiryMargin = 30 * time.Second

// StoredClient is a client registration kept for reuse across runs, per
// authorization server.
type StoredClient struct {
	Issuer       string `json:"issuer"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret,omitempty"`
	// RegistrationAccessToken and RegistrationClientURI are RFC 7592's
	// handle on a dynamic registration.
	RegistrationAccessToken string    `json:"registration_access_token,omitempty"`
	RegistrationClientURI   string    `json:"registration_client_uri,omitempty"`
	AuthMethod              string    `json:"token_endpoint_auth_method"`
	Source                  string    `json:"source"`
	RedirectURI             string    `json:"redirect_uri"`
	GrantTypes              []string  `json:"grant_types,omitempty"`
	RegisteredAt            time.Time `json:"registered_at"`
}

func (c *StoredClient) info() *ClientInfo {
	return &ClientInfo{ID: c.ClientID, Secret: c.ClientSecret, AuthMethod: c.AuthMethod, Source: c.Source,
		RedirectURI: c.RedirectURI, GrantTypes: slices.Clone(c.GrantTypes)}
}

// TokenStore keeps tokens and registrations between runs. Implementations
// must make every write atomic; Lock serialises a read-refresh-write
// sequence across processes so a rotated refresh token is never lost.
type TokenStore interface {
	// Lock takes the store's cross-process lock; unlock releases it.
	Lock(ctx context.Context) (unlock func(), err error)
	// Token returns the token stored for server, or nil.
	Token(ctx context.Context, server string) (*StoredToken, error)
	SaveToken(ctx context.Context, t *StoredToken) error
	// Client returns the registration stored for issuer and clientID
	// ("" = the one registered for mcpwalk itself), or nil.
	Client(ctx context.Context, issuer, clientID string) (*StoredClient, error)
	SaveClient(ctx context.Context, c *StoredClient) error
	DeleteClient(ctx context.Context, issuer, clientID string) error
	// Where names the storage for humans ("OS keychain", a file path).
	Where() string
}

// ErrLoginNeeded means no usable stored token exists and the walk was told
// not to start an interactive login (--stored-auth-only).
var ErrLoginNeeded = errors.New("no usable stored token, and --stored-auth-only forbids a new login")

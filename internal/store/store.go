package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/mcpwalk/mcpwalk/flow"
)

// Store is a flow.TokenStore over a Backend. Items:
//
//	index                     what is stored, without secrets (token list)
//	token:<server URL>        a flow.StoredToken
//	client:<issuer> <id>      a flow.StoredClient
//
// Writes happen under Lock, a lock file held with flock, so concurrent
// mcpwalk processes never interleave a read-refresh-write.
type Store struct {
	B Backend
	// LockPath is the cross-process lock file.
	LockPath string

	mu sync.Mutex // in-process half of the lock
}

var _ flow.TokenStore = (*Store)(nil)

// Index is the list of what is stored; it holds no secret.
type Index struct {
	Tokens  []TokenEntry  `json:"tokens"`
	Clients []ClientEntry `json:"clients"`
}

// TokenEntry describes a stored token.
type TokenEntry struct {
	Server      string    `json:"server"`
	Issuer      string    `json:"issuer"`
	ClientID    string    `json:"client_id"`
	Scopes      []string  `json:"scopes,omitempty"`
	Expiry      time.Time `json:"expiry,omitzero"`
	Refreshable bool      `json:"refreshable"`
	ObtainedAt  time.Time `json:"obtained_at"`
	RefreshedAt time.Time `json:"refreshed_at,omitzero"`
}

// ClientEntry describes a stored registration.
type ClientEntry struct {
	Issuer       string    `json:"issuer"`
	ClientID     string    `json:"client_id"`
	Source       string    `json:"source"`
	RegisteredAt time.Time `json:"registered_at"`
}

func tokenKey(server string) string            { return "token:" + server }
func clientKey(issuer, clientID string) string { return "client:" + issuer + " " + clientID }

const indexKey = "index"

// Where implements flow.TokenStore.
func (s *Store) Where() string { return s.B.Name() }

// Lock implements flow.TokenStore.
func (s *Store) Lock(ctx context.Context) (func(), error) {
	s.mu.Lock()
	if s.LockPath == "" {
		return s.mu.Unlock, nil
	}
	if err := os.MkdirAll(filepath.Dir(s.LockPath), 0o700); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	f, err := os.OpenFile(s.LockPath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	if err := lockFile(ctx, f); err != nil {
		f.Close()
		s.mu.Unlock()
		return nil, fmt.Errorf("locking %s: %w", s.LockPath, err)
	}
	return func() {
		_ = unlockFile(f)
		_ = f.Close()
		s.mu.Unlock()
	}, nil
}

// Index returns what is stored.
func (s *Store) Index(ctx context.Context) (*Index, error) {
	raw, err := s.B.Get(ctx, indexKey)
	if errors.Is(err, ErrNotFound) {
		return &Index{}, nil
	}
	if err != nil {
		return nil, err
	}
	var ix Index
	if err := json.Unmarshal([]byte(raw), &ix); err != nil {
		return nil, fmt.Errorf("the index in %s is damaged: %v", s.B.Name(), err)
	}
	return &ix, nil
}

func (s *Store) saveIndex(ctx context.Context, ix *Index) error {
	sort.Slice(ix.Tokens, func(i, j int) bool { return ix.Tokens[i].Server < ix.Tokens[j].Server })
	sort.Slice(ix.Clients, func(i, j int) bool {
		a, b := ix.Clients[i], ix.Clients[j]
		return a.Issuer < b.Issuer || a.Issuer == b.Issuer && a.ClientID < b.ClientID
	})
	raw, err := json.Marshal(ix)
	if err != nil {
		return err
	}
	return s.B.Set(ctx, indexKey, string(raw))
}

// Token implements flow.TokenStore.
func (s *Store) Token(ctx context.Context, server string) (*flow.StoredToken, error) {
	raw, err := s.B.Get(ctx, tokenKey(server))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var t flow.StoredToken
	if err := json.Unmarshal([]byte(raw), &t); err != nil {
		return nil, fmt.Errorf("the stored token for %s is damaged: %v", server, err)
	}
	return &t, nil
}

// SaveToken implements flow.TokenStore; callers hold Lock.
func (s *Store) SaveToken(ctx context.Context, t *flow.StoredToken) error {
	raw, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if err := s.B.Set(ctx, tokenKey(t.Server), string(raw)); err != nil {
		return err
	}
	ix, err := s.Index(ctx)
	if err != nil {
		return err
	}
	ix.Tokens = slices.DeleteFunc(ix.Tokens, func(e TokenEntry) bool { return e.Server == t.Server })
	ix.Tokens = append(ix.Tokens, TokenEntry{Server: t.Server, Issuer: t.Issuer, ClientID: t.ClientID, Scopes: t.Scopes,
		Expiry: t.Expiry, Refreshable: t.RefreshToken != "", ObtainedAt: t.ObtainedAt, RefreshedAt: t.RefreshedAt})
	return s.saveIndex(ctx, ix)
}

// DeleteToken removes the token stored for server; callers hold Lock.
func (s *Store) DeleteToken(ctx context.Context, server string) error {
	err := s.B.Delete(ctx, tokenKey(server))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	ix, ierr := s.Index(ctx)
	if ierr != nil {
		return ierr
	}
	n := len(ix.Tokens)
	ix.Tokens = slices.DeleteFunc(ix.Tokens, func(e TokenEntry) bool { return e.Server == server })
	if n == len(ix.Tokens) && errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	return s.saveIndex(ctx, ix)
}

// Client implements flow.TokenStore. With clientID "" it returns the
// newest registration mcpwalk made itself (dynamic or CIMD) at issuer.
func (s *Store) Client(ctx context.Context, issuer, clientID string) (*flow.StoredClient, error) {
	if clientID == "" {
		ix, err := s.Index(ctx)
		if err != nil {
			return nil, err
		}
		var best *ClientEntry
		for i, c := range ix.Clients {
			if c.Issuer == issuer && c.Source != "pre-registered" && (best == nil || c.RegisteredAt.After(best.RegisteredAt)) {
				best = &ix.Clients[i]
			}
		}
		if best == nil {
			return nil, nil
		}
		clientID = best.ClientID
	}
	raw, err := s.B.Get(ctx, clientKey(issuer, clientID))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c flow.StoredClient
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return nil, fmt.Errorf("the stored registration %s at %s is damaged: %v", clientID, issuer, err)
	}
	return &c, nil
}

// SaveClient implements flow.TokenStore; callers hold Lock.
func (s *Store) SaveClient(ctx context.Context, c *flow.StoredClient) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := s.B.Set(ctx, clientKey(c.Issuer, c.ClientID), string(raw)); err != nil {
		return err
	}
	ix, err := s.Index(ctx)
	if err != nil {
		return err
	}
	ix.Clients = slices.DeleteFunc(ix.Clients, func(e ClientEntry) bool { return e.Issuer == c.Issuer && e.ClientID == c.ClientID })
	ix.Clients = append(ix.Clients, ClientEntry{Issuer: c.Issuer, ClientID: c.ClientID, Source: c.Source, RegisteredAt: c.RegisteredAt})
	return s.saveIndex(ctx, ix)
}

// DeleteClient implements flow.TokenStore; callers hold Lock.
func (s *Store) DeleteClient(ctx context.Context, issuer, clientID string) error {
	if err := s.B.Delete(ctx, clientKey(issuer, clientID)); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	ix, err := s.Index(ctx)
	if err != nil {
		return err
	}
	ix.Clients = slices.DeleteFunc(ix.Clients, func(e ClientEntry) bool { return e.Issuer == issuer && e.ClientID == clientID })
	return s.saveIndex(ctx, ix)
}

// Kinds of store for --token-store.
const (
	KindAuto    = "auto"
	KindKeyring = "keyring"
	KindFile    = "file"
	KindNone    = "none"
)

// Dir is mcpwalk's data directory: $XDG_DATA_HOME/mcpwalk, else
// ~/.local/share/mcpwalk (on every platform, so one rule to document).
func Dir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "mcpwalk"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for the token file: %w", err)
	}
	return filepath.Join(home, ".local", "share", "mcpwalk"), nil
}

// Open returns the store of kind (auto, keyring, file), or nil for none.
// auto uses the OS keychain when it answers, else the file; warn is told
// why the file is used.
func Open(ctx context.Context, kind string, warn func(string)) (*Store, error) {
	if kind == KindNone {
		return nil, nil
	}
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	lock := filepath.Join(dir, "lock")
	file := &Store{B: &File{Path: filepath.Join(dir, "credentials.json")}, LockPath: lock}
	switch kind {
	case KindFile:
		return file, nil
	case KindKeyring, KindAuto:
		k := &Keyring{}
		_, err := k.Get(ctx, indexKey)
		if err == nil || errors.Is(err, ErrNotFound) {
			return &Store{B: k, LockPath: lock}, nil
		}
		if kind == KindKeyring {
			return nil, fmt.Errorf("--token-store keyring: %w", err)
		}
		if warn != nil {
			warn(fmt.Sprintf("no usable OS keychain (%v); keeping tokens in %s, readable only by you. Choose explicitly with --token-store keyring|file|none.", err, file.B.Name()))
		}
		return file, nil
	}
	return nil, fmt.Errorf("--token-store %q: expected auto, keyring, file or none", kind)
}

func jsonUnmarshal(raw []byte, v any) error { return json.Unmarshal(raw, v) }

func jsonMarshalSorted(m map[string]string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	err := enc.Encode(m) // encoding/json sorts map keys
	return b.Bytes(), err
}

// Package store keeps mcpwalk's tokens and client registrations between
// runs: in the OS keychain (github.com/zalando/go-keyring, service
// "mcpwalk"), or, where there is none, in a 0600 file under the XDG data
// directory. It implements flow.TokenStore.
package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// ErrNotFound is returned by a Backend for a key it does not hold.
var ErrNotFound = errors.New("not found")

// Backend is a flat key-value store of strings.
type Backend interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	Delete(ctx context.Context, key string) error
	// Name says where values live, for humans.
	Name() string
}

// Service is the keychain service every item is stored under.
const Service = "mcpwalk"

// KeyringTimeout bounds each keychain call: the Secret Service can hang on
// a headless Linux machine whose keyring waits for an unlock prompt.
const KeyringTimeout = 5 * time.Second

// maxItem is the largest value stored in one keychain item. Windows'
// credential manager refuses blobs over 2,560 bytes; larger values (a
// JWT access token with a refresh token easily is) are split into
// numbered items on every platform, so the behaviour is the same
// everywhere and tested here.
const maxItem = 2000

const chunkPrefix = "mcpwalk-chunks:"

// Keyring is the OS keychain.
type Keyring struct {
	// Timeout bounds each call (default KeyringTimeout).
	Timeout time.Duration
	// Impl is the keychain; nil means the OS one (tests inject a fake).
	Impl KeyringImpl
}

// KeyringImpl is go-keyring's API.
type KeyringImpl interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type osKeyring struct{}

func (osKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (osKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (osKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// Name implements Backend.
func (k *Keyring) Name() string { return "OS keychain (service " + Service + ")" }

func (k *Keyring) impl() KeyringImpl {
	if k.Impl != nil {
		return k.Impl
	}
	return osKeyring{}
}

// call runs fn with the timeout; a keychain that does not answer in time
// is reported, and its goroutine left to finish on its own.
func (k *Keyring) call(ctx context.Context, what string, fn func() (string, error)) (string, error) {
	t := k.Timeout
	if t <= 0 {
		t = KeyringTimeout
	}
	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	timer := time.NewTimer(t)
	defer timer.Stop()
	select {
	case r := <-done:
		if errors.Is(r.err, keyring.ErrNotFound) {
			return "", ErrNotFound
		}
		if r.err != nil {
			return "", fmt.Errorf("OS keychain %s: %w", what, r.err)
		}
		return r.v, nil
	case <-timer.C:
		return "", fmt.Errorf("OS keychain %s: no answer within %s (is the keyring locked or its daemon missing?)", what, t)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (k *Keyring) get(ctx context.Context, key string) (string, error) {
	return k.call(ctx, "read", func() (string, error) { return k.impl().Get(Service, key) })
}

func (k *Keyring) set(ctx context.Context, key, v string) error {
	_, err := k.call(ctx, "write", func() (string, error) { return "", k.impl().Set(Service, key, v) })
	return err
}

func (k *Keyring) del(ctx context.Context, key string) error {
	_, err := k.call(ctx, "delete", func() (string, error) { return "", k.impl().Delete(Service, key) })
	return err
}

// Get implements Backend, joining a value split over several items.
func (k *Keyring) Get(ctx context.Context, key string) (string, error) {
	v, err := k.get(ctx, key)
	if err != nil {
		return "", err
	}
	n, ok := chunkCount(v)
	if !ok {
		return v, nil
	}
	var b strings.Builder
	for i := 1; i <= n; i++ {
		part, err := k.get(ctx, chunkKey(key, i))
		if err != nil {
			return "", fmt.Errorf("part %d of %d of %q: %w", i, n, key, err)
		}
		b.WriteString(part)
	}
	return b.String(), nil
}

// Set implements Backend, splitting values over maxItem bytes. The parts
// are written before the item that names them, so a reader never sees a
// head without its parts.
func (k *Keyring) Set(ctx context.Context, key, value string) error {
	old, _ := k.get(ctx, key)
	oldN, _ := chunkCount(old)
	n := 0
	if len(value) > maxItem {
		for len(value) > 0 {
			m := min(maxItem, len(value))
			n++
			if err := k.set(ctx, chunkKey(key, n), value[:m]); err != nil {
				return err
			}
			value = value[m:]
		}
		value = chunkPrefix + strconv.Itoa(n)
	}
	if err := k.set(ctx, key, value); err != nil {
		return err
	}
	for i := n + 1; i <= oldN; i++ {
		_ = k.del(ctx, chunkKey(key, i))
	}
	return nil
}

// Delete implements Backend.
func (k *Keyring) Delete(ctx context.Context, key string) error {
	old, err := k.get(ctx, key)
	if err != nil {
		return err
	}
	n, _ := chunkCount(old)
	if err := k.del(ctx, key); err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		_ = k.del(ctx, chunkKey(key, i))
	}
	return nil
}

func chunkKey(key string, i int) string { return key + "#" + strconv.Itoa(i) }

func chunkCount(v string) (int, bool) {
	rest, ok := strings.CutPrefix(v, chunkPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 0
}

// File keeps every value in one JSON file, 0600, written atomically.
type File struct {
	Path string
}

// Name implements Backend.
func (f *File) Name() string { return "file " + f.Path + " (0600)" }

func (f *File) load() (map[string]string, error) {
	raw, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(f.Path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s is readable by others (mode %v): refusing to use it; chmod 600 it", f.Path, fi.Mode().Perm())
	}
	m := map[string]string{}
	if len(raw) == 0 {
		return m, nil
	}
	if err := jsonUnmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s is not a mcpwalk credentials file: %v", f.Path, err)
	}
	return m, nil
}

// save writes m to a temporary file beside Path and renames it over, so
// a crash or a concurrent reader never sees half a file.
func (f *File) save(m map[string]string) error {
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	raw, err := jsonMarshalSorted(m)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".credentials-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.Path)
}

// Get implements Backend.
func (f *File) Get(_ context.Context, key string) (string, error) {
	m, err := f.load()
	if err != nil {
		return "", err
	}
	v, ok := m[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set implements Backend. Callers hold the store's lock.
func (f *File) Set(_ context.Context, key, value string) error {
	m, err := f.load()
	if err != nil {
		return err
	}
	m[key] = value
	return f.save(m)
}

// Delete implements Backend.
func (f *File) Delete(_ context.Context, key string) error {
	m, err := f.load()
	if err != nil {
		return err
	}
	if _, ok := m[key]; !ok {
		return ErrNotFound
	}
	delete(m, key)
	return f.save(m)
}

// Memory is an in-process Backend for tests.
type Memory struct {
	mu sync.Mutex
	m  map[string]string
}

// Name implements Backend.
func (m *Memory) Name() string { return "memory" }

// Get implements Backend.
func (m *Memory) Get(_ context.Context, key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set implements Backend.
func (m *Memory) Set(_ context.Context, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]string{}
	}
	m.m[key] = value
	return nil
}

// Delete implements Backend.
func (m *Memory) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.m[key]; !ok {
		return ErrNotFound
	}
	delete(m.m, key)
	return nil
}

// Keys lists what m holds, sorted (tests look at item names).
func (m *Memory) Keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k := range m.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/zalando/go-keyring"
)

// fakeKeyring behaves like a keychain with Windows' per-item size limit.
type fakeKeyring struct {
	mu    sync.Mutex
	items map[string]string
	limit int
	block chan struct{} // when set, every call waits on it
}

func (f *fakeKeyring) wait() {
	if f.block != nil {
		<-f.block
	}
}

func (f *fakeKeyring) Get(s, u string) (string, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.items[s+"/"+u]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeKeyring) Set(s, u, p string) error {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.limit > 0 && len(p) > f.limit {
		return keyring.ErrSetDataTooBig
	}
	if f.items == nil {
		f.items = map[string]string{}
	}
	f.items[s+"/"+u] = p
	return nil
}

func (f *fakeKeyring) Delete(s, u string) error {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.items[s+"/"+u]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.items, s+"/"+u)
	return nil
}

func backends(t *testing.T) map[string]Backend {
	return map[string]Backend{
		"memory":  &Memory{},
		"file":    &File{Path: filepath.Join(t.TempDir(), "mcpwalk", "credentials.json")},
		"keyring": &Keyring{Impl: &fakeKeyring{limit: 2560}},
	}
}

func sampleToken(server string) *flow.StoredToken {
	return &flow.StoredToken{Server: server, Resource: server, Issuer: "https://as.example", ClientID: "c1",
		TokenEndpoint: "https://as.example/token", AccessToken: strings.Repeat("a", 3000), RefreshToken: "r1",
		TokenType: "Bearer", Expiry: time.Unix(4102444800, 0).UTC(), Scopes: []string{"mcp:read"}, ObtainedAt: time.Unix(1, 0).UTC()}
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := t.Context()
	for name, b := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := &Store{B: b, LockPath: filepath.Join(t.TempDir(), "lock")}
			if tok, err := s.Token(ctx, "https://mcp.example/mcp"); tok != nil || err != nil {
				t.Fatalf("empty store: %v %v", tok, err)
			}
			unlock, err := s.Lock(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := sampleToken("https://mcp.example/mcp")
			if err := s.SaveToken(ctx, want); err != nil {
				t.Fatal(err)
			}
			c := &flow.StoredClient{Issuer: "https://as.example", ClientID: "c1", Source: "dcr", AuthMethod: "none",
				RedirectURI: "http://127.0.0.1:5555/callback", RegisteredAt: time.Unix(2, 0).UTC()}
			if err := s.SaveClient(ctx, c); err != nil {
				t.Fatal(err)
			}
			unlock()
			got, err := s.Token(ctx, want.Server)
			if err != nil || got.AccessToken != want.AccessToken || got.RefreshToken != "r1" || !got.Expiry.Equal(want.Expiry) {
				t.Fatalf("token round trip: %v %+v", err, got)
			}
			gc, err := s.Client(ctx, "https://as.example", "")
			if err != nil || gc == nil || gc.ClientID != "c1" || gc.RedirectURI != c.RedirectURI {
				t.Fatalf("client lookup by issuer: %v %+v", err, gc)
			}
			ix, err := s.Index(ctx)
			if err != nil || len(ix.Tokens) != 1 || len(ix.Clients) != 1 || !ix.Tokens[0].Refreshable {
				t.Fatalf("index: %v %+v", err, ix)
			}
			if err := s.DeleteToken(ctx, want.Server); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteToken(ctx, want.Server); !errors.Is(err, ErrNotFound) {
				t.Errorf("second delete: %v, want ErrNotFound", err)
			}
			if err := s.DeleteClient(ctx, "https://as.example", "c1"); err != nil {
				t.Fatal(err)
			}
			if gc, _ := s.Client(ctx, "https://as.example", ""); gc != nil {
				t.Errorf("client survived DeleteClient")
			}
		})
	}
}

// Values over the per-item limit are split into numbered items; a later
// short value removes the parts.
func TestKeyringSplitsLargeValues(t *testing.T) {
	ctx := t.Context()
	fk := &fakeKeyring{limit: 2560}
	k := &Keyring{Impl: fk}
	big := strings.Repeat("x", 5*maxItem+17)
	if err := k.Set(ctx, "token:a", big); err != nil {
		t.Fatal(err)
	}
	for key, v := range fk.items {
		if len(v) > 2560 {
			t.Errorf("item %s holds %d bytes, over the limit", key, len(v))
		}
	}
	if len(fk.items) != 7 {
		t.Errorf("%d items, want the head and 6 parts", len(fk.items))
	}
	if got, err := k.Get(ctx, "token:a"); err != nil || got != big {
		t.Fatalf("Get: %v, %d bytes", err, len(got))
	}
	if err := k.Set(ctx, "token:a", "small"); err != nil {
		t.Fatal(err)
	}
	if len(fk.items) != 1 {
		t.Errorf("%d items after a short value, want 1", len(fk.items))
	}
	if err := k.Delete(ctx, "token:a"); err != nil || len(fk.items) != 0 {
		t.Errorf("Delete: %v, %d items left", err, len(fk.items))
	}
}

// A keychain that never answers is given up on after the timeout.
func TestKeyringTimeout(t *testing.T) {
	fk := &fakeKeyring{block: make(chan struct{})}
	defer close(fk.block)
	k := &Keyring{Impl: fk, Timeout: 50 * time.Millisecond}
	_, err := k.Get(t.Context(), "index")
	if err == nil || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("err = %v, want a timeout naming the limit", err)
	}
}

func TestFilePermissions(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "mcpwalk", "credentials.json")
	f := &File{Path: path}
	if err := f.Set(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	di, _ := os.Stat(filepath.Dir(path))
	if di.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", di.Mode().Perm())
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Get(ctx, "k"); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Errorf("a 0644 file was used: %v", err)
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Get(ctx, "k"); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("a damaged file: %v, want an error naming it", err)
	}
}

func TestOpenKinds(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	if s, err := Open(t.Context(), KindNone, nil); s != nil || err != nil {
		t.Errorf("none: %v %v", s, err)
	}
	s, err := Open(t.Context(), KindFile, nil)
	if err != nil || !strings.Contains(s.Where(), "credentials.json") {
		t.Errorf("file: %v %v", s, err)
	}
	if _, err := Open(t.Context(), "vault", nil); err == nil {
		t.Errorf("an unknown kind was accepted")
	}
}

// Concurrent processes each add to a counter under Lock, read-modify-
// write through the file store; none of their writes may be lost.
func TestConcurrentProcessesLoseNothing(t *testing.T) {
	if os.Getenv("MCPWALK_STORE_HELPER") != "" {
		return
	}
	dir := t.TempDir()
	const procs, each = 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, procs)
	for i := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestStoreHelperProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), "MCPWALK_STORE_HELPER="+dir, "MCPWALK_STORE_N="+strconv.Itoa(each), "MCPWALK_STORE_ID="+strconv.Itoa(i))
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("helper %d: %v\n%s", i, err, out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s := helperStore(dir)
	tok, err := s.Token(t.Context(), "https://mcp.example/mcp")
	if err != nil || tok == nil {
		t.Fatalf("no token after the helpers: %v", err)
	}
	if tok.RefreshToken != strconv.Itoa(procs*each) {
		t.Errorf("counter = %s, want %d: a rotation was lost", tok.RefreshToken, procs*each)
	}
	ix, _ := s.Index(t.Context())
	if len(ix.Tokens) != 1 {
		t.Errorf("index holds %d tokens, want 1", len(ix.Tokens))
	}
}

func helperStore(dir string) *Store {
	return &Store{B: &File{Path: filepath.Join(dir, "credentials.json")}, LockPath: filepath.Join(dir, "lock")}
}

// TestStoreHelperProcess is the child of TestConcurrentProcessesLoseNothing.
func TestStoreHelperProcess(t *testing.T) {
	dir := os.Getenv("MCPWALK_STORE_HELPER")
	if dir == "" {
		t.Skip("helper process for TestConcurrentProcessesLoseNothing")
	}
	n, _ := strconv.Atoi(os.Getenv("MCPWALK_STORE_N"))
	s := helperStore(dir)
	ctx := context.Background()
	for range n {
		unlock, err := s.Lock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.Token(ctx, "https://mcp.example/mcp")
		if err != nil {
			unlock()
			t.Fatal(err)
		}
		if tok == nil {
			tok = sampleToken("https://mcp.example/mcp")
			tok.RefreshToken = "0"
		}
		c, _ := strconv.Atoi(tok.RefreshToken)
		tok.RefreshToken = strconv.Itoa(c + 1)
		err = s.SaveToken(ctx, tok)
		unlock()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestRealSecretService runs against the desktop keyring over D-Bus: the
// CI script scripts/keyring-test.sh starts gnome-keyring in a D-Bus
// session, unlocked with a test password, and sets MCPWALK_SECRET_SERVICE.
// It checks with secret-tool that the items are really there.
func TestRealSecretService(t *testing.T) {
	if os.Getenv("MCPWALK_SECRET_SERVICE") == "" {
		t.Skip("needs a Secret Service: run scripts/keyring-test.sh")
	}
	ctx := t.Context()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	s, err := Open(ctx, KindKeyring, nil)
	if err != nil {
		t.Fatalf("the Secret Service is not usable: %v", err)
	}
	server := "https://mcp.example/mcp-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	tok := sampleToken(server)
	unlock, err := s.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveToken(ctx, tok); err != nil {
		unlock()
		t.Fatal(err)
	}
	unlock()
	// secret-tool sees the head item under service mcpwalk, and the parts
	// the 3000-byte token was split into.
	out, err := exec.CommandContext(ctx, "secret-tool", "lookup", "service", Service, "username", "token:"+server).Output()
	if err != nil || !strings.HasPrefix(string(out), chunkPrefix) {
		t.Fatalf("secret-tool lookup: %v %q", err, out)
	}
	part, err := exec.CommandContext(ctx, "secret-tool", "lookup", "service", Service, "username", "token:"+server+"#1").Output()
	if err != nil || len(part) != maxItem {
		t.Fatalf("secret-tool lookup of part 1: %v, %d bytes", err, len(part))
	}
	got, err := s.Token(ctx, server)
	if err != nil || got == nil || got.AccessToken != tok.AccessToken {
		t.Fatalf("read back: %v", err)
	}
	unlock, _ = s.Lock(ctx)
	err = s.DeleteToken(ctx, server)
	unlock()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.CommandContext(ctx, "secret-tool", "lookup", "service", Service, "username", "token:"+server).Output(); err == nil && len(out) > 0 {
		t.Errorf("the item is still in the keyring after DeleteToken")
	}
}

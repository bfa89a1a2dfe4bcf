package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// clientFor returns the registered client, or fetches a Client ID Metadata
// Document when the client_id is an http(s) URL. http is accepted for
// loopback hosts only, which is all a demo on 127.0.0.1 can reach.
func (s *Server) clientFor(r *http.Request, id string) (*client, error) {
	if id == "" {
		return nil, errors.New("client_id is missing")
	}
	s.state.mu.Lock()
	c := s.state.clients[id]
	s.state.mu.Unlock()
	if c != nil {
		return c, nil
	}
	if !strings.HasPrefix(id, "https://") && !strings.HasPrefix(id, "http://") {
		return nil, fmt.Errorf("unknown client_id %q", id)
	}
	c, err := fetchCIMD(r.Context(), id)
	if err != nil {
		return nil, err
	}
	s.state.mu.Lock()
	s.state.clients[id] = c
	s.state.mu.Unlock()
	return c, nil
}

func fetchCIMD(ctx context.Context, id string) (*client, error) {
	u, err := url.Parse(id)
	if err != nil || u.Path == "" || u.Path == "/" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("client_id %q is not a valid metadata document URL", id)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("client_id %q: http is allowed for loopback hosts only", id)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, id, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching the client metadata document %s: %w", id, err)
	}
	defer resp.Body.Close()
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != http.StatusOK || mt != "application/json" {
		return nil, fmt.Errorf("client metadata document %s: expected 200 application/json, got %d %s", id, resp.StatusCode, mt)
	}
	var doc struct {
		ClientID                string   `json:"client_id"`
		RedirectURIs            []string `json:"redirect_uris"`
		TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
		GrantTypes              []string `json:"grant_types"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("client metadata document %s: %w", id, err)
	}
	switch {
	case doc.ClientID != id:
		return nil, fmt.Errorf("client metadata document %s names client_id %q", id, doc.ClientID)
	case len(doc.RedirectURIs) == 0:
		return nil, fmt.Errorf("client metadata document %s has no redirect_uris", id)
	case doc.TokenEndpointAuthMethod != "" && doc.TokenEndpointAuthMethod != "none":
		return nil, fmt.Errorf("client metadata document %s: token_endpoint_auth_method must be none", id)
	}
	return &client{ID: id, AuthMethod: "none", RedirectURIs: doc.RedirectURIs, GrantTypes: doc.GrantTypes}, nil
}

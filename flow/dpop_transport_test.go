package flow

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The DPoP layer rewrites only a bound token's requests to the MCP
// server, on a clone: a Bearer token, another origin and the caller's own
// request object are left alone.
func TestDPoPTransport(t *testing.T) {
	var got []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Clone())
		w.Header().Set("DPoP-Nonce", "from-"+r.Host)
	}))
	defer srv.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Clone())
	}))
	defer other.Close()
	h := newHarness(t, Config{})
	e := h.e
	e.serverURL = srv.URL + "/mcp"
	e.dpop.enable("ES256")
	e.dpop.bind("bound-token")
	c := e.resourceHTTP()
	send := func(target, auth string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", auth)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return req
	}
	req := send(srv.URL+"/mcp?q=1", "Bearer bound-token")
	if req.Header.Get("Authorization") != "Bearer bound-token" || req.Header.Get("DPoP") != "" {
		t.Errorf("the caller's request was changed: %v", req.Header)
	}
	send(srv.URL+"/mcp", "Bearer plain-token")
	send(other.URL+"/mcp", "Bearer bound-token")
	if len(got) != 3 {
		t.Fatalf("%d requests", len(got))
	}
	if got[0].Get("Authorization") != "DPoP bound-token" || got[0].Get("DPoP") == "" {
		t.Errorf("the bound token went out as %q with proof %q", got[0].Get("Authorization"), got[0].Get("DPoP"))
	}
	claims := decodePart(t, strings.Split(got[0].Get("DPoP"), ".")[1])
	if claims["htu"] != srv.URL+"/mcp" || claims["htm"] != "GET" || claims["ath"] == nil || claims["nonce"] != nil {
		t.Errorf("proof claims %v", claims)
	}
	for i, what := range []string{"", "a Bearer token", "another origin"} {
		if i > 0 && (got[i].Get("DPoP") != "" || strings.HasPrefix(got[i].Get("Authorization"), "DPoP")) {
			t.Errorf("%s was given DPoP: %v", what, got[i])
		}
	}
	// The nonce the server supplied goes into the next proof to it, and
	// only to it.
	send(srv.URL+"/mcp", "Bearer bound-token")
	if claims := decodePart(t, strings.Split(got[3].Get("DPoP"), ".")[1]); claims["nonce"] != "from-"+strings.TrimPrefix(srv.URL, "http://") {
		t.Errorf("the next proof's nonce is %v", claims["nonce"])
	}
	if e.dpop.nonce(true, originOfString(srv.URL)) != "" {
		t.Errorf("a resource server's nonce was kept as the authorization server's")
	}
}

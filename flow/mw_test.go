package flow

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
)

// Middleware for the fake (its mw field): one odd answer without a new
// switch each.

// onPath answers requests for path with h; everything else goes to the fake.
func onPath(path string, h func(w http.ResponseWriter, r *http.Request, next http.Handler)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == path {
				h(w, r, next)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// rewriteAuthorizationResponse lets the fake answer /authorize, then
// changes the query of its redirect back to the client.
func rewriteAuthorizationResponse(change func(q url.Values)) func(http.Handler) http.Handler {
	return onPath("/authorize", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		loc, err := url.Parse(rec.Header().Get("Location"))
		if err != nil || rec.Code != http.StatusFound {
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		q := loc.Query()
		change(q)
		loc.RawQuery = q.Encode()
		http.Redirect(w, r, loc.String(), http.StatusFound)
	})
}

// rewriteJSON lets the fake answer path, then changes the JSON object it
// sent.
func rewriteJSON(path string, change func(m map[string]any)) func(http.Handler) http.Handler {
	return onPath(path, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var m map[string]any
		if json.Unmarshal(rec.Body.Bytes(), &m) != nil {
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		change(m)
		writeJSON(w, rec.Code, m)
	})
}

package discovery

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseWWWAuthenticate(t *testing.T) {
	tests := []struct {
		name    string
		values  []string
		want    []Challenge
		wantErr string // substring; "" means no error
	}{
		{
			name:   "bearer with resource_metadata",
			values: []string{`Bearer resource_metadata="https://a.example/.well-known/oauth-protected-resource/mcp", scope="read write"`},
			want: []Challenge{{Scheme: "Bearer", Params: map[string]string{
				"resource_metadata": "https://a.example/.well-known/oauth-protected-resource/mcp",
				"scope":             "read write",
			}}},
		},
		{
			name:   "case-insensitive names are lower-cased, scheme kept",
			values: []string{`bEaReR Realm="x", ERROR=invalid_token`},
			want:   []Challenge{{Scheme: "bEaReR", Params: map[string]string{"realm": "x", "error": "invalid_token"}}},
		},
		{
			name:   "several headers",
			values: []string{`Basic realm="a"`, `Bearer realm="b"`},
			want: []Challenge{
				{Scheme: "Basic", Params: map[string]string{"realm": "a"}},
				{Scheme: "Bearer", Params: map[string]string{"realm": "b"}},
			},
		},
		{
			name:   "several challenges in one header",
			values: []string{`Basic realm="a", Bearer realm="b", error="invalid_token", DPoP algs="ES256 PS256", resource_metadata="https://r/x"`},
			want: []Challenge{
				{Scheme: "Basic", Params: map[string]string{"realm": "a"}},
				{Scheme: "Bearer", Params: map[string]string{"realm": "b", "error": "invalid_token"}},
				{Scheme: "DPoP", Params: map[string]string{"algs": "ES256 PS256", "resource_metadata": "https://r/x"}},
			},
		},
		{
			name:   "quoted comma and escapes",
			values: []string{`Bearer error_description="a, b = \"c\" \\ d", scope="x,y"`},
			want: []Challenge{{Scheme: "Bearer", Params: map[string]string{
				"error_description": `a, b = "c" \ d`,
				"scope":             "x,y",
			}}},
		},
		{
			name:   "token68 with padding then another challenge",
			values: []string{`Negotiate YIIBhwYGKwYBBQUC+/9==, Bearer realm="r"`},
			want: []Challenge{
				{Scheme: "Negotiate", Token68: "YIIBhwYGKwYBBQUC+/9=="},
				{Scheme: "Bearer", Params: map[string]string{"realm": "r"}},
			},
		},
		{
			name:   "bare schemes and empty elements",
			values: []string{` , Bearer ,, Basic, `, "", "  "},
			want:   []Challenge{{Scheme: "Bearer"}, {Scheme: "Basic"}},
		},
		{
			name:   "bad whitespace around equals (BWS) and tabs",
			values: []string{"Bearer realm = \"r\" ,\tscope\t=\tread"},
			want:   []Challenge{{Scheme: "Bearer", Params: map[string]string{"realm": "r", "scope": "read"}}},
		},
		{
			name:   "token value followed by new challenge with token68",
			values: []string{`Bearer error=invalid_token, Basic dXNlcjpwYXNz`},
			want: []Challenge{
				{Scheme: "Bearer", Params: map[string]string{"error": "invalid_token"}},
				{Scheme: "Basic", Token68: "dXNlcjpwYXNz"},
			},
		},
		{
			name:    "unterminated quoted-string keeps earlier challenges",
			values:  []string{`Basic realm="a", Bearer realm="b`},
			want:    []Challenge{{Scheme: "Basic", Params: map[string]string{"realm": "a"}}},
			wantErr: `malformed WWW-Authenticate value "Basic realm=\"a\", Bearer realm=\"b": expected a closing '"' at position 32, found end of value`,
		},
		{
			name:    "missing value",
			values:  []string{`Bearer scope="a", realm=`},
			wantErr: `expected a token or quoted-string value at position 24, found end of value`,
		},
		{
			// The grammar makes a lone "name=" a token68 (RFC 9110 §11.2).
			name:   "lone name= is a token68",
			values: []string{`Bearer realm=`},
			want:   []Challenge{{Scheme: "Bearer", Token68: "realm="}},
		},
		{
			name:    "param without equals",
			values:  []string{`Bearer realm="a" scope="b"`},
			wantErr: `expected "," or the end of the value after an auth-param at position 17, found "s"`,
		},
		{
			name:    "no space after scheme",
			values:  []string{`Bearer"x"`},
			wantErr: `expected a space or "," after the auth-scheme at position 6`,
		},
		{
			name:    "leading equals",
			values:  []string{`=x`},
			wantErr: `expected an auth-scheme (token) at position 0, found "="`,
		},
		{
			name:    "duplicate param",
			values:  []string{`Bearer realm=a, REALM=b`},
			wantErr: `expected auth-param "realm" only once per challenge`,
		},
		{
			name:    "control character in quoted-string",
			values:  []string{"Bearer realm=\"a\x01\""},
			wantErr: `control characters are not allowed`,
		},
		{
			name:    "one bad header does not hide the next",
			values:  []string{`Bearer realm="`, `DPoP resource_metadata="https://r/"`},
			want:    []Challenge{{Scheme: "DPoP", Params: map[string]string{"resource_metadata": "https://r/"}}},
			wantErr: `Bearer realm=`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseWWWAuthenticate(tt.values)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("challenges (-want +got):\n%s", diff)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("error = nil, want one containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("error = %q, want it to contain %q", err, tt.wantErr)
			}
			if err != nil {
				var we *WWWAuthenticateError
				if !errors.As(err, &we) {
					t.Errorf("error %v is not a *WWWAuthenticateError", err)
				}
			}
		})
	}
}

func TestFindChallenge(t *testing.T) {
	cs := []Challenge{{Scheme: "Basic"}, {Scheme: "DPoP", Token68: "d"}, {Scheme: "bearer", Token68: "b"}}
	tests := []struct {
		name    string
		schemes []string
		want    *Challenge
	}{
		{"case-insensitive", []string{"Bearer"}, &cs[2]},
		{"first in header order", []string{"Bearer", "dpop"}, &cs[1]},
		{"none", []string{"Negotiate"}, nil},
		{"no schemes", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, FindChallenge(cs, tt.schemes...)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseWWWAuthenticate(f *testing.F) {
	for _, s := range []string{
		`Bearer resource_metadata="https://a/.well-known/oauth-protected-resource"`,
		`Basic realm="a", Bearer realm="b", error="invalid_token"`,
		`Negotiate abc==, DPoP algs="ES256"`,
		`Bearer error_description="a \"q\" \\"`,
		`, ,Bearer`,
		`Bearer realm="`,
		`=`,
		"Bearer a=\"\x80\xff\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := ParseWWWAuthenticate([]string{s, s})
		for _, c := range cs {
			if c.Scheme == "" {
				t.Fatalf("challenge with empty scheme from %q (err %v): %+v", s, err, cs)
			}
		}
		if err == nil && strings.Trim(s, " \t,") != "" && len(cs) == 0 {
			t.Fatalf("no challenges and no error from %q", s)
		}
	})
}

package discovery

import (
	"errors"
	"fmt"
	"strings"
)

// WWWAuthenticateError reports one header value that does not follow the
// RFC 9110 §11.6.1 challenge grammar.
type WWWAuthenticateError struct {
	// Value is the whole header value as received.
	Value string
	// Pos is the 0-based byte offset in Value where parsing stopped.
	Pos int
	// Expected names what the grammar allows at Pos.
	Expected string
}

// Error quotes the header value and says what was expected where.
func (e *WWWAuthenticateError) Error() string {
	found := "end of value"
	if e.Pos < len(e.Value) {
		found = fmt.Sprintf("%q", e.Value[e.Pos:e.Pos+1])
	}
	return fmt.Sprintf("malformed WWW-Authenticate value %q: expected %s at position %d, found %s",
		e.Value, e.Expected, e.Pos, found)
}

// ParseWWWAuthenticate parses the values of every WWW-Authenticate header of
// a response (RFC 9110 §11.6.1, RFC 6750 §3, RFC 9728 §5.1). Each value may
// hold several challenges; a comma starts a new challenge when the token
// after it is not followed by "=". Scheme and parameter names are matched
// case-insensitively and parameter names are stored lower-cased; values may
// be tokens or quoted-strings with backslash escapes; a challenge may carry
// a token68 instead of parameters. Empty list elements are skipped.
//
// A malformed value contributes the challenges completed before the error;
// the other values are still parsed. The returned error joins one
// *WWWAuthenticateError per malformed value.
func ParseWWWAuthenticate(values []string) ([]Challenge, error) {
	var (
		out  []Challenge
		errs []error
	)
	for _, v := range values {
		p := &authParser{s: v}
		cs, err := p.parse()
		out = append(out, cs...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// FindChallenge returns the first challenge whose scheme equals one of
// schemes, ignoring case (RFC 9110 §11.1), or nil.
func FindChallenge(cs []Challenge, schemes ...string) *Challenge {
	for i := range cs {
		for _, s := range schemes {
			if strings.EqualFold(cs[i].Scheme, s) {
				return &cs[i]
			}
		}
	}
	return nil
}

type authParser struct {
	s   string
	pos int
}

func (p *authParser) fail(expected string) error {
	return &WWWAuthenticateError{Value: p.s, Pos: p.pos, Expected: expected}
}

func (p *authParser) eof() bool { return p.pos >= len(p.s) }

// skipOWS skips spaces and tabs and reports how many it skipped.
func (p *authParser) skipOWS() int {
	start := p.pos
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t') {
		p.pos++
	}
	return p.pos - start
}

// skipEmpty skips whitespace and the commas of empty list elements.
func (p *authParser) skipEmpty() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == ',') {
		p.pos++
	}
}

func (p *authParser) token() string {
	start := p.pos
	for p.pos < len(p.s) && isTchar(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos]
}

func (p *authParser) parse() ([]Challenge, error) {
	var out []Challenge
	for {
		p.skipEmpty()
		if p.eof() {
			return out, nil
		}
		scheme := p.token()
		if scheme == "" {
			return out, p.fail("an auth-scheme (token)")
		}
		c := Challenge{Scheme: scheme}
		spaces := p.skipOWS()
		switch {
		case p.eof() || p.s[p.pos] == ',':
			// A bare scheme.
		case spaces == 0:
			return out, p.fail("a space or \",\" after the auth-scheme")
		default:
			if t, ok := p.token68(); ok {
				c.Token68 = t
			} else if err := p.params(&c); err != nil {
				return out, err
			}
		}
		out = append(out, c)
	}
}

// token68 consumes a token68 when one stands alone before the end of the
// value or the next comma; otherwise it leaves the position unchanged.
func (p *authParser) token68() (string, bool) {
	i := p.pos
	for i < len(p.s) && isToken68Char(p.s[i]) {
		i++
	}
	if i == p.pos {
		return "", false
	}
	for i < len(p.s) && p.s[i] == '=' {
		i++
	}
	end := i
	for i < len(p.s) && (p.s[i] == ' ' || p.s[i] == '\t') {
		i++
	}
	if i < len(p.s) && p.s[i] != ',' {
		return "", false
	}
	t := p.s[p.pos:end]
	p.pos = i
	return t, true
}

// params consumes auth-params up to the end of the value or to a comma that
// starts the next challenge.
func (p *authParser) params(c *Challenge) error {
	c.Params = map[string]string{}
	for {
		namePos := p.pos
		name := p.token()
		if name == "" {
			return p.fail("an auth-param name (token)")
		}
		p.skipOWS()
		if p.eof() || p.s[p.pos] != '=' {
			return p.fail(fmt.Sprintf("\"=\" after auth-param name %q", name))
		}
		p.pos++
		p.skipOWS()
		val, err := p.value()
		if err != nil {
			return err
		}
		key := strings.ToLower(name)
		if _, dup := c.Params[key]; dup {
			p.pos = namePos
			return p.fail(fmt.Sprintf("auth-param %q only once per challenge (RFC 9110 §11.2)", key))
		}
		c.Params[key] = val
		p.skipOWS()
		if p.eof() {
			return nil
		}
		if p.s[p.pos] != ',' {
			return p.fail("\",\" or the end of the value after an auth-param")
		}
		// Look past the comma (and empty elements): "name =" continues this
		// challenge, anything else is the next challenge.
		save := p.pos
		p.skipEmpty()
		if p.eof() {
			return nil
		}
		p.token()
		p.skipOWS()
		next := !p.eof() && p.s[p.pos] == '='
		p.pos = save
		if !next {
			return nil
		}
		p.skipEmpty()
	}
}

func (p *authParser) value() (string, error) {
	if p.eof() {
		return "", p.fail("a token or quoted-string value")
	}
	if p.s[p.pos] != '"' {
		v := p.token()
		if v == "" {
			return "", p.fail("a token or quoted-string value")
		}
		return v, nil
	}
	p.pos++
	var b strings.Builder
	for !p.eof() {
		ch := p.s[p.pos]
		switch {
		case ch == '"':
			p.pos++
			return b.String(), nil
		case ch == '\\':
			p.pos++
			if p.eof() || !isQuotedPairChar(p.s[p.pos]) {
				return "", p.fail("an escaped character after \"\\\"")
			}
			b.WriteByte(p.s[p.pos])
		case ch == '\t' || ch >= 0x20 && ch != 0x7f:
			b.WriteByte(ch)
		default:
			return "", p.fail("a closing '\"' (control characters are not allowed in a quoted-string)")
		}
		p.pos++
	}
	return "", p.fail("a closing '\"'")
}

// isTchar reports whether c may appear in a token (RFC 9110 §5.6.2).
func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// isToken68Char reports whether c may appear in a token68 before its
// trailing "=" padding (RFC 9110 §11.2).
func isToken68Char(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}

// isQuotedPairChar: HTAB / SP / VCHAR / obs-text (RFC 9110 §5.6.4).
func isQuotedPairChar(c byte) bool {
	return c == '\t' || c >= 0x20 && c != 0x7f
}

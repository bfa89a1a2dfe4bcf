package browser

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode/utf8"
)

// ErrUnsafeURL is wrapped by every error CheckURL returns.
var ErrUnsafeURL = errors.New("refusing to open URL")

// maxShownURL bounds how much of a rejected URL an error repeats.
const maxShownURL = 200

// CheckURL accepts only absolute http and https URLs without userinfo, and
// http only for loopback hosts (localhost, 127.0.0.0/8, ::1). Anything else
// (javascript:, data:, file:, vbscript:, relative references, "user@host"
// tricks) is refused before it reaches a browser or a terminal.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return unsafeURL(raw, "a valid absolute http or https URL")
	}
	switch scheme := strings.ToLower(u.Scheme); {
	case scheme == "":
		return unsafeURL(raw, "an absolute URL with scheme https (or http for a loopback host), not a relative reference")
	case scheme != "http" && scheme != "https":
		return unsafeURL(raw, fmt.Sprintf("scheme https (or http for a loopback host), not %q", scheme+":"))
	case u.Opaque != "" || u.Host == "":
		return unsafeURL(raw, "an absolute URL with a host, like https://host/path")
	case u.User != nil:
		return unsafeURL(raw, "a URL without userinfo (user@ or user:password@ before the host)")
	case u.Hostname() == "":
		return unsafeURL(raw, "an absolute URL with a host, like https://host/path")
	case scheme == "http" && !isLoopback(u.Hostname()):
		return unsafeURL(raw, "https, or http only for a loopback host (localhost, 127.0.0.1, [::1])")
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func unsafeURL(raw, expected string) error {
	return fmt.Errorf("%w %s: expected %s", ErrUnsafeURL, quoteURL(raw), expected)
}

// quoteURL truncates raw to maxShownURL bytes on a rune boundary and quotes
// it, so control characters from a hostile URL cannot reach the terminal.
func quoteURL(raw string) string {
	if len(raw) <= maxShownURL {
		return fmt.Sprintf("%q", raw)
	}
	cut := maxShownURL
	for cut > 0 && !utf8.RuneStart(raw[cut]) {
		cut--
	}
	return fmt.Sprintf("%q (truncated from %d bytes)", raw[:cut], len(raw))
}

package discovery

import "example.com/scanmod/internal/check"

const (
	Family = "discovery."
	// SSRF is built from another constant.
	SSRF = Family + "ssrf"
)

func flag(l *check.List) { l.Addf(SSRF, check.Warn, "", "", "x") }

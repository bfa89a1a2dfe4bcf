package tui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mcpwalk/mcpwalk/flow"
)

// tokenView shows the token the walk holds: hidden unless the user asked
// for it with v, the JWT decoded (not verified), expiry relative to now,
// the audience set against the resource.
type tokenView struct {
	view     *flow.TokenView
	revealed string
}

func (t tokenView) render(w int, now time.Time) string {
	var b strings.Builder
	b.WriteString(styleSection.Render("Token") + "\n")
	if t.view == nil {
		b.WriteString(styleMuted.Render("  no token yet: the token step gets one") + "\n")
		return b.String()
	}
	v := t.view
	field := func(k, val string) {
		b.WriteString(indent(hang(styleLabel.Render(fit(k, 15))+val, w-2, 15), "  ") + "\n")
	}
	field("type", v.TokenType)
	if t.revealed != "" {
		field("access token", styleSecret.Render(t.revealed))
	} else {
		field("access token", styleMuted.Render("•••••••• hidden — press v to reveal"))
	}
	field("refresh token", yesNo(v.RefreshToken, "issued (never shown)", "not issued"))
	field("scopes", orDash(strings.Join(v.Scopes, " ")))
	if !v.Expiry.IsZero() {
		field("expires", expiry(v.Expiry, now)+styleMuted.Render(" ("+v.Expiry.UTC().Format(time.RFC3339)+")"))
	} else {
		field("expires", "unknown (no expires_in)")
	}
	field("resource", orDash(v.Resource))
	if v.DPoPKeyThumbprint != "" {
		field("DPoP key", "jkt "+v.DPoPKeyThumbprint+styleMuted.Render(" (each request carries a proof signed by it)"))
	}
	if v.JWTClaims == nil {
		field("format", "opaque (not a JWT): its audience cannot be read here")
		return b.String()
	}
	c := v.JWTClaims
	aud := orDash(strings.Join(c.Audience, ", "))
	if v.AudienceMatches != nil {
		if *v.AudienceMatches {
			aud += "  " + statusStyle("pass").Render("✓ contains the resource")
		} else {
			aud += "  " + statusStyle("warn").Render("! does not contain the resource")
		}
	}
	field("audience", aud)
	b.WriteString("\n" + styleSection.Render("JWT header") + styleMuted.Render(" (decoded, not verified)") + "\n")
	b.WriteString(wrapIndent(sortedJSON(v.JWTHeader), w, "  ") + "\n")
	b.WriteString("\n" + styleSection.Render("JWT claims") + "\n")
	field("iss", orDash(c.Issuer))
	field("sub", orDash(c.Subject))
	field("aud", orDash(strings.Join(c.Audience, ", ")))
	field("client_id", orDash(c.ClientID))
	field("scope", orDash(c.Scope))
	if c.Expiry != 0 {
		field("exp", expiry(time.Unix(c.Expiry, 0), now))
	}
	if c.IssuedAt != 0 {
		field("iat", relTime(time.Unix(c.IssuedAt, 0), now))
	}
	if c.Confirmation != nil {
		jkt := c.Confirmation.JKT
		switch {
		case v.DPoPKeyThumbprint == jkt:
			jkt += "  " + statusStyle("pass").Render("✓ the walk's DPoP key")
		case v.DPoPKeyThumbprint != "":
			jkt += "  " + statusStyle("warn").Render("! not the walk's DPoP key")
		}
		field("cnf.jkt", jkt)
	}
	return b.String()
}

// relTime says "in 59m" or "3m ago", to the second under a minute.
func relTime(t, now time.Time) string {
	d := t.Sub(now).Round(time.Second)
	past := d < 0
	if past {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		s = fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		s = fmt.Sprintf("%dm", int(d.Minutes()))
		if sec := int(d.Seconds()) % 60; sec != 0 {
			s += fmt.Sprintf(" %ds", sec)
		}
	case d < 48*time.Hour:
		s = fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	default:
		s = fmt.Sprintf("%dd", int(d.Hours()/24))
	}
	if past {
		return s + " ago"
	}
	return "in " + s
}

func expiry(t, now time.Time) string {
	if t.Before(now) {
		return statusStyle("warn").Render("expired " + relTime(t, now))
	}
	return relTime(t, now)
}

func sortedJSON(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v, _ := json.Marshal(m[k])
		parts[i] = fmt.Sprintf("%q: %s", k, v)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

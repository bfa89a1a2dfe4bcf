package loopback

import (
	"errors"
	"html/template"
	"net/url"
	"strings"
	"unicode/utf8"
)

// The pages load nothing (the CSP forbids it) and echo nothing from the
// request except the error code and description, escaped by html/template.

var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>mcpwalk: {{.Title}}</title></head>
<body>
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
{{- if .Error}}
<p>Error: <code>{{.Error}}</code></p>
{{- end}}
{{- if .Description}}
<p>Description: {{.Description}}</p>
{{- end}}
<p>You can close this window and return to the terminal.</p>
</body>
</html>
`))

type pageData struct {
	Title, Text        string
	Error, Description string
}

func renderPage(d pageData) string {
	var b strings.Builder
	if err := pageTmpl.Execute(&b, d); err != nil {
		// Only a broken template gets here; it is covered by the tests.
		return "<!DOCTYPE html><title>mcpwalk</title><p>" + template.HTMLEscapeString(d.Title) + "</p>"
	}
	return b.String()
}

var (
	defaultSuccessPage = renderPage(pageData{
		Title: "Authorization response received",
		Text:  "mcpwalk received the response from the authorization server and continues in the terminal.",
	})
	notFoundPage = renderPage(pageData{
		Title: "Not found",
		Text:  "This address only receives the OAuth redirect for mcpwalk.",
	})
	methodPage = renderPage(pageData{
		Title: "Method not allowed",
		Text:  "The OAuth redirect must arrive as a GET request.",
	})
	alreadyReceivedPage = renderPage(pageData{
		Title: "Response already received",
		Text:  "mcpwalk already received an authorization response for this login; this one was not used.",
	})
)

func (r *Receiver) successPage() string {
	if r.opts.SuccessHTML != "" {
		return r.opts.SuccessHTML
	}
	return defaultSuccessPage
}

// failurePage reports an error response. Whether it really came from the
// expected authorization server (RFC 9207 iss) is for the engine to decide,
// so the page only repeats the escaped, shortened error.
func (r *Receiver) failurePage(q url.Values) string {
	if r.opts.FailureHTML != "" {
		return r.opts.FailureHTML
	}
	return renderPage(pageData{
		Title:       "Authorization failed",
		Text:        "The authorization server returned an error. The terminal shows the details once it has checked who sent it.",
		Error:       shorten(q.Get("error"), 100),
		Description: shorten(q.Get("error_description"), 300),
	})
}

func rejectedPage(err error) string {
	d := pageData{Title: "Authorization response rejected"}
	switch {
	case errors.Is(err, ErrStateMismatch):
		d.Text = "The state parameter does not match the login that mcpwalk started, so this response was rejected. Start the login again from the terminal."
	case errors.Is(err, ErrDuplicateParameter):
		d.Text = "The response repeats a parameter that may appear only once (code, state, iss or error), so it was rejected."
	default:
		d.Text = "The response's query string could not be parsed, so it was rejected."
	}
	return renderPage(d)
}

// shorten cuts s to at most n bytes on a rune boundary.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

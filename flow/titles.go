package flow

import "strings"

// The human titles of the steps, shown by every view.

func baseID(id string) string {
	for i := 0; i < len(id); i++ {
		if id[i] == ':' {
			return id[:i]
		}
	}
	return id
}

// stepTitle is the human title of a step id.
func stepTitle(id string) string {
	if t, ok := probeTitles[strings.TrimPrefix(id, "probes:")]; ok && strings.HasPrefix(id, "probes:") {
		return t
	}
	return stepTitles[baseID(id)]
}

var probeTitles = map[string]string{
	"no-token":              "Probe: a request without a token gets 401 and a challenge",
	"invalid-token":         "Probe: a made-up token gets 401 invalid_token",
	"query-token":           "Probe: a token in the URL query is refused",
	"other-resource":        "Probe: a token for another resource is refused",
	"insufficient-scope":    "Probe: 403 insufficient_scope challenges are well formed",
	"session-without-token": "Probe: a session id alone, without a token, is refused",
	"origin":                "Probe: a foreign Origin is refused",
	"dpop-as-bearer":        "Probe: a DPoP-bound token offered as a Bearer token is refused",
	"dpop-wrong-key":        "Probe: a DPoP proof signed by another key is refused",
	"cors":                  "Probe: CORS preflight for browser-based clients (info)",
	"cors-discovery":        "Probe: browsers may read the challenge and the metadata (info)",
	"empty-bearer":          "Probe: an Authorization header without a token is refused",
	"host":                  "Probe: a foreign Host is refused by a local server",
	"redirect-uri":          "Probe: the authorization server validates redirect URIs",
	"pkce":                  "Probe: the token endpoint verifies code_verifier",
}

var stepTitles = map[string]string{
	StepProbe:     "Unauthenticated request: expect 401 and a WWW-Authenticate challenge",
	StepPRM:       "Protected Resource Metadata (RFC 9728)",
	StepASMeta:    "Authorization server metadata (RFC 8414 / OpenID Connect Discovery)",
	StepStored:    "Stored credentials: reuse or refresh a token and registration from an earlier run",
	StepRegister:  "Client registration",
	StepAuthorize: "Authorization request: PKCE S256, state, resource (RFC 8707), iss check (RFC 9207)",
	StepToken:     "Token request: authorization code exchange",
	StepConnect:   "MCP session through the official Go SDK",
	StepCalls:     "MCP call",
}

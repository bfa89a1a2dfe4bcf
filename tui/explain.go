package tui

import "github.com/mcpwalk/mcpwalk/flow"

// explanations say what each step is for, in a sentence or two, for a
// developer who knows HTTP but not every RFC of the MCP authorization spec.
var explanations = map[string]string{
	flow.StepProbe: "Sends an MCP initialize with no token. A protected server must answer 401 with " +
		"WWW-Authenticate: Bearer resource_metadata=\"…\", which tells the client where to start.",
	flow.StepPRM: "Fetches the Protected Resource Metadata (RFC 9728): the resource identifier of the MCP " +
		"server and the authorization servers that issue tokens for it.",
	flow.StepASMeta: "Fetches the authorization server's metadata (RFC 8414, or OpenID Connect discovery): " +
		"its endpoints, PKCE methods, registration options and the issuer identifier.",
	flow.StepStored: "Looks for a token and client registration an earlier run kept (OS keychain or a 0600 file): " +
		"a valid token is used as is, an expired one refreshed with the resource parameter; otherwise a login follows.",
	flow.StepRegister: "Gets a client_id: a pre-registered client, a Client ID Metadata Document URL, or " +
		"dynamic client registration (RFC 7591). The loopback redirect URI is bound here.",
	flow.StepAuthorize: "Sends the user to the authorization endpoint with PKCE (S256), state and the " +
		"resource parameter (RFC 8707), then validates the redirect: iss (RFC 9207), state, code.",
	flow.StepToken: "Redeems the authorization code with the PKCE verifier and the same resource, and " +
		"checks the token response (type, no-store, scopes, audience).",
	flow.StepConnect: "Opens the MCP session through the official Go SDK with the access token: initialize, " +
		"protocol revision negotiation, capabilities.",
	flow.StepCalls: "An authenticated MCP request on the session. A 403 insufficient_scope makes the " +
		"engine re-authorize with the added scope (step-up), bounded.",
}

// editable says what the edit form changes for each step, for the hint.
var editable = map[string]string{
	flow.StepRegister:  "client id/secret, callback port",
	flow.StepAuthorize: "scopes, resource, extra authorize parameters",
	flow.StepPRM:       "resource",
	flow.StepToken:     "resource",
}

func explain(id string) string {
	if s, ok := explanations[id]; ok {
		return s
	}
	for i := range len(id) {
		if id[i] == ':' {
			return explanations[id[:i]]
		}
	}
	return ""
}

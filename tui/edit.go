package tui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/mcpwalk/mcpwalk/flow"
)

// newEditForm is the "before this step" form: what the next steps will use.
func newEditForm(cfg flow.Config, next string) form {
	port := ""
	if cfg.CallbackPort != 0 {
		port = strconv.Itoa(cfg.CallbackPort)
	}
	f := form{title: "Edit before " + next, fields: []field{
		newField("scopes", "scopes", "space-separated; empty = the challenge's, else PRM scopes_supported", strings.Join(cfg.Scopes, " "), false),
		newField("client_id", "client id", "empty = Client ID Metadata Document or dynamic registration", cfg.ClientID, false),
		newField("client_secret", "client secret", "", cfg.ClientSecret, true),
		newField("resource", "resource", "RFC 8707 resource; empty = the PRM resource", cfg.Resource, false),
		newField("port", "callback port", "loopback redirect port; empty = any free port (takes effect at register)", port, false),
		newField("params", "authorize params", "extra authorization request parameters, k=v separated by spaces (prompt=consent)", formatParams(cfg.AuthParams), false),
	}}
	return f.focusField(0)
}

// applyEdit writes the form into cfg, or says what is wrong.
func applyEdit(vals map[string]string, cfg *flow.Config) error {
	port := 0
	if p := strings.TrimSpace(vals["port"]); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return fmt.Errorf("callback port %q: expected a number from 0 to 65535", p)
		}
		port = n
	}
	params, err := parseParams(vals["params"])
	if err != nil {
		return err
	}
	cfg.Scopes = nil
	if sc := strings.Fields(vals["scopes"]); len(sc) > 0 {
		cfg.Scopes = sc
	}
	cfg.ClientID = strings.TrimSpace(vals["client_id"])
	cfg.ClientSecret = vals["client_secret"]
	cfg.Resource = strings.TrimSpace(vals["resource"])
	cfg.CallbackPort = port
	cfg.AuthParams = params
	return nil
}

// reserved are the parameters the engine sets itself; overriding them
// would break PKCE, state or the resource binding.
var reserved = map[string]bool{"response_type": true, "client_id": true, "redirect_uri": true, "state": true,
	"code_challenge": true, "code_challenge_method": true, "resource": true, "scope": true}

func parseParams(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range strings.Fields(s) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("authorize param %q: expected k=v", kv)
		}
		if reserved[k] {
			return nil, fmt.Errorf("authorize param %q is set by mcpwalk itself (use the scopes or resource fields)", k)
		}
		out[k] = v
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func formatParams(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, " ")
}

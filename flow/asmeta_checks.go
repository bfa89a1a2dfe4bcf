package flow

import (
	"github.com/mcpwalk/mcpwalk/discovery"
	"github.com/mcpwalk/mcpwalk/internal/check"
)

// checkASForWalk checks what the validated metadata says about this walk
// in particular: whether it offers the authorization code grant the walk
// is about to use, and whether it claims the resource at all.
func (e *Engine) checkASForWalk(s *stepCtx, md *discovery.AuthServerMetadata, raw map[string]any) {
	if e.interactive() && len(md.GrantTypesSupported) > 0 && !contains(md.GrantTypesSupported, GrantAuthorizationCode) {
		s.add(check.New("asmeta.grant-types", check.Warn, "RFC 8414 §2 (grant_types_supported); MCP 2025-11-25 Authorization §Authorization Code Protection",
			"List authorization_code in grant_types_supported (and refresh_token if refresh tokens are issued), or leave the member out (its default includes authorization_code).",
			"grant_types_supported %q lacks \"authorization_code\", the grant MCP clients use for a user; trying it anyway", md.GrantTypesSupported))
	}
	list, ok := raw["protected_resources"].([]any)
	if !ok || len(list) == 0 || e.resource == "" {
		return
	}
	var names []string
	for _, v := range list {
		if r, ok := v.(string); ok {
			if r == e.resource {
				return
			}
			names = append(names, r)
		}
	}
	s.add(check.New("asmeta.protected-resources", check.Info, "RFC 9728 §4 (protected_resources in authorization server metadata)",
		"Add the MCP server's resource identifier to protected_resources, or check that this is the authorization server meant for it.",
		"the metadata's protected_resources %q do not include the resource %q", names, e.resource))
}

package flow

import (
	"fmt"
	"slices"

	"github.com/mcpwalk/mcpwalk/internal/check"
)

// Revisions mcpwalk can grade a server against, oldest first.
var Revisions = []string{"2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"}

// LatestRevision is the default grading revision.
const LatestRevision = "2026-07-28"

// ValidRevision reports whether r is a revision mcpwalk grades against.
func ValidRevision(r string) error {
	if slices.Contains(Revisions, r) {
		return nil
	}
	return fmt.Errorf("unknown revision %q: use one of %v", r, Revisions)
}

// grades says how a check's status changes with the revision graded
// against; a revision missing from a row keeps the status the check was
// built with (which is the latest revision's). Only rules that changed
// between revisions are here.
var grades = map[string]map[string]check.Status{
	// WWW-Authenticate on 401 was a MUST in 2025-06-18 (the only discovery
	// mechanism); from 2025-11-25 the well-known URLs are an alternative.
	"probe.www-authenticate-missing":  {"2025-03-26": check.Warn, "2025-06-18": check.Fail},
	"probe.resource-metadata-missing": {"2025-03-26": check.Info, "2025-06-18": check.Fail},
	// Without PRM a 2025-03-26 server is doing exactly what its revision says.
	"prm.found": {"2025-03-26": check.Info},
	// Refusing metadata without code_challenge_methods_supported is a
	// 2025-11-25 rule; before, PKCE was required but not its advertisement.
	"asmeta.pkce-missing": {"2025-03-26": check.Warn, "2025-06-18": check.Warn},
	// OpenID Connect discovery became an accepted source in 2025-11-25.
	"asmeta.oidc-only": {"2025-03-26": check.Warn, "2025-06-18": check.Warn},
	// Client ID Metadata Documents arrived in 2025-11-25.
	"asmeta.cimd": {"2025-03-26": check.Info, "2025-06-18": check.Info},
	// Dynamic registration is deprecated from 2026-07-28 only.
	"register.dcr-deprecated": {"2025-03-26": check.Pass, "2025-06-18": check.Pass, "2025-11-25": check.Pass},
	// The iss parameter is a 2026-07-28 SHOULD.
	"authorize.iss-absent": {"2025-03-26": check.Info, "2025-06-18": check.Info, "2025-11-25": check.Info},
}

// regrade adjusts statuses to the revision graded against and marks the
// adjusted checks with it.
func regrade(cs check.List, revision string) check.List {
	if revision == "" || revision == LatestRevision {
		return cs
	}
	for i, c := range cs {
		if c.Status == check.Pass {
			continue
		}
		if st, ok := grades[c.ID][revision]; ok {
			cs[i].Status = st
			cs[i].Revision = revision
		}
	}
	return cs
}

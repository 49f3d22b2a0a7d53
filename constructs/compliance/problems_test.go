package compliance

import (
	"testing"
	"time"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestEveryProblemAtOnce: a constructor given several invalid props lists
// them all in one panic, not only the first.
func TestEveryProblemAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		build      func(t *testing.T)
	}{
		{"Trail", `compliance.NewTrail "Trail": Name (3 to 128 letters, digits and single '.', '_' or '-', from and to a letter or digit), EncryptionKey and AccessLogs are required (AccessLogs not with DestinationBucket); OrganizationID "org" must be an organization ID (o-...); Retention 36h0m0s must be whole days, at least one`, func(t *testing.T) {
			NewTrail(cdktest.NewStack(t, cdktest.Env), "Trail", &TrailProps{OrganizationID: "org", Retention: 36 * time.Hour})
		}},
		{"AuditorRole", `compliance.NewAuditorRole "Auditor": at least one principal is required; MaxSession 13h0m0s must be 1 to 12 hours`, func(t *testing.T) {
			NewAuditorRole(cdktest.NewStack(t, cdktest.Env), "Auditor", &AuditorRoleProps{MaxSession: 13 * time.Hour})
		}},
		{"AuditManager", `compliance.NewAuditManager "AuditManager": Calls, Key and Reports are required; assessments need at least one process owner; unknown framework "sox"`, func(t *testing.T) {
			NewAuditManager(cdktest.NewStack(t, cdktest.Env), "AuditManager", &AuditManagerProps{Frameworks: []Framework{"sox"}})
		}},
		{"ConformancePack", `compliance.NewConformancePack "Pack": a Name (a letter, then letters, digits and hyphens) and at least one rule are required; rule "X" is empty or listed twice`, func(t *testing.T) {
			NewConformancePack(cdktest.NewStack(t, cdktest.Env), "Pack", &ConformancePackProps{Name: "1x", Rules: []ManagedRule{{Identifier: "X"}, {Identifier: "X"}}})
		}},
		{"PasswordPolicy", `compliance.NewPasswordPolicy "Policy": Calls is required; MinimumLength 3 (6-128)`, func(t *testing.T) {
			NewPasswordPolicy(cdktest.NewStack(t, cdktest.Env), "Policy", &PasswordPolicyProps{MinimumLength: 3})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cdktest.PanicsWith(t, tc.want, func() { tc.build(t) })
		})
	}
}

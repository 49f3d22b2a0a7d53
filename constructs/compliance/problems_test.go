package compliance

import (
	"testing"
	"time"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestEveryProblemAtOnce: a constructor given several invalid props lists
// them all in one panic, not only the first.
func TestEveryProblemAtOnce(t *testing.T) {
	cdktest.PanicsWith(t, `compliance.NewTrail "Trail": Name (3 to 128 letters, digits and single '.', '_' or '-', from and to a letter or digit), EncryptionKey and AccessLogs are required (AccessLogs not with DestinationBucket); OrganizationID "org" must be an organization ID (o-...); Retention 36h0m0s must be whole days, at least one`, func() {
		NewTrail(cdktest.NewStack(t, cdktest.Env), "Trail", &TrailProps{OrganizationID: "org", Retention: 36 * time.Hour})
	})
	cdktest.PanicsWith(t, `compliance.NewAuditorRole "Auditor": at least one principal is required; MaxSession 13h0m0s must be 1 to 12 hours`, func() {
		NewAuditorRole(cdktest.NewStack(t, cdktest.Env), "Auditor", &AuditorRoleProps{MaxSession: 13 * time.Hour})
	})
	cdktest.PanicsWith(t, `compliance.NewAuditManager "AuditManager": Calls, Key and Reports are required; assessments need at least one process owner; unknown framework "sox"`, func() {
		NewAuditManager(cdktest.NewStack(t, cdktest.Env), "AuditManager", &AuditManagerProps{Frameworks: []Framework{"sox"}})
	})
	cdktest.PanicsWith(t, `compliance.NewConformancePack "Pack": a Name (a letter, then letters, digits and hyphens) and at least one rule are required; rule "X" is empty or listed twice`, func() {
		NewConformancePack(cdktest.NewStack(t, cdktest.Env), "Pack", &ConformancePackProps{Name: "1x", Rules: []ManagedRule{{Identifier: "X"}, {Identifier: "X"}}})
	})
	cdktest.PanicsWith(t, `compliance.NewPasswordPolicy "Policy": Calls is required; MinimumLength 3 (6-128)`, func() {
		NewPasswordPolicy(cdktest.NewStack(t, cdktest.Env), "Policy", &PasswordPolicyProps{MinimumLength: 3})
	})
}

package organization

import (
	"testing"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestEveryProblemAtOnce: a constructor given several invalid props lists
// them all in one panic, not only the first.
func TestEveryProblemAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		build      func(t *testing.T)
	}{
		{"OrganizationSettings", `organization.NewOrganizationSettings "Settings": Calls is required unless SkipGuardDuty, SkipMacie and SkipInspector are all set; GuardDuty is required unless SkipGuardDuty; SecurityHub needs PolicyName and Targets`, func(t *testing.T) {
			NewOrganizationSettings(cdktest.NewStack(t, cdktest.Env), "Settings", &OrganizationSettingsProps{SecurityHub: &SecurityHubCentral{}})
		}},
		{"TrustedAccess", `organization.NewTrustedAccess "Access": Calls and at least one ServicePrincipal are required; Registrations need a 12-digit DelegatedAdministrator, got ""`, func(t *testing.T) {
			NewTrustedAccess(cdktest.NewStack(t, cdktest.Env), "Access", &TrustedAccessProps{Registrations: []string{"securityhub.amazonaws.com"}})
		}},
		{"ExistingMembers", `organization.NewExistingMembers "Members": Calls, a 12-digit AdminAccountID and TargetOUs are required; DetectiveGraphArn is required unless SkipDetective`, func(t *testing.T) {
			NewExistingMembers(cdktest.NewStack(t, cdktest.Env), "Members", nil)
		}},
		{"MemberStackSet", `organization.NewMemberStackSet "StackSet": Name, TemplateBody, TargetOUs and Regions are required; set exactly one of MaxConcurrentPercentage and MaxConcurrentCount`, func(t *testing.T) {
			NewMemberStackSet(cdktest.NewStack(t, cdktest.Env), "StackSet", nil)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cdktest.PanicsWith(t, tc.want, func() { tc.build(t) })
		})
	}
}

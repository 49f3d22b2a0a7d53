package organization

import (
	"testing"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestEveryProblemAtOnce: a constructor given several invalid props lists
// them all in one panic, not only the first.
func TestEveryProblemAtOnce(t *testing.T) {
	cdktest.PanicsWith(t, `organization.NewOrganizationSettings "Settings": Calls is required unless SkipGuardDuty, SkipMacie and SkipInspector are all set; GuardDuty is required unless SkipGuardDuty; SecurityHub needs PolicyName and Targets`, func() {
		NewOrganizationSettings(cdktest.NewStack(t, cdktest.Env), "Settings", &OrganizationSettingsProps{SecurityHub: &SecurityHubCentral{}})
	})
	cdktest.PanicsWith(t, `organization.NewTrustedAccess "Access": Calls and at least one ServicePrincipal are required; Registrations need a 12-digit DelegatedAdministrator, got ""`, func() {
		NewTrustedAccess(cdktest.NewStack(t, cdktest.Env), "Access", &TrustedAccessProps{Registrations: []string{"securityhub.amazonaws.com"}})
	})
	cdktest.PanicsWith(t, `organization.NewMemberBaseline "Baseline": Prefix, HomeRegion, and with Config ConfigBucketName, a 12-digit LogArchiveAccountID and ConfigKeyArns, are required; ConfigExcludedRegions holds the home region us-east-1, which records the global resource types`, func() {
		NewMemberBaseline(cdktest.NewStack(t, cdktest.Env), "Baseline", &MemberBaselineProps{HomeRegion: "us-east-1", ConfigExcludedRegions: []string{"us-east-1"}})
	})
	cdktest.PanicsWith(t, `organization.NewExistingMembers "Members": Calls, a 12-digit AdminAccountID and TargetOUs are required; DetectiveGraphArn is required unless SkipDetective`, func() {
		NewExistingMembers(cdktest.NewStack(t, cdktest.Env), "Members", nil)
	})
	cdktest.PanicsWith(t, `organization.NewMemberStackSet "StackSet": Name, TemplateBody, TargetOUs and Regions are required; set exactly one of MaxConcurrentPercentage and MaxConcurrentCount`, func() {
		NewMemberStackSet(cdktest.NewStack(t, cdktest.Env), "StackSet", nil)
	})
}

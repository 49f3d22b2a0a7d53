package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// orgBase is an organization-mode config with the sandbox defaults.
const orgBase = `
profile: sandbox
homeRegion: us-east-1
topology:
  mode: organization
  organization:
    organizationId: o-abcdefghij
    managementAccountId: "111122223333"
    securityToolingAccountId: "222233334444"
    logArchiveAccountId: "333344445555"
    targetOrganizationalUnits: [ou-ab12-11111111]
`

// TestOrganizationServicePrincipals pins which switch adds which trusted
// access principal, and which of them get a delegated administrator: the
// organization stacks and preflight both read this one list.
func TestOrganizationServicePrincipals(t *testing.T) {
	for _, tc := range []struct {
		name, yaml      string
		trusted, admins []string
	}{
		{"standalone", "profile: sandbox\n", nil, nil},
		{"organization defaults", orgBase,
			[]string{"securityhub.amazonaws.com", "guardduty.amazonaws.com", "macie.amazonaws.com", "inspector2.amazonaws.com", "config.amazonaws.com", "access-analyzer.amazonaws.com", "detective.amazonaws.com", "cloudtrail.amazonaws.com"},
			[]string{"securityhub.amazonaws.com", "guardduty.amazonaws.com", "macie.amazonaws.com", "inspector2.amazonaws.com", "config.amazonaws.com", "access-analyzer.amazonaws.com", "detective.amazonaws.com", "cloudtrail.amazonaws.com"}},
		{"prevention with contacts, no detection", orgBase + `
detection:
  securityHub: {enabled: false}
  guardDuty: {enabled: false}
  inspector: {enabled: false}
  config: {enabled: false}
dataProtection:
  macie: {enabled: false}
response:
  detective: {enabled: false}
compliance:
  trail: {enabled: false}
prevention:
  enabled: true
  alternateContacts:
    security: {name: Sec, title: Security, email: sec@example.com, phone: "+1 555 0100"}
`, []string{"access-analyzer.amazonaws.com", "iam.amazonaws.com", "account.amazonaws.com"}, []string{"access-analyzer.amazonaws.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("test.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.trusted, c.OrganizationServicePrincipals()); diff != "" {
				t.Errorf("OrganizationServicePrincipals (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.admins, c.DelegatedAdministratorPrincipals()); diff != "" {
				t.Errorf("DelegatedAdministratorPrincipals (-want +got):\n%s", diff)
			}
		})
	}
}

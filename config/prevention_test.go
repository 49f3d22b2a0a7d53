package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPreventionDefaults pins the prevention layer's profile defaults,
// which the doc comments in prevention.go promise: off, but with the
// guardrails chosen for when it is turned on, and the region deny on in
// production.
func TestPreventionDefaults(t *testing.T) {
	for _, tc := range []struct {
		profile string
		want    Prevention
	}{
		{"sandbox", Prevention{
			BaselineProtection: true, OrganizationHygiene: true, S3BlockPublicAccess: true, RootAccess: true,
			RegionDeny: RegionDeny{AllowedRegions: []string{"us-east-1"}}, EC2: EC2Policy{Enabled: true},
		}},
		{"production", Prevention{
			BaselineProtection: true, OrganizationHygiene: true, S3BlockPublicAccess: true, RootAccess: true,
			RegionDeny: RegionDeny{Enabled: true, AllowedRegions: []string{"us-east-1"}}, EC2: EC2Policy{Enabled: true},
		}},
	} {
		c, err := Parse(tc.profile, []byte("profile: "+tc.profile+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, c.Prevention); diff != "" {
			t.Errorf("%s prevention defaults (-want +got):\n%s", tc.profile, diff)
		}
	}
}

// TestPreventionFollowsOrganization: the targets default to the member
// baseline's OUs and the allowed regions to the governed regions, so that a
// region deny never closes a region the baseline runs in.
func TestPreventionFollowsOrganization(t *testing.T) {
	c, err := Parse("org.yaml", []byte(`
topology:
  mode: organization
  organization:
    organizationId: o-abcdefghij
    managementAccountId: "111111111111"
    securityToolingAccountId: "222222222222"
    logArchiveAccountId: "333333333333"
    targetOrganizationalUnits: [ou-ab12-11111111, r-ab12]
homeRegion: eu-west-1
regions: [eu-west-1, eu-central-1]
prevention:
  enabled: true
  regionDeny:
    enabled: true
`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ou-ab12-11111111", "r-ab12"}, c.Prevention.Targets); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"eu-west-1", "eu-central-1"}, c.Prevention.RegionDeny.AllowedRegions); diff != "" {
		t.Errorf("allowed regions (-want +got):\n%s", diff)
	}
}

package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestComplianceDefaults pins the compliance layer's profile defaults, which
// the doc comments in compliance.go promise.
func TestComplianceDefaults(t *testing.T) {
	policy := PasswordPolicy{Enabled: true, MinimumLength: 14, ReusePrevention: 24, MaxAgeDays: 90,
		RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
	for _, tc := range []struct {
		profile string
		want    Compliance
	}{
		{"sandbox", Compliance{
			Frameworks:     []Framework{FrameworkFSBP},
			Trail:          Trail{Enabled: true, ObjectLockMode: "GOVERNANCE", CISAlarms: true},
			PasswordPolicy: policy,
		}},
		{"production", Compliance{
			Frameworks:       []Framework{FrameworkFSBP, FrameworkCIS, FrameworkPCIDSS, FrameworkNIST80053},
			Trail:            Trail{Enabled: true, ObjectLockMode: "COMPLIANCE", CISAlarms: true},
			ConformancePacks: ConformancePacks{Enabled: true},
			PasswordPolicy:   policy,
		}},
	} {
		c, err := Parse(tc.profile, []byte("profile: "+tc.profile+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, c.Compliance); diff != "" {
			t.Errorf("%s compliance defaults (-want +got):\n%s", tc.profile, diff)
		}
	}
}

// TestComplianceFrameworksFollowStandards: evidence maps to the standards the
// file chose, unless the file names frameworks itself.
func TestComplianceFrameworksFollowStandards(t *testing.T) {
	c, err := Parse("x", []byte("detection:\n  securityHub:\n    standards: [nist-800-53, pci-dss]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Framework{FrameworkNIST80053, FrameworkPCIDSS}, c.Compliance.Frameworks); diff != "" {
		t.Errorf("derived frameworks (-want +got):\n%s", diff)
	}
	c, err = Parse("x", []byte("detection:\n  securityHub:\n    standards: [nist-800-53]\ncompliance:\n  frameworks: [cis-aws-foundations-benchmark]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Framework{FrameworkCIS}, c.Compliance.Frameworks); diff != "" {
		t.Errorf("explicit frameworks (-want +got):\n%s", diff)
	}
	c, err = Parse("x", []byte("compliance:\n  frameworks: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Compliance.Frameworks) != 0 {
		t.Errorf("an empty list is kept empty, got %v", c.Compliance.Frameworks)
	}
}

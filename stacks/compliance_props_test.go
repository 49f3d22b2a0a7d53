package stacks

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/compliance"
)

func TestAuditManagerProps(t *testing.T) {
	c := config.Compliance{
		Frameworks:   []config.Framework{config.FrameworkFSBP, config.FrameworkCIS},
		AuditManager: config.AuditManager{Enabled: true, FrameworkIDs: map[config.Framework]string{config.FrameworkCIS: "11111111-2222-3333-4444-555555555555"}},
	}
	got := auditManagerProps(c, "mamori")
	assert.Equal(t, []compliance.Framework{compliance.Framework(config.FrameworkFSBP), compliance.Framework(config.FrameworkCIS)}, got.Frameworks)
	assert.Equal(t, map[compliance.Framework]string{compliance.Framework(config.FrameworkCIS): "11111111-2222-3333-4444-555555555555"}, got.FrameworkIDs)
	assert.Equal(t, "mamori", got.NamePrefix)
	assert.Nil(t, auditManagerProps(config.Compliance{Frameworks: c.Frameworks}, "mamori").FrameworkIDs, "no pinned IDs: the construct looks them up")
}

func TestPasswordPolicyProps(t *testing.T) {
	got := passwordPolicyProps(config.PasswordPolicy{Enabled: true, MinimumLength: 14, RequireUppercase: true, RequireNumbers: true, MaxAgeDays: 90})
	assert.Equal(t, compliance.PasswordPolicyProps{MinimumLength: 14, MaxAgeDays: 90, NoLowercase: true, NoSymbols: true}, got)
}

func TestRegionCompliance(t *testing.T) {
	cfg := &config.Config{HomeRegion: "us-east-1", Regions: []string{"us-east-1", "eu-west-1"}}
	cfg.Detection.Config = config.ConfigService{Enabled: true, ExcludeRegions: []string{"eu-west-1"}}
	cfg.Compliance.ConformancePacks.Enabled = true
	assert.True(t, regionCompliance(cfg, "us-east-1").ConformancePacks.Enabled)
	assert.False(t, regionCompliance(cfg, "eu-west-1").ConformancePacks.Enabled, "conformance packs need the recorder AWS Config is excluded from")
	assert.True(t, cfg.Compliance.ConformancePacks.Enabled, "the config is not changed")
}

func TestConformancePackRules(t *testing.T) {
	ids := func(rules []compliance.ManagedRule) map[string]compliance.ManagedRule {
		out := map[string]compliance.ManagedRule{}
		for _, r := range rules {
			out[r.Identifier] = r
		}
		return out
	}
	params := map[string]string{"MinimumPasswordLength": "14"}
	home := ids(conformancePackRules(compliance.FSBP, true, params))
	assert.Equal(t, params, home["IAM_PASSWORD_POLICY"].Parameters, "the password rule checks for the policy the stack sets")
	assert.Nil(t, ids(conformancePackRules(compliance.FSBP, true, nil))["IAM_PASSWORD_POLICY"].Parameters, "no policy set: the rule's defaults")

	other := conformancePackRules(compliance.FSBP, false, params)
	assert.NotEmpty(t, other)
	for _, r := range other {
		assert.False(t, r.Account, "account-wide rule %s outside the home region", r.Identifier)
	}
	assert.Less(t, len(other), len(home))
}

package stacks

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/infraprotection"
)

func TestWebACLProps(t *testing.T) {
	w := config.WAF{Enabled: true, RateLimit: 2000, ManagedRuleGroups: []config.WAFManagedRuleGroup{
		{Name: "AWSManagedRulesCommonRuleSet", CountRules: []string{"SizeRestrictions_BODY"}},
	}}
	alb := []string{"arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/0123456789abcdef"}
	got := webACLProps(w, infraprotection.Regional, "mamori-regional-eu-west-1", alb, config.Logs{RetentionDays: 90}, false)
	assert.Equal(t, 365, got.LogRetentionDays, "WAF logs are kept a year at least")
	assert.False(t, got.NoManagedRuleGroups)
	assert.Equal(t, []infraprotection.ManagedRuleGroup{{Name: "AWSManagedRulesCommonRuleSet", CountRules: []string{"SizeRestrictions_BODY"}}}, got.ManagedRuleGroups)
	assert.Equal(t, alb, got.Associate)
	assert.Nil(t, got.LogKey, "the stack adds the key")

	none := webACLProps(config.WAF{Enabled: true}, infraprotection.CloudFront, "mamori-cloudfront", nil, config.Logs{RetentionDays: 731}, true)
	assert.True(t, none.NoManagedRuleGroups, "an empty list means no managed rule groups, not the construct's default set")
	assert.Equal(t, 731, none.LogRetentionDays)
	assert.True(t, none.DestroyOnDelete)
}

func TestShieldProps(t *testing.T) {
	sh := config.ShieldAdvanced{
		Enabled:          true,
		Protections:      []config.ShieldProtection{{Name: "web", ResourceARN: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/0123456789abcdef", AutomaticResponse: "BLOCK"}},
		ProtectionGroups: []config.ShieldProtectionGroup{{ID: "all", Aggregation: "MAX"}},
	}
	got := shieldProps(sh)
	assert.Equal(t, []infraprotection.ShieldProtection{{Name: "web", ResourceARN: sh.Protections[0].ResourceARN, AutomaticResponse: infraprotection.AutomaticResponse("BLOCK")}}, got.Protections)
	assert.Equal(t, []infraprotection.ShieldProtectionGroup{{ID: "all", Aggregation: "MAX"}}, got.ProtectionGroups)
	assert.Nil(t, got.Calls, "the stack adds the provider")
}

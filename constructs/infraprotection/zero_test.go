package infraprotection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

// TestZeroPropsAreSecure builds every infrastructure-protection construct
// from its props' zero value, with only the required values filled in,
// and checks the secure outcome.
func TestZeroPropsAreSecure(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	calls := calltest.NewProvider(stack)
	NewWebACL(stack, "WebACL", &WebACLProps{Name: "zero", LogKey: cdktest.ImportedKey(stack)})
	NewNetworkFirewall(stack, "Firewall", &NetworkFirewallProps{
		Name: "zero", VPCCIDR: "10.192.0.0/16", AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"}, LogBucket: logBucket(stack), Calls: calls,
	})
	NewShieldAdvanced(stack, "Shield", &ShieldAdvancedProps{Calls: calls})
	// A policy is opt-in (each bills per region); once there is one, it
	// protects rather than only reports.
	NewFirewallManagerPolicies(stack, "Fms", &FirewallManagerPoliciesProps{Name: "zero", ShieldAdvanced: true})
	tp := cdktest.Synth(t, stack)

	// The web ACL runs AWS's baseline managed rule groups.
	var groups []string
	for _, r := range tp.Resources("AWS::WAFv2::WebACL") {
		for _, rule := range r["Properties"].(m)["Rules"].(a) {
			if mg, ok := rule.(m)["Statement"].(m)["ManagedRuleGroupStatement"].(m); ok {
				groups = append(groups, mg["Name"].(string))
			}
		}
	}
	assert.Equal(t, []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"}, groups)
	// The firewall cannot be deleted, moved or given another policy by accident.
	tp.Has("AWS::NetworkFirewall::Firewall", m{"DeleteProtection": true, "SubnetChangeProtection": true, "FirewallPolicyChangeProtection": true})
	// The Shield Response Team gets no access unless asked.
	tp.Count("AWS::Shield::DRTAccess", 0)
	// Firewall Manager policies remediate.
	tp.Has("AWS::FMS::Policy", m{"RemediationEnabled": true, "SecurityServicePolicyData": assertions.Match_ObjectLike(&map[string]interface{}{"Type": "SHIELD_ADVANCED"})})
}

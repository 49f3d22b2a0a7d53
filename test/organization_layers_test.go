package test

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/stacks"
)

func organizationConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load(filepath.Join(repoRoot, "config", "examples", "organization.yaml"))
	require.NoError(t, err)
	return cfg
}

func dependsOn(stack, on awscdk.Stack) bool {
	return slices.ContainsFunc(*stack.Dependencies(), func(d awscdk.Stack) bool { return *d.StackName() == *on.StackName() })
}

// In organization mode the Firewall Manager policies deploy from the
// security-tooling account in every governed region, the CloudFront ones in
// us-east-1, each after its region's AWS Config recording and the management
// account's administrator association; the security-tooling account no
// longer deploys WAF and Network Firewall itself.
func TestOrganizationFirewallManager(t *testing.T) {
	cfg := organizationConfig(t)
	cfg.InfrastructureProtection.WAF.CloudFront = true
	o := cfg.Topology.Organization
	a := stacks.NewApp(newTestApp(t), cfg)
	org := a.Organization

	want := append(slices.Clone(cfg.Regions), "cloudfront")
	assert.ElementsMatch(t, want, slices.Collect(maps.Keys(org.FirewallManager)))
	admins := org.DelegatedAdmins[cfg.HomeRegion].Stack
	assertions.Template_FromStack(admins, nil).ResourceCountIs(jsii.String("Custom::FirewallManagerAdmin"), jsii.Number(1))
	for key, p := range org.FirewallManager {
		stack := awscdk.Stack_Of(p.Scope)
		region := key
		if key == "cloudfront" {
			region = "us-east-1"
		}
		assert.Equal(t, o.SecurityToolingAccountID, *stack.Account(), key)
		assert.Equal(t, region, *stack.Region(), key)
		assert.True(t, dependsOn(stack, a.Detection[region].Stack), "%s waits for AWS Config recording in its region", key)
		assert.True(t, dependsOn(stack, admins), "%s waits for the administrator association", key)
		tpl := assertions.Template_FromStack(stack, nil)
		if key == "cloudfront" {
			tpl.HasResourceProperties(jsii.String("AWS::FMS::Policy"), map[string]interface{}{
				"ResourceType": "AWS::CloudFront::Distribution", "ExcludeMap": map[string]interface{}{"ORGUNIT": []interface{}{"ou-ab12-33333333"}},
			})
			continue
		}
		tpl.HasResourceProperties(jsii.String("AWS::FMS::Policy"), map[string]interface{}{
			"SecurityServicePolicyData": assertions.Match_ObjectLike(&map[string]interface{}{"Type": "NETWORK_FIREWALL"}),
		})
	}
	assert.Empty(t, a.InfraProtection, "Firewall Manager covers the security-tooling account's WAF and Network Firewall too")
	for _, n := range a.Notes {
		assert.NotContains(t, n, "Firewall Manager skipped")
	}
	// What the policies do not carry is said, not silently dropped.
	require.Len(t, a.Notes, 1)
	assert.Contains(t, a.Notes[0], "waf.rateLimit")
	assert.Contains(t, a.Notes[0], "log nowhere yet")

	// With Shield Advanced the security-tooling account subscribes itself
	// (a Shield Advanced policy needs a subscribed administrator) and keeps
	// nothing else of its infrastructure-protection stack.
	shield := organizationConfig(t)
	shield.InfrastructureProtection.ShieldAdvanced.Enabled = true
	shield.InfrastructureProtection.ShieldAdvanced.AcknowledgeOneYearCommitment = true
	s := stacks.NewApp(newTestApp(t), shield)
	require.Equal(t, []string{"us-east-1"}, slices.Collect(maps.Keys(s.InfraProtection)))
	ip := s.InfraProtection["us-east-1"]
	assert.NotNil(t, ip.Shield)
	assert.Nil(t, ip.RegionalWebACL)
	assert.Nil(t, ip.NetworkFirewall)
	for key, p := range s.Organization.FirewallManager {
		assert.True(t, dependsOn(awscdk.Stack_Of(p.Scope), ip.Stack), "%s waits for the administrator's Shield Advanced subscription", key)
	}
	assert.Contains(t, s.Organization.FirewallManager, "cloudfront", "Shield Advanced protects CloudFront from us-east-1")

	off := organizationConfig(t)
	off.InfrastructureProtection.FirewallManager.Enabled = false
	b := stacks.NewApp(newTestApp(t), off)
	assert.Contains(t, b.Notes, stacks.FirewallManagerNote(off))
	assert.Contains(t, stacks.FirewallManagerNote(off), "Firewall Manager skipped")
	assert.Nil(t, b.Organization.FirewallManager)
	assert.NotEmpty(t, b.InfraProtection, "without Firewall Manager the security-tooling account deploys WAF itself")
}

// Detective: the management account designates the security-tooling account
// in every region, after its own graph exists; the organization settings
// then auto-enable new accounts in that graph.
func TestOrganizationDetective(t *testing.T) {
	cfg := organizationConfig(t)
	a := stacks.NewApp(newTestApp(t), cfg)
	for _, region := range cfg.Regions {
		das := a.Organization.DelegatedAdmins[region].Stack
		assertions.Template_FromStack(das, nil).HasResourceProperties(jsii.String("AWS::Detective::OrganizationAdmin"),
			map[string]interface{}{"AccountId": cfg.Topology.Organization.SecurityToolingAccountID})
		assert.True(t, dependsOn(das, a.Response[region].Stack), "%s: the graph comes before the designation", region)
		settings := a.Organization.Settings[region].Stack
		assert.True(t, dependsOn(settings, das), region)
		assert.True(t, dependsOn(settings, a.Response[region].Stack), "%s: auto-enable names the graph", region)
		found := false
		for _, r := range *assertions.Template_FromStack(settings, nil).FindResources(jsii.String("Custom::AWS"), nil) {
			raw, err := json.Marshal(r)
			require.NoError(t, err)
			found = found || (strings.Contains(string(raw), `UpdateOrganizationConfiguration`) && strings.Contains(string(raw), `\"service\":\"Detective\"`) &&
				strings.Contains(string(raw), `\"AutoEnable\":true`))
		}
		assert.True(t, found, "%s: no detective:UpdateOrganizationConfiguration call with AutoEnable", region)
	}
}

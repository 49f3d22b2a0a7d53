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

// Firewall Manager notifies the security-tooling account's alerts topic in
// its home region (one channel per administrator and region): the channel
// names the topic and Firewall Manager's service-linked role, the topic's
// policy lets that role publish, and the findings key, which encrypts the
// topic, lets it encrypt through SNS. No other region and no CloudFront
// stack sets a channel.
func TestFirewallManagerNotifiesAlerts(t *testing.T) {
	cfg := organizationConfig(t)
	cfg.InfrastructureProtection.WAF.CloudFront = true
	a := stacks.NewApp(newTestApp(t), cfg)
	role := "arn:" + "aws" + ":iam::" + cfg.Topology.Organization.SecurityToolingAccountID + ":role/aws-service-role/fms.amazonaws.com/AWSServiceRoleForFMS"
	for key, p := range a.Organization.FirewallManager {
		tpl := assertions.Template_FromStack(awscdk.Stack_Of(p.Scope), nil)
		if key != cfg.HomeRegion {
			tpl.ResourceCountIs(jsii.String("AWS::FMS::NotificationChannel"), jsii.Number(0))
			continue
		}
		tpl.HasResourceProperties(jsii.String("AWS::FMS::NotificationChannel"), map[string]interface{}{
			"SnsRoleName": assertions.Match_AnyValue(),
			"SnsTopicArn": assertions.Match_AnyValue(),
		})
	}
	for region, dp := range a.DataProtection {
		tpl := assertions.Template_FromStack(dp.Stack, nil)
		statement := map[string]interface{}{"Sid": "FirewallManagerPublishesNotifications"}
		keyPolicy := map[string]interface{}{"KeyPolicy": assertions.Match_ObjectLike(&map[string]interface{}{
			"Statement": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&statement)}),
		})}
		found := tpl.FindResources(jsii.String("AWS::KMS::Key"), &map[string]interface{}{"Properties": assertions.Match_ObjectLike(&keyPolicy)})
		if region != cfg.HomeRegion {
			assert.Empty(t, *found, "%s: only the home region's findings key admits Firewall Manager", region)
			continue
		}
		require.Len(t, *found, 1, "the home region's findings key admits Firewall Manager")
		// KMS refuses a principal that does not exist: the key waits for
		// the service-linked role.
		for _, k := range *found {
			assert.Contains(t, jsonOf(k), "FirewallManagerRole", "the findings key depends on the service-linked role call")
		}
		js := jsonOf(*found)
		assert.Contains(t, js, `"kms:ViaService":"sns.`+region+`.amazonaws.com"`)
		assert.Contains(t, js, `"kms:EncryptionContext:aws:sns:topicArn"`)
		tpl.HasResourceProperties(jsii.String("AWS::SNS::TopicPolicy"), map[string]interface{}{
			"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{
				"Statement": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
					"Sid": "FirewallManagerPublishes", "Action": "sns:Publish",
				})}),
			}),
		})
		assert.Contains(t, jsonOf(tpl.ToJSON()), role)
	}
}

// excludeRegions turns a service off in one region of an organization:
// neither the security-tooling account's own resources nor the
// organization-wide designations and settings for it are made there.
func TestOrganizationExcludeRegions(t *testing.T) {
	cfg, err := config.Load(filepath.Join(repoRoot, "config", "examples", "organization-edge.yaml"))
	require.NoError(t, err)
	a := stacks.NewApp(newTestApp(t), cfg)
	for _, region := range cfg.Regions {
		off := region == "ap-northeast-3"
		dp := assertions.Template_FromStack(a.DataProtection[region].Stack, nil)
		admins := assertions.Template_FromStack(a.Organization.DelegatedAdmins[region].Stack, nil)
		n := func(off bool) *float64 {
			if off {
				return jsii.Number(0)
			}
			return jsii.Number(1)
		}
		dp.ResourceCountIs(jsii.String("AWS::Macie::Session"), n(off))
		dp.ResourceCountIs(jsii.String("AWS::Macie::AllowList"), n(off))
		admins.ResourceCountIs(jsii.String("AWS::Detective::OrganizationAdmin"), n(off))
		assert.Equal(t, !off, a.Response[region] != nil && a.Response[region].Detective != nil, region)
		admin := jsonOf(admins.ToJSON())
		assert.Equal(t, !off, strings.Contains(admin, "macie2:EnableOrganizationAdminAccount"), "%s: Macie's administrator designation", region)
	}
}

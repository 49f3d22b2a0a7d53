package test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/stacks"
)

func newTestApp(t *testing.T) awscdk.App {
	t.Helper()
	ctx, err := cdktest.ReadContext(repoRoot)
	require.NoError(t, err)
	return awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(t.TempDir()), AnalyticsReporting: jsii.Bool(false)})
}

// A standalone account has no Firewall Manager note: the config refuses
// Firewall Manager there, and a note on every synth claiming that WAF and
// Network Firewall "are deployed directly" was untrue where neither is.
func TestFirewallManagerNoteStandalone(t *testing.T) {
	for _, path := range []string{"config/default.yaml", "config/examples/sandbox.yaml", "config/examples/infra-protection.yaml"} {
		cfg, err := config.Load(repoRoot + "/" + path)
		require.NoError(t, err)
		assert.Empty(t, stacks.FirewallManagerNote(cfg), path)
	}
}

// In organization mode with Firewall Manager off, the note names only what
// the security-tooling account deploys directly.
func TestFirewallManagerNoteOff(t *testing.T) {
	cfg := organizationConfig(t)
	ip := &cfg.InfrastructureProtection
	ip.FirewallManager.Enabled = false
	ip.WAF.Enabled, ip.NetworkFirewall.Enabled = true, false
	note := stacks.FirewallManagerNote(cfg)
	assert.Contains(t, note, "the WAF web ACLs are deployed directly")
	assert.NotContains(t, note, "Network Firewall")
	ip.WAF.Enabled = false
	assert.Contains(t, stacks.FirewallManagerNote(cfg), "no WAF web ACL or Network Firewall is deployed")
}

// The Firewall Manager stacks organization mode composes, from the
// production example's settings.
func TestFirewallManagerStacks(t *testing.T) {
	cfg, err := config.Load(repoRoot + "/config/examples/production.yaml")
	require.NoError(t, err)
	ip := cfg.InfrastructureProtection
	ip.FirewallManager.Enabled = true
	ip.FirewallManager.ExcludeAccounts = []string{"444455556666"}
	app := newTestApp(t)
	base := func(account, region string) stacks.Base {
		return stacks.Base{Prefix: "mamori", StackProps: awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}}}
	}
	regional := stacks.NewFirewallManagerPoliciesStack(app, "fms-policies-eu-west-1", &stacks.FirewallManagerPoliciesStackProps{
		Base: base("222222222222", "eu-west-1"), InfrastructureProtection: ip, Logs: cfg.Logs,
		LogsKey: logsKey(awscdk.NewStack(app, jsii.String("keys-eu-west-1"), &awscdk.StackProps{Env: base("222222222222", "eu-west-1").StackProps.Env})),
	})
	global := stacks.NewFirewallManagerPoliciesStack(app, "fms-policies-us-east-1", &stacks.FirewallManagerPoliciesStackProps{
		Base: base("222222222222", "us-east-1"), Global: true, InfrastructureProtection: ip, Logs: cfg.Logs,
	})
	for _, s := range []awscdk.Stack{awscdk.Stack_Of(regional.Scope), awscdk.Stack_Of(global.Scope)} {
		awscdk.Aspects_Of(s).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{}), nil)
	}

	for _, s := range []awscdk.Stack{awscdk.Stack_Of(regional.Scope), awscdk.Stack_Of(global.Scope)} {
		errs := assertions.Annotations_FromStack(s).FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*")))
		assert.Empty(t, *errs, "cdk-nag AwsSolutions errors in %s", *s.StackName())
	}
	rt := assertions.Template_FromStack(awscdk.Stack_Of(regional.Scope), nil)
	types := map[string]bool{}
	for _, r := range *rt.FindResources(jsii.String("AWS::FMS::Policy"), nil) {
		data := (*r)["Properties"].(map[string]interface{})["SecurityServicePolicyData"].(map[string]interface{})
		types[data["Type"].(string)] = true
		if data["Type"] == "NETWORK_FIREWALL" {
			raw, err := json.Marshal(data["ManagedServiceData"])
			require.NoError(t, err)
			// The custom Suricata and denied-domain groups, then five managed groups.
			assert.Equal(t, 2+5, strings.Count(string(raw), "resourceARN"), "%s", raw)
		}
	}
	rt.ResourceCountIs(jsii.String("AWS::NetworkFirewall::RuleGroup"), jsii.Number(2))
	assert.Equal(t, map[string]bool{"WAFV2": true, "NETWORK_FIREWALL": true, "SECURITY_GROUPS_CONTENT_AUDIT": true, "SECURITY_GROUPS_USAGE_AUDIT": true, "DNS_FIREWALL": true}, types,
		"no SHIELD_ADVANCED policy unless Shield Advanced is opted in")
	gt := assertions.Template_FromStack(awscdk.Stack_Of(global.Scope), nil)
	gt.ResourceCountIs(jsii.String("AWS::FMS::Policy"), jsii.Number(1))
	gt.HasResourceProperties(jsii.String("AWS::FMS::Policy"), map[string]interface{}{"ResourceType": "AWS::CloudFront::Distribution"})
}

// logsKey is a KMS key in a stack of its own, as the data-protection
// layer provides one.
func logsKey(stack awscdk.Stack) awskms.IKey {
	return awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
}

// A warning about a choice the config made names the setting, and does not
// ask for the CDK acknowledgement a config user cannot give.
func TestConfigChoiceWarningsNameTheSetting(t *testing.T) {
	found := 0
	for _, fx := range fixtures {
		for stack, msgs := range fx.messages {
			for _, m := range msgs {
				if m.Level != "aws:cdk:warning" || !strings.Contains(m.Text, "findings filter") {
					continue
				}
				found++
				assert.NotContains(t, m.Text, "[ack:", "%s/%s", fx.name, stack)
				assert.Contains(t, m.Text, "(set in dataProtection.macie.findingsFilters)", "%s/%s", fx.name, stack)
			}
		}
	}
	assert.NotZero(t, found, "the production example archives with a Macie findings filter")
}

// The warnings about choices a config makes point to the setting, never to
// a CDK acknowledgement.
func TestConfigWarningsNeedNoAcknowledgement(t *testing.T) {
	for _, fx := range fixtures {
		for stack, msgs := range fx.messages {
			for _, m := range msgs {
				for _, id := range []string{"mamori:macieArchiveFilter", "mamori:keyAlarmNeedsTrail", "mamori:secret-name-arn-suffix"} {
					assert.NotContains(t, m.Text, "[ack: "+id+"]", "%s/%s %s", fx.name, stack, m.Path)
				}
			}
		}
	}
}

// Without a trail, the key alarm's warning names compliance.trail.enabled.
func TestKeyAlarmWarningNamesTheSetting(t *testing.T) {
	cfg, err := config.Default()
	require.NoError(t, err)
	cfg.Compliance.Trail.Enabled = false
	a := stacks.NewApp(newTestApp(t), cfg)
	home := a.DataProtection[cfg.HomeRegion].Stack
	ann := assertions.Annotations_FromStack(home)
	warnings := ann.FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("CloudTrail trail.*\\(set in compliance\\.trail\\.enabled\\)$")))
	assert.NotEmpty(t, *warnings, "the key alarm warns about the missing trail and names the setting")
	tagged := ann.FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("ack: mamori:keyAlarmNeedsTrail")))
	assert.Empty(t, *tagged)
}

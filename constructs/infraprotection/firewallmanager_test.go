package infraprotection

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

func TestFirewallManagerAdmin(t *testing.T) {
	stack := cdktest.NewStack(t, usEast1)
	NewFirewallManagerAdmin(stack, "Fms", &FirewallManagerAdminProps{Calls: calltest.NewProvider(stack), AdminAccountID: "222222222222"})
	tp := cdktest.Synth(t, stack)

	tp.Count("Custom::FirewallManagerAdmin", 1)
	tp.Has("Custom::FirewallManagerAdmin", m{"AdminAccountId": "222222222222"})
	tp.Count("Custom::AWS", 0)
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		cdktest.Like(m{"Action": assertions.Match_ArrayWith(cdktest.Arr("fms:AssociateAdminAccount", "fms:GetAdminAccount")), "Resource": "*"}),
		// Organizations writes for Firewall Manager only.
		m{"Action": cdktest.A{"organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator"}, "Effect": "Allow", "Resource": "*",
			"Condition": m{"StringEquals": m{"organizations:ServicePrincipal": cdktest.A{"fms.amazonaws.com"}}}},
		cdktest.Like(m{"Action": "iam:CreateServiceLinkedRole", "Condition": m{"StringEquals": m{"iam:AWSServiceName": "fms.amazonaws.com"}}}),
	))}})
	// The handler never disassociates: that is the administrator's own call
	// and deletes its policies.
	assert.NotContains(t, fmsAdminHandler, "DisassociateAdminAccount")
	assert.Contains(t, fmsAdminHandler, "region: 'us-east-1'")
}

// policyData decodes the managed service data of the one policy of type typ.
func policyData(t *testing.T, tp *cdktest.Template, typ string) (m, m) {
	t.Helper()
	for _, r := range tp.Resources("AWS::FMS::Policy") {
		props := r["Properties"].(m)
		data := props["SecurityServicePolicyData"].(m)
		if data["Type"] != typ {
			continue
		}
		raw, ok := data["ManagedServiceData"].(string)
		if !ok {
			// An Fn::Join around tokens: keep the literal parts.
			var b strings.Builder
			for _, part := range data["ManagedServiceData"].(m)["Fn::Join"].(a)[1].(a) {
				if s, ok := part.(string); ok {
					b.WriteString(s)
				} else {
					b.WriteString("TOKEN")
				}
			}
			raw = b.String()
		}
		var out m
		require.NoError(t, json.Unmarshal([]byte(raw), &out), raw)
		return props, out
	}
	t.Fatalf("no %s policy", typ)
	return nil, nil
}

func TestFirewallManagerPolicies(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	topic := awssns.NewTopic(stack, jsii.String("Topic"), &awssns.TopicProps{})
	calls := calltest.NewProvider(stack)
	nfw := NewNetworkFirewall(stack, "Firewall", &NetworkFirewallProps{Name: "mamori", VPCCIDR: "10.192.0.0/16",
		AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"}, LogBucket: logBucket(stack), Calls: calls,
		SuricataRules: []string{`alert tcp any any -> any 22 (msg:"ssh"; sid:1;)`}})
	NewFirewallManagerPolicies(stack, "Fms", &FirewallManagerPoliciesProps{
		Name:                         "mamori",
		Scope:                        PolicyScope{ExcludeAccounts: []string{"333333333333"}, ExcludeOrganizationalUnits: []string{"ou-abcd-12345678"}, ExcludeResourceTags: map[string]string{"mamori:fms": "exempt"}},
		WAFRuleGroups:                []ManagedRuleGroup{{Name: "AWSManagedRulesCommonRuleSet", CountRules: []string{"SizeRestrictions_BODY"}}, {Name: "AWSManagedRulesSQLiRuleSet", Count: true}},
		WAFLogDestinationARN:         "arn:aws:s3:::aws-waf-logs-mamori",
		NetworkFirewallRuleGroupARNs: []*string{nfw.RuleGroups[0].AttrRuleGroupArn()},
		NetworkFirewallManagedGroups: []string{"ThreatSignaturesBotnetStrictOrder"},
		SecurityGroupAudit:           true,
		DNSFirewallCalls:             calls,
		NotificationTopic:            topic,
	})
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::FMS::Policy", 5)
	props, waf := policyData(t, tp, "WAFV2")
	assert.Equal(t, "ResourceTypeList", props["ResourceType"])
	assert.Equal(t, a{"AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ApiGateway::Stage"}, props["ResourceTypeList"])
	assert.Equal(t, true, props["RemediationEnabled"])
	assert.Equal(t, false, props["DeleteAllPolicyResources"])
	assert.Equal(t, true, props["ExcludeResourceTags"])
	assert.Equal(t, a{m{"Key": "mamori:fms", "Value": "exempt"}}, props["ResourceTags"])
	assert.Equal(t, m{"ACCOUNT": a{"333333333333"}, "ORGUNIT": a{"ou-abcd-12345678"}}, props["ExcludeMap"])
	pre := waf["preProcessRuleGroups"].([]interface{})
	require.Len(t, pre, 2)
	assert.Equal(t, m{"vendorName": "AWS", "managedRuleGroupName": "AWSManagedRulesCommonRuleSet"}, pre[0].(m)["managedRuleGroupIdentifier"])
	assert.Equal(t, []interface{}{m{"name": "SizeRestrictions_BODY"}}, pre[0].(m)["excludeRules"])
	assert.Equal(t, m{"type": "COUNT"}, pre[1].(m)["overrideAction"])
	assert.Equal(t, []interface{}{"arn:aws:s3:::aws-waf-logs-mamori"}, waf["loggingConfiguration"].(m)["logDestinationConfigs"])

	props, nf := policyData(t, tp, "NETWORK_FIREWALL")
	assert.Equal(t, "AWS::EC2::VPC", props["ResourceType"])
	assert.Equal(t, m{"NetworkFirewallPolicy": m{"FirewallDeploymentModel": "DISTRIBUTED"}}, props["SecurityServicePolicyData"].(m)["PolicyOption"])
	assert.Equal(t, m{"ruleOrder": "STRICT_ORDER", "streamExceptionPolicy": "DROP"}, nf["networkFirewallStatefulEngineOptions"])
	assert.Len(t, nf["networkFirewallStatefulRuleGroupReferences"], 2)
	// No allow list: unmatched traffic passes with an alert.
	assert.Equal(t, a{"aws:alert_established"}, nf["networkFirewallStatefulDefaultActions"])

	// The audit policies only report, although ReportOnly is off: their
	// remediation deletes and rewrites member accounts' security groups.
	props, sg := policyData(t, tp, "SECURITY_GROUPS_CONTENT_AUDIT")
	assert.Equal(t, m{"type": "DENY"}, sg["securityGroupAction"])
	assert.Equal(t, false, props["RemediationEnabled"])
	props, _ = policyData(t, tp, "SECURITY_GROUPS_USAGE_AUDIT")
	assert.Equal(t, false, props["RemediationEnabled"])
	_, dns := policyData(t, tp, "DNS_FIREWALL")
	assert.Len(t, dns["preProcessRuleGroups"], 1)
	tp.Has("AWS::Route53Resolver::FirewallRuleGroup", m{"FirewallRules": a{
		m{"FirewallDomainListId": m{"Fn::GetAtt": a{assertions.Match_AnyValue(), "AWSManagedDomainsMalwareDomainList"}}, "Priority": 10, "Action": "BLOCK", "BlockResponse": "NODATA"},
		m{"FirewallDomainListId": m{"Fn::GetAtt": a{assertions.Match_AnyValue(), "AWSManagedDomainsBotnetCommandandControl"}}, "Priority": 20, "Action": "BLOCK", "BlockResponse": "NODATA"},
	}})
	tp.Count("AWS::FMS::NotificationChannel", 1)
	tp.Has("AWS::SNS::TopicPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{
		"Sid": "FirewallManagerPublishes", "Action": "sns:Publish",
		"Principal": m{"AWS": "arn:aws:iam::111111111111:role/aws-service-role/fms.amazonaws.com/AWSServiceRoleForFMS"},
	})))}})
	tp.Count("AWS::FMS::Policy", 5) // no Shield Advanced policy unless opted in
}

func TestFirewallManagerGlobalPolicies(t *testing.T) {
	stack := cdktest.NewStack(t, usEast1)
	NewFirewallManagerPolicies(stack, "Fms", &FirewallManagerPoliciesProps{
		Name: "mamori", Global: true, ShieldAdvanced: true, SecurityGroupAudit: true, ReportOnly: true,
		WAFRuleGroups: []ManagedRuleGroup{{Name: "AWSManagedRulesCommonRuleSet"}},
		Scope:         PolicyScope{IncludeOrganizationalUnits: []string{"ou-abcd-12345678"}},
	})
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::FMS::Policy", 2)
	props, _ := policyData(t, tp, "WAFV2")
	assert.Equal(t, "AWS::CloudFront::Distribution", props["ResourceType"])
	assert.Equal(t, m{"ORGUNIT": a{"ou-abcd-12345678"}}, props["IncludeMap"])
	_, shield := policyData(t, tp, "SHIELD_ADVANCED")
	assert.Equal(t, "SHIELD_ADVANCED", shield["type"])
}

func TestFirewallManagerPanics(t *testing.T) {
	for _, tc := range []struct {
		env   bool
		props FirewallManagerPoliciesProps
		want  string
	}{
		{false, FirewallManagerPoliciesProps{}, "Name is required"},
		{false, FirewallManagerPoliciesProps{Name: "x", Scope: PolicyScope{IncludeAccounts: []string{"1"}, ExcludeAccounts: []string{"2"}}}, "include list or an exclude list, not both"},
		{false, FirewallManagerPoliciesProps{Name: "x", Global: true}, "CloudFront policies belong in us-east-1, not eu-west-1"},
		{false, FirewallManagerPoliciesProps{Name: "x", WAFRuleGroups: []ManagedRuleGroup{{Name: "Nope"}}}, `unknown AWS managed rule group "Nope"`},
		{false, FirewallManagerPoliciesProps{Name: "x", Global: true, NetworkFirewallManagedGroups: []string{"g"}}, "Network Firewall policies are regional"},
		// Every invalid prop in one panic, not only the first.
		{false, FirewallManagerPoliciesProps{Global: true, WAFRuleGroups: []ManagedRuleGroup{{Name: "Nope"}}},
			`infraprotection.NewFirewallManagerPolicies "Fms": Name is required; CloudFront policies belong in us-east-1, not eu-west-1; unknown AWS managed rule group "Nope"`},
	} {
		cdktest.PanicsWith(t, tc.want, func() { NewFirewallManagerPolicies(cdktest.NewStack(t, cdktest.Env), "Fms", &tc.props) })
	}
	cdktest.PanicsWith(t, "Calls and a 12-digit AdminAccountID are required", func() { NewFirewallManagerAdmin(cdktest.NewStack(t, usEast1), "Fms", nil) })
}

// AllowFirewallManagerNotifications: Firewall Manager's service-linked role
// may encrypt through SNS, for this account's topics in the key's region
// only, and nothing else.
func TestAllowFirewallManagerNotifications(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	key := awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{})
	AllowFirewallManagerNotifications(key)
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
		"Sid":       "FirewallManagerPublishesNotifications",
		"Effect":    "Allow",
		"Principal": m{"AWS": "arn:aws:iam::111111111111:role/aws-service-role/fms.amazonaws.com/AWSServiceRoleForFMS"},
		"Action":    a{"kms:Decrypt", "kms:GenerateDataKey*"},
		"Resource":  "*",
		"Condition": m{
			"StringEquals": m{"kms:ViaService": "sns.eu-west-1.amazonaws.com"},
			"ArnLike":      m{"kms:EncryptionContext:aws:sns:topicArn": "arn:aws:sns:eu-west-1:111111111111:*"},
		},
	}))}})
}

// EnsureFirewallManagerRole creates the service-linked role once and
// treats an existing one as success; its role may create only that role.
func TestEnsureFirewallManagerRole(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	calls := calltest.NewProvider(stack)
	role := EnsureFirewallManagerRole(stack, "FmsRole", calls)
	tp := cdktest.Synth(t, stack)
	call := tp.SdkCall(cdktest.LogicalID(stack, role), "Create")
	assert.Equal(t, "IAM", call["service"])
	assert.Equal(t, "CreateServiceLinkedRole", call["action"])
	assert.Equal(t, m{"AWSServiceName": "fms.amazonaws.com"}, call["parameters"])
	assert.Equal(t, "InvalidInput", call["ignoreErrorCodesMatching"])
	assert.Nil(t, tp.SdkCall(cdktest.LogicalID(stack, role), "Delete"), "a delete leaves the role")
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
		"Action":    "iam:CreateServiceLinkedRole",
		"Effect":    "Allow",
		"Resource":  "arn:aws:iam::111111111111:role/aws-service-role/fms.amazonaws.com/AWSServiceRoleForFMS",
		"Condition": m{"StringEquals": m{"iam:AWSServiceName": "fms.amazonaws.com"}},
	}))}})
}

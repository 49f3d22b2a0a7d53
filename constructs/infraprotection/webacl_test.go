package infraprotection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

var defaultGroups = []ManagedRuleGroup{
	{Name: "AWSManagedRulesCommonRuleSet"}, {Name: "AWSManagedRulesKnownBadInputsRuleSet"}, {Name: "AWSManagedRulesSQLiRuleSet"},
	{Name: "AWSManagedRulesAmazonIpReputationList"}, {Name: "AWSManagedRulesAnonymousIpList"},
}

func TestWebACLRulesInOrder(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	acl := NewWebACL(stack, "WebACL", &WebACLProps{
		Name: "mamori-regional", LogKey: cdktest.ImportedKey(stack), RateLimit: 2000,
		AllowedCIDRs: []string{"192.0.2.0/24", "2001:db8::/32"}, BlockedCIDRs: []string{"198.51.100.0/24"},
		ManagedRuleGroups: append([]ManagedRuleGroup{{Name: "AWSManagedRulesATPRuleSet", LoginPath: "/api/login", Count: true, CountRules: []string{"VolumetricIpHigh"}}}, defaultGroups...),
	})
	tp := cdktest.Synth(t, stack)

	// 3 IP sets + rate rule + 50 (ATP) + 1175 (defaults).
	assert.Equal(t, 3+2+50+1175, acl.Capacity)
	tp.Count("AWS::WAFv2::IPSet", 3)
	tp.Has("AWS::WAFv2::IPSet", m{"IPAddressVersion": "IPV6", "Addresses": a{"2001:db8::/32"}, "Scope": "REGIONAL"})
	props := tp.Resources("AWS::WAFv2::WebACL")
	for _, r := range props {
		rules := r["Properties"].(m)["Rules"].(a)
		var names []string
		for i, rule := range rules {
			rm := rule.(m)
			names = append(names, rm["Name"].(string))
			assert.EqualValues(t, i, rm["Priority"])
			vc := rm["VisibilityConfig"].(m)
			assert.Equal(t, true, vc["CloudWatchMetricsEnabled"])
			assert.Equal(t, true, vc["SampledRequestsEnabled"])
		}
		assert.Equal(t, []string{"AllowedV4", "AllowedV6", "BlockedV4", "RateLimit", "AWSManagedRulesATPRuleSet",
			"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet",
			"AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesAnonymousIpList"}, names)
	}
	tp.Has("AWS::WAFv2::WebACL", m{
		"Scope":         "REGIONAL",
		"DefaultAction": m{"Allow": m{}},
		"Rules": assertions.Match_ArrayWith(cdktest.Arr(
			cdktest.Like(m{"Name": "RateLimit", "Action": m{"Block": m{"CustomResponse": m{"ResponseCode": 429, "CustomResponseBodyKey": "TooManyRequests"}}},
				"Statement": m{"RateBasedStatement": m{"Limit": 2000, "AggregateKeyType": "IP", "EvaluationWindowSec": 300}}}),
			cdktest.Like(m{"Name": "AWSManagedRulesATPRuleSet", "OverrideAction": m{"Count": m{}}, "Statement": m{"ManagedRuleGroupStatement": m{
				"VendorName": "AWS", "Name": "AWSManagedRulesATPRuleSet",
				"RuleActionOverrides":     a{m{"Name": "VolumetricIpHigh", "ActionToUse": m{"Count": m{}}}},
				"ManagedRuleGroupConfigs": a{m{"AWSManagedRulesATPRuleSet": m{"LoginPath": "/api/login"}}},
			}}}),
			cdktest.Like(m{"Name": "AWSManagedRulesCommonRuleSet", "OverrideAction": m{"None": m{}}}),
		)),
		"CustomResponseBodies": m{"TooManyRequests": cdktest.Like(m{"ContentType": "TEXT_PLAIN"})},
	})
}

func TestWebACLLogging(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewWebACL(stack, "WebACL", &WebACLProps{Name: "mamori-regional", LogKey: cdktest.ImportedKey(stack), ManagedRuleGroups: defaultGroups,
		Associate: []string{"arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/0123456789abcdef"}})
	tp := cdktest.Synth(t, stack)

	tp.HasResource("AWS::Logs::LogGroup", m{
		"Properties":     m{"LogGroupName": "aws-waf-logs-mamori-regional", "KmsKeyId": cdktest.KeyArn, "RetentionInDays": 365},
		"DeletionPolicy": "Retain",
	})
	tp.Has("AWS::WAFv2::LoggingConfiguration", m{
		"LogDestinationConfigs": a{m{"Fn::Join": a{"", a{"arn:aws:logs:eu-west-1:111111111111:log-group:", m{"Ref": assertions.Match_AnyValue()}}}}},
		"RedactedFields":        a{m{"SingleHeader": m{"Name": "authorization"}}, m{"SingleHeader": m{"Name": "cookie"}}},
	})
	tp.Has("AWS::WAFv2::WebACLAssociation", m{"ResourceArn": "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/0123456789abcdef"})
}

func TestWebACLCloudFront(t *testing.T) {
	stack := cdktest.NewStack(t, usEast1)
	NewWebACL(stack, "WebACL", &WebACLProps{Scope: CloudFront, Name: "mamori-cloudfront", LogKey: cdktest.ImportedKey(stack), ManagedRuleGroups: defaultGroups})
	cdktest.Synth(t, stack).Has("AWS::WAFv2::WebACL", m{"Scope": "CLOUDFRONT"})
}

func TestWebACLPanics(t *testing.T) {
	for _, tc := range []struct {
		props WebACLProps
		want  string
	}{
		{WebACLProps{Name: "x"}, "LogKey is required"},
		{WebACLProps{Name: "x", ManagedRuleGroups: []ManagedRuleGroup{{Name: "AWSManagedRulesNope"}}}, `unknown AWS managed rule group "AWSManagedRulesNope"`},
		{WebACLProps{Name: "x", ManagedRuleGroups: []ManagedRuleGroup{{Name: "AWSManagedRulesATPRuleSet"}}}, "LoginPath is required"},
		{WebACLProps{Name: "x", ManagedRuleGroups: append(defaultGroups, ManagedRuleGroup{Name: "AWSManagedRulesLinuxRuleSet"}, ManagedRuleGroup{Name: "AWSManagedRulesWindowsRuleSet"})},
			"the rules need 1575 WCUs, above the limit of 1500"},
		{WebACLProps{Name: "x", Scope: CloudFront}, "CloudFront web ACLs must be created in us-east-1, not eu-west-1"},
		{WebACLProps{Name: "x", RateLimit: 9}, "RateLimit 9 must be 0 or 10 to 2000000000"},
	} {
		stack := cdktest.NewStack(t, cdktest.Env)
		if tc.want != "LogKey is required" {
			tc.props.LogKey = cdktest.ImportedKey(stack)
		}
		cdktest.PanicsWith(t, tc.want, func() { NewWebACL(stack, "WebACL", &tc.props) })
	}
}

// Every invalid prop is reported in one panic, not only the first.
func TestWebACLReportsEveryProblem(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	cdktest.PanicsWith(t, `infraprotection.NewWebACL "WebACL": LogKey is required; RateLimit 9 must be 0 or 10 to 2000000000; Blocked address "10.0.0.1" is not a CIDR; unknown AWS managed rule group "AWSManagedRulesNope"`, func() {
		NewWebACL(stack, "WebACL", &WebACLProps{Name: "x", RateLimit: 9, BlockedCIDRs: []string{"10.0.0.1"}, ManagedRuleGroups: []ManagedRuleGroup{{Name: "AWSManagedRulesNope"}}})
	})
}

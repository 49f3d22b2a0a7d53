// Package infraprotection holds the infrastructure-protection layer's
// constructs: AWS WAF web ACLs with a capacity check at synth, AWS Network
// Firewall in an inspection VPC, AWS Shield Advanced, and AWS Firewall
// Manager's administrator and policies.
package infraprotection

import (
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/catalog"
)

// Scope is where a web ACL applies.
type Scope string

const (
	// Regional web ACLs protect Application Load Balancers, API Gateway REST
	// API stages and other regional resources of their region.
	Regional Scope = "REGIONAL"
	// CloudFront web ACLs protect CloudFront distributions; AWS WAF accepts
	// them in us-east-1 only.
	CloudFront Scope = "CLOUDFRONT"
)

// ManagedRuleGroup selects an AWS managed rule group for a web ACL or a
// Firewall Manager WAF policy.
type ManagedRuleGroup struct {
	// Name of the group; it must be in catalog.WAFManagedRuleGroups.
	Name string
	// Count only counts the group's matches. Default: false: the group's
	// own actions apply.
	Count bool
	// CountRules are rules of the group that only count. Default: none.
	CountRules []string
	// LoginPath is the login endpoint AWSManagedRulesATPRuleSet inspects;
	// required for that group only.
	LoginPath string
}

// DefaultManagedRuleGroups are the AWS managed rule groups a web ACL runs
// when its props name none: the core rule set, known bad inputs and the
// Amazon IP reputation list, AWS's baseline groups for any application
// (AWS WAF Developer Guide, "Baseline rule groups" and "IP reputation rule
// groups"); 925 WCUs, within the basic price's 1500.
func DefaultManagedRuleGroups() []ManagedRuleGroup {
	return []ManagedRuleGroup{
		{Name: "AWSManagedRulesCommonRuleSet"}, {Name: "AWSManagedRulesKnownBadInputsRuleSet"}, {Name: "AWSManagedRulesAmazonIpReputationList"},
	}
}

// WebACLProps configures a WebACL.
type WebACLProps struct {
	// Scope of the web ACL. Default: Regional.
	Scope Scope
	// Name is the web ACL's name, also the prefix of its metric names.
	// Required.
	Name string
	// ManagedRuleGroups run after the address and rate rules, in order.
	// Default: AWS's baseline groups (DefaultManagedRuleGroups).
	ManagedRuleGroups []ManagedRuleGroup
	// NoManagedRuleGroups runs no managed rule group, only the address and
	// rate rules; ManagedRuleGroups must then be empty. Default: false.
	NoManagedRuleGroups bool
	// RateLimit blocks a client IP above this many requests in 5 minutes,
	// answering 429; 0 adds no rate-based rule. Default: 0.
	RateLimit int
	// AllowedCIDRs are allowed before any other rule. Default: none.
	AllowedCIDRs []string
	// BlockedCIDRs are blocked before the managed rule groups. Default: none.
	BlockedCIDRs []string
	// CapacityLimit is the most WCUs the rules may use. Default: 1500, the
	// capacity the basic web ACL price covers.
	CapacityLimit int
	// LogKey encrypts the web ACL's log group. Required.
	LogKey awskms.IKey
	// LogRetentionDays keeps the logs at least this long (rounded up to a
	// retention CloudWatch Logs offers). Default: 365.
	LogRetentionDays int
	// Associate lists regional resource ARNs (Application Load Balancers,
	// API Gateway stages) to protect. Regional scope only. Default: none.
	Associate []string
	// DestroyOnDelete deletes the log group with the stack. Default: false.
	DestroyOnDelete bool
}

// WebACL is an AWS WAF web ACL that allows by default and, in this order,
// allows the allowed addresses, blocks the blocked ones, rate-limits each
// client IP and runs the managed rule groups. Every rule publishes
// CloudWatch metrics and sampled requests, and every request is logged to a
// KMS-encrypted log group whose name starts with aws-waf-logs-, as AWS WAF
// requires, with the authorization and cookie headers redacted.
type WebACL struct {
	Scope    constructs.Construct
	Resource awswafv2.CfnWebACL
	LogGroup awslogs.LogGroup
	// Capacity is the WCUs the rules use, as computed at synth.
	Capacity int
}

// tooManyRequests is the custom response body key of the rate-based rule.
const tooManyRequests = "TooManyRequests"

// NewWebACL creates a WebACL. It panics listing every invalid prop.
func NewWebACL(scope constructs.Construct, id string, props *WebACLProps) *WebACL {
	var p WebACLProps
	if props != nil {
		p = *props
	}
	if p.Scope == "" {
		p.Scope = Regional
	}
	if p.CapacityLimit == 0 {
		p.CapacityLimit = catalog.DefaultWCULimit
	}
	if p.LogRetentionDays == 0 {
		p.LogRetentionDays = 365
	}
	if !p.NoManagedRuleGroups && len(p.ManagedRuleGroups) == 0 {
		p.ManagedRuleGroups = DefaultManagedRuleGroups()
	}
	capacity := checkWebACL(awscdk.Stack_Of(scope), id, p)

	this := constructs.NewConstruct(scope, jsii.String(id))
	props2 := &awswafv2.CfnWebACLProps{
		Name:             jsii.String(p.Name),
		Scope:            jsii.String(string(p.Scope)),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: &awswafv2.CfnWebACL_AllowActionProperty{}},
		Description:      jsii.String(fmt.Sprintf("mamori %s web ACL: %d of %d WCUs", strings.ToLower(string(p.Scope)), capacity, p.CapacityLimit)),
		Rules:            webACLRules(this, p),
		VisibilityConfig: webACLVisibility(p.Name, "Default"),
	}
	if p.RateLimit > 0 {
		props2.CustomResponseBodies = &map[string]interface{}{
			tooManyRequests: &awswafv2.CfnWebACL_CustomResponseBodyProperty{ContentType: jsii.String("TEXT_PLAIN"), Content: jsii.String("Too many requests: try again in a few minutes.")},
		}
	}
	acl := awswafv2.NewCfnWebACL(this, jsii.String("Resource"), props2)
	logGroup := logWebACL(this, p, acl)
	for i, arn := range p.Associate {
		awswafv2.NewCfnWebACLAssociation(this, jsii.String(fmt.Sprintf("Association%d", i)), &awswafv2.CfnWebACLAssociationProps{
			ResourceArn: jsii.String(arn), WebAclArn: acl.AttrArn(),
		})
	}
	return &WebACL{Scope: this, Resource: acl, LogGroup: logGroup, Capacity: capacity}
}

// checkWebACL panics listing every invalid prop of p, defaults applied, and
// returns the WCUs its rules need.
func checkWebACL(stack awscdk.Stack, id string, p WebACLProps) (capacity int) {
	bad := problems.Of("infraprotection.NewWebACL", id)
	if p.Scope != Regional && p.Scope != CloudFront {
		bad.Add("unknown scope %q", p.Scope)
	}
	if p.Name == "" {
		bad.Add("Name is required")
	}
	if p.LogKey == nil {
		bad.Add("LogKey is required")
	}
	if p.CapacityLimit < 1 || p.CapacityLimit > catalog.MaxWCULimit {
		bad.Add("CapacityLimit %d must be 1 to %d", p.CapacityLimit, catalog.MaxWCULimit)
	}
	if p.RateLimit != 0 && (p.RateLimit < 10 || p.RateLimit > 2000000000) {
		bad.Add("RateLimit %d must be 0 or 10 to 2000000000", p.RateLimit)
	}
	if p.Scope == CloudFront && len(p.Associate) > 0 {
		bad.Add("CloudFront distributions name their web ACL themselves; Associate is for regional resources")
	}
	if p.Scope == CloudFront && !*awscdk.Token_IsUnresolved(stack.Region()) && *stack.Region() != "us-east-1" {
		bad.Add("CloudFront web ACLs must be created in us-east-1, not %s", *stack.Region())
	}
	ipSets := 0
	for _, list := range webACLAddressLists(p) {
		v4, v6 := splitCIDRs(list.cidrs, func(s string) { bad.Add("%s address %q is not a CIDR", list.id, s) })
		ipSets += min(len(v4), 1) + min(len(v6), 1)
	}
	if p.NoManagedRuleGroups && len(p.ManagedRuleGroups) > 0 {
		bad.Add("NoManagedRuleGroups with ManagedRuleGroups")
	}
	var names []string
	for _, g := range p.ManagedRuleGroups {
		if mg, ok := catalog.WAFManagedRuleGroups[g.Name]; !ok {
			bad.Add("unknown AWS managed rule group %q", g.Name)
		} else if mg.NeedsLoginPath != (g.LoginPath != "") {
			bad.Add("managed rule group %q: LoginPath is required for AWSManagedRulesATPRuleSet and for it only", g.Name)
		}
		names = append(names, g.Name)
	}
	// Unknown groups have no known capacity: the sum would mislead.
	capacity, known := catalog.WebACLCapacity(names, p.RateLimit > 0, ipSets)
	if known && capacity > p.CapacityLimit {
		bad.Add("the rules need %d WCUs, above the limit of %d", capacity, p.CapacityLimit)
	}
	bad.Check()
	return capacity
}

// webACLAddressList is the allow or block list of a web ACL: its rules come
// first, allowed before blocked.
type webACLAddressList struct {
	id     string
	cidrs  []string
	action *awswafv2.CfnWebACL_RuleActionProperty
}

func webACLAddressLists(p WebACLProps) []webACLAddressList {
	return []webACLAddressList{
		{"Allowed", p.AllowedCIDRs, &awswafv2.CfnWebACL_RuleActionProperty{Allow: &awswafv2.CfnWebACL_AllowActionProperty{}}},
		{"Blocked", p.BlockedCIDRs, &awswafv2.CfnWebACL_RuleActionProperty{Block: &awswafv2.CfnWebACL_BlockActionProperty{}}},
	}
}

// webACLVisibility publishes a rule's (or the ACL's) metrics and sampled
// requests under the ACL's name.
func webACLVisibility(aclName, metric string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
	return &awswafv2.CfnWebACL_VisibilityConfigProperty{
		CloudWatchMetricsEnabled: jsii.Bool(true),
		SampledRequestsEnabled:   jsii.Bool(true),
		MetricName:               jsii.String(aclName + "-" + metric),
	}
}

// webACLRules creates the IP sets and returns the rules in priority order:
// the allowed and blocked addresses (IPv4, then IPv6), the rate limit, then
// the managed rule groups.
func webACLRules(this constructs.Construct, p WebACLProps) *[]interface{} {
	var rules []interface{}
	addRule := func(r *awswafv2.CfnWebACL_RuleProperty) {
		r.Priority = jsii.Number(float64(len(rules)))
		rules = append(rules, r)
	}
	for _, list := range webACLAddressLists(p) {
		v4, v6 := splitCIDRs(list.cidrs, func(string) {})
		for _, set := range []struct {
			version string
			cidrs   []string
		}{{"IPV4", v4}, {"IPV6", v6}} {
			if len(set.cidrs) == 0 {
				continue
			}
			setID := list.id + strings.TrimPrefix(set.version, "IP")
			ipSet := awswafv2.NewCfnIPSet(this, jsii.String(setID), &awswafv2.CfnIPSetProps{
				Scope:            jsii.String(string(p.Scope)),
				IpAddressVersion: jsii.String(set.version),
				Addresses:        jsii.Strings(set.cidrs...),
				Description:      jsii.String(list.id + " addresses of web ACL " + p.Name),
			})
			addRule(&awswafv2.CfnWebACL_RuleProperty{
				Name:             jsii.String(setID),
				Action:           list.action,
				Statement:        &awswafv2.CfnWebACL_StatementProperty{IpSetReferenceStatement: &awswafv2.CfnWebACL_IPSetReferenceStatementProperty{Arn: ipSet.AttrArn()}},
				VisibilityConfig: webACLVisibility(p.Name, setID),
			})
		}
	}
	if p.RateLimit > 0 {
		addRule(&awswafv2.CfnWebACL_RuleProperty{
			Name: jsii.String("RateLimit"),
			Action: &awswafv2.CfnWebACL_RuleActionProperty{Block: &awswafv2.CfnWebACL_BlockActionProperty{
				CustomResponse: &awswafv2.CfnWebACL_CustomResponseProperty{ResponseCode: jsii.Number(429), CustomResponseBodyKey: jsii.String(tooManyRequests)},
			}},
			Statement: &awswafv2.CfnWebACL_StatementProperty{RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
				Limit: jsii.Number(float64(p.RateLimit)), AggregateKeyType: jsii.String("IP"), EvaluationWindowSec: jsii.Number(300),
			}},
			VisibilityConfig: webACLVisibility(p.Name, "RateLimit"),
		})
	}
	for _, g := range p.ManagedRuleGroups {
		addRule(&awswafv2.CfnWebACL_RuleProperty{
			Name:           jsii.String(g.Name),
			OverrideAction: overrideAction(g.Count),
			Statement: &awswafv2.CfnWebACL_StatementProperty{ManagedRuleGroupStatement: &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{
				VendorName:              jsii.String("AWS"),
				Name:                    jsii.String(g.Name),
				RuleActionOverrides:     countOverrides(g.CountRules),
				ManagedRuleGroupConfigs: managedConfigs(g),
			}},
			VisibilityConfig: webACLVisibility(p.Name, g.Name),
		})
	}
	return &rules
}

// logWebACL logs every request of acl to a KMS-encrypted log group, with
// the authorization and cookie headers redacted.
func logWebACL(this constructs.Construct, p WebACLProps, acl awswafv2.CfnWebACL) awslogs.LogGroup {
	// AWS WAF logs only to destinations named aws-waf-logs-*
	// (https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html).
	logGroup := awslogs.NewLogGroup(this, jsii.String("Logs"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String("aws-waf-logs-" + p.Name),
		EncryptionKey: p.LogKey,
		Retention:     sdkcall.Retention(p.LogRetentionDays),
		RemovalPolicy: jsiix.Removal(p.DestroyOnDelete),
	})
	// The destination is the log group's ARN without the ":*" that
	// LogGroup.LogGroupArn carries.
	logArn := awscdk.Stack_Of(this).FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("logs"), Resource: jsii.String("log-group"), ResourceName: logGroup.LogGroupName(),
		ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
	redact := func(header string) interface{} {
		return &awswafv2.CfnLoggingConfiguration_FieldToMatchProperty{SingleHeader: map[string]interface{}{"Name": header}}
	}
	awswafv2.NewCfnLoggingConfiguration(this, jsii.String("Logging"), &awswafv2.CfnLoggingConfigurationProps{
		ResourceArn:           acl.AttrArn(),
		LogDestinationConfigs: &[]interface{}{logArn},
		RedactedFields:        &[]interface{}{redact("authorization"), redact("cookie")},
	})
	return logGroup
}

func overrideAction(count bool) *awswafv2.CfnWebACL_OverrideActionProperty {
	if count {
		return &awswafv2.CfnWebACL_OverrideActionProperty{Count: map[string]interface{}{}}
	}
	return &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]interface{}{}}
}

func countOverrides(rules []string) *[]interface{} {
	if len(rules) == 0 {
		return nil
	}
	out := []interface{}{}
	for _, r := range rules {
		out = append(out, &awswafv2.CfnWebACL_RuleActionOverrideProperty{
			Name:        jsii.String(r),
			ActionToUse: &awswafv2.CfnWebACL_RuleActionProperty{Count: &awswafv2.CfnWebACL_CountActionProperty{}},
		})
	}
	return &out
}

// managedConfigs is the configuration the intelligent threat mitigation
// groups require: Bot Control's inspection level (the common level, the
// cheaper one) and ATP's login path.
func managedConfigs(g ManagedRuleGroup) *[]interface{} {
	switch g.Name {
	case "AWSManagedRulesBotControlRuleSet":
		return &[]interface{}{&awswafv2.CfnWebACL_ManagedRuleGroupConfigProperty{
			AwsManagedRulesBotControlRuleSet: &awswafv2.CfnWebACL_AWSManagedRulesBotControlRuleSetProperty{InspectionLevel: jsii.String("COMMON")},
		}}
	case "AWSManagedRulesATPRuleSet":
		return &[]interface{}{&awswafv2.CfnWebACL_ManagedRuleGroupConfigProperty{
			AwsManagedRulesAtpRuleSet: &awswafv2.CfnWebACL_AWSManagedRulesATPRuleSetProperty{LoginPath: jsii.String(g.LoginPath)},
		}}
	}
	return nil
}

// splitCIDRs sorts CIDRs into IPv4 and IPv6, calling bad for any that is not one.
func splitCIDRs(cidrs []string, bad func(string)) (v4, v6 []string) {
	for _, c := range cidrs {
		ip, _, err := net.ParseCIDR(c)
		switch {
		case err != nil:
			bad(c)
		case ip.To4() != nil:
			v4 = append(v4, c)
		default:
			v6 = append(v6, c)
		}
	}
	return v4, v6
}

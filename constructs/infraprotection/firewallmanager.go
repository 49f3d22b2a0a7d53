package infraprotection

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsfms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53resolver"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/catalog"
	"github.com/mamori-dev/mamori/internal/nag"
)

// FirewallManagerAdminProps configures FirewallManagerAdmin.
type FirewallManagerAdminProps struct {
	// Calls runs the association; its stack must deploy in the
	// organization's management account. Required.
	Calls *sdkcall.Provider
	// AdminAccountID is the member account that becomes the Firewall
	// Manager default administrator (12 digits). Required.
	AdminAccountID string
}

// FirewallManagerAdmin makes a member account the AWS Firewall Manager
// default administrator: fms:AssociateAdminAccount, an API-only step that
// the organization's management account makes, in us-east-1 where Firewall
// Manager serves the default administrator (the call's region, whatever the
// stack's). Firewall Manager enables its trusted access and registers the
// account as delegated administrator in Organizations by itself.
//
// An account that already is the administrator counts as success, another
// one is an error; the handler waits until the administrator's role is
// READY, so that policies can follow. The association stays when the
// resource leaves the stack: DisassociateAdminAccount is the
// administrator's own call, and it deletes every policy the administrator
// created.
// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_AssociateAdminAccount.html
// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_GetAdminAccount.html
// https://docs.aws.amazon.com/waf/latest/developerguide/enable-integration.html
type FirewallManagerAdmin struct {
	Scope       constructs.Construct
	Association awscdk.CustomResource
}

//go:embed handlers/fms-admin.js
var fmsAdminHandler string

// NewFirewallManagerAdmin creates a FirewallManagerAdmin.
func NewFirewallManagerAdmin(scope constructs.Construct, id string, props *FirewallManagerAdminProps) *FirewallManagerAdmin {
	var p FirewallManagerAdminProps
	if props != nil {
		p = *props
	}
	if p.Calls == nil || len(p.AdminAccountID) != 12 {
		panic(fmt.Errorf("infraprotection.NewFirewallManagerAdmin %q: Calls and a 12-digit AdminAccountID are required", id))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	actions := []string{
		"fms:AssociateAdminAccount", "fms:GetAdminAccount",
		// Firewall Manager enables its trusted access and registers the
		// administrator in Organizations on the caller's behalf, and creates
		// its service-linked role.
		"organizations:DescribeOrganization", "organizations:DescribeAccount", "organizations:ListAccounts",
		"organizations:ListAWSServiceAccessForOrganization", "organizations:ListDelegatedAdministrators",
	}
	assoc := p.Calls.NewWaitingCall(this, "Association", &sdkcall.WaitingCallProps{
		HandlerName:  "fms-admin",
		Handler:      fmsAdminHandler,
		ResourceType: "Custom::FirewallManagerAdmin",
		Properties:   map[string]interface{}{"AdminAccountId": p.AdminAccountID},
		Timeout:      14 * time.Minute,
		Statements: []awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings(actions...), Resources: jsii.Strings("*")}),
			// For Firewall Manager only (organizations:ServicePrincipal), as in
			// the AWS managed policy AWSFMAdminFullAccess.
			sdkcall.OrganizationWrites([]string{"fms.amazonaws.com"}, "organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator"),
			createFirewallManagerRole(this),
		},
		Suppressions: []nag.Rule{{
			ID:        "AwsSolutions-IAM5",
			Reason:    "Firewall Manager administrator association and the Organizations calls it makes act on the organization and support no resource-level permissions.",
			AppliesTo: []string{"Resource::*"},
		}},
	})
	return &FirewallManagerAdmin{Scope: this, Association: assoc}
}

// PolicyScope limits Firewall Manager policies to part of the organization.
type PolicyScope struct {
	// IncludeOrganizationalUnits and IncludeAccounts, when set, are the
	// only accounts in scope. Default: the whole organization.
	IncludeOrganizationalUnits, IncludeAccounts []string
	// ExcludeOrganizationalUnits and ExcludeAccounts leave accounts out;
	// not together with the include lists. Default: none.
	ExcludeOrganizationalUnits, ExcludeAccounts []string
	// ExcludeResourceTags exempts resources carrying any of these tags.
	// Default: none.
	ExcludeResourceTags map[string]string
}

// FirewallManagerPoliciesProps configures FirewallManagerPolicies.
type FirewallManagerPoliciesProps struct {
	// Name starts every policy name. Required.
	Name string
	// Scope of every policy. Default: the whole organization.
	Scope PolicyScope
	// ReportOnly keeps the policies from fixing what they find (associating
	// web ACLs, creating firewalls, subscribing accounts); they only report.
	// Default: false: they fix it.
	ReportOnly bool
	// Global creates the policies for CloudFront distributions (WAF and,
	// with ShieldAdvanced, Shield); only in us-east-1. Default: false.
	Global bool
	// WAFRuleGroups, when set, adds a WAFV2 policy running these AWS managed
	// groups first in every in-scope web ACL. Default: none: no WAF policy.
	WAFRuleGroups []ManagedRuleGroup
	// WAFResourceTypes are the regional resource types the WAF policy
	// covers. Default: Application Load Balancers and API Gateway stages.
	WAFResourceTypes []string
	// WAFLogDestinationARN is an S3 bucket or Firehose stream in the
	// administrator account whose name starts with aws-waf-logs-, where the
	// policy's web ACLs log. Default: none: no logging configuration.
	WAFLogDestinationARN string
	// NetworkFirewallRuleGroupARNs and NetworkFirewallManagedGroups, when
	// either is set, add a NETWORK_FIREWALL policy that puts a firewall in
	// every in-scope VPC (distributed deployment) with a strict-order policy
	// like NetworkFirewall's. Default: none.
	NetworkFirewallRuleGroupARNs []*string
	NetworkFirewallManagedGroups []string
	// NetworkFirewallDefaultDeny drops established traffic no rule passes;
	// set it when the rule groups hold a domain allow list (see
	// statefulDefaultActions). Default: false: unmatched traffic passes with
	// an alert.
	NetworkFirewallDefaultDeny bool
	// RemediateSecurityGroups lets the security-group audit policies change
	// member accounts' groups: remove rules that allow all protocols, delete
	// groups unused for an hour, merge redundant ones. Default: false: they
	// only report, whatever ReportOnly says, because what they would
	// change can break workloads.
	RemediateSecurityGroups bool
	// SecurityGroupAudit adds security-group content and usage audit
	// policies. Default: false.
	SecurityGroupAudit bool
	// DNSFirewallCalls, when set, adds a DNS Firewall rule group blocking the
	// AWS managed malware and botnet domain lists and a DNS_FIREWALL policy
	// that associates it with every in-scope VPC; the calls look the lists'
	// IDs up. Default: nil: no DNS Firewall policy.
	DNSFirewallCalls *sdkcall.Provider
	// ShieldAdvanced adds a SHIELD_ADVANCED policy, which subscribes every
	// in-scope account (a one-year commitment). Default: false.
	ShieldAdvanced bool
	// NotificationTopic receives Firewall Manager's SNS notifications; only
	// one channel exists per administrator and region. Default: nil: none.
	NotificationTopic awssns.ITopic
}

// FirewallManagerPolicies are AWS Firewall Manager policies, deployed in the
// Firewall Manager administrator account, one set per region (the Global set
// in us-east-1). Firewall Manager evaluates resources through AWS Config,
// which must be recording in every in-scope account and region, and it sends
// its findings to Security Hub in the same account and region on its own
// once both are enabled. Policies never delete what they created when they
// are removed (DeleteAllPolicyResources false).
type FirewallManagerPolicies struct {
	Scope    constructs.Construct
	Policies map[string]awsfms.CfnPolicy
}

// DNSManagedDomainLists are the AWS managed DNS Firewall domain lists the
// DNS Firewall policy blocks, by name (Route 53 Developer Guide, "Managed
// domain lists").
var DNSManagedDomainLists = []string{"AWSManagedDomainsMalwareDomainList", "AWSManagedDomainsBotnetCommandandControl"}

//go:embed handlers/dns-managed-lists.js
var dnsListsHandler string

// Resource types Firewall Manager policies cover.
const (
	albType      = "AWS::ElasticLoadBalancingV2::LoadBalancer"
	apiStageType = "AWS::ApiGateway::Stage"
	cfType       = "AWS::CloudFront::Distribution"
)

// NewFirewallManagerPolicies creates FirewallManagerPolicies. It panics
// listing every invalid prop.
func NewFirewallManagerPolicies(scope constructs.Construct, id string, props *FirewallManagerPoliciesProps) *FirewallManagerPolicies {
	var p FirewallManagerPoliciesProps
	if props != nil {
		p = *props
	}
	stack := awscdk.Stack_Of(scope)
	checkFirewallManagerPolicies(stack, id, p)
	this := constructs.NewConstruct(scope, jsii.String(id))
	f := &FirewallManagerPolicies{Scope: this, Policies: map[string]awsfms.CfnPolicy{}}
	add := func(policyID string, props *awsfms.CfnPolicyProps) {
		f.Policies[policyID] = awsfms.NewCfnPolicy(this, jsii.String(policyID), props)
	}
	if len(p.WAFRuleGroups) > 0 {
		add("Waf", p.policy("waf", "mamori: AWS managed WAF rule groups first in every in-scope web ACL", p.wafResourceTypes(), "WAFV2", p.wafData()))
	}
	if len(p.NetworkFirewallRuleGroupARNs) > 0 || len(p.NetworkFirewallManagedGroups) > 0 {
		props := p.policy("network-firewall", "mamori: a Network Firewall in every in-scope VPC", []string{"AWS::EC2::VPC"}, "NETWORK_FIREWALL", p.networkFirewallData(stack))
		props.SecurityServicePolicyData.(*awsfms.CfnPolicy_SecurityServicePolicyDataProperty).PolicyOption = &awsfms.CfnPolicy_PolicyOptionProperty{
			NetworkFirewallPolicy: &awsfms.CfnPolicy_NetworkFirewallPolicyProperty{FirewallDeploymentModel: jsii.String("DISTRIBUTED")},
		}
		add("NetworkFirewall", props)
	}
	if p.SecurityGroupAudit && !p.Global {
		content, usage := p.securityGroupAuditPolicies()
		add("SecurityGroupContent", content)
		add("SecurityGroupUsage", usage)
	}
	if p.DNSFirewallCalls != nil && !p.Global {
		add("DnsFirewall", p.policy("dns-firewall", "mamori: block AWS managed malware and botnet domains in every in-scope VPC",
			[]string{"AWS::EC2::VPC"}, "DNS_FIREWALL", map[string]interface{}{
				"type":                  "DNS_FIREWALL",
				"preProcessRuleGroups":  []interface{}{map[string]interface{}{"ruleGroupId": f.dnsRuleGroup(this, p), "priority": 10}},
				"postProcessRuleGroups": []interface{}{},
			}))
	}
	if p.ShieldAdvanced {
		add("ShieldAdvanced", p.shieldAdvancedPolicy())
	}
	if p.NotificationTopic != nil {
		notifyFirewallManager(this, p.NotificationTopic)
	}
	return f
}

// checkFirewallManagerPolicies panics listing every invalid prop of p.
func checkFirewallManagerPolicies(stack awscdk.Stack, id string, p FirewallManagerPoliciesProps) {
	bad := problems.Of("infraprotection.NewFirewallManagerPolicies", id)
	sc := p.Scope
	if p.Name == "" {
		bad.Add("Name is required")
	}
	if (len(sc.IncludeAccounts) > 0 || len(sc.IncludeOrganizationalUnits) > 0) && (len(sc.ExcludeAccounts) > 0 || len(sc.ExcludeOrganizationalUnits) > 0) {
		bad.Add("a policy takes an include list or an exclude list, not both")
	}
	if p.Global && !*awscdk.Token_IsUnresolved(stack.Region()) && *stack.Region() != "us-east-1" {
		bad.Add("CloudFront policies belong in us-east-1, not %s", *stack.Region())
	}
	for _, g := range p.WAFRuleGroups {
		if _, ok := catalog.WAFManagedRuleGroups[g.Name]; !ok {
			bad.Add("unknown AWS managed rule group %q", g.Name)
		}
	}
	if p.Global && (len(p.NetworkFirewallRuleGroupARNs) > 0 || len(p.NetworkFirewallManagedGroups) > 0) {
		bad.Add("Network Firewall policies are regional")
	}
	bad.Check()
}

// policy is the props every policy shares: name, remediation, the scope's
// include, exclude and tag lists, and resources kept when it is removed.
func (p FirewallManagerPoliciesProps) policy(policyID, description string, types []string, typ string, data interface{}) *awsfms.CfnPolicyProps {
	sc := p.Scope
	props := &awsfms.CfnPolicyProps{
		PolicyName:               jsii.String(p.Name + "-" + policyID),
		PolicyDescription:        jsii.String(description),
		RemediationEnabled:       jsii.Bool(!p.ReportOnly),
		DeleteAllPolicyResources: jsii.Bool(false),
		ResourcesCleanUp:         jsii.Bool(false),
		SecurityServicePolicyData: &awsfms.CfnPolicy_SecurityServicePolicyDataProperty{
			Type: jsii.String(typ),
		},
		ExcludeResourceTags: jsii.Bool(len(sc.ExcludeResourceTags) > 0),
	}
	if data != nil {
		props.SecurityServicePolicyData.(*awsfms.CfnPolicy_SecurityServicePolicyDataProperty).ManagedServiceData = jsonString(data)
	}
	if len(types) == 1 {
		props.ResourceType = jsii.String(types[0])
	} else {
		props.ResourceType, props.ResourceTypeList = jsii.String("ResourceTypeList"), jsii.Strings(types...)
	}
	if len(sc.ExcludeResourceTags) > 0 {
		var tags []interface{}
		for _, k := range slices.Sorted(maps.Keys(sc.ExcludeResourceTags)) {
			tags = append(tags, &awsfms.CfnPolicy_ResourceTagProperty{Key: jsii.String(k), Value: jsii.String(sc.ExcludeResourceTags[k])})
		}
		props.ResourceTags = &tags
	}
	if m := ieMap(sc.IncludeAccounts, sc.IncludeOrganizationalUnits); m != nil {
		props.IncludeMap = m
	}
	if m := ieMap(sc.ExcludeAccounts, sc.ExcludeOrganizationalUnits); m != nil {
		props.ExcludeMap = m
	}
	return props
}

// wafResourceTypes are the resources the WAFV2 policy covers: CloudFront in
// the Global set, else WAFResourceTypes or load balancers and API stages.
func (p FirewallManagerPoliciesProps) wafResourceTypes() []string {
	switch {
	case p.Global:
		return []string{cfType}
	case len(p.WAFResourceTypes) > 0:
		return p.WAFResourceTypes
	}
	return []string{albType, apiStageType}
}

// securityGroupAuditPolicies are the content and usage audit policies;
// they remediate only with RemediateSecurityGroups.
func (p FirewallManagerPoliciesProps) securityGroupAuditPolicies() (content, usage *awsfms.CfnPolicyProps) {
	// Managed audit rules: report security groups whose rules allow all
	// protocols, inbound and outbound.
	content = p.policy("sg-content-audit", "mamori: security groups must not allow all protocols",
		[]string{"AWS::EC2::SecurityGroup"}, "SECURITY_GROUPS_CONTENT_AUDIT", map[string]interface{}{
			"type":                "SECURITY_GROUPS_CONTENT_AUDIT",
			"preManagedOptions":   []interface{}{map[string]interface{}{"denyProtocolAllValue": true}, map[string]interface{}{"auditSgDirection": map[string]interface{}{"type": "ALL"}}},
			"securityGroupAction": map[string]interface{}{"type": "DENY"},
		})
	usage = p.policy("sg-usage-audit", "mamori: unused and redundant security groups",
		[]string{"AWS::EC2::SecurityGroup"}, "SECURITY_GROUPS_USAGE_AUDIT", map[string]interface{}{
			"type":                            "SECURITY_GROUPS_USAGE_AUDIT",
			"deleteUnusedSecurityGroups":      true,
			"coalesceRedundantSecurityGroups": true,
			"optionalDelayForUnusedInMinutes": 60,
		})
	content.RemediationEnabled = jsii.Bool(p.RemediateSecurityGroups)
	usage.RemediationEnabled = jsii.Bool(p.RemediateSecurityGroups)
	return content, usage
}

// shieldAdvancedPolicy protects load balancers and Elastic IPs, or in the
// Global set CloudFront distributions with automatic application-layer
// mitigation counting.
func (p FirewallManagerPoliciesProps) shieldAdvancedPolicy() *awsfms.CfnPolicyProps {
	types := []string{albType, "AWS::ElasticLoadBalancing::LoadBalancer", "AWS::EC2::EIP"}
	var data interface{}
	if p.Global {
		types = []string{cfType}
		data = map[string]interface{}{
			"type":                           "SHIELD_ADVANCED",
			"automaticResponseConfiguration": map[string]interface{}{"automaticResponseStatus": "ENABLED", "automaticResponseAction": "COUNT"},
			"overrideCustomerWebaclClassic":  false,
		}
	}
	return p.policy("shield-advanced", "mamori: Shield Advanced protection for every in-scope resource", types, "SHIELD_ADVANCED", data)
}

// notifyFirewallManager sends Firewall Manager's notifications to topic.
func notifyFirewallManager(this constructs.Construct, topic awssns.ITopic) {
	// Firewall Manager publishes with its service-linked role, which the
	// topic's policy must admit ("Firewall Manager required permissions
	// for API actions", PutNotificationChannel); an encrypted topic's key
	// must admit it too (AllowFirewallManagerNotifications).
	role := firewallManagerRole(this)
	topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("FirewallManagerPublishes"),
		Actions:    jsii.Strings("sns:Publish"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewArnPrincipal(role)},
		Resources:  jsii.Strings(*topic.TopicArn()),
	}))
	awsfms.NewCfnNotificationChannel(this, jsii.String("Notifications"), &awsfms.CfnNotificationChannelProps{
		SnsTopicArn: topic.TopicArn(), SnsRoleName: role,
	})
}

// wafData is the WAFV2 policy's managed service data.
func (p FirewallManagerPoliciesProps) wafData() map[string]interface{} {
	var groups []interface{}
	for _, g := range p.WAFRuleGroups {
		override := "NONE"
		if g.Count {
			override = "COUNT"
		}
		excluded := []interface{}{}
		for _, r := range g.CountRules {
			excluded = append(excluded, map[string]interface{}{"name": r})
		}
		groups = append(groups, map[string]interface{}{
			"ruleGroupType":              "ManagedRuleGroup",
			"managedRuleGroupIdentifier": map[string]interface{}{"vendorName": "AWS", "managedRuleGroupName": g.Name},
			"overrideAction":             map[string]interface{}{"type": override},
			"excludeRules":               excluded,
		})
	}
	data := map[string]interface{}{
		"type":                                    "WAFV2",
		"preProcessRuleGroups":                    groups,
		"postProcessRuleGroups":                   []interface{}{},
		"defaultAction":                           map[string]interface{}{"type": "ALLOW"},
		"overrideCustomerWebACLAssociation":       false,
		"sampledRequestsEnabledForDefaultActions": true,
	}
	if p.WAFLogDestinationARN != "" {
		data["loggingConfiguration"] = map[string]interface{}{
			"logDestinationConfigs": []string{p.WAFLogDestinationARN},
			"redactedFields": []interface{}{
				map[string]interface{}{"redactedFieldType": "SingleHeader", "redactedFieldValue": "authorization"},
				map[string]interface{}{"redactedFieldType": "SingleHeader", "redactedFieldValue": "cookie"},
			},
		}
	}
	return data
}

// networkFirewallData is the NETWORK_FIREWALL policy's managed service data:
// the same engine settings as NetworkFirewall's own policy.
func (p FirewallManagerPoliciesProps) networkFirewallData(stack awscdk.Stack) map[string]interface{} {
	var refs []interface{}
	for _, arn := range p.NetworkFirewallRuleGroupARNs {
		refs = append(refs, map[string]interface{}{"resourceARN": *arn, "priority": 100 * (len(refs) + 1)})
	}
	for _, g := range p.NetworkFirewallManagedGroups {
		arn := stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("network-firewall"), Account: jsii.String("aws-managed"),
			Resource: jsii.String("stateful-rulegroup"), ResourceName: jsii.String(g),
		})
		refs = append(refs, map[string]interface{}{"resourceARN": *arn, "priority": 100 * (len(refs) + 1)})
	}
	return map[string]interface{}{
		"type": "NETWORK_FIREWALL",
		"networkFirewallStatelessRuleGroupReferences":    []interface{}{},
		"networkFirewallStatelessDefaultActions":         []string{"aws:forward_to_sfe"},
		"networkFirewallStatelessFragmentDefaultActions": []string{"aws:forward_to_sfe"},
		"networkFirewallStatelessCustomActions":          []interface{}{},
		"networkFirewallStatefulRuleGroupReferences":     refs,
		"networkFirewallStatefulDefaultActions":          statefulDefaultActions(p.NetworkFirewallDefaultDeny),
		"networkFirewallStatefulEngineOptions":           map[string]interface{}{"ruleOrder": "STRICT_ORDER", "streamExceptionPolicy": "DROP"},
		"networkFirewallOrchestrationConfig": map[string]interface{}{
			"singleFirewallEndpointPerVPC": false,
			"allowedIPV4CidrList":          []string{},
			"routeManagementAction":        "MONITOR",
		},
	}
}

// dnsRuleGroup creates the DNS Firewall rule group the DNS_FIREWALL policy
// associates, and returns its ID.
func (f *FirewallManagerPolicies) dnsRuleGroup(this constructs.Construct, p FirewallManagerPoliciesProps) *string {
	lookup := p.DNSFirewallCalls.NewWaitingCall(this, "DnsManagedLists", &sdkcall.WaitingCallProps{
		HandlerName:  "dns-managed-lists",
		Handler:      dnsListsHandler,
		ResourceType: "Custom::DnsFirewallManagedDomainLists",
		Properties:   map[string]interface{}{"Names": DNSManagedDomainLists},
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("route53resolver:ListFirewallDomainLists"), Resources: jsii.Strings("*"),
		})},
		Suppressions: []nag.Rule{{
			ID:        "AwsSolutions-IAM5",
			Reason:    "route53resolver:ListFirewallDomainLists lists the region's domain lists and supports no resource-level permissions.",
			AppliesTo: []string{"Resource::*"},
		}},
	})
	var rules []interface{}
	for i, name := range DNSManagedDomainLists {
		rules = append(rules, &awsroute53resolver.CfnFirewallRuleGroup_FirewallRuleProperty{
			FirewallDomainListId: lookup.GetAttString(jsii.String(name)),
			Priority:             jsii.Number(float64(10 * (i + 1))),
			Action:               jsii.String("BLOCK"),
			BlockResponse:        jsii.String("NODATA"),
		})
	}
	group := awsroute53resolver.NewCfnFirewallRuleGroup(this, jsii.String("DnsRuleGroup"), &awsroute53resolver.CfnFirewallRuleGroupProps{
		Name: jsii.String(p.Name + "-dns-firewall"), FirewallRules: &rules,
	})
	return group.AttrId()
}

// ieMap is a policy's include or exclude map, or nil when both lists are empty.
func ieMap(accounts, ous []string) *awsfms.CfnPolicy_IEMapProperty {
	if len(accounts) == 0 && len(ous) == 0 {
		return nil
	}
	m := &awsfms.CfnPolicy_IEMapProperty{}
	if len(accounts) > 0 {
		m.Account = jsii.Strings(slices.Sorted(slices.Values(accounts))...)
	}
	if len(ous) > 0 {
		m.Orgunit = jsii.Strings(slices.Sorted(slices.Values(ous))...)
	}
	return m
}

// jsonString marshals managed service data; tokens inside (ARNs) stay
// tokens in the string and resolve to an Fn::Join.
func jsonString(v interface{}) *string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return jsii.String(string(b))
}

// firewallManagerRole is the ARN of Firewall Manager's service-linked role,
// AWSServiceRoleForFMS, in scope's account.
func firewallManagerRole(scope constructs.Construct) *string {
	return awscdk.Stack_Of(scope).FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("role"),
		ResourceName: jsii.String("aws-service-role/fms.amazonaws.com/AWSServiceRoleForFMS"),
	})
}

// createFirewallManagerRole lets a call create Firewall Manager's
// service-linked role and no other.
func createFirewallManagerRole(scope constructs.Construct) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsii.Strings("iam:CreateServiceLinkedRole"),
		Resources:  jsii.Strings(*firewallManagerRole(scope)),
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"iam:AWSServiceName": "fms.amazonaws.com"}},
	})
}

// EnsureFirewallManagerRole creates Firewall Manager's service-linked role,
// AWSServiceRoleForFMS, in the stack's account unless it exists (IAM's
// InvalidInput for a role name already taken counts as success; a delete
// leaves the role), so that key and topic policies may name it before the
// Firewall Manager administrator association has made it: KMS refuses a
// key policy whose principals do not exist (KMS API Reference,
// PutKeyPolicy). Make those policies depend on the returned call.
func EnsureFirewallManagerRole(scope constructs.Construct, id string, calls *sdkcall.Provider) customresources.AwsCustomResource {
	if calls == nil {
		panic(fmt.Errorf("infraprotection.EnsureFirewallManagerRole %q: calls are required", id))
	}
	return calls.NewCall(scope, id, &sdkcall.CallProps{
		OnCreate: &customresources.AwsSdkCall{
			Service: jsii.String("IAM"), Action: jsii.String("CreateServiceLinkedRole"),
			Parameters:               map[string]interface{}{"AWSServiceName": "fms.amazonaws.com"},
			PhysicalResourceId:       customresources.PhysicalResourceId_Of(jsii.String("fms-service-linked-role")),
			IgnoreErrorCodesMatching: jsii.String("InvalidInput"),
		},
		Statements: []awsiam.PolicyStatement{createFirewallManagerRole(scope)},
	})
}

// AllowFirewallManagerNotifications lets Firewall Manager's service-linked
// role encrypt what it publishes to this account's SNS topics in key's
// region that key encrypts: a publisher to an encrypted topic needs
// kms:GenerateDataKey* and kms:Decrypt on the topic's key (Amazon SNS
// Developer Guide, "Key management"). The grant holds only through SNS and
// for this account's topics, through the encryption context SNS sends
// (aws:sns:topicArn); naming the topic itself would make the key depend on
// the topic it encrypts. Call it from the stack that owns key's policy.
func AllowFirewallManagerNotifications(key awskms.IKey) {
	stack := key.Stack()
	topics := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("sns"), Resource: jsii.String("*")})
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("FirewallManagerPublishesNotifications"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewArnPrincipal(firewallManagerRole(stack))},
		Actions:    jsii.Strings("kms:GenerateDataKey*", "kms:Decrypt"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"kms:ViaService": "sns." + *stack.Region() + ".amazonaws.com"},
			"ArnLike":      map[string]interface{}{"kms:EncryptionContext:aws:sns:topicArn": *topics},
		},
	}), jsii.Bool(false))
}

package stacks

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/infraprotection"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

// InfraProtectionStackProps configures an InfraProtectionStack.
type InfraProtectionStackProps struct {
	Base Base
	// Home marks the home region, where the Network Firewall lives.
	Home bool
	// Global marks us-east-1, where the CloudFront web ACL and Shield
	// Advanced live: AWS serves both from there only.
	Global                   bool
	InfrastructureProtection config.InfrastructureProtection
	Logs                     config.Logs
	// LogsKey, from the data-protection layer, encrypts WAF and firewall logs.
	LogsKey awskms.IKey
	// SecurityHub says Security Hub is on in the region: the stack then
	// suppresses the findings its own buckets and functions cannot avoid, and
	// must deploy after the detection stack.
	SecurityHub bool
	// FirewallManaged leaves WAF and Network Firewall to Firewall Manager's
	// policies (organization mode), which cover this account too: the stack
	// keeps only Shield Advanced. Default: false.
	FirewallManaged bool
}

// HasResources reports whether the region's stack would hold anything: it
// is not created otherwise (CloudFormation refuses empty templates).
func (p *InfraProtectionStackProps) HasResources() bool {
	c := p.InfrastructureProtection
	shield := c.ShieldAdvanced.Enabled && p.Global
	if p.FirewallManaged {
		return shield
	}
	return c.WAF.Enabled || (c.NetworkFirewall.Enabled && p.Home) || shield
}

// InfraProtectionStack is the infrastructure-protection layer of one region
// of a standalone account: the WAF and Network Firewall settings deployed
// directly (an organization gets them through Firewall Manager instead, see
// NewFirewallManagerPoliciesStack), and in us-east-1 the CloudFront web ACL
// and Shield Advanced.
type InfraProtectionStack struct {
	Stack           awscdk.Stack
	RegionalWebACL  *infraprotection.WebACL
	CloudFrontACL   *infraprotection.WebACL
	NetworkFirewall *infraprotection.NetworkFirewall
	Shield          *infraprotection.ShieldAdvanced
}

// NewInfraProtectionStack creates an InfraProtectionStack.
func NewInfraProtectionStack(app awscdk.App, name string, props *InfraProtectionStackProps) *InfraProtectionStack {
	p := *props
	c := p.InfrastructureProtection
	region := *p.Base.StackProps.Env.Region
	stack := newStack(app, name, "infra-protection", "mamori infrastructure protection: AWS WAF, AWS Network Firewall and AWS Shield Advanced", p.Base)
	s := &InfraProtectionStack{Stack: stack}
	destroy := p.Base.DestroyOnDelete
	calls := func() *sdkcall.Provider { return sdkCalls(stack, p.LogsKey, p.Logs, destroy) }

	if w := c.WAF; w.Enabled && !p.FirewallManaged {
		acl := func(id string, scope infraprotection.Scope, name string, associate []string) *infraprotection.WebACL {
			props := webACLProps(w, scope, name, associate, p.Logs, destroy)
			props.LogKey = p.LogsKey
			return infraprotection.NewWebACL(stack, id, props)
		}
		s.RegionalWebACL = acl("RegionalWebAcl", infraprotection.Regional, p.Base.Prefix+"-regional-"+region, associationsIn(w.Associate, region))
		if w.CloudFront && p.Global {
			s.CloudFrontACL = acl("CloudFrontWebAcl", infraprotection.CloudFront, p.Base.Prefix+"-cloudfront", nil)
			awscdk.NewCfnOutput(stack, jsii.String("CloudFrontWebAclArn"), &awscdk.CfnOutputProps{
				Value:       s.CloudFrontACL.Resource.AttrArn(),
				Description: jsii.String("Set a CloudFront distribution's WebACLId to this ARN to protect it"),
				ExportName:  jsii.String(p.Base.Prefix + "-cloudfront-web-acl-arn"),
			})
		}
	}

	if n := c.NetworkFirewall; n.Enabled && p.Home && !p.FirewallManaged {
		props := networkFirewallProps(n, p.Base.Prefix, p.Logs, destroy)
		if props.ExistingVPC == nil {
			props.Calls = calls()
		}
		if n.LogToS3 {
			props.LogBucket = s.logBucket(p).Bucket
		}
		if n.LogToCloudWatch {
			props.LogGroupKey = p.LogsKey
		}
		s.NetworkFirewall = infraprotection.NewNetworkFirewall(stack, "NetworkFirewall", props)
	}

	if sh := c.ShieldAdvanced; sh.Enabled && p.Global {
		props := shieldProps(sh)
		props.Calls = calls()
		s.Shield = infraprotection.NewShieldAdvanced(stack, "ShieldAdvanced", props)
		// Automatic mitigation needs the web ACL on the load balancer first
		// (config checks it is associated; other regions' stacks deploy
		// before this one, see NewApp).
		for _, pr := range sh.Protections {
			if pr.AutomaticResponse != "" && arnRegion(pr.ResourceARN) == region && s.RegionalWebACL != nil {
				s.Shield.Protections[pr.Name].Node().AddDependency(s.RegionalWebACL.Scope)
			}
		}
	}
	suppressOwnFindings(stack, p.SecurityHub, "InfraProtection", suppressionOrderInfraProtection)
	return s
}

// logBucket is the encrypted bucket Network Firewall and VPC flow logs are
// delivered to, with its access-log bucket. The log delivery service writes
// under AWSLogs/<account>/ of each prefix, for this account only.
func (s *InfraProtectionStack) logBucket(p InfraProtectionStackProps) *dataprotection.SecureBucket {
	destroy := p.Base.DestroyOnDelete
	accessLogs := dataprotection.NewSecureBucket(s.Stack, "AccessLogsBucket", &dataprotection.SecureBucketProps{
		AccessLogTarget: true, Retention: days(p.Logs.RetentionDays), TransitionToGlacier: days(p.Logs.TransitionToGlacierDays), DestroyOnDelete: destroy,
	})
	b := dataprotection.NewSecureBucket(s.Stack, "NetworkLogsBucket", &dataprotection.SecureBucketProps{
		EncryptionKey: p.LogsKey, AccessLogs: accessLogs.Bucket,
		Retention: days(p.Logs.RetentionDays), TransitionToGlacier: days(p.Logs.TransitionToGlacierDays), DestroyOnDelete: destroy,
	})
	delivery := awsiam.NewServicePrincipal(jsii.String("delivery.logs.amazonaws.com"), nil)
	source := map[string]interface{}{
		"StringEquals": map[string]interface{}{"aws:SourceAccount": s.Stack.Account()},
		"ArnLike": map[string]interface{}{"aws:SourceArn": s.Stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("logs"), Resource: jsii.String("*"), ArnFormat: awscdk.ArnFormat_NO_RESOURCE_NAME,
		})},
	}
	b.Bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("LogDeliveryCheck"), Principals: &[]awsiam.IPrincipal{delivery},
		Actions: jsii.Strings("s3:GetBucketAcl", "s3:ListBucket"), Resources: jsii.Strings(*b.Bucket.BucketArn()),
		Conditions: &source,
	}))
	write := map[string]interface{}{"StringEquals": map[string]interface{}{"aws:SourceAccount": s.Stack.Account(), "s3:x-amz-acl": "bucket-owner-full-control"},
		"ArnLike": source["ArnLike"]}
	b.Bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("LogDeliveryWrite"), Principals: &[]awsiam.IPrincipal{delivery},
		Actions: jsii.Strings("s3:PutObject"), Resources: jsii.Strings(*b.Bucket.BucketArn() + "/*/AWSLogs/" + *s.Stack.Account() + "/*"),
		Conditions: &write,
	}))
	return b
}

// managedGroups converts the config's WAF managed rule groups.
func managedGroups(groups []config.WAFManagedRuleGroup) []infraprotection.ManagedRuleGroup {
	var out []infraprotection.ManagedRuleGroup
	for _, g := range groups {
		out = append(out, infraprotection.ManagedRuleGroup{Name: g.Name, Count: g.Count, CountRules: g.CountRules, LoginPath: g.LoginPath})
	}
	return out
}

// associationsIn are the resource ARNs of region among arns; config already
// checked each is an ALB or API Gateway stage ARN of a governed region.
func associationsIn(arns []string, region string) []string {
	var out []string
	for _, arn := range arns {
		if arnRegion(arn) == region {
			out = append(out, arn)
		}
	}
	return out
}

// arnRegion is the region field of an ARN.
func arnRegion(arn string) string {
	if f := strings.Split(arn, ":"); len(f) > 3 {
		return f[3]
	}
	return ""
}

func existingVPC(e *config.ExistingVPC) *infraprotection.ExistingVPC {
	out := &infraprotection.ExistingVPC{VPCID: e.VPCID, CIDR: e.CIDR}
	for _, sn := range e.FirewallSubnets {
		out.FirewallSubnets = append(out.FirewallSubnets, infraprotection.FirewallSubnet{SubnetID: sn.SubnetID, AvailabilityZone: sn.AvailabilityZone})
	}
	for _, rt := range e.ProtectedRouteTables {
		out.ProtectedRouteTables = append(out.ProtectedRouteTables, infraprotection.ProtectedRouteTable{
			RouteTableID: rt.RouteTableID, AvailabilityZone: rt.AvailabilityZone, DestinationCIDR: rt.DestinationCIDR,
		})
	}
	return out
}

// FirewallManagerPoliciesStackProps configures NewFirewallManagerPoliciesStack.
type FirewallManagerPoliciesStackProps struct {
	// Base targets the Firewall Manager administrator account in one region.
	Base Base
	// Global marks us-east-1: its stack also holds the CloudFront policies.
	Global                   bool
	InfrastructureProtection config.InfrastructureProtection
	Logs                     config.Logs
	LogsKey                  awskms.IKey
	// Alerts receives Firewall Manager's notifications. Default: none.
	Alerts awssns.ITopic
	// ConfigRecording is the stack that records AWS Config in this account
	// and region (the detection stack): Firewall Manager evaluates resources
	// through AWS Config, so the policies deploy after it. Every in-scope
	// member account needs its own recorder too (the organization's member
	// baseline). Default: nil: no dependency.
	ConfigRecording awscdk.Stack
}

// NewFirewallManagerPoliciesStack creates, in the Firewall Manager
// administrator account, one region's Firewall Manager policies from the
// same WAF and Network Firewall settings standalone mode deploys directly.
// Firewall Manager needs AWS Config recording in every in-scope account and
// region (the detection layer's recorder), and sends its findings to
// Security Hub where both are enabled.
func NewFirewallManagerPoliciesStack(app awscdk.App, name string, props *FirewallManagerPoliciesStackProps) *infraprotection.FirewallManagerPolicies {
	p := *props
	c := p.InfrastructureProtection
	f := c.FirewallManager
	stack := newStack(app, name, "infra-protection", "mamori Firewall Manager policies (administrator account)", p.Base)
	if p.ConfigRecording != nil {
		stack.AddStackDependency(p.ConfigRecording, jsii.String("Firewall Manager discovers and evaluates resources through AWS Config recording"))
	}
	pp := &infraprotection.FirewallManagerPoliciesProps{
		Name: p.Base.Prefix, Global: p.Global, ReportOnly: !f.AutoRemediate,
		Scope: infraprotection.PolicyScope{
			IncludeOrganizationalUnits: f.IncludeOrganizationalUnits, IncludeAccounts: f.IncludeAccounts,
			ExcludeOrganizationalUnits: f.ExcludeOrganizationalUnits, ExcludeAccounts: f.ExcludeAccounts,
			ExcludeResourceTags: f.ExcludeResourceTags,
		},
		SecurityGroupAudit:      f.SecurityGroupAudit,
		RemediateSecurityGroups: f.RemediateSecurityGroups,
		ShieldAdvanced:          c.ShieldAdvanced.Enabled,
		NotificationTopic:       p.Alerts,
	}
	if c.WAF.Enabled && (!p.Global || c.WAF.CloudFront) {
		pp.WAFRuleGroups = managedGroups(c.WAF.ManagedRuleGroups)
		for _, t := range f.WAFResourceTypes {
			pp.WAFResourceTypes = append(pp.WAFResourceTypes, string(t))
		}
	}
	if n := c.NetworkFirewall; n.Enabled && !p.Global {
		pp.NetworkFirewallManagedGroups = n.ManagedRuleGroups
		pp.NetworkFirewallDefaultDeny = len(n.AllowedDomains) > 0
		// The custom groups live in the administrator account; Firewall
		// Manager shares them with the in-scope accounts.
		for _, g := range infraprotection.NewStatefulRuleGroups(stack, &infraprotection.StatefulRuleGroupsProps{
			Name: p.Base.Prefix, SuricataRules: n.SuricataRules, AllowedDomains: n.AllowedDomains, DeniedDomains: n.DeniedDomains,
		}) {
			pp.NetworkFirewallRuleGroupARNs = append(pp.NetworkFirewallRuleGroupARNs, g.AttrRuleGroupArn())
		}
	}
	if f.DNSFirewall && !p.Global {
		pp.DNSFirewallCalls = sdkCalls(stack, p.LogsKey, p.Logs, p.Base.DestroyOnDelete)
	}
	return infraprotection.NewFirewallManagerPolicies(stack, "FirewallManager", pp)
}

package infraprotection

import (
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsnetworkfirewall"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/catalog"
	"github.com/mamori-dev/mamori/internal/nag"
)

// FirewallSubnet is an existing subnet dedicated to a firewall endpoint.
type FirewallSubnet struct {
	SubnetID         string
	AvailabilityZone string
}

// ProtectedRouteTable is an existing route table whose traffic to
// DestinationCIDR goes through the firewall endpoint of its zone.
type ProtectedRouteTable struct {
	RouteTableID     string
	AvailabilityZone string
	// DestinationCIDR routed through the firewall. Default: 0.0.0.0/0.
	DestinationCIDR string
}

// ExistingVPC is a VPC the firewall joins instead of a new one.
type ExistingVPC struct {
	VPCID string
	// CIDR of the VPC: the default $HOME_NET.
	CIDR                 string
	FirewallSubnets      []FirewallSubnet
	ProtectedRouteTables []ProtectedRouteTable
}

// NetworkFirewallProps configures a NetworkFirewall.
type NetworkFirewallProps struct {
	// Name starts the names of the firewall, its policy and rule groups
	// (letters, digits and hyphens). Required.
	Name string
	// VPCCIDR is the new inspection VPC's IPv4 range, /16 to /24. Required
	// unless ExistingVPC is set.
	VPCCIDR string
	// AvailabilityZones of the new VPC, 2 to 4 zone names of the stack's
	// region. Named, not looked up: routes pick each zone's endpoint out of
	// the firewall's "zone:endpoint" list by name. Required unless
	// ExistingVPC is set.
	AvailabilityZones []string
	// ExistingVPC places the firewall in this VPC. Default: nil: a new VPC.
	ExistingVPC *ExistingVPC
	// HomeNet overrides $HOME_NET for every rule group. Default: the VPC's range.
	HomeNet []string
	// SuricataRules are custom stateful rules, evaluated first. Default: none.
	SuricataRules []string
	// AllowedDomains, when set, are the only domains HTTP and TLS traffic may
	// reach, and the firewall drops any established traffic no rule passes
	// (default deny). Default: none: traffic no rule matches passes, with an
	// alert (see statefulDefaultActions).
	AllowedDomains []string
	// DeniedDomains may not be reached over HTTP and TLS. Default: none.
	DeniedDomains []string
	// ManagedRuleGroups are AWS managed strict-order groups, evaluated last.
	// Default: none.
	ManagedRuleGroups []string
	// TLSInspectionCertificateARN, when set, decrypts outbound TLS with this
	// ACM certificate authority for inspection. Default: none.
	TLSInspectionCertificateARN string
	// LogBucket receives flow logs (and alert logs unless LogGroupKey is
	// set) and the new VPC's flow logs; its key must admit the log delivery
	// service. Required unless LogGroupKey is set.
	LogBucket awss3.IBucket
	// LogGroupKey, when set, sends alert logs to a log group encrypted with
	// it (and flow logs too when LogBucket is nil). Default: nil.
	LogGroupKey awskms.IKey
	// LogRetentionDays keeps the log group's logs. Default: 365.
	LogRetentionDays int
	// AllowDeletion lets the firewall be deleted, its subnets changed and its
	// policy replaced. Default: false: all three are refused until turned
	// off again.
	AllowDeletion bool
	// DestroyOnDelete deletes the log group with the stack. Default: false.
	DestroyOnDelete bool
	// Calls removes the new VPC's default security group rules, so that
	// nothing launched without a security group of its own can talk.
	// Required unless ExistingVPC is set.
	Calls *sdkcall.Provider
}

// NetworkFirewall is an AWS Network Firewall whose policy forwards every
// packet from the stateless engine to the stateful engine, which evaluates
// rule groups in strict order: custom Suricata rules, the domain allow and
// deny lists, then AWS managed threat signatures; established traffic no
// rule passes is dropped and alerted on. In a new VPC, each zone has a
// firewall subnet and a protected subnet: the internet gateway's edge route
// table sends traffic for each protected subnet to its zone's endpoint, the
// protected subnet's default route points at the same endpoint, and the
// firewall subnet's at the internet gateway, so traffic both ways crosses
// the firewall.
type NetworkFirewall struct {
	Scope    constructs.Construct
	Firewall awsnetworkfirewall.CfnFirewall
	Policy   awsnetworkfirewall.CfnFirewallPolicy
	// RuleGroups are the custom and domain-list rule groups, in priority order.
	RuleGroups []awsnetworkfirewall.CfnRuleGroup
	// VPC is the new inspection VPC; nil with ExistingVPC.
	VPC awsec2.CfnVPC
	// ProtectedSubnets are the new VPC's subnets behind the firewall, by zone.
	ProtectedSubnets map[string]awsec2.CfnSubnet
	LogGroup         awslogs.LogGroup
}

// NewNetworkFirewall creates a NetworkFirewall. It panics listing every
// invalid prop.
func NewNetworkFirewall(scope constructs.Construct, id string, props *NetworkFirewallProps) *NetworkFirewall {
	var p NetworkFirewallProps
	if props != nil {
		p = *props
	}
	if p.LogRetentionDays == 0 {
		p.LogRetentionDays = 365
	}
	stack := awscdk.Stack_Of(scope)
	checkNetworkFirewall(stack, id, p)
	this := constructs.NewConstruct(scope, jsii.String(id))
	n := &NetworkFirewall{Scope: this}

	// The VPC and the subnets the endpoints go in.
	var vpcID *string
	var homeNet []string
	var subnets []FirewallSubnet // with tokens for a new VPC's subnet IDs
	var newVPC *inspectionVPC
	if e := p.ExistingVPC; e != nil {
		vpcID, homeNet, subnets = jsii.String(e.VPCID), []string{e.CIDR}, e.FirewallSubnets
	} else {
		newVPC = n.newInspectionVPC(stack, p)
		vpcID, homeNet, subnets = newVPC.vpc.Ref(), []string{p.VPCCIDR}, newVPC.firewallSubnets
	}
	if len(p.HomeNet) > 0 {
		homeNet = p.HomeNet
	}

	n.RuleGroups = NewStatefulRuleGroups(this, &StatefulRuleGroupsProps{
		Name: p.Name, SuricataRules: p.SuricataRules, AllowedDomains: p.AllowedDomains, DeniedDomains: p.DeniedDomains,
	})
	n.Policy = n.newPolicy(this, p, homeNet)

	var mappings []interface{}
	for _, s := range subnets {
		mappings = append(mappings, &awsnetworkfirewall.CfnFirewall_SubnetMappingProperty{SubnetId: jsii.String(s.SubnetID)})
	}
	n.Firewall = awsnetworkfirewall.NewCfnFirewall(this, jsii.String("Resource"), &awsnetworkfirewall.CfnFirewallProps{
		FirewallName:                   jsii.String(p.Name),
		Description:                    jsii.String("mamori network firewall"),
		FirewallPolicyArn:              n.Policy.AttrFirewallPolicyArn(),
		VpcId:                          vpcID,
		SubnetMappings:                 &mappings,
		DeleteProtection:               jsii.Bool(!p.AllowDeletion),
		SubnetChangeProtection:         jsii.Bool(!p.AllowDeletion),
		FirewallPolicyChangeProtection: jsii.Bool(!p.AllowDeletion),
	})

	// Routes through the endpoint of each zone.
	if newVPC != nil {
		newVPC.route(n.Firewall, p.AvailabilityZones)
	} else {
		for i, rt := range p.ExistingVPC.ProtectedRouteTables {
			dest := rt.DestinationCIDR
			if dest == "" {
				dest = "0.0.0.0/0"
			}
			awsec2.NewCfnRoute(this, jsii.String(fmt.Sprintf("ProtectedRoute%d", i)), &awsec2.CfnRouteProps{
				RouteTableId: jsii.String(rt.RouteTableID), DestinationCidrBlock: jsii.String(dest),
				VpcEndpointId: endpointIn(n.Firewall, rt.AvailabilityZone),
			})
		}
	}

	n.logging(this, p)
	return n
}

// checkNetworkFirewall panics listing every invalid prop of p.
func checkNetworkFirewall(stack awscdk.Stack, id string, p NetworkFirewallProps) {
	bad := problems.Of("infraprotection.NewNetworkFirewall", id)
	if p.Name == "" {
		bad.Add("Name is required")
	}
	if p.ExistingVPC == nil && p.Calls == nil {
		bad.Add("Calls is required for a new VPC: it closes the default security group")
	}
	if p.LogBucket == nil && p.LogGroupKey == nil {
		bad.Add("LogBucket or LogGroupKey is required: a firewall's alerts must be logged")
	}
	sids := map[int]bool{}
	for _, r := range p.SuricataRules {
		sid, err := catalog.CheckSuricataRule(r)
		if err != nil {
			bad.Add("Suricata rule %q: %v", r, err)
		} else if sids[sid] {
			bad.Add("Suricata sid %d is used twice", sid)
		}
		sids[sid] = true
	}
	for _, g := range p.ManagedRuleGroups {
		if !catalog.KnownThreatSignatureGroup(g) {
			bad.Add("unknown strict-order managed rule group %q", g)
		}
	}
	if e := p.ExistingVPC; e != nil {
		if len(e.FirewallSubnets) < 2 {
			bad.Add("ExistingVPC needs firewall subnets in at least two availability zones")
		}
	} else {
		checkInspectionVPC(stack, p, bad)
	}
	bad.Check()
}

// newPolicy creates the firewall policy: the rule groups and then the AWS
// managed groups in strict order, 100 apart, and TLS inspection if asked.
func (n *NetworkFirewall) newPolicy(this constructs.Construct, p NetworkFirewallProps, homeNet []string) awsnetworkfirewall.CfnFirewallPolicy {
	stack := awscdk.Stack_Of(this)
	var refs []interface{}
	for _, g := range n.RuleGroups {
		refs = append(refs, &awsnetworkfirewall.CfnFirewallPolicy_StatefulRuleGroupReferenceProperty{
			ResourceArn: g.AttrRuleGroupArn(), Priority: jsii.Number(float64(100 * (len(refs) + 1))),
		})
	}
	for _, g := range p.ManagedRuleGroups {
		refs = append(refs, &awsnetworkfirewall.CfnFirewallPolicy_StatefulRuleGroupReferenceProperty{
			ResourceArn: stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("network-firewall"), Account: jsii.String("aws-managed"),
				Resource: jsii.String("stateful-rulegroup"), ResourceName: jsii.String(g),
			}),
			Priority: jsii.Number(float64(100 * (len(refs) + 1))),
		})
	}
	policy := &awsnetworkfirewall.CfnFirewallPolicy_FirewallPolicyProperty{
		StatelessDefaultActions:         jsii.Strings("aws:forward_to_sfe"),
		StatelessFragmentDefaultActions: jsii.Strings("aws:forward_to_sfe"),
		StatefulEngineOptions: &awsnetworkfirewall.CfnFirewallPolicy_StatefulEngineOptionsProperty{
			RuleOrder: jsii.String("STRICT_ORDER"), StreamExceptionPolicy: jsii.String("DROP"),
		},
		StatefulDefaultActions: jsii.Strings(statefulDefaultActions(len(p.AllowedDomains) > 0)...),
		PolicyVariables: &awsnetworkfirewall.CfnFirewallPolicy_PolicyVariablesProperty{RuleVariables: &map[string]interface{}{
			"HOME_NET": &awsnetworkfirewall.CfnFirewallPolicy_IPSetProperty{Definition: jsii.Strings(homeNet...)},
		}},
	}
	if len(refs) > 0 {
		policy.StatefulRuleGroupReferences = &refs
	}
	if p.TLSInspectionCertificateARN != "" {
		policy.TlsInspectionConfigurationArn = newTLSInspection(this, p).AttrTlsInspectionConfigurationArn()
	}
	return awsnetworkfirewall.NewCfnFirewallPolicy(this, jsii.String("Policy"), &awsnetworkfirewall.CfnFirewallPolicyProps{
		FirewallPolicyName: jsii.String(p.Name + "-policy"),
		Description:        jsii.String("mamori: stateless forwards to stateful; strict order; drop and alert established traffic no rule passes"),
		FirewallPolicy:     policy,
	})
}

// newTLSInspection decrypts outbound TLS on port 443 with the certificate
// authority TLSInspectionCertificateARN.
func newTLSInspection(this constructs.Construct, p NetworkFirewallProps) awsnetworkfirewall.CfnTLSInspectionConfiguration {
	return awsnetworkfirewall.NewCfnTLSInspectionConfiguration(this, jsii.String("TlsInspection"), &awsnetworkfirewall.CfnTLSInspectionConfigurationProps{
		TlsInspectionConfigurationName: jsii.String(p.Name + "-tls"),
		Description:                    jsii.String("mamori outbound TLS inspection"),
		TlsInspectionConfiguration: &awsnetworkfirewall.CfnTLSInspectionConfiguration_TLSInspectionConfigurationProperty{
			ServerCertificateConfigurations: &[]interface{}{&awsnetworkfirewall.CfnTLSInspectionConfiguration_ServerCertificateConfigurationProperty{
				CertificateAuthorityArn: jsii.String(p.TLSInspectionCertificateARN),
				Scopes: &[]interface{}{&awsnetworkfirewall.CfnTLSInspectionConfiguration_ServerCertificateScopeProperty{
					Protocols:        &[]*float64{jsii.Number(6)},
					Sources:          &[]interface{}{&awsnetworkfirewall.CfnTLSInspectionConfiguration_AddressProperty{AddressDefinition: jsii.String("0.0.0.0/0")}},
					SourcePorts:      &[]interface{}{&awsnetworkfirewall.CfnTLSInspectionConfiguration_PortRangeProperty{FromPort: jsii.Number(0), ToPort: jsii.Number(65535)}},
					Destinations:     &[]interface{}{&awsnetworkfirewall.CfnTLSInspectionConfiguration_AddressProperty{AddressDefinition: jsii.String("0.0.0.0/0")}},
					DestinationPorts: &[]interface{}{&awsnetworkfirewall.CfnTLSInspectionConfiguration_PortRangeProperty{FromPort: jsii.Number(443), ToPort: jsii.Number(443)}},
				}},
			}},
		},
	})
}

// StatefulRuleGroupsProps configures NewStatefulRuleGroups.
type StatefulRuleGroupsProps struct {
	// Name starts the rule groups' names. Required.
	Name string
	// SuricataRules, AllowedDomains and DeniedDomains as in
	// NetworkFirewallProps; the caller checked the rules. Default: none.
	SuricataRules, AllowedDomains, DeniedDomains []string
}

// NewStatefulRuleGroups creates the strict-order stateful rule groups the
// props ask for, in evaluation order (custom Suricata rules, denied domains,
// allowed domains), directly in scope. A NetworkFirewall makes its own; a
// Firewall Manager administrator makes them for its NETWORK_FIREWALL policy.
func NewStatefulRuleGroups(scope constructs.Construct, props *StatefulRuleGroupsProps) []awsnetworkfirewall.CfnRuleGroup {
	p := *props
	strict := &awsnetworkfirewall.CfnRuleGroup_StatefulRuleOptionsProperty{RuleOrder: jsii.String("STRICT_ORDER")}
	var groups []awsnetworkfirewall.CfnRuleGroup
	add := func(groupID, description string, capacity int, source *awsnetworkfirewall.CfnRuleGroup_RulesSourceProperty) {
		groups = append(groups, awsnetworkfirewall.NewCfnRuleGroup(scope, jsii.String(groupID), &awsnetworkfirewall.CfnRuleGroupProps{
			RuleGroupName: jsii.String(p.Name + "-" + strings.ToLower(groupID)),
			Type:          jsii.String("STATEFUL"),
			// Capacity cannot change after creation: room to grow.
			Capacity:    jsii.Number(float64(capacity)),
			Description: jsii.String(description),
			RuleGroup: &awsnetworkfirewall.CfnRuleGroup_RuleGroupProperty{
				RulesSource:         source,
				StatefulRuleOptions: strict,
			},
		}))
	}
	if len(p.SuricataRules) > 0 {
		add("CustomRules", "mamori custom Suricata rules", roomFor(len(p.SuricataRules)),
			&awsnetworkfirewall.CfnRuleGroup_RulesSourceProperty{RulesString: jsii.String(strings.Join(p.SuricataRules, "\n"))})
	}
	domainList := func(domains []string, kind string) *awsnetworkfirewall.CfnRuleGroup_RulesSourceProperty {
		return &awsnetworkfirewall.CfnRuleGroup_RulesSourceProperty{RulesSourceList: &awsnetworkfirewall.CfnRuleGroup_RulesSourceListProperty{
			GeneratedRulesType: jsii.String(kind), Targets: jsii.Strings(domains...), TargetTypes: jsii.Strings("TLS_SNI", "HTTP_HOST"),
		}}
	}
	// Denied domains come before the allow list, so a denied subdomain of an
	// allowed domain stays denied.
	if len(p.DeniedDomains) > 0 {
		add("DeniedDomains", "mamori domains HTTP and TLS traffic may not reach", roomFor(len(p.DeniedDomains)), domainList(p.DeniedDomains, "DENYLIST"))
	}
	if len(p.AllowedDomains) > 0 {
		add("AllowedDomains", "mamori domains HTTP and TLS traffic may reach", roomFor(len(p.AllowedDomains)), domainList(p.AllowedDomains, "ALLOWLIST"))
	}
	return groups
}

// roomFor is the capacity of a rule group holding n rules: rule-group
// capacity is fixed at creation, so leave room for the list to grow.
func roomFor(n int) int { return max(100, 4*n) }

// endpointIn picks the firewall endpoint of zone out of the firewall's
// EndpointIds, which lists "zone:vpce-id" strings in no particular order
// (AWS::NetworkFirewall::Firewall return values): joined with commas, split
// at "zone:", the endpoint ID is what follows up to the next comma.
// Fn::Split needs a literal delimiter, hence zone names, not lookups.
func endpointIn(fw awsnetworkfirewall.CfnFirewall, zone string) *string {
	joined := awscdk.Fn_Join(jsii.String(","), fw.AttrEndpointIds())
	after := awscdk.Fn_Select(jsii.Number(1), awscdk.Fn_Split(jsii.String(zone+":"), joined, nil))
	return awscdk.Fn_Select(jsii.Number(0), awscdk.Fn_Split(jsii.String(","), after, nil))
}

// logging sends alert and flow logs where the props say.
func (n *NetworkFirewall) logging(this constructs.Construct, p NetworkFirewallProps) {
	var dests []interface{}
	s3 := func(logType string) {
		dests = append(dests, &awsnetworkfirewall.CfnLoggingConfiguration_LogDestinationConfigProperty{
			LogType: jsii.String(logType), LogDestinationType: jsii.String("S3"),
			LogDestination: &map[string]*string{"bucketName": p.LogBucket.BucketName(), "prefix": jsii.String("network-firewall/" + strings.ToLower(logType))},
		})
	}
	if p.LogGroupKey != nil {
		n.LogGroup = awslogs.NewLogGroup(this, jsii.String("Logs"), &awslogs.LogGroupProps{
			// Vended logs under /aws/vendedlogs/ need no CloudWatch Logs
			// resource policy entry of their own, whose size is limited.
			// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
			LogGroupName:  jsii.String("/aws/vendedlogs/network-firewall/" + p.Name),
			EncryptionKey: p.LogGroupKey,
			Retention:     sdkcall.Retention(p.LogRetentionDays),
			RemovalPolicy: jsiix.Removal(p.DestroyOnDelete),
		})
		cw := func(logType string) {
			dests = append(dests, &awsnetworkfirewall.CfnLoggingConfiguration_LogDestinationConfigProperty{
				LogType: jsii.String(logType), LogDestinationType: jsii.String("CloudWatchLogs"),
				LogDestination: &map[string]*string{"logGroup": n.LogGroup.LogGroupName()},
			})
		}
		cw("ALERT")
		if p.LogBucket == nil {
			cw("FLOW")
		}
	} else {
		s3("ALERT")
	}
	if p.LogBucket != nil {
		s3("FLOW")
	}
	logging := awsnetworkfirewall.NewCfnLoggingConfiguration(this, jsii.String("Logging"), &awsnetworkfirewall.CfnLoggingConfigurationProps{
		FirewallArn:          n.Firewall.AttrFirewallArn(),
		LoggingConfiguration: &awsnetworkfirewall.CfnLoggingConfiguration_LoggingConfigurationProperty{LogDestinationConfigs: &dests},
	})
	afterBucketPolicy(logging, p.LogBucket)
}

// afterBucketPolicy makes a log delivery to bucket wait for the bucket's
// own policy: the log delivery service adds its statement to the policy when
// delivery starts, and CloudFormation writing the policy afterwards would
// race with it.
func afterBucketPolicy(delivery constructs.IConstruct, bucket awss3.IBucket) {
	if bucket != nil && bucket.Policy() != nil {
		delivery.Node().AddDependency(bucket.Policy())
	}
}

// inspectionVPC is a new VPC with a firewall subnet and a protected subnet
// per zone.
type inspectionVPC struct {
	scope           constructs.Construct
	vpc             awsec2.CfnVPC
	igw             awsec2.CfnInternetGateway
	attach          awsec2.CfnVPCGatewayAttachment
	firewallSubnets []FirewallSubnet
	protected       []awsec2.CfnSubnet
	protectedCIDRs  []string
}

// checkInspectionVPC adds the problems of the new inspection VPC's props:
// 2 to 4 distinct zones of the stack's region and a CIDR that splits into
// eighths.
func checkInspectionVPC(stack awscdk.Stack, p NetworkFirewallProps, bad *problems.List) {
	zones := p.AvailabilityZones
	if len(zones) < 2 || len(zones) > 4 {
		bad.Add("the inspection VPC takes 2 to 4 availability zones, not %d", len(zones))
	}
	seen := map[string]bool{}
	for _, z := range zones {
		if seen[z] || (!*awscdk.Token_IsUnresolved(stack.Region()) && !strings.HasPrefix(z, *stack.Region())) {
			bad.Add("availability zone %q is repeated or not in the stack's region", z)
		}
		seen[z] = true
	}
	if _, err := eighths(p.VPCCIDR); err != nil {
		bad.Add("VPCCIDR %q: %v", p.VPCCIDR, err)
	}
}

func (n *NetworkFirewall) newInspectionVPC(stack awscdk.Stack, p NetworkFirewallProps) *inspectionVPC {
	zones := p.AvailabilityZones
	blocks, _ := eighths(p.VPCCIDR) // checkInspectionVPC reported an error
	scope := constructs.NewConstruct(n.Scope, jsii.String("Vpc"))
	v := &inspectionVPC{scope: scope}
	v.vpc = awsec2.NewCfnVPC(scope, jsii.String("Resource"), &awsec2.CfnVPCProps{
		CidrBlock: jsii.String(p.VPCCIDR), EnableDnsHostnames: jsii.Bool(true), EnableDnsSupport: jsii.Bool(true),
		Tags: &[]*awscdk.CfnTag{{Key: jsii.String("Name"), Value: jsii.String(p.Name + "-inspection")}},
	})
	n.VPC = v.vpc
	n.ProtectedSubnets = map[string]awsec2.CfnSubnet{}
	v.igw = awsec2.NewCfnInternetGateway(scope, jsii.String("InternetGateway"), &awsec2.CfnInternetGatewayProps{})
	v.attach = awsec2.NewCfnVPCGatewayAttachment(scope, jsii.String("InternetGatewayAttachment"), &awsec2.CfnVPCGatewayAttachmentProps{
		VpcId: v.vpc.Ref(), InternetGatewayId: v.igw.Ref(),
	})
	closeDefaultSecurityGroup(scope, p.Calls, v.vpc)
	// A VPC's flow logs go to the same bucket as the firewall's.
	if p.LogBucket != nil {
		flowLog := awsec2.NewCfnFlowLog(scope, jsii.String("FlowLog"), &awsec2.CfnFlowLogProps{
			ResourceId: v.vpc.Ref(), ResourceType: jsii.String("VPC"), TrafficType: jsii.String("ALL"),
			LogDestinationType: jsii.String("s3"),
			LogDestination:     jsii.String(*p.LogBucket.BucketArn() + "/vpc-flow-logs/"),
		})
		afterBucketPolicy(flowLog, p.LogBucket)
	}
	for i, z := range zones {
		suffix := strings.ToUpper(z[len(z)-1:])
		subnet := func(kind, cidr string) awsec2.CfnSubnet {
			sn := awsec2.NewCfnSubnet(scope, jsii.String(kind+"Subnet"+suffix), &awsec2.CfnSubnetProps{
				VpcId: v.vpc.Ref(), CidrBlock: jsii.String(cidr), AvailabilityZone: jsii.String(z), MapPublicIpOnLaunch: jsii.Bool(false),
				Tags: &[]*awscdk.CfnTag{{Key: jsii.String("Name"), Value: jsii.String(p.Name + "-" + strings.ToLower(kind) + "-" + z)}},
			})
			awscdk.Validations_Of(sn).Acknowledge(&awscdk.Acknowledgment{
				Id:     jsii.String("CloudFormation-Validate::W3010"),
				Reason: jsii.String("the zone is named in config on purpose: routes pick each zone's firewall endpoint by its name"),
			})
			return sn
		}
		fw := subnet("Firewall", blocks[i])
		v.firewallSubnets = append(v.firewallSubnets, FirewallSubnet{SubnetID: *fw.Ref(), AvailabilityZone: z})
		fwRoutes := awsec2.NewCfnRouteTable(scope, jsii.String("FirewallRoutes"+suffix), &awsec2.CfnRouteTableProps{VpcId: v.vpc.Ref()})
		awsec2.NewCfnSubnetRouteTableAssociation(scope, jsii.String("FirewallRoutesAssociation"+suffix), &awsec2.CfnSubnetRouteTableAssociationProps{
			SubnetId: fw.Ref(), RouteTableId: fwRoutes.Ref(),
		})
		out := awsec2.NewCfnRoute(scope, jsii.String("FirewallDefaultRoute"+suffix), &awsec2.CfnRouteProps{
			RouteTableId: fwRoutes.Ref(), DestinationCidrBlock: jsii.String("0.0.0.0/0"), GatewayId: v.igw.Ref(),
		})
		out.Node().AddDependency(v.attach)
		nag.Suppress(out, false, igwRouteRules...)
		prot := subnet("Protected", blocks[4+i])
		v.protected = append(v.protected, prot)
		v.protectedCIDRs = append(v.protectedCIDRs, blocks[4+i])
		n.ProtectedSubnets[z] = prot
	}
	return v
}

// igwRouteRules excuse the firewall subnets' default route: the firewall is
// the VPC's way to the internet, and only its endpoints live there.
var igwRouteRules = []nag.Rule{
	{ID: "NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW", Reason: "Only firewall endpoints live in the firewall subnets; every other subnet reaches the internet gateway through them."},
	{ID: "PCI.DSS.321-VPCNoUnrestrictedRouteToIGW", Reason: "Only firewall endpoints live in the firewall subnets; every other subnet reaches the internet gateway through them."},
}

// closeDefaultSecurityGroup removes the rules a new VPC's default security
// group comes with: all traffic from itself in, all traffic out.
// CloudFormation cannot change the default group, so two API calls do.
func closeDefaultSecurityGroup(scope constructs.Construct, calls *sdkcall.Provider, vpc awsec2.CfnVPC) {
	sg := vpc.AttrDefaultSecurityGroup()
	stack := awscdk.Stack_Of(scope)
	groupArn := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ec2"), Resource: jsii.String("security-group"), ResourceName: sg})
	revoke := func(action string, perm map[string]interface{}) *customresources.AwsSdkCall {
		return &customresources.AwsSdkCall{
			Service: jsii.String("EC2"), Action: jsii.String(action),
			Parameters:         map[string]interface{}{"GroupId": sg, "IpPermissions": []interface{}{perm}},
			PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String(action)),
			// A rerun finds the rule already gone.
			IgnoreErrorCodesMatching: jsii.String("InvalidPermission.NotFound"),
		}
	}
	for _, c := range []struct {
		id, action string
		perm       map[string]interface{}
	}{
		{"CloseDefaultSecurityGroupIngress", "RevokeSecurityGroupIngress", map[string]interface{}{"IpProtocol": "-1", "UserIdGroupPairs": []interface{}{map[string]interface{}{"GroupId": sg}}}},
		{"CloseDefaultSecurityGroupEgress", "RevokeSecurityGroupEgress", map[string]interface{}{"IpProtocol": "-1", "IpRanges": []interface{}{map[string]interface{}{"CidrIp": "0.0.0.0/0"}}}},
	} {
		calls.NewCall(scope, c.id, &sdkcall.CallProps{
			OnCreate: revoke(c.action, c.perm),
			Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("ec2:" + c.action), Resources: jsii.Strings(*groupArn),
			})},
		})
	}
	nag.Suppress(vpc, false,
		nag.Rule{ID: "NIST.800.53.R5-VPCDefaultSecurityGroupClosed", Reason: "The CloseDefaultSecurityGroup calls remove the default security group's rules after the VPC is created."},
		nag.Rule{ID: "PCI.DSS.321-VPCDefaultSecurityGroupClosed", Reason: "The CloseDefaultSecurityGroup calls remove the default security group's rules after the VPC is created."},
	)
}

// route sends each protected subnet's traffic, both ways, through its zone's endpoint.
func (v *inspectionVPC) route(fw awsnetworkfirewall.CfnFirewall, zones []string) {
	ingress := awsec2.NewCfnRouteTable(v.scope, jsii.String("IngressRoutes"), &awsec2.CfnRouteTableProps{VpcId: v.vpc.Ref()})
	awsec2.NewCfnGatewayRouteTableAssociation(v.scope, jsii.String("IngressRoutesAssociation"), &awsec2.CfnGatewayRouteTableAssociationProps{
		GatewayId: v.igw.Ref(), RouteTableId: ingress.Ref(),
	}).Node().AddDependency(v.attach)
	for i, z := range zones {
		suffix := strings.ToUpper(z[len(z)-1:])
		endpoint := endpointIn(fw, z)
		awsec2.NewCfnRoute(v.scope, jsii.String("IngressRoute"+suffix), &awsec2.CfnRouteProps{
			RouteTableId: ingress.Ref(), DestinationCidrBlock: jsii.String(v.protectedCIDRs[i]), VpcEndpointId: endpoint,
		})
		routes := awsec2.NewCfnRouteTable(v.scope, jsii.String("ProtectedRoutes"+suffix), &awsec2.CfnRouteTableProps{VpcId: v.vpc.Ref()})
		awsec2.NewCfnSubnetRouteTableAssociation(v.scope, jsii.String("ProtectedRoutesAssociation"+suffix), &awsec2.CfnSubnetRouteTableAssociationProps{
			SubnetId: v.protected[i].Ref(), RouteTableId: routes.Ref(),
		})
		awsec2.NewCfnRoute(v.scope, jsii.String("ProtectedDefaultRoute"+suffix), &awsec2.CfnRouteProps{
			RouteTableId: routes.Ref(), DestinationCidrBlock: jsii.String("0.0.0.0/0"), VpcEndpointId: endpoint,
		})
	}
}

// eighths splits an IPv4 /16 to /24 into eight equal blocks: four firewall
// subnets then four protected subnets.
func eighths(cidr string) ([]string, error) {
	ip, nw, err := net.ParseCIDR(cidr)
	if err != nil || ip.To4() == nil || !ip.Equal(nw.IP) {
		return nil, fmt.Errorf("not an IPv4 network in CIDR notation")
	}
	ones, _ := nw.Mask.Size()
	if ones < 16 || ones > 24 {
		return nil, fmt.Errorf("must be /16 to /24")
	}
	base := uint32(ip.To4()[0])<<24 | uint32(ip.To4()[1])<<16 | uint32(ip.To4()[2])<<8 | uint32(ip.To4()[3])
	size := uint32(1) << (32 - ones - 3)
	var out []string
	for i := uint32(0); i < 8; i++ {
		a := base + i*size
		out = append(out, fmt.Sprintf("%d.%d.%d.%d/%d", a>>24, a>>16&0xff, a>>8&0xff, a&0xff, ones+3))
	}
	return out, nil
}

// statefulDefaultActions are what the strict-order engine does with
// established traffic no rule matches. Deny lists, custom drop rules and the
// AWS managed threat signatures hold no pass rules, so dropping by default
// would cut every connection they do not name: only an allow list turns the
// firewall into default deny. Without one, unmatched traffic passes and is
// logged as an alert, so the flow of what the rules let through is visible.
// (Network Firewall applies the default actions to packets that match no
// stateful rule: docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html)
func statefulDefaultActions(defaultDeny bool) []string {
	if defaultDeny {
		return []string{"aws:drop_established", "aws:alert_established"}
	}
	return []string{"aws:alert_established"}
}

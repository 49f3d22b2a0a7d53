package config

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"

	"github.com/mamori-dev/mamori/internal/catalog"
)

// InfrastructureProtection configures the infrastructure-protection layer:
// AWS WAF web ACLs, Firewall Manager (organization mode only), Shield
// Advanced (opt-in, a one-year commitment) and AWS Network Firewall.
type InfrastructureProtection struct {
	// WAF is a web ACL in every governed region and, where asked, one for
	// CloudFront.
	WAF WAF `yaml:"waf" json:"waf,omitempty"`
	// FirewallManager manages WAF, Network Firewall, security groups, DNS
	// Firewall and Shield Advanced across an AWS Organization. It needs
	// topology.mode: organization; a standalone account deploys the WAF
	// and Network Firewall it enables directly.
	FirewallManager FirewallManager `yaml:"firewallManager" json:"firewallManager,omitempty"`
	// ShieldAdvanced is opt-in: subscribing commits the payer account to a
	// year of AWS Shield Advanced.
	ShieldAdvanced ShieldAdvanced `yaml:"shieldAdvanced" json:"shieldAdvanced,omitempty"`
	// NetworkFirewall is an AWS Network Firewall in an inspection VPC of the
	// home region.
	NetworkFirewall NetworkFirewall `yaml:"networkFirewall" json:"networkFirewall,omitempty"`
}

// WAF configures the AWS WAF web ACLs.
type WAF struct {
	// Enabled creates a REGIONAL web ACL in every governed region, with its
	// metrics, sampled requests and logs. A web ACL bills per month and per
	// rule even with nothing associated (about US$11 a month with the
	// default rules). Default: false in sandbox, true in production.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// CloudFront also creates a CLOUDFRONT-scope web ACL. AWS requires it in
	// us-east-1, so us-east-1 must be a governed region. Default: false.
	CloudFront bool `yaml:"cloudFront" json:"cloudFront,omitempty"`
	// ManagedRuleGroups are the AWS managed rule groups, evaluated in this
	// order. Default: core rule set, known bad inputs, SQL database, Amazon
	// IP reputation and anonymous IP lists. Bot Control and account takeover
	// prevention (AWSManagedRulesATPRuleSet) bill per request: add them here.
	ManagedRuleGroups []WAFManagedRuleGroup `yaml:"managedRuleGroups" json:"managedRuleGroups,omitempty"`
	// RateLimit blocks a client IP that sends more than this many requests in
	// 5 minutes (10 to 2000000000, the AWS WAF API range); 0 creates no rate-based rule.
	// Default: 2000.
	RateLimit int `yaml:"rateLimit" json:"rateLimit,omitempty" jsonschema:"minimum=0"`
	// AllowedCIDRs are always allowed, before any other rule. Default: none.
	AllowedCIDRs []string `yaml:"allowedCidrs" json:"allowedCidrs,omitempty"`
	// BlockedCIDRs are always blocked, before the managed rule groups.
	// Default: none.
	BlockedCIDRs []string `yaml:"blockedCidrs" json:"blockedCidrs,omitempty"`
	// CapacityLimit is the most web ACL capacity units (WCUs) the rules may
	// use: 1500 is what the basic web ACL price covers, 5000 the most AWS
	// allows. Default: 1500.
	CapacityLimit int `yaml:"capacityLimit" json:"capacityLimit,omitempty" jsonschema:"minimum=1,maximum=5000"`
	// Associate lists existing regional resources (Application Load
	// Balancer or API Gateway REST API stage ARNs) to protect with the web
	// ACL of their region. CloudFront distributions name the CloudFront web
	// ACL themselves (see docs/layers/infraprotection.md). Default: none.
	Associate []string `yaml:"associate" json:"associate,omitempty"`
}

// WAFManagedRuleGroup selects one AWS managed rule group.
type WAFManagedRuleGroup struct {
	// Name of the group, e.g. AWSManagedRulesCommonRuleSet.
	Name string `yaml:"name" json:"name"`
	// Count only counts what the group matches instead of blocking it, to
	// tune a group before it enforces. Default: false.
	Count bool `yaml:"count" json:"count,omitempty"`
	// CountRules are rules of the group that only count. Default: none.
	CountRules []string `yaml:"countRules" json:"countRules,omitempty"`
	// LoginPath is the application's login endpoint, e.g. /api/login;
	// required for AWSManagedRulesATPRuleSet, not allowed for other groups.
	LoginPath string `yaml:"loginPath" json:"loginPath,omitempty"`
}

// FirewallManager configures AWS Firewall Manager policies across an
// organization. Firewall Manager bills per policy per region, on top of
// the WAF, Network Firewall and Shield resources its policies create.
type FirewallManager struct {
	// Enabled makes Firewall Manager the single place of management: the
	// security-tooling account becomes its administrator and deploys the
	// WAF, Network Firewall, security-group and DNS Firewall settings as
	// policies over the organization, itself included (it then deploys no
	// web ACL or firewall of its own). Only in organization mode, with AWS
	// Config recording continuously. $100 a month per policy and region,
	// plus what the policies create in the accounts. Default: false.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// AutoRemediate lets the policies fix what they find (associate the web
	// ACL, create firewalls); false only reports. Default: true.
	AutoRemediate bool `yaml:"autoRemediate" json:"autoRemediate,omitempty"`
	// IncludeOrganizationalUnits and IncludeAccounts limit the policies to
	// these OUs and accounts. Default: the whole organization.
	IncludeOrganizationalUnits []string `yaml:"includeOrganizationalUnits" json:"includeOrganizationalUnits,omitempty"`
	IncludeAccounts            []string `yaml:"includeAccounts" json:"includeAccounts,omitempty"`
	// ExcludeOrganizationalUnits and ExcludeAccounts take OUs and accounts
	// out of scope; not allowed together with the include lists.
	// Default: none.
	ExcludeOrganizationalUnits []string `yaml:"excludeOrganizationalUnits" json:"excludeOrganizationalUnits,omitempty"`
	ExcludeAccounts            []string `yaml:"excludeAccounts" json:"excludeAccounts,omitempty"`
	// ExcludeResourceTags exempts resources carrying any of these tags.
	// Default: none.
	ExcludeResourceTags map[string]string `yaml:"excludeResourceTags" json:"excludeResourceTags,omitempty"`
	// WAFResourceTypes are the regional resource types the WAF policy
	// protects; the us-east-1 policy protects CloudFront distributions when
	// waf.cloudFront is on. Default: AWS::ElasticLoadBalancingV2::LoadBalancer
	// and AWS::ApiGateway::Stage.
	WAFResourceTypes []WAFResourceType `yaml:"wafResourceTypes" json:"wafResourceTypes,omitempty"`
	// RemediateSecurityGroups lets the security-group audit policies change
	// member accounts' security groups: remove rules that allow all
	// protocols, delete groups unused for an hour and merge redundant ones.
	// Default: false: they only report, whatever autoRemediate says, because
	// those changes can break workloads.
	RemediateSecurityGroups bool `yaml:"remediateSecurityGroups" json:"remediateSecurityGroups,omitempty"`
	// SecurityGroupAudit adds security-group content and usage audit
	// policies. Default: true.
	SecurityGroupAudit bool `yaml:"securityGroupAudit" json:"securityGroupAudit,omitempty"`
	// DNSFirewall adds a Route 53 Resolver DNS Firewall policy blocking the
	// AWS managed malware and botnet domain lists. Default: true.
	DNSFirewall bool `yaml:"dnsFirewall" json:"dnsFirewall,omitempty"`
}

// WAFResourceType is a regional resource type a web ACL can protect.
type WAFResourceType string

// Values lists the regional resource types AWS WAF protects.
func (WAFResourceType) Values() []string {
	return []string{"AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ApiGateway::Stage", "AWS::AppSync::GraphQLApi",
		"AWS::Cognito::UserPool", "AWS::AppRunner::Service", "AWS::EC2::VerifiedAccessInstance"}
}

// ShieldAdvanced configures AWS Shield Advanced. Subscribing costs
// US$3,000 a month for a one-year commitment billed to the payer account,
// plus data transfer out of protected resources
// (https://aws.amazon.com/shield/pricing/), and renews itself.
type ShieldAdvanced struct {
	// Enabled subscribes the account and creates the protections below.
	// Default: false.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// AcknowledgeOneYearCommitment must be true with Enabled: it records that
	// the subscription commits the payer to a year of monthly fees, which
	// removing mamori does not end. Default: false.
	AcknowledgeOneYearCommitment bool `yaml:"acknowledgeOneYearCommitment" json:"acknowledgeOneYearCommitment,omitempty"`
	// Protections are the resources to protect. Default: none.
	Protections []ShieldProtection `yaml:"protections" json:"protections,omitempty"`
	// ProtectionGroups group protections for detection and mitigation.
	// Default: none.
	ProtectionGroups []ShieldProtectionGroup `yaml:"protectionGroups" json:"protectionGroups,omitempty"`
	// SRTAccess lets the Shield Response Team act on the account during an
	// attack, through a role of its own. Default: true.
	SRTAccess bool `yaml:"srtAccess" json:"srtAccess,omitempty"`
	// SRTLogBuckets are S3 buckets (names) of flow and WAF logs the Shield
	// Response Team may read. Default: none.
	SRTLogBuckets []string `yaml:"srtLogBuckets" json:"srtLogBuckets,omitempty"`
	// EmergencyContacts are who the Shield Response Team calls; with at least
	// one, proactive engagement is on (it needs a Business or Enterprise
	// Support plan). Default: none.
	EmergencyContacts []EmergencyContact `yaml:"emergencyContacts" json:"emergencyContacts,omitempty"`
}

// ShieldProtection protects one resource.
type ShieldProtection struct {
	// Name of the protection, unique in the file.
	Name string `yaml:"name" json:"name"`
	// ResourceARN of a CloudFront distribution, Application or Classic Load
	// Balancer, Elastic IP, Global Accelerator or Route 53 hosted zone.
	ResourceARN string `yaml:"resourceArn" json:"resourceArn"`
	// AutomaticResponse turns on automatic application-layer DDoS mitigation
	// for CloudFront and ALB resources, which must have a web ACL: BLOCK or
	// COUNT. Default: empty: off.
	AutomaticResponse string `yaml:"automaticResponse" json:"automaticResponse,omitempty" jsonschema:"enum=,enum=BLOCK,enum=COUNT"`
}

// ShieldProtectionGroup groups protections.
type ShieldProtectionGroup struct {
	// ID of the group, unique in the file.
	ID string `yaml:"id" json:"id"`
	// Aggregation of the members' traffic: SUM, MEAN or MAX. Default: SUM.
	Aggregation string `yaml:"aggregation" json:"aggregation,omitempty" jsonschema:"enum=,enum=SUM,enum=MEAN,enum=MAX"`
	// Members are protection names; empty groups every protected resource.
	Members []string `yaml:"members" json:"members,omitempty"`
}

// EmergencyContact is one contact of the Shield Response Team.
type EmergencyContact struct {
	// Email address. Required.
	Email string `yaml:"email" json:"email"`
	// Phone number in E.164 form, e.g. +15555550100. Default: none.
	Phone string `yaml:"phone" json:"phone,omitempty"`
	// Notes for the responders. Default: none.
	Notes string `yaml:"notes" json:"notes,omitempty"`
}

// NetworkFirewall configures AWS Network Firewall in the home region.
// Every firewall endpoint bills per hour it exists and per GB it inspects
// (https://aws.amazon.com/network-firewall/pricing/).
type NetworkFirewall struct {
	// Enabled creates the firewall. Default: false in sandbox, true in production.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// VPCCIDR is the new inspection VPC's range, /16 to /24: eight equal
	// blocks hold a firewall subnet and a protected subnet per zone.
	// Default: 10.192.0.0/16.
	VPCCIDR string `yaml:"vpcCidr" json:"vpcCidr,omitempty"`
	// AvailabilityZones of the home region, 2 to 4, one endpoint each,
	// e.g. [us-east-1a, us-east-1b]. Default: the home region's a and b zones.
	AvailabilityZones []string `yaml:"availabilityZones" json:"availabilityZones,omitempty"`
	// ExistingVPC places the firewall in a VPC you already have instead of
	// a new one. Default: none: a new inspection VPC.
	ExistingVPC *ExistingVPC `yaml:"existingVpc" json:"existingVpc,omitempty"`
	// HomeNet overrides Suricata's $HOME_NET. Default: the VPC's range.
	HomeNet []string `yaml:"homeNet" json:"homeNet,omitempty"`
	// SuricataRules are custom stateful rules, each with a unique sid,
	// evaluated first. Default: none.
	SuricataRules []string `yaml:"suricataRules" json:"suricataRules,omitempty"`
	// AllowedDomains, when set, are the only domains HTTP and TLS traffic may
	// reach (".example.com" includes subdomains), and the firewall drops any
	// established traffic no rule passes (default deny). Default: none:
	// traffic that no rule drops passes, and is logged as an alert.
	AllowedDomains []string `yaml:"allowedDomains" json:"allowedDomains,omitempty"`
	// DeniedDomains are domains HTTP and TLS traffic may not reach. Default: none.
	DeniedDomains []string `yaml:"deniedDomains" json:"deniedDomains,omitempty"`
	// ManagedRuleGroups are AWS managed strict-order threat-signature and
	// domain groups. Default: ThreatSignaturesBotnetStrictOrder,
	// ThreatSignaturesMalwareStrictOrder, ThreatSignaturesExploitsStrictOrder,
	// MalwareDomainsStrictOrder, BotNetCommandAndControlDomainsStrictOrder.
	ManagedRuleGroups []string `yaml:"managedRuleGroups" json:"managedRuleGroups,omitempty"`
	// TLSInspectionCertificateARN, when set, decrypts outbound TLS with this
	// ACM certificate (a CA the clients trust) for inspection. Default: none.
	TLSInspectionCertificateARN string `yaml:"tlsInspectionCertificateArn" json:"tlsInspectionCertificateArn,omitempty"`
	// LogToS3 sends alert and flow logs to an encrypted bucket. Default: true.
	LogToS3 bool `yaml:"logToS3" json:"logToS3,omitempty"`
	// LogToCloudWatch sends alert logs to an encrypted log group (and flow
	// logs too when LogToS3 is false). Default: false.
	LogToCloudWatch bool `yaml:"logToCloudWatch" json:"logToCloudWatch,omitempty"`
	// DeletionProtection refuses to delete the firewall. Default: false in
	// sandbox, true in production.
	DeletionProtection bool `yaml:"deletionProtection" json:"deletionProtection,omitempty"`
}

// ExistingVPC names a VPC the firewall joins.
type ExistingVPC struct {
	// VPCID, e.g. vpc-0123456789abcdef0.
	VPCID string `yaml:"vpcId" json:"vpcId"`
	// CIDR of the VPC, the default $HOME_NET.
	CIDR string `yaml:"cidr" json:"cidr"`
	// FirewallSubnets are dedicated subnets, one per zone, at least two.
	FirewallSubnets []FirewallSubnet `yaml:"firewallSubnets" json:"firewallSubnets"`
	// ProtectedRouteTables get a route sending DestinationCIDR through the
	// endpoint of their zone; they must not already have that route.
	// Default: none: route traffic yourself.
	ProtectedRouteTables []ProtectedRouteTable `yaml:"protectedRouteTables" json:"protectedRouteTables,omitempty"`
}

// FirewallSubnet is one subnet dedicated to a firewall endpoint.
type FirewallSubnet struct {
	// SubnetID, e.g. "subnet-0123456789abcdef0".
	SubnetID string `yaml:"subnetId" json:"subnetId"`
	// AvailabilityZone of the subnet, e.g. "us-east-1a".
	AvailabilityZone string `yaml:"availabilityZone" json:"availabilityZone"`
}

// ProtectedRouteTable routes through the firewall endpoint of its zone.
type ProtectedRouteTable struct {
	// RouteTableID, e.g. rtb-0123456789abcdef0.
	RouteTableID string `yaml:"routeTableId" json:"routeTableId"`
	// AvailabilityZone whose endpoint the route uses.
	AvailabilityZone string `yaml:"availabilityZone" json:"availabilityZone"`
	// DestinationCIDR to route through the firewall. Default: 0.0.0.0/0.
	DestinationCIDR string `yaml:"destinationCidr" json:"destinationCidr,omitempty"`
}

// infraprotectionDefaults sets the infrastructure-protection layer's defaults for a profile.
func infraprotectionDefaults(c *Config, prod bool) {
	c.InfrastructureProtection = InfrastructureProtection{
		WAF: WAF{
			Enabled: prod,
			ManagedRuleGroups: []WAFManagedRuleGroup{
				{Name: "AWSManagedRulesCommonRuleSet"},
				{Name: "AWSManagedRulesKnownBadInputsRuleSet"},
				{Name: "AWSManagedRulesSQLiRuleSet"},
				{Name: "AWSManagedRulesAmazonIpReputationList"},
				{Name: "AWSManagedRulesAnonymousIpList"},
			},
			RateLimit:     2000,
			CapacityLimit: catalog.DefaultWCULimit,
		},
		FirewallManager: FirewallManager{
			AutoRemediate: true, SecurityGroupAudit: true, DNSFirewall: true,
			WAFResourceTypes: []WAFResourceType{"AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ApiGateway::Stage"},
		},
		ShieldAdvanced: ShieldAdvanced{SRTAccess: true},
		NetworkFirewall: NetworkFirewall{
			Enabled: prod,
			VPCCIDR: "10.192.0.0/16",
			ManagedRuleGroups: []string{
				"ThreatSignaturesBotnetStrictOrder", "ThreatSignaturesMalwareStrictOrder", "ThreatSignaturesExploitsStrictOrder",
				"MalwareDomainsStrictOrder", "BotNetCommandAndControlDomainsStrictOrder",
			},
			LogToS3:            true,
			DeletionProtection: prod,
		},
	}
}

var (
	vpcIDPattern        = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	routeTableIDPattern = regexp.MustCompile(`^rtb-[0-9a-f]{8,17}$`)
	wafResourcePattern  = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:(elasticloadbalancing:([a-z0-9-]+):[0-9]{12}:loadbalancer/app/.+|apigateway:([a-z0-9-]+)::/restapis/[^/]+/stages/.+)$`)
	shieldArnPattern    = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:(cloudfront::[0-9]{12}:distribution/.+|elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/.+|ec2:[a-z0-9-]+:[0-9]{12}:eip-allocation/.+|globalaccelerator::[0-9]{12}:accelerator/.+|route53:::hostedzone/.+)$`)
	certificatePattern  = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$`)
	domainPattern       = regexp.MustCompile(`^\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	wafRuleNamePattern  = regexp.MustCompile(`^[\w-]{1,128}$`)
	loginPathPattern    = regexp.MustCompile(`^/[^\s]{0,255}$`)
	phonePattern        = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	protectionIDPattern = regexp.MustCompile(`^[a-zA-Z0-9\-]{1,36}$`)
)

// validateInfrastructureProtection checks the infrastructureProtection section.
func (c *Config) validateInfrastructureProtection(v *validator) {
	const path = "infrastructureProtection"
	c.validateWAF(v, fieldPath(path, "waf"))
	c.validateFirewallManager(v, fieldPath(path, "firewallManager"))
	c.validateShield(v, fieldPath(path, "shieldAdvanced"))
	c.validateNetworkFirewall(v, fieldPath(path, "networkFirewall"))
}

func (c *Config) validateWAF(v *validator, path string) {
	w := c.InfrastructureProtection.WAF
	if !w.Enabled {
		if w.CloudFront || len(w.Associate) > 0 {
			v.forbidden(fieldPath(path, "enabled"), "false while cloudFront or associate ask for a web ACL")
		}
		return
	}
	if w.CloudFront && !containsString(c.Regions, "us-east-1") {
		v.forbidden(fieldPath(path, "cloudFront"), "AWS WAF creates CloudFront web ACLs in us-east-1 only; add us-east-1 to regions")
	}
	groups := fieldPath(path, "managedRuleGroups")
	names := eachUnique(v, groups, w.ManagedRuleGroups, "name", func(g WAFManagedRuleGroup) string { return g.Name }, func(p string, g WAFManagedRuleGroup) {
		mg, known := catalog.WAFManagedRuleGroups[g.Name]
		if !known {
			detail := "not an AWS managed rule group mamori knows: " + supportedValues(catalog.WAFManagedRuleGroupNames())
			if s := suggest(g.Name, catalog.WAFManagedRuleGroupNames()); s != "" {
				detail = fmt.Sprintf("not an AWS managed rule group mamori knows; did you mean %q?", s)
			}
			v.notSupported(fieldPath(p, "name"), g.Name, "%s", detail)
			return
		}
		switch {
		case mg.NeedsLoginPath && g.LoginPath == "":
			v.required(fieldPath(p, "loginPath"), "%s inspects the application's login endpoint, e.g. /api/login", g.Name)
		case !mg.NeedsLoginPath && g.LoginPath != "":
			v.forbidden(fieldPath(p, "loginPath"), "only AWSManagedRulesATPRuleSet takes a login path")
		case g.LoginPath != "" && !loginPathPattern.MatchString(g.LoginPath):
			v.invalid(fieldPath(p, "loginPath"), g.LoginPath, "must be a path starting with /")
		}
		eachUnique(v, fieldPath(p, "countRules"), g.CountRules, "", identity, func(ip string, r string) {
			if !wafRuleNamePattern.MatchString(r) {
				v.invalid(ip, r, "must be a rule name of the group (letters, digits, _ and -)")
			}
		})
	})
	if w.RateLimit != 0 {
		v.intRange(fieldPath(path, "rateLimit"), w.RateLimit, 10, 2000000000)
	}
	allowed := checkCIDRs(v, fieldPath(path, "allowedCidrs"), w.AllowedCIDRs)
	blocked := checkCIDRs(v, fieldPath(path, "blockedCidrs"), w.BlockedCIDRs)
	for i, b := range blocked {
		for j, a := range allowed {
			if b != nil && a != nil && overlap(a, b) {
				v.invalid(indexPath(fieldPath(path, "blockedCidrs"), i), w.BlockedCIDRs[i], "overlaps %s (%q), so the same clients would be allowed and blocked", indexPath(fieldPath(path, "allowedCidrs"), j), w.AllowedCIDRs[j])
			}
		}
	}
	limitOK := w.CapacityLimit >= 1 && w.CapacityLimit <= catalog.MaxWCULimit
	if !limitOK {
		v.intRange(fieldPath(path, "capacityLimit"), w.CapacityLimit, 1, catalog.MaxWCULimit)
	}
	ipSets := 0
	if len(w.AllowedCIDRs) > 0 {
		ipSets++
	}
	if len(w.BlockedCIDRs) > 0 {
		ipSets++
	}
	if wcu, ok := catalog.WebACLCapacity(names, w.RateLimit > 0, ipSets*ipSetRulesPerList); ok && limitOK && wcu > w.CapacityLimit {
		v.tooMany(groups, "these rules need %d WCUs, above waf.capacityLimit %d; drop a rule group or raise capacityLimit (at most %d; above %d WCUs AWS WAF bills extra)",
			wcu, w.CapacityLimit, catalog.MaxWCULimit, catalog.DefaultWCULimit)
	}
	eachUnique(v, fieldPath(path, "associate"), w.Associate, "", identity, func(p string, arn string) {
		m := wafResourcePattern.FindStringSubmatch(arn)
		region := ""
		if m != nil {
			region = m[3] + m[4]
		}
		switch {
		case m == nil:
			v.invalid(p, arn, "must be an Application Load Balancer ARN or an API Gateway REST API stage ARN (arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>)")
		case !containsString(c.Regions, region):
			v.invalid(p, arn, "its region %s is not governed, so no web ACL exists there", region)
		}
	})
	for i, arn := range w.Associate {
		c.checkOwnResource(v, indexPath(fieldPath(path, "associate"), i), arn)
	}
}

// checkOwnResource reports an ARN of another partition, or of another
// account than the one the stacks deploy into when the config names it: a
// web ACL association or a Shield protection acts on this account's
// resources only, and would fail at deploy.
func (c *Config) checkOwnResource(v *validator, path, arn string) {
	f := strings.SplitN(arn, ":", 6)
	if len(f) < 6 {
		return // the shape checks report it
	}
	if partition, ok := regionPartition(c.HomeRegion); ok && f[1] != partition {
		v.invalid(path, arn, "it is in partition %s, the governed regions in %s", f[1], partition)
	}
	own := c.Topology.AccountID
	if o := c.Topology.Organization; c.Topology.Mode == ModeOrganization && o != nil {
		own = o.SecurityToolingAccountID
	}
	if own != "" && f[4] != "" && f[4] != own {
		v.invalid(path, arn, "it belongs to account %s, but the stacks deploy into %s, and a stack acts on its own account's resources only", f[4], own)
	}
}

// maxStatefulGroups is how many stateful rule groups a firewall policy references.
const maxStatefulGroups = 20

// ipSetRulesPerList: an address list becomes one rule per IP version.
const ipSetRulesPerList = 2

// checkCIDRs parses every CIDR and reports bad ones, duplicates and overlaps
// within the list; the result holds nil for bad entries.
func checkCIDRs(v *validator, path string, cidrs []string) []*net.IPNet {
	nets := make([]*net.IPNet, len(cidrs))
	for i, s := range cidrs {
		n := checkCIDR(v, indexPath(path, i), s)
		if n == nil {
			continue
		}
		for j := 0; j < i; j++ {
			if nets[j] != nil && overlap(nets[j], n) {
				v.invalid(indexPath(path, i), s, "overlaps %s (%q); list each range once", indexPath(path, j), cidrs[j])
				break
			}
		}
		nets[i] = n
	}
	return nets
}

// checkCIDR parses one CIDR field and reports it when it is not a network;
// nil then.
func checkCIDR(v *validator, path, s string) *net.IPNet {
	ip, n, err := net.ParseCIDR(s)
	if err != nil || !ip.Equal(n.IP) {
		v.invalid(path, s, "must be a network in CIDR notation, such as 192.0.2.0/24, with no host bits set")
		return nil
	}
	return n
}

// overlap reports whether two networks share an address.
func overlap(a, b *net.IPNet) bool { return a.Contains(b.IP) || b.Contains(a.IP) }

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (c *Config) validateFirewallManager(v *validator, path string) {
	f := c.InfrastructureProtection.FirewallManager
	if !f.Enabled {
		return
	}
	if c.Topology.Mode != ModeOrganization {
		v.forbidden(fieldPath(path, "enabled"), "FMS without an Organization: Firewall Manager manages the accounts of an AWS Organization (topology.mode: organization); "+
			"in standalone mode mamori deploys the WAF and Network Firewall settings directly, so set enabled: false")
	}
	// Firewall Manager discovers and evaluates resources only through AWS
	// Config recording continuously in every in-scope account and region.
	// https://docs.aws.amazon.com/waf/latest/developerguide/enable-config.html
	if dc := c.Detection.Config; c.Topology.Mode == ModeOrganization && (!dc.Enabled || dc.RecordingFrequency == "DAILY") {
		v.forbidden(fieldPath(path, "enabled"), "Firewall Manager needs AWS Config recording continuously in every account: "+
			"set detection.config.enabled: true and detection.config.recordingFrequency: CONTINUOUS (the member baseline records the same way)")
	}
	// The WAF policy's managed service data carries each group's name,
	// count overrides and excluded rules, not its configuration
	// (managedRuleGroupConfigs): a group that needs one would reach the
	// member accounts' web ACLs without it.
	for i, g := range c.InfrastructureProtection.WAF.ManagedRuleGroups {
		if g.Name == "AWSManagedRulesATPRuleSet" || g.Name == "AWSManagedRulesBotControlRuleSet" || g.Name == "AWSManagedRulesACFPRuleSet" {
			v.forbidden(fieldPath(indexPath("infrastructureProtection.waf.managedRuleGroups", i), "name"),
				"with Firewall Manager, %s needs its own configuration (login path, inspection level), which mamori's Firewall Manager WAF policy does not carry yet; "+
					"add it to the web ACLs of the accounts that need it, outside mamori", g.Name)
		}
	}
	if (len(f.IncludeAccounts) > 0 || len(f.IncludeOrganizationalUnits) > 0) && (len(f.ExcludeAccounts) > 0 || len(f.ExcludeOrganizationalUnits) > 0) {
		v.forbidden(fieldPath(path, "excludeAccounts"), "a Firewall Manager policy takes an include list or an exclude list, not both")
	}
	for _, l := range []struct {
		key  string
		list []string
		ou   bool
	}{{"includeOrganizationalUnits", f.IncludeOrganizationalUnits, true}, {"includeAccounts", f.IncludeAccounts, false},
		{"excludeOrganizationalUnits", f.ExcludeOrganizationalUnits, true}, {"excludeAccounts", f.ExcludeAccounts, false}} {
		p := fieldPath(path, l.key)
		eachUnique(v, p, l.list, "", identity, func(ip string, id string) {
			switch {
			case l.ou && !ouPattern.MatchString(id) && !rootPattern.MatchString(id):
				v.invalid(ip, id, "must be an organizational unit ID (ou-xxxx-xxxxxxxx) or the root ID (r-xxxx)")
			case !l.ou:
				validateAccountID(v, ip, id)
			}
		})
	}
	validateTags(v, fieldPath(path, "excludeResourceTags"), f.ExcludeResourceTags)
	checkEnumList(v, fieldPath(path, "wafResourceTypes"), f.WAFResourceTypes)
}

func (c *Config) validateShield(v *validator, path string) {
	s := c.InfrastructureProtection.ShieldAdvanced
	if !s.Enabled {
		if len(s.Protections) > 0 || len(s.ProtectionGroups) > 0 || len(s.EmergencyContacts) > 0 {
			v.forbidden(fieldPath(path, "enabled"), "false while protections, protection groups or emergency contacts are configured; they need the subscription")
		}
		return
	}
	if !s.AcknowledgeOneYearCommitment {
		v.required(fieldPath(path, "acknowledgeOneYearCommitment"), "true, to record that subscribing to Shield Advanced commits the payer account to a year of US$3,000 a month, which removing mamori does not end")
	}
	if !containsString(c.Regions, "us-east-1") {
		v.forbidden(fieldPath(path, "enabled"), "the Shield Advanced API is served from us-east-1 only; add us-east-1 to regions")
	}
	prots := fieldPath(path, "protections")
	names := eachUnique(v, prots, s.Protections, "name", func(p ShieldProtection) string { return p.Name }, func(pp string, p ShieldProtection) {
		c.validateShieldProtection(v, pp, p)
	})
	v.uniqueNames(names, keyPaths(prots, "name"))
	arns := eachUnique(v, prots, s.Protections, "resourceArn", func(p ShieldProtection) string { return p.ResourceARN }, nil)
	for i, arn := range arns {
		c.checkOwnResource(v, fieldPath(indexPath(prots, i), "resourceArn"), arn)
	}
	groups := fieldPath(path, "protectionGroups")
	ids := eachUnique(v, groups, s.ProtectionGroups, "id", func(g ShieldProtectionGroup) string { return g.ID }, func(gp string, g ShieldProtectionGroup) {
		g.validate(v, gp, names)
	})
	v.uniqueNames(ids, keyPaths(groups, "id"))
	for i, b := range s.SRTLogBuckets {
		if msg := bucketNameProblem(b); msg != "" {
			v.invalid(indexPath(fieldPath(path, "srtLogBuckets"), i), b, "%s", msg)
		}
	}
	if len(s.SRTLogBuckets) > 0 && !s.SRTAccess {
		v.forbidden(fieldPath(path, "srtLogBuckets"), "the Shield Response Team reads log buckets through its access role; set srtAccess: true")
	}
	contacts := fieldPath(path, "emergencyContacts")
	for i, e := range s.EmergencyContacts {
		e.validate(v, indexPath(contacts, i))
	}
	if len(s.EmergencyContacts) > 10 {
		v.tooMany(contacts, "%d contacts, Shield takes at most 10", len(s.EmergencyContacts))
	}
}

// validateShieldProtection checks one protection; automatic mitigation
// needs a web ACL mamori associates with the resource.
func (c *Config) validateShieldProtection(v *validator, pp string, p ShieldProtection) {
	if !protectionIDPattern.MatchString(p.Name) {
		v.invalid(fieldPath(pp, "name"), p.Name, "must be 1 to 36 letters, digits and hyphens")
	}
	if !shieldArnPattern.MatchString(p.ResourceARN) {
		v.invalid(fieldPath(pp, "resourceArn"), p.ResourceARN, "must be the ARN of a CloudFront distribution, load balancer, Elastic IP allocation, Global Accelerator or Route 53 hosted zone")
	}
	switch p.AutomaticResponse {
	case "":
	case "BLOCK", "COUNT":
		// Shield writes its mitigation rules into the web ACL associated
		// with the resource, and refuses the setting without one
		// (EnableApplicationLayerAutomaticResponse).
		w := c.InfrastructureProtection.WAF
		switch {
		case strings.Contains(p.ResourceARN, ":cloudfront::"):
			if !w.Enabled || !w.CloudFront {
				v.forbidden(fieldPath(pp, "automaticResponse"), "without a CloudFront web ACL, Shield writes its mitigation rules into the distribution's web ACL; "+
					"set infrastructureProtection.waf.cloudFront: true and the distribution's WebACLId to its ARN (output CloudFrontWebAclArn) first")
			}
		case strings.Contains(p.ResourceARN, ":loadbalancer/app/"):
			if !w.Enabled || !slices.Contains(w.Associate, p.ResourceARN) {
				v.forbidden(fieldPath(pp, "automaticResponse"), "without a web ACL on the load balancer, Shield writes its mitigation rules into it; "+
					"list %q in infrastructureProtection.waf.associate", p.ResourceARN)
			}
		default:
			v.forbidden(fieldPath(pp, "automaticResponse"), "automatic application-layer mitigation protects CloudFront distributions and Application Load Balancers only")
		}
	default:
		v.notSupported(fieldPath(pp, "automaticResponse"), p.AutomaticResponse, `supported values: "BLOCK", "COUNT", or leave empty for off`)
	}
}

// validate checks a protection group whose members are among the
// protections' names.
func (g ShieldProtectionGroup) validate(v *validator, gp string, names []string) {
	if !protectionIDPattern.MatchString(g.ID) {
		v.invalid(fieldPath(gp, "id"), g.ID, "must be 1 to 36 letters, digits and hyphens")
	}
	switch g.Aggregation {
	case "", "SUM", "MEAN", "MAX":
	default:
		v.notSupported(fieldPath(gp, "aggregation"), g.Aggregation, `supported values: "SUM", "MEAN", "MAX"`)
	}
	eachUnique(v, fieldPath(gp, "members"), g.Members, "", identity, func(p string, m string) {
		if !containsString(names, m) {
			v.invalid(p, m, "not the name of a protection in shieldAdvanced.protections")
		}
	})
}

// validate checks an emergency contact the Shield Response Team may call.
func (e EmergencyContact) validate(v *validator, cp string) {
	if !strings.Contains(e.Email, "@") || strings.ContainsAny(e.Email, " <>") {
		v.invalid(fieldPath(cp, "email"), e.Email, "must be a plain email address")
	}
	if e.Phone != "" && !phonePattern.MatchString(e.Phone) {
		v.invalid(fieldPath(cp, "phone"), e.Phone, "must be in E.164 form, e.g. +15555550100")
	}
	if len(e.Notes) > 1024 {
		v.invalid(fieldPath(cp, "notes"), omitValue, "at most 1024 characters")
	}
}

func (c *Config) validateNetworkFirewall(v *validator, path string) {
	n := c.InfrastructureProtection.NetworkFirewall
	if !n.Enabled {
		return
	}
	if n.ExistingVPC != nil {
		c.validateExistingVPC(v, path, n)
	} else {
		c.validateInspectionVPC(v, path, n)
	}
	n.validateRules(v, path)
	if a := n.TLSInspectionCertificateARN; a != "" && (!certificatePattern.MatchString(a) || !strings.Contains(a, ":acm:"+c.HomeRegion+":")) {
		v.invalid(fieldPath(path, "tlsInspectionCertificateArn"), a, "must be an ACM certificate ARN in the home region %s", c.HomeRegion)
	}
	if !n.LogToS3 && !n.LogToCloudWatch {
		v.required(fieldPath(path, "logToS3"), "true (or logToCloudWatch: true): a firewall's alerts must be logged somewhere")
	}
	if !n.LogToS3 && n.LogToCloudWatch && n.ExistingVPC == nil {
		// The new inspection VPC's flow logs go to the same bucket.
		v.required(fieldPath(path, "logToS3"), "true for the new inspection VPC, whose flow logs go to the network log bucket; "+
			"set it false only with existingVpc")
	}
}

// validateExistingVPC checks the VPC the firewall is placed in: its
// firewall subnets in two zones at least, and the route tables it
// protects, in those zones.
func (c *Config) validateExistingVPC(v *validator, path string, n NetworkFirewall) {
	e := n.ExistingVPC
	ep := fieldPath(path, "existingVpc")
	if !vpcIDPattern.MatchString(e.VPCID) {
		v.invalid(fieldPath(ep, "vpcId"), e.VPCID, "must be a VPC ID such as \"vpc-0123456789abcdef0\"")
	}
	checkCIDR(v, fieldPath(ep, "cidr"), e.CIDR)
	subnets := fieldPath(ep, "firewallSubnets")
	seen := map[string]bool{}
	eachUnique(v, subnets, e.FirewallSubnets, "subnetId", func(sn FirewallSubnet) string { return sn.SubnetID }, func(p string, sn FirewallSubnet) {
		if !subnetIDPattern.MatchString(sn.SubnetID) {
			v.invalid(fieldPath(p, "subnetId"), sn.SubnetID, "must be a subnet ID such as \"subnet-0123456789abcdef0\"")
		}
		c.checkZone(v, fieldPath(p, "availabilityZone"), sn.AvailabilityZone, seen)
	})
	if len(seen) < 2 {
		v.required(subnets, "firewall subnets in at least two availability zones")
	}
	// Two routes to one destination in one table fail at deploy.
	routeKey := func(rt ProtectedRouteTable) string { return rt.RouteTableID + " " + rt.DestinationCIDR }
	eachUnique(v, fieldPath(ep, "protectedRouteTables"), e.ProtectedRouteTables, "", routeKey, func(p string, rt ProtectedRouteTable) {
		if !routeTableIDPattern.MatchString(rt.RouteTableID) {
			v.invalid(fieldPath(p, "routeTableId"), rt.RouteTableID, "must be a route table ID such as \"rtb-0123456789abcdef0\"")
		}
		if !seen[rt.AvailabilityZone] {
			v.invalid(fieldPath(p, "availabilityZone"), rt.AvailabilityZone, "no firewall subnet is in this zone")
		}
		if rt.DestinationCIDR != "" {
			checkCIDR(v, fieldPath(p, "destinationCidr"), rt.DestinationCIDR)
		}
	})
	if len(n.AvailabilityZones) > 0 {
		v.forbidden(fieldPath(path, "availabilityZones"), "with existingVpc the firewall subnets name the zones")
	}
}

// validateInspectionVPC checks the new inspection VPC's range and zones.
func (c *Config) validateInspectionVPC(v *validator, path string, n NetworkFirewall) {
	if vpc := checkCIDR(v, fieldPath(path, "vpcCidr"), n.VPCCIDR); vpc != nil {
		if ones, bits := vpc.Mask.Size(); bits != 32 || ones < 16 || ones > 24 {
			v.invalid(fieldPath(path, "vpcCidr"), n.VPCCIDR, "must be an IPv4 range from /16 to /24")
		}
	}
	zones := fieldPath(path, "availabilityZones")
	seen := map[string]bool{}
	for i, z := range n.AvailabilityZones {
		c.checkZone(v, indexPath(zones, i), z, seen)
	}
	if len(n.AvailabilityZones) < 2 || len(n.AvailabilityZones) > 4 {
		v.invalid(zones, omitValue, "%d zones; the inspection VPC takes 2 to 4 availability zones", len(n.AvailabilityZones))
	}
}

// validateRules checks the firewall's rules: $HOME_NET, the Suricata rules
// with their sids, the domain lists, the managed rule groups and the
// number of stateful rule groups the policy takes.
func (n NetworkFirewall) validateRules(v *validator, path string) {
	// Overlapping $HOME_NET ranges would make rules match twice and hide a
	// typo: each range once.
	checkCIDRs(v, fieldPath(path, "homeNet"), n.HomeNet)
	rules := fieldPath(path, "suricataRules")
	sids := map[int]int{}
	for i, r := range n.SuricataRules {
		sid, err := catalog.CheckSuricataRule(r)
		if err != nil {
			v.invalid(indexPath(rules, i), omitValue, "%v", err)
			continue
		}
		if j, dup := sids[sid]; dup {
			v.duplicate(indexPath(rules, i), sid, "sid already used by %s; every Suricata rule needs its own sid", indexPath(rules, j))
			continue
		}
		sids[sid] = i
	}
	for _, l := range []struct {
		key  string
		list []string
	}{{"allowedDomains", n.AllowedDomains}, {"deniedDomains", n.DeniedDomains}} {
		p := fieldPath(path, l.key)
		eachUnique(v, p, l.list, "", identity, func(ip string, d string) {
			if !domainPattern.MatchString(d) {
				v.invalid(ip, d, "must be a lower-case domain name, with a leading dot to include subdomains")
			}
		})
	}
	for i, d := range n.DeniedDomains {
		if containsString(n.AllowedDomains, d) {
			v.invalid(indexPath(fieldPath(path, "deniedDomains"), i), d, "also in allowedDomains")
		}
	}
	groups := fieldPath(path, "managedRuleGroups")
	eachUnique(v, groups, n.ManagedRuleGroups, "", identity, checkThreatSignatureGroup(v))
	// A firewall policy takes at most 20 stateful rule groups (Network
	// Firewall quotas); mamori's own take up to three.
	own := 0
	for _, l := range [][]string{n.SuricataRules, n.AllowedDomains, n.DeniedDomains} {
		if len(l) > 0 {
			own++
		}
	}
	if own+len(n.ManagedRuleGroups) > maxStatefulGroups {
		v.tooMany(groups, "%d managed groups and %d of mamori's own exceed the %d stateful rule groups a firewall policy takes", len(n.ManagedRuleGroups), own, maxStatefulGroups)
	}
}

// checkThreatSignatureGroup reports a managed rule group that is not an AWS
// managed strict-order threat signature group, with the likely fix.
func checkThreatSignatureGroup(v *validator) func(p string, g string) {
	return func(p string, g string) {
		if catalog.KnownThreatSignatureGroup(g) {
			return
		}
		detail := "not an AWS managed strict-order rule group: " + supportedValues(catalog.ThreatSignatureGroups)
		if strict := strings.TrimSuffix(g, "ActionOrder") + "StrictOrder"; strings.HasSuffix(g, "ActionOrder") && catalog.KnownThreatSignatureGroup(strict) {
			detail = fmt.Sprintf("the firewall policy evaluates rules in strict order, which takes %q", strict)
		} else if s := suggest(g, catalog.ThreatSignatureGroups); s != "" {
			detail = fmt.Sprintf("not an AWS managed strict-order rule group; did you mean %q?", s)
		}
		v.notSupported(p, g, "%s", detail)
	}
}

// checkZone reports z unless it is a zone name of the home region not seen before.
func (c *Config) checkZone(v *validator, path, z string, seen map[string]bool) {
	switch {
	case !strings.HasPrefix(z, c.HomeRegion) || len(z) != len(c.HomeRegion)+1:
		v.invalid(path, z, "must be an availability zone of the home region %q, e.g. %q", c.HomeRegion, c.HomeRegion+"a")
	case seen[z]:
		v.duplicate(path, z, "one subnet per availability zone")
	}
	seen[z] = true
}

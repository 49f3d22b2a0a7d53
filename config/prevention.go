package config

import (
	"regexp"
	"slices"
)

// Prevention configures the prevention layer of organization mode: the
// organization policies, attached from the management account, that keep the
// baseline on and the accounts closed (service control policies, resource
// control policies, the EC2 declarative policy and the S3 policy), and the
// account settings set on every account (centralized root access, alternate
// contacts). Organizations bills nothing for policies. Standalone mode has no
// organization to attach them to: this section is refused there.
type Prevention struct {
	// Enabled creates the policies below and attaches them to Targets. Roll
	// out to a test OU first (see docs/layers/prevention.md). Default: false.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// Targets are the OUs (ou-...), accounts (12 digits) or the root (r-...)
	// the policies attach to. Default: topology.organization.targetOrganizationalUnits.
	Targets []string `yaml:"targets" json:"targets,omitempty"`
	// BreakGlassRoles are IAM role ARNs that every guardrail exempts, for
	// emergencies: at most 3, each at most 128 characters (every SCP
	// statement repeats them). The account may be "*" (the role of that
	// name in every account) and the name may end in "*". Default: none.
	BreakGlassRoles []string `yaml:"breakGlassRoles" json:"breakGlassRoles,omitempty"`
	// BaselineProtection denies member principals disabling, deleting or
	// reconfiguring what mamori deploys (GuardDuty, Security Hub, AWS Config,
	// CloudTrail, Macie, Inspector, Detective, IAM Access Analyzer, EBS
	// default encryption, S3 account Block Public Access, mamori's keys,
	// roles and stacks). Default: true.
	BaselineProtection bool `yaml:"baselineProtection" json:"baselineProtection,omitempty"`
	// OrganizationHygiene denies leaving the organization, the root user
	// (but for the privileged root tasks), region opt-in changes and
	// alternate-contact changes from member accounts. Default: true.
	OrganizationHygiene bool `yaml:"organizationHygiene" json:"organizationHygiene,omitempty"`
	// RegionDeny denies every action outside the allowed regions, but for
	// the global services AWS documents. Default: on in production.
	RegionDeny RegionDeny `yaml:"regionDeny" json:"regionDeny,omitempty"`
	// ResourcePerimeter is the data perimeter of resource control policies.
	ResourcePerimeter ResourcePerimeter `yaml:"resourcePerimeter" json:"resourcePerimeter,omitempty"`
	// EC2 is the EC2 declarative policy.
	EC2 EC2Policy `yaml:"ec2" json:"ec2,omitempty"`
	// S3BlockPublicAccess attaches an S3 policy that turns on all four
	// account-level Block Public Access settings in every target account
	// and refuses account-level changes to them. Default: true.
	S3BlockPublicAccess bool `yaml:"s3BlockPublicAccess" json:"s3BlockPublicAccess,omitempty"`
	// RootAccess turns on centralized root access: trusted access for IAM,
	// root credentials management and privileged root sessions, so member
	// accounts need no root credentials of their own. Default: true.
	RootAccess bool `yaml:"rootAccess" json:"rootAccess,omitempty"`
	// AlternateContacts are set on every account of the organization, and on
	// accounts that join later by a daily reconciler. Default: none.
	AlternateContacts AlternateContacts `yaml:"alternateContacts" json:"alternateContacts,omitempty"`
}

// RegionDeny configures the region deny service control policy.
type RegionDeny struct {
	// Enabled attaches the region deny policy. Default: false in sandbox,
	// true in production.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// AllowedRegions are the regions left open. They must include every
	// governed region (the home region first of all): the baseline runs
	// there. Default: the governed regions.
	AllowedRegions []string `yaml:"allowedRegions" json:"allowedRegions,omitempty"`
}

// ResourcePerimeter configures the resource control policies.
type ResourcePerimeter struct {
	// Enabled attaches resource control policies to the targets' S3, KMS,
	// STS (AssumeRole), Secrets Manager and SQS resources: principals outside
	// the organization are refused unless listed in ExceptionAccounts, AWS
	// services only when acting for the organization, and requests without
	// TLS always. It breaks every cross-organization share that is not
	// listed (see README). Default: false.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// ExceptionAccounts are accounts outside the organization (12 digits)
	// that may still reach the targets' resources, such as a vendor reading
	// a bucket; at most 50. Default: none.
	ExceptionAccounts []string `yaml:"exceptionAccounts" json:"exceptionAccounts,omitempty"`
}

// EC2Policy configures the EC2 declarative policy.
type EC2Policy struct {
	// Enabled attaches a declarative policy that blocks public sharing of
	// AMIs and EBS snapshots, requires IMDSv2 for new instances and turns
	// EC2 serial console access off. Default: true.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// VPCBlockPublicAccess also turns on VPC Block Public Access in
	// block-ingress mode, with exclusions allowed: internet gateways refuse
	// inbound traffic to every VPC without an exclusion. It cuts internet
	// access that workloads may rely on. Default: false.
	VPCBlockPublicAccess bool `yaml:"vpcBlockPublicAccess" json:"vpcBlockPublicAccess,omitempty"`
}

// AlternateContacts are the alternate contacts of every account.
type AlternateContacts struct {
	// Security is the security contact. Default: none.
	Security *AlternateContact `yaml:"security" json:"security,omitempty"`
	// Operations is the operations contact. Default: none.
	Operations *AlternateContact `yaml:"operations" json:"operations,omitempty"`
	// Billing is the billing contact. Default: none.
	Billing *AlternateContact `yaml:"billing" json:"billing,omitempty"`
}

// Bounds that keep the policies within Organizations' quotas.
const (
	maxBreakGlassRoles     = 3
	maxBreakGlassArnLength = 128
	maxExceptionAccounts   = 50
)

var (
	// preventionRoleArn is a role ARN the guardrails can exempt through
	// aws:PrincipalArn: a 12-digit account or "*", a path and name that may
	// end in "*".
	preventionRoleArn = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::([0-9]{12}|\*):role/[\w+=,.@/-]{1,512}\*?$`)
)

// preventionDefaults sets the prevention layer's defaults for a profile.
func preventionDefaults(c *Config, prod bool) {
	c.Prevention = Prevention{
		BaselineProtection: true, OrganizationHygiene: true, S3BlockPublicAccess: true, RootAccess: true,
		RegionDeny: RegionDeny{Enabled: prod},
		EC2:        EC2Policy{Enabled: true},
	}
}

// preventionDerived fills the targets and allowed regions the file left out.
func preventionDerived(c *Config, set map[string]bool) {
	p := &c.Prevention
	if o := c.Topology.Organization; o != nil && !set["prevention.targets"] {
		p.Targets = slices.Clone(o.TargetOrganizationalUnits)
	}
	if !set["prevention.regionDeny.allowedRegions"] {
		p.RegionDeny.AllowedRegions = slices.Clone(c.Regions)
	}
}

// validate checks the prevention section: organization mode only, targets
// Organizations can attach to, exempt roles that aws:PrincipalArn can
// match, a region deny that leaves the governed regions open, exception
// accounts and contacts AWS accepts.
func (p *Prevention) validate(v *validator, c *Config) {
	const path = "prevention"
	if !p.Enabled {
		return
	}
	if c.Topology.Mode != ModeOrganization {
		v.forbidden(fieldPath(path, "enabled"), "organization policies need organization mode; a standalone account's own guards are under dataProtection.accountGuards")
		return
	}
	targets := fieldPath(path, "targets")
	if len(p.Targets) == 0 {
		v.required(targets, "at least one OU (ou-...), account (12 digits) or the root (r-...)")
	}
	eachUnique(v, targets, p.Targets, "", identity, func(at string, t string) {
		if !ouPattern.MatchString(t) && !rootPattern.MatchString(t) && !accountIDPattern.MatchString(t) {
			v.invalid(at, t, "must be an OU ID (ou-...), an account ID (12 digits) or the root ID (r-...)")
		}
	})
	roles := fieldPath(path, "breakGlassRoles")
	// Every SCP statement repeats the exemptions: bounded, they keep the
	// policies within three documents a target (TestQuotasWithMostExemptions).
	if n := len(p.BreakGlassRoles); n > maxBreakGlassRoles {
		v.tooMany(roles, "%d break-glass roles; at most %d (a role name pattern such as \"arn:aws:iam::*:role/BreakGlass*\" covers several)", n, maxBreakGlassRoles)
	}
	eachUnique(v, roles, p.BreakGlassRoles, "", identity, func(at string, arn string) {
		if len(arn) > maxBreakGlassArnLength {
			v.invalid(at, arn, "at most %d characters", maxBreakGlassArnLength)
		} else if !preventionRoleArn.MatchString(arn) {
			v.invalid(at, arn, "must be an IAM role ARN, e.g. \"arn:aws:iam::*:role/BreakGlass\" (the account may be \"*\", the name may end in \"*\")")
		}
	})
	if rd := p.RegionDeny; rd.Enabled {
		allowed := fieldPath(path, "regionDeny.allowedRegions")
		eachUnique(v, allowed, rd.AllowedRegions, "", identity, func(at string, r string) {
			if _, known := regionPartition(r); !known {
				v.unknownRegion(at, r)
			}
		})
		if !slices.Contains(rd.AllowedRegions, c.HomeRegion) {
			v.invalid(allowed, omitValue, "leaves out the home region %q: the region deny would lock the baseline out of its own home region; add it", c.HomeRegion)
		}
		for _, r := range c.Regions {
			if r != c.HomeRegion && !slices.Contains(rd.AllowedRegions, r) {
				v.invalid(allowed, omitValue, "leaves out the governed region %q: the region deny would refuse the member baseline there; add it or stop governing it", r)
			}
		}
	}
	exceptions := fieldPath(path, "resourcePerimeter.exceptionAccounts")
	if n := len(p.ResourcePerimeter.ExceptionAccounts); n > maxExceptionAccounts {
		v.tooMany(exceptions, "%d accounts; at most %d fit the resource control policy", n, maxExceptionAccounts)
	}
	eachUnique(v, exceptions, p.ResourcePerimeter.ExceptionAccounts, "", identity, func(at string, id string) {
		if !accountIDPattern.MatchString(id) {
			v.invalid(at, id, "must be an AWS account ID (12 digits, quoted)")
		}
	})
	for _, k := range []struct {
		name string
		c    *AlternateContact
	}{{"security", p.AlternateContacts.Security}, {"operations", p.AlternateContacts.Operations}, {"billing", p.AlternateContacts.Billing}} {
		if k.c != nil {
			k.c.validate(v, fieldPath(path, "alternateContacts."+k.name))
		}
	}
}

package config

import (
	"regexp"
	"slices"

	"github.com/mamori-dev/mamori/internal/catalog"
)

// orgIDPattern is the form of an organization ID.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
var orgIDPattern = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)

// This file holds what organization mode adds to the configuration: the
// StackSet deployment preferences of the member baseline, the opt-in regions
// the organization has enabled, and the checks that only apply to an
// organization.

// RegionConcurrency is how a StackSet operation moves through regions.
type RegionConcurrency string

// Values lists the region concurrency types CloudFormation StackSets accept.
func (RegionConcurrency) Values() []string { return []string{"PARALLEL", "SEQUENTIAL"} }

// StackSetDeployment sets how CloudFormation StackSets roll the member
// baseline out to the accounts of the target OUs when the StackSet changes
// (its operation preferences). They do not apply to automatic deployment into
// accounts that join later, which StackSets deploy one account at a time.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html
type StackSetDeployment struct {
	// MaxConcurrentPercentage is the share of accounts, per region, deployed
	// at once (1 to 100). Set it or MaxConcurrentCount, not both.
	// Default: 25 unless MaxConcurrentCount is set.
	MaxConcurrentPercentage int `yaml:"maxConcurrentPercentage" json:"maxConcurrentPercentage,omitempty" jsonschema:"minimum=0,maximum=100"`
	// MaxConcurrentCount is the number of accounts, per region, deployed at
	// once; with FailureToleranceCount it may be at most one more than that.
	// Default: 0: MaxConcurrentPercentage decides.
	MaxConcurrentCount int `yaml:"maxConcurrentCount" json:"maxConcurrentCount,omitempty" jsonschema:"minimum=0"`
	// FailureTolerancePercentage is the share of accounts, per region, that
	// may fail before CloudFormation stops the operation in that region and
	// the regions after it (0 to 100). Set it or FailureToleranceCount, not
	// both. Default: 10 unless FailureToleranceCount is set.
	FailureTolerancePercentage int `yaml:"failureTolerancePercentage" json:"failureTolerancePercentage,omitempty" jsonschema:"minimum=0,maximum=100"`
	// FailureToleranceCount is the number of accounts, per region, that may
	// fail before CloudFormation stops. Default: 0: FailureTolerancePercentage decides.
	FailureToleranceCount int `yaml:"failureToleranceCount" json:"failureToleranceCount,omitempty" jsonschema:"minimum=0"`
	// RegionConcurrency deploys the regions one after another (SEQUENTIAL)
	// or at the same time (PARALLEL). Default: PARALLEL.
	RegionConcurrency RegionConcurrency `yaml:"regionConcurrency" json:"regionConcurrency,omitempty"`
	// RegionOrder is the order of governed regions for SEQUENTIAL
	// deployments. Default: the home region, then the other governed
	// regions in the order of regions.
	RegionOrder []string `yaml:"regionOrder" json:"regionOrder,omitempty"`
}

// optInRegions are the regions AWS creates disabled: an account must opt in
// to each before anything can be deployed there. Every region launched after
// 20 March 2019 is one.
// https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
var optInRegions = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
	"ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1",
	"me-central-1", "me-south-1", "me-west-1", "mx-central-1",
}

// OptInRegion reports whether AWS creates region disabled in new accounts.
func OptInRegion(region string) bool { return slices.Contains(optInRegions, region) }

// organizationDerived fills the deployment preferences the file left out:
// a percentage unless the file chose a count, and a region order that starts
// in the home region.
func organizationDerived(c *Config, set map[string]bool) {
	o := c.Topology.Organization
	if o == nil {
		return
	}
	const p = "topology.organization.deployment."
	d := &o.Deployment
	if !set[p+"maxConcurrentPercentage"] && !set[p+"maxConcurrentCount"] {
		d.MaxConcurrentPercentage = 25
	}
	if !set[p+"failureTolerancePercentage"] && !set[p+"failureToleranceCount"] {
		d.FailureTolerancePercentage = 10
	}
	if d.RegionConcurrency == "" {
		d.RegionConcurrency = "PARALLEL"
	}
	if !set[p+"regionOrder"] {
		d.RegionOrder = []string{c.HomeRegion}
		for _, r := range c.Regions {
			if r != c.HomeRegion {
				d.RegionOrder = append(d.RegionOrder, r)
			}
		}
	}
}

// validateOrganizationMode checks what organization mode asks of the rest of
// the file: governed regions the organization has enabled, and the features
// that have no organization-wide form yet.
func (c *Config) validateOrganizationMode(v *validator) {
	o := c.Topology.Organization
	if c.Topology.Mode != ModeOrganization || o == nil {
		return
	}
	const path = "topology.organization"
	if !orgIDPattern.MatchString(o.OrganizationID) {
		if o.OrganizationID == "" {
			v.required(fieldPath(path, "organizationId"), "the organization ID (o- and 10 to 32 lower-case letters or digits), shown by `aws organizations describe-organization`")
		} else {
			v.invalid(fieldPath(path, "organizationId"), o.OrganizationID, "must be o- and 10 to 32 lower-case letters or digits")
		}
	}
	eachUnique(v, fieldPath(path, "enabledOptInRegions"), o.EnabledOptInRegions, "", identity, func(p string, r string) {
		if _, known := regionPartition(r); known && !OptInRegion(r) {
			v.invalid(p, r, "not an opt-in region: it is enabled in every account already; list only opt-in regions (%s)", quoteList(optInRegions))
		} else if !known {
			v.unknownRegion(p, r)
		}
	})
	for i, r := range c.Regions {
		if OptInRegion(r) && !slices.Contains(o.EnabledOptInRegions, r) {
			v.invalid(indexPath("regions", i), r, "an opt-in region that is not enabled in the organization: enable it for every member account, then list it under %s.enabledOptInRegions", path)
		}
	}
	if OptInRegion(c.HomeRegion) && !slices.Contains(o.EnabledOptInRegions, c.HomeRegion) {
		v.invalid("homeRegion", c.HomeRegion, "an opt-in region that is not enabled in the organization: enable it for every member account, then list it under %s.enabledOptInRegions", path)
	}

	d := o.Deployment
	dp := fieldPath(path, "deployment")
	checkEnum(v, fieldPath(dp, "regionConcurrency"), d.RegionConcurrency)
	if d.MaxConcurrentPercentage > 0 && d.MaxConcurrentCount > 0 {
		v.forbidden(fieldPath(dp, "maxConcurrentCount"), "set maxConcurrentPercentage or maxConcurrentCount, not both")
	}
	if d.FailureTolerancePercentage > 0 && d.FailureToleranceCount > 0 {
		v.forbidden(fieldPath(dp, "failureToleranceCount"), "set failureTolerancePercentage or failureToleranceCount, not both")
	}
	if d.MaxConcurrentPercentage == 0 && d.MaxConcurrentCount == 0 {
		v.required(fieldPath(dp, "maxConcurrentPercentage"), "1 to 100, or a maxConcurrentCount of at least 1")
	}
	v.intRange(fieldPath(dp, "maxConcurrentPercentage"), d.MaxConcurrentPercentage, 0, 100)
	v.intRange(fieldPath(dp, "failureTolerancePercentage"), d.FailureTolerancePercentage, 0, 100)
	v.intRange(fieldPath(dp, "maxConcurrentCount"), d.MaxConcurrentCount, 0, 1<<30)
	v.intRange(fieldPath(dp, "failureToleranceCount"), d.FailureToleranceCount, 0, 1<<30)
	// StackSets: "MaxConcurrentCount is at most one more than the FailureToleranceCount."
	if d.MaxConcurrentCount > 0 && d.FailureTolerancePercentage == 0 && d.MaxConcurrentCount > d.FailureToleranceCount+1 {
		v.invalid(fieldPath(dp, "maxConcurrentCount"), d.MaxConcurrentCount, "StackSets allow at most failureToleranceCount + 1 (%d)", d.FailureToleranceCount+1)
	}
	order := fieldPath(dp, "regionOrder")
	eachUnique(v, order, d.RegionOrder, "", identity, func(p string, r string) {
		if !slices.Contains(c.Regions, r) {
			v.invalid(p, r, "not a governed region; regionOrder lists governed regions only")
		}
	})

	// Features whose organization-wide form has not landed: say so rather
	// than deploy them into one account silently.
	if len(c.DataProtection.Secrets) > 0 {
		v.forbidden("dataProtection.secrets", "not supported in organization mode yet: secrets belong to workload accounts; create them there in standalone mode")
	}
	if c.DataProtection.CloudHSM.Enabled {
		v.forbidden("dataProtection.cloudHsm.enabled", "not supported in organization mode yet: deploy the cluster with a standalone configuration in the account that uses it")
	}
	if len(c.DataProtection.Keys.ApplicationKeys) > 0 {
		v.forbidden("dataProtection.keys.applicationKeys", "not supported in organization mode yet: application keys belong to workload accounts; create them there in standalone mode")
	}
	if len(c.Detection.GuardDuty.MalwareProtectionS3) > 0 {
		v.forbidden("detection.guardDuty.malwareProtectionS3", "not supported in organization mode yet: the buckets live in member accounts")
	}
}

// sameAccountReason names the service that refuses a pair of equal accounts.
func sameAccountReason(first, second string) string {
	if first == "managementAccountId" && second == "securityToolingAccountId" {
		// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-v2-set-da.html
		return "; Security Hub (the current version, not CSPM) refuses the management account as its delegated administrator, and AWS advises against it for Security Hub CSPM and the other security services"
	}
	return ""
}

// PartitionRegions lists the known regions of one partition ("aws" for the
// commercial regions), sorted.
func PartitionRegions(partition string) []string {
	var out []string
	for _, r := range catalog.Regions {
		if r.Partition == partition {
			out = append(out, r.Name)
		}
	}
	return out
}

// OrganizationServicePrincipals are the services an organization-mode
// deploy gives trusted access (organizations:EnableAWSServiceAccess from the
// management account), in a fixed order: the organization stacks enable
// exactly these, and preflight checks exactly these. Each is there because
// the config turns on something that works organization-wide through it:
//   - securityhub, guardduty, macie, inspector2, detective, config,
//     access-analyzer: the security-tooling account administers the service
//     for the organization as its delegated administrator (organization
//     settings, the Config aggregator, organization-zone analyzers);
//   - fms: Firewall Manager's policies carry WAF, Network Firewall and
//     Shield to the members (organization mode with firewallManager on);
//   - cloudtrail: the organization trail, with the security-tooling account
//     as its delegated administrator;
//   - auditmanager: Audit Manager with the security-tooling account as its
//     delegated administrator;
//   - iam: centralized root access (prevention.rootAccess);
//     https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-iam.html
//   - account: the alternate contacts of the other accounts
//     (prevention.alternateContacts).
//     https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html
//
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html
// Nil outside organization mode, where nothing needs trusted access.
func (c *Config) OrganizationServicePrincipals() []string {
	if c.Topology.Mode != ModeOrganization {
		return nil
	}
	d := c.Detection
	p := c.Prevention
	contacts := p.AlternateContacts
	var out []string
	add := func(on bool, principal string) {
		if on {
			out = append(out, principal)
		}
	}
	add(d.SecurityHub.Enabled, "securityhub.amazonaws.com")
	add(d.GuardDuty.Enabled, "guardduty.amazonaws.com")
	add(c.DataProtection.Macie.Enabled, "macie.amazonaws.com")
	add(d.Inspector.Enabled, "inspector2.amazonaws.com")
	add(d.Config.Enabled, "config.amazonaws.com")
	add(d.AccessAnalyzer.ExternalAccess || d.AccessAnalyzer.UnusedAccess.Enabled, "access-analyzer.amazonaws.com")
	add(c.Response.Detective.Enabled, "detective.amazonaws.com")
	add(c.InfrastructureProtection.FirewallManager.Enabled, "fms.amazonaws.com")
	add(c.Compliance.Trail.Enabled, "cloudtrail.amazonaws.com")
	add(c.Compliance.AuditManager.Enabled, "auditmanager.amazonaws.com")
	add(p.Enabled && p.RootAccess, "iam.amazonaws.com")
	add(p.Enabled && (contacts.Security != nil || contacts.Operations != nil || contacts.Billing != nil), "account.amazonaws.com")
	return out
}

// trustedAccessOnly are the principals of OrganizationServicePrincipals that
// get trusted access but no delegated administrator: the management account
// itself manages root access and the alternate contacts.
var trustedAccessOnly = []string{"iam.amazonaws.com", "account.amazonaws.com"}

// DelegatedAdministratorPrincipals are the principals of
// OrganizationServicePrincipals for which a deploy makes the security-tooling
// account the delegated administrator, so that no other account may already
// be it.
func (c *Config) DelegatedAdministratorPrincipals() []string {
	return slices.DeleteFunc(c.OrganizationServicePrincipals(), func(p string) bool { return slices.Contains(trustedAccessOnly, p) })
}

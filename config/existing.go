package config

import "regexp"

// This file holds what mamori does when a governed account already has a
// singleton it would create: a Security Hub hub, a GuardDuty detector, an
// AWS Config recorder and delivery channel, an account-zone external-access
// analyzer, a Macie session or a Detective behavior graph. Each service
// allows one per account and region, so a plain deploy fails half-way on it.
// `make preflight` finds them; docs/preflight.md explains the choice.

// Existing is what mamori does with a singleton that already exists.
type Existing string

const (
	// ExistingFail deploys as if the account were clean: CloudFormation stops
	// on the existing resource, and `make preflight` reports it before that.
	ExistingFail Existing = "fail"
	// ExistingAdopt takes the existing resource over without recreating it:
	// `make adopt` imports it into mamori's stack (CloudFormation resource
	// import), after which the stack converges its settings on the config.
	ExistingAdopt Existing = "adopt"
	// ExistingLeave keeps the existing resource out of mamori's stacks: mamori
	// creates neither it nor the settings that live on it, and configures the
	// rest of the layer around it.
	ExistingLeave Existing = "leave"
)

// Values lists the allowed choices.
func (Existing) Values() []string {
	return []string{string(ExistingFail), string(ExistingAdopt), string(ExistingLeave)}
}

// existingDefaults sets every existing: to fail, the choice that changes
// nothing in an account mamori did not check.
func existingDefaults(c *Config) {
	c.Detection.SecurityHub.Existing = ExistingFail
	c.Detection.GuardDuty.Existing = ExistingFail
	c.Detection.Config.Existing = ExistingFail
	c.Detection.AccessAnalyzer.Existing = ExistingFail
	c.DataProtection.Macie.Existing = ExistingFail
	c.Response.Detective.Existing = ExistingFail
}

// rolePattern is the form of an IAM role name.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
var rolePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// validateExisting checks every existing: choice.
func (c *Config) validateExisting(v *validator) {
	checkEnum(v, "detection.securityHub.existing", c.Detection.SecurityHub.Existing)
	checkEnum(v, "detection.guardDuty.existing", c.Detection.GuardDuty.Existing)
	checkEnum(v, "detection.config.existing", c.Detection.Config.Existing)
	checkEnum(v, "detection.accessAnalyzer.existing", c.Detection.AccessAnalyzer.Existing)
	checkEnum(v, "dataProtection.macie.existing", c.DataProtection.Macie.Existing)
	checkEnum(v, "response.detective.existing", c.Response.Detective.Existing)
	// mamori's recorder and delivery channel refer to the role and bucket
	// their stack creates. An import change set holds only the resources it
	// imports, so into a stack that does not exist yet those references
	// cannot resolve; and a stack deployed without the recorder first would
	// have to create it, which is what fails.
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html
	if o := c.Topology.Organization; o != nil && o.PreflightRoleName != "" && !rolePattern.MatchString(o.PreflightRoleName) {
		v.invalid("topology.organization.preflightRoleName", o.PreflightRoleName, "an IAM role name: 1 to 64 letters, digits and +=,.@_-")
	}
	if c.Topology.Mode == ModeOrganization {
		// The organization settings configure every account through the
		// security-tooling account's own detector and behavior graph.
		if c.Detection.GuardDuty.Existing == ExistingLeave {
			v.notSupported("detection.guardDuty.existing", string(ExistingLeave), "in organization mode, the organization's GuardDuty settings need the security-tooling account's detector in mamori's stack; set adopt or fail")
		}
		if c.Response.Detective.Existing == ExistingLeave {
			v.notSupported("response.detective.existing", string(ExistingLeave), "in organization mode, the organization behavior graph is the security-tooling account's graph in mamori's stack; set adopt or fail")
		}
	}
	if c.Detection.Config.Existing == ExistingAdopt {
		v.notSupported("detection.config.existing", string(ExistingAdopt), "mamori cannot import an existing AWS Config recorder and delivery channel; "+
			"set leave to record with the existing one (as Control Tower accounts do), or fail")
	}
}

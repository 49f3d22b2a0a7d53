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
	// AWS Config's recorder and delivery channel are not imported: a handler
	// in the detection stack updates them in place (update-only), with the
	// same effect, during the normal deploy.
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
	if c.Detection.Config.Enabled && c.Detection.Config.Existing == ExistingAdopt {
		// adopt updates the recorder in place rather than importing it:
		// mamori's recorder and delivery channel refer to the role and bucket
		// their stack creates, and an import change set holds only the
		// resources it imports, so into a stack that does not exist yet those
		// references cannot resolve.
		// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html
		//
		// Control Tower enrolls a recorder of its own in every account it
		// governs (the security-tooling account among them), and its mandatory
		// control AWS-GR_CONFIG_CHANGE_PROHIBITED denies changes to it.
		// https://docs.aws.amazon.com/controltower/latest/controlreference/cannot-change-with-gr-api.html
		if o := c.Topology.Organization; c.Topology.Mode == ModeOrganization && o != nil && o.ControlTower {
			v.notSupported("detection.config.existing", string(ExistingAdopt), "with topology.organization.controlTower: true, Control Tower manages the recorder; set leave")
		}
		// The adopted recorder keeps running when mamori's stacks are
		// deleted, delivering to mamori's bucket with mamori's key.
		if c.DestroyOnDelete {
			v.notSupported("detection.config.existing", string(ExistingAdopt), "with destroyOnDelete: true, deleting the stacks would delete the bucket and key the adopted recorder keeps delivering to; "+
				"set leave, or destroyOnDelete: false")
		}
	}
}

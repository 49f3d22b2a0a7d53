package config

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Framework is a compliance framework the compliance layer maps evidence to:
// an AWS Audit Manager assessment and an AWS Config conformance pack each.
// The names are those of the Security Hub standards (detection.securityHub.standards).
type Framework string

// frameworkIDPattern is an Audit Manager framework ID.
var frameworkIDPattern = regexp.MustCompile(`^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`)

const (
	// FrameworkFSBP is AWS Foundational Security Best Practices.
	FrameworkFSBP Framework = "aws-foundational-security-best-practices"
	// FrameworkCIS is the CIS AWS Foundations Benchmark.
	FrameworkCIS Framework = "cis-aws-foundations-benchmark"
	// FrameworkPCIDSS is PCI DSS v4.0.
	FrameworkPCIDSS Framework = "pci-dss"
	// FrameworkNIST80053 is NIST SP 800-53 Rev. 5.
	FrameworkNIST80053 Framework = "nist-800-53"
)

// Values lists the allowed frameworks.
func (Framework) Values() []string {
	return []string{string(FrameworkFSBP), string(FrameworkCIS), string(FrameworkPCIDSS), string(FrameworkNIST80053)}
}

// ObjectLockMode is the S3 Object Lock mode of the evidence buckets.
type ObjectLockMode string

// Values lists the S3 Object Lock retention modes.
func (ObjectLockMode) Values() []string { return []string{"GOVERNANCE", "COMPLIANCE"} }

// Compliance configures the compliance layer: the CloudTrail trail and its
// evidence bucket, AWS Audit Manager, the auditor role, AWS Config
// conformance packs and the IAM password policy. Evidence is kept for
// logs.retentionDays, locked against deletion for that whole period.
type Compliance struct {
	// Frameworks are the compliance frameworks evidence is mapped to: one
	// Audit Manager assessment and one conformance pack each. Default: the
	// standards of detection.securityHub.standards.
	Frameworks []Framework `yaml:"frameworks" json:"frameworks,omitempty"`
	// Trail configures the CloudTrail trail that records every governed region.
	Trail Trail `yaml:"trail" json:"trail,omitempty"`
	// AuditManager configures AWS Audit Manager in the home region.
	AuditManager AuditManager `yaml:"auditManager" json:"auditManager,omitempty"`
	// Auditor configures the read-only role auditors assume.
	Auditor Auditor `yaml:"auditor" json:"auditor,omitempty"`
	// ConformancePacks configures AWS Config conformance packs.
	ConformancePacks ConformancePacks `yaml:"conformancePacks" json:"conformancePacks,omitempty"`
	// PasswordPolicy configures the account's IAM password policy.
	PasswordPolicy PasswordPolicy `yaml:"passwordPolicy" json:"passwordPolicy,omitempty"`
}

// Trail configures the account's CloudTrail trail.
type Trail struct {
	// Enabled creates a multi-region trail in the home region with log file
	// validation, KMS encryption, a CloudWatch Logs group and an Object-Locked
	// bucket. In organization mode it is one organization trail instead,
	// created in the management account and delivering every account's
	// events to the log-archive account. Management events are free for the
	// first copy; CloudWatch Logs bills ingestion per GB. Default: true.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// ObjectLockMode locks every log file for logs.retentionDays: GOVERNANCE
	// (principals allowed s3:BypassGovernanceRetention can still delete) or
	// COMPLIANCE (nobody can, not even the root user, until the period ends).
	// Default: GOVERNANCE in sandbox, COMPLIANCE in production.
	ObjectLockMode ObjectLockMode `yaml:"objectLockMode" json:"objectLockMode,omitempty"`
	// S3DataEvents records object-level S3 API calls in every bucket (billed
	// per 100,000 events). Default: false.
	S3DataEvents bool `yaml:"s3DataEvents" json:"s3DataEvents,omitempty"`
	// LambdaDataEvents records every Lambda function invocation (billed per
	// 100,000 events). Default: false.
	LambdaDataEvents bool `yaml:"lambdaDataEvents" json:"lambdaDataEvents,omitempty"`
	// CISAlarms creates the CIS AWS Foundations Benchmark metric filters on the
	// trail's log group and an alarm for each, sent to the alerts topic
	// (about $0.10 a month per alarm). Default: true.
	CISAlarms bool `yaml:"cisAlarms" json:"cisAlarms,omitempty"`
}

// AuditManager configures AWS Audit Manager. AWS closed Audit Manager to new
// customers on 30 April 2026: only accounts that used it before can register
// (https://docs.aws.amazon.com/audit-manager/latest/userguide/audit-manager-availability-change.html).
type AuditManager struct {
	// Enabled registers the account with Audit Manager (home region), sets its
	// KMS key, report destination and process owners, and creates one
	// assessment per framework. In organization mode the management account
	// first designates the security-tooling account as Audit Manager's
	// delegated administrator (home region), and each assessment covers it
	// and every account of the target OUs, listed at deploy time. Billed per
	// resource assessment. Default: false.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// ProcessOwners are the IAM roles (ARNs) that own the assessments; at
	// least one when enabled. Default: none.
	ProcessOwners []string `yaml:"processOwners" json:"processOwners,omitempty"`
	// FrameworkIDs pins the Audit Manager framework ID of a framework, e.g.
	// {pci-dss: 0123abcd-...}. A framework without one is found at deploy
	// time by its exact name in Audit Manager's standard framework library,
	// and the deploy fails if the name matches no framework or several; to
	// pin instead, read the IDs with `aws auditmanager
	// list-assessment-frameworks --framework-type Standard`. Default: none.
	FrameworkIDs map[Framework]string `yaml:"frameworkIds" json:"frameworkIds,omitempty"`
}

// Auditor configures the auditor role.
type Auditor struct {
	// Principals may assume the read-only auditor role, with MFA only: IAM
	// user or role ARNs, or account root ARNs (arn:aws:iam::<account>:root)
	// for an auditing account. Default: none, and no role.
	Principals []string `yaml:"principals" json:"principals,omitempty"`
}

// ConformancePacks configures AWS Config conformance packs.
type ConformancePacks struct {
	// Enabled deploys one conformance pack per framework in every governed
	// region (account-wide IAM rules in the home region only), built from
	// mamori's own list of AWS managed rules. Needs AWS Config recording;
	// billed per rule evaluation. Default: false in sandbox, true in production.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
}

// PasswordPolicy is the account's IAM password policy.
type PasswordPolicy struct {
	// Enabled sets the policy (from the home region; IAM is global); in
	// organization mode in every account: members through the member
	// baseline. It is never removed on stack delete. Default: true.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// MinimumLength is 6 to 128; CIS AWS Foundations asks for 14 or more.
	// Default: 14.
	MinimumLength int `yaml:"minimumLength" json:"minimumLength,omitempty" jsonschema:"minimum=6,maximum=128"`
	// RequireUppercase demands an upper-case letter. Default: true.
	RequireUppercase bool `yaml:"requireUppercase" json:"requireUppercase,omitempty"`
	// RequireLowercase demands a lower-case letter. Default: true.
	RequireLowercase bool `yaml:"requireLowercase" json:"requireLowercase,omitempty"`
	// RequireNumbers demands a digit. Default: true.
	RequireNumbers bool `yaml:"requireNumbers" json:"requireNumbers,omitempty"`
	// RequireSymbols demands a symbol. Default: true.
	RequireSymbols bool `yaml:"requireSymbols" json:"requireSymbols,omitempty"`
	// ReusePrevention is how many previous passwords cannot be reused, 1 to
	// 24; CIS AWS Foundations asks for 24. Default: 24.
	ReusePrevention int `yaml:"reusePrevention" json:"reusePrevention,omitempty" jsonschema:"minimum=1,maximum=24"`
	// MaxAgeDays expires passwords after this many days (1 to 1095), or 0 for
	// never. PCI DSS v4.0 8.3.9 asks for 90 where a password is the only
	// factor, and AWS Config's IAM_PASSWORD_POLICY rule checks 90. Default: 90.
	MaxAgeDays int `yaml:"maxAgeDays" json:"maxAgeDays,omitempty" jsonschema:"minimum=0,maximum=1095"`
	// HardExpiry stops users whose password expired from setting a new one
	// themselves: an administrator must reset it. Default: false.
	HardExpiry bool `yaml:"hardExpiry" json:"hardExpiry,omitempty"`
}

// complianceDefaults sets the compliance layer's defaults for a profile.
func complianceDefaults(c *Config, prod bool) {
	mode := ObjectLockMode("GOVERNANCE")
	if prod {
		mode = "COMPLIANCE"
	}
	c.Compliance = Compliance{
		Trail:            Trail{Enabled: true, ObjectLockMode: mode, CISAlarms: true},
		ConformancePacks: ConformancePacks{Enabled: prod},
		PasswordPolicy: PasswordPolicy{
			Enabled: true, MinimumLength: 14, ReusePrevention: 24, MaxAgeDays: 90,
			RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
		},
	}
}

// complianceDerived maps evidence to the Security Hub standards the file
// chose, unless it names the frameworks itself.
func complianceDerived(c *Config, set map[string]bool) {
	if !set["compliance.frameworks"] {
		c.Compliance.Frameworks = nil
		for _, s := range c.Detection.SecurityHub.Standards {
			// An unknown standard is reported once, where the file wrote it.
			if f := Framework(s); slices.Contains(f.Values(), string(f)) {
				c.Compliance.Frameworks = append(c.Compliance.Frameworks, f)
			}
		}
	}
}

// minimumLogRetentionDays is how long a framework requires audit logs to be
// kept, where it says so.
var minimumLogRetentionDays = map[Framework]struct {
	days   int
	source string
}{
	// "Retain audit log history for at least 12 months, with at least the
	// most recent three months immediately available for analysis."
	FrameworkPCIDSS: {365, "PCI DSS v4.0 Requirement 10.5.1 (audit log history for at least 12 months, the most recent three months immediately available)"},
}

// auditorArnPattern matches the principals an auditor role trusts: IAM users
// and roles, and whole accounts through their root ARN.
var auditorArnPattern = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|(role|user)/[\w+=,.@/-]{1,512})$`)

// roleArnPattern matches IAM role ARNs, which Audit Manager's process owners are.
var roleArnPattern = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$`)

// validateCompliance checks the compliance section.
func (c *Config) validateCompliance(v *validator) {
	cp := c.Compliance
	const path = "compliance"
	frameworks := fieldPath(path, "frameworks")
	checkEnumList(v, frameworks, cp.Frameworks)
	checkEnum(v, fieldPath(path, "trail.objectLockMode"), cp.Trail.ObjectLockMode)
	// The trail is named <prefix>-trail; CloudTrail refuses adjacent hyphens.
	if cp.Trail.Enabled && strings.Contains(c.Prefix, "--") {
		v.invalid("prefix", c.Prefix, "the CloudTrail trail is named <prefix>-trail and CloudTrail refuses two hyphens in a row")
	}

	// Evidence must outlive what the frameworks ask for; production only, a
	// sandbox proves nothing to an auditor.
	if c.Profile == ProfileProduction {
		for _, f := range cp.Frameworks {
			m, ok := minimumLogRetentionDays[f]
			if !ok {
				continue
			}
			if c.Logs.RetentionDays < m.days {
				v.invalid("logs.retentionDays", c.Logs.RetentionDays, "compliance.frameworks names %q, which needs at least %d days in production: %s", f, m.days, m.source)
			}
			if g := c.Logs.TransitionToGlacierDays; f == FrameworkPCIDSS && g > 0 && g < 90 {
				v.invalid("logs.transitionToGlacierDays", g, "compliance.frameworks names %q, whose most recent three months of audit logs must stay immediately available; use 90 or more, or 0", f)
			}
		}
	}

	owners := fieldPath(path, "auditManager.processOwners")
	eachUnique(v, owners, cp.AuditManager.ProcessOwners, "", identity, func(p string, arn string) {
		if !roleArnPattern.MatchString(arn) {
			v.invalid(p, arn, "must be an IAM role ARN, e.g. \"arn:aws:iam::111122223333:role/ComplianceOwners\"")
		}
	})
	for _, f := range slices.Sorted(maps.Keys(cp.AuditManager.FrameworkIDs)) {
		at := fieldPath(path, "auditManager.frameworkIds") + "." + string(f)
		switch {
		case !slices.Contains(cp.Frameworks, f):
			names := make([]string, len(cp.Frameworks))
			for i, c := range cp.Frameworks {
				names[i] = string(c)
			}
			v.forbidden(at, "%q is not one of compliance.frameworks (%s)", f, strings.Join(names, ", "))
		case !frameworkIDPattern.MatchString(cp.AuditManager.FrameworkIDs[f]):
			v.invalid(at, cp.AuditManager.FrameworkIDs[f], "must be an Audit Manager framework ID (a UUID such as 01234567-89ab-cdef-0123-456789abcdef)")
		}
	}
	if cp.AuditManager.Enabled && len(cp.Frameworks) > 0 && len(cp.AuditManager.ProcessOwners) == 0 {
		v.required(owners, "an Audit Manager assessment needs at least one process owner role")
	}

	principals := fieldPath(path, "auditor.principals")
	eachUnique(v, principals, cp.Auditor.Principals, "", identity, func(p string, arn string) {
		if !auditorArnPattern.MatchString(arn) {
			v.invalid(p, arn, "must be an IAM user, role or account root ARN, e.g. \"arn:aws:iam::111122223333:role/ExternalAuditor\" or \"arn:aws:iam::444455556666:root\"")
		}
	})

	if cp.ConformancePacks.Enabled && !c.Detection.Config.Enabled && len(cp.Frameworks) > 0 {
		v.forbidden(fieldPath(path, "conformancePacks.enabled"), "conformance packs are AWS Config rules and need AWS Config recording; "+
			"keep detection.config.enabled: true, or set compliance.conformancePacks.enabled: false")
	}

	pp, ppath := cp.PasswordPolicy, fieldPath(path, "passwordPolicy")
	v.intRange(fieldPath(ppath, "minimumLength"), pp.MinimumLength, 6, 128)
	v.intRange(fieldPath(ppath, "reusePrevention"), pp.ReusePrevention, 1, 24)
	if pp.MaxAgeDays != 0 {
		v.intRange(fieldPath(ppath, "maxAgeDays"), pp.MaxAgeDays, 1, 1095)
	}
}

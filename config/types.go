// Package config defines mamori's one YAML configuration file: its typed
// schema, the per-profile defaults, strict loading and validation.
//
// Data flows one way: YAML -> Config -> each stack receives only its slice.
// Nothing outside this package parses YAML, and constructs never import it.
package config

// Profile selects the defaults a configuration starts from.
type Profile string

const (
	// ProfileSandbox is cheap and safe to try in a personal account: usage-priced
	// services on, costly protection plans off, short retention, daily recording.
	ProfileSandbox Profile = "sandbox"
	// ProfileProduction turns everything on: every protection plan, every standard,
	// continuous recording, long retention and termination protection.
	ProfileProduction Profile = "production"
)

// Values lists the allowed profiles.
func (Profile) Values() []string { return []string{string(ProfileSandbox), string(ProfileProduction)} }

// Mode is how the accounts the app governs are laid out.
type Mode string

const (
	// ModeStandalone secures one account: every stack deploys into it.
	ModeStandalone Mode = "standalone"
	// ModeOrganization secures an AWS Organization through delegated
	// administrators in a security-tooling account and a log-archive account.
	ModeOrganization Mode = "organization"
)

// Values lists the allowed topology modes.
func (Mode) Values() []string { return []string{string(ModeStandalone), string(ModeOrganization)} }

// Config is the whole of one mamori configuration file.
type Config struct {
	// Profile picks the defaults that every field not set in the file takes.
	// Default: sandbox.
	Profile Profile `yaml:"profile" json:"profile,omitempty"`
	// Prefix starts every stack name and alias: lower-case letters, digits and
	// hyphens, 2 to 20 characters, starting with a letter. Default: mamori.
	Prefix string `yaml:"prefix" json:"prefix,omitempty" jsonschema:"pattern=^[a-z][a-z0-9-]{1\\,19}$"`
	// HomeRegion holds everything aggregated or global: the Security Hub finding
	// aggregator, global Config resource types and the unused-access analyzer.
	// Default: us-east-1.
	HomeRegion string `yaml:"homeRegion" json:"homeRegion,omitempty"`
	// Regions are the governed regions: every regional service is enabled in
	// each. The home region is always governed. Default: the home region only.
	Regions []string `yaml:"regions" json:"regions,omitempty"`
	// Topology says which accounts the app deploys into.
	Topology Topology `yaml:"topology" json:"topology,omitempty"`
	// Tags are applied to every resource the app creates that supports tags.
	// Keys must not start with "aws:". Default: none beyond mamori's own.
	Tags map[string]string `yaml:"tags" json:"tags,omitempty"`
	// Notifications names who hears about security alerts: the alerts topic in
	// every governed region delivers to them (key alarms today; findings once
	// the response layer routes them).
	Notifications Notifications `yaml:"notifications" json:"notifications,omitempty"`
	// Logs sets how long every log and evidence bucket keeps what it holds.
	Logs Logs `yaml:"logs" json:"logs,omitempty"`
	// DestroyOnDelete lets `cdk destroy` delete keys, buckets, detectors and hubs
	// with the stacks. Default: false: they are retained and must be removed
	// by hand, so that no evidence is ever lost by accident.
	DestroyOnDelete bool `yaml:"destroyOnDelete" json:"destroyOnDelete,omitempty"`

	// InfrastructureProtection configures Firewall Manager, WAF, Shield
	// Advanced and Network Firewall.
	InfrastructureProtection InfrastructureProtection `yaml:"infrastructureProtection" json:"infrastructureProtection,omitempty"`
	// DataProtection configures KMS keys, Secrets Manager, Macie and CloudHSM.
	DataProtection DataProtection `yaml:"dataProtection" json:"dataProtection,omitempty"`
	// Detection configures Security Hub, GuardDuty, Config, IAM Access Analyzer
	// and Inspector.
	Detection Detection `yaml:"detection" json:"detection,omitempty"`
	// Response configures Detective and finding routing.
	Response Response `yaml:"response" json:"response,omitempty"`
	// Compliance configures Audit Manager, Artifact access and audit evidence.
	Compliance Compliance `yaml:"compliance" json:"compliance,omitempty"`
	// Prevention configures the organization policies and account settings
	// that keep the baseline on (organization mode).
	Prevention Prevention `yaml:"prevention" json:"prevention,omitempty"`

	// src records the file and lines a parsed Config came from, for the
	// line numbers of validation errors; nil for a Config built in Go.
	src *source
}

// Topology says which accounts the app deploys into.
type Topology struct {
	// Mode is standalone (one account) or organization. Default: standalone.
	Mode Mode `yaml:"mode" json:"mode,omitempty"`
	// AccountID is the account a standalone deployment targets (12 digits).
	// Default: empty: the account of the credentials `cdk deploy` runs with.
	AccountID string `yaml:"accountId" json:"accountId,omitempty" jsonschema:"pattern=^[0-9]{12}$"`
	// Organization describes the AWS Organization; required in organization
	// mode and not allowed in standalone mode.
	Organization *Organization `yaml:"organization" json:"organization,omitempty"`
}

// Organization names the accounts and organizational units of organization mode.
type Organization struct {
	// OrganizationID is the organization's ID (o-...): bucket and key
	// policies admit its principals and services acting for it
	// (aws:PrincipalOrgID, aws:SourceOrgID).
	OrganizationID string `yaml:"organizationId" json:"organizationId" jsonschema:"pattern=^o-[a-z0-9]{10\\,32}$"`
	// ManagementAccountID is the organization's management account (12 digits).
	ManagementAccountID string `yaml:"managementAccountId" json:"managementAccountId" jsonschema:"pattern=^[0-9]{12}$"`
	// SecurityToolingAccountID is the delegated administrator of every
	// security service (12 digits); it must differ from the management account.
	SecurityToolingAccountID string `yaml:"securityToolingAccountId" json:"securityToolingAccountId" jsonschema:"pattern=^[0-9]{12}$"`
	// LogArchiveAccountID holds the central log and evidence buckets (12 digits).
	LogArchiveAccountID string `yaml:"logArchiveAccountId" json:"logArchiveAccountId" jsonschema:"pattern=^[0-9]{12}$"`
	// TargetOrganizationalUnits are the OUs (ou-...) or the root (r-...) whose
	// accounts, present and future, receive the member baseline. At least one.
	TargetOrganizationalUnits []string `yaml:"targetOrganizationalUnits" json:"targetOrganizationalUnits"`
	// EnabledOptInRegions are the opt-in regions (e.g. af-south-1) that are
	// enabled in every account of the target OUs; an opt-in region may only be
	// governed when it is listed here, because StackSets cannot deploy to an
	// account that has not enabled the region. Default: none.
	EnabledOptInRegions []string `yaml:"enabledOptInRegions" json:"enabledOptInRegions,omitempty"`
	// Deployment sets how StackSets roll the member baseline out.
	Deployment StackSetDeployment `yaml:"deployment" json:"deployment,omitempty"`
	// ControlTower says AWS Control Tower governs the target OUs: it enrolls
	// an AWS Config recorder and delivery channel of its own in every
	// account, and an account holds one of each per region, so the member
	// baseline leaves AWS Config out and relies on Control Tower's (which
	// Firewall Manager and Security Hub then use). Control Tower's
	// organization trail also records every account: set
	// compliance.trail.enabled: false rather than pay for a second copy of
	// management events. Default: false.
	ControlTower bool `yaml:"controlTower" json:"controlTower,omitempty"`
	// PreflightRoleName is the IAM role `make preflight` assumes, from the
	// management account, in the security-tooling, log-archive and member
	// accounts to read what they hold. Default: OrganizationAccountAccessRole,
	// the role AWS Organizations creates in the accounts it creates.
	PreflightRoleName string `yaml:"preflightRoleName" json:"preflightRoleName,omitempty" jsonschema:"pattern=^[\\w+=\\,.@-]{1\\,64}$"`
}

// Notifications names who hears about findings.
type Notifications struct {
	// Emails receive finding notifications. Default: none.
	Emails []string `yaml:"emails" json:"emails,omitempty"`
	// Webhooks are HTTPS endpoints that receive finding notifications.
	// Default: none.
	Webhooks []string `yaml:"webhooks" json:"webhooks,omitempty"`
}

// Logs sets the lifecycle of every log and evidence bucket.
type Logs struct {
	// RetentionDays is how long log objects (and their noncurrent versions)
	// are kept before they expire. Default: 90 in sandbox, 2557 (7 years) in production.
	RetentionDays int `yaml:"retentionDays" json:"retentionDays,omitempty" jsonschema:"minimum=1,maximum=36500"`
	// TransitionToGlacierDays moves log objects to Glacier Flexible Retrieval
	// after this many days; 0 never moves them. Must be below RetentionDays.
	// By S3's default, objects under 128 KB are not transitioned.
	// Default: 0 in sandbox, 365 in production.
	TransitionToGlacierDays int `yaml:"transitionToGlacierDays" json:"transitionToGlacierDays,omitempty" jsonschema:"minimum=0"`
}

// Package config defines mamori's one YAML configuration file: its typed
// schema, the per-profile defaults, strict loading and validation.
//
// Data flows one way: YAML -> Config -> each stack receives only its slice.
// Nothing outside this package parses YAML, and constructs never import it.
package config

import (
	"slices"

	"github.com/mamori-dev/mamori/internal/catalog"
)

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

// DataProtection configures the data-protection layer.
type DataProtection struct {
	// Keys configures the customer managed KMS keys every layer encrypts with.
	Keys Keys `yaml:"keys" json:"keys,omitempty"`
	// AccountGuards are the account-level settings every secure baseline carries.
	AccountGuards AccountGuards `yaml:"accountGuards" json:"accountGuards,omitempty"`
	// Secrets are Secrets Manager secrets, created in the home region and
	// encrypted with alias/<prefix>/secrets. Secrets Manager generates every
	// value: no secret value is ever written in this file or in a template.
	// Default: none.
	Secrets []Secret `yaml:"secrets" json:"secrets,omitempty"`
	// Macie finds sensitive data in S3 and tells Security Hub.
	Macie Macie `yaml:"macie" json:"macie,omitempty"`
	// CloudHSM is an opt-in, single-tenant HSM cluster in the home region.
	CloudHSM CloudHSM `yaml:"cloudHsm" json:"cloudHsm,omitempty"`
}

// HSMType is a CloudHSM hardware generation.
type HSMType string

// Values lists the HSM types CloudHSM offers.
func (HSMType) Values() []string { return []string{"hsm2m.medium", "hsm1.medium"} }

// CloudHSM configures an AWS CloudHSM cluster. It is opt-in because every
// HSM bills for each hour it exists, whether used or not
// (https://aws.amazon.com/cloudhsm/pricing/), and a cluster needs at least two.
type CloudHSM struct {
	// Enabled creates the cluster and its HSMs. Default: false.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// AcknowledgeHourlyCost must be true with Enabled: it records that the
	// hourly cost of every HSM was understood. Default: false.
	AcknowledgeHourlyCost bool `yaml:"acknowledgeHourlyCost" json:"acknowledgeHourlyCost,omitempty"`
	// HSMType is hsm2m.medium (current) or hsm1.medium. Default: hsm2m.medium.
	HSMType HSMType `yaml:"hsmType" json:"hsmType,omitempty"`
	// NonFIPS creates the cluster in non-FIPS mode (hsm2m.medium only); the
	// mode cannot change later. Default: false: FIPS mode.
	NonFIPS bool `yaml:"nonFips" json:"nonFips,omitempty"`
	// HSMCount is how many HSMs the activated cluster runs, at least 2,
	// spread across the subnets' availability zones. Default: 2.
	HSMCount int `yaml:"hsmCount" json:"hsmCount,omitempty" jsonschema:"minimum=2"`
	// Activated says the cluster was initialized and activated by hand (see
	// docs/layers/dataprotection.md): only then are HSMs beyond the first created. A new
	// cluster is always deployed with false first. Default: false.
	Activated bool `yaml:"activated" json:"activated,omitempty"`
	// BackupRetentionDays keeps cluster backups 7 to 379 days. Default: 90.
	BackupRetentionDays int `yaml:"backupRetentionDays" json:"backupRetentionDays,omitempty" jsonschema:"minimum=7,maximum=379"`
	// Subnets are private subnets of one VPC in the home region, one per
	// availability zone, in at least two zones.
	Subnets []HSMSubnet `yaml:"subnets" json:"subnets,omitempty"`
}

// HSMSubnet is one private subnet for the cluster.
type HSMSubnet struct {
	// SubnetID, e.g. "subnet-0123456789abcdef0".
	SubnetID string `yaml:"subnetId" json:"subnetId"`
	// AvailabilityZone of the subnet, e.g. "us-east-1a".
	AvailabilityZone string `yaml:"availabilityZone" json:"availabilityZone"`
}

// Macie configures Amazon Macie in every governed region: sensitive data
// discovery results kept in an encrypted bucket, policy and classification
// findings published to Security Hub.
type Macie struct {
	// Enabled turns Macie on. It bills per S3 bucket it monitors (bucket
	// inventory) and per byte classification jobs inspect. Default: true.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// FindingPublishingFrequency is how often updated findings reach
	// EventBridge and Security Hub. Default: SIX_HOURS in sandbox,
	// FIFTEEN_MINUTES in production.
	FindingPublishingFrequency PublishingFrequency `yaml:"findingPublishingFrequency" json:"findingPublishingFrequency,omitempty"`
	// AutomatedDiscovery samples objects of every bucket continuously; it
	// bills per object monitored. Default: false in sandbox, true in production.
	AutomatedDiscovery bool `yaml:"automatedDiscovery" json:"automatedDiscovery,omitempty"`
	// ClassificationJobs scan chosen buckets on a schedule. Default: none.
	ClassificationJobs []MacieJob `yaml:"classificationJobs" json:"classificationJobs,omitempty"`
	// CustomDataIdentifiers detect data Macie's managed identifiers do not.
	// Default: none.
	CustomDataIdentifiers []MacieCustomDataIdentifier `yaml:"customDataIdentifiers" json:"customDataIdentifiers,omitempty"`
	// AllowLists name text Macie must not report. Default: none.
	AllowLists []MacieAllowList `yaml:"allowLists" json:"allowLists,omitempty"`
	// FindingsFilters suppress (ARCHIVE) or save (NOOP) findings by criteria.
	// Default: none.
	FindingsFilters []MacieFindingsFilter `yaml:"findingsFilters" json:"findingsFilters,omitempty"`
	// Existing says what to do when a Macie session already exists in a governed
	// region: fail (deploy as if there were none: CloudFormation stops on it),
	// adopt (`make adopt` imports it into mamori's stack, which then converges
	// its settings) or leave (mamori creates neither it nor the settings that
	// live on it). `make preflight` reports what exists. Default: fail.
	Existing Existing `yaml:"existing" json:"existing,omitempty"`
	// ExcludeRegions are governed regions, other than the home region, where
	// Macie stays off: a region that does not offer Macie, or one with no
	// data to scan. Default: none.
	ExcludeRegions []string `yaml:"excludeRegions" json:"excludeRegions,omitempty"`
}

// In says whether Macie is on in region.
func (m Macie) In(region string) bool {
	return m.Enabled && !slices.Contains(m.ExcludeRegions, region)
}

// MacieJobSchedule is when a classification job runs.
type MacieJobSchedule string

// Values lists the allowed schedules.
func (MacieJobSchedule) Values() []string { return catalog.MacieJobSchedules }

// MacieManagedIdentifiers chooses Macie's managed data identifiers for a job.
type MacieManagedIdentifiers string

// Values lists the allowed selections.
func (MacieManagedIdentifiers) Values() []string { return catalog.MacieManagedIdentifierSelectors }

// MacieFilterAction is what a findings filter does with matching findings.
type MacieFilterAction string

// Values lists the allowed actions.
func (MacieFilterAction) Values() []string { return catalog.MacieFilterActions }

// MacieJob is one classification job, in one governed region.
type MacieJob struct {
	// Name, 1 to 480 characters, unique among the jobs.
	Name string `yaml:"name" json:"name"`
	// Description says what the job looks for. Default: none.
	Description string `yaml:"description" json:"description,omitempty"`
	// Region is where the job and its buckets are. Default: the home region.
	Region string `yaml:"region" json:"region,omitempty"`
	// BucketNames scans these buckets. Exactly one of BucketNames and BucketTags.
	BucketNames []string `yaml:"bucketNames" json:"bucketNames,omitempty"`
	// BucketTags scans the buckets that carry all these tags ("" matches any value).
	BucketTags map[string]string `yaml:"bucketTags" json:"bucketTags,omitempty"`
	// Schedule is ONE_TIME, DAILY, WEEKLY or MONTHLY. Default: DAILY.
	Schedule MacieJobSchedule `yaml:"schedule" json:"schedule,omitempty"`
	// DayOfWeek runs a WEEKLY job on MONDAY..SUNDAY. Required for WEEKLY only.
	DayOfWeek string `yaml:"dayOfWeek" json:"dayOfWeek,omitempty"`
	// DayOfMonth runs a MONTHLY job on day 1 to 31. Required for MONTHLY only.
	DayOfMonth int `yaml:"dayOfMonth" json:"dayOfMonth,omitempty"`
	// SamplingPercentage of objects to scan, 1 to 100. Default: 100.
	SamplingPercentage int `yaml:"samplingPercentage" json:"samplingPercentage,omitempty"`
	// ManagedIdentifiers is RECOMMENDED or ALL. Default: RECOMMENDED.
	ManagedIdentifiers MacieManagedIdentifiers `yaml:"managedIdentifiers" json:"managedIdentifiers,omitempty"`
}

// MacieCustomDataIdentifier detects one kind of sensitive data by pattern.
type MacieCustomDataIdentifier struct {
	// Name, at most 128 characters, unique.
	Name string `yaml:"name" json:"name"`
	// Description, at most 512 characters. Default: none.
	Description string `yaml:"description" json:"description,omitempty"`
	// Regex the data matches, 1 to 512 characters.
	Regex string `yaml:"regex" json:"regex"`
	// Keywords that must be near a match (at most 50, 3 to 90 characters each).
	// Default: none.
	Keywords []string `yaml:"keywords" json:"keywords,omitempty"`
	// IgnoreWords exclude matches containing them (at most 10, 4 to 90
	// characters each). Default: none.
	IgnoreWords []string `yaml:"ignoreWords" json:"ignoreWords,omitempty"`
	// MaximumMatchDistance between a keyword and a match, 1 to 300 characters.
	// Default: Macie's (50).
	MaximumMatchDistance int `yaml:"maximumMatchDistance" json:"maximumMatchDistance,omitempty"`
}

// MacieAllowList is text Macie must not report, given by a pattern.
type MacieAllowList struct {
	// Name, unique.
	Name string `yaml:"name" json:"name"`
	// Description. Default: none.
	Description string `yaml:"description" json:"description,omitempty"`
	// Regex of the text to ignore, 1 to 512 characters.
	Regex string `yaml:"regex" json:"regex"`
}

// MacieFindingsFilter archives or saves findings that meet its criteria.
type MacieFindingsFilter struct {
	// Name, 3 to 64 characters, unique.
	Name string `yaml:"name" json:"name"`
	// Description. Default: none.
	Description string `yaml:"description" json:"description,omitempty"`
	// Action is NOOP (a saved view) or ARCHIVE (suppress: archived findings
	// reach neither EventBridge nor Security Hub). Default: NOOP.
	Action MacieFilterAction `yaml:"action" json:"action,omitempty"`
	// Criteria map finding fields (e.g. "severity.description") to conditions.
	Criteria map[string]MacieCriterion `yaml:"criteria" json:"criteria"`
}

// MacieCriterion is the condition on one finding field; set at least one.
type MacieCriterion struct {
	Eq  []string `yaml:"eq" json:"eq,omitempty"`
	Neq []string `yaml:"neq" json:"neq,omitempty"`
	Gt  *int64   `yaml:"gt" json:"gt,omitempty"`
	Gte *int64   `yaml:"gte" json:"gte,omitempty"`
	Lt  *int64   `yaml:"lt" json:"lt,omitempty"`
	Lte *int64   `yaml:"lte" json:"lte,omitempty"`
}

// Secret is one Secrets Manager secret.
type Secret struct {
	// Name is the secret's name: 1 to 512 of letters, digits and /_+=.@-.
	Name string `yaml:"name" json:"name"`
	// Description says what the secret is for. Default: none.
	Description string `yaml:"description" json:"description,omitempty"`
	// Username makes the value the JSON object database rotation expects,
	// {"username": ..., "password": <generated>}. Default: none: the value is
	// a generated string.
	Username string `yaml:"username" json:"username,omitempty"`
	// Database is where the credentials connect; managed rotation reads the
	// engine and these fields from the secret. Required with a hostedEngine.
	Database *SecretDatabase `yaml:"database" json:"database,omitempty"`
	// Rotation rotates the value on a schedule. Default: no rotation.
	Rotation SecretRotation `yaml:"rotation" json:"rotation,omitempty"`
	// ReplicaRegions are governed regions (not the home region) the secret is
	// replicated to, encrypted there with the same alias. Default: none.
	ReplicaRegions []string `yaml:"replicaRegions" json:"replicaRegions,omitempty"`
	// Readers are the IAM roles or users (ARNs) that may read the value.
	// Default: none beyond the account's IAM policies; nobody outside the
	// account can, whatever the policies say.
	Readers []string `yaml:"readers" json:"readers,omitempty"`
}

// SecretDatabase is a database endpoint a secret's credentials are for.
type SecretDatabase struct {
	// Host is the endpoint's host name.
	Host string `yaml:"host" json:"host"`
	// Port is the endpoint's port, 1 to 65535.
	Port int `yaml:"port" json:"port" jsonschema:"minimum=1,maximum=65535"`
	// Name is the database name. Default: the engine's default database.
	Name string `yaml:"name" json:"name,omitempty"`
}

// HostedRotationEngine is a database engine Secrets Manager can rotate for.
type HostedRotationEngine string

// Values lists the engines Secrets Manager's managed rotation supports.
func (HostedRotationEngine) Values() []string {
	return []string{"mysql", "postgresql", "oracle", "mariadb", "sqlserver", "redshift", "mongodb"}
}

// SecretRotation rotates a secret: with Secrets Manager's managed rotation
// for a database engine, or with a rotation function of your own.
type SecretRotation struct {
	// Days between rotations, 1 to 1000. Required with an engine or function.
	Days int `yaml:"days" json:"days,omitempty" jsonschema:"minimum=1,maximum=1000"`
	// ManualReason says why the secret cannot rotate automatically (e.g. a
	// third-party API token) and who rotates it; required when neither an
	// engine nor a function is given, and recorded for reviewers.
	ManualReason string `yaml:"manualReason" json:"manualReason,omitempty"`
	// HostedEngine uses Secrets Manager's managed rotation for this engine;
	// it needs a username, and without a VPC it reaches public endpoints only.
	HostedEngine HostedRotationEngine `yaml:"hostedEngine" json:"hostedEngine,omitempty"`
	// FunctionArn is a rotation Lambda function of your own, in the home
	// region. Exclusive with HostedEngine.
	FunctionArn string `yaml:"functionArn" json:"functionArn,omitempty"`
}

// AccountGuards switches the account-level data guards.
type AccountGuards struct {
	// S3BlockPublicAccess turns on all four S3 Block Public Access settings
	// for the whole account (set once, from the home region). Default: true.
	S3BlockPublicAccess bool `yaml:"s3BlockPublicAccess" json:"s3BlockPublicAccess,omitempty"`
	// EBSEncryptionByDefault encrypts every new EBS volume and snapshot copy
	// in each governed region with the data key (alias/<prefix>/data), which
	// every principal of the account may use through EC2 only. Default: true.
	EBSEncryptionByDefault bool `yaml:"ebsEncryptionByDefault" json:"ebsEncryptionByDefault,omitempty"`
	// EBSSnapshotBlockPublicAccess blocks every public share of EBS snapshots
	// in each governed region (block-all-sharing: snapshots already shared
	// publicly are treated as private too). Default: true.
	EBSSnapshotBlockPublicAccess bool `yaml:"ebsSnapshotBlockPublicAccess" json:"ebsSnapshotBlockPublicAccess,omitempty"`
	// AMIBlockPublicAccess blocks new public sharing of AMIs in each governed
	// region (AMIs that are public already stay public). Default: true.
	AMIBlockPublicAccess bool `yaml:"amiBlockPublicAccess" json:"amiBlockPublicAccess,omitempty"`
	// RequireIMDSv2 makes IMDSv2 the account's instance metadata default in
	// each governed region: instances launched without their own metadata
	// options accept only session-token (IMDSv2) requests. Default: true.
	RequireIMDSv2 bool `yaml:"requireImdsv2" json:"requireImdsv2,omitempty"`
	// InstanceMetadataHopLimit is the default hop limit of the metadata
	// token with RequireIMDSv2 (1 to 64); 2 lets containers on an instance
	// reach the metadata service, 1 keeps it to the instance. Default: 2.
	InstanceMetadataHopLimit int `yaml:"instanceMetadataHopLimit" json:"instanceMetadataHopLimit,omitempty" jsonschema:"minimum=1,maximum=64"`
	// DisableSerialConsoleAccess turns off access to the EC2 serial console of
	// every instance in each governed region. Default: true.
	DisableSerialConsoleAccess bool `yaml:"disableSerialConsoleAccess" json:"disableSerialConsoleAccess,omitempty"`
	// BlockSSMDocumentPublicSharing blocks public sharing of Systems Manager
	// documents in each governed region. Default: true.
	BlockSSMDocumentPublicSharing bool `yaml:"blockSsmDocumentPublicSharing" json:"blockSsmDocumentPublicSharing,omitempty"`
	// SecurityContact, when set, is the account's security alternate contact,
	// whom AWS notifies about security matters (set once, from the home
	// region). Default: none: the account's contact is left as it is.
	SecurityContact *AlternateContact `yaml:"securityContact" json:"securityContact,omitempty"`
}

// AlternateContact is an AWS account alternate contact. Every field is
// required.
type AlternateContact struct {
	// Name of the person or team, 1 to 64 characters.
	Name string `yaml:"name" json:"name" jsonschema:"minLength=1,maxLength=64"`
	// Title, 1 to 50 characters, e.g. "Security Operations".
	Title string `yaml:"title" json:"title" jsonschema:"minLength=1,maxLength=50"`
	// Email is a plain address, e.g. security@example.com (at most 254 characters).
	Email string `yaml:"email" json:"email" jsonschema:"maxLength=254"`
	// Phone is 1 to 25 digits, spaces and ( ) + -, e.g. "+1 206 555 0100".
	Phone string `yaml:"phone" json:"phone" jsonschema:"pattern=^[0-9 ()+-]{1\\,25}$"`
}

// Keys configures the customer managed KMS keys.
type Keys struct {
	// RotationPeriodDays is how often KMS rotates key material (90 to 2560).
	// Default: 365.
	RotationPeriodDays int `yaml:"rotationPeriodDays" json:"rotationPeriodDays,omitempty" jsonschema:"minimum=90,maximum=2560"`
	// PendingWindowDays is the waiting period before a key scheduled for
	// deletion is deleted (7 to 30). Default: 30.
	PendingWindowDays int `yaml:"pendingWindowDays" json:"pendingWindowDays,omitempty" jsonschema:"minimum=7,maximum=30"`
	// Administrators are the IAM roles or users (ARNs) that administer every
	// key (policy, rotation, deletion) without being able to use it.
	// Default: none beyond the account's IAM policies.
	Administrators []string `yaml:"administrators" json:"administrators,omitempty"`
	// ApplicationKeys are further keys for workloads, each with its users.
	// Default: none.
	ApplicationKeys []ApplicationKey `yaml:"applicationKeys" json:"applicationKeys,omitempty"`
}

// ApplicationKey is a customer managed key for a workload, in every governed region.
type ApplicationKey struct {
	// Name ends the alias: alias/<prefix>/app/<name>. Lower-case letters,
	// digits and hyphens, 1 to 40 characters.
	Name string `yaml:"name" json:"name" jsonschema:"pattern=^[a-z0-9][a-z0-9-]{0\\,39}$"`
	// Description says what the key encrypts. Default: none.
	Description string `yaml:"description" json:"description,omitempty"`
	// Users are the IAM roles or users (ARNs) that may encrypt and decrypt
	// with the key (and let AWS services create grants for AWS resources).
	// At least one.
	Users []string `yaml:"users" json:"users"`
	// MultiRegion makes one multi-Region key: the primary in the home region
	// and a replica in every other governed region (in a
	// <prefix>-key-replicas-<region> stack), sharing key material so data
	// encrypted in one region decrypts in another. It cannot be changed once
	// deployed. Default: false: an independent key in each region.
	MultiRegion bool `yaml:"multiRegion" json:"multiRegion,omitempty"`
}

// Detection configures the detection layer.
type Detection struct {
	// SecurityHub configures Security Hub CSPM, its standards and controls.
	SecurityHub SecurityHub `yaml:"securityHub" json:"securityHub,omitempty"`
	// GuardDuty configures GuardDuty detectors and protection plans.
	GuardDuty GuardDuty `yaml:"guardDuty" json:"guardDuty,omitempty"`
	// Config configures AWS Config recording and managed rules.
	Config ConfigService `yaml:"config" json:"config,omitempty"`
	// AccessAnalyzer configures IAM Access Analyzer.
	AccessAnalyzer AccessAnalyzer `yaml:"accessAnalyzer" json:"accessAnalyzer,omitempty"`
	// Inspector configures Amazon Inspector scans.
	Inspector Inspector `yaml:"inspector" json:"inspector,omitempty"`
}

// Standard is a Security Hub CSPM security standard.
type Standard string

const (
	// StandardFSBP is AWS Foundational Security Best Practices v1.0.0.
	StandardFSBP Standard = "aws-foundational-security-best-practices"
	// StandardCIS is the newest CIS AWS Foundations Benchmark Security Hub offers.
	StandardCIS Standard = "cis-aws-foundations-benchmark"
	// StandardPCIDSS is PCI DSS v4.0.1.
	StandardPCIDSS Standard = "pci-dss"
	// StandardNIST80053 is NIST SP 800-53 Rev. 5.
	StandardNIST80053 Standard = "nist-800-53"
)

// Values lists the allowed standards.
func (Standard) Values() []string {
	return []string{string(StandardFSBP), string(StandardCIS), string(StandardPCIDSS), string(StandardNIST80053)}
}

// SecurityHub configures Security Hub CSPM.
type SecurityHub struct {
	// Enabled turns Security Hub on in every governed region. Default: true.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// Standards are enabled explicitly; Security Hub's own default standards
	// are always off. Default: FSBP in sandbox; all four in production.
	Standards []Standard `yaml:"standards" json:"standards,omitempty"`
	// ConsolidatedControlFindings produces one finding per control across all
	// standards rather than one per standard. Default: true.
	ConsolidatedControlFindings bool `yaml:"consolidatedControlFindings" json:"consolidatedControlFindings,omitempty"`
	// AutoEnableControls enables new controls of enabled standards as AWS adds
	// them. Default: true.
	AutoEnableControls bool `yaml:"autoEnableControls" json:"autoEnableControls,omitempty"`
	// DisabledControls are turned off per enabled standard, keyed by standard
	// name, each with the reason a reviewer reads (at most 100 per standard).
	// A control is named as the Security Hub console shows it in that
	// standard: the security control ID (e.g. "IAM.6") in FSBP, NIST 800-53
	// and PCI DSS, the benchmark number (e.g. "1.14") in CIS. Default: none.
	DisabledControls map[string][]DisabledControl `yaml:"disabledControls" json:"disabledControls,omitempty"`
	// ControlParameters customise control parameters, keyed by security control
	// ID (e.g. "ACM.1") then parameter name. Default: none (AWS defaults).
	ControlParameters map[string]map[string]ParameterValue `yaml:"controlParameters" json:"controlParameters,omitempty"`
	// Existing says what to do when a Security Hub hub already exists in a governed
	// region: fail (deploy as if there were none: CloudFormation stops on it),
	// adopt (`make adopt` imports it into mamori's stack, which then converges
	// its settings) or leave (mamori creates neither it nor the settings that
	// live on it). `make preflight` reports what exists. Default: fail.
	Existing Existing `yaml:"existing" json:"existing,omitempty"`
}

// DisabledControl is one Security Hub control switched off, with why.
type DisabledControl struct {
	// Control is the control's ID in its standard, e.g. "IAM.6" or, in CIS, "1.14".
	Control string `yaml:"control" json:"control"`
	// Reason says why the control does not apply; it is recorded in Security Hub.
	Reason string `yaml:"reason" json:"reason"`
}

// ParameterValue is one custom control parameter value. Set exactly one field,
// of the type the control's parameter takes.
//
// The pointers and nil-able lists say which one is set: a parameter can be
// set to 0, false or "" on purpose.
type ParameterValue struct {
	// Integer is the value of an Integer parameter, e.g. ACM.1 daysToExpiration.
	Integer *int `yaml:"integer" json:"integer,omitempty"`
	// IntegerList is the value of an IntegerList parameter, e.g. EC2.18 authorizedTcpPorts.
	IntegerList []int `yaml:"integerList" json:"integerList,omitempty"`
	// Double is the value of a Double parameter.
	Double *float64 `yaml:"double" json:"double,omitempty"`
	// String is the value of a String parameter.
	String *string `yaml:"string" json:"string,omitempty"`
	// StringList is the value of a StringList parameter.
	StringList []string `yaml:"stringList" json:"stringList,omitempty"`
	// Boolean is the value of a Boolean parameter.
	Boolean *bool `yaml:"boolean" json:"boolean,omitempty"`
	// Enum is the value of an Enum parameter.
	Enum *string `yaml:"enum" json:"enum,omitempty"`
	// EnumList is the value of an EnumList parameter.
	EnumList []string `yaml:"enumList" json:"enumList,omitempty"`
}

// PublishingFrequency is how often a service publishes updated findings.
type PublishingFrequency string

// Values lists the allowed publishing frequencies.
func (PublishingFrequency) Values() []string { return catalog.FindingPublishingFrequencies }

// GuardDuty configures Amazon GuardDuty.
type GuardDuty struct {
	// Enabled creates a detector in every governed region. Default: true.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// FindingPublishingFrequency is how often updated findings are exported
	// and sent to EventBridge. Default: SIX_HOURS in sandbox, FIFTEEN_MINUTES in production.
	FindingPublishingFrequency PublishingFrequency `yaml:"findingPublishingFrequency" json:"findingPublishingFrequency,omitempty"`
	// ExportFindings exports every finding to a KMS-encrypted S3 bucket.
	// Default: true.
	ExportFindings bool `yaml:"exportFindings" json:"exportFindings,omitempty"`
	// Protection lists every protection plan explicitly: GuardDuty enables any
	// plan a detector leaves out.
	Protection GuardDutyProtection `yaml:"protection" json:"protection,omitempty"`
	// MalwareProtectionS3 scans new objects in these buckets (same account and
	// region as the bucket). Default: none.
	MalwareProtectionS3 []MalwareProtectionS3Bucket `yaml:"malwareProtectionS3" json:"malwareProtectionS3,omitempty"`
	// Existing says what to do when a GuardDuty detector already exists in a governed
	// region: fail (deploy as if there were none: CloudFormation stops on it),
	// adopt (`make adopt` imports it into mamori's stack, which then converges
	// its settings) or leave (mamori creates neither it nor the settings that
	// live on it). `make preflight` reports what exists. Default: fail.
	Existing Existing `yaml:"existing" json:"existing,omitempty"`
	// ExcludeRegions are governed regions, other than the home region,
	// without a detector. Detective needs GuardDuty: exclude it there too.
	// Default: none.
	ExcludeRegions []string `yaml:"excludeRegions" json:"excludeRegions,omitempty"`
}

// In says whether GuardDuty has a detector in region.
func (g GuardDuty) In(region string) bool {
	return g.Enabled && !slices.Contains(g.ExcludeRegions, region)
}

// GuardDutyProtection switches each GuardDuty protection plan.
type GuardDutyProtection struct {
	// S3DataEvents monitors S3 data events. Default: true.
	S3DataEvents bool `yaml:"s3DataEvents" json:"s3DataEvents,omitempty"`
	// EKSAuditLogs monitors EKS audit logs. Default: false in sandbox, true in production.
	EKSAuditLogs bool `yaml:"eksAuditLogs" json:"eksAuditLogs,omitempty"`
	// RuntimeMonitoring monitors EKS, ECS and EC2 workloads through an agent.
	// Default: false in sandbox, true in production.
	RuntimeMonitoring bool `yaml:"runtimeMonitoring" json:"runtimeMonitoring,omitempty"`
	// RuntimeAgentManagement lets GuardDuty install and update its agent.
	RuntimeAgentManagement RuntimeAgentManagement `yaml:"runtimeAgentManagement" json:"runtimeAgentManagement,omitempty"`
	// EBSMalwareProtection scans EC2 volumes when a finding suggests malware.
	// Default: false in sandbox, true in production.
	EBSMalwareProtection bool `yaml:"ebsMalwareProtection" json:"ebsMalwareProtection,omitempty"`
	// RDSLoginEvents monitors Aurora and RDS login activity.
	// Default: false in sandbox, true in production.
	RDSLoginEvents bool `yaml:"rdsLoginEvents" json:"rdsLoginEvents,omitempty"`
	// LambdaNetworkLogs monitors Lambda network activity.
	// Default: false in sandbox, true in production.
	LambdaNetworkLogs bool `yaml:"lambdaNetworkLogs" json:"lambdaNetworkLogs,omitempty"`
}

// RuntimeAgentManagement switches GuardDuty's automated agent management.
// Each is ignored unless runtime monitoring is on.
type RuntimeAgentManagement struct {
	// EKSAddOn manages the GuardDuty EKS add-on. Default: true.
	EKSAddOn bool `yaml:"eksAddOn" json:"eksAddOn,omitempty"`
	// ECSFargate manages the agent sidecar on ECS Fargate tasks. Default: true.
	ECSFargate bool `yaml:"ecsFargate" json:"ecsFargate,omitempty"`
	// EC2 manages the agent on EC2 instances through SSM. Default: true.
	EC2 bool `yaml:"ec2" json:"ec2,omitempty"`
}

// MalwareProtectionS3Bucket is one bucket GuardDuty scans new objects in.
type MalwareProtectionS3Bucket struct {
	// Bucket is the bucket's name.
	Bucket string `yaml:"bucket" json:"bucket"`
	// Region is the bucket's region; it must be governed. Default: the home region.
	Region string `yaml:"region" json:"region,omitempty"`
	// Prefixes limits scanning to keys under these prefixes (at most 5).
	// Default: the whole bucket.
	Prefixes []string `yaml:"prefixes" json:"prefixes,omitempty"`
}

// RecordingFrequency is how often AWS Config records configuration changes.
type RecordingFrequency string

// Values lists the allowed recording frequencies.
func (RecordingFrequency) Values() []string { return []string{"CONTINUOUS", "DAILY"} }

// DeliveryFrequency is how often AWS Config delivers configuration snapshots.
type DeliveryFrequency string

// Values lists the allowed delivery frequencies.
func (DeliveryFrequency) Values() []string {
	return []string{"One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"}
}

// ConfigService configures AWS Config.
type ConfigService struct {
	// Enabled records configuration in every governed region. Security Hub
	// controls and Firewall Manager depend on it. Default: true.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// RecordingFrequency is CONTINUOUS or DAILY; DAILY costs less.
	// Default: DAILY in sandbox, CONTINUOUS in production.
	RecordingFrequency RecordingFrequency `yaml:"recordingFrequency" json:"recordingFrequency,omitempty"`
	// ExcludedResourceTypes are not recorded (e.g. "AWS::EC2::NetworkInterface").
	// Default: none: every supported type is recorded.
	ExcludedResourceTypes []string `yaml:"excludedResourceTypes" json:"excludedResourceTypes,omitempty"`
	// DeliveryFrequency is how often configuration snapshots are delivered.
	// Default: TwentyFour_Hours.
	DeliveryFrequency DeliveryFrequency `yaml:"deliveryFrequency" json:"deliveryFrequency,omitempty"`
	// ManagedRules are AWS managed Config rules to deploy. Default: none in
	// sandbox (Security Hub's controls already evaluate); a short set of
	// account-level checks in production.
	ManagedRules []ManagedRule `yaml:"managedRules" json:"managedRules,omitempty"`
	// Existing says what to do when an AWS Config recorder or delivery
	// channel already exists in a governed region: fail (deploy as if there
	// were none: CloudFormation stops on it) or leave (mamori records with
	// the existing recorder, as it does for Control Tower's, and deploys its
	// rules and conformance packs on it). adopt is refused: mamori cannot
	// import them yet. `make preflight` reports what exists. Default: fail.
	Existing Existing `yaml:"existing" json:"existing,omitempty"`
}

// ManagedRule is one AWS managed Config rule.
type ManagedRule struct {
	// Identifier is the managed rule's source identifier, e.g. "ROOT_ACCOUNT_MFA_ENABLED".
	Identifier string `yaml:"identifier" json:"identifier" jsonschema:"pattern=^[A-Z0-9_]+$"`
	// Parameters are the rule's input parameters. Default: none.
	Parameters map[string]string `yaml:"parameters" json:"parameters,omitempty"`
	// HomeRegionOnly deploys the rule in the home region only, for rules that
	// check account-wide or global (IAM) settings. Default: false: every governed region.
	HomeRegionOnly bool `yaml:"homeRegionOnly" json:"homeRegionOnly,omitempty"`
}

// AccessAnalyzer configures IAM Access Analyzer.
type AccessAnalyzer struct {
	// ExternalAccess creates an external-access analyzer in every governed
	// region (account zone of trust in standalone mode, organization in
	// organization mode). Free. Default: true.
	ExternalAccess bool `yaml:"externalAccess" json:"externalAccess,omitempty"`
	// UnusedAccess creates one unused-access analyzer in the home region
	// (billed per IAM role and user analysed).
	UnusedAccess UnusedAccess `yaml:"unusedAccess" json:"unusedAccess,omitempty"`
	// Existing says what to do when an account-level analyzer (external or
	// unused access) already exists in a governed region: fail (deploy as if there were none: CloudFormation stops on it),
	// adopt (`make adopt` imports it into mamori's stack, which then converges
	// its settings) or leave (mamori creates neither it nor the settings that
	// live on it). `make preflight` reports what exists. Default: fail.
	Existing Existing `yaml:"existing" json:"existing,omitempty"`
	// ExcludeRegions are governed regions, other than the home region,
	// without an external-access analyzer. Default: none.
	ExcludeRegions []string `yaml:"excludeRegions" json:"excludeRegions,omitempty"`
}

// ExternalAccessIn says whether region has an external-access analyzer.
func (a AccessAnalyzer) ExternalAccessIn(region string) bool {
	return a.ExternalAccess && !slices.Contains(a.ExcludeRegions, region)
}

// UnusedAccess configures the unused-access analyzer.
type UnusedAccess struct {
	// Enabled creates the analyzer. Default: false in sandbox, true in production.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// UnusedAccessAgeDays is the window after which access counts as unused
	// (1 to 365). Default: 90.
	UnusedAccessAgeDays int `yaml:"unusedAccessAgeDays" json:"unusedAccessAgeDays,omitempty" jsonschema:"minimum=1,maximum=365"`
}

// ECRRescanDuration is how long Inspector keeps re-scanning an ECR image.
type ECRRescanDuration string

// Values lists the allowed ECR re-scan durations.
func (ECRRescanDuration) Values() []string {
	return []string{"LIFETIME", "DAYS_30", "DAYS_180", "DAYS_14", "DAYS_60", "DAYS_90"}
}

// Inspector configures Amazon Inspector.
type Inspector struct {
	// Enabled turns Inspector on in every governed region. Default: true
	// (priced per scanned instance, image and function: nothing to scan costs nothing).
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// ScanTypes lists what Inspector scans.
	ScanTypes InspectorScanTypes `yaml:"scanTypes" json:"scanTypes,omitempty"`
	// ECRRescanDuration is how long pushed images keep being re-scanned.
	// Default: DAYS_30 in sandbox, LIFETIME in production.
	ECRRescanDuration ECRRescanDuration `yaml:"ecrRescanDuration" json:"ecrRescanDuration,omitempty"`
	// CISScan schedules CIS benchmark scans of SSM-managed EC2 instances.
	CISScan CISScan `yaml:"cisScan" json:"cisScan,omitempty"`
	// ExcludeRegions are governed regions, other than the home region, where
	// Inspector (and its CIS scans) stays off. Default: none.
	ExcludeRegions []string `yaml:"excludeRegions" json:"excludeRegions,omitempty"`
}

// In says whether Inspector is on in region.
func (in Inspector) In(region string) bool {
	return in.Enabled && !slices.Contains(in.ExcludeRegions, region)
}

// InspectorScanTypes switches each Inspector scan type.
type InspectorScanTypes struct {
	// EC2 scans EC2 instances for vulnerabilities. Default: true.
	EC2 bool `yaml:"ec2" json:"ec2,omitempty"`
	// ECR scans container images in ECR. Default: true.
	ECR bool `yaml:"ecr" json:"ecr,omitempty"`
	// Lambda scans Lambda function packages. Default: true.
	Lambda bool `yaml:"lambda" json:"lambda,omitempty"`
	// LambdaCode scans Lambda function code; it requires Lambda. Default: false in
	// sandbox, true in production.
	LambdaCode bool `yaml:"lambdaCode" json:"lambdaCode,omitempty"`
}

// CISSecurityLevel is the CIS benchmark level Inspector checks.
type CISSecurityLevel string

// Values lists the allowed CIS security levels.
func (CISSecurityLevel) Values() []string { return []string{"LEVEL_1", "LEVEL_2"} }

// ScanFrequency is how often a scheduled scan runs.
type ScanFrequency string

// Values lists the allowed scan frequencies.
func (ScanFrequency) Values() []string { return []string{"DAILY", "WEEKLY", "MONTHLY"} }

// CISScan schedules Inspector CIS benchmark scans.
type CISScan struct {
	// Enabled creates the scan configuration in every governed region; it needs
	// EC2 scanning. Default: false in sandbox, true in production.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// SecurityLevel is LEVEL_1 or LEVEL_2. Default: LEVEL_1.
	SecurityLevel CISSecurityLevel `yaml:"securityLevel" json:"securityLevel,omitempty"`
	// Frequency is DAILY, WEEKLY or MONTHLY. Default: WEEKLY.
	Frequency ScanFrequency `yaml:"frequency" json:"frequency,omitempty"`
	// TimeOfDay is when scans start, "HH:MM" in TimeZone. Default: "03:00".
	TimeOfDay string `yaml:"timeOfDay" json:"timeOfDay,omitempty" jsonschema:"pattern=^([01][0-9]|2[0-3]):[0-5][0-9]$"`
	// TimeZone is an IANA time zone name. Default: "UTC".
	TimeZone string `yaml:"timeZone" json:"timeZone,omitempty"`
	// Days are the weekdays a WEEKLY scan runs (MON..SUN). Default: [SUN].
	Days []string `yaml:"days" json:"days,omitempty"`
	// DayOfMonth is the weekday of a MONTHLY scan (MON..SUN). Default: SUN.
	DayOfMonth string `yaml:"dayOfMonth" json:"dayOfMonth,omitempty"`
	// TargetTags select the instances to scan: tag key to allowed values.
	// Default: {"mamori:cis-scan": ["true"]}.
	TargetTags map[string][]string `yaml:"targetTags" json:"targetTags,omitempty"`
}

package config

import (
	"maps"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mamori-dev/mamori/internal/catalog"
	"github.com/mamori-dev/mamori/internal/names"
)

// Patterns the data-protection validation checks against.
var (
	// The patterns AWS Account Management accepts for an alternate contact.
	// https://docs.aws.amazon.com/accounts/latest/reference/API_AlternateContact.html
	contactEmailPattern = regexp.MustCompile(`^[\w+=.#|!&-]+@[\w.-]+\.[\w]+$`)
	contactPhonePattern = regexp.MustCompile(`^[\s0-9()+-]{1,25}$`)

	secretNamePattern   = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)
	lambdaArnPattern    = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$`)
	appKeyNamePattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	principalArnPattern = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(role|user)/[\w+=,.@/-]{1,512}$`)
)

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

// dataProtectionDefaults sets the data-protection layer's defaults for a profile.
func dataProtectionDefaults(c *Config, prod bool) {
	pickString := func(sandbox, production string) string {
		if prod {
			return production
		}
		return sandbox
	}
	c.DataProtection = DataProtection{
		Keys: Keys{
			RotationPeriodDays: 365,
			PendingWindowDays:  30,
		},
		AccountGuards: AccountGuards{
			S3BlockPublicAccess: true, EBSEncryptionByDefault: true, EBSSnapshotBlockPublicAccess: true, AMIBlockPublicAccess: true,
			RequireIMDSv2: true, InstanceMetadataHopLimit: 2, DisableSerialConsoleAccess: true, BlockSSMDocumentPublicSharing: true,
		},
		Macie: Macie{
			Enabled:                    true,
			FindingPublishingFrequency: PublishingFrequency(pickString("SIX_HOURS", "FIFTEEN_MINUTES")),
			AutomatedDiscovery:         prod,
		},
		CloudHSM: CloudHSM{HSMType: "hsm2m.medium", HSMCount: 2, BackupRetentionDays: 90},
	}
}

// validate checks the instance metadata hop limit and the security contact,
// against the limits of ModifyInstanceMetadataDefaults and PutAlternateContact.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceMetadataDefaults.html
func (g *AccountGuards) validate(v *validator, path string) {
	v.intRange(fieldPath(path, "instanceMetadataHopLimit"), g.InstanceMetadataHopLimit, 1, 64)
	if c := g.SecurityContact; c != nil {
		c.validate(v, fieldPath(path, "securityContact"))
	}
}

// validate checks an alternate contact against PutAlternateContact's limits.
// https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
func (c *AlternateContact) validate(v *validator, contact string) {
	text := func(key, value string, most int) {
		if n := utf8.RuneCountInString(value); n < 1 || n > most {
			v.invalid(fieldPath(contact, key), value, "must be 1 to %d characters", most)
		}
	}
	text("name", c.Name, 64)
	text("title", c.Title, 50)
	if addr, err := mail.ParseAddress(c.Email); err != nil || addr.Name != "" || addr.Address != c.Email || len(c.Email) > 254 || !contactEmailPattern.MatchString(c.Email) {
		v.invalid(fieldPath(contact, "email"), c.Email, "must be a plain email address such as security@example.com, without a display name")
	}
	if !contactPhonePattern.MatchString(c.Phone) {
		v.invalid(fieldPath(contact, "phone"), c.Phone, "must be 1 to 25 digits, spaces and ( ) + -, such as +1 206 555 0100")
	}
}

// validate checks the KMS key settings against KMS's own limits.
func (k *Keys) validate(v *validator, path string) {
	v.intRange(fieldPath(path, "rotationPeriodDays"), k.RotationPeriodDays, 90, 2560)
	v.intRange(fieldPath(path, "pendingWindowDays"), k.PendingWindowDays, 7, 30)
	validatePrincipals(v, fieldPath(path, "administrators"), k.Administrators)
	keys := fieldPath(path, "applicationKeys")
	eachUnique(v, keys, k.ApplicationKeys, "", func(ak ApplicationKey) string { return ak.Name }, func(p string, ak ApplicationKey) {
		if !appKeyNamePattern.MatchString(ak.Name) {
			v.invalid(fieldPath(p, "name"), ak.Name, "must be 1 to 40 lower-case letters, digits and hyphens, starting with a letter or digit")
		}
		if len(ak.Users) == 0 {
			v.required(fieldPath(p, "users"), "at least one IAM role or user ARN that may use the key")
		}
		validatePrincipals(v, fieldPath(p, "users"), ak.Users)
	})
}

// validatePrincipals checks IAM role and user ARNs, as key policies name them.
func validatePrincipals(v *validator, path string, arns []string) {
	eachUnique(v, path, arns, "", identity, func(p string, arn string) {
		if !principalArnPattern.MatchString(arn) {
			v.invalid(p, arn, "must be an IAM role or user ARN, e.g. \"arn:aws:iam::111122223333:role/KeyAdmins\"")
		}
	})
}

// validateSecrets checks names, rotation and replicas against Secrets
// Manager's limits.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html
func validateSecrets(v *validator, path string, secrets []Secret, homeRegion string, regions []string) {
	eachUnique(v, path, secrets, "", func(sec Secret) string { return sec.Name }, func(p string, sec Secret) {
		if !secretNamePattern.MatchString(sec.Name) {
			v.invalid(fieldPath(p, "name"), sec.Name, "must be 1 to 512 letters, digits and /_+=.@-")
		}
		if utf8.RuneCountInString(sec.Description) > 2048 {
			v.invalid(fieldPath(p, "description"), omitValue, "at most 2048 characters")
		}
		r, rp := sec.Rotation, fieldPath(p, "rotation")
		if r.HostedEngine != "" {
			checkEnum(v, fieldPath(rp, "hostedEngine"), r.HostedEngine)
			if sec.Username == "" {
				v.required(fieldPath(p, "username"), "managed rotation for a database engine rotates a {\"username\", \"password\"} secret")
			}
			if sec.Database == nil {
				v.required(fieldPath(p, "database"), "host and port: managed rotation connects to the database with what the secret holds")
			}
		}
		if d := sec.Database; d != nil {
			dp := fieldPath(p, "database")
			if sec.Username == "" {
				v.required(fieldPath(p, "username"), "a database secret holds the username it logs in with")
			}
			if strings.TrimSpace(d.Host) == "" {
				v.required(fieldPath(dp, "host"), "the database endpoint's host name")
			}
			v.intRange(fieldPath(dp, "port"), d.Port, 1, 65535)
		}
		if r.FunctionArn != "" && !lambdaArnPattern.MatchString(r.FunctionArn) {
			v.invalid(fieldPath(rp, "functionArn"), r.FunctionArn, "must be a Lambda function ARN, e.g. \"arn:aws:lambda:us-east-1:111122223333:function:rotate\"")
		}
		switch {
		case r.HostedEngine != "" && r.FunctionArn != "":
			v.forbidden(rp, "set hostedEngine or functionArn, not both")
		case (r.HostedEngine != "" || r.FunctionArn != "") && r.Days == 0:
			v.required(fieldPath(rp, "days"), "days between rotations, 1 to 1000")
		case r.Days != 0 && r.HostedEngine == "" && r.FunctionArn == "":
			v.required(rp, "hostedEngine or functionArn, to say how the secret rotates")
		case r.Days == 0 && r.HostedEngine == "" && r.FunctionArn == "" && len(strings.TrimSpace(r.ManualReason)) < 20:
			v.required(fieldPath(rp, "manualReason"), "a secret that does not rotate automatically needs the reason and who rotates it (at least 20 characters)")
		case r.ManualReason != "" && (r.HostedEngine != "" || r.FunctionArn != ""):
			v.forbidden(fieldPath(rp, "manualReason"), "the secret rotates automatically")
		}
		if r.Days != 0 {
			v.intRange(fieldPath(rp, "days"), r.Days, 1, 1000)
		}
		rr := fieldPath(p, "replicaRegions")
		eachUnique(v, rr, sec.ReplicaRegions, "", identity, func(at string, region string) {
			switch {
			case region == homeRegion:
				v.forbidden(at, "%q is the home region, where the secret itself lives", region)
			case !slices.Contains(regions, region):
				v.invalid(at, region, "must be a governed region (regions)")
			}
		})
		validatePrincipals(v, fieldPath(p, "readers"), sec.Readers)
	})
}

// validate checks Macie's settings against Macie's limits, so that the
// construct never meets a value it would refuse.
// https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html
// https://docs.aws.amazon.com/macie/latest/APIReference/custom-data-identifiers.html
func (m *Macie) validate(v *validator, path string, regions []string) {
	checkEnum(v, fieldPath(path, "findingPublishingFrequency"), m.FindingPublishingFrequency)
	jobs := fieldPath(path, "classificationJobs")
	uniqueConstructNames(v, jobs, m.ClassificationJobs, func(j MacieJob) string { return j.Name })
	for i, j := range m.ClassificationJobs {
		j.validate(v, indexPath(jobs, i), regions, m.ExcludeRegions)
	}
	ids := fieldPath(path, "customDataIdentifiers")
	uniqueConstructNames(v, ids, m.CustomDataIdentifiers, func(d MacieCustomDataIdentifier) string { return d.Name })
	for i, d := range m.CustomDataIdentifiers {
		d.validate(v, indexPath(ids, i))
	}
	lists := fieldPath(path, "allowLists")
	uniqueConstructNames(v, lists, m.AllowLists, func(l MacieAllowList) string { return l.Name })
	for i, l := range m.AllowLists {
		if n := utf8.RuneCountInString(l.Regex); n == 0 || n > catalog.MacieRegexMax {
			v.invalid(fieldPath(indexPath(lists, i), "regex"), omitValue, "1 to %d characters", catalog.MacieRegexMax)
		}
	}
	filters := fieldPath(path, "findingsFilters")
	uniqueConstructNames(v, filters, m.FindingsFilters, func(f MacieFindingsFilter) string { return f.Name })
	for i, f := range m.FindingsFilters {
		f.validate(v, indexPath(filters, i))
	}
}

// uniqueConstructNames reports items of the list at path whose name has no
// letter or digit, or makes the same construct ID as an earlier item's.
func uniqueConstructNames[T any](v *validator, path string, items []T, name func(T) string) {
	key := func(item T) string { return names.Key(name(item)) }
	eachUnique(v, path, items, "", key, func(p string, item T) {
		if key(item) == "" {
			v.required(fieldPath(p, "name"), "a name with letters or digits")
		}
	})
}

// validate checks a classification job: a governed region where Macie is
// on, one way to select buckets, and a schedule Macie accepts.
func (j MacieJob) validate(v *validator, p string, regions, excluded []string) {
	if n := utf8.RuneCountInString(j.Name); n > catalog.MacieJobNameMax {
		v.invalid(fieldPath(p, "name"), omitValue, "at most %d characters", catalog.MacieJobNameMax)
	}
	if j.Region != "" && !slices.Contains(regions, j.Region) {
		v.invalid(fieldPath(p, "region"), j.Region, "must be a governed region (regions)")
	} else if slices.Contains(excluded, j.Region) {
		v.invalid(fieldPath(p, "region"), j.Region, "Macie is off there (dataProtection.macie.excludeRegions)")
	}
	if (len(j.BucketNames) == 0) == (len(j.BucketTags) == 0) {
		v.required(p, "exactly one of bucketNames and bucketTags")
	}
	if j.Schedule != "" {
		checkEnum(v, fieldPath(p, "schedule"), j.Schedule)
	}
	weekly, monthly := j.Schedule == "WEEKLY", j.Schedule == "MONTHLY"
	if weekly != (j.DayOfWeek != "") || (weekly && !slices.Contains(catalog.MacieWeekdays, j.DayOfWeek)) {
		if j.DayOfWeek == "" {
			v.required(fieldPath(p, "dayOfWeek"), "a WEEKLY job runs on one of %s", quoteList(catalog.MacieWeekdays))
		} else {
			v.invalid(fieldPath(p, "dayOfWeek"), j.DayOfWeek, "set only for WEEKLY jobs, to one of %s", quoteList(catalog.MacieWeekdays))
		}
	}
	if monthly != (j.DayOfMonth != 0) || j.DayOfMonth < 0 || j.DayOfMonth > catalog.MacieDayOfMonthMax {
		v.invalid(fieldPath(p, "dayOfMonth"), j.DayOfMonth, "required for MONTHLY jobs only, 1 to %d", catalog.MacieDayOfMonthMax)
	}
	if j.SamplingPercentage != 0 {
		v.intRange(fieldPath(p, "samplingPercentage"), j.SamplingPercentage, 1, catalog.MacieSamplingPercentageMax)
	}
	if j.ManagedIdentifiers != "" {
		checkEnum(v, fieldPath(p, "managedIdentifiers"), j.ManagedIdentifiers)
	}
}

// validate checks a custom data identifier against Macie's limits.
func (d MacieCustomDataIdentifier) validate(v *validator, p string) {
	if utf8.RuneCountInString(d.Name) > catalog.MacieIdentifierNameMax {
		v.invalid(fieldPath(p, "name"), omitValue, "at most %d characters", catalog.MacieIdentifierNameMax)
	}
	if n := utf8.RuneCountInString(d.Regex); n == 0 || n > catalog.MacieRegexMax {
		v.invalid(fieldPath(p, "regex"), omitValue, "1 to %d characters", catalog.MacieRegexMax)
	}
	if utf8.RuneCountInString(d.Description) > catalog.MacieDescriptionMax {
		v.invalid(fieldPath(p, "description"), omitValue, "at most %d characters", catalog.MacieDescriptionMax)
	}
	wordsIn(v, fieldPath(p, "keywords"), d.Keywords, catalog.MacieKeywordsMax, catalog.MacieKeywordMin, catalog.MacieWordMax)
	wordsIn(v, fieldPath(p, "ignoreWords"), d.IgnoreWords, catalog.MacieIgnoreWordsMax, catalog.MacieIgnoreWordMin, catalog.MacieWordMax)
	if d.MaximumMatchDistance != 0 {
		v.intRange(fieldPath(p, "maximumMatchDistance"), d.MaximumMatchDistance, 1, catalog.MacieMatchDistanceMax)
	}
}

// validate checks a findings filter: a name Macie accepts, and criteria
// that each set a condition.
func (f MacieFindingsFilter) validate(v *validator, p string) {
	if n := utf8.RuneCountInString(f.Name); n < catalog.MacieFilterNameMin || n > catalog.MacieFilterNameMax {
		v.invalid(fieldPath(p, "name"), f.Name, "%d to %d characters", catalog.MacieFilterNameMin, catalog.MacieFilterNameMax)
	}
	if f.Action != "" {
		checkEnum(v, fieldPath(p, "action"), f.Action)
	}
	if len(f.Criteria) == 0 {
		v.required(fieldPath(p, "criteria"), "at least one finding field and its condition")
	}
	for _, field := range slices.Sorted(maps.Keys(f.Criteria)) {
		cr := f.Criteria[field]
		if len(cr.Eq) == 0 && len(cr.Neq) == 0 && cr.Gt == nil && cr.Gte == nil && cr.Lt == nil && cr.Lte == nil {
			v.required(keyPath(fieldPath(p, "criteria"), field), "at least one of eq, neq, gt, gte, lt, lte")
		}
	}
}

// wordsIn checks a word list's length and each word's.
func wordsIn(v *validator, path string, words []string, most, shortest, longest int) {
	if len(words) > most {
		v.tooMany(path, "%d, at most %d", len(words), most)
	}
	for i, w := range words {
		if n := utf8.RuneCountInString(w); n < shortest || n > longest {
			v.invalid(indexPath(path, i), w, "%d to %d characters", shortest, longest)
		}
	}
}

// validate checks the cluster against CloudHSM's rules: FIPS only on
// its hardware, subnets in distinct zones of the home region.
// https://docs.aws.amazon.com/cloudhsm/latest/APIReference/API_CreateCluster.html
func (h *CloudHSM) validate(v *validator, path, homeRegion string) {
	if !h.Enabled {
		return
	}
	if !h.AcknowledgeHourlyCost {
		v.required(fieldPath(path, "acknowledgeHourlyCost"), "true, to record that every HSM bills for each hour it exists (at least two)")
	}
	checkEnum(v, fieldPath(path, "hsmType"), h.HSMType)
	if h.NonFIPS && h.HSMType == "hsm1.medium" {
		v.forbidden(fieldPath(path, "nonFips"), "hsm1.medium runs in FIPS mode only")
	}
	if h.HSMCount < 2 {
		v.invalid(fieldPath(path, "hsmCount"), h.HSMCount, "at least 2, in different availability zones")
	}
	v.intRange(fieldPath(path, "backupRetentionDays"), h.BackupRetentionDays, 7, 379)
	subnets := fieldPath(path, "subnets")
	zones := map[string]bool{}
	for i, sn := range h.Subnets {
		p := indexPath(subnets, i)
		if !subnetIDPattern.MatchString(sn.SubnetID) {
			v.invalid(fieldPath(p, "subnetId"), sn.SubnetID, "must be a subnet ID such as \"subnet-0123456789abcdef0\"")
		}
		if !strings.HasPrefix(sn.AvailabilityZone, homeRegion) || len(sn.AvailabilityZone) != len(homeRegion)+1 {
			v.invalid(fieldPath(p, "availabilityZone"), sn.AvailabilityZone, "must be an availability zone of the home region %q, e.g. %q", homeRegion, homeRegion+"a")
		} else if zones[sn.AvailabilityZone] {
			v.duplicate(fieldPath(p, "availabilityZone"), sn.AvailabilityZone, "one subnet per availability zone")
		}
		zones[sn.AvailabilityZone] = true
	}
	if len(zones) < 2 {
		v.required(subnets, "private subnets in at least two availability zones")
	}
}

// validate checks the data-protection layer; homeRegion and regions are the
// configuration's home and governed regions.
func (d *DataProtection) validate(v *validator, path, homeRegion string, regions []string) {
	d.Keys.validate(v, fieldPath(path, "keys"))
	d.AccountGuards.validate(v, fieldPath(path, "accountGuards"))
	validateSecrets(v, fieldPath(path, "secrets"), d.Secrets, homeRegion, regions)
	d.Macie.validate(v, fieldPath(path, "macie"), regions)
	d.CloudHSM.validate(v, fieldPath(path, "cloudHsm"), homeRegion)
}

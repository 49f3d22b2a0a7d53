package config

import (
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // CIS scan time zones must validate on machines without tzdata
	"unicode/utf8"

	"github.com/mamori-dev/mamori/internal/catalog"
)

// Patterns the detection validation checks against.
var (
	cisControlIDPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)+$`)
	resourceTypePattern = regexp.MustCompile(`^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$`)
	managedRulePattern  = regexp.MustCompile(`^[A-Z0-9_]+$`)
	timeOfDayPattern    = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// Limits on the detection settings, named where the rules use them.
const (
	maxDisabledReasonLen   = 1024 // Security Hub's DisabledReason limit
	maxDisabledPerStandard = 100  // AWS::SecurityHub::Standard DisabledStandardsControls
	maxMalwarePrefixes     = 5    // GuardDuty Malware Protection for S3 object prefixes
	maxMalwarePrefixLen    = 1024
)

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
	// ExcludeRegions are governed regions, other than the home region (the
	// aggregation region), without a hub, standards or controls. The finding
	// aggregator does not link them, so in organization mode the central
	// configuration policy does not apply there either: accounts keep
	// whatever Security Hub settings they already have in those regions.
	// What needs a hub is left out there too: the response layer's
	// automation rules and custom actions, Detective's Security Hub source
	// package and the unified Security Hub. Default: none.
	ExcludeRegions []string `yaml:"excludeRegions" json:"excludeRegions,omitempty"`
}

// In says whether Security Hub has a hub in region.
func (s SecurityHub) In(region string) bool {
	return s.Enabled && !slices.Contains(s.ExcludeRegions, region)
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
	// were none: CloudFormation stops on it), adopt (mamori updates the
	// existing recorder and channel in place, keeping their names, to record
	// with its role, recording group and mode into its bucket with its key
	// and delivery frequency; they are not imported, since CloudFormation
	// cannot import them with the role and bucket they refer to; when
	// mamori's stacks are deleted they keep running with the role, which is
	// retained, and the bucket; not with destroyOnDelete or Control Tower)
	// or leave (mamori records with the existing recorder, as it does for
	// Control Tower's, and deploys its rules and conformance packs on it).
	// Keep fail for a recorder mamori's own stack created: adopt would drop
	// it from the template, and CloudFormation deletes what leaves a stack.
	// `make preflight` reports what exists. Default: fail.
	Existing Existing `yaml:"existing" json:"existing,omitempty"`
	// ExcludeRegions are governed regions, other than the home region,
	// without a recorder, delivery channel, managed rules, conformance packs
	// or remediations; in organization mode the member baseline does not
	// record there either (its other guards stay on). Security Hub controls
	// and Firewall Manager policies evaluate through AWS Config: exclude
	// Security Hub there too, and keep Firewall Manager's policies out of the
	// region. Refused with Control Tower, which records in every region it
	// governs. Default: none.
	ExcludeRegions []string `yaml:"excludeRegions" json:"excludeRegions,omitempty"`
}

// In says whether AWS Config records, and mamori's rules evaluate, in region.
func (s ConfigService) In(region string) bool {
	return s.Enabled && !slices.Contains(s.ExcludeRegions, region)
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

// detectionDefaults sets the detection layer's defaults for a profile.
func detectionDefaults(c *Config, prod bool) {
	c.Detection = Detection{
		SecurityHub: SecurityHub{
			Enabled:                     true,
			Standards:                   []Standard{StandardFSBP},
			ConsolidatedControlFindings: true,
			AutoEnableControls:          true,
		},
		GuardDuty: GuardDuty{
			Enabled:                    true,
			FindingPublishingFrequency: "SIX_HOURS",
			ExportFindings:             true,
			Protection: GuardDutyProtection{
				S3DataEvents:           true,
				EKSAuditLogs:           prod,
				RuntimeMonitoring:      prod,
				RuntimeAgentManagement: RuntimeAgentManagement{EKSAddOn: true, ECSFargate: true, EC2: true},
				EBSMalwareProtection:   prod,
				RDSLoginEvents:         prod,
				LambdaNetworkLogs:      prod,
			},
		},
		Config: ConfigService{
			Enabled:            true,
			RecordingFrequency: "DAILY",
			DeliveryFrequency:  "TwentyFour_Hours",
		},
		AccessAnalyzer: AccessAnalyzer{
			ExternalAccess: true,
			UnusedAccess:   UnusedAccess{Enabled: prod, UnusedAccessAgeDays: 90},
		},
		Inspector: Inspector{
			Enabled:           true,
			ScanTypes:         InspectorScanTypes{EC2: true, ECR: true, Lambda: true, LambdaCode: prod},
			ECRRescanDuration: "DAYS_30",
			CISScan: CISScan{
				Enabled:       prod,
				SecurityLevel: "LEVEL_1",
				Frequency:     "WEEKLY",
				TimeOfDay:     "03:00",
				TimeZone:      "UTC",
				Days:          []string{"SUN"},
				DayOfMonth:    "SUN",
				TargetTags:    map[string][]string{"mamori:cis-scan": {"true"}},
			},
		},
	}
	if prod {
		c.Detection.SecurityHub.Standards = []Standard{StandardFSBP, StandardCIS, StandardPCIDSS, StandardNIST80053}
		c.Detection.GuardDuty.FindingPublishingFrequency = "FIFTEEN_MINUTES"
		c.Detection.Config.RecordingFrequency = "CONTINUOUS"
		c.Detection.Config.ManagedRules = productionManagedRules()
		c.Detection.Inspector.ECRRescanDuration = "LIFETIME"
	}
}

// productionManagedRules are the AWS managed Config rules production deploys
// on top of Security Hub's controls: account-level settings that are cheap to
// evaluate and that an auditor asks about first.
func productionManagedRules() []ManagedRule {
	return []ManagedRule{
		// IAM and the root user are global: checking them in every region
		// would only repeat the same evaluation.
		{Identifier: "ROOT_ACCOUNT_MFA_ENABLED", HomeRegionOnly: true},
		{Identifier: "IAM_ROOT_ACCESS_KEY_CHECK", HomeRegionOnly: true},
		{Identifier: "IAM_PASSWORD_POLICY", HomeRegionOnly: true},
		// S3 Block Public Access at account level is one setting for all
		// regions.
		{Identifier: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", HomeRegionOnly: true},
		// A multi-region trail satisfies this everywhere, a single-region
		// trail only where it lives, so every governed region checks itself.
		{Identifier: "CLOUD_TRAIL_ENABLED"},
		// EBS default encryption is a per-region setting.
		{Identifier: "EC2_EBS_ENCRYPTION_BY_DEFAULT"},
	}
}

// detectionDerived sets each GuardDuty malware-protection bucket's region the
// file left out to the home region: list items exist only once the file names
// them.
func detectionDerived(c *Config, set map[string]bool) {
	for i := range c.Detection.GuardDuty.MalwareProtectionS3 {
		b := &c.Detection.GuardDuty.MalwareProtectionS3[i]
		if !set[indexPath("detection.guardDuty.malwareProtectionS3", i)+".region"] {
			b.Region = c.HomeRegion
		}
	}
}

// weekdays are the day names Inspector CIS scan schedules take.
func weekdays() []string { return []string{"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"} }

// validate checks standards, disabled controls and control parameters. They
// are checked even when Security Hub is off, where they are simply ignored.
func (s *SecurityHub) validate(v *validator, path string) {
	standards := fieldPath(path, "standards")
	checkEnumList(v, standards, s.Standards)

	disabledPath := fieldPath(path, "disabledControls")
	disabled := map[string]string{} // security control ID -> path of its entry
	for _, std := range slices.Sorted(maps.Keys(s.DisabledControls)) {
		sp := keyPath(disabledPath, std)
		pattern, example := controlIDPattern, "IAM.6"
		switch {
		case !slices.Contains(Standard("").Values(), std):
			v.notSupportedKey(sp, std, Standard("").Values())
		case !slices.Contains(s.Standards, Standard(std)):
			v.forbidden(sp, "standard %q is not in %s", std, standards)
		case Standard(std) == StandardCIS:
			pattern, example = cisControlIDPattern, "1.14"
		}
		controls := s.DisabledControls[std]
		if len(controls) > maxDisabledPerStandard {
			v.tooMany(sp, "%d controls, Security Hub allows at most %d per standard", len(controls), maxDisabledPerStandard)
		}
		seen := map[string]string{}
		for i, dc := range controls {
			p := indexPath(sp, i)
			if !pattern.MatchString(dc.Control) {
				v.invalid(fieldPath(p, "control"), dc.Control, "must be a control ID of this standard such as %q", example)
			} else if first, dup := seen[dc.Control]; dup {
				v.duplicate(fieldPath(p, "control"), dc.Control, "already disabled at %s", first)
			} else {
				seen[dc.Control] = p
				if pattern == controlIDPattern {
					disabled[dc.Control] = p
				}
			}
			switch {
			case strings.TrimSpace(dc.Reason) == "":
				v.required(fieldPath(p, "reason"), "say why the control does not apply; Security Hub records it for reviewers")
			case utf8.RuneCountInString(dc.Reason) > maxDisabledReasonLen:
				v.invalid(fieldPath(p, "reason"), omitValue, "at most %d characters", maxDisabledReasonLen)
			}
		}
	}

	paramsPath := fieldPath(path, "controlParameters")
	for _, control := range slices.Sorted(maps.Keys(s.ControlParameters)) {
		p := keyPath(paramsPath, control)
		if !controlIDPattern.MatchString(control) {
			v.invalidKey(p, control, "must be a security control ID such as \"ACM.1\"")
		}
		if at, ok := disabled[control]; ok {
			v.forbidden(p, "control %q is disabled at %s; a disabled control takes no parameters", control, at)
		}
		params := s.ControlParameters[control]
		if len(params) == 0 {
			v.required(p, "at least one parameter, or remove the control")
		}
		for _, name := range slices.Sorted(maps.Keys(params)) {
			if name == "" {
				v.invalidKey(p, "", "parameter names must not be empty")
				continue
			}
			params[name].validate(v, keyPath(p, name))
		}
	}
}

// validate checks that exactly one of the value's fields is set.
func (pv ParameterValue) validate(v *validator, path string) {
	var all, set []string
	rv := reflect.ValueOf(pv)
	for _, f := range yamlFields(rv.Type()) {
		all = append(all, f.key)
		if !rv.Field(f.index).IsNil() {
			set = append(set, f.key)
		}
	}
	switch len(set) {
	case 1:
	case 0:
		v.required(path, "set exactly one of %s", strings.Join(all, ", "))
	default:
		v.invalid(path, omitValue, "sets %s; set exactly one of %s, of the type the parameter takes", strings.Join(set, " and "), strings.Join(all, ", "))
	}
}

// validate checks GuardDuty's settings; regions are the governed regions.
func (g *GuardDuty) validate(v *validator, path string, regions []string) {
	checkEnum(v, fieldPath(path, "findingPublishingFrequency"), g.FindingPublishingFrequency)
	buckets := fieldPath(path, "malwareProtectionS3")
	eachUnique(v, buckets, g.MalwareProtectionS3, "bucket", func(b MalwareProtectionS3Bucket) string { return b.Bucket }, func(p string, b MalwareProtectionS3Bucket) {
		if msg := bucketNameProblem(b.Bucket); msg != "" {
			v.invalid(fieldPath(p, "bucket"), b.Bucket, "%s", msg)
		}
		if !slices.Contains(regions, b.Region) {
			v.invalid(fieldPath(p, "region"), b.Region, "must be one of the governed regions (regions), where GuardDuty runs")
		} else if slices.Contains(g.ExcludeRegions, b.Region) {
			v.invalid(fieldPath(p, "region"), b.Region, "GuardDuty is off there (detection.guardDuty.excludeRegions)")
		}
		if len(b.Prefixes) > maxMalwarePrefixes {
			v.tooMany(fieldPath(p, "prefixes"), "%d prefixes, at most %d", len(b.Prefixes), maxMalwarePrefixes)
		}
		for j, pre := range b.Prefixes {
			if len(pre) > maxMalwarePrefixLen {
				v.invalid(indexPath(fieldPath(p, "prefixes"), j), omitValue, "at most %d characters", maxMalwarePrefixLen)
			}
		}
	})
}

// validate checks AWS Config's recorder and rules.
func (s *ConfigService) validate(v *validator, path string) {
	checkEnum(v, fieldPath(path, "recordingFrequency"), s.RecordingFrequency)
	checkEnum(v, fieldPath(path, "deliveryFrequency"), s.DeliveryFrequency)
	excluded := fieldPath(path, "excludedResourceTypes")
	eachUnique(v, excluded, s.ExcludedResourceTypes, "", identity, func(p string, t string) {
		if !resourceTypePattern.MatchString(t) {
			v.invalid(p, t, "must be a resource type such as \"AWS::EC2::NetworkInterface\"")
		}
	})
	rules := fieldPath(path, "managedRules")
	eachUnique(v, rules, s.ManagedRules, "identifier", func(r ManagedRule) string { return r.Identifier }, func(p string, r ManagedRule) {
		if !managedRulePattern.MatchString(r.Identifier) {
			v.invalid(fieldPath(p, "identifier"), r.Identifier, "must be a managed rule identifier such as \"ROOT_ACCOUNT_MFA_ENABLED\" (upper-case letters, digits, underscores)")
		}
		if _, ok := r.Parameters[""]; ok {
			v.invalidKey(fieldPath(p, "parameters"), "", "parameter names must not be empty")
		}
	})
}

// validate checks Inspector's scan settings. The cross-field rules apply only
// when Inspector is on: a disabled Inspector ignores the rest.
func (in *Inspector) validate(v *validator, path string) {
	checkEnum(v, fieldPath(path, "ecrRescanDuration"), in.ECRRescanDuration)
	if in.Enabled && in.ScanTypes.LambdaCode && !in.ScanTypes.Lambda {
		v.forbidden(fieldPath(path, "scanTypes.lambdaCode"), "Lambda code scanning needs Lambda scanning; set scanTypes.lambda: true, or lambdaCode: false")
	}

	cis := in.CISScan
	p := fieldPath(path, "cisScan")
	checkEnum(v, fieldPath(p, "securityLevel"), cis.SecurityLevel)
	checkEnum(v, fieldPath(p, "frequency"), cis.Frequency)
	if !timeOfDayPattern.MatchString(cis.TimeOfDay) {
		v.invalid(fieldPath(p, "timeOfDay"), cis.TimeOfDay, "must be a 24-hour time HH:MM such as \"03:00\"")
	}
	if _, err := time.LoadLocation(cis.TimeZone); err != nil || cis.TimeZone == "" || cis.TimeZone == "Local" {
		v.invalid(fieldPath(p, "timeZone"), cis.TimeZone, "must be an IANA time zone name such as \"UTC\" or \"Europe/Berlin\"")
	}
	days := fieldPath(p, "days")
	eachUnique(v, days, cis.Days, "", identity, func(p string, d string) {
		if !slices.Contains(weekdays(), d) {
			v.notSupported(p, d, "supported values: %s", quoteList(weekdays()))
		}
	})
	if cis.Frequency == "WEEKLY" && len(cis.Days) == 0 {
		v.required(days, "a weekly scan runs on at least one day")
	}
	if !slices.Contains(weekdays(), cis.DayOfMonth) {
		v.notSupported(fieldPath(p, "dayOfMonth"), cis.DayOfMonth, "supported values: %s", quoteList(weekdays()))
	}
	tags := fieldPath(p, "targetTags")
	for _, k := range slices.Sorted(maps.Keys(cis.TargetTags)) {
		if k == "" {
			v.invalidKey(tags, "", "tag keys must not be empty")
		} else if len(cis.TargetTags[k]) == 0 {
			v.required(keyPath(tags, k), "at least one tag value")
		}
	}
	if in.Enabled && cis.Enabled {
		if len(cis.TargetTags) == 0 {
			v.required(tags, "CIS scans need at least one tag that selects the instances to scan")
		}
		if !in.ScanTypes.EC2 {
			v.forbidden(fieldPath(p, "enabled"), "CIS scans need EC2 scanning; set scanTypes.ec2: true, or cisScan.enabled: false")
		}
	}
}

// validate checks the detection layer; regions are the governed regions.
func (d *Detection) validate(v *validator, path string, regions []string) {
	d.SecurityHub.validate(v, fieldPath(path, "securityHub"))
	d.GuardDuty.validate(v, fieldPath(path, "guardDuty"), regions)
	d.Config.validate(v, fieldPath(path, "config"))
	if !d.Config.Enabled && d.SecurityHub.Enabled {
		v.forbidden(fieldPath(path, "config.enabled"), "Security Hub controls are evaluated by AWS Config rules and need AWS Config recording; "+
			"keep detection.config.enabled: true, or also set detection.securityHub.enabled: false")
	}
	if !d.SecurityHub.Enabled && !d.GuardDuty.Enabled && !d.Config.Enabled && !d.AccessAnalyzer.ExternalAccess &&
		!d.AccessAnalyzer.UnusedAccess.Enabled && !d.Inspector.Enabled {
		v.forbidden(path, "every detection service is off; keep at least one of securityHub, guardDuty, config, accessAnalyzer or inspector on "+
			"(IAM Access Analyzer's external-access analyzer costs nothing)")
	}
	v.intRange(fieldPath(path, "accessAnalyzer.unusedAccess.unusedAccessAgeDays"), d.AccessAnalyzer.UnusedAccess.UnusedAccessAgeDays, 1, 365)
	d.Inspector.validate(v, fieldPath(path, "inspector"))
}

// validateDetectionRegions checks Security Hub's and AWS Config's
// excludeRegions against what needs them in a region: Security Hub
// controls are AWS Config rules, Firewall Manager evaluates through AWS
// Config recording, and Control Tower records with its own recorder in
// every region it governs, which mamori cannot leave out.
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-setup-prereqs.html
// https://docs.aws.amazon.com/waf/latest/developerguide/enable-config.html
func (c *Config) validateDetectionRegions(v *validator) {
	defer c.validateExcludeRegions(v, "detection.config.excludeRegions", c.Detection.Config.ExcludeRegions)
	c.validateExcludeRegions(v, "detection.securityHub.excludeRegions", c.Detection.SecurityHub.ExcludeRegions)
	dc, sh := c.Detection.Config, c.Detection.SecurityHub
	if !dc.Enabled {
		return
	}
	fms := c.Topology.Mode == ModeOrganization && c.InfrastructureProtection.FirewallManager.Enabled
	controlTower := c.Topology.Organization != nil && c.Topology.Organization.ControlTower && c.Topology.Mode == ModeOrganization
	for i, region := range dc.ExcludeRegions {
		if region == c.HomeRegion || !slices.Contains(c.Regions, region) {
			continue // validateExcludeRegions reports it
		}
		p := indexPath("detection.config.excludeRegions", i)
		switch {
		case controlTower:
			v.forbidden(p, "AWS Control Tower records with its own AWS Config recorder in every region it governs (topology.organization.controlTower: true), "+
				"which mamori cannot leave out; remove %s here, or stop governing it", region)
		case fms:
			v.forbidden(p, "Firewall Manager's policies apply in %s and evaluate resources through AWS Config recording there; "+
				"remove %s here, or set infrastructureProtection.firewallManager.enabled: false", region, region)
		case sh.In(region):
			v.forbidden(p, "Security Hub controls are AWS Config rules and need AWS Config recording in %s; "+
				"add %s to detection.securityHub.excludeRegions too, or remove it here", region, region)
		}
	}
}

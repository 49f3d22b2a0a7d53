package stacks

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/detection"
)

func TestConfigRules(t *testing.T) {
	c := config.ConfigService{ManagedRules: []config.ManagedRule{
		{Identifier: "IAM_PASSWORD_POLICY", HomeRegionOnly: true},
		{Identifier: "S3_BUCKET_VERSIONING_ENABLED", Parameters: map[string]string{"isMfaDeleteEnabled": "false"}},
	}}
	assert.Equal(t, []detection.ManagedRule{
		{Identifier: "IAM_PASSWORD_POLICY"},
		{Identifier: "S3_BUCKET_VERSIONING_ENABLED", Parameters: map[string]string{"isMfaDeleteEnabled": "false"}},
	}, configRules(c, true), "the home region deploys every rule")
	assert.Equal(t, []detection.ManagedRule{
		{Identifier: "S3_BUCKET_VERSIONING_ENABLED", Parameters: map[string]string{"isMfaDeleteEnabled": "false"}},
	}, configRules(c, false), "other regions skip home-region-only rules")
}

func TestSecurityHubProps(t *testing.T) {
	days := 30
	hub := config.SecurityHub{
		Enabled:   true,
		Standards: []config.Standard{config.StandardFSBP},
		DisabledControls: map[string][]config.DisabledControl{
			string(config.StandardCIS):  {{Control: "1.14", Reason: "keys are rotated by the identity provider"}},
			string(config.StandardFSBP): {{Control: "IAM.6", Reason: "hardware MFA is held by the break-glass owner"}},
		},
		ControlParameters: map[string]map[string]config.ParameterValue{"ACM.1": {"daysToExpiration": {Integer: &days}}},
	}
	home := hubScope{Region: "eu-west-1", Regions: []string{"eu-central-1", "eu-west-1", "us-east-1"}, Home: true, Recorder: true}
	got := securityHubProps(hub, home, false)

	assert.Equal(t, []detection.Standard{detection.Standard(config.StandardFSBP)}, got.Standards)
	assert.False(t, got.NoStandards)
	assert.True(t, got.StandardControlFindings, "consolidated control findings are off unless configured")
	assert.True(t, got.ManualNewControls, "new controls are not enabled automatically unless configured")
	assert.Equal(t, []detection.DisabledControl{
		{Standard: detection.Standard(config.StandardFSBP), Control: "IAM.6", Reason: "hardware MFA is held by the break-glass owner"},
		{Standard: detection.Standard(config.StandardCIS), Control: "1.14", Reason: "keys are rotated by the identity provider"},
	}, got.DisabledControls, "sorted by standard")
	off := false
	assert.Equal(t, []detection.ControlParameters{
		{Control: "ACM.1", Parameters: map[string]detection.ParameterValue{"daysToExpiration": {Integer: &days}}},
		{Control: "Config.1", Parameters: map[string]detection.ParameterValue{"includeConfigServiceLinkedRoleCheck": {Boolean: &off}}},
	}, got.ControlParameters, "Config.1 stops checking for the service-linked role when mamori records")
	assert.Equal(t, []string{"eu-central-1", "us-east-1"}, got.AggregateRegions, "the home region aggregates the others")

	member := securityHubProps(hub, hubScope{Region: "eu-central-1", Regions: home.Regions, Recorder: false}, false)
	assert.Empty(t, member.AggregateRegions, "only the home region aggregates")
	assert.Len(t, member.ControlParameters, 1, "no Config.1 parameter without mamori's recorder")

	central := securityHubProps(hub, hubScope{Region: "eu-west-1", Home: true, Regions: home.Regions, Recorder: true, CentrallyConfigured: true}, true)
	assert.True(t, central.NoStandards, "a configuration policy owns the standards")
	assert.Empty(t, central.DisabledControls)
	assert.Empty(t, central.ControlParameters)
	assert.True(t, central.DestroyOnDelete)
	assert.True(t, central.CentralConfiguration, "central configuration's home region needs an aggregator")
	assert.NotEmpty(t, hub.Standards, "the caller's config is not changed")
	assert.False(t, got.CentralConfiguration, "standalone: no aggregator without a region to link")
	other := securityHubProps(hub, hubScope{Region: "eu-central-1", Regions: home.Regions, CentrallyConfigured: true}, false)
	assert.False(t, other.CentralConfiguration, "only the home region aggregates")
}

// An organization that governs one region, or whose other regions all
// exclude Security Hub, still needs a finding aggregator in the home region
// for central configuration: one that links no region.
func TestSecurityHubPropsCentralConfigurationAlone(t *testing.T) {
	hub := config.SecurityHub{Enabled: true}
	alone := securityHubProps(hub, hubScope{Region: "us-east-1", Regions: []string{"us-east-1"}, Home: true, CentrallyConfigured: true}, false)
	assert.Empty(t, alone.AggregateRegions)
	assert.True(t, alone.CentralConfiguration)
	hub.ExcludeRegions = []string{"eu-west-1"}
	excluded := securityHubProps(hub, hubScope{Region: "us-east-1", Regions: []string{"us-east-1", "eu-west-1"}, Home: true, CentrallyConfigured: true}, false)
	assert.Empty(t, excluded.AggregateRegions)
	assert.True(t, excluded.CentralConfiguration)
}

func TestSecurityHubPropsLinksOnlyRegionsWithAHub(t *testing.T) {
	hub := config.SecurityHub{Enabled: true, ExcludeRegions: []string{"eu-north-1"}}
	at := hubScope{Region: "eu-west-1", Regions: []string{"eu-west-1", "eu-north-1", "eu-central-1"}, Home: true}
	assert.Equal(t, []string{"eu-central-1"}, securityHubProps(hub, at, false).AggregateRegions,
		"an excluded region has no hub to link, and central configuration must not apply there")
	hub.ExcludeRegions = []string{"eu-north-1", "eu-central-1"}
	assert.Empty(t, securityHubProps(hub, at, false).AggregateRegions, "no aggregator when every other region is excluded")
}

func TestLinkedRegions(t *testing.T) {
	regions := []string{"us-east-1", "us-west-2", "eu-west-1"}
	assert.Equal(t, []string{"us-west-2", "eu-west-1"}, linkedRegions(regions, "us-east-1", nil))
	assert.Equal(t, []string{"eu-west-1"}, linkedRegions(regions, "us-east-1", []string{"us-west-2"}))
	assert.Nil(t, linkedRegions(regions, "us-east-1", []string{"us-west-2", "eu-west-1"}))
}

func TestDetectionIn(t *testing.T) {
	c := config.Detection{
		SecurityHub:    config.SecurityHub{Enabled: true, ExcludeRegions: []string{"eu-north-1"}},
		Config:         config.ConfigService{Enabled: true, ExcludeRegions: []string{"eu-north-1"}},
		GuardDuty:      config.GuardDuty{Enabled: true},
		Inspector:      config.Inspector{Enabled: true, ExcludeRegions: []string{"eu-central-1"}},
		AccessAnalyzer: config.AccessAnalyzer{ExternalAccess: true},
	}
	assert.Equal(t, detectionServices{Recorder: true, SecurityHub: true, GuardDuty: true, Inspector: true}, detectionIn(c, "eu-west-1"))
	assert.Equal(t, detectionServices{GuardDuty: true, Inspector: true}, detectionIn(c, "eu-north-1"),
		"no recorder, rules or hub where AWS Config and Security Hub are excluded")
	assert.Equal(t, detectionServices{Recorder: true, SecurityHub: true, GuardDuty: true}, detectionIn(c, "eu-central-1"))

	c.Config.Existing, c.GuardDuty.Existing = config.ExistingLeave, config.ExistingLeave
	assert.Equal(t, detectionServices{ConfigRules: true, SecurityHub: true, Inspector: true}, detectionIn(c, "eu-west-1"),
		"existing: leave deploys the rules on the existing recorder and no detector")
	assert.Equal(t, detectionServices{Inspector: true}, detectionIn(c, "eu-north-1"), "no rules where AWS Config is excluded, even on a left recorder")
}

func TestConfigRecorderProps(t *testing.T) {
	c := config.ConfigService{
		RecordingFrequency: "DAILY", DeliveryFrequency: "Six_Hours", ExcludedResourceTypes: []string{"AWS::EC2::NetworkInterface"},
		ManagedRules: []config.ManagedRule{{Identifier: "IAM_PASSWORD_POLICY", HomeRegionOnly: true}, {Identifier: "CLOUD_TRAIL_ENABLED"}},
	}
	home := configRecorderProps(c, true)
	assert.False(t, home.SkipGlobalResources, "the home region records the global resource types")
	assert.True(t, home.DailyRecording)
	assert.Equal(t, detection.DeliveryFrequency("Six_Hours"), home.DeliveryFrequency)
	assert.Equal(t, []string{"AWS::EC2::NetworkInterface"}, home.ExcludedResourceTypes)
	assert.Len(t, home.ManagedRules, 2)
	other := configRecorderProps(config.ConfigService{RecordingFrequency: "CONTINUOUS", ManagedRules: c.ManagedRules}, false)
	assert.True(t, other.SkipGlobalResources, "global resource types are recorded once, in the home region")
	assert.False(t, other.DailyRecording)
	assert.Equal(t, []detection.ManagedRule{{Identifier: "CLOUD_TRAIL_ENABLED"}}, other.ManagedRules)
	assert.Nil(t, other.Bucket, "the stack adds the bucket and key")
}

func TestGuardDutyProps(t *testing.T) {
	gd := config.GuardDuty{
		FindingPublishingFrequency: "FIFTEEN_MINUTES",
		Protection:                 config.GuardDutyProtection{S3DataEvents: true},
		MalwareProtectionS3: []config.MalwareProtectionS3Bucket{
			{Bucket: "uploads", Region: "eu-west-1", Prefixes: []string{"in/"}},
			{Bucket: "elsewhere", Region: "eu-central-1"},
		},
	}
	got := guardDutyProps(gd, "eu-west-1", true)
	assert.Equal(t, detection.PublishingFrequency("FIFTEEN_MINUTES"), got.PublishingFrequency)
	assert.True(t, got.Plans.S3DataEvents)
	assert.False(t, got.Plans.RuntimeMonitoring, "every plan is set explicitly, off unless configured")
	assert.Equal(t, []detection.MalwareScannedBucket{{BucketName: "uploads", Prefixes: []string{"in/"}}}, got.MalwareScannedBuckets, "only the region's buckets")
	assert.True(t, got.DestroyOnDelete)
	assert.Nil(t, got.FindingsBucket, "the stack adds the export")
}

func TestAccessAnalyzerProps(t *testing.T) {
	aa := config.AccessAnalyzer{ExternalAccess: true, ExcludeRegions: []string{"eu-north-1"}, UnusedAccess: config.UnusedAccess{Enabled: true, UnusedAccessAgeDays: 90}}
	assert.Equal(t, &detection.AccessAnalyzerProps{UnusedAccessAgeDays: 90}, accessAnalyzerProps(aa, "eu-west-1", true, false))
	assert.Equal(t, &detection.AccessAnalyzerProps{}, accessAnalyzerProps(aa, "eu-central-1", false, false), "unused access only in the home region")
	assert.Nil(t, accessAnalyzerProps(aa, "eu-north-1", false, false), "nothing where external access is excluded")
	aa.ExternalAccess = false
	assert.Equal(t, &detection.AccessAnalyzerProps{SkipExternalAccess: true, UnusedAccessAgeDays: 90, DestroyOnDelete: true}, accessAnalyzerProps(aa, "eu-west-1", true, true))
	aa.Existing = config.ExistingLeave
	assert.Nil(t, accessAnalyzerProps(aa, "eu-west-1", true, false), "existing: leave keeps analyzers out of the stack")
}

func TestDetectionSuppressions(t *testing.T) {
	target, bucket, fn := jsiiString("target"), jsiiString("bucket"), jsiiString("fn")
	got := detectionSuppressions([]*string{target}, []*string{bucket}, []*string{fn})
	var names []string
	for _, s := range got {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"AccessLogTarget", "LogMfaDelete", "LogObjectLock", "DeploymentFunctions"}, names)
	assert.Equal(t, []*string{target, bucket}, got[1].ResourceArns, "log-bucket controls cover the targets too")
	assert.Equal(t, []*string{fn}, got[3].ResourceArns)
	assert.Empty(t, detectionSuppressions(nil, nil, nil), "no suppression names no resource")
	only := detectionSuppressions(nil, []*string{bucket}, nil)
	assert.Len(t, only, 2, "no access-log target and no function: their suppressions are left out")
}

func jsiiString(s string) *string { return &s }

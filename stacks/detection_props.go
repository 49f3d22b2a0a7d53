package stacks

import (
	"maps"
	"slices"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/detection"
)

// The functions below translate the detection config into construct props.
// They create no constructs, so they are tested without Node.js.

// configRules are the AWS Config managed rules a region deploys: every rule
// in the home region, the rest elsewhere.
func configRules(c config.ConfigService, home bool) []detection.ManagedRule {
	var rules []detection.ManagedRule
	for _, r := range c.ManagedRules {
		if home || !r.HomeRegionOnly {
			rules = append(rules, detection.ManagedRule{Identifier: r.Identifier, Parameters: r.Parameters})
		}
	}
	return rules
}

// inspectorProps are Inspector's props without Calls, which the stack adds.
// The CIS scan configuration is named "<prefix>-cis".
func inspectorProps(in config.Inspector, prefix string, destroy bool) *detection.InspectorProps {
	props := &detection.InspectorProps{
		Scan:              &detection.ScanTypes{EC2: in.ScanTypes.EC2, ECR: in.ScanTypes.ECR, Lambda: in.ScanTypes.Lambda, LambdaCode: in.ScanTypes.LambdaCode},
		ECRRescanDuration: string(in.ECRRescanDuration),
		ScanName:          prefix + "-cis",
		DisableOnDelete:   destroy,
	}
	if cis := in.CISScan; cis.Enabled {
		props.CISScan = &detection.CISScanSchedule{
			Level: string(cis.SecurityLevel), Frequency: string(cis.Frequency), TimeOfDay: cis.TimeOfDay, TimeZone: cis.TimeZone,
			Days: cis.Days, Day: cis.DayOfMonth, TargetTags: cis.TargetTags,
		}
	}
	return props
}

// hubScope is where a Security Hub is deployed and what else its region has.
type hubScope struct {
	// Region is the hub's region; Regions are all governed regions.
	Region  string
	Regions []string
	// Home aggregates the other regions' findings.
	Home bool
	// CentrallyConfigured leaves standards and controls to the
	// organization's configuration policy.
	CentrallyConfigured bool
	// Recorder is true when this stack deploys an AWS Config recorder.
	Recorder bool
}

// securityHubProps are Security Hub's props without the suppressions and
// dependencies, which name constructs of the stack. Standards, disabled
// controls and control parameters are in a fixed order: sorted by standard
// and by control.
func securityHubProps(hub config.SecurityHub, at hubScope, destroy bool) *detection.SecurityHubProps {
	props := &detection.SecurityHubProps{
		StandardControlFindings: !hub.ConsolidatedControlFindings,
		ExistingHub:             leaves(hub.Existing),
		ManualNewControls:       !hub.AutoEnableControls,
		DestroyOnDelete:         destroy,
	}
	if at.CentrallyConfigured {
		hub.Standards, hub.DisabledControls, hub.ControlParameters = nil, nil, nil
	}
	for _, std := range hub.Standards {
		props.Standards = append(props.Standards, detection.Standard(std))
	}
	props.NoStandards = len(props.Standards) == 0
	for _, std := range slices.Sorted(maps.Keys(hub.DisabledControls)) {
		for _, d := range hub.DisabledControls[std] {
			props.DisabledControls = append(props.DisabledControls, detection.DisabledControl{Standard: detection.Standard(std), Control: d.Control, Reason: d.Reason})
		}
	}
	for _, control := range slices.Sorted(maps.Keys(hub.ControlParameters)) {
		params := map[string]detection.ParameterValue{}
		for name, v := range hub.ControlParameters[control] {
			params[name] = detection.ParameterValue(v)
		}
		props.ControlParameters = append(props.ControlParameters, detection.ControlParameters{Control: control, Parameters: params})
	}
	if _, set := hub.ControlParameters["Config.1"]; at.Recorder && !set && !at.CentrallyConfigured {
		// Config.1 fails, at critical severity, for a recorder that does not
		// use the AWS Config service-linked role unless told not to check it:
		// mamori's recorder has its own least-privilege role.
		// https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1
		off := false
		props.ControlParameters = append(props.ControlParameters, detection.ControlParameters{
			Control: "Config.1", Parameters: map[string]detection.ParameterValue{"includeConfigServiceLinkedRoleCheck": {Boolean: &off}},
		})
	}
	if at.Home {
		// Regions without a hub are not linked: the aggregator could not
		// pull from them, and central configuration, which applies in the
		// linked regions, leaves them alone.
		props.AggregateRegions = linkedRegions(at.Regions, at.Region, hub.ExcludeRegions)
		// Central configuration needs an aggregator here, one that links no
		// region when there is none to link.
		props.CentralConfiguration = at.CentrallyConfigured
	}
	return props
}

// linkedRegions are the regions an aggregator in home links: the other
// governed regions but the excluded ones, in their order.
func linkedRegions(regions []string, home string, excluded []string) []string {
	var out []string
	for _, r := range otherRegions(regions, home) {
		if !slices.Contains(excluded, r) {
			out = append(out, r)
		}
	}
	return out
}

// otherRegions are regions without region, in their order.
func otherRegions(regions []string, region string) []string {
	var out []string
	for _, r := range regions {
		if r != region {
			out = append(out, r)
		}
	}
	return out
}

// detectionServices says what the detection stack of one region deploys.
type detectionServices struct {
	// Recorder is mamori's AWS Config recorder with its rules; ConfigRules
	// are the rules alone, on a recorder mamori leaves (existing: leave).
	Recorder, ConfigRules bool
	SecurityHub           bool
	GuardDuty             bool
	Inspector             bool
}

// detectionIn says what region's detection stack deploys: each service
// where it is on and not excluded, and existing: leave keeps an existing
// recorder or detector out of the stack, with what only it would use.
func detectionIn(c config.Detection, region string) detectionServices {
	return detectionServices{
		Recorder:    c.Config.In(region) && !leaves(c.Config.Existing),
		ConfigRules: c.Config.In(region) && leaves(c.Config.Existing),
		SecurityHub: c.SecurityHub.In(region),
		GuardDuty:   c.GuardDuty.In(region) && !leaves(c.GuardDuty.Existing),
		Inspector:   c.Inspector.In(region),
	}
}

// configRecorderProps are the recorder's props without the bucket and key,
// which the stack creates: global resource types only in the home region.
func configRecorderProps(c config.ConfigService, home bool) *detection.ConfigRecorderProps {
	return &detection.ConfigRecorderProps{
		SkipGlobalResources:   !home,
		ExcludedResourceTypes: c.ExcludedResourceTypes,
		DailyRecording:        c.RecordingFrequency == "DAILY",
		DeliveryFrequency:     detection.DeliveryFrequency(c.DeliveryFrequency),
		ManagedRules:          configRules(c, home),
	}
}

// guardDutyProps are the detector's props without the findings export,
// which names the stack's bucket: the malware-protection buckets of region.
func guardDutyProps(gd config.GuardDuty, region string, destroy bool) *detection.GuardDutyProps {
	props := &detection.GuardDutyProps{
		PublishingFrequency: detection.PublishingFrequency(gd.FindingPublishingFrequency),
		Plans:               guardDutyPlans(gd),
		DestroyOnDelete:     destroy,
	}
	for _, b := range gd.MalwareProtectionS3 {
		if b.Region == region {
			props.MalwareScannedBuckets = append(props.MalwareScannedBuckets, detection.MalwareScannedBucket{BucketName: b.Bucket, Prefixes: b.Prefixes})
		}
	}
	return props
}

// accessAnalyzerProps are region's analyzers: external access where it is
// not excluded, unused access in the home region; nil when there are none
// or an existing analyzer is left (existing: leave).
func accessAnalyzerProps(aa config.AccessAnalyzer, region string, home, destroy bool) *detection.AccessAnalyzerProps {
	unused := home && aa.UnusedAccess.Enabled
	if (!aa.ExternalAccessIn(region) && !unused) || leaves(aa.Existing) {
		return nil
	}
	props := &detection.AccessAnalyzerProps{SkipExternalAccess: !aa.ExternalAccessIn(region), DestroyOnDelete: destroy}
	if unused {
		props.UnusedAccessAgeDays = aa.UnusedAccess.UnusedAccessAgeDays
	}
	return props
}

// detectionSuppressions are the Security Hub suppressions for mamori's own
// buckets and deployment functions in a region, each only when it names a
// resource.
func detectionSuppressions(accessLogTargets, logBuckets, functions []*string) []detection.FindingSuppression {
	var out []detection.FindingSuppression
	for _, sup := range ownBucketSuppressions(accessLogTargets, logBuckets) {
		if len(sup.ResourceArns) > 0 {
			out = append(out, sup)
		}
	}
	if len(functions) > 0 {
		sup := deploymentFunctionSuppression
		sup.ResourceArns = functions
		out = append(out, sup)
	}
	return out
}

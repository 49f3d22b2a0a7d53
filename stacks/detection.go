package stacks

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/detection"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

// DetectionStackProps configures a DetectionStack.
type DetectionStackProps struct {
	Base Base
	// Home marks the home region: it records global resource types, holds the
	// unused-access analyzer and aggregates every region's findings.
	Home bool
	// Regions are all governed regions, the home region among them.
	Regions   []string
	Detection config.Detection
	Logs      config.Logs
	// LogsKey and FindingsKey come from the data-protection layer.
	LogsKey     awskms.IKey
	FindingsKey awskms.IKey
	// DataProtection is this region's data-protection stack: its buckets and
	// API-call functions get the same Security Hub treatment as this stack's.
	DataProtection *DataProtectionStack
	// CentrallyConfigured leaves Security Hub's standards, disabled controls
	// and control parameters to the organization's configuration policy
	// (organization mode), which refuses changes made by the account itself.
	CentrallyConfigured bool
}

// DetectionStack is the detection layer in one region: Security Hub at the
// centre, fed by AWS Config, GuardDuty, IAM Access Analyzer and Inspector,
// with the encrypted buckets their data lands in.
type DetectionStack struct {
	Stack       awscdk.Stack
	SecurityHub *detection.SecurityHub
	GuardDuty   *detection.GuardDuty
}

// NewDetectionStack creates a DetectionStack.
func NewDetectionStack(app awscdk.App, name string, props *DetectionStackProps) *DetectionStack {
	p := *props
	c := p.Detection
	region := *p.Base.StackProps.Env.Region
	stack := newStack(app, name, "detection", "mamori detection: Security Hub, GuardDuty, AWS Config, IAM Access Analyzer and Inspector", p.Base)
	s := &DetectionStack{Stack: stack}
	destroy := p.Base.DestroyOnDelete

	// The access-log target exists only for the log buckets below.
	var accessLogs *dataprotection.SecureBucket
	accessLogTarget := func() *dataprotection.SecureBucket {
		if accessLogs == nil {
			accessLogs = dataprotection.NewSecureBucket(stack, "AccessLogsBucket", &dataprotection.SecureBucketProps{
				AccessLogTarget: true, Retention: days(p.Logs.RetentionDays), TransitionToGlacier: days(p.Logs.TransitionToGlacierDays), DestroyOnDelete: destroy,
			})
		}
		return accessLogs
	}
	logBuckets := []*string{}
	logBucket := func(id string, key awskms.IKey) *dataprotection.SecureBucket {
		b := dataprotection.NewSecureBucket(stack, id, &dataprotection.SecureBucketProps{
			EncryptionKey: key, AccessLogs: accessLogTarget().Bucket,
			Retention: days(p.Logs.RetentionDays), TransitionToGlacier: days(p.Logs.TransitionToGlacierDays), DestroyOnDelete: destroy,
		})
		logBuckets = append(logBuckets, b.Bucket.BucketArn())
		return b
	}
	// existing: leave keeps an existing singleton out of the stack, with
	// what only it would use.
	recordHere := c.Config.Enabled && !leaves(c.Config.Existing)
	guardDutyHere := c.GuardDuty.In(region) && !leaves(c.GuardDuty.Existing)
	var configBucket, findingsBucket *dataprotection.SecureBucket
	if recordHere {
		configBucket = logBucket("ConfigBucket", p.LogsKey)
	}
	if guardDutyHere && c.GuardDuty.ExportFindings {
		findingsBucket = logBucket("FindingsBucket", p.FindingsKey)
	}

	var recorder *detection.ConfigRecorder
	rules := configRules(c.Config, p.Home)
	if c.Config.Enabled && !recordHere {
		detection.NewConfigRules(stack, "Config", rules)
	}
	var calls *sdkcall.Provider
	if recordHere {
		props := &detection.ConfigRecorderProps{
			Bucket:                configBucket,
			Key:                   p.LogsKey,
			SkipGlobalResources:   !p.Home,
			ExcludedResourceTypes: c.Config.ExcludedResourceTypes,
			DailyRecording:        c.Config.RecordingFrequency == "DAILY",
			DeliveryFrequency:     detection.DeliveryFrequency(c.Config.DeliveryFrequency),
			ManagedRules:          rules,
		}
		// existing: adopt updates the account's recorder in place.
		if c.Config.Existing == config.ExistingAdopt {
			calls = sdkCalls(stack, p.LogsKey, p.Logs, destroy)
			props.AdoptExisting, props.Calls = true, calls
		}
		recorder = detection.NewConfigRecorder(stack, "Config", props)
	}

	// Inspector comes first: Security Hub's suppressions name its functions.
	if in := c.Inspector; in.In(region) {
		calls = sdkCalls(stack, p.LogsKey, p.Logs, destroy)
		props := inspectorProps(in, p.Base.Prefix, destroy)
		props.Calls = calls
		detection.NewInspector(stack, "Inspector", props)
	}

	if c.SecurityHub.Enabled {
		props := securityHubProps(c.SecurityHub, hubScope{
			Region: region, Home: p.Home, Regions: p.Regions, CentrallyConfigured: p.CentrallyConfigured, Recorder: recorder != nil,
		}, destroy)
		var targets []*string
		if accessLogs != nil {
			targets = append(targets, accessLogs.Bucket.BucketArn())
		}
		if dp := p.DataProtection; dp != nil && dp.AccessLogs != nil {
			targets = append(targets, dp.AccessLogs.Bucket.BucketArn())
			logBuckets = append(logBuckets, dp.LogBuckets...)
		}
		for _, sup := range ownBucketSuppressions(targets, logBuckets) {
			if len(sup.ResourceArns) > 0 {
				props.Suppressions = append(props.Suppressions, sup)
			}
		}
		var functions []*string
		if calls != nil {
			functions = append(functions, calls.FunctionArns()...)
		}
		if p.DataProtection != nil {
			functions = append(functions, p.DataProtection.FunctionArns()...)
		}
		if len(functions) > 0 {
			sup := deploymentFunctionSuppression
			sup.ResourceArns = functions
			props.Suppressions = append(props.Suppressions, sup)
		}
		if recorder != nil {
			props.DependsOn = []constructs.IDependable{recorder.Dependable()}
		}
		s.SecurityHub = detection.NewSecurityHub(stack, "SecurityHub", props)
	}

	if guardDutyHere {
		gd := c.GuardDuty
		props := &detection.GuardDutyProps{
			PublishingFrequency: detection.PublishingFrequency(gd.FindingPublishingFrequency),
			Plans:               guardDutyPlans(gd),
			DestroyOnDelete:     destroy,
		}
		if findingsBucket != nil {
			props.FindingsBucket = findingsBucket
			props.FindingsKey = p.FindingsKey
			props.ServicePrincipal = guardDutyPrincipal(region)
		}
		for _, b := range gd.MalwareProtectionS3 {
			if b.Region == region {
				props.MalwareScannedBuckets = append(props.MalwareScannedBuckets, detection.MalwareScannedBucket{BucketName: b.Bucket, Prefixes: b.Prefixes})
			}
		}
		s.GuardDuty = detection.NewGuardDuty(stack, "GuardDuty", props)
	}

	aa := c.AccessAnalyzer
	if (aa.ExternalAccessIn(region) || (p.Home && aa.UnusedAccess.Enabled)) && !leaves(aa.Existing) {
		props := &detection.AccessAnalyzerProps{SkipExternalAccess: !aa.ExternalAccessIn(region), DestroyOnDelete: destroy}
		if p.Home && aa.UnusedAccess.Enabled {
			props.UnusedAccessAgeDays = aa.UnusedAccess.UnusedAccessAgeDays
		}
		detection.NewAccessAnalyzer(stack, "AccessAnalyzer", props)
	}

	return s
}

func days(n int) time.Duration { return time.Duration(n) * day }

// deploymentFunctionSuppression is Lambda.3 (functions in a VPC) for
// mamori's deployment-time functions; ResourceArns names them.
var deploymentFunctionSuppression = detection.FindingSuppression{
	Name: "DeploymentFunctions", Controls: []string{"Lambda.3"},
	Reason: "mamori deployment function: it only calls AWS APIs while CloudFormation deploys; a VPC would add NAT endpoints and cost without isolating anything.",
}

// ownBucketSuppressions names the Security Hub controls that mamori's own log
// buckets cannot meet because of how AWS delivers logs, so that the account's
// score reflects real gaps only. Each reason lands in the finding's note and
// must be true of every bucket it names (test.TestSuppressionReasonsTrue).
// S3.7 (cross-region replication) is not among them: mamori does not
// replicate the buckets, so the control's failure is a real gap.
func ownBucketSuppressions(accessLogTargets, logBuckets []*string) []detection.FindingSuppression {
	all := append(append([]*string{}, accessLogTargets...), logBuckets...)
	return []detection.FindingSuppression{
		{
			Name: "AccessLogTarget", Controls: []string{"S3.9", "S3.17"}, ResourceArns: accessLogTargets,
			Reason: "mamori access-log target: S3 delivers server access logs only to SSE-S3 buckets, and a target that logged to itself would log forever.",
		},
		{
			Name: "LogMfaDelete", Controls: []string{"S3.20"}, ResourceArns: all,
			Reason: "mamori log bucket: MFA delete can only be turned on by the root user with its MFA device, not by CloudFormation; " +
				"versioning keeps overwritten and deleted objects as noncurrent versions until the lifecycle rule expires them.",
		},
		{
			Name: "LogObjectLock", Controls: []string{"S3.15"}, ResourceArns: all,
			Reason: "mamori log bucket: AWS Config does not deliver to Object Lock buckets, GuardDuty and Macie do not document it, and access-log targets refuse a default retention.",
		},
	}
}

// guardDutyPrincipal is the principal GuardDuty exports findings as in region:
// the regional form in an opt-in region, as the GuardDuty User Guide says.
func guardDutyPrincipal(region string) string {
	return detection.GuardDutyServicePrincipal(region, config.OptInRegion(region))
}

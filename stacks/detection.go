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
// with the encrypted buckets their data lands in; each service only where
// it is on and not excluded (detectionIn).
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
	on := detectionIn(c, region)
	logs := &logBuckets{stack: stack, logs: p.Logs, destroy: destroy}

	var recorder *detection.ConfigRecorder
	var calls *sdkcall.Provider
	switch {
	case on.Recorder:
		props := configRecorderProps(c.Config, p.Home)
		props.Bucket, props.Key = logs.add("ConfigBucket", p.LogsKey), p.LogsKey
		// existing: adopt updates the account's recorder in place.
		if c.Config.Existing == config.ExistingAdopt {
			calls = sdkCalls(stack, p.LogsKey, p.Logs, destroy)
			props.AdoptExisting, props.Calls = true, calls
		}
		recorder = detection.NewConfigRecorder(stack, "Config", props)
	case on.ConfigRules:
		detection.NewConfigRules(stack, "Config", configRules(c.Config, p.Home))
	}
	var findingsBucket *dataprotection.SecureBucket
	if on.GuardDuty && c.GuardDuty.ExportFindings {
		findingsBucket = logs.add("FindingsBucket", p.FindingsKey)
	}

	// Inspector comes first: Security Hub's suppressions name its functions.
	if on.Inspector {
		calls = sdkCalls(stack, p.LogsKey, p.Logs, destroy)
		props := inspectorProps(c.Inspector, p.Base.Prefix, destroy)
		props.Calls = calls
		detection.NewInspector(stack, "Inspector", props)
	}

	if on.SecurityHub {
		props := securityHubProps(c.SecurityHub, hubScope{
			Region: region, Home: p.Home, Regions: p.Regions, CentrallyConfigured: p.CentrallyConfigured, Recorder: recorder != nil,
		}, destroy)
		if props.CentralConfiguration && len(props.AggregateRegions) == 0 {
			calls = sdkCalls(stack, p.LogsKey, p.Logs, destroy)
			props.Calls = calls
		}
		if recorder != nil {
			props.DependsOn = []constructs.IDependable{recorder.Dependable()}
		}
		s.SecurityHub = detection.NewSecurityHub(stack, "SecurityHub", props)
		// After the hub: the suppressions name its finding aggregator's
		// function too, when it has one.
		s.SecurityHub.Suppress(logs.suppressions(p.DataProtection, calls))
	}

	if on.GuardDuty {
		props := guardDutyProps(c.GuardDuty, region, destroy)
		if findingsBucket != nil {
			props.FindingsBucket, props.FindingsKey, props.ServicePrincipal = findingsBucket, p.FindingsKey, guardDutyPrincipal(region)
		}
		s.GuardDuty = detection.NewGuardDuty(stack, "GuardDuty", props)
	}

	if props := accessAnalyzerProps(c.AccessAnalyzer, region, p.Home, destroy); props != nil {
		detection.NewAccessAnalyzer(stack, "AccessAnalyzer", props)
	}
	return s
}

// logBuckets are the detection stack's encrypted log buckets and the
// access-log target they log to, which exists only once a bucket needs it.
type logBuckets struct {
	stack      awscdk.Stack
	logs       config.Logs
	destroy    bool
	accessLogs *dataprotection.SecureBucket
	arns       []*string
}

// add creates a log bucket encrypted with key.
func (l *logBuckets) add(id string, key awskms.IKey) *dataprotection.SecureBucket {
	retention, glacier := days(l.logs.RetentionDays), days(l.logs.TransitionToGlacierDays)
	if l.accessLogs == nil {
		l.accessLogs = dataprotection.NewSecureBucket(l.stack, "AccessLogsBucket", &dataprotection.SecureBucketProps{
			AccessLogTarget: true, Retention: retention, TransitionToGlacier: glacier, DestroyOnDelete: l.destroy,
		})
	}
	b := dataprotection.NewSecureBucket(l.stack, id, &dataprotection.SecureBucketProps{
		EncryptionKey: key, AccessLogs: l.accessLogs.Bucket, Retention: retention, TransitionToGlacier: glacier, DestroyOnDelete: l.destroy,
	})
	l.arns = append(l.arns, b.Bucket.BucketArn())
	return b
}

// suppressions are the Security Hub suppressions for the region's own log
// buckets (this stack's and the data-protection stack's) and deployment
// functions (calls' and the data-protection stack's).
func (l *logBuckets) suppressions(dp *DataProtectionStack, calls *sdkcall.Provider) []detection.FindingSuppression {
	var targets, functions []*string
	buckets := append([]*string{}, l.arns...)
	if l.accessLogs != nil {
		targets = append(targets, l.accessLogs.Bucket.BucketArn())
	}
	if dp != nil && dp.AccessLogs != nil {
		targets = append(targets, dp.AccessLogs.Bucket.BucketArn())
		buckets = append(buckets, dp.LogBuckets...)
	}
	if calls != nil {
		functions = append(functions, calls.FunctionArns()...)
	}
	if dp != nil {
		functions = append(functions, dp.FunctionArns()...)
	}
	return detectionSuppressions(targets, buckets, functions)
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

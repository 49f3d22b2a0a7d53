package detection

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsguardduty"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/internal/nag"
)

// PublishingFrequency is how often GuardDuty publishes updates to findings.
type PublishingFrequency string

const (
	FifteenMinutes PublishingFrequency = "FIFTEEN_MINUTES"
	OneHour        PublishingFrequency = "ONE_HOUR"
	SixHours       PublishingFrequency = "SIX_HOURS"
)

// ProtectionPlans switches each GuardDuty protection plan. Every plan is sent
// to GuardDuty explicitly, ENABLED or DISABLED, because GuardDuty turns on
// any optional plan a detector leaves out.
// https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfiguration.html
type ProtectionPlans struct {
	S3DataEvents         bool
	EKSAuditLogs         bool
	EBSMalwareProtection bool
	RDSLoginEvents       bool
	LambdaNetworkLogs    bool
	// RuntimeMonitoring covers EKS, ECS and EC2; it supersedes the older
	// EKS-only runtime monitoring, which is therefore never sent.
	RuntimeMonitoring bool
	// The agent-management switches apply when RuntimeMonitoring is on.
	EKSAddOnManagement        bool
	ECSFargateAgentManagement bool
	EC2AgentManagement        bool
}

// PlanFeature is a GuardDuty detector feature and whether a set of plans
// turns it on. The detector (AWS::GuardDuty::Detector Features) and the
// organization's auto-enable settings (UpdateOrganizationConfiguration
// Features) take the same names.
// https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfiguration.html
type PlanFeature struct {
	Name string
	On   bool
	// Agents are the feature's additional configuration: the
	// runtime-monitoring agent management, on only with RUNTIME_MONITORING.
	Agents []PlanFeature
}

// Features lists the detector features the plans set, in a fixed order.
func (p ProtectionPlans) Features() []PlanFeature {
	agent := func(name string, on bool) PlanFeature { return PlanFeature{Name: name, On: on && p.RuntimeMonitoring} }
	return []PlanFeature{
		{Name: "S3_DATA_EVENTS", On: p.S3DataEvents},
		{Name: "EKS_AUDIT_LOGS", On: p.EKSAuditLogs},
		{Name: "EBS_MALWARE_PROTECTION", On: p.EBSMalwareProtection},
		{Name: "RDS_LOGIN_EVENTS", On: p.RDSLoginEvents},
		{Name: "LAMBDA_NETWORK_LOGS", On: p.LambdaNetworkLogs},
		{Name: "RUNTIME_MONITORING", On: p.RuntimeMonitoring, Agents: []PlanFeature{
			agent("EKS_ADDON_MANAGEMENT", p.EKSAddOnManagement),
			agent("ECS_FARGATE_AGENT_MANAGEMENT", p.ECSFargateAgentManagement),
			agent("EC2_AGENT_MANAGEMENT", p.EC2AgentManagement),
		}},
	}
}

// AllPlans turns every protection plan on, with GuardDuty managing the
// runtime-monitoring agent everywhere: what a props' nil Plans means.
func AllPlans() ProtectionPlans {
	return ProtectionPlans{
		S3DataEvents: true, EKSAuditLogs: true, EBSMalwareProtection: true, RDSLoginEvents: true, LambdaNetworkLogs: true,
		RuntimeMonitoring: true, EKSAddOnManagement: true, ECSFargateAgentManagement: true, EC2AgentManagement: true,
	}
}

// MalwareScannedBucket is a bucket whose new objects GuardDuty Malware
// Protection for S3 scans. It must be in the stack's account and region.
type MalwareScannedBucket struct {
	// BucketName is the bucket's name.
	BucketName string
	// Prefixes limit scanning to keys under them (at most 5). Default: all keys.
	Prefixes []string
}

// GuardDutyProps configures GuardDuty.
type GuardDutyProps struct {
	// PublishingFrequency is how often updated findings are exported and sent
	// to EventBridge. Default: FIFTEEN_MINUTES.
	PublishingFrequency PublishingFrequency
	// Plans switches each protection plan. Default: nil: every plan on,
	// runtime monitoring with every agent managed by GuardDuty (AllPlans).
	Plans *ProtectionPlans
	// FindingsBucket receives every finding, encrypted with FindingsKey; the
	// key's policy must carry GuardDutyKeyAccess. Default: no export.
	FindingsBucket *dataprotection.SecureBucket
	// FindingsKey encrypts exported findings; required with FindingsBucket.
	FindingsKey awskms.IKey
	// ServicePrincipal is the principal GuardDuty exports as, named in the
	// bucket policy. Default: "guardduty.amazonaws.com"; in an opt-in region
	// the GuardDuty User Guide names the regional form instead, e.g.
	// "guardduty.eu-south-1.amazonaws.com" (GuardDutyServicePrincipal).
	ServicePrincipal string
	// MalwareScannedBuckets get Malware Protection for S3. Default: none.
	MalwareScannedBuckets []MalwareScannedBucket
	// DestroyOnDelete deletes the detector, and with it the findings GuardDuty
	// holds, when it leaves the stack. Default: false: the detector is retained.
	DestroyOnDelete bool
}

// GuardDuty is a GuardDuty detector with every protection plan set
// explicitly, an optional KMS-encrypted findings export, and Malware
// Protection plans for chosen S3 buckets.
type GuardDuty struct {
	Scope    constructs.Construct
	Detector awsguardduty.CfnDetector
	// DetectorArn is the detector's ARN, for scoping service access.
	DetectorArn *string
}

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// NewGuardDuty creates a GuardDuty. It panics listing every invalid prop.
func NewGuardDuty(scope constructs.Construct, id string, props *GuardDutyProps) *GuardDuty {
	var p GuardDutyProps
	if props != nil {
		p = *props
	}
	if p.PublishingFrequency == "" {
		p.PublishingFrequency = FifteenMinutes
	}
	if p.ServicePrincipal == "" {
		p.ServicePrincipal = GuardDutyServicePrincipal("", false)
	}
	bad := problems.Of("detection.NewGuardDuty", id)
	if (p.FindingsBucket == nil) != (p.FindingsKey == nil) {
		bad.Add("FindingsBucket and FindingsKey go together")
	}
	for _, b := range p.MalwareScannedBuckets {
		if !bucketName.MatchString(b.BucketName) || len(b.Prefixes) > 5 {
			bad.Add("malware-scanned bucket %q needs a valid name and at most 5 prefixes", b.BucketName)
		}
	}
	bad.Check()

	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	plans := AllPlans()
	if p.Plans != nil {
		plans = *p.Plans
	}
	detector := awsguardduty.NewCfnDetector(this, jsii.String("Resource"), &awsguardduty.CfnDetectorProps{
		Enable:                     jsii.Bool(true),
		FindingPublishingFrequency: jsii.String(string(p.PublishingFrequency)),
		Features:                   detectorFeatures(plans),
	})
	detector.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	g := &GuardDuty{
		Scope:    this,
		Detector: detector,
		DetectorArn: stack.FormatArn(&awscdk.ArnComponents{
			Service:      jsii.String("guardduty"),
			Resource:     jsii.String("detector"),
			ResourceName: detector.AttrId(),
			ArnFormat:    awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		}),
	}

	if p.FindingsBucket != nil {
		g.exportFindings(p.FindingsBucket, p.FindingsKey, p.ServicePrincipal)
	}

	for i, b := range p.MalwareScannedBuckets {
		newMalwareProtectionPlan(this, fmt.Sprintf("MalwareProtection%d", i), b)
	}
	return g
}

// detectorFeatures switches every protection plan, and every agent of
// one, on or off.
func detectorFeatures(plans ProtectionPlans) []interface{} {
	var features []interface{}
	for _, f := range plans.Features() {
		cf := &awsguardduty.CfnDetector_CFNFeatureConfigurationProperty{Name: jsii.String(f.Name), Status: status(f.On)}
		if f.Agents != nil {
			var agents []interface{}
			for _, a := range f.Agents {
				agents = append(agents, &awsguardduty.CfnDetector_CFNFeatureAdditionalConfigurationProperty{Name: jsii.String(a.Name), Status: status(a.On)})
			}
			cf.AdditionalConfiguration = agents
		}
		features = append(features, cf)
	}
	return features
}

// exportFindings exports findings to bucket, encrypted with key, as
// principal.
func (g *GuardDuty) exportFindings(bucket *dataprotection.SecureBucket, key awskms.IKey, principal string) {
	// GuardDuty checks that it can write when the destination is created.
	// https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_exportfindings.html
	bucket.GrantServiceWrite(dataprotection.ServiceWrite{
		Service:       principal,
		KeyPattern:    "*",
		BucketActions: []string{"s3:GetBucketLocation"},
		SourceArns:    []string{*g.DetectorArn},
	})
	dest := awsguardduty.NewCfnPublishingDestination(g.Scope, jsii.String("FindingsExport"), &awsguardduty.CfnPublishingDestinationProps{
		DetectorId:      g.Detector.AttrId(),
		DestinationType: jsii.String("S3"),
		DestinationProperties: &awsguardduty.CfnPublishingDestination_CFNDestinationPropertiesProperty{
			DestinationArn: bucket.Bucket.BucketArn(),
			KmsKeyArn:      key.KeyArn(),
		},
	})
	// The whole bucket construct: its policy exists before the destination,
	// and on a destroyable stack the export stops before the bucket is emptied.
	dest.Node().AddDependency(bucket.Bucket)
}

// GuardDutyServicePrincipal is the principal GuardDuty exports findings as
// in region: "guardduty.amazonaws.com", except in a region that is opt-in
// (optIn), where the GuardDuty User Guide ("Exporting findings") has the key
// and bucket policies name the regional endpoint,
// "guardduty.<region>.amazonaws.com", instead.
// https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_exportfindings.html
func GuardDutyServicePrincipal(region string, optIn bool) string {
	if optIn {
		return "guardduty." + region + ".amazonaws.com"
	}
	return "guardduty.amazonaws.com"
}

// GuardDutyKeyAccess is the key-policy grant that lets GuardDuty encrypt
// the findings it exports: kms:GenerateDataKey for principal
// (GuardDutyServicePrincipal), scoped by aws:SourceAccount and by
// aws:SourceArn to the detectors of scope's account and region, as the
// GuardDuty User Guide's key policy has it. GuardDuty checks the key when
// the publishing destination is created, so without it the detection
// stack fails to deploy. The stack that owns the findings key adds it; the
// key lives in an earlier stack than the detector, so the grant names every
// detector of the region (a region has one) rather than its ID.
// https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_exportfindings.html
func GuardDutyKeyAccess(scope constructs.Construct, principal string) dataprotection.ServiceAccess {
	return dataprotection.ServiceAccess{
		Service: principal,
		Actions: []string{"kms:GenerateDataKey"},
		SourceArns: []string{*awscdk.Stack_Of(scope).FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("guardduty"), Resource: jsii.String("detector"), ResourceName: jsii.String("*"),
			ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		})},
	}
}

// newMalwareProtectionPlan protects one bucket with the role GuardDuty
// documents for Malware Protection for S3, and nothing more.
// https://docs.aws.amazon.com/guardduty/latest/ug/malware-protection-s3-iam-policy-prerequisite.html
func newMalwareProtectionPlan(scope constructs.Construct, id string, b MalwareScannedBucket) {
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	bucketArn := stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("s3"), Region: jsii.String(""), Account: jsii.String(""), Resource: jsii.String(b.BucketName),
	})
	objects := jsii.String(*bucketArn + "/*")
	rule := stack.FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("events"),
		Resource:     jsii.String("rule"),
		ResourceName: jsii.String("DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*"),
		ArnFormat:    awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
	const service = "malware-protection-plan.guardduty.amazonaws.com"
	statement := func(sid string, actions []string, resources []*string, conditions map[string]interface{}) awsiam.PolicyStatement {
		sp := &awsiam.PolicyStatementProps{Sid: jsii.String(sid), Actions: jsiix.Strs(actions), Resources: &resources}
		if conditions != nil {
			sp.Conditions = &conditions
		}
		return awsiam.NewPolicyStatement(sp)
	}
	policy := awsiam.NewManagedPolicy(this, jsii.String("Policy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("GuardDuty Malware Protection for S3: scan and tag objects of " + b.BucketName),
		Statements: &[]awsiam.PolicyStatement{
			statement("AllowManagedRuleToSendS3EventsToGuardDuty",
				[]string{"events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets"},
				[]*string{rule}, map[string]interface{}{"StringLike": map[string]interface{}{"events:ManagedBy": service}}),
			statement("AllowGuardDutyToMonitorEventBridgeManagedRule",
				[]string{"events:DescribeRule", "events:ListTargetsByRule"}, []*string{rule}, nil),
			statement("AllowPostScanTag",
				[]string{"s3:PutObjectTagging", "s3:GetObjectTagging", "s3:PutObjectVersionTagging", "s3:GetObjectVersionTagging"},
				[]*string{objects}, nil),
			statement("AllowEnableS3EventBridgeEvents",
				[]string{"s3:PutBucketNotification", "s3:GetBucketNotification"}, []*string{bucketArn}, nil),
			statement("AllowPutValidationObject",
				[]string{"s3:PutObject"}, []*string{jsii.String(*bucketArn + "/malware-protection-resource-validation-object")}, nil),
			statement("AllowCheckBucketOwnership", []string{"s3:ListBucket"}, []*string{bucketArn}, nil),
			statement("AllowMalwareScan", []string{"s3:GetObject", "s3:GetObjectVersion"}, []*string{objects}, nil),
			// The bucket's key is not known here; kms:ViaService limits use
			// to S3 in this region on the scanner's behalf.
			statement("AllowDecryptForMalwareScan", []string{"kms:GenerateDataKey", "kms:Decrypt"},
				[]*string{stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("kms"), Resource: jsii.String("key"), ResourceName: jsii.String("*"), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME})},
				map[string]interface{}{"StringLike": map[string]interface{}{"kms:ViaService": "s3." + *stack.Region() + ".amazonaws.com"}}),
		},
	})
	nag.Suppress(policy, false, nag.Rule{
		ID: "AwsSolutions-IAM5",
		Reason: "The statements are GuardDuty's documented Malware Protection for S3 policy: GuardDuty names its managed EventBridge rule " +
			"with a fixed prefix, scans and tags any new object of the protected bucket, and decrypts through S3 only (kms:ViaService) with the bucket's key.",
		AppliesToRegex: []string{
			`/^Resource::arn:[^:]+:events:([a-z0-9-]+|<AWS::Region>):(<AWS::AccountId>|[0-9]{12}):rule\/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3\*$/`,
			`/^Resource::arn:[^:]+:s3:::[^/]+\/\*$/`,
			`/^Resource::arn:[^:]+:kms:([a-z0-9-]+|<AWS::Region>):(<AWS::AccountId>|[0-9]{12}):key\/\*$/`,
		},
	})
	role := awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:       awsiam.NewServicePrincipal(jsii.String(service), nil),
		Description:     jsii.String("GuardDuty Malware Protection for S3 scans " + b.BucketName),
		ManagedPolicies: &[]awsiam.IManagedPolicy{policy},
	})
	var prefixes *[]*string
	if len(b.Prefixes) > 0 {
		prefixes = jsiix.Strs(b.Prefixes)
	}
	plan := awsguardduty.NewCfnMalwareProtectionPlan(this, jsii.String("Resource"), &awsguardduty.CfnMalwareProtectionPlanProps{
		Role: role.RoleArn(),
		ProtectedResource: &awsguardduty.CfnMalwareProtectionPlan_CFNProtectedResourceProperty{
			S3Bucket: &awsguardduty.CfnMalwareProtectionPlan_S3BucketProperty{BucketName: jsii.String(b.BucketName), ObjectPrefixes: prefixes},
		},
		// Tag each scanned object with its result, so bucket policies can
		// deny reads of objects not yet found clean.
		Actions: &awsguardduty.CfnMalwareProtectionPlan_CFNActionsProperty{
			Tagging: &awsguardduty.CfnMalwareProtectionPlan_CFNTaggingProperty{Status: jsii.String("ENABLED")},
		},
	})
	plan.Node().AddDependency(role)
}

func status(on bool) *string {
	if on {
		return jsii.String("ENABLED")
	}
	return jsii.String("DISABLED")
}

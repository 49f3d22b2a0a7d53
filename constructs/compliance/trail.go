package compliance

import (
	"regexp"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudtrail"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/internal/servicerole"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

const day = 24 * time.Hour

// trailNamePattern is what CloudTrail accepts as a trail name.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
var (
	trailNamePattern    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$`)
	adjacentPunctuation = regexp.MustCompile(`[._-]{2}`)
	orgIDPattern        = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
)

// TrailProps configures a Trail.
type TrailProps struct {
	// Name is the trail's name. Required: the encryption key's policy names
	// the trail by ARN (CloudTrailKeyAccess) before the trail exists.
	Name string
	// EncryptionKey encrypts the log files, the bucket and the log group. Its
	// policy must hold CloudTrailKeyAccess for this trail and admit CloudWatch
	// Logs in this region. Required.
	EncryptionKey awskms.IKey
	// AccessLogs receives the log bucket's server access logs; it is evidence
	// too (NewEvidenceBucket with AccessLogTarget). Required.
	AccessLogs awss3.IBucket
	// Retention is how long log files (and the log group's events, a year
	// at least) are kept;
	// every log file is locked against deletion and overwrite for all of it
	// (S3 Object Lock). Whole days. Default: 365 days.
	Retention time.Duration
	// TransitionToGlacier moves log files to Glacier Flexible Retrieval after
	// this long; shorter than Retention. Default: 0: they stay in S3 Standard.
	TransitionToGlacier time.Duration
	// ObjectLockCompliance locks in COMPLIANCE mode, which nobody, not even
	// the root user, can lift before the period ends. Default: false:
	// GOVERNANCE mode, which principals allowed s3:BypassGovernanceRetention
	// can lift.
	ObjectLockCompliance bool
	// S3DataEvents records object-level API calls in every S3 bucket.
	// Default: false.
	S3DataEvents bool
	// LambdaDataEvents records every Lambda function invocation. Default: false.
	LambdaDataEvents bool
	// OrganizationID (o-...) makes this an organization trail, created in the
	// organization's management account (or CloudTrail's delegated
	// administrator), recording every member account into this bucket under
	// AWSLogs/<OrganizationID>/. Default: empty: this account only.
	// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy
	OrganizationID string
	// DestinationBucket, when set, names an existing bucket the trail
	// delivers to instead of a bucket of its own: the organization's
	// log-archive bucket in another account, whose owner grants CloudTrail
	// (organization.LogArchive.GrantOrganizationTrail). AccessLogs,
	// TransitionToGlacier and ObjectLockCompliance are that bucket's business
	// then and are ignored. Default: empty: a new Object-Locked bucket here.
	DestinationBucket string
	// LogGroupKey encrypts the CloudWatch Logs group, which must be in the
	// trail's own account, when EncryptionKey is in another one (the
	// log-archive key of an organization trail). Its policy must admit
	// CloudWatch Logs in this region. Default: EncryptionKey.
	LogGroupKey awskms.IKey
	// DestroyOnDelete deletes the trail itself (not its evidence) when it
	// leaves the stack. Default: false: the trail keeps logging.
	DestroyOnDelete bool
}

// Trail is a multi-region CloudTrail trail that records every management
// event of the account, validates its log files (digest files), encrypts
// them with a customer managed key, and delivers them to an Object-Locked,
// versioned, access-logged bucket with a lifecycle, and to a KMS-encrypted
// CloudWatch Logs group. The buckets and the log group are evidence: they
// are retained whatever happens to the stack.
type Trail struct {
	Scope constructs.Construct
	Trail awscloudtrail.CfnTrail
	// Bucket receives the log and digest files; nil with DestinationBucket.
	Bucket *dataprotection.SecureBucket
	// LogGroup receives every event, for metric filters (CISAlarms).
	LogGroup awslogs.LogGroup
}

// TrailArn is the ARN of the trail named name in stack's account and region.
func TrailArn(stack awscdk.Stack, name string) string {
	return *stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("cloudtrail"), Resource: jsii.String("trail"), ResourceName: jsii.String(name),
		ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
}

// CloudTrailKeyAccess are the key-policy grants CloudTrail needs to encrypt
// the log files of the trail named name in stack's account and region:
// kms:GenerateDataKey* for that trail's log files only, and kms:DescribeKey.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
func CloudTrailKeyAccess(stack awscdk.Stack, name string) []dataprotection.ServiceAccess {
	trail := TrailArn(stack, name)
	anyTrail := *stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("cloudtrail"), Region: jsii.String("*"), Resource: jsii.String("trail"), ResourceName: jsii.String("*"),
		ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
	return []dataprotection.ServiceAccess{
		{
			Service: "cloudtrail.amazonaws.com", Name: "Encrypt",
			Actions:           []string{"kms:GenerateDataKey*"},
			SourceArns:        []string{trail},
			EncryptionContext: map[string]string{"aws:cloudtrail:arn": anyTrail},
		},
		{
			Service: "cloudtrail.amazonaws.com", Name: "Describe",
			Actions:    []string{"kms:DescribeKey"},
			SourceArns: []string{trail},
		},
	}
}

// NewTrail creates a Trail. It panics listing every invalid prop.
func NewTrail(scope constructs.Construct, id string, props *TrailProps) *Trail {
	var p TrailProps
	if props != nil {
		p = *props
	}
	if p.Retention == 0 {
		p.Retention = 365 * day
	}
	checkTrail(id, p)
	if p.LogGroupKey == nil {
		p.LogGroupKey = p.EncryptionKey
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	trailArn := TrailArn(stack, p.Name)

	var bucket *dataprotection.SecureBucket
	bucketName := jsii.String(p.DestinationBucket)
	if p.DestinationBucket == "" {
		bucket = newTrailBucket(this, p, trailArn)
		bucketName = bucket.Bucket.BucketName()
	}

	logGroup := awslogs.NewLogGroup(this, jsii.String("Logs"), &awslogs.LogGroupProps{
		EncryptionKey: p.LogGroupKey,
		// A year at least, whatever the buckets keep: the group is where
		// alarms look and investigators query (Control Tower proactive
		// control CT.CLOUDWATCH.PR.2).
		Retention: sdkcall.LogRetention(max(365, int(p.Retention/day))),
	})
	markEvidence(logGroup)
	role, policy := servicerole.New(this, servicerole.Props{
		PolicyID: "LogsPolicy", RoleID: "LogsRole", Service: "cloudtrail.amazonaws.com",
		PolicyDescription: "CloudTrail delivers the trail's events to its own log group, nothing else",
		RoleDescription:   "CloudTrail delivers the trail's events to CloudWatch Logs",
		LogGroup:          logGroup, Sid: "DeliverToTrailLogGroup",
		LogStreams: servicerole.LogStreamsRule(logGroup, "",
			"CloudTrail names each log stream at run time; the grant is limited to the trail's own log group."),
	})

	trail := awscloudtrail.NewCfnTrail(this, jsii.String("Resource"), &awscloudtrail.CfnTrailProps{
		TrailName:                  jsii.String(p.Name),
		IsLogging:                  jsii.Bool(true),
		IsMultiRegionTrail:         jsii.Bool(true),
		IncludeGlobalServiceEvents: jsii.Bool(true),
		EnableLogFileValidation:    jsii.Bool(true),
		KmsKeyId:                   p.EncryptionKey.KeyArn(),
		S3BucketName:               bucketName,
		CloudWatchLogsLogGroupArn:  logGroup.LogGroupArn(),
		CloudWatchLogsRoleArn:      role.RoleArn(),
		EventSelectors:             &[]interface{}{eventSelector(stack, p)},
		IsOrganizationTrail:        boolOrNil(p.OrganizationID != ""),
	})
	trail.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	// CloudTrail checks that it may deliver when the trail is created.
	trail.Node().AddDependency(policy)
	if bucket != nil {
		trail.Node().AddDependency(bucket.Bucket)
	}
	return &Trail{Scope: this, Trail: trail, Bucket: bucket, LogGroup: logGroup}
}

// checkTrail panics listing every invalid prop of p.
func checkTrail(id string, p TrailProps) {
	bad := problems.Of("compliance.NewTrail", id)
	if !trailNamePattern.MatchString(p.Name) || adjacentPunctuation.MatchString(p.Name) || p.EncryptionKey == nil || (p.AccessLogs == nil && p.DestinationBucket == "") {
		bad.Add("Name (3 to 128 letters, digits and single '.', '_' or '-', from and to a letter or digit), EncryptionKey and AccessLogs are required (AccessLogs not with DestinationBucket)")
	}
	if p.OrganizationID != "" && !orgIDPattern.MatchString(p.OrganizationID) {
		bad.Add("OrganizationID %q must be an organization ID (o-...)", p.OrganizationID)
	}
	if p.Retention < day || p.Retention%day != 0 {
		bad.Add("Retention %s must be whole days, at least one", p.Retention)
	}
	bad.Check()
}

// newTrailBucket creates the evidence bucket the trail delivers to, which
// only this trail may write to.
func newTrailBucket(this constructs.Construct, p TrailProps, trailArn string) *dataprotection.SecureBucket {
	bucket := NewEvidenceBucket(this, "Bucket", &dataprotection.SecureBucketProps{
		EncryptionKey: p.EncryptionKey, AccessLogs: p.AccessLogs,
		Retention: p.Retention, TransitionToGlacier: p.TransitionToGlacier, ObjectLockCompliance: p.ObjectLockCompliance,
	})
	// Only this trail, for this account, may deliver.
	// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
	bucket.GrantServiceWrite(dataprotection.ServiceWrite{
		Service:                       "cloudtrail.amazonaws.com",
		KeyPattern:                    "AWSLogs/" + *awscdk.Stack_Of(this).Account() + "/*",
		BucketActions:                 []string{"s3:GetBucketAcl"},
		SourceArns:                    []string{trailArn},
		RequireBucketOwnerFullControl: true,
	})
	if p.OrganizationID != "" {
		// Member accounts' files arrive under the organization's prefix, from
		// this trail only.
		bucket.GrantServiceWrite(dataprotection.ServiceWrite{
			Service:                       "cloudtrail.amazonaws.com",
			KeyPattern:                    "AWSLogs/" + p.OrganizationID + "/*",
			SourceArns:                    []string{trailArn},
			RequireBucketOwnerFullControl: true,
			Name:                          "Organization",
		})
	}
	return bucket
}

// eventSelector records every management event and, if asked, the S3 and
// Lambda data events of every bucket and function.
func eventSelector(stack awscdk.Stack, p TrailProps) *awscloudtrail.CfnTrail_EventSelectorProperty {
	selector := &awscloudtrail.CfnTrail_EventSelectorProperty{
		IncludeManagementEvents: jsii.Bool(true),
		ReadWriteType:           jsii.String("All"),
	}
	var data []interface{}
	// The prefixes CloudTrail documents for "every object of every bucket" and
	// "every function": arn:<partition>:s3 and arn:<partition>:lambda.
	// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DataResource.html
	if p.S3DataEvents {
		data = append(data, &awscloudtrail.CfnTrail_DataResourceProperty{
			Type: jsii.String("AWS::S3::Object"), Values: jsii.Strings("arn:" + *stack.Partition() + ":s3"),
		})
	}
	if p.LambdaDataEvents {
		data = append(data, &awscloudtrail.CfnTrail_DataResourceProperty{
			Type: jsii.String("AWS::Lambda::Function"), Values: jsii.Strings("arn:" + *stack.Partition() + ":lambda"),
		})
	}
	if len(data) > 0 {
		selector.DataResources = &data
	}
	return selector
}

func boolOrNil(b bool) *bool {
	if !b {
		return nil
	}
	return jsii.Bool(true)
}

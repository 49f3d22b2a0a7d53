package dataprotection

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/internal/nag"
	"github.com/mamori-dev/mamori/internal/names"
)

// SecureBucketProps configures a SecureBucket. Every guarantee listed on
// SecureBucket holds whatever the props say.
type SecureBucketProps struct {
	// EncryptionKey encrypts every object (SSE-KMS with an S3 Bucket Key).
	// Required unless AccessLogTarget is set.
	EncryptionKey awskms.IKey
	// AccessLogs receives the bucket's server access logs. Required unless
	// AccessLogTarget is set.
	AccessLogs awss3.IBucket
	// AccessLogTarget makes this the bucket other buckets deliver server access
	// logs to. S3 delivers those logs only to buckets encrypted with SSE-S3,
	// and a log bucket that logged to itself would log forever, so such a
	// bucket uses SSE-S3 and keeps no access logs of its own.
	// Default: false.
	AccessLogTarget bool
	// Retention is how long objects, and noncurrent versions after they are
	// replaced, are kept before they expire. Default: 365 days.
	Retention time.Duration
	// TransitionToGlacier moves objects to Glacier Flexible Retrieval after
	// this long; it must be shorter than Retention. Default: 0: objects stay
	// in S3 Standard.
	TransitionToGlacier time.Duration
	// ObjectLockDays, when above zero, locks every new object version against
	// deletion and overwrite for this many days (S3 Object Lock default
	// retention; it must not exceed Retention). Only for buckets whose writers
	// support Object Lock: AWS Config does not, and S3 server access logging
	// refuses targets with a default retention. Default: 0: no Object Lock.
	ObjectLockDays int
	// ObjectLockCompliance uses COMPLIANCE mode, which nobody, not even the
	// root user, can lift before the period ends. Default: false: GOVERNANCE
	// mode, which principals allowed s3:BypassGovernanceRetention can lift.
	ObjectLockCompliance bool
	// DestroyOnDelete deletes the bucket and every object in it when it leaves
	// the stack. Default: false: the bucket is retained with its contents.
	DestroyOnDelete bool
	// BucketName fixes the bucket's name, for buckets that other accounts
	// deliver to by name. Default: a name CloudFormation generates.
	BucketName string
}

// SecureBucket is an S3 bucket that blocks all public access, enforces TLS 1.2
// or later, is versioned, encrypted at rest, access-logged (or is itself the
// access-log target), owned solely by the bucket owner (no ACLs), expires
// data on a lifecycle and is retained on stack delete unless told otherwise.
type SecureBucket struct {
	Scope  constructs.Construct
	Bucket awss3.Bucket
}

// NewSecureBucket creates a SecureBucket; it panics listing every invalid
// prop. It needs the CDK feature flag
// @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy (set in cdk.json): without
// it CDK grants log delivery through an ACL, which a bucket without ACLs refuses.
func NewSecureBucket(scope constructs.Construct, id string, props *SecureBucketProps) *SecureBucket {
	var p SecureBucketProps
	if props != nil {
		p = *props
	}
	if p.Retention == 0 {
		p.Retention = 365 * day
	}
	checkSecureBucket(id, p)

	this := constructs.NewConstruct(scope, jsii.String(id))
	bp := &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(1.2),
		Versioned:         jsii.Bool(true),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		LifecycleRules:    &[]*awss3.LifecycleRule{lifecycleRule(p)},
		RemovalPolicy:     jsiix.Removal(p.DestroyOnDelete),
		AutoDeleteObjects: jsii.Bool(p.DestroyOnDelete),
	}
	if p.BucketName != "" {
		bp.BucketName = jsii.String(p.BucketName)
	}
	if p.ObjectLockDays > 0 {
		period := awscdk.Duration_Days(jsii.Number(float64(p.ObjectLockDays)))
		bp.ObjectLockEnabled = jsii.Bool(true)
		bp.ObjectLockDefaultRetention = awss3.ObjectLockRetention_Governance(period)
		if p.ObjectLockCompliance {
			bp.ObjectLockDefaultRetention = awss3.ObjectLockRetention_Compliance(period)
		}
	}
	if p.AccessLogTarget {
		bp.Encryption = awss3.BucketEncryption_S3_MANAGED
	} else {
		bp.Encryption = awss3.BucketEncryption_KMS
		bp.EncryptionKey = p.EncryptionKey
		bp.BucketKeyEnabled = jsii.Bool(true)
		bp.ServerAccessLogsBucket = p.AccessLogs
		// One prefix per bucket keeps each bucket's access logs apart in the target.
		bp.ServerAccessLogsPrefix = jsii.String(*awscdk.Names_UniqueId(this) + "/")
	}
	bucket := awss3.NewBucket(this, jsii.String("Resource"), bp)
	// Object events reach EventBridge, where the response layer can act on
	// them (Control Tower proactive control CT.S3.PR.4). Set on the L1: the
	// L2 switch adds a notifications custom resource and Lambda function.
	bucket.Node().DefaultChild().(awss3.CfnBucket).SetNotificationConfiguration(&awss3.CfnBucket_NotificationConfigurationProperty{
		EventBridgeConfiguration: &awss3.CfnBucket_EventBridgeConfigurationProperty{EventBridgeEnabled: jsii.Bool(true)},
	})
	nag.Suppress(bucket, true, bucketRules(p.AccessLogTarget)...)
	return &SecureBucket{Scope: this, Bucket: bucket}
}

// checkSecureBucket panics listing every invalid prop of p.
func checkSecureBucket(id string, p SecureBucketProps) {
	bad := problems.Of("dataprotection.NewSecureBucket", id)
	if p.AccessLogTarget && (p.EncryptionKey != nil || p.AccessLogs != nil) {
		bad.Add("an AccessLogTarget takes neither EncryptionKey nor AccessLogs")
	}
	if !p.AccessLogTarget && (p.EncryptionKey == nil || p.AccessLogs == nil) {
		bad.Add("EncryptionKey and AccessLogs are required")
	}
	if p.Retention < day || p.Retention%day != 0 {
		bad.Add("Retention %s must be whole days, at least one", p.Retention)
	}
	if p.ObjectLockDays < 0 || time.Duration(p.ObjectLockDays)*day > p.Retention || (p.ObjectLockDays > 0 && (p.AccessLogTarget || p.DestroyOnDelete)) {
		bad.Add("ObjectLockDays %d must be within Retention %s, and neither on an access-log target nor with DestroyOnDelete", p.ObjectLockDays, p.Retention)
	}
	if p.TransitionToGlacier < 0 || p.TransitionToGlacier%day != 0 || (p.TransitionToGlacier != 0 && p.TransitionToGlacier >= p.Retention) {
		bad.Add("TransitionToGlacier %s must be whole days shorter than Retention %s", p.TransitionToGlacier, p.Retention)
	}
	bad.Check()
}

// lifecycleRule expires current and noncurrent versions after Retention,
// moves them to Glacier after TransitionToGlacier if set, and aborts
// multipart uploads left incomplete for a week.
func lifecycleRule(p SecureBucketProps) *awss3.LifecycleRule {
	rule := &awss3.LifecycleRule{
		Id:                                  jsii.String("ExpireLogs"),
		Enabled:                             jsii.Bool(true),
		Expiration:                          jsiix.Days(p.Retention),
		NoncurrentVersionExpiration:         jsiix.Days(p.Retention),
		AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(7)),
	}
	if p.TransitionToGlacier > 0 {
		rule.Transitions = &[]*awss3.Transition{{
			StorageClass:    awss3.StorageClass_GLACIER(),
			TransitionAfter: jsiix.Days(p.TransitionToGlacier),
		}}
		rule.NoncurrentVersionTransitions = &[]*awss3.NoncurrentVersionTransition{{
			StorageClass:    awss3.StorageClass_GLACIER(),
			TransitionAfter: jsiix.Days(p.TransitionToGlacier),
		}}
	}
	return rule
}

// bucketRules are the cdk-nag rules a SecureBucket suppresses, with why.
func bucketRules(accessLogTarget bool) []nag.Rule {
	// The bucket is not replicated (Security Hub's S3.7 fails for it, as the
	// README says); the reason says only what the template does.
	replication := "Not replicated: mamori configures no replication for this bucket, so its objects exist in this account and region only; " +
		"versioning keeps overwritten and deleted objects as noncurrent versions until the lifecycle rule expires them."
	rules := []nag.Rule{
		{ID: "NIST.800.53.R5-S3BucketReplicationEnabled", Reason: replication},
		{ID: "PCI.DSS.321-S3BucketReplicationEnabled", Reason: replication},
	}
	if accessLogTarget {
		sse := "S3 delivers server access logs only to buckets encrypted with SSE-S3, not SSE-KMS: " +
			"https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html"
		rules = append(rules,
			nag.Rule{ID: "NIST.800.53.R5-S3DefaultEncryptionKMS", Reason: sse},
			nag.Rule{ID: "PCI.DSS.321-S3DefaultEncryptionKMS", Reason: sse},
		)
	}
	return rules
}

// ServiceWrite describes one AWS service that delivers objects into the bucket.
type ServiceWrite struct {
	// Service is the service principal, e.g. "config.amazonaws.com".
	Service string
	// KeyPattern is where the service may write, e.g. "AWSLogs/*". Required.
	KeyPattern string
	// BucketActions are read-only bucket-level checks the service makes before
	// delivering, e.g. "s3:GetBucketAcl". Default: none.
	BucketActions []string
	// SourceArns narrow the grant to requests made for these resources
	// (aws:SourceArn). Default: any resource of this account.
	SourceArns []string
	// RequireBucketOwnerFullControl demands the bucket-owner-full-control ACL
	// header, as AWS Config sends it. Default: false.
	RequireBucketOwnerFullControl bool
	// Name tells two grants to one service apart in their Sids, e.g.
	// "Organization". Default: none.
	Name string
}

// GrantServiceWrite lets an AWS service deliver objects under KeyPattern on
// behalf of this account only (aws:SourceAccount, and aws:SourceArn when given).
func (b *SecureBucket) GrantServiceWrite(w ServiceWrite) {
	if w.Service == "" || w.KeyPattern == "" {
		panic(fmt.Errorf("dataprotection.SecureBucket.GrantServiceWrite %q: Service and KeyPattern are required", *b.Scope.Node().Id()))
	}
	principal := awsiam.NewServicePrincipal(jsii.String(w.Service), nil)
	source := map[string]interface{}{"aws:SourceAccount": awscdk.Aws_ACCOUNT_ID()}
	conditions := func(extra map[string]interface{}) *map[string]interface{} {
		eq := map[string]interface{}{}
		for k, v := range source {
			eq[k] = v
		}
		for k, v := range extra {
			eq[k] = v
		}
		c := map[string]interface{}{"StringEquals": eq}
		if len(w.SourceArns) > 0 {
			c["ArnLike"] = map[string]interface{}{"aws:SourceArn": jsiix.Strs(w.SourceArns)}
		}
		return &c
	}
	name := sidName(w.Service) + names.Pascal(w.Name)
	if len(w.BucketActions) > 0 {
		b.Bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String(name + "BucketChecks"),
			Principals: &[]awsiam.IPrincipal{principal},
			Actions:    jsiix.Strs(w.BucketActions),
			Resources:  jsii.Strings(*b.Bucket.BucketArn()),
			Conditions: conditions(nil),
		}))
	}
	var acl map[string]interface{}
	if w.RequireBucketOwnerFullControl {
		acl = map[string]interface{}{"s3:x-amz-acl": "bucket-owner-full-control"}
	}
	b.Bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(name + "Delivery"),
		Principals: &[]awsiam.IPrincipal{principal},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  jsii.Strings(*b.Bucket.ArnForObjects(jsii.String(w.KeyPattern))),
		Conditions: conditions(acl),
	}))
}

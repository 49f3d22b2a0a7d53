package organization

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
)

// LogArchiveProps configures a LogArchive.
type LogArchiveProps struct {
	// OrganizationID (o-...) is the only organization whose principals and
	// services may write. Required.
	OrganizationID string
	// Alias names the central key, e.g. "alias/mamori/org-logs". Required.
	Alias string
	// ConfigBucketName is the fixed name of the AWS Config bucket, which the
	// member accounts' delivery channels name. Required.
	ConfigBucketName string
	// EvidenceBucketName is the fixed name of the evidence bucket, which the
	// management account's organization trail names. Default: generated.
	EvidenceBucketName string
	// ConfigWriterRoles are ARN patterns (wildcards allowed) of the member
	// accounts' AWS Config roles, which deliver to the bucket. Required.
	ConfigWriterRoles []string
	// Retention and TransitionToGlacier set every bucket's lifecycle.
	// Default: 365 days, never.
	Retention           time.Duration
	TransitionToGlacier time.Duration
	// EvidenceLockCompliance locks the evidence bucket in COMPLIANCE mode.
	// Default: false: GOVERNANCE mode.
	EvidenceLockCompliance bool
	// KeyAdministrators manage the central key. Default: none.
	KeyAdministrators []awsiam.IPrincipal
	// DestroyOnDelete deletes key and buckets with the stack, and leaves the
	// evidence bucket without Object Lock (a locked bucket cannot be
	// emptied). Default: false.
	DestroyOnDelete bool
}

// LogArchive is the organization's central log store in the log-archive
// account: one KMS key and versioned, access-logged, lifecycle-managed
// buckets whose policies admit only principals of the organization
// (aws:PrincipalOrgID) and AWS services acting for its accounts
// (aws:SourceOrgID).
//
//   - ConfigBucket receives every member account's AWS Config history and
//     snapshots. It has no Object Lock: AWS Config does not deliver to
//     buckets with a default retention.
//   - EvidenceBucket is Object-Locked for the whole retention period, for
//     the organization trail and audit evidence, whose layers grant their
//     services with GrantOrganizationWrite.
type LogArchive struct {
	Scope          constructs.Construct
	Key            *dataprotection.Key
	AccessLogs     *dataprotection.SecureBucket
	ConfigBucket   *dataprotection.SecureBucket
	EvidenceBucket *dataprotection.SecureBucket
	orgID          string
}

// NewLogArchive creates a LogArchive.
func NewLogArchive(scope constructs.Construct, id string, props *LogArchiveProps) *LogArchive {
	var p LogArchiveProps
	if props != nil {
		p = *props
	}
	if p.Retention == 0 {
		p.Retention = 365 * 24 * time.Hour
	}
	if p.OrganizationID == "" || p.Alias == "" || p.ConfigBucketName == "" || len(p.ConfigWriterRoles) == 0 {
		panic(fmt.Errorf("organization.NewLogArchive %q: OrganizationID, Alias, ConfigBucketName and ConfigWriterRoles are required", id))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	l := &LogArchive{Scope: this, orgID: p.OrganizationID}
	l.Key = dataprotection.NewKey(this, "Key", &dataprotection.KeyProps{
		Alias:           p.Alias,
		Description:     "Encrypts the organization's central logs and evidence",
		Administrators:  p.KeyAdministrators,
		DestroyOnDelete: p.DestroyOnDelete,
	})
	viaS3 := "s3." + *stack.Region() + ".amazonaws.com"
	// AWS Config delivers with the member's recorder role or, failing that,
	// as its service principal for the member account.
	// https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
	l.Key.Key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowOrganizationConfigRoles"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("kms:GenerateDataKey*", "kms:Decrypt"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:PrincipalOrgID": p.OrganizationID, "kms:ViaService": viaS3},
			"ArnLike":      map[string]interface{}{"aws:PrincipalArn": jsiix.Strs(p.ConfigWriterRoles)},
		},
	}), jsii.Bool(false))
	l.grantKeyToService("config.amazonaws.com")

	bucket := func(id, name string, lockDays int) *dataprotection.SecureBucket {
		return dataprotection.NewSecureBucket(this, id, &dataprotection.SecureBucketProps{
			EncryptionKey: l.Key.Key, AccessLogs: l.AccessLogs.Bucket, BucketName: name,
			Retention: p.Retention, TransitionToGlacier: p.TransitionToGlacier,
			ObjectLockDays: lockDays, ObjectLockCompliance: p.EvidenceLockCompliance,
			DestroyOnDelete: p.DestroyOnDelete,
		})
	}
	l.AccessLogs = dataprotection.NewSecureBucket(this, "AccessLogsBucket", &dataprotection.SecureBucketProps{
		AccessLogTarget: true, Retention: p.Retention, TransitionToGlacier: p.TransitionToGlacier, DestroyOnDelete: p.DestroyOnDelete,
	})
	l.ConfigBucket = bucket("ConfigBucket", p.ConfigBucketName, 0)
	lock := int(p.Retention / (24 * time.Hour))
	if p.DestroyOnDelete {
		lock = 0
	}
	l.EvidenceBucket = bucket("EvidenceBucket", p.EvidenceBucketName, lock)

	l.admitConfigWriters(p)
	l.GrantOrganizationWrite(l.ConfigBucket, OrganizationWrite{
		Service: "config.amazonaws.com", KeyPattern: "AWSLogs/*/Config/*",
		BucketActions: []string{"s3:GetBucketAcl", "s3:ListBucket"}, RequireBucketOwnerFullControl: true,
	})
	return l
}

// admitConfigWriters lets the members' AWS Config recorder roles
// (ConfigWriterRoles, in the organization) check the Config bucket and
// deliver to it.
func (l *LogArchive) admitConfigWriters(p LogArchiveProps) {
	b := l.ConfigBucket.Bucket
	b.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("OrganizationConfigRolesCheck"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("s3:GetBucketAcl", "s3:ListBucket"),
		Resources:  jsii.Strings(*b.BucketArn()),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:PrincipalOrgID": p.OrganizationID},
			"ArnLike":      map[string]interface{}{"aws:PrincipalArn": jsiix.Strs(p.ConfigWriterRoles)},
		},
	}))
	b.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("OrganizationConfigRolesDelivery"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("s3:PutObject"),
		// Each account's recorder role writes its own account's prefix only:
		// a role of that name in another account cannot forge this one's
		// history.
		Resources: jsii.Strings(*b.ArnForObjects(jsii.String("AWSLogs/${aws:PrincipalAccount}/Config/*"))),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:PrincipalOrgID": p.OrganizationID, "s3:x-amz-acl": "bucket-owner-full-control"},
			"ArnLike":      map[string]interface{}{"aws:PrincipalArn": jsiix.Strs(p.ConfigWriterRoles)},
		},
	}))
}

// OrganizationWrite is one AWS service that delivers objects for the
// organization's accounts.
type OrganizationWrite struct {
	// Service is the service principal, e.g. "cloudtrail.amazonaws.com". Required.
	Service string
	// KeyPattern is where it may write, e.g. "AWSLogs/o-example/*". Required.
	KeyPattern string
	// BucketActions are the bucket-level checks it makes first. Default: none.
	BucketActions []string
	// SourceArns narrow the grant to requests for these resources. Default: any.
	SourceArns []string
	// RequireBucketOwnerFullControl demands that ACL header. Default: false.
	RequireBucketOwnerFullControl bool
	// OwnKeyGrant leaves the central key alone: the caller grants it with
	// the conditions the service documents (GrantOrganizationTrail).
	// Default: false: the service may use the key for the organization.
	OwnKeyGrant bool
}

// GrantOrganizationWrite lets a service write into one of the archive's
// buckets for any account of the organization (aws:SourceOrgID), and use
// the central key to do it. The compliance layer calls it for the
// organization trail and audit evidence.
func (l *LogArchive) GrantOrganizationWrite(bucket *dataprotection.SecureBucket, w OrganizationWrite) {
	if w.Service == "" || w.KeyPattern == "" {
		panic(fmt.Errorf("organization.LogArchive.GrantOrganizationWrite: Service and KeyPattern are required"))
	}
	principal := awsiam.NewServicePrincipal(jsii.String(w.Service), nil)
	conditions := func(extra map[string]interface{}) *map[string]interface{} {
		eq := map[string]interface{}{"aws:SourceOrgID": l.orgID}
		for k, v := range extra {
			eq[k] = v
		}
		c := map[string]interface{}{"StringEquals": eq}
		if len(w.SourceArns) > 0 {
			c["ArnLike"] = map[string]interface{}{"aws:SourceArn": jsiix.Strs(w.SourceArns)}
		}
		return &c
	}
	sid := pascal(w.Service)
	if len(w.BucketActions) > 0 {
		bucket.Bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String(sid + "BucketChecks"), Principals: &[]awsiam.IPrincipal{principal},
			Actions: jsiix.Strs(w.BucketActions), Resources: jsii.Strings(*bucket.Bucket.BucketArn()), Conditions: conditions(nil),
		}))
	}
	var acl map[string]interface{}
	if w.RequireBucketOwnerFullControl {
		acl = map[string]interface{}{"s3:x-amz-acl": "bucket-owner-full-control"}
	}
	bucket.Bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String(sid + "Delivery"), Principals: &[]awsiam.IPrincipal{principal},
		Actions: jsii.Strings("s3:PutObject"), Resources: jsii.Strings(*bucket.Bucket.ArnForObjects(jsii.String(w.KeyPattern))),
		Conditions: conditions(acl),
	}))
	if w.Service != "config.amazonaws.com" && !w.OwnKeyGrant {
		l.grantKeyToService(w.Service)
	}
}

// grantKeyToService lets a service principal encrypt with the central key
// for the organization's accounts.
func (l *LogArchive) grantKeyToService(service string) {
	l.Key.Key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("Allow" + pascal(service) + "ForOrganization"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String(service), nil)},
		Actions:    jsii.Strings("kms:GenerateDataKey*", "kms:Decrypt", "kms:DescribeKey"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"aws:SourceOrgID": l.orgID}},
	}), jsii.Bool(false))
}

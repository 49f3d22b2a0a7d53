package dataprotection

import (
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// bucketDeps are an imported key and access-log bucket, so that the bucket
// under test is the only AWS::S3::Bucket in the template.
func bucketDeps(stack awscdk.Stack) (awskms.IKey, awss3.IBucket) {
	return cdktest.ImportedKey(stack),
		awss3.Bucket_FromBucketName(stack, jsii.String("ImportedLogs"), jsii.String("access-logs"))
}

func newKMSBucket(t *testing.T, props SecureBucketProps) (awscdk.Stack, *SecureBucket) {
	t.Helper()
	stack := cdktest.NewStack(t, cdktest.Env)
	props.EncryptionKey, props.AccessLogs = bucketDeps(stack)
	return stack, importedLogs(NewSecureBucket(stack, "Bucket", &props))
}

// importedLogs acknowledges CDK's warning that it cannot add the log-delivery
// statement to an imported target's policy; TestSecureBucketLogsToTarget
// covers that statement.
func importedLogs(b *SecureBucket) *SecureBucket {
	awscdk.Annotations_Of(b.Bucket).AcknowledgeWarning(jsii.String("@aws-cdk/aws-s3:accessLogsPolicyNotAdded"),
		jsii.String("the test's access-log bucket is imported"))
	return b
}

// tlsOnly are the statements that deny every request without TLS 1.2 or later.
func tlsOnly(stack awscdk.Stack, b *SecureBucket) *[]interface{} {
	arn := m{"Fn::GetAtt": a{cdktest.LogicalID(stack, b.Bucket), "Arn"}}
	both := a{arn, m{"Fn::Join": a{"", a{arn, "/*"}}}}
	return cdktest.Arr(m{
		"Effect":    "Deny",
		"Principal": m{"AWS": "*"},
		"Action":    "s3:*",
		"Resource":  both,
		"Condition": assertions.Match_Exact(m{"Bool": m{"aws:SecureTransport": "false"}}),
	}, m{
		"Effect":    "Deny",
		"Principal": m{"AWS": "*"},
		"Action":    "s3:*",
		"Resource":  both,
		"Condition": assertions.Match_Exact(m{"NumericLessThan": m{"s3:TlsVersion": 1.2}}),
	})
}

var allPublicAccessBlocked = m{
	"BlockPublicAcls":       true,
	"BlockPublicPolicy":     true,
	"IgnorePublicAcls":      true,
	"RestrictPublicBuckets": true,
}

func TestSecureBucketDefaults(t *testing.T) {
	stack, b := newKMSBucket(t, SecureBucketProps{})
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::S3::Bucket", 1)
	tp.Has("AWS::S3::Bucket", m{
		"BucketEncryption": assertions.Match_Exact(m{"ServerSideEncryptionConfiguration": a{m{
			"BucketKeyEnabled":              true,
			"ServerSideEncryptionByDefault": m{"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": cdktest.KeyArn},
		}}}),
		"PublicAccessBlockConfiguration": assertions.Match_Exact(allPublicAccessBlocked),
		"VersioningConfiguration":        m{"Status": "Enabled"},
		"OwnershipControls":              assertions.Match_Exact(m{"Rules": a{m{"ObjectOwnership": "BucketOwnerEnforced"}}}),
		"AccessControl":                  assertions.Match_Absent(),
		"LoggingConfiguration": assertions.Match_Exact(m{
			"DestinationBucketName": "access-logs",
			"LogFilePrefix":         assertions.Match_StringLikeRegexp(jsii.String(`^TestBucket[0-9A-F]{8}/$`)),
		}),
		"LifecycleConfiguration": assertions.Match_Exact(m{"Rules": a{m{
			"Id":                             "ExpireLogs",
			"Status":                         "Enabled",
			"ExpirationInDays":               365,
			"NoncurrentVersionExpiration":    m{"NoncurrentDays": 365},
			"AbortIncompleteMultipartUpload": m{"DaysAfterInitiation": 7},
		}}}),
		"NotificationConfiguration": assertions.Match_Exact(m{"EventBridgeConfiguration": m{"EventBridgeEnabled": true}}),
		"ObjectLockEnabled":         assertions.Match_Absent(),
		"ObjectLockConfiguration":   assertions.Match_Absent(),
		"Tags":                      assertions.Match_Absent(),
	})
	tp.HasResource("AWS::S3::Bucket", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	tp.Has("AWS::S3::BucketPolicy", m{
		"Bucket":         m{"Ref": cdktest.LogicalID(stack, b.Bucket)},
		"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(tlsOnly(stack, b))},
	})
	// Retained buckets keep their objects; EventBridge is switched on
	// without the L2's notifications handler.
	tp.Count("Custom::S3AutoDeleteObjects", 0)
	tp.Count("Custom::S3BucketNotifications", 0)
	tp.Count("AWS::Lambda::Function", 0)
}

func TestSecureBucketAccessLogPrefixesDiffer(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	key, logs := bucketDeps(stack)
	importedLogs(NewSecureBucket(stack, "First", &SecureBucketProps{EncryptionKey: key, AccessLogs: logs}))
	importedLogs(NewSecureBucket(stack, "Second", &SecureBucketProps{EncryptionKey: key, AccessLogs: logs}))
	tp := cdktest.Synth(t, stack)
	for _, prefix := range []string{`^TestFirst[0-9A-F]{8}/$`, `^TestSecond[0-9A-F]{8}/$`} {
		tp.Has("AWS::S3::Bucket", m{"LoggingConfiguration": m{
			"DestinationBucketName": "access-logs",
			"LogFilePrefix":         assertions.Match_StringLikeRegexp(jsii.String(prefix)),
		}})
	}
}

func TestSecureBucketAccessLogTarget(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	b := NewSecureBucket(stack, "AccessLogs", &SecureBucketProps{AccessLogTarget: true})
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::S3::Bucket", 1)
	tp.Has("AWS::S3::Bucket", m{
		// S3 delivers server access logs only to SSE-S3 buckets.
		"BucketEncryption": assertions.Match_Exact(m{"ServerSideEncryptionConfiguration": a{m{
			"ServerSideEncryptionByDefault": m{"SSEAlgorithm": "AES256"},
		}}}),
		// A log bucket that logged to itself would log forever.
		"LoggingConfiguration":           assertions.Match_Absent(),
		"PublicAccessBlockConfiguration": assertions.Match_Exact(allPublicAccessBlocked),
		"VersioningConfiguration":        m{"Status": "Enabled"},
		"OwnershipControls":              m{"Rules": a{m{"ObjectOwnership": "BucketOwnerEnforced"}}},
		"AccessControl":                  assertions.Match_Absent(),
		"LifecycleConfiguration":         m{"Rules": a{m{"ExpirationInDays": 365, "NoncurrentVersionExpiration": m{"NoncurrentDays": 365}}}},
	})
	tp.HasResource("AWS::S3::Bucket", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	tp.Has("AWS::S3::BucketPolicy", m{
		"Bucket":         m{"Ref": cdktest.LogicalID(stack, b.Bucket)},
		"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(tlsOnly(stack, b))},
	})
}

// TestSecureBucketLogsToTarget checks the pair as stacks use it: S3 log
// delivery is granted by the target's bucket policy, scoped to the source
// bucket and account, since the target accepts no ACLs.
func TestSecureBucketLogsToTarget(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	target := NewSecureBucket(stack, "AccessLogs", &SecureBucketProps{AccessLogTarget: true})
	key, _ := bucketDeps(stack)
	source := NewSecureBucket(stack, "Data", &SecureBucketProps{EncryptionKey: key, AccessLogs: target.Bucket})
	tp := cdktest.Synth(t, stack)

	targetID, sourceID := cdktest.LogicalID(stack, target.Bucket), cdktest.LogicalID(stack, source.Bucket)
	tp.Has("AWS::S3::Bucket", m{"LoggingConfiguration": m{"DestinationBucketName": m{"Ref": targetID}}})
	tp.Has("AWS::S3::BucketPolicy", m{
		"Bucket": m{"Ref": targetID},
		"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{
			"Effect":    "Allow",
			"Principal": m{"Service": "logging.s3.amazonaws.com"},
			"Action":    "s3:PutObject",
			"Condition": assertions.Match_Exact(m{
				"ArnLike":      m{"aws:SourceArn": m{"Fn::GetAtt": a{sourceID, "Arn"}}},
				"StringEquals": m{"aws:SourceAccount": "111111111111"},
			}),
		})))},
	})
	tp.Count("AWS::S3::Bucket", 2)
	tp.Has("AWS::S3::Bucket", m{"AccessControl": assertions.Match_Absent(), "BucketEncryption": m{
		"ServerSideEncryptionConfiguration": a{m{"ServerSideEncryptionByDefault": m{"SSEAlgorithm": "AES256"}}},
	}})
}

func TestSecureBucketLifecycle(t *testing.T) {
	stack, _ := newKMSBucket(t, SecureBucketProps{Retention: 90 * day, TransitionToGlacier: 30 * day})
	cdktest.Synth(t, stack).Has("AWS::S3::Bucket", m{
		"LifecycleConfiguration": assertions.Match_Exact(m{"Rules": a{m{
			"Id":                             "ExpireLogs",
			"Status":                         "Enabled",
			"ExpirationInDays":               90,
			"NoncurrentVersionExpiration":    m{"NoncurrentDays": 90},
			"AbortIncompleteMultipartUpload": m{"DaysAfterInitiation": 7},
			"Transitions":                    a{m{"StorageClass": "GLACIER", "TransitionInDays": 30}},
			"NoncurrentVersionTransitions":   a{m{"StorageClass": "GLACIER", "TransitionInDays": 30}},
		}}}),
	})

	stack = cdktest.NewStack(t, cdktest.Env)
	NewSecureBucket(stack, "AccessLogs", &SecureBucketProps{AccessLogTarget: true, Retention: 1 * day})
	cdktest.Synth(t, stack).Has("AWS::S3::Bucket", m{"LifecycleConfiguration": m{"Rules": a{m{
		"ExpirationInDays":             1,
		"NoncurrentVersionExpiration":  m{"NoncurrentDays": 1},
		"Transitions":                  assertions.Match_Absent(),
		"NoncurrentVersionTransitions": assertions.Match_Absent(),
	}}}})
}

func TestSecureBucketDestroyOnDelete(t *testing.T) {
	stack, b := newKMSBucket(t, SecureBucketProps{DestroyOnDelete: true})
	tp := cdktest.Synth(t, stack)
	tp.HasResource("AWS::S3::Bucket", m{"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"})
	tp.Count("Custom::S3AutoDeleteObjects", 1)
	tp.Has("Custom::S3AutoDeleteObjects", m{"BucketName": m{"Ref": cdktest.LogicalID(stack, b.Bucket)}})

	stack = cdktest.NewStack(t, cdktest.Env)
	NewSecureBucket(stack, "AccessLogs", &SecureBucketProps{AccessLogTarget: true, DestroyOnDelete: true})
	tp = cdktest.Synth(t, stack)
	tp.HasResource("AWS::S3::Bucket", m{"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"})
	tp.Count("Custom::S3AutoDeleteObjects", 1)
}

func TestSecureBucketObjectLock(t *testing.T) {
	for _, tc := range []struct {
		compliance bool
		mode       string
	}{{false, "GOVERNANCE"}, {true, "COMPLIANCE"}} {
		t.Run(tc.mode, func(t *testing.T) {
			stack, _ := newKMSBucket(t, SecureBucketProps{Retention: 400 * day, ObjectLockDays: 400, ObjectLockCompliance: tc.compliance})
			tp := cdktest.Synth(t, stack)
			tp.Has("AWS::S3::Bucket", m{
				"ObjectLockEnabled": true,
				"ObjectLockConfiguration": assertions.Match_Exact(m{
					"ObjectLockEnabled": "Enabled",
					"Rule":              m{"DefaultRetention": m{"Mode": tc.mode, "Days": 400}},
				}),
			})
			tp.HasResource("AWS::S3::Bucket", m{"DeletionPolicy": "Retain"})
		})
	}
}

func TestSecureBucketGrantServiceWrite(t *testing.T) {
	stack, b := newKMSBucket(t, SecureBucketProps{})
	b.GrantServiceWrite(ServiceWrite{Service: "delivery.logs.amazonaws.com", KeyPattern: "AWSLogs/*"})
	b.GrantServiceWrite(ServiceWrite{
		Service:                       "config.amazonaws.com",
		KeyPattern:                    "AWSLogs/111111111111/Config/*",
		BucketActions:                 []string{"s3:GetBucketAcl", "s3:ListBucket"},
		SourceArns:                    []string{"arn:aws:config:eu-west-1:111111111111:*"},
		RequireBucketOwnerFullControl: true,
	})
	tp := cdktest.Synth(t, stack)

	id := cdktest.LogicalID(stack, b.Bucket)
	arn := m{"Fn::GetAtt": a{id, "Arn"}}
	objects := func(pattern string) m { return m{"Fn::Join": a{"", a{arn, "/" + pattern}}} }
	account := m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}}
	tp.Has("AWS::S3::BucketPolicy", m{
		"Bucket": m{"Ref": id},
		"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
			// The minimal grant: objects under the pattern, this account only.
			m{
				"Sid":       "DeliveryLogsServiceDelivery",
				"Effect":    "Allow",
				"Principal": m{"Service": "delivery.logs.amazonaws.com"},
				"Action":    "s3:PutObject",
				"Resource":  objects("AWSLogs/*"),
				"Condition": assertions.Match_Exact(m{"StringEquals": account}),
			},
			m{
				"Sid":       "ConfigServiceBucketChecks",
				"Effect":    "Allow",
				"Principal": m{"Service": "config.amazonaws.com"},
				"Action":    a{"s3:GetBucketAcl", "s3:ListBucket"},
				"Resource":  arn,
				"Condition": assertions.Match_Exact(m{
					"StringEquals": account,
					"ArnLike":      m{"aws:SourceArn": a{"arn:aws:config:eu-west-1:111111111111:*"}},
				}),
			},
			m{
				"Sid":       "ConfigServiceDelivery",
				"Effect":    "Allow",
				"Principal": m{"Service": "config.amazonaws.com"},
				"Action":    "s3:PutObject",
				"Resource":  objects("AWSLogs/111111111111/Config/*"),
				"Condition": assertions.Match_Exact(m{
					"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}, "s3:x-amz-acl": "bucket-owner-full-control"},
					"ArnLike":      m{"aws:SourceArn": a{"arn:aws:config:eu-west-1:111111111111:*"}},
				}),
			},
		))},
	})
	// No bucket-level statement unless BucketActions are given.
	tp.Has("AWS::S3::BucketPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_Not(
		assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{"Sid": "DeliveryLogsServiceBucketChecks"}))),
	)}})
}

func TestSecureBucketPanics(t *testing.T) {
	tests := []struct {
		name  string
		props func(awscdk.Stack) *SecureBucketProps
		want  string
	}{
		{"nil props", func(awscdk.Stack) *SecureBucketProps { return nil }, `dataprotection.NewSecureBucket "Bucket": EncryptionKey and AccessLogs are required`},
		{"no access logs", func(s awscdk.Stack) *SecureBucketProps {
			key, _ := bucketDeps(s)
			return &SecureBucketProps{EncryptionKey: key}
		}, "EncryptionKey and AccessLogs are required"},
		{"no key", func(s awscdk.Stack) *SecureBucketProps {
			_, logs := bucketDeps(s)
			return &SecureBucketProps{AccessLogs: logs}
		}, "EncryptionKey and AccessLogs are required"},
		{"log target with key", func(s awscdk.Stack) *SecureBucketProps {
			key, _ := bucketDeps(s)
			return &SecureBucketProps{AccessLogTarget: true, EncryptionKey: key}
		}, "an AccessLogTarget takes neither EncryptionKey nor AccessLogs"},
		{"log target with access logs", func(s awscdk.Stack) *SecureBucketProps {
			_, logs := bucketDeps(s)
			return &SecureBucketProps{AccessLogTarget: true, AccessLogs: logs}
		}, "an AccessLogTarget takes neither EncryptionKey nor AccessLogs"},
		{"retention under a day", target(SecureBucketProps{Retention: 12 * time.Hour}), "Retention 12h0m0s must be whole days, at least one"},
		{"retention negative", target(SecureBucketProps{Retention: -day}), "Retention -24h0m0s must be whole days"},
		{"retention not whole days", target(SecureBucketProps{Retention: 36 * time.Hour}), "Retention 36h0m0s must be whole days"},
		{"transition not whole days", target(SecureBucketProps{TransitionToGlacier: 36 * time.Hour}), "TransitionToGlacier 36h0m0s must be whole days shorter than Retention 8760h0m0s"},
		{"transition at retention", target(SecureBucketProps{Retention: 30 * day, TransitionToGlacier: 30 * day}), "TransitionToGlacier 720h0m0s must be whole days shorter than Retention 720h0m0s"},
		{"object lock negative", kms(SecureBucketProps{ObjectLockDays: -1}), "ObjectLockDays -1 must be within Retention"},
		{"object lock beyond retention", kms(SecureBucketProps{Retention: 30 * day, ObjectLockDays: 31}), "ObjectLockDays 31 must be within Retention 720h0m0s"},
		{"object lock on log target", target(SecureBucketProps{ObjectLockDays: 30}), "neither on an access-log target nor with DestroyOnDelete"},
		{"object lock with destroy", kms(SecureBucketProps{ObjectLockDays: 30, DestroyOnDelete: true}), "neither on an access-log target nor with DestroyOnDelete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stack := cdktest.NewStack(t, cdktest.Env)
			cdktest.PanicsWith(t, tc.want, func() { NewSecureBucket(stack, "Bucket", tc.props(stack)) })
		})
	}

	t.Run("GrantServiceWrite", func(t *testing.T) {
		_, b := newKMSBucket(t, SecureBucketProps{})
		want := `dataprotection.SecureBucket.GrantServiceWrite "Bucket": Service and KeyPattern are required`
		cdktest.PanicsWith(t, want, func() { b.GrantServiceWrite(ServiceWrite{Service: "config.amazonaws.com"}) })
		cdktest.PanicsWith(t, want, func() { b.GrantServiceWrite(ServiceWrite{KeyPattern: "*"}) })
	})
}

func target(p SecureBucketProps) func(awscdk.Stack) *SecureBucketProps {
	return func(awscdk.Stack) *SecureBucketProps {
		p.AccessLogTarget = true
		return &p
	}
}

func kms(p SecureBucketProps) func(awscdk.Stack) *SecureBucketProps {
	return func(s awscdk.Stack) *SecureBucketProps {
		p.EncryptionKey, p.AccessLogs = bucketDeps(s)
		return &p
	}
}

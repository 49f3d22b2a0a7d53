package dataprotection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestKeyEncryptionContextAndNamedGrants: two grants to one service keep
// apart by name, and an encryption-context condition narrows one of them.
func TestKeyEncryptionContextAndNamedGrants(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewKey(stack, "Key", &KeyProps{Alias: "alias/test/x", Services: []ServiceAccess{
		{Service: "cloudtrail.amazonaws.com", Name: "Encrypt", Actions: []string{"kms:GenerateDataKey*"},
			SourceArns: []string{"arn:aws:cloudtrail:eu-west-1:111111111111:trail/t"}, EncryptionContext: map[string]string{"aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*"}},
		{Service: "cloudtrail.amazonaws.com", Name: "Describe", Actions: []string{"kms:DescribeKey"}},
	}})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		m{
			"Sid": "AllowCloudtrailServiceEncrypt", "Effect": "Allow", "Principal": m{"Service": "cloudtrail.amazonaws.com"},
			"Action": "kms:GenerateDataKey*", "Resource": "*",
			"Condition": m{
				"ArnLike":      m{"aws:SourceArn": a{"arn:aws:cloudtrail:eu-west-1:111111111111:trail/t"}},
				"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}},
				"StringLike":   m{"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*"},
			},
		},
		m{
			"Sid": "AllowCloudtrailServiceDescribe", "Effect": "Allow", "Principal": m{"Service": "cloudtrail.amazonaws.com"},
			"Action": "kms:DescribeKey", "Resource": "*",
			"Condition": m{"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}}},
		},
	))}})
}

// TestKeyAccountViaServices: every principal of the account, through the
// named service only.
func TestKeyAccountViaServices(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewKey(stack, "Key", &KeyProps{Alias: "alias/test/x", AccountViaServices: []string{"auditmanager"}})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
		"Sid": "AllowAccountThroughAuditmanager", "Effect": "Allow", "Principal": m{"AWS": "*"},
		"Action":    a{"kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"},
		"Resource":  "*",
		"Condition": m{"StringEquals": m{"kms:CallerAccount": "111111111111", "kms:ViaService": "auditmanager.eu-west-1.amazonaws.com"}},
	}))}})
}

// TestKeyAlarmTrailWarning: the synth warning that the alarm needs a trail
// goes away when the app deploys one.
func TestKeyAlarmTrailWarning(t *testing.T) {
	warnings := func(deployed bool) int {
		stack := cdktest.NewStack(t, cdktest.Env)
		topic := NewSecureTopic(stack, "Alerts", &SecureTopicProps{EncryptionKey: cdktest.ImportedKey(stack)})
		NewKeyAlarm(stack, "KeyAlarm", &KeyAlarmProps{Topic: topic.Topic, TrailDeployed: deployed})
		found := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("CloudTrail trail")))
		return len(*found)
	}
	assert.Equal(t, 1, warnings(false))
	assert.Equal(t, 0, warnings(true))
}

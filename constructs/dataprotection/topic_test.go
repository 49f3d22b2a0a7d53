package dataprotection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

func TestSecureTopic(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	key := cdktest.ImportedKey(stack)
	topic := NewSecureTopic(stack, "Alerts", &SecureTopicProps{
		EncryptionKey: key, DisplayName: "mamori alerts",
		Emails: []string{"sec@example.com"}, Webhooks: []string{"https://hooks.example.com/x"},
	})
	NewKeyAlarm(stack, "KeyAlarm", &KeyAlarmProps{Topic: topic.Topic})
	tp := cdktest.Synth(t, stack)

	tp.Has("AWS::SNS::Topic", m{"KmsMasterKeyId": cdktest.KeyArn, "DisplayName": "mamori alerts"})
	tp.Has("AWS::SNS::Subscription", m{"Protocol": "email", "Endpoint": "sec@example.com"})
	tp.Has("AWS::SNS::Subscription", m{"Protocol": "https", "Endpoint": "https://hooks.example.com/x"})
	// TLS only.
	tp.Has("AWS::SNS::TopicPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{
		"Effect": "Deny", "Action": "sns:Publish", "Condition": m{"Bool": m{"aws:SecureTransport": "false"}},
	})))}})
	// EventBridge: the rule target's grant names no source, so the topic
	// refuses the rules of other accounts and regions.
	tp.Has("AWS::SNS::TopicPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		cdktest.Like(m{
			"Sid": "DenyEventBridgeExceptThisAccountsRules", "Effect": "Deny", "Action": "sns:Publish",
			"Principal": m{"Service": "events.amazonaws.com"},
			"Condition": m{"StringNotEquals": m{"aws:SourceAccount": "111111111111"}},
		}),
		cdktest.Like(m{
			"Sid": "DenyEventBridgeExceptThisRegionsRules", "Effect": "Deny", "Action": "sns:Publish",
			"Principal": m{"Service": "events.amazonaws.com"},
			"Condition": m{"ArnNotLike": m{"aws:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/*"}},
		}),
	))}})
	// The alarm: disabling or scheduling deletion of any key, sent to the topic.
	tp.Has("AWS::Events::Rule", m{
		"EventPattern": m{
			"source":      a{"aws.kms"},
			"detail-type": a{"AWS API Call via CloudTrail"},
			"detail":      m{"eventSource": a{"kms.amazonaws.com"}, "eventName": a{"DisableKey", "ScheduleKeyDeletion"}},
		},
		"Targets": assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{"Arn": m{"Ref": cdktest.LogicalID(stack, topic.Topic)}}))),
	})
	for _, r := range tp.Resources("AWS::Events::Rule") {
		target := r["Properties"].(m)["Targets"].([]interface{})[0].(m)
		paths := target["InputTransformer"].(m)["InputPathsMap"].(m)
		assert.Equal(t, "$.detail.requestParameters.keyId", paths["detail-requestParameters-keyId"])
		assert.Equal(t, "$.detail.userIdentity.arn", paths["detail-userIdentity-arn"])
	}
}

func TestSecureTopicPanics(t *testing.T) {
	cdktest.PanicsWith(t, "EncryptionKey is required", func() { NewSecureTopic(cdktest.NewStack(t, cdktest.Env), "T", nil) })
	cdktest.PanicsWith(t, "must be an https:// URL", func() {
		stack := cdktest.NewStack(t, cdktest.Env)
		NewSecureTopic(stack, "T", &SecureTopicProps{
			EncryptionKey: cdktest.ImportedKey(stack),
			Webhooks:      []string{"http://insecure.example.com"},
		})
	})
	cdktest.PanicsWith(t, "Topic is required", func() { NewKeyAlarm(cdktest.NewStack(t, cdktest.Env), "A", nil) })
}

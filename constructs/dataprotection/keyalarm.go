package dataprotection

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// KeyAlarmProps configures a KeyAlarm.
type KeyAlarmProps struct {
	// Topic receives the alarm. Required.
	Topic awssns.ITopic
	// TrailDeployed says the app deploys a trail that records this account's
	// management events in every region (the compliance layer's), so the
	// alarm hears what it listens for. Default: false: a synth warning says
	// the alarm needs such a trail.
	TrailDeployed bool
}

// KeyAlarm tells people when any KMS key of the account in this region is
// disabled or scheduled for deletion: either makes everything it encrypts
// unreadable. The events are KMS API calls as CloudTrail delivers them to
// EventBridge, which needs a CloudTrail trail in the account (the compliance
// layer creates one; AWS Control Tower accounts have one).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
type KeyAlarm struct {
	Scope constructs.Construct
	Rule  awsevents.Rule
}

// keyAlarmEvents are the KMS API calls that start making data unreadable.
var keyAlarmEvents = []string{"DisableKey", "ScheduleKeyDeletion"}

// NewKeyAlarm creates a KeyAlarm.
func NewKeyAlarm(scope constructs.Construct, id string, props *KeyAlarmProps) *KeyAlarm {
	if props == nil || props.Topic == nil {
		panic(fmt.Errorf("dataprotection.NewKeyAlarm %q: Topic is required", id))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	rule := awsevents.NewRule(this, jsii.String("Rule"), &awsevents.RuleProps{
		Description: jsii.String("A KMS key was disabled or scheduled for deletion"),
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings("aws.kms"),
			DetailType: jsii.Strings("AWS API Call via CloudTrail"),
			Detail: &map[string]interface{}{
				"eventSource": jsii.Strings("kms.amazonaws.com"),
				"eventName":   jsii.Strings(keyAlarmEvents...),
			},
		},
	})
	field := func(path string) *string { return awsevents.EventField_FromPath(jsii.String(path)) }
	rule.AddTarget(awseventstargets.NewSnsTopic(props.Topic, &awseventstargets.SnsTopicProps{
		Message: awsevents.RuleTargetInput_FromObject(map[string]interface{}{
			"alarm":     "A KMS key was disabled or scheduled for deletion: data it encrypts becomes unreadable",
			"action":    field("$.detail.eventName"),
			"key":       field("$.detail.requestParameters.keyId"),
			"by":        field("$.detail.userIdentity.arn"),
			"account":   field("$.account"),
			"region":    field("$.region"),
			"time":      field("$.time"),
			"requestId": field("$.detail.requestID"),
		}),
	}))
	// Say so at synth: nothing in the template can tell whether a trail exists.
	if props.TrailDeployed {
		return &KeyAlarm{Scope: this, Rule: rule}
	}
	awscdk.Annotations_Of(this).AddWarningV2(jsii.String("mamori:keyAlarmNeedsTrail"), jsii.String(
		"the key alarm hears of DisableKey and ScheduleKeyDeletion only through a CloudTrail trail that records management events in this account"), nil)
	return &KeyAlarm{Scope: this, Rule: rule}
}

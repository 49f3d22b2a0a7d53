package response

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/regioninfo"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
)

// SeverityLabel is a Security Hub finding severity label.
type SeverityLabel string

// severityLabels are Security Hub's labels, lowest first.
var severityLabels = []SeverityLabel{"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}

// FindingNotificationsProps configures FindingNotifications.
type FindingNotificationsProps struct {
	// Topic receives the notifications; its key policy must let
	// events.amazonaws.com use the key. Required.
	Topic awssns.ITopic
	// MinimumSeverity is the lowest severity label that notifies.
	// Default: HIGH.
	MinimumSeverity SeverityLabel
}

// FindingNotifications sends each new, active Security Hub finding at or
// above a severity to a topic, as a message people can read: title,
// severity, product, account, region, resource and a console link.
//
// Only findings whose workflow status is NEW notify: a finding someone has
// looked at (NOTIFIED), fixed (RESOLVED) or suppressed (SUPPRESSED, as the
// automation rules do) stays quiet, and so does an archived one (RecordState
// ARCHIVED). GuardDuty, Inspector, Macie, Firewall Manager, IAM Access
// Analyzer and AWS Config findings all arrive through Security Hub, so one
// rule covers them; listening to GuardDuty's own "GuardDuty Finding" events
// as well would send every GuardDuty finding twice. Each Imported event
// carries one finding, and in the aggregation (home) region the feed also
// carries the linked regions' findings: one rule there covers every region.
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-cwe-integration-types.html
type FindingNotifications struct {
	Scope constructs.Construct
	Rule  awsevents.Rule
}

// NewFindingNotifications creates a FindingNotifications. It panics listing
// every invalid prop.
func NewFindingNotifications(scope constructs.Construct, id string, props *FindingNotificationsProps) *FindingNotifications {
	var p FindingNotificationsProps
	if props != nil {
		p = *props
	}
	if p.MinimumSeverity == "" {
		p.MinimumSeverity = "HIGH"
	}
	bad := problems.Of("response.NewFindingNotifications", id)
	if p.Topic == nil {
		bad.Add("Topic is required")
	}
	i := slices.Index(severityLabels, p.MinimumSeverity)
	if i < 0 {
		bad.Add("unknown severity label %q", p.MinimumSeverity)
	}
	bad.Check()
	var labels []string
	for _, l := range severityLabels[i:] {
		labels = append(labels, string(l))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	rule := awsevents.NewRule(this, jsii.String("Rule"), &awsevents.RuleProps{
		Description: jsii.String("New, active Security Hub findings of severity " + string(p.MinimumSeverity) + " or above"),
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings("aws.securityhub"),
			DetailType: jsii.Strings("Security Hub Findings - Imported"),
			Detail: &map[string]interface{}{
				"findings": map[string]interface{}{
					"Severity":    map[string]interface{}{"Label": labels},
					"Workflow":    map[string]interface{}{"Status": []string{"NEW"}},
					"RecordState": []string{"ACTIVE"},
				},
			},
		},
	})
	rule.AddTarget(awseventstargets.NewSnsTopic(p.Topic, &awseventstargets.SnsTopicProps{
		Message: findingMessage(this, "Security Hub finding", "$.detail.findings[0]"),
	}))
	return &FindingNotifications{Scope: this, Rule: rule}
}

// findingMessage is the message for an event carrying one ASFF finding at
// path. It follows AWS Chatbot's custom notification format (version,
// source, content.title, content.description), which Chatbot renders in
// Slack and people read as it is in e-mail.
// https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
func findingMessage(scope constructs.Construct, kind, path string) awsevents.RuleTargetInput {
	field := func(p string) string { return *awsevents.EventField_FromPath(jsii.String(path + p)) }
	event := func(p string) string { return *awsevents.EventField_FromPath(jsii.String(p)) }
	region := event("$.region")
	link := "https://" + consoleDomain(scope) + "/securityhub/home?region=" + region +
		"#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A" + field(".Id")
	return awsevents.RuleTargetInput_FromObject(map[string]interface{}{
		"version": "1.0",
		"source":  "custom",
		"content": map[string]interface{}{
			"textType": "client-markdown",
			"title":    field(".Severity.Label") + " " + kind + ": " + field(".Title"),
			"description": "Product: " + field(".ProductName") +
				"\nAccount: " + field(".AwsAccountId") +
				"\nRegion: " + field(".Region") +
				"\nResource: " + field(".Resources[0].Type") + " " + field(".Resources[0].Id") +
				"\nFinding: " + field(".Id") +
				"\nOpen in Security Hub: " + link,
		},
	})
}

// consoleDomain is the AWS console's host name in the stack's partition.
func consoleDomain(scope constructs.Construct) string {
	region := awscdk.Stack_Of(scope).Region()
	partition := "aws"
	if !*awscdk.Token_IsUnresolved(region) {
		if p := regioninfo.RegionInfo_Get(region).Partition(); p != nil {
			partition = *p
		}
	}
	switch partition {
	case "aws-cn":
		return "console.amazonaws.cn"
	case "aws-us-gov":
		return "console.amazonaws-us-gov.com"
	default:
		return "console.aws.amazon.com"
	}
}

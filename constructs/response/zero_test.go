package response

import (
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestZeroPropsAreSecure builds each response construct from its props'
// zero value, with only the required references given, and checks the
// secure outcome: the behavior graph and the unified Security Hub are
// retained when they leave the stack; notifications are sent for new,
// active findings of HIGH or above; a remediation runs only when someone
// starts it, as a role only ssm.amazonaws.com of this account may assume;
// no automation rule suppresses and no insight exists until given. Detective's
// source packages bill per GB ingested and stay opt-in. Custom actions and
// the Slack channel have no zero value: what they act on is required.
func TestZeroPropsAreSecure(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewDetective(stack, "Detective", nil)
	NewUnifiedSecurityHub(stack, "Unified", nil)
	NewFindingNotifications(stack, "Notifications", &FindingNotificationsProps{Topic: importedTopic(stack)})
	NewRemediation(stack, "Remediation", &RemediationProps{RuleName: jsii.String("s3-bucket-public-read-prohibited"), Runbook: DisableS3BucketPublicReadWrite})
	NewAutomationRules(stack, "Rules", nil)
	NewInsights(stack, "Insights", nil)
	tp := cdktest.Synth(t, stack)

	tp.HasResource("AWS::Detective::Graph", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	tp.Count("Custom::AWS", 0)
	tp.HasResource("AWS::SecurityHub::HubV2", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	tp.Has("AWS::Events::Rule", m{"EventPattern": m{
		"source": a{"aws.securityhub"}, "detail-type": a{"Security Hub Findings - Imported"},
		"detail": m{"findings": m{
			"Severity":    m{"Label": a{"HIGH", "CRITICAL"}},
			"Workflow":    m{"Status": a{"NEW"}},
			"RecordState": a{"ACTIVE"},
		}},
	}})
	tp.Has("AWS::Config::RemediationConfiguration", m{"Automatic": false, "MaximumAutomaticAttempts": 3, "RetryAttemptSeconds": 600})
	tp.Has("AWS::IAM::Role", m{"AssumeRolePolicyDocument": cdktest.Like(m{"Statement": a{cdktest.Like(m{
		"Principal": m{"Service": "ssm.amazonaws.com"},
		"Condition": m{"StringEquals": m{"aws:SourceAccount": "111111111111"}},
	})}})})
	tp.Count("AWS::SecurityHub::AutomationRule", 0)
	tp.Count("AWS::SecurityHub::Insight", 0)
}

package response

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

func TestFindingMessageIsReadable(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewFindingNotifications(stack, "Findings", &FindingNotificationsProps{Topic: importedTopic(stack)})
	rule := only(t, cdktest.Synth(t, stack), "AWS::Events::Rule")
	tr := rule["Properties"].(m)["Targets"].([]interface{})[0].(m)["InputTransformer"].(m)
	template := tr["InputTemplate"].(string)
	for _, want := range []string{`"version":"1.0"`, `"source":"custom"`, "Security Hub finding: <", "Account: <", "Region: <", "Resource: <", "https://console.aws.amazon.com/securityhub/home?region=<region>"} {
		assert.Contains(t, template, want)
	}
	assert.Equal(t, "$.detail.findings[0].Title", tr["InputPathsMap"].(m)["detail-findings-0--Title"])
}

func TestConsoleLinkFollowsPartition(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Context: cdktest.Context(t)})
	stack := awscdk.NewStack(app, jsii.String("Gov"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-gov-west-1")}})
	topic := awssns.Topic_FromTopicArn(stack, jsii.String("T"), jsii.String("arn:aws-us-gov:sns:us-gov-west-1:111111111111:alerts"))
	NewFindingNotifications(stack, "Findings", &FindingNotificationsProps{Topic: topic})
	rule := only(t, cdktest.Synth(t, stack), "AWS::Events::Rule")
	template := rule["Properties"].(m)["Targets"].([]interface{})[0].(m)["InputTransformer"].(m)["InputTemplate"].(string)
	assert.Contains(t, template, "https://console.amazonaws-us-gov.com/securityhub/")
}

func TestFindingNotificationsRejectUnknownSeverity(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	cdktest.PanicsWith(t, `unknown severity label "SEVERE"`, func() {
		NewFindingNotifications(stack, "Findings", &FindingNotificationsProps{Topic: importedTopic(stack), MinimumSeverity: "SEVERE"})
	})
	cdktest.PanicsWith(t, "Topic is required", func() { NewFindingNotifications(stack, "F2", nil) })
}

func TestCustomActionsAreApiCalls(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	calls := calltest.NewProvider(stack)
	NewCustomActions(stack, "Actions", &CustomActionsProps{Topic: importedTopic(stack), Calls: calls,
		Actions: []CustomAction{{ID: "SendToOnCall", Name: "Send to on-call", Description: "Page the on-call responder"}}})
	tp := cdktest.Synth(t, stack)
	var id string
	for cid := range tp.Resources("Custom::AWS") {
		id = cid
	}
	create, update, del := tp.SdkCall(id, "Create"), tp.SdkCall(id, "Update"), tp.SdkCall(id, "Delete")
	assert.Equal(t, "CreateActionTarget", create["action"])
	assert.Equal(t, m{"Id": "SendToOnCall", "Name": "Send to on-call", "Description": "Page the on-call responder"}, create["parameters"])
	assert.Equal(t, "UpdateActionTarget", update["action"])
	assert.Equal(t, "DeleteActionTarget", del["action"])
	assert.Contains(t, del["parameters"].(m)["ActionTargetArn"], ":securityhub:eu-west-1:111111111111:action/custom/SendToOnCall")
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": cdktest.Like(m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{
		"Sid": "ManageCustomActions", "Resource": "*",
	})))})})
	rule := only(t, tp, "AWS::Events::Rule")["Properties"].(m)
	assert.Equal(t, a{"Security Hub Findings - Custom Action"}, rule["EventPattern"].(m)["detail-type"])
	bad := cdktest.NewStack(t, cdktest.Env)
	cdktest.PanicsWith(t, "needs a unique ID", func() {
		NewCustomActions(bad, "Bad", &CustomActionsProps{Topic: importedTopic(bad), Calls: calltest.NewProvider(bad),
			Actions: []CustomAction{{ID: "send-to-on-call", Name: "x", Description: "y"}}})
	})
}

func TestAutomationRules(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewAutomationRules(stack, "Rules", &AutomationRulesProps{Rules: []AutomationRule{
		{
			Name: "raise-production", Description: "Production findings matter more", Order: 10,
			AccountIDs: []string{"111122223333"}, SeverityLabels: []SeverityLabel{"MEDIUM"},
			SetSeverity: "HIGH", UserDefinedFields: map[string]string{"environment": "production"},
		},
		{
			Name: "sandbox-tor", Description: "Sandboxes run Tor on purpose", Order: 20, Terminal: true,
			TypePrefixes: []string{"TTPs/Command and Control/UnauthorizedAccess:EC2-TorClient"}, ResourceTags: map[string]string{"Environment": "sandbox"},
			SetWorkflowStatus: "SUPPRESSED", Note: "Tor is allowed in sandboxes (ticket SEC-42)",
		},
	}})
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::SecurityHub::AutomationRule", 2)
	tp.Has("AWS::SecurityHub::AutomationRule", m{
		"RuleName": "raise-production", "RuleOrder": 10.0, "IsTerminal": false, "RuleStatus": "ENABLED",
		"Criteria": m{
			"AwsAccountId":  a{m{"Comparison": "EQUALS", "Value": "111122223333"}},
			"SeverityLabel": a{m{"Comparison": "EQUALS", "Value": "MEDIUM"}},
		},
		"Actions": a{m{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": m{
			"Severity": m{"Label": "HIGH"}, "UserDefinedFields": m{"environment": "production"},
		}}},
	})
	tp.Has("AWS::SecurityHub::AutomationRule", m{
		"RuleName": "sandbox-tor", "IsTerminal": true,
		"Criteria": m{
			"Type":         a{m{"Comparison": "PREFIX", "Value": "TTPs/Command and Control/UnauthorizedAccess:EC2-TorClient"}},
			"ResourceTags": a{m{"Comparison": "EQUALS", "Key": "Environment", "Value": "sandbox"}},
		},
		"Actions": a{m{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": m{
			"Workflow": m{"Status": "SUPPRESSED"}, "Note": m{"Text": "Tor is allowed in sandboxes (ticket SEC-42)", "UpdatedBy": "mamori"},
		}}},
	})
	for _, bad := range []AutomationRule{
		{Name: "no-criteria", Description: "d", Order: 1, SetSeverity: "LOW"},
		{Name: "no-action", Description: "d", Order: 2, ProductNames: []string{"GuardDuty"}},
		{Name: "detection-order", Description: "d", Order: 900, ProductNames: []string{"GuardDuty"}, SetSeverity: "LOW"},
	} {
		cdktest.PanicsWith(t, bad.Name, func() { NewAutomationRules(stack, bad.Name, &AutomationRulesProps{Rules: []AutomationRule{bad}}) })
	}
}

func TestInsightsKeepActiveOpenFindings(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewInsights(stack, "Insights", &InsightsProps{Insights: []Insight{
		{Name: "Unrotated credentials", GroupBy: "ResourceId", FailedOnly: true, ControlIDs: []string{"IAM.3", "KMS.4"}},
		{Name: "Critical by account", GroupBy: "AwsAccountId", SeverityLabels: []SeverityLabel{"CRITICAL"}},
	}})
	tp := cdktest.Synth(t, stack)
	eq := func(v string) m { return m{"Comparison": "EQUALS", "Value": v} }
	tp.Has("AWS::SecurityHub::Insight", m{"Name": "Unrotated credentials", "GroupByAttribute": "ResourceId", "Filters": m{
		"RecordState": a{eq("ACTIVE")}, "WorkflowStatus": a{eq("NEW"), eq("NOTIFIED")},
		"ComplianceStatus": a{eq("FAILED")}, "ComplianceSecurityControlId": a{eq("IAM.3"), eq("KMS.4")},
	}})
	tp.Has("AWS::SecurityHub::Insight", m{"Name": "Critical by account", "Filters": cdktest.Like(m{"SeverityLabel": a{eq("CRITICAL")}})})
	cdktest.PanicsWith(t, "unique name", func() {
		NewInsights(stack, "Dup", &InsightsProps{Insights: []Insight{{Name: "x", GroupBy: "ResourceId"}, {Name: "x", GroupBy: "ResourceId"}}})
	})
}

func TestUnifiedSecurityHub(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewUnifiedSecurityHub(stack, "Hub", &UnifiedSecurityHubProps{LinkedRegions: []string{"us-west-2", "eu-central-1"}})
	tp := cdktest.Synth(t, stack)
	tp.HasResource("AWS::SecurityHub::HubV2", m{"DeletionPolicy": "Retain"})
	tp.Has("AWS::SecurityHub::AggregatorV2", m{"RegionLinkingMode": "SPECIFIED_REGIONS", "LinkedRegions": a{"eu-central-1", "us-west-2"}})

	other := cdktest.NewStack(t, cdktest.Env)
	NewUnifiedSecurityHub(other, "Hub", &UnifiedSecurityHubProps{DestroyOnDelete: true})
	tp = cdktest.Synth(t, other)
	tp.HasResource("AWS::SecurityHub::HubV2", m{"DeletionPolicy": "Delete"})
	tp.Count("AWS::SecurityHub::AggregatorV2", 0)
}

func TestRemediation(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	r := NewRemediation(stack, "Ssh", &RemediationProps{RuleName: jsii.String("incoming-ssh-disabled"), Runbook: DisableIncomingSSHOnPort22, Automatic: true})
	tp := cdktest.Synth(t, stack)
	role := cdktest.LogicalID(stack, r.Role)
	tp.Has("AWS::Config::RemediationConfiguration", m{
		"ConfigRuleName": "incoming-ssh-disabled", "TargetType": "SSM_DOCUMENT", "TargetId": "AWS-DisableIncomingSSHOnPort22",
		"ResourceType": "AWS::EC2::SecurityGroup", "Automatic": true, "MaximumAutomaticAttempts": 3.0, "RetryAttemptSeconds": 600.0,
		"Parameters": m{
			"AutomationAssumeRole": m{"StaticValue": m{"Values": a{m{"Fn::GetAtt": a{role, "Arn"}}}}},
			"SecurityGroupIds":     m{"ResourceValue": m{"Value": "RESOURCE_ID"}},
		},
	})
	tp.Has("AWS::IAM::Role", m{"AssumeRolePolicyDocument": m{"Statement": a{cdktest.Like(m{
		"Principal": m{"Service": "ssm.amazonaws.com"},
		"Condition": m{"StringEquals": m{"aws:SourceAccount": "111111111111"}},
	})}, "Version": "2012-10-17"}})
	policy := only(t, tp, "AWS::IAM::ManagedPolicy")["Properties"].(m)["PolicyDocument"].(m)["Statement"].([]interface{})
	var actions []string
	for _, s := range policy {
		switch act := s.(m)["Action"].(type) {
		case string:
			actions = append(actions, act)
		case []interface{}:
			for _, x := range act {
				actions = append(actions, x.(string))
			}
		}
	}
	assert.ElementsMatch(t, []string{"ec2:DescribeSecurityGroups", "ec2:RevokeSecurityGroupIngress"}, actions, "exactly the runbook's documented permissions")

	manual := cdktest.NewStack(t, cdktest.Env)
	NewRemediation(manual, "Tls", &RemediationProps{RuleName: jsii.String("tls"), Runbook: RestrictBucketSSLRequestsOnly, MaximumAutomaticAttempts: 5, RetryAttemptSeconds: 60})
	cdktest.Synth(t, manual).Has("AWS::Config::RemediationConfiguration", m{
		"Automatic": false, "MaximumAutomaticAttempts": 5.0, "RetryAttemptSeconds": 60.0, "TargetId": "AWSConfigRemediation-RestrictBucketSSLRequestsOnly",
		"Parameters": cdktest.Like(m{"BucketName": m{"ResourceValue": m{"Value": "RESOURCE_ID"}}}),
	})
	cdktest.PanicsWith(t, "known Runbook", func() {
		NewRemediation(manual, "X", &RemediationProps{RuleName: jsii.String("r"), Runbook: "AWS-DeleteEverything"})
	})
	cdktest.PanicsWith(t, "MaximumAutomaticAttempts", func() {
		NewRemediation(manual, "Y", &RemediationProps{RuleName: jsii.String("r"), Runbook: DisableS3BucketPublicReadWrite, MaximumAutomaticAttempts: 26})
	})
}

func TestSlackChannelCanOnlyNotify(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	ch := NewSlackChannel(stack, "Slack", &SlackChannelProps{Name: "mamori-security-alerts", WorkspaceID: "T0123ABCD", ChannelID: "C0123ABCDEF", Topics: []awssns.ITopic{importedTopic(stack)}})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::Chatbot::SlackChannelConfiguration", m{
		"ConfigurationName": "mamori-security-alerts", "SlackWorkspaceId": "T0123ABCD", "SlackChannelId": "C0123ABCDEF",
		"SnsTopicArns": a{"arn:aws:sns:eu-west-1:111111111111:alerts"}, "UserRoleRequired": false,
	})
	role := tp.Resource(cdktest.LogicalID(stack, ch.Role))["Properties"].(m)
	assert.Nil(t, role["ManagedPolicyArns"], "the channel role holds no permissions")
	assert.Nil(t, role["Policies"])
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": a{m{"Sid": "NoActionsFromChat", "Effect": "Deny", "Action": "*", "Resource": "*"}}, "Version": "2012-10-17"}})
	cfg := only(t, tp, "AWS::Chatbot::SlackChannelConfiguration")["Properties"].(m)
	assert.Len(t, cfg["GuardrailPolicies"], 1, "a guardrail is always set: without one Chatbot applies AdministratorAccess")
	bad := cdktest.NewStack(t, cdktest.Env)
	cdktest.PanicsWith(t, "Name", func() {
		NewSlackChannel(bad, "Bad", &SlackChannelProps{Name: "has spaces", WorkspaceID: "T", ChannelID: "C", Topics: []awssns.ITopic{importedTopic(bad)}})
	})
}

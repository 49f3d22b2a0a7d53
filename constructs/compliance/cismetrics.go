package compliance

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
)

// CISMetric is one CIS AWS Foundations Benchmark monitoring recommendation:
// a CloudWatch Logs metric filter on the trail's log group and an alarm on it.
type CISMetric struct {
	// ID names the filter, metric and alarm construct, e.g. "RootUsage".
	ID string
	// Description says what the alarm means to whoever receives it.
	Description string
	// Control is the Security Hub CSPM control that checks for this filter
	// and alarm, e.g. "CloudWatch.1"; empty where Security Hub has none.
	Control string
	// Pattern is the CloudWatch Logs JSON filter pattern.
	Pattern string
}

// eventNames is a filter-pattern disjunction of CloudTrail event names.
func eventNames(names ...string) string {
	terms := make([]string, len(names))
	for i, n := range names {
		terms[i] = "($.eventName = " + n + ")"
	}
	return strings.Join(terms, " || ")
}

// CISMetrics are the monitoring recommendations of the CIS AWS Foundations
// Benchmark (section 4 of v1.4.0 to v3.0.0, section 3 of v1.2.0), with the
// filter patterns AWS documents for the Security Hub CloudWatch controls:
// https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
func CISMetrics() []CISMetric {
	return []CISMetric{
		{ID: "UnauthorizedApiCalls", Control: "CloudWatch.2", Description: "API calls were refused as unauthorized",
			Pattern: `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`},
		{ID: "ConsoleSignInWithoutMfa", Control: "CloudWatch.3", Description: "An IAM user signed in to the console without MFA",
			Pattern: `{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`},
		{ID: "RootUsage", Control: "CloudWatch.1", Description: "The root user was used",
			Pattern: `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`},
		{ID: "IamPolicyChanges", Control: "CloudWatch.4", Description: "An IAM policy was created, changed, attached or detached",
			Pattern: "{ " + eventNames("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy",
				"PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy",
				"DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy") + " }"},
		{ID: "CloudTrailChanges", Control: "CloudWatch.5", Description: "A CloudTrail trail was created, changed, stopped or deleted",
			Pattern: "{ " + eventNames("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging") + " }"},
		{ID: "ConsoleAuthenticationFailures", Control: "CloudWatch.6", Description: "A console sign-in failed",
			Pattern: `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`},
		{ID: "KmsKeyDisabledOrDeleted", Control: "CloudWatch.7", Description: "A KMS key was disabled or scheduled for deletion",
			Pattern: "{ ($.eventSource = kms.amazonaws.com) && (" + eventNames("DisableKey", "ScheduleKeyDeletion") + ") }"},
		{ID: "S3BucketPolicyChanges", Control: "CloudWatch.8", Description: "An S3 bucket policy, ACL, CORS, lifecycle or replication setting changed",
			Pattern: "{ ($.eventSource = s3.amazonaws.com) && (" + eventNames("PutBucketAcl", "PutBucketPolicy", "PutBucketCors",
				"PutBucketLifecycle", "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle",
				"DeleteBucketReplication") + ") }"},
		{ID: "ConfigChanges", Control: "CloudWatch.9", Description: "AWS Config recording or delivery was changed or stopped",
			Pattern: "{ ($.eventSource = config.amazonaws.com) && (" + eventNames("StopConfigurationRecorder", "DeleteDeliveryChannel",
				"PutDeliveryChannel", "PutConfigurationRecorder") + ") }"},
		{ID: "SecurityGroupChanges", Control: "CloudWatch.10", Description: "A security group was created, changed or deleted",
			Pattern: "{ " + eventNames("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
				"RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup") + " }"},
		{ID: "NetworkAclChanges", Control: "CloudWatch.11", Description: "A network ACL was created, changed or deleted",
			Pattern: "{ " + eventNames("CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
				"ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation") + " }"},
		{ID: "NetworkGatewayChanges", Control: "CloudWatch.12", Description: "A customer or internet gateway was created, attached, detached or deleted",
			Pattern: "{ " + eventNames("CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
				"DeleteInternetGateway", "DetachInternetGateway") + " }"},
		{ID: "RouteTableChanges", Control: "CloudWatch.13", Description: "A route table or route was created, changed or deleted",
			Pattern: "{ ($.eventSource = ec2.amazonaws.com) && (" + eventNames("CreateRoute", "CreateRouteTable", "ReplaceRoute",
				"ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable") + ") }"},
		{ID: "VpcChanges", Control: "CloudWatch.14", Description: "A VPC or VPC peering connection was created, changed or deleted",
			Pattern: "{ " + eventNames("CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
				"CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc",
				"DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink") + " }"},
		// CIS v1.4.0 4.15; Security Hub has no control for it.
		{ID: "OrganizationsChanges", Description: "AWS Organizations accounts, organizational units or policies changed",
			Pattern: "{ ($.eventSource = organizations.amazonaws.com) && (" + eventNames("AcceptHandshake", "AttachPolicy", "CreateAccount",
				"CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit",
				"DeletePolicy", "DetachPolicy", "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization",
				"LeaveOrganization", "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit") + ") }"},
	}
}

// CISAlarmsProps configures CISAlarms.
type CISAlarmsProps struct {
	// LogGroup receives a multi-region trail's events. Required.
	LogGroup awslogs.ILogGroup
	// Topic receives every alarm. Its key must let cloudwatch.amazonaws.com
	// use it (kms:Decrypt, kms:GenerateDataKey*). Required.
	Topic awssns.ITopic
	// Namespace holds the metrics. Default: "mamori/CISBenchmark".
	Namespace string
}

// CISAlarms is a metric filter and an alarm for each CISMetric: the alarm
// goes off, and tells the topic, in the five minutes any matching event
// reaches the log group.
type CISAlarms struct {
	Scope  constructs.Construct
	Alarms map[string]awscloudwatch.Alarm
}

// NewCISAlarms creates CISAlarms.
func NewCISAlarms(scope constructs.Construct, id string, props *CISAlarmsProps) *CISAlarms {
	if props == nil || props.LogGroup == nil || props.Topic == nil {
		panic(fmt.Errorf("compliance.NewCISAlarms %q: LogGroup and Topic are required", id))
	}
	namespace := props.Namespace
	if namespace == "" {
		namespace = "mamori/CISBenchmark"
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	out := &CISAlarms{Scope: this, Alarms: map[string]awscloudwatch.Alarm{}}
	action := awscloudwatchactions.NewSnsAction(props.Topic)
	for _, m := range CISMetrics() {
		filter := awslogs.NewMetricFilter(this, jsii.String(m.ID), &awslogs.MetricFilterProps{
			LogGroup:        props.LogGroup,
			FilterPattern:   awslogs.FilterPattern_Literal(jsii.String(m.Pattern)),
			MetricNamespace: jsii.String(namespace),
			MetricName:      jsii.String(m.ID),
			MetricValue:     jsii.String("1"),
		})
		description := m.Description + " (CIS AWS Foundations Benchmark"
		if m.Control != "" {
			description += ", Security Hub " + m.Control
		}
		alarm := awscloudwatch.NewAlarm(this, jsii.String(m.ID+"Alarm"), &awscloudwatch.AlarmProps{
			AlarmDescription: jsii.String(description + ")"),
			Metric: filter.Metric(&awscloudwatch.MetricOptions{
				Statistic: jsii.String("Sum"),
				Period:    awscdk.Duration_Minutes(jsii.Number(5)),
			}),
			Threshold:          jsii.Number(1),
			EvaluationPeriods:  jsii.Number(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		alarm.AddAlarmAction(action)
		out.Alarms[m.ID] = alarm
	}
	return out
}

// alarmArns matches every CloudWatch alarm of stack's account and region.
func alarmArns(stack awscdk.Stack) string {
	return *stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("cloudwatch"), Resource: jsii.String("alarm"), ResourceName: jsii.String("*"),
		ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
}

// CloudWatchKeyAccess is the key-policy grant CloudWatch needs to publish the
// alarms of stack's account and region to a topic encrypted with the key.
// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
func CloudWatchKeyAccess(stack awscdk.Stack) dataprotection.ServiceAccess {
	return dataprotection.ServiceAccess{
		Service:    "cloudwatch.amazonaws.com",
		Actions:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
		SourceArns: []string{alarmArns(stack)},
	}
}

// AllowCloudWatchAlarms lets the alarms of topic's account and region
// publish to it: a topic with a resource policy admits only what it names.
func AllowCloudWatchAlarms(topic awssns.ITopic) {
	stack := awscdk.Stack_Of(topic)
	topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchAlarms"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  jsii.Strings(*topic.TopicArn()),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": stack.Account()},
			"ArnLike":      map[string]interface{}{"aws:SourceArn": alarmArns(stack)},
		},
	}))
}

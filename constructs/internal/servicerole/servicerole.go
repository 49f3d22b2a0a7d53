// Package servicerole makes the role an AWS service assumes to write a log
// group mamori owns: the role, one customer managed policy whose first
// statement allows logs:CreateLogStream and logs:PutLogEvents on the group,
// and the cdk-nag suppression that the log stream wildcard needs.
package servicerole

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/internal/nag"
)

// Props configures New. Every field is required except Suppressions.
type Props struct {
	// PolicyID and RoleID are the construct IDs of the policy and the role.
	PolicyID, RoleID string
	// Service is the principal that assumes the role, e.g. "lambda.amazonaws.com".
	Service string
	// PolicyDescription and RoleDescription describe the two resources.
	PolicyDescription, RoleDescription string
	// LogGroup is the log group the service writes to, and Sid the ID of the
	// statement that allows it.
	LogGroup awslogs.LogGroup
	Sid      string
	// LogStreams says why the policy may write any stream of LogGroup: the
	// suppression of AwsSolutions-IAM5 on the policy.
	LogStreams nag.Rule
	// Suppressions are further rules suppressed on the policy.
	Suppressions []nag.Rule
}

// New creates the policy and the role, in that order, and suppresses
// LogStreams and Suppressions on the policy.
func New(scope constructs.Construct, p Props) (awsiam.Role, awsiam.ManagedPolicy) {
	policy := awsiam.NewManagedPolicy(scope, jsii.String(p.PolicyID), &awsiam.ManagedPolicyProps{
		Description: jsii.String(p.PolicyDescription),
		Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String(p.Sid),
			Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
			Resources: jsii.Strings(*p.LogGroup.LogGroupArn()),
		})},
	})
	role := awsiam.NewRole(scope, jsii.String(p.RoleID), &awsiam.RoleProps{
		AssumedBy:       awsiam.NewServicePrincipal(jsii.String(p.Service), nil),
		Description:     jsii.String(p.RoleDescription),
		ManagedPolicies: &[]awsiam.IManagedPolicy{policy},
	})
	nag.Suppress(policy, false, append([]nag.Rule{p.LogStreams}, p.Suppressions...)...)
	return role, policy
}

// LogStreamsRule suppresses AwsSolutions-IAM5 for the finding
// "Resource::<LogicalID.Arn>" followed by suffix, the log group's ARN as
// cdk-nag's findings spell it, with reason.
func LogStreamsRule(logGroup awslogs.LogGroup, suffix, reason string) nag.Rule {
	cfn := logGroup.Node().DefaultChild().(awscdk.CfnElement)
	return nag.Rule{
		ID:        "AwsSolutions-IAM5",
		Reason:    reason,
		AppliesTo: []string{"Resource::<" + *awscdk.Stack_Of(logGroup).GetLogicalId(cfn) + ".Arn>" + suffix},
	}
}

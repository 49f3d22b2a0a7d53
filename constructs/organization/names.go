package organization

import (
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
	"github.com/mamori-dev/mamori/internal/names"
)

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// pascal turns "access-analyzer.amazonaws.com" into "AccessAnalyzer", a
// construct ID part.
func pascal(principal string) string {
	return names.Pascal(strings.TrimSuffix(principal, ".amazonaws.com"))
}

// serviceLinkedRoles lets a call create the service-linked roles of these
// services (the service-linked role of each service that trusted access or
// a designation turns on), and no others.
func serviceLinkedRoles(stack awscdk.Stack, services []string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("iam:CreateServiceLinkedRole"),
		Resources: jsii.Strings(*stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("role"),
			ResourceName: jsii.String("aws-service-role/*"), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		})),
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"iam:AWSServiceName": jsiix.Strs(services)}},
	})
}

// suppressOrganizationCalls records why the organization calls' policy
// holds wildcards; slr says whether the calls create service-linked roles
// (serviceLinkedRoles), so that the reason names only what the policy holds.
func suppressOrganizationCalls(calls *sdkcall.Provider, slr bool) {
	reason := "Organizations trusted access, delegated-administrator and organization-configuration actions act on the organization " +
		"or the calling account and support no resource-level permissions"
	rule := nag.Rule{ID: "AwsSolutions-IAM5", Reason: reason + ".", AppliesTo: []string{"Resource::*"}}
	if slr {
		rule.Reason = reason + "; iam:CreateServiceLinkedRole is limited by iam:AWSServiceName to the services involved."
		rule.AppliesToRegex = []string{`/^Resource::arn:[^:]+:iam::(<AWS::AccountId>|[0-9]{12}):role\/aws-service-role\/\*$/`}
	}
	nag.Suppress(calls.Policy, false, rule)
}

package prevention

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// RootAccessProps configures RootAccess.
type RootAccessProps struct {
	// Calls runs the IAM calls, in the management account. Required.
	Calls *sdkcall.Provider
	// After is what must exist first: trusted access for iam.amazonaws.com.
	// Default: none.
	After []constructs.IDependable
}

// RootAccess turns on centralized root access for member accounts: root
// credentials management (iam:EnableOrganizationsRootCredentialsManagement),
// with which the management account audits and deletes member accounts'
// root credentials, and privileged root sessions
// (iam:EnableOrganizationsRootSessions), with which it runs the few
// root-only tasks through sts:AssumeRoot. Both need trusted access for IAM
// first. Enabling again returns the enabled features; a delete leaves both
// on.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOrganizationsRootCredentialsManagement.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOrganizationsRootSessions.html
type RootAccess struct {
	Scope constructs.Construct
}

// NewRootAccess creates RootAccess.
func NewRootAccess(scope constructs.Construct, id string, props *RootAccessProps) *RootAccess {
	var p RootAccessProps
	if props != nil {
		p = *props
	}
	if p.Calls == nil {
		panic(fmt.Errorf("prevention.NewRootAccess %q: Calls is required", id))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	for _, action := range []string{"EnableOrganizationsRootCredentialsManagement", "EnableOrganizationsRootSessions"} {
		cr := p.Calls.NewCall(this, action[len("EnableOrganizations"):], &sdkcall.CallProps{
			OnCreate: &customresources.AwsSdkCall{
				Service: jsii.String("IAM"), Action: jsii.String(action),
				PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String("iam-" + action)),
			},
			Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("iam:"+action, "organizations:DescribeOrganization", "organizations:ListAWSServiceAccessForOrganization"),
				Resources: jsii.Strings("*"),
			})},
		})
		for _, d := range p.After {
			cr.Node().AddDependency(d)
		}
	}
	nag.Suppress(p.Calls.Policy, false, nag.Rule{
		ID:        "AwsSolutions-IAM5",
		Reason:    "The IAM organization features and Organizations' read actions act on the organization and support no resource-level permissions.",
		AppliesTo: []string{"Resource::*"},
	})
	return &RootAccess{Scope: this}
}

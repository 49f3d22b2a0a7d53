package prevention

import (
	_ "embed"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/organization"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

//go:embed handlers/policy-types.js
var policyTypesHandler string

// PolicyType is an AWS Organizations policy type.
type PolicyType string

// The policy types the prevention layer attaches.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_EnablePolicyType.html
const (
	ServiceControlPolicy  PolicyType = "SERVICE_CONTROL_POLICY"
	ResourceControlPolicy PolicyType = "RESOURCE_CONTROL_POLICY"
	DeclarativePolicyEC2  PolicyType = "DECLARATIVE_POLICY_EC2"
	S3Policy              PolicyType = "S3_POLICY"
)

// PolicyTypesProps configures PolicyTypes.
type PolicyTypesProps struct {
	// Calls runs the handler, in the management account. Required.
	Calls *sdkcall.Provider
	// Types are enabled on the root. Required: at least one.
	Types []PolicyType
}

// PolicyTypes enables organization policy types on the root
// (organizations:EnablePolicyType), which Organizations requires before a
// policy of the type can be created, and waits until each is ENABLED. A
// type already enabled counts as success (PolicyTypeAlreadyEnabledException);
// a delete disables nothing, since that would detach every policy of the
// type in the organization.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_EnablePolicyType.html
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListRoots.html
type PolicyTypes struct {
	Scope constructs.Construct
	// Resource is the custom resource: policies depend on it.
	Resource awscdk.CustomResource
}

// NewPolicyTypes creates PolicyTypes.
func NewPolicyTypes(scope constructs.Construct, id string, props *PolicyTypesProps) *PolicyTypes {
	var p PolicyTypesProps
	if props != nil {
		p = *props
	}
	if p.Calls == nil || len(p.Types) == 0 {
		panic(fmt.Errorf("prevention.NewPolicyTypes %q: Calls and at least one Type are required", id))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	types := make([]string, len(p.Types))
	for i, t := range p.Types {
		types[i] = string(t)
	}
	slices.Sort(types)
	cr := p.Calls.NewWaitingCall(this, "PolicyTypes", &sdkcall.WaitingCallProps{
		HandlerName: "policy-types",
		Suppressions: []nag.Rule{{
			ID:        "AwsSolutions-IAM5",
			Reason:    "organizations:ListRoots and organizations:EnablePolicyType act on the organization's root, whose ID is only known once the handler lists it.",
			AppliesTo: []string{"Resource::*"},
		}},
		Handler:      policyTypesHandler,
		ResourceType: "Custom::OrganizationPolicyTypes",
		Properties:   map[string]interface{}{"PolicyTypes": types, "OrganizationsRegion": organization.OrganizationsRegion(awscdk.Stack_Of(this))},
		// Organizations' root-level actions take the root's ARN, unknown
		// until the organization is read.
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("organizations:ListRoots", "organizations:EnablePolicyType"), Resources: jsii.Strings("*"),
		})},
		Timeout: 10 * time.Minute,
	})
	return &PolicyTypes{Scope: this, Resource: cr}
}

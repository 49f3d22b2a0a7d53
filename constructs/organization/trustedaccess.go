package organization

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

// TrustedAccessProps configures TrustedAccess.
type TrustedAccessProps struct {
	// Calls runs the Organizations API calls. Required.
	Calls *sdkcall.Provider
	// ServicePrincipals receive trusted access to the organization, e.g.
	// "guardduty.amazonaws.com". Required: at least one.
	ServicePrincipals []string
	// SkipStackSets leaves trusted access for CloudFormation StackSets,
	// which service-managed StackSets (the member baseline) need, as it is.
	// Default: false: it is activated.
	SkipStackSets bool
	// DelegatedAdministrator is registered, through Organizations, as the
	// delegated administrator of each of Registrations. Required with
	// Registrations.
	DelegatedAdministrator string
	// Registrations are the service principals whose delegated administrator
	// is registered through organizations:RegisterDelegatedAdministrator (the
	// services with no API of their own for it: AWS Config, IAM Access
	// Analyzer). Default: none.
	Registrations []string
}

// TrustedAccess enables trusted access for AWS services in the
// organization (organizations:EnableAWSServiceAccess, one call per service
// principal; enabling it again is a no-op) and registers the delegated
// administrator of the services that only Organizations can register
// (organizations:RegisterDelegatedAdministrator; AccountAlreadyRegistered
// counts as success). It runs in the management account. Deleting it
// changes nothing in the organization.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_EnableAWSServiceAccess.html
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_RegisterDelegatedAdministrator.html
type TrustedAccess struct {
	Scope constructs.Construct
	// Done is complete when every call has succeeded.
	Done constructs.DependencyGroup
}

// NewTrustedAccess creates TrustedAccess. It panics listing every invalid
// prop.
func NewTrustedAccess(scope constructs.Construct, id string, props *TrustedAccessProps) *TrustedAccess {
	var p TrustedAccessProps
	if props != nil {
		p = *props
	}
	bad := problems.Of("organization.NewTrustedAccess", id)
	if p.Calls == nil || len(p.ServicePrincipals) == 0 {
		bad.Add("Calls and at least one ServicePrincipal are required")
	}
	if len(p.Registrations) > 0 && !accountID.MatchString(p.DelegatedAdministrator) {
		bad.Add("Registrations need a 12-digit DelegatedAdministrator, got %q", p.DelegatedAdministrator)
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	t := &TrustedAccess{Scope: this, Done: constructs.NewDependencyGroup()}
	// Registrations wait for trusted access; Done also covers them.
	access := t.enableAccess(p)
	stack := awscdk.Stack_Of(this)
	for _, sp := range p.Registrations {
		cr := p.Calls.NewCall(this, "Admin"+pascal(sp), &sdkcall.CallProps{
			OnCreate: &customresources.AwsSdkCall{
				Service: jsii.String("Organizations"), Action: jsii.String("RegisterDelegatedAdministrator"),
				Parameters:         map[string]interface{}{"AccountId": p.DelegatedAdministrator, "ServicePrincipal": sp},
				PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String("delegated-admin-" + sp)),
				Region:             jsii.String(organizationsRegion(stack)),
				// Registered already, by an earlier deployment or by hand.
				IgnoreErrorCodesMatching: jsii.String("AccountAlreadyRegisteredException"),
			},
			Statements: []awsiam.PolicyStatement{
				organizationLevel("organizations:DescribeOrganization"),
				sdkcall.OrganizationWrites(p.Registrations, "organizations:RegisterDelegatedAdministrator"),
			},
		})
		cr.Node().AddDependency(access...)
		t.Done.Add(cr)
	}
	suppressOrganizationCalls(p.Calls, true)
	return t
}

// organizationLevel allows actions on the organization itself (and
// CloudFormation's activation of organization access),
// which take no resource ARN.
func organizationLevel(actions ...string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings(actions...), Resources: jsii.Strings("*")})
}

// enableAccess turns trusted access on for ServicePrincipals and, unless
// SkipStackSets, for service-managed StackSets, and returns the calls.
func (t *TrustedAccess) enableAccess(p TrustedAccessProps) []constructs.IDependable {
	var access []constructs.IDependable
	stack := awscdk.Stack_Of(t.Scope)
	// Enabling trusted access creates the service's service-linked roles in
	// the management account.
	slr := serviceLinkedRoles(stack, append(append([]string{}, p.ServicePrincipals...), stackSetsPrincipals...))
	// Trusted access only for the principals this construct turns on
	// (organizations:ServicePrincipal); every call gets the same statement,
	// so that the provider's policy holds it once.
	trusted := p.ServicePrincipals
	if !p.SkipStackSets {
		trusted = append(append([]string{}, trusted...), stackSetsPrincipals...)
	}
	enable := sdkcall.OrganizationWrites(trusted, "organizations:EnableAWSServiceAccess")
	for _, sp := range p.ServicePrincipals {
		cr := p.Calls.NewCall(t.Scope, "Access"+pascal(sp), &sdkcall.CallProps{
			OnCreate: &customresources.AwsSdkCall{
				Service: jsii.String("Organizations"), Action: jsii.String("EnableAWSServiceAccess"),
				Parameters:         map[string]interface{}{"ServicePrincipal": sp},
				PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String("trusted-access-" + sp)),
				// Organizations' endpoint lives in one region of each partition.
				Region: jsii.String(organizationsRegion(stack)),
			},
			Statements: []awsiam.PolicyStatement{organizationLevel("organizations:DescribeOrganization"), enable, slr},
		})
		t.Done.Add(cr)
		access = append(access, cr)
	}
	if !p.SkipStackSets {
		// StackSets want their own API rather than EnableAWSServiceAccess;
		// activating twice succeeds.
		// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ActivateOrganizationsAccess.html
		cr := p.Calls.NewCall(t.Scope, "AccessStackSets", &sdkcall.CallProps{
			OnCreate: &customresources.AwsSdkCall{
				Service: jsii.String("CloudFormation"), Action: jsii.String("ActivateOrganizationsAccess"),
				PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String("trusted-access-stacksets")),
			},
			Statements: []awsiam.PolicyStatement{
				organizationLevel("cloudformation:ActivateOrganizationsAccess", "organizations:DescribeOrganization",
					"organizations:ListAWSServiceAccessForOrganization"),
				enable,
				slr,
			},
		})
		t.Done.Add(cr)
		access = append(access, cr)
	}
	return access
}

// OrganizationsRegion is where the Organizations endpoint (and the Account
// Management endpoint) of the stack's partition lives, for calls that other
// packages make.
func OrganizationsRegion(stack awscdk.Stack) string { return organizationsRegion(stack) }

// stackSetsPrincipals are the principals of service-managed StackSets, which
// ActivateOrganizationsAccess turns on (with their service-linked roles).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html
var stackSetsPrincipals = []string{"stacksets.cloudformation.amazonaws.com", "member.org.stacksets.cloudformation.amazonaws.com"}

// organizationsRegion is where the Organizations endpoint of the stack's
// partition lives.
// https://docs.aws.amazon.com/general/latest/gr/ao.html
func organizationsRegion(stack awscdk.Stack) string {
	region := *stack.Region()
	switch {
	case len(region) > 7 && region[:7] == "us-gov-":
		return "us-gov-west-1"
	case len(region) > 3 && region[:3] == "cn-":
		return "cn-northwest-1"
	}
	return "us-east-1"
}

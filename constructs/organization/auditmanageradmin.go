package organization

import (
	_ "embed"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

//go:embed handlers/auditmanager-admin.js
var auditManagerAdminHandler string

// AuditManagerAdminProps configures AuditManagerAdmin.
type AuditManagerAdminProps struct {
	// Calls runs the call, in the management account. Required.
	Calls *sdkcall.Provider
	// AdminAccountID is the security-tooling account (not the management
	// account, which Audit Manager refuses). Required.
	AdminAccountID string
}

// AuditManagerAdmin designates the AWS Audit Manager delegated
// administrator in the stack's region, from the management account
// (auditmanager:RegisterOrganizationAdminAccount; Audit Manager needs one
// designation per region). It registers the management account with Audit
// Manager first if it is not (Audit Manager refuses the designation from an
// unregistered account), counts an existing designation of the same account
// as success, fails on another one, and leaves everything on delete. Once
// designated, the administrator's assessments may scope member accounts and
// the management account creates none.
// https://docs.aws.amazon.com/audit-manager/latest/APIReference/API_RegisterOrganizationAdminAccount.html
// https://docs.aws.amazon.com/audit-manager/latest/userguide/add-delegated-admin.html
type AuditManagerAdmin struct {
	Resource awscdk.CustomResource
}

// auditManagerPrincipals are Audit Manager's service principal, the only one
// its designation may trust, register or create a service-linked role for.
var auditManagerPrincipals = []string{"auditmanager.amazonaws.com"}

// NewAuditManagerAdmin creates AuditManagerAdmin.
func NewAuditManagerAdmin(scope constructs.Construct, id string, props *AuditManagerAdminProps) *AuditManagerAdmin {
	var p AuditManagerAdminProps
	if props != nil {
		p = *props
	}
	if p.Calls == nil || !accountID.MatchString(p.AdminAccountID) {
		panic(fmt.Errorf("organization.NewAuditManagerAdmin %q: Calls and a 12-digit AdminAccountID are required, got %q", id, p.AdminAccountID))
	}
	stack := awscdk.Stack_Of(scope)
	cr := p.Calls.NewWaitingCall(scope, id, &sdkcall.WaitingCallProps{
		Handler:      auditManagerAdminHandler,
		ResourceType: "Custom::AuditManagerDelegatedAdmin",
		Properties:   map[string]interface{}{"AdminAccountId": p.AdminAccountID},
		Statements: []awsiam.PolicyStatement{
			// Account-level and Organizations actions take no resource ARN.
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("auditmanager:GetAccountStatus", "auditmanager:RegisterAccount",
					"auditmanager:GetOrganizationAdminAccount", "auditmanager:RegisterOrganizationAdminAccount",
					"organizations:ListDelegatedAdministrators", "organizations:ListAWSServiceAccessForOrganization",
					"organizations:DescribeOrganization", "organizations:DescribeAccount"),
				Resources: jsii.Strings("*"),
			}),
			// Audit Manager enables its trusted access and registers the
			// administrator in Organizations on the caller's behalf.
			sdkcall.OrganizationWrites(auditManagerPrincipals, "organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator"),
			serviceLinkedRoles(stack, auditManagerPrincipals),
		},
	})
	suppressOrganizationCalls(p.Calls, true)
	return &AuditManagerAdmin{Resource: cr}
}

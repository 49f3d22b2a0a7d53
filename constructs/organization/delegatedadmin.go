package organization

import (
	_ "embed"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecurityhub"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// DelegatedAdminsProps configures DelegatedAdmins.
type DelegatedAdminsProps struct {
	// Calls runs the API calls. Required.
	Calls *sdkcall.Provider
	// AdminAccountID is the security-tooling account. Required.
	AdminAccountID string
	// SkipSecurityHub leaves the Security Hub administrator
	// (AWS::SecurityHub::DelegatedAdmin) undesignated. Default: false: it
	// is designated.
	SkipSecurityHub bool
	// SkipGuardDuty leaves the GuardDuty administrator undesignated.
	// Default: false: it is designated.
	SkipGuardDuty bool
	// SkipMacie leaves the Macie administrator undesignated. Default: false:
	// it is designated.
	SkipMacie bool
	// SkipInspector leaves the Inspector administrator undesignated.
	// Default: false: it is designated.
	SkipInspector bool
	// After are what must exist first: trusted access for these services.
	// Default: none.
	After []constructs.IDependable
	// DestroyOnDelete lets a stack delete remove the Security Hub
	// designation (CloudFormation's delete disables the administrator).
	// Default: false: it is retained, like the API designations, which a
	// delete never undoes.
	DestroyOnDelete bool
}

// DelegatedAdmins designates the security-tooling account as the delegated
// administrator, in one region, of the security services whose designation
// is regional: Security Hub through CloudFormation, GuardDuty, Macie and
// Inspector through their APIs (guardduty:EnableOrganizationAdminAccount,
// macie2:EnableOrganizationAdminAccount, inspector2:EnableDelegatedAdminAccount),
// each from the management account. An account that already is the
// administrator counts as success; another administrator is an error, since
// an organization has one per service. Delete leaves every designation.
// https://docs.aws.amazon.com/guardduty/latest/APIReference/API_EnableOrganizationAdminAccount.html
// https://docs.aws.amazon.com/macie/latest/APIReference/admin.html
// https://docs.aws.amazon.com/inspector/v2/APIReference/API_EnableDelegatedAdminAccount.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-securityhub-delegatedadmin.html
type DelegatedAdmins struct {
	Scope constructs.Construct
	// Done is complete when every designation in this region is.
	Done constructs.DependencyGroup
}

// delegatedServices are the services DelegatedAdmins designates through
// their own APIs: the handler's service name, the API actions, and the
// service principals the API enables trusted access for, registers and
// creates service-linked roles for.
var delegatedServices = []struct {
	id, service string
	on          func(*DelegatedAdminsProps) bool
	actions     []string
	principals  []string
}{
	{"GuardDuty", "guardduty", func(p *DelegatedAdminsProps) bool { return !p.SkipGuardDuty },
		[]string{"guardduty:EnableOrganizationAdminAccount", "guardduty:ListOrganizationAdminAccounts"},
		[]string{"guardduty.amazonaws.com", "malware-protection.guardduty.amazonaws.com"}},
	{"Macie", "macie2", func(p *DelegatedAdminsProps) bool { return !p.SkipMacie },
		[]string{"macie2:EnableOrganizationAdminAccount", "macie2:ListOrganizationAdminAccounts"},
		[]string{"macie.amazonaws.com"}},
	{"Inspector", "inspector2", func(p *DelegatedAdminsProps) bool { return !p.SkipInspector },
		[]string{"inspector2:EnableDelegatedAdminAccount", "inspector2:ListDelegatedAdminAccounts"},
		[]string{"inspector2.amazonaws.com", "agentless.inspector2.amazonaws.com"}},
}

//go:embed handlers/delegated-admin.js
var delegatedAdminHandler string

// NewDelegatedAdmins creates DelegatedAdmins.
func NewDelegatedAdmins(scope constructs.Construct, id string, props *DelegatedAdminsProps) *DelegatedAdmins {
	var p DelegatedAdminsProps
	if props != nil {
		p = *props
	}
	if p.Calls == nil || !accountID.MatchString(p.AdminAccountID) {
		panic(fmt.Errorf("organization.NewDelegatedAdmins %q: Calls and a 12-digit AdminAccountID are required, got %q", id, p.AdminAccountID))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	d := &DelegatedAdmins{Scope: this, Done: constructs.NewDependencyGroup()}
	stack := awscdk.Stack_Of(this)
	after := func(c constructs.IConstruct) {
		for _, a := range p.After {
			c.Node().AddDependency(a)
		}
		d.Done.Add(c)
	}
	if !p.SkipSecurityHub {
		admin := awssecurityhub.NewCfnDelegatedAdmin(this, jsii.String("SecurityHub"), &awssecurityhub.CfnDelegatedAdminProps{
			AdminAccountId: jsii.String(p.AdminAccountID),
		})
		admin.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
		after(admin)
	}
	// The Enable*AdminAccount APIs act in Organizations for the caller:
	// their documented permissions include these Organizations actions, for
	// the service's own principals only (organizations:ServicePrincipal, as
	// in AmazonGuardDutyFullAccess_v2 and AmazonInspector2FullAccess_v2),
	// and the service-linked roles of the same principals.
	// https://docs.aws.amazon.com/guardduty/latest/ug/organizations_permissions.html
	// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonGuardDutyFullAccess_v2.html
	// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonInspector2FullAccess_v2.html
	reads := []string{
		"organizations:ListDelegatedAdministrators", "organizations:ListAWSServiceAccessForOrganization",
		"organizations:DescribeOrganization", "organizations:DescribeAccount",
		"organizations:DescribeOrganizationalUnit", "organizations:ListAccounts",
	}
	for _, s := range delegatedServices {
		if !s.on(&p) {
			continue
		}
		after(p.Calls.NewWaitingCall(this, s.id, &sdkcall.WaitingCallProps{
			HandlerName:  "delegated-admin",
			Handler:      delegatedAdminHandler,
			Suppressions: []nag.Rule{organizationCallsRule(true)},
			ResourceType: "Custom::DelegatedAdmin",
			Properties:   map[string]interface{}{"Service": s.service, "AdminAccountId": p.AdminAccountID},
			Statements: []awsiam.PolicyStatement{
				// Account-level and Organizations reads take no resource ARN.
				awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions: jsiix.Strs(append(append([]string{}, s.actions...), reads...)), Resources: jsii.Strings("*"),
				}),
				sdkcall.OrganizationWrites(s.principals, "organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator"),
				serviceLinkedRoles(stack, s.principals),
			},
		}))
	}
	suppressOrganizationCalls(p.Calls, true)
	return d
}

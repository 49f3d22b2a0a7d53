package organization

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsdetective"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

// NewDetectiveAdmin designates AdminAccountID as the organization's Amazon
// Detective administrator in the stack's region
// (AWS::Detective::OrganizationAdmin, from the management account). The
// administrator's existing behavior graph becomes the organization behavior
// graph; an account without one gets a new graph from the designation, so
// the administrator's own graph must exist first. Detective expects the same
// administrator in every region. The designation is retained when it leaves
// the stack unless destroyOnDelete.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-detective-organizationadmin.html
// https://docs.aws.amazon.com/detective/latest/adminguide/accounts-designate-admin.html
func NewDetectiveAdmin(scope constructs.Construct, id, adminAccountID string, destroyOnDelete bool) awsdetective.CfnOrganizationAdmin {
	if !accountID.MatchString(adminAccountID) {
		panic(fmt.Errorf("organization.NewDetectiveAdmin %q: a 12-digit admin account ID is required, got %q", id, adminAccountID))
	}
	admin := awsdetective.NewCfnOrganizationAdmin(scope, jsii.String(id), &awsdetective.CfnOrganizationAdminProps{
		AccountId: jsii.String(adminAccountID),
	})
	admin.ApplyRemovalPolicy(jsiix.Removal(destroyOnDelete), nil)
	return admin
}

// DetectiveOrganizationProps configures DetectiveOrganization.
type DetectiveOrganizationProps struct {
	// Calls runs the API call; its stack must deploy in the Detective
	// administrator account, after the designation. Required.
	Calls *sdkcall.Provider
	// GraphArn is the administrator's behavior graph in this region, the
	// organization behavior graph. Required.
	GraphArn *string
}

// DetectiveOrganization turns on auto-enable for the organization behavior
// graph in one region: every account that joins the organization becomes a
// member of the graph (detective:UpdateOrganizationConfiguration, which only
// the Detective administrator may call; AWS::Detective::Graph's
// AutoEnableMembers does the same but only once the account is already the
// administrator, which its own graph precedes).
//
// Detective leaves a member "not enabled" until it has used GuardDuty for 48
// hours, and retries enabling it by itself; nothing here waits for that.
// Delete leaves auto-enable on: removing the stack never drops accounts from
// investigation.
// https://docs.aws.amazon.com/detective/latest/APIReference/API_UpdateOrganizationConfiguration.html
// https://docs.aws.amazon.com/detective/latest/adminguide/graph-admin-unblock-account.html
type DetectiveOrganization struct {
	Scope      constructs.Construct
	AutoEnable customresources.AwsCustomResource
}

// NewDetectiveOrganization creates a DetectiveOrganization.
func NewDetectiveOrganization(scope constructs.Construct, id string, props *DetectiveOrganizationProps) *DetectiveOrganization {
	var p DetectiveOrganizationProps
	if props != nil {
		p = *props
	}
	if p.Calls == nil || p.GraphArn == nil {
		panic(fmt.Errorf("organization.NewDetectiveOrganization %q: Calls and GraphArn are required", id))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	call := p.Calls.NewCall(this, "AutoEnable", &sdkcall.CallProps{
		OnCreate: &customresources.AwsSdkCall{
			Service: jsii.String("Detective"), Action: jsii.String("UpdateOrganizationConfiguration"),
			Parameters:         map[string]interface{}{"GraphArn": p.GraphArn, "AutoEnable": true},
			PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String("detective-organization-auto-enable")),
		},
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("DetectiveOrganizationAutoEnable"),
			// Scoped to the account's single graph by the call itself; "*"
			// because the organization configuration is the account's.
			Actions: jsii.Strings("detective:UpdateOrganizationConfiguration"), Resources: jsii.Strings("*"),
		})},
	})
	suppressOrganizationCalls(p.Calls, false)
	return &DetectiveOrganization{Scope: this, AutoEnable: call}
}

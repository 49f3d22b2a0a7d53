package organization

import (
	_ "embed"
	"sort"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsauditmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/detection"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

//go:embed handlers/existing-members.js
var existingMembersHandler string

// ExistingMembersProps configures ExistingMembers.
type ExistingMembersProps struct {
	// Calls runs the calls, in the delegated administrator. Required.
	Calls *sdkcall.Provider
	// AdminAccountID is the delegated administrator, which is no member of
	// itself. Required.
	AdminAccountID string
	// TargetOUs are the OUs (ou-...) or the root (r-...) whose accounts,
	// child OUs included, are enabled. Required.
	TargetOUs []string
	// SkipMacie leaves Macie membership alone. Default: false: every
	// account is added as a Macie member.
	SkipMacie bool
	// Inspector are the scan types enabled in every account, which is
	// associated as a member. Default: nil: every scan type.
	Inspector *detection.ScanTypes
	// SkipInspector leaves Inspector alone. Default: false.
	SkipInspector bool
	// DetectiveGraphArn is the organization behavior graph: every account
	// not yet listed in it is enabled as a member (organization accounts are
	// enabled, not invited). Required unless SkipDetective.
	DetectiveGraphArn *string
	// SkipDetective leaves Detective alone. Default: false.
	SkipDetective bool
	// Assessments are Audit Manager assessments (of the administrator, this
	// region) whose scope becomes the administrator and every account of
	// the target OUs (auditmanager:UpdateAssessment), again whenever
	// CloudFormation changes an assessment, which resets its scope to the
	// template's. Default: none.
	Assessments []awsauditmanager.CfnAssessment
	// After is the organization configuration these accounts would
	// otherwise miss. Default: none.
	After []constructs.IDependable
}

// allScanTypes is what a nil Inspector means: every scan type.
var allScanTypes = detection.ScanTypes{EC2: true, ECR: true, Lambda: true, LambdaCode: true}

// ExistingMembers turns Macie, Inspector and Detective on in the accounts that were
// already in the target OUs, from the delegated administrator, in the
// stack's region: their organization auto-enable settings reach only
// accounts that join later (GuardDuty's AutoEnableOrganizationMembers ALL
// needs nothing of the kind). It runs when created and when the OUs or scan
// types change: accounts that join in between are auto-enabled. Members are
// only ever added (macie2:CreateMember; inspector2:AssociateMember and
// inspector2:Enable; detective:CreateMembers), never removed, and a delete
// changes nothing.
// With Assessments it also sets those Audit Manager assessments' scope to
// the administrator and the same accounts. The handler has 14 minutes per
// service and region: a few thousand accounts.
// https://docs.aws.amazon.com/macie/latest/APIReference/members.html
// https://docs.aws.amazon.com/inspector/v2/APIReference/API_AssociateMember.html
// https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html
// https://docs.aws.amazon.com/detective/latest/APIReference/API_CreateMembers.html
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html
type ExistingMembers struct {
	Scope constructs.Construct
}

// NewExistingMembers creates ExistingMembers. It panics listing every
// invalid prop.
func NewExistingMembers(scope constructs.Construct, id string, props *ExistingMembersProps) *ExistingMembers {
	var p ExistingMembersProps
	if props != nil {
		p = *props
	}
	bad := problems.Of("organization.NewExistingMembers", id)
	if p.Calls == nil || !accountID.MatchString(p.AdminAccountID) || len(p.TargetOUs) == 0 {
		bad.Add("Calls, a 12-digit AdminAccountID and TargetOUs are required")
	}
	if !p.SkipDetective && p.DetectiveGraphArn == nil {
		bad.Add("DetectiveGraphArn is required unless SkipDetective")
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	ous := append([]string{}, p.TargetOUs...)
	sort.Strings(ous)
	// Organizations' read actions on the organization take no resource ARN
	// beyond the organization's own, unknown here.
	read := []string{"organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"}
	add := func(id, service string, extra map[string]interface{}, actions ...string) {
		props := map[string]interface{}{
			"Service": service, "AdminAccountId": p.AdminAccountID, "TargetOUs": ous, "OrganizationsRegion": organizationsRegion(stack),
		}
		for k, v := range extra {
			props[k] = v
		}
		cr := p.Calls.NewWaitingCall(this, id, &sdkcall.WaitingCallProps{
			HandlerName:  "existing-members",
			Handler:      existingMembersHandler,
			Suppressions: []nag.Rule{organizationCallsRule(false)},
			ResourceType: "Custom::ExistingMembers",
			Properties:   props,
			Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings(append(read, actions...)...), Resources: jsii.Strings("*"),
			})},
			Timeout: 14 * time.Minute,
		})
		for _, d := range p.After {
			cr.Node().AddDependency(d)
		}
	}
	if !p.SkipMacie {
		add("Macie", "macie2", nil, "macie2:ListMembers", "macie2:CreateMember")
	}
	if !p.SkipDetective {
		add("Detective", "detective", map[string]interface{}{"GraphArn": p.DetectiveGraphArn},
			"detective:ListMembers", "detective:CreateMembers")
	}
	if len(p.Assessments) > 0 {
		var ids, inputs []interface{}
		for _, a := range p.Assessments {
			ids = append(ids, a.AttrAssessmentId())
			// What CloudFormation resets the scope for: the scope is set again
			// when any of it changes.
			inputs = append(inputs, a.FrameworkId(), a.Name(), a.Description(), a.Roles(), a.AssessmentReportsDestination())
			p.After = append(p.After, a)
		}
		add("AuditManagerScope", "auditmanager", map[string]interface{}{"Assessments": ids, "AssessmentInputs": inputs},
			"auditmanager:UpdateAssessment", "organizations:DescribeOrganization", "organizations:DescribeAccount")
	}
	if !p.SkipInspector {
		in := allScanTypes
		if p.Inspector != nil {
			in = *p.Inspector
		}
		if types := inspectorResourceTypes(in); len(types) > 0 {
			add("Inspector", "inspector2", map[string]interface{}{"ResourceTypes": types},
				"inspector2:ListMembers", "inspector2:AssociateMember", "inspector2:Enable")
		}
	}
	suppressOrganizationCalls(p.Calls, false)
	return &ExistingMembers{Scope: this}
}

// inspectorResourceTypes are Inspector's Enable resource types for the scan
// types that are on.
func inspectorResourceTypes(in detection.ScanTypes) []string {
	var types []string
	for _, t := range []struct {
		on   bool
		name string
	}{{in.EC2, "EC2"}, {in.ECR, "ECR"}, {in.Lambda, "LAMBDA"}, {in.LambdaCode, "LAMBDA_CODE"}} {
		if t.on {
			types = append(types, t.name)
		}
	}
	return types
}

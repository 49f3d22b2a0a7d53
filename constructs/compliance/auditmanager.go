package compliance

import (
	_ "embed"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsauditmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

//go:embed handlers/framework-id.js
var frameworkIDHandler string

// AuditManagerProps configures AuditManager.
type AuditManagerProps struct {
	// Calls runs the API calls. Required.
	Calls *sdkcall.Provider
	// Key encrypts Audit Manager's data. Its policy must let this account use
	// it through Audit Manager (dataprotection.KeyProps.AccountViaServices
	// "auditmanager"). Required.
	Key awskms.IKey
	// Reports receives assessment reports: an encrypted, Object-Locked bucket
	// in this region. Required.
	Reports *dataprotection.SecureBucket
	// ProcessOwners are the IAM role ARNs that own every assessment; at least
	// one with Frameworks.
	ProcessOwners []string
	// Frameworks get one assessment each, of this account. Default: none.
	Frameworks []Framework
	// FrameworkIDs pins the Audit Manager framework ID of some frameworks;
	// the others are looked up by name at deploy time. Default: none.
	FrameworkIDs map[Framework]string
	// NamePrefix starts each assessment's name: "<prefix>-<framework>".
	// Default: "mamori".
	NamePrefix string
}

// AuditManager turns AWS Audit Manager on in this region (an API call:
// CloudFormation cannot), points its settings at the key, the reports bucket
// and the process owners, and creates one assessment per framework, scoped to
// this account. Standard framework IDs are looked up by name at deploy time.
// Deleting it leaves Audit Manager registered and the assessments, with their
// evidence, in place: deregistering would delete the evidence.
// https://docs.aws.amazon.com/audit-manager/latest/APIReference/API_RegisterAccount.html
// https://docs.aws.amazon.com/audit-manager/latest/APIReference/API_UpdateSettings.html
type AuditManager struct {
	Scope       constructs.Construct
	Assessments map[Framework]awsauditmanager.CfnAssessment
}

// NewAuditManager creates AuditManager. It panics listing every invalid
// prop.
func NewAuditManager(scope constructs.Construct, id string, props *AuditManagerProps) *AuditManager {
	var p AuditManagerProps
	if props != nil {
		p = *props
	}
	if p.NamePrefix == "" {
		p.NamePrefix = "mamori"
	}
	checkAuditManager(id, p)
	this := constructs.NewConstruct(scope, jsii.String(id))
	register := registerAuditManager(this, p)
	settings := auditManagerSettings(this, p)
	settings.Node().AddDependency(register)
	nag.Suppress(p.Calls.Policy, false, nag.Rule{
		ID:        "AwsSolutions-IAM5",
		Reason:    "Audit Manager's RegisterAccount, UpdateSettings and ListAssessmentFrameworks act on the calling account and support no resource-level permissions.",
		AppliesTo: []string{"Resource::*"},
	})

	out := &AuditManager{Scope: this, Assessments: map[Framework]awsauditmanager.CfnAssessment{}}
	if len(p.Frameworks) == 0 {
		return out
	}
	frameworkID := frameworkIDs(this, p, register)
	var roles []interface{}
	for _, arn := range p.ProcessOwners {
		roles = append(roles, &awsauditmanager.CfnAssessment_RoleProperty{RoleType: jsii.String("PROCESS_OWNER"), RoleArn: jsii.String(arn)})
	}
	account := &awsauditmanager.CfnAssessment_AWSAccountProperty{Id: awscdk.Stack_Of(this).Account()}
	for _, f := range p.Frameworks {
		assessment := awsauditmanager.NewCfnAssessment(this, jsii.String(attribute(f)), &awsauditmanager.CfnAssessmentProps{
			Name:        jsii.String(p.NamePrefix + "-" + string(f)),
			Description: jsii.String("Evidence for " + f.AuditManagerName() + ", collected continuously"),
			FrameworkId: frameworkID(f),
			AwsAccount:  account,
			// AWS services are no longer part of an assessment's scope (Audit
			// Manager ignores them): the framework's controls decide.
			Scope: &awsauditmanager.CfnAssessment_ScopeProperty{AwsAccounts: &[]interface{}{account}},
			Roles: &roles,
			AssessmentReportsDestination: &awsauditmanager.CfnAssessment_AssessmentReportsDestinationProperty{
				DestinationType: jsii.String("S3"), Destination: jsii.String(reportsDestination(p)),
			},
		})
		assessment.Node().AddDependency(settings)
		markEvidence(assessment)
		out.Assessments[f] = assessment
	}
	return out
}

// checkAuditManager panics listing every invalid prop of p.
func checkAuditManager(id string, p AuditManagerProps) {
	bad := problems.Of("compliance.NewAuditManager", id)
	if p.Calls == nil || p.Key == nil || p.Reports == nil {
		bad.Add("Calls, Key and Reports are required")
	}
	if len(p.Frameworks) > 0 && len(p.ProcessOwners) == 0 {
		bad.Add("assessments need at least one process owner")
	}
	for _, f := range p.Frameworks {
		if !slices.Contains(Frameworks(), f) {
			bad.Add("unknown framework %q", f)
		}
	}
	bad.Check()
}

// auditManagerCall is one Audit Manager account-setting call.
func auditManagerCall(action string, params map[string]interface{}) *customresources.AwsSdkCall {
	return &customresources.AwsSdkCall{
		Service: jsii.String("AuditManager"), Action: jsii.String(action), Parameters: params,
		PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String("auditmanager-" + action)),
	}
}

// reportsDestination is where assessment reports go: the Reports bucket.
func reportsDestination(p AuditManagerProps) string {
	return "s3://" + *p.Reports.Bucket.BucketName()
}

// registerAuditManager registers this account alone (RegisterAccount
// without delegatedAdminAccount) with the customer managed key. It creates
// Audit Manager's service-linked role on first use.
func registerAuditManager(this constructs.Construct, p AuditManagerProps) customresources.AwsCustomResource {
	stack := awscdk.Stack_Of(this)
	keyArn := p.Key.KeyArn()
	// Audit Manager acts on the key with its caller's permissions.
	useKey := awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("kms:DescribeKey", "kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt"),
		Resources: jsii.Strings(*keyArn),
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{
			"kms:ViaService": "auditmanager." + *stack.Region() + ".amazonaws.com",
		}},
	})
	return p.Calls.NewCall(this, "Registration", &sdkcall.CallProps{
		OnCreate: auditManagerCall("RegisterAccount", map[string]interface{}{"kmsKey": keyArn}),
		Statements: []awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("auditmanager:RegisterAccount"), Resources: jsii.Strings("*"),
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("iam:CreateServiceLinkedRole"),
				Resources: jsii.Strings(*stack.FormatArn(&awscdk.ArnComponents{
					Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("role"),
					ResourceName: jsii.String("aws-service-role/auditmanager.amazonaws.com/AWSServiceRoleForAuditManager"),
					ArnFormat:    awscdk.ArnFormat_SLASH_RESOURCE_NAME,
				})),
				Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"iam:AWSServiceName": "auditmanager.amazonaws.com"}},
			}),
			useKey,
		},
	})
}

// auditManagerSettings sets the key, the reports destination and the
// default process owners.
func auditManagerSettings(this constructs.Construct, p AuditManagerProps) customresources.AwsCustomResource {
	var owners []interface{}
	for _, arn := range p.ProcessOwners {
		owners = append(owners, map[string]interface{}{"roleType": "PROCESS_OWNER", "roleArn": arn})
	}
	params := map[string]interface{}{
		"kmsKey":                              p.Key.KeyArn(),
		"defaultAssessmentReportsDestination": map[string]interface{}{"destinationType": "S3", "destination": reportsDestination(p)},
	}
	if len(owners) > 0 {
		params["defaultProcessOwners"] = owners
	}
	return p.Calls.NewCall(this, "Settings", &sdkcall.CallProps{
		OnCreate: auditManagerCall("UpdateSettings", params),
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("auditmanager:UpdateSettings"), Resources: jsii.Strings("*"),
		})},
	})
}

// frameworkIDs returns each framework's ID: from FrameworkIDs, else looked
// up by name at deploy time, after registration.
func frameworkIDs(this constructs.Construct, p AuditManagerProps, register constructs.IConstruct) func(Framework) *string {
	names := map[string]interface{}{}
	for _, f := range p.Frameworks {
		if p.FrameworkIDs[f] == "" {
			names[attribute(f)] = f.AuditManagerName()
		}
	}
	if len(names) == 0 {
		return func(f Framework) *string { return jsii.String(p.FrameworkIDs[f]) }
	}
	lookup := p.Calls.NewWaitingCall(this, "FrameworkIds", &sdkcall.WaitingCallProps{
		HandlerName: "framework-id",
		Handler:     frameworkIDHandler,
		Suppressions: []nag.Rule{{
			ID:        "AwsSolutions-IAM5",
			Reason:    "auditmanager:ListAssessmentFrameworks lists the region's frameworks and supports no resource-level permissions.",
			AppliesTo: []string{"Resource::*"},
		}},
		ResourceType: "Custom::AuditManagerFrameworkIds",
		Properties:   map[string]interface{}{"Frameworks": names},
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("auditmanager:ListAssessmentFrameworks"), Resources: jsii.Strings("*"),
		})},
		Timeout: 2 * time.Minute,
	})
	lookup.Node().AddDependency(register)
	return func(f Framework) *string {
		if id := p.FrameworkIDs[f]; id != "" {
			return jsii.String(id)
		}
		return lookup.GetAttString(jsii.String(attribute(f)))
	}
}

// attribute names a framework in construct IDs and the lookup's attributes.
func attribute(f Framework) string { return pascal(string(f)) }

// pascal turns "nist-800-53" into "Nist80053".
func pascal(s string) string { return logicalID(strings.ReplaceAll(s, "-", "_")) }

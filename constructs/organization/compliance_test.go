package organization

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsauditmanager"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/constructs/detection"
	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

func TestGrantOrganizationTrail(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	la := NewLogArchive(stack, "Archive", &LogArchiveProps{
		OrganizationID: "o-abcdefghij", Alias: "alias/test/org-logs", ConfigBucketName: "test-org-config", EvidenceBucketName: "test-org-evidence",
		ConfigWriterRoles: []string{"arn:aws:iam::*:role/test-config-recorder-*"},
	})
	trail := OrganizationTrail{ManagementAccountID: "111111111111", Region: "us-east-1", Name: "test-trail"}
	la.GrantOrganizationTrail(trail)
	tp := cdktest.Synth(t, stack)

	arn := "arn:aws:cloudtrail:us-east-1:111111111111:trail/test-trail"
	tp.Has("AWS::S3::Bucket", m{"BucketName": "test-org-evidence", "ObjectLockEnabled": true})
	tp.Has("AWS::S3::BucketPolicy", m{"PolicyDocument": cdktest.Like(m{"Statement": assertions.Match_ArrayWith(&[]interface{}{cdktest.Like(m{
		"Sid": "CloudtrailDelivery", "Action": "s3:PutObject",
		"Condition": m{
			"ArnLike":      m{"aws:SourceArn": cdktest.A{arn}},
			"StringEquals": m{"aws:SourceOrgID": "o-abcdefghij", "s3:x-amz-acl": "bucket-owner-full-control"},
		},
	})})})})
	// The documented CloudTrail key conditions, not the organization-wide grant.
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": cdktest.Like(m{"Statement": assertions.Match_ArrayWith(&[]interface{}{cdktest.Like(m{
		"Sid": "AllowOrganizationTrailEncrypt", "Action": "kms:GenerateDataKey*",
		"Condition": m{
			"StringEquals": m{"aws:SourceArn": arn},
			"StringLike":   m{"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*"},
		},
	})})})})
	for _, r := range tp.Resources("AWS::KMS::Key") {
		raw, _ := json.Marshal(r)
		assert.NotContains(t, string(raw), "AllowCloudtrailForOrganization", "CloudTrail gets no organization-wide key grant")
	}
	cdktest.PanicsWith(t, "12-digit ManagementAccountID", func() { la.GrantOrganizationTrail(OrganizationTrail{Region: "us-east-1", Name: "x"}) })
}

func TestAuditManagerAdmin(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	provider := calltest.NewProvider(stack)
	NewAuditManagerAdmin(stack, "AuditManagerAdmin", &AuditManagerAdminProps{Calls: provider, AdminAccountID: tooling})
	tp := cdktest.Synth(t, stack)

	tp.Has("Custom::AuditManagerDelegatedAdmin", m{"AdminAccountId": tooling})
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": cdktest.Like(m{"Statement": assertions.Match_ArrayWith(&[]interface{}{cdktest.Like(m{
		"Action": assertions.Match_ArrayWith(&[]interface{}{"auditmanager:GetOrganizationAdminAccount", "auditmanager:RegisterOrganizationAdminAccount"}),
	})})})})
	cdktest.PanicsWith(t, "12-digit AdminAccountID", func() { NewAuditManagerAdmin(stack, "Bad", &AuditManagerAdminProps{Calls: provider}) })
}

func TestMemberBaselinePasswordPolicy(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Context: cdktest.Context(t)})
	stack := awscdk.NewStack(app, jsii.String("Member"), &awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)})
	NewMemberBaseline(stack, "Baseline", &MemberBaselineProps{
		Prefix: "test", HomeRegion: "us-east-1", DisableConfig: true, DisableS3BlockPublicAccess: true, DisableEBSEncryptionByDefault: true, PasswordPolicy: map[string]interface{}{"MinimumPasswordLength": 14, "RequireSymbols": true},
	})
	tp := cdktest.Synth(t, stack)

	// IAM is global: only the home region's instance sets it, from JSON
	// because CloudFormation stringifies custom resource properties.
	tp.HasResource("Custom::AccountPasswordPolicy", m{"Condition": "BaselineIsHomeRegion4DD4A5A7", "Properties": cdktest.Like(m{
		"Guard": "password", "Policy": `{"MinimumPasswordLength":14,"RequireSymbols":true}`,
	})})
	// The function may set the password policy and nothing else.
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": cdktest.Like(m{"Statement": assertions.Match_ArrayWith(&[]interface{}{cdktest.Like(m{
		"Action": "iam:UpdateAccountPasswordPolicy", "Resource": "*",
	})})})})
	raw, _ := json.Marshal(tp.Resources("AWS::IAM::ManagedPolicy"))
	for _, action := range []string{"s3:PutAccountPublicAccessBlock", "ec2:EnableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId"} {
		assert.NotContains(t, string(raw), action)
	}
	tp.Count("Custom::S3AccountPublicAccessBlock", 0)
	// The function applies the policy of its own configuration, not the
	// event's, and has no key to set.
	tp.Has("AWS::Lambda::Function", m{"Environment": m{"Variables": assertions.Match_Exact(m{
		"PASSWORD_POLICY": `{"MinimumPasswordLength":14,"RequireSymbols":true}`,
	})}})
}

func TestExistingMembers(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	provider := calltest.NewProvider(stack)
	NewExistingMembers(stack, "ExistingMembers", &ExistingMembersProps{
		Calls: provider, AdminAccountID: tooling, TargetOUs: []string{"ou-ab12-22222222", "ou-ab12-11111111"},
		Inspector:         &detection.ScanTypes{EC2: true, Lambda: true},
		DetectiveGraphArn: jsii.String("arn:aws:detective:us-east-1:222222222222:graph:0123456789abcdef"),
	})
	tp := cdktest.Synth(t, stack)

	tp.Count("Custom::ExistingMembers", 3)
	tp.Has("Custom::ExistingMembers", m{"Service": "detective", "GraphArn": "arn:aws:detective:us-east-1:222222222222:graph:0123456789abcdef"})
	tp.Has("Custom::ExistingMembers", m{
		"Service": "macie2", "AdminAccountId": tooling, "TargetOUs": cdktest.A{"ou-ab12-11111111", "ou-ab12-22222222"}, "OrganizationsRegion": "us-east-1",
	})
	tp.Has("Custom::ExistingMembers", m{"Service": "inspector2", "ResourceTypes": cdktest.A{"EC2", "LAMBDA"}})
	// Members are only ever added.
	raw, _ := json.Marshal(tp.Resources("AWS::IAM::ManagedPolicy"))
	for _, action := range []string{"macie2:CreateMember", "inspector2:AssociateMember", "inspector2:Enable", "detective:CreateMembers", "organizations:ListAccountsForParent"} {
		assert.Contains(t, string(raw), action)
	}
	for _, action := range []string{"DeleteMember", "DisassociateMember", "inspector2:Disable", "detective:DeleteMembers", "detective:DisassociateMembership"} {
		assert.NotContains(t, string(raw), action)
	}
	cdktest.PanicsWith(t, "TargetOUs are required", func() {
		NewExistingMembers(stack, "NoOUs", &ExistingMembersProps{Calls: provider, AdminAccountID: tooling})
	})
	cdktest.PanicsWith(t, "DetectiveGraphArn is required unless SkipDetective", func() {
		NewExistingMembers(stack, "NoGraph", &ExistingMembersProps{Calls: provider, AdminAccountID: tooling, TargetOUs: []string{"r-ab12"}})
	})
}

func TestExistingMembersAssessmentScope(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	account := &awsauditmanager.CfnAssessment_AWSAccountProperty{Id: jsii.String(tooling)}
	assessment := awsauditmanager.NewCfnAssessment(stack, jsii.String("Assessment"), &awsauditmanager.CfnAssessmentProps{
		Name: jsii.String("test-fsbp"), FrameworkId: jsii.String("11111111-2222-3333-4444-555555555555"),
		AwsAccount: account, Scope: &awsauditmanager.CfnAssessment_ScopeProperty{AwsAccounts: &[]interface{}{account}},
	})
	NewExistingMembers(stack, "Scope", &ExistingMembersProps{
		Calls: calltest.NewProvider(stack), AdminAccountID: tooling, TargetOUs: []string{"r-ab12"}, Assessments: []awsauditmanager.CfnAssessment{assessment},
		SkipMacie: true, SkipInspector: true, SkipDetective: true,
	})
	tp := cdktest.Synth(t, stack)

	tp.Count("Custom::ExistingMembers", 1)
	// After the assessment, and again whenever what CloudFormation would
	// reset the scope for changes.
	tp.HasResource("Custom::ExistingMembers", m{
		"Properties": cdktest.Like(m{
			"Service": "auditmanager", "Assessments": cdktest.A{m{"Fn::GetAtt": cdktest.A{"Assessment", "AssessmentId"}}},
			"AssessmentInputs": assertions.Match_ArrayWith(&[]interface{}{"11111111-2222-3333-4444-555555555555", "test-fsbp"}),
		}),
		"DependsOn": assertions.Match_ArrayWith(&[]interface{}{"Assessment"}),
	})
	raw, _ := json.Marshal(tp.Resources("AWS::IAM::ManagedPolicy"))
	assert.Contains(t, string(raw), "auditmanager:UpdateAssessment")
}

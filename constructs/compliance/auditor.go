package compliance

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/internal/nag"
)

// AuditorRoleProps configures an AuditorRole.
type AuditorRoleProps struct {
	// Principals may assume the role, each only with MFA: IAM user, role or
	// account root ARNs. At least one.
	Principals []string
	// EvidenceBuckets may be read (objects, versions, retention) by the
	// auditor, e.g. the trail's bucket and the assessment reports bucket.
	// Default: none.
	EvidenceBuckets []awss3.IBucket
	// EvidenceKey encrypts the evidence buckets; the auditor may decrypt with
	// it through S3 only. Required with EvidenceBuckets.
	EvidenceKey awskms.IKey
	// MaxSession bounds each session, 1 to 12 hours. Default: 1 hour.
	MaxSession time.Duration
}

// ArtifactReadActions are the AWS Artifact actions that read reports and
// agreements; accepting or terminating an agreement is not among them.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsartifact.html
var ArtifactReadActions = []string{
	"artifact:GetAccountSettings", "artifact:ListReports", "artifact:GetReportMetadata", "artifact:GetReport",
	"artifact:GetTermForReport", "artifact:ListAgreements", "artifact:GetAgreement", "artifact:GetNdaForAgreement",
	"artifact:ListCustomerAgreements", "artifact:GetCustomerAgreement",
}

// AuditorRole is the read-only role an auditor assumes, with MFA: AWS
// Artifact reports and agreements, Audit Manager assessments and evidence,
// Security Hub findings (AWSSecurityHubReadOnlyAccess), conformance pack
// results, the trail's status and digest-file keys (to validate log files),
// and the evidence buckets. It can change nothing.
type AuditorRole struct {
	Scope constructs.Construct
	Role  awsiam.Role
}

// NewAuditorRole creates an AuditorRole. It panics listing every invalid
// prop.
func NewAuditorRole(scope constructs.Construct, id string, props *AuditorRoleProps) *AuditorRole {
	var p AuditorRoleProps
	if props != nil {
		p = *props
	}
	if p.MaxSession == 0 {
		p.MaxSession = time.Hour
	}
	bad := problems.Of("compliance.NewAuditorRole", id)
	if len(p.Principals) == 0 {
		bad.Add("at least one principal is required")
	}
	if len(p.EvidenceBuckets) > 0 && p.EvidenceKey == nil {
		bad.Add("EvidenceKey is required with EvidenceBuckets")
	}
	if p.MaxSession < time.Hour || p.MaxSession > 12*time.Hour {
		bad.Add("MaxSession %s must be 1 to 12 hours", p.MaxSession)
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	// aws:MultiFactorAuthPresent is absent without MFA: Bool, not BoolIfExists.
	mfa := &map[string]interface{}{"Bool": map[string]interface{}{"aws:MultiFactorAuthPresent": "true"}}
	var trusted []awsiam.IPrincipal
	for _, arn := range p.Principals {
		trusted = append(trusted, awsiam.NewArnPrincipal(jsii.String(arn)))
	}

	statements := auditorStatements(awscdk.Stack_Of(this), p)
	policy := awsiam.NewManagedPolicy(this, jsii.String("Policy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Auditors read AWS Artifact, Audit Manager, conformance results, the trail and the evidence buckets"),
		Statements:  &statements,
	})
	role := awsiam.NewRole(this, jsii.String("Resource"), &awsiam.RoleProps{
		AssumedBy:          awsiam.NewCompositePrincipal(trusted...).WithConditions(mfa),
		Description:        jsii.String("Read-only access for auditors, with MFA: AWS Artifact, Audit Manager, Security Hub, evidence"),
		MaxSessionDuration: awscdk.Duration_Seconds(jsii.Number(p.MaxSession.Seconds())),
		ManagedPolicies: &[]awsiam.IManagedPolicy{
			policy,
			awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("AWSSecurityHubReadOnlyAccess")),
		},
	})
	nag.Suppress(role, true, nag.Rule{
		ID:        "AwsSolutions-IAM4",
		Reason:    "AWSSecurityHubReadOnlyAccess is AWS's read-only Security Hub policy; AWS keeps it current as Security Hub adds read actions.",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/AWSSecurityHubReadOnlyAccess"},
	})
	nag.Suppress(policy, false, nag.Rule{
		ID: "AwsSolutions-IAM5",
		Reason: "Read-only by construction: Artifact, Audit Manager, Config and CloudTrail reads support no resource-level " +
			"permissions here, Audit Manager's Get*/List* are its read actions, and object reads cover the evidence buckets' objects only.",
		AppliesToRegex: []string{"/^Resource::\\*$/", "/^Action::auditmanager:(Get|List)\\*$/", "/^Resource::<.*\\.Arn>\\/\\*$/"},
	})
	return &AuditorRole{Scope: this, Role: role}
}

// auditorStatements are the auditor's reads: AWS Artifact, Audit Manager
// (without evidence upload), conformance results, the trail and, with
// EvidenceBuckets, their objects through S3.
func auditorStatements(stack awscdk.Stack, p AuditorRoleProps) []awsiam.PolicyStatement {
	statements := []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("ReadArtifact"), Actions: jsii.Strings(ArtifactReadActions...), Resources: jsii.Strings("*"),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("ReadAuditManager"), Actions: jsii.Strings("auditmanager:Get*", "auditmanager:List*", "auditmanager:ValidateAssessmentReportIntegrity"),
			Resources: jsii.Strings("*"),
		}),
		// The one Get action that writes: it issues a presigned URL to upload
		// a file as manual evidence. An auditor reads evidence, never adds it.
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("NoEvidenceUpload"), Effect: awsiam.Effect_DENY,
			Actions: jsii.Strings("auditmanager:GetEvidenceFileUploadUrl"), Resources: jsii.Strings("*"),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("ReadConformance"),
			Actions: jsii.Strings("config:DescribeConformancePacks", "config:DescribeConformancePackStatus", "config:DescribeConformancePackCompliance",
				"config:GetConformancePackComplianceDetails", "config:GetConformancePackComplianceSummary",
				"config:DescribeComplianceByConfigRule", "config:GetComplianceDetailsByConfigRule"),
			Resources: jsii.Strings("*"),
		}),
		// `aws cloudtrail validate-logs` reads the trail, its public keys and the files.
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("ReadTrail"),
			Actions:   jsii.Strings("cloudtrail:DescribeTrails", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:ListPublicKeys", "cloudtrail:LookupEvents"),
			Resources: jsii.Strings("*"),
		}),
	}
	if len(p.EvidenceBuckets) > 0 {
		var buckets, objects []*string
		for _, b := range p.EvidenceBuckets {
			buckets = append(buckets, b.BucketArn())
			objects = append(objects, b.ArnForObjects(jsii.String("*")))
		}
		statements = append(statements,
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("ListEvidence"),
				Actions:   jsii.Strings("s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketLocation", "s3:GetBucketObjectLockConfiguration"),
				Resources: &buckets,
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("ReadEvidence"),
				Actions:   jsii.Strings("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectRetention", "s3:GetObjectLegalHold"),
				Resources: &objects,
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:        jsii.String("DecryptEvidenceThroughS3"),
				Actions:    jsii.Strings("kms:Decrypt"),
				Resources:  jsii.Strings(*p.EvidenceKey.KeyArn()),
				Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"kms:ViaService": "s3." + *stack.Region() + ".amazonaws.com"}},
			}))
	}
	return statements
}

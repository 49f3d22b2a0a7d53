package response

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsconfig"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/internal/nag"
)

// Runbook is an AWS-owned Systems Manager Automation runbook a remediation runs.
type Runbook string

const (
	// DisableS3BucketPublicReadWrite turns on Block Public Access for the bucket.
	// https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-disables3bucketpublicreadwrite.html
	DisableS3BucketPublicReadWrite Runbook = "AWS-DisableS3BucketPublicReadWrite"
	// DisableIncomingSSHOnPort22 removes the security group's ingress rules
	// that allow unrestricted TCP 22.
	// https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/disable-incoming-ssh.html
	DisableIncomingSSHOnPort22 Runbook = "AWS-DisableIncomingSSHOnPort22"
	// RestrictBucketSSLRequestsOnly adds a bucket policy statement that
	// denies requests not made over TLS.
	// https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-s3-deny-http.html
	RestrictBucketSSLRequestsOnly Runbook = "AWSConfigRemediation-RestrictBucketSSLRequestsOnly"
)

// runbookSpec is what a runbook needs: the Config resource type it fixes,
// the parameter that receives the noncompliant resource's ID, fixed
// parameters, and the permissions its automation role must hold (the
// runbook reference's "Required IAM permissions").
type runbookSpec struct {
	resourceType  string
	resourceParam string
	static        map[string]string
	statements    func(stack awscdk.Stack) []awsiam.PolicyStatement
}

func anyBucket(stack awscdk.Stack) *string {
	return stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("s3"), Region: jsii.String(""), Account: jsii.String(""), Resource: jsii.String("*")})
}

var runbooks = map[Runbook]runbookSpec{
	DisableS3BucketPublicReadWrite: {
		resourceType: "AWS::S3::Bucket", resourceParam: "S3BucketName",
		statements: func(stack awscdk.Stack) []awsiam.PolicyStatement {
			return []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid: jsii.String("BlockBucketPublicAccess"), Actions: jsii.Strings("s3:PutBucketPublicAccessBlock"), Resources: &[]*string{anyBucket(stack)},
			})}
		},
	},
	DisableIncomingSSHOnPort22: {
		resourceType: "AWS::EC2::SecurityGroup", resourceParam: "SecurityGroupIds",
		statements: func(stack awscdk.Stack) []awsiam.PolicyStatement {
			return []awsiam.PolicyStatement{
				awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Sid: jsii.String("ReadSecurityGroups"), Actions: jsii.Strings("ec2:DescribeSecurityGroups"), Resources: jsii.Strings("*"),
				}),
				awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Sid: jsii.String("RevokeIngress"), Actions: jsii.Strings("ec2:RevokeSecurityGroupIngress"),
					Resources: &[]*string{stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ec2"), Resource: jsii.String("security-group"), ResourceName: jsii.String("*"), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME})},
				}),
			}
		},
	},
	RestrictBucketSSLRequestsOnly: {
		resourceType: "AWS::S3::Bucket", resourceParam: "BucketName",
		statements: func(stack awscdk.Stack) []awsiam.PolicyStatement {
			return []awsiam.PolicyStatement{
				awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Sid:       jsii.String("RunOwnAutomation"),
					Actions:   jsii.Strings("ssm:StartAutomationExecution", "ssm:GetAutomationExecution"),
					Resources: &[]*string{stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ssm"), Resource: jsii.String("automation-execution"), ResourceName: jsii.String("*"), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME})},
				}),
				awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Sid:       jsii.String("RestrictBucketPolicy"),
					Actions:   jsii.Strings("s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutEncryptionConfiguration"),
					Resources: &[]*string{anyBucket(stack)},
				}),
			}
		},
	},
}

// RemediationProps configures a Remediation.
type RemediationProps struct {
	// RuleName is the AWS Config rule whose noncompliant resources are fixed;
	// it must check the resource type the runbook fixes. Required.
	RuleName *string
	// Runbook is the AWS-owned runbook that fixes them. Required.
	Runbook Runbook
	// Automatic runs the runbook on every noncompliant resource as AWS Config
	// finds it. Default: false: someone starts it from the AWS Config console.
	Automatic bool
	// MaximumAutomaticAttempts bounds automatic attempts per resource within
	// RetryAttemptSeconds, 1 to 25. Default: 3.
	MaximumAutomaticAttempts int
	// RetryAttemptSeconds is that window. Default: 600.
	RetryAttemptSeconds int
}

// Remediation is an AWS Config remediation configuration that runs an
// AWS-owned Systems Manager Automation runbook on a rule's noncompliant
// resources, as a role of its own that ssm.amazonaws.com assumes for this
// account only and that holds exactly the permissions the runbook documents.
// https://docs.aws.amazon.com/config/latest/developerguide/remediation.html
type Remediation struct {
	Scope         constructs.Construct
	Configuration awsconfig.CfnRemediationConfiguration
	Role          awsiam.Role
}

// NewRemediation creates a Remediation. It panics listing every invalid
// prop.
func NewRemediation(scope constructs.Construct, id string, props *RemediationProps) *Remediation {
	var p RemediationProps
	if props != nil {
		p = *props
	}
	if p.MaximumAutomaticAttempts == 0 {
		p.MaximumAutomaticAttempts = 3
	}
	if p.RetryAttemptSeconds == 0 {
		p.RetryAttemptSeconds = 600
	}
	bad := problems.Of("response.NewRemediation", id)
	spec, ok := runbooks[p.Runbook]
	if !ok || p.RuleName == nil {
		bad.Add("RuleName and a known Runbook are required, not %q", p.Runbook)
	}
	if p.MaximumAutomaticAttempts < 1 || p.MaximumAutomaticAttempts > 25 || p.RetryAttemptSeconds < 1 || p.RetryAttemptSeconds > 2678000 {
		bad.Add("MaximumAutomaticAttempts must be 1 to 25 and RetryAttemptSeconds 1 to 2678000")
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	policy := awsiam.NewManagedPolicy(this, jsii.String("Policy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Exactly what " + string(p.Runbook) + " needs"),
		Statements:  ptr(spec.statements(stack)),
	})
	role := awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ssm.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"aws:SourceAccount": stack.Account()}},
		}),
		Description:     jsii.String("Runs " + string(p.Runbook) + " for an AWS Config remediation"),
		ManagedPolicies: &[]awsiam.IManagedPolicy{policy},
	})
	nag.Suppress(policy, false, nag.Rule{
		ID:     "AwsSolutions-IAM5",
		Reason: "A remediation fixes whichever resource AWS Config finds noncompliant, so the runbook's documented actions cannot name one resource in advance; they are limited to this account's " + spec.resourceType + " resources where IAM allows.",
	})
	// Parameters is JSON in the CloudFormation schema: CDK passes it through
	// as written, so it is spelled with CloudFormation's own key names.
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-config-remediationconfiguration.html
	static := func(values ...*string) map[string]interface{} {
		return map[string]interface{}{"StaticValue": map[string]interface{}{"Values": values}}
	}
	params := map[string]interface{}{
		"AutomationAssumeRole": static(role.RoleArn()),
		spec.resourceParam:     map[string]interface{}{"ResourceValue": map[string]interface{}{"Value": "RESOURCE_ID"}},
	}
	for k, v := range spec.static {
		params[k] = static(jsii.String(v))
	}
	cfg := awsconfig.NewCfnRemediationConfiguration(this, jsii.String("Resource"), &awsconfig.CfnRemediationConfigurationProps{
		ConfigRuleName:           p.RuleName,
		TargetType:               jsii.String("SSM_DOCUMENT"),
		TargetId:                 jsii.String(string(p.Runbook)),
		ResourceType:             jsii.String(spec.resourceType),
		Parameters:               params,
		Automatic:                jsii.Bool(p.Automatic),
		MaximumAutomaticAttempts: jsii.Number(float64(p.MaximumAutomaticAttempts)),
		RetryAttemptSeconds:      jsii.Number(float64(p.RetryAttemptSeconds)),
	})
	cfg.Node().AddDependency(policy)
	return &Remediation{Scope: this, Configuration: cfg, Role: role}
}

func ptr[T any](v []T) *[]T { return &v }

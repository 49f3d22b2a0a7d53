package dataprotection

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// AccountGuardsProps configures AccountGuards.
type AccountGuardsProps struct {
	// Calls runs the API calls: neither guard has a CloudFormation resource. Required.
	Calls *sdkcall.Provider
	// BlockS3PublicAccess turns on S3 Block Public Access for the whole account
	// (all four settings). It is one account-wide setting: turn it on in one
	// region only. Default: false.
	BlockS3PublicAccess bool
	// EBSDefaultKey, when set, turns on EBS encryption by default in this
	// region with this key as the default key; the key's policy must let EC2
	// use it for the account (see KeyProps.AllowAccountEBS). Default: EBS
	// settings are left alone.
	EBSDefaultKey awskms.IKey
	// RevertOnDelete undoes both settings when they leave the stack.
	// Default: false: the account stays guarded.
	RevertOnDelete bool
}

// AccountGuards applies the account-level settings every secure baseline
// carries: S3 Block Public Access for the account and EBS encryption by
// default with a customer managed key. They are API settings, applied through
// AWS API calls with exactly the permissions each needs.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableEbsEncryptionByDefault.html
type AccountGuards struct {
	Scope constructs.Construct
}

// NewAccountGuards creates AccountGuards.
func NewAccountGuards(scope constructs.Construct, id string, props *AccountGuardsProps) *AccountGuards {
	var p AccountGuardsProps
	if props != nil {
		p = *props
	}
	if p.Calls == nil {
		panic(fmt.Errorf("dataprotection.NewAccountGuards %q: Calls is required", id))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	account := awscdk.Stack_Of(this).Account()
	// These account-level actions support no resource-level permissions.
	allow := func(actions ...string) []awsiam.PolicyStatement {
		return []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings(actions...), Resources: jsii.Strings("*"),
		})}
	}
	call := func(service, action string, params map[string]interface{}, physicalID string) *customresources.AwsSdkCall {
		return &customresources.AwsSdkCall{
			Service: jsii.String(service), Action: jsii.String(action), Parameters: params,
			PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String(physicalID)),
		}
	}
	// settings names the account settings this stack's calls change, for the
	// suppression's reason.
	var settings []string

	if p.BlockS3PublicAccess {
		props := &sdkcall.CallProps{
			OnCreate: call("S3Control", "PutPublicAccessBlock", map[string]interface{}{
				"AccountId": account,
				"PublicAccessBlockConfiguration": map[string]interface{}{
					"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true,
				},
			}, "s3-account-public-access-block"),
			Statements: allow("s3:PutAccountPublicAccessBlock"),
		}
		if p.RevertOnDelete {
			props.OnDelete = call("S3Control", "DeletePublicAccessBlock", map[string]interface{}{"AccountId": account}, "s3-account-public-access-block")
		}
		p.Calls.NewCall(this, "S3BlockPublicAccess", props)
		settings = append(settings, "S3 account-level Block Public Access")
	}

	if p.EBSDefaultKey != nil {
		enable := &sdkcall.CallProps{
			OnCreate:   call("EC2", "EnableEbsEncryptionByDefault", map[string]interface{}{}, "ebs-encryption-by-default"),
			Statements: allow("ec2:EnableEbsEncryptionByDefault"),
		}
		key := &sdkcall.CallProps{
			OnCreate:   call("EC2", "ModifyEbsDefaultKmsKeyId", map[string]interface{}{"KmsKeyId": p.EBSDefaultKey.KeyArn()}, "ebs-default-kms-key"),
			Statements: allow("ec2:ModifyEbsDefaultKmsKeyId"),
		}
		if p.RevertOnDelete {
			enable.OnDelete = call("EC2", "DisableEbsEncryptionByDefault", map[string]interface{}{}, "ebs-encryption-by-default")
			enable.Statements = allow("ec2:EnableEbsEncryptionByDefault", "ec2:DisableEbsEncryptionByDefault")
			key.OnDelete = call("EC2", "ResetEbsDefaultKmsKeyId", map[string]interface{}{}, "ebs-default-kms-key")
			key.Statements = allow("ec2:ModifyEbsDefaultKmsKeyId", "ec2:ResetEbsDefaultKmsKeyId")
		}
		// The key first: volumes encrypted by default from the first moment
		// then use it, never the AWS managed aws/ebs key.
		defaultKey := p.Calls.NewCall(this, "EbsDefaultKey", key)
		p.Calls.NewCall(this, "EbsEncryptionByDefault", enable).Node().AddDependency(defaultKey)
		settings = append(settings, "EBS encryption-by-default")
	}

	if len(settings) > 0 {
		nag.Suppress(p.Calls.Policy, false, nag.Rule{
			ID:        "AwsSolutions-IAM5",
			Reason:    strings.Join(settings, " and ") + " actions act on the calling account and support no resource-level permissions.",
			AppliesTo: []string{"Resource::*"},
		})
	}
	return &AccountGuards{Scope: this}
}

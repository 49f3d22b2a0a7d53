package dataprotection

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// AccountGuardsProps configures AccountGuards.
type AccountGuardsProps struct {
	// Calls runs the API calls: neither guard has a CloudFormation resource. Required.
	Calls *sdkcall.Provider
	// SkipBlockS3PublicAccess leaves S3 Block Public Access for the whole
	// account as it is. Default: false: all four settings are turned on. It
	// is one account-wide setting: skip it in every region but one.
	SkipBlockS3PublicAccess bool
	// EBSDefaultKey is the default key of EBS encryption by default in this
	// region; the key's policy must let EC2 use it for the account (see
	// KeyProps.AllowAccountEBS). Default: nil: the account's default key is
	// left as it is (the AWS managed aws/ebs key unless someone changed it).
	EBSDefaultKey awskms.IKey
	// SkipEBSEncryptionByDefault leaves EBS encryption by default in this
	// region as it is. Default: false: it is turned on.
	SkipEBSEncryptionByDefault bool
	// SkipBlockSnapshotPublicAccess leaves public sharing of EBS snapshots
	// in this region as it is. Default: false: every public share is blocked
	// (AWS::EC2::SnapshotBlockPublicAccess, block-all-sharing: snapshots
	// already shared publicly are treated as private).
	SkipBlockSnapshotPublicAccess bool
	// SkipBlockImagePublicAccess leaves public sharing of AMIs in this
	// region as it is. Default: false: new public sharing is blocked
	// (ec2:EnableImageBlockPublicAccess, block-new-sharing; AMIs that are
	// public already stay public).
	SkipBlockImagePublicAccess bool
	// SkipRequireIMDSv2 leaves the account's instance metadata defaults in
	// this region as they are. Default: false: IMDSv2 is the default
	// (ec2:ModifyInstanceMetadataDefaults, HttpTokens required), with
	// IMDSHopLimit as the token's hop limit.
	SkipRequireIMDSv2 bool
	// IMDSHopLimit is the default hop limit with IMDSv2 required, 1 to 64.
	// Default: 2.
	IMDSHopLimit int
	// SkipDisableSerialConsole leaves EC2 serial console access in this
	// region as it is. Default: false: it is turned off
	// (ec2:DisableSerialConsoleAccess).
	SkipDisableSerialConsole bool
	// SkipBlockSSMDocumentPublicSharing leaves public sharing of Systems
	// Manager documents in this region as it is. Default: false: it is
	// blocked (ssm:UpdateServiceSetting).
	SkipBlockSSMDocumentPublicSharing bool
	// SecurityContact, when set, is the account's security alternate contact
	// (account:PutAlternateContact). It is one account-wide setting: set it
	// in one region only. Default: nil: the contact is left as it is.
	SecurityContact *AlternateContact
	// RevertOnDelete undoes every setting when it leaves the stack: each
	// returns to AWS's default (serial console access is off by default, so
	// nothing is undone there). Default: false: the account stays guarded.
	RevertOnDelete bool
}

// AlternateContact is an AWS account alternate contact; every field is
// required by account:PutAlternateContact.
// https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
type AlternateContact struct {
	Name, Title, Email, Phone string
}

// ssmPublicSharingSetting is the Systems Manager service setting that allows
// ("Enable", AWS's default) or blocks ("Disable") sharing documents publicly.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UpdateServiceSetting.html
// https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-ssm-sharing.html#block-public-access
const ssmPublicSharingSetting = "/ssm/documents/console/public-sharing-permission"

// AccountGuards applies the account-level settings every secure baseline
// carries: S3 Block Public Access for the account, EBS encryption by default
// (with a customer managed key as the default key when one is given;
// otherwise the account's default key, which AWS creates as the AWS managed
// key for EBS), block public access for EBS snapshots and
// AMIs, IMDSv2 as the instance metadata default, EC2 serial console access
// off, Systems Manager documents' public sharing blocked and the security
// alternate contact. Snapshot block public access is a CloudFormation
// resource; the others are API settings, applied through AWS API calls with
// exactly the permissions each needs.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableEbsEncryptionByDefault.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyEbsDefaultKmsKeyId.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-snapshotblockpublicaccess.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableImageBlockPublicAccess.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceMetadataDefaults.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisableSerialConsoleAccess.html
// https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
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
	if p.IMDSHopLimit == 0 {
		p.IMDSHopLimit = 2
	}
	if p.IMDSHopLimit < 1 || p.IMDSHopLimit > 64 {
		panic(fmt.Errorf("dataprotection.NewAccountGuards %q: IMDSHopLimit %d must be 1 to 64", id, p.IMDSHopLimit))
	}
	if c := p.SecurityContact; c != nil && (c.Name == "" || c.Title == "" || c.Email == "" || c.Phone == "") {
		panic(fmt.Errorf("dataprotection.NewAccountGuards %q: SecurityContact needs a name, title, email and phone", id))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	account := stack.Account()
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

	if !p.SkipBlockS3PublicAccess {
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

	if p.SkipEBSEncryptionByDefault && p.EBSDefaultKey != nil {
		panic(fmt.Errorf("dataprotection.NewAccountGuards %q: EBSDefaultKey with SkipEBSEncryptionByDefault", id))
	}
	if !p.SkipEBSEncryptionByDefault {
		enable := &sdkcall.CallProps{
			OnCreate:   call("EC2", "EnableEbsEncryptionByDefault", map[string]interface{}{}, "ebs-encryption-by-default"),
			Statements: allow("ec2:EnableEbsEncryptionByDefault"),
		}
		if p.RevertOnDelete {
			enable.OnDelete = call("EC2", "DisableEbsEncryptionByDefault", map[string]interface{}{}, "ebs-encryption-by-default")
			enable.Statements = allow("ec2:EnableEbsEncryptionByDefault", "ec2:DisableEbsEncryptionByDefault")
		}
		var defaultKey constructs.IConstruct
		if p.EBSDefaultKey != nil {
			key := &sdkcall.CallProps{
				OnCreate:   call("EC2", "ModifyEbsDefaultKmsKeyId", map[string]interface{}{"KmsKeyId": p.EBSDefaultKey.KeyArn()}, "ebs-default-kms-key"),
				Statements: allow("ec2:ModifyEbsDefaultKmsKeyId"),
			}
			if p.RevertOnDelete {
				key.OnDelete = call("EC2", "ResetEbsDefaultKmsKeyId", map[string]interface{}{}, "ebs-default-kms-key")
				key.Statements = allow("ec2:ModifyEbsDefaultKmsKeyId", "ec2:ResetEbsDefaultKmsKeyId")
			}
			defaultKey = p.Calls.NewCall(this, "EbsDefaultKey", key)
		}
		encrypt := p.Calls.NewCall(this, "EbsEncryptionByDefault", enable)
		if defaultKey != nil {
			// The key first: volumes encrypted by default from the first
			// moment then use it, never the AWS managed aws/ebs key.
			encrypt.Node().AddDependency(defaultKey)
		}
		settings = append(settings, "EBS encryption-by-default")
	}

	if !p.SkipBlockSnapshotPublicAccess {
		// A CloudFormation resource: deleting it turns the block off, so it
		// is retained unless RevertOnDelete.
		snap := awsec2.NewCfnSnapshotBlockPublicAccess(this, jsii.String("SnapshotBlockPublicAccess"), &awsec2.CfnSnapshotBlockPublicAccessProps{
			State: jsii.String("block-all-sharing"),
		})
		snap.ApplyRemovalPolicy(jsiix.Removal(p.RevertOnDelete), nil)
	}

	// revertible makes a call whose OnDelete, with RevertOnDelete, is undo,
	// and whose role holds exactly the actions of the calls it makes.
	revertible := func(id string, do, undo *customresources.AwsSdkCall, doAction, undoAction string, statement func(...string) []awsiam.PolicyStatement) {
		props := &sdkcall.CallProps{OnCreate: do, Statements: statement(doAction)}
		if p.RevertOnDelete && undo != nil {
			props.OnDelete = undo
			if undoAction != "" {
				props.Statements = statement(doAction, undoAction)
			}
		}
		p.Calls.NewCall(this, id, props)
	}

	if !p.SkipBlockImagePublicAccess {
		// Enabling can take up to ten minutes to show in
		// GetImageBlockPublicAccessState; the call itself returns at once.
		revertible("ImageBlockPublicAccess",
			call("EC2", "EnableImageBlockPublicAccess", map[string]interface{}{"ImageBlockPublicAccessState": "block-new-sharing"}, "ami-block-public-access"),
			call("EC2", "DisableImageBlockPublicAccess", map[string]interface{}{}, "ami-block-public-access"),
			"ec2:EnableImageBlockPublicAccess", "ec2:DisableImageBlockPublicAccess", allow)
		settings = append(settings, "AMI block public access")
	}

	if !p.SkipRequireIMDSv2 {
		// no-preference (and -1 for the hop limit) removes the account
		// default again, so that each launch's own settings decide.
		revertible("InstanceMetadataDefaults",
			call("EC2", "ModifyInstanceMetadataDefaults", map[string]interface{}{"HttpTokens": "required", "HttpPutResponseHopLimit": p.IMDSHopLimit}, "instance-metadata-defaults"),
			call("EC2", "ModifyInstanceMetadataDefaults", map[string]interface{}{"HttpTokens": "no-preference", "HttpPutResponseHopLimit": -1}, "instance-metadata-defaults"),
			"ec2:ModifyInstanceMetadataDefaults", "", allow)
		settings = append(settings, "instance metadata defaults")
	}

	if !p.SkipDisableSerialConsole {
		// Off is AWS's default: a delete has nothing to undo.
		revertible("SerialConsoleAccess",
			call("EC2", "DisableSerialConsoleAccess", map[string]interface{}{}, "serial-console-access"), nil,
			"ec2:DisableSerialConsoleAccess", "", allow)
		settings = append(settings, "EC2 serial console")
	}

	if !p.SkipBlockSSMDocumentPublicSharing {
		// The setting has an ARN: the grant names it.
		setting := stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("ssm"), Resource: jsii.String("servicesetting"),
			ResourceName: jsii.String(ssmPublicSharingSetting[1:]), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		})
		on := func(actions ...string) []awsiam.PolicyStatement {
			return []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings(actions...), Resources: &[]*string{setting},
			})}
		}
		revertible("SsmDocumentPublicSharing",
			call("SSM", "UpdateServiceSetting", map[string]interface{}{"SettingId": ssmPublicSharingSetting, "SettingValue": "Disable"}, "ssm-document-public-sharing"),
			call("SSM", "ResetServiceSetting", map[string]interface{}{"SettingId": ssmPublicSharingSetting}, "ssm-document-public-sharing"),
			"ssm:UpdateServiceSetting", "ssm:ResetServiceSetting", on)
	}

	if c := p.SecurityContact; c != nil {
		// The account resource's ARN differs for an account in an
		// organization, which this construct cannot know: the grant is on
		// any account resource, for the security contact only.
		// https://docs.aws.amazon.com/accounts/latest/reference/security_iam_service-with-iam.html
		security := func(actions ...string) []awsiam.PolicyStatement {
			return []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings(actions...), Resources: jsii.Strings("*"),
				Conditions: &map[string]interface{}{"ForAnyValue:StringEquals": map[string]interface{}{"account:AlternateContactTypes": "SECURITY"}},
			})}
		}
		revertible("SecurityContact",
			call("Account", "PutAlternateContact", map[string]interface{}{
				"AlternateContactType": "SECURITY", "Name": c.Name, "Title": c.Title, "EmailAddress": c.Email, "PhoneNumber": c.Phone,
			}, "security-alternate-contact"),
			call("Account", "DeleteAlternateContact", map[string]interface{}{"AlternateContactType": "SECURITY"}, "security-alternate-contact"),
			"account:PutAlternateContact", "account:DeleteAlternateContact", security)
	}

	if len(settings) > 0 || p.SecurityContact != nil {
		var reasons []string
		if len(settings) > 0 {
			reasons = append(reasons, strings.Join(settings, ", ")+" actions act on the calling account and support no resource-level permissions")
		}
		if p.SecurityContact != nil {
			reasons = append(reasons, "the alternate-contact actions are limited by account:AlternateContactTypes to SECURITY, "+
				"on any account resource because an account's ARN differs inside an organization")
		}
		reason := strings.Join(reasons, "; ") + "."
		nag.Suppress(p.Calls.Policy, false, nag.Rule{
			ID:        "AwsSolutions-IAM5",
			Reason:    strings.ToUpper(reason[:1]) + reason[1:],
			AppliesTo: []string{"Resource::*"},
		})
	}
	return &AccountGuards{Scope: this}
}

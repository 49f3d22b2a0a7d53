package dataprotection

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
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

// NewAccountGuards creates AccountGuards. It panics listing every invalid
// prop.
func NewAccountGuards(scope constructs.Construct, id string, props *AccountGuardsProps) *AccountGuards {
	var p AccountGuardsProps
	if props != nil {
		p = *props
	}
	if p.IMDSHopLimit == 0 {
		p.IMDSHopLimit = 2
	}
	checkAccountGuards(id, p)
	g := &accountGuards{p: p, this: constructs.NewConstruct(scope, jsii.String(id))}
	// The order of the guards is the order of their statements in the
	// provider's shared policy.
	if !p.SkipBlockS3PublicAccess {
		g.blockS3PublicAccess()
	}
	if !p.SkipEBSEncryptionByDefault {
		g.encryptEBSByDefault()
	}
	if !p.SkipBlockSnapshotPublicAccess {
		// A CloudFormation resource: deleting it turns the block off, so it
		// is retained unless RevertOnDelete.
		snap := awsec2.NewCfnSnapshotBlockPublicAccess(g.this, jsii.String("SnapshotBlockPublicAccess"), &awsec2.CfnSnapshotBlockPublicAccessProps{
			State: jsii.String("block-all-sharing"),
		})
		snap.ApplyRemovalPolicy(jsiix.Removal(p.RevertOnDelete), nil)
	}
	g.ec2Defaults()
	if !p.SkipBlockSSMDocumentPublicSharing {
		g.blockSSMDocumentPublicSharing()
	}
	if p.SecurityContact != nil {
		g.securityContact(*p.SecurityContact)
	}
	g.suppressAccountWildcard()
	return &AccountGuards{Scope: g.this}
}

// checkAccountGuards panics listing every invalid prop of p.
func checkAccountGuards(id string, p AccountGuardsProps) {
	bad := problems.Of("dataprotection.NewAccountGuards", id)
	if p.Calls == nil {
		bad.Add("Calls is required")
	}
	if p.IMDSHopLimit < 1 || p.IMDSHopLimit > 64 {
		bad.Add("IMDSHopLimit %d must be 1 to 64", p.IMDSHopLimit)
	}
	if c := p.SecurityContact; c != nil && (c.Name == "" || c.Title == "" || c.Email == "" || c.Phone == "") {
		bad.Add("SecurityContact needs a name, title, email and phone")
	}
	if p.SkipEBSEncryptionByDefault && p.EBSDefaultKey != nil {
		bad.Add("EBSDefaultKey with SkipEBSEncryptionByDefault")
	}
	bad.Check()
}

// accountGuards builds one AccountGuards: each method adds one guard's
// calls under this.
type accountGuards struct {
	p    AccountGuardsProps
	this constructs.Construct
	// settings names the account settings the calls change that support no
	// resource-level permissions, for the suppression's reason.
	settings []string
}

// allowAnyResource allows actions on "*": the account-level actions of
// these guards support no resource-level permissions.
func allowAnyResource(actions ...string) []awsiam.PolicyStatement {
	return []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings(actions...), Resources: jsii.Strings("*"),
	})}
}

// guardCall is one SDK call of a guard; physicalID names the setting, the
// same for the call that sets it and the one that reverts it.
func guardCall(service, action string, params map[string]interface{}, physicalID string) *customresources.AwsSdkCall {
	return &customresources.AwsSdkCall{
		Service: jsii.String(service), Action: jsii.String(action), Parameters: params,
		PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String(physicalID)),
	}
}

// revertible makes a call whose OnDelete, with RevertOnDelete, is undo,
// and whose role holds exactly the actions of the calls it makes.
func (g *accountGuards) revertible(id string, do, undo *customresources.AwsSdkCall, doAction, undoAction string, statement func(...string) []awsiam.PolicyStatement) customresources.AwsCustomResource {
	props := &sdkcall.CallProps{OnCreate: do, Statements: statement(doAction)}
	if g.p.RevertOnDelete && undo != nil {
		props.OnDelete = undo
		if undoAction != "" {
			props.Statements = statement(doAction, undoAction)
		}
	}
	return g.p.Calls.NewCall(g.this, id, props)
}

func (g *accountGuards) blockS3PublicAccess() {
	account := awscdk.Stack_Of(g.this).Account()
	g.revertible("S3BlockPublicAccess",
		guardCall("S3Control", "PutPublicAccessBlock", map[string]interface{}{
			"AccountId": account,
			"PublicAccessBlockConfiguration": map[string]interface{}{
				"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true,
			},
		}, "s3-account-public-access-block"),
		guardCall("S3Control", "DeletePublicAccessBlock", map[string]interface{}{"AccountId": account}, "s3-account-public-access-block"),
		"s3:PutAccountPublicAccessBlock", "", allowAnyResource)
	g.settings = append(g.settings, "S3 account-level Block Public Access")
}

func (g *accountGuards) encryptEBSByDefault() {
	var defaultKey constructs.IConstruct
	if g.p.EBSDefaultKey != nil {
		defaultKey = g.revertible("EbsDefaultKey",
			guardCall("EC2", "ModifyEbsDefaultKmsKeyId", map[string]interface{}{"KmsKeyId": g.p.EBSDefaultKey.KeyArn()}, "ebs-default-kms-key"),
			guardCall("EC2", "ResetEbsDefaultKmsKeyId", map[string]interface{}{}, "ebs-default-kms-key"),
			"ec2:ModifyEbsDefaultKmsKeyId", "ec2:ResetEbsDefaultKmsKeyId", allowAnyResource)
	}
	encrypt := g.revertible("EbsEncryptionByDefault",
		guardCall("EC2", "EnableEbsEncryptionByDefault", map[string]interface{}{}, "ebs-encryption-by-default"),
		guardCall("EC2", "DisableEbsEncryptionByDefault", map[string]interface{}{}, "ebs-encryption-by-default"),
		"ec2:EnableEbsEncryptionByDefault", "ec2:DisableEbsEncryptionByDefault", allowAnyResource)
	if defaultKey != nil {
		// The key first: volumes encrypted by default from the first
		// moment then use it, never the AWS managed aws/ebs key.
		encrypt.Node().AddDependency(defaultKey)
	}
	g.settings = append(g.settings, "EBS encryption-by-default")
}

// ec2Defaults sets the EC2 account defaults that are not resources: AMI
// public sharing, instance metadata and the serial console.
func (g *accountGuards) ec2Defaults() {
	if !g.p.SkipBlockImagePublicAccess {
		// Enabling can take up to ten minutes to show in
		// GetImageBlockPublicAccessState; the call itself returns at once.
		g.revertible("ImageBlockPublicAccess",
			guardCall("EC2", "EnableImageBlockPublicAccess", map[string]interface{}{"ImageBlockPublicAccessState": "block-new-sharing"}, "ami-block-public-access"),
			guardCall("EC2", "DisableImageBlockPublicAccess", map[string]interface{}{}, "ami-block-public-access"),
			"ec2:EnableImageBlockPublicAccess", "ec2:DisableImageBlockPublicAccess", allowAnyResource)
		g.settings = append(g.settings, "AMI block public access")
	}
	if !g.p.SkipRequireIMDSv2 {
		// no-preference (and -1 for the hop limit) removes the account
		// default again, so that each launch's own settings decide.
		g.revertible("InstanceMetadataDefaults",
			guardCall("EC2", "ModifyInstanceMetadataDefaults", map[string]interface{}{"HttpTokens": "required", "HttpPutResponseHopLimit": g.p.IMDSHopLimit}, "instance-metadata-defaults"),
			guardCall("EC2", "ModifyInstanceMetadataDefaults", map[string]interface{}{"HttpTokens": "no-preference", "HttpPutResponseHopLimit": -1}, "instance-metadata-defaults"),
			"ec2:ModifyInstanceMetadataDefaults", "", allowAnyResource)
		g.settings = append(g.settings, "instance metadata defaults")
	}
	if !g.p.SkipDisableSerialConsole {
		// Off is AWS's default: a delete has nothing to undo.
		g.revertible("SerialConsoleAccess",
			guardCall("EC2", "DisableSerialConsoleAccess", map[string]interface{}{}, "serial-console-access"), nil,
			"ec2:DisableSerialConsoleAccess", "", allowAnyResource)
		g.settings = append(g.settings, "EC2 serial console")
	}
}

func (g *accountGuards) blockSSMDocumentPublicSharing() {
	// The setting has an ARN: the grant names it.
	setting := awscdk.Stack_Of(g.this).FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("ssm"), Resource: jsii.String("servicesetting"),
		ResourceName: jsii.String(ssmPublicSharingSetting[1:]), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
	on := func(actions ...string) []awsiam.PolicyStatement {
		return []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings(actions...), Resources: &[]*string{setting},
		})}
	}
	g.revertible("SsmDocumentPublicSharing",
		guardCall("SSM", "UpdateServiceSetting", map[string]interface{}{"SettingId": ssmPublicSharingSetting, "SettingValue": "Disable"}, "ssm-document-public-sharing"),
		guardCall("SSM", "ResetServiceSetting", map[string]interface{}{"SettingId": ssmPublicSharingSetting}, "ssm-document-public-sharing"),
		"ssm:UpdateServiceSetting", "ssm:ResetServiceSetting", on)
}

func (g *accountGuards) securityContact(c AlternateContact) {
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
	g.revertible("SecurityContact",
		guardCall("Account", "PutAlternateContact", map[string]interface{}{
			"AlternateContactType": "SECURITY", "Name": c.Name, "Title": c.Title, "EmailAddress": c.Email, "PhoneNumber": c.Phone,
		}, "security-alternate-contact"),
		guardCall("Account", "DeleteAlternateContact", map[string]interface{}{"AlternateContactType": "SECURITY"}, "security-alternate-contact"),
		"account:PutAlternateContact", "account:DeleteAlternateContact", security)
}

// suppressAccountWildcard explains, on the provider's policy, every "*"
// resource the guards' calls needed.
func (g *accountGuards) suppressAccountWildcard() {
	if len(g.settings) == 0 && g.p.SecurityContact == nil {
		return
	}
	var reasons []string
	if len(g.settings) > 0 {
		reasons = append(reasons, strings.Join(g.settings, ", ")+" actions act on the calling account and support no resource-level permissions")
	}
	if g.p.SecurityContact != nil {
		reasons = append(reasons, "the alternate-contact actions are limited by account:AlternateContactTypes to SECURITY, "+
			"on any account resource because an account's ARN differs inside an organization")
	}
	reason := strings.Join(reasons, "; ") + "."
	nag.Suppress(g.p.Calls.Policy, false, nag.Rule{
		ID:        "AwsSolutions-IAM5",
		Reason:    strings.ToUpper(reason[:1]) + reason[1:],
		AppliesTo: []string{"Resource::*"},
	})
}

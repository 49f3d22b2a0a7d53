// Package dataprotection holds the data-protection layer: customer managed
// KMS keys (Key, ReplicaKey, the grants other services need, LogDeliveryKeyAccess)
// and the alarm on their deletion (KeyAlarm); the secure bucket every layer
// stores its data in (SecureBucket) and the encrypted alert topic
// (SecureTopic); account-wide guards (AccountGuards: S3 and EBS Block Public
// Access, EBS encryption by default); Amazon Macie; AWS Secrets Manager
// secrets with rotation (Secret); and an AWS CloudHSM cluster (CloudHSM).
package dataprotection

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/internal/names"
)

// ServiceAccess lets one AWS service principal use a key on this account's
// behalf, and nothing else.
type ServiceAccess struct {
	// Service is the service principal, e.g. "config.amazonaws.com".
	Service string
	// Actions are the KMS actions the service needs, e.g. "kms:GenerateDataKey".
	Actions []string
	// SourceArns narrow use to requests made for these resources (aws:SourceArn,
	// ArnLike; wildcards allowed). Default: any resource of this account, through
	// aws:SourceAccount alone.
	SourceArns []string
	// LogGroupArns, for CloudWatch Logs, narrow use to these log groups
	// (wildcards allowed) through the encryption context CloudWatch Logs sends;
	// it sends no aws:SourceAccount, so this replaces that scoping.
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
	LogGroupArns []string
	// EncryptionContext narrows use to requests carrying these encryption
	// context values (kms:EncryptionContext:<key>, StringLike; wildcards
	// allowed), e.g. CloudTrail's "aws:cloudtrail:arn". Default: none.
	EncryptionContext map[string]string
	// Name tells two grants to one service apart in their Sids, e.g.
	// "Describe". Default: none.
	Name string
}

// KeyProps configures a Key.
type KeyProps struct {
	// Alias names the key, e.g. "alias/mamori/security-logs". Required: people
	// and policies find keys by alias.
	Alias string
	// Description says what the key encrypts. Default: none.
	Description string
	// RotationPeriod is how often KMS rotates the key material (90 to 2560 days).
	// Default: 365 days. Rotation is always on.
	RotationPeriod time.Duration
	// PendingWindow is the wait before a key scheduled for deletion is deleted
	// (7 to 30 days). Default: 30 days.
	PendingWindow time.Duration
	// Services are the AWS service principals allowed to use the key, each
	// scoped to this account. Default: none; IAM principals of this account
	// are governed by IAM policies through the account's key-policy statement.
	Services []ServiceAccess
	// Administrators manage the key (policy, rotation, deletion, tags)
	// without being able to use it. Default: none named in the key policy;
	// the account's IAM policies decide, through its root statement.
	Administrators []awsiam.IPrincipal
	// Users may encrypt and decrypt with the key, and let AWS services create
	// grants for AWS resources (e.g. EBS volumes). Default: none named.
	Users []awsiam.IPrincipal
	// MultiRegion makes the key the primary of a multi-Region key, whose
	// replicas (NewReplicaKey) share its key material in other regions, so
	// data encrypted in one region decrypts in another. Default: false.
	MultiRegion bool
	// AllowAccountEBS lets every principal of this account use the key through
	// Amazon EC2 only (kms:ViaService ec2.<region>.amazonaws.com and
	// kms:CallerAccount), as the AWS managed aws/ebs key's policy does, so that
	// the key can be the account's EBS default key: instances, launch
	// templates and EC2 Auto Scaling then encrypt volumes without a grant per
	// role. Default: false.
	// https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
	AllowAccountEBS bool
	// AccountViaServices lets every principal of this account use the key
	// through these AWS services only (kms:ViaService
	// <service>.<region>.amazonaws.com and kms:CallerAccount), for services
	// that act with their caller's permissions, e.g. "auditmanager".
	// Default: none.
	AccountViaServices []string
	// DestroyOnDelete schedules the key for deletion when it leaves the stack.
	// Default: false: the key is retained, so nothing it encrypted is lost.
	DestroyOnDelete bool
}

// Key is a symmetric customer managed KMS key with rotation on, a readable key
// policy and an alias. It is retained on stack delete unless told otherwise.
type Key struct {
	Scope constructs.Construct
	Key   awskms.Key
}

const day = 24 * time.Hour

// NewKey creates a Key. It panics listing every invalid prop.
func NewKey(scope constructs.Construct, id string, props *KeyProps) *Key {
	var p KeyProps
	if props != nil {
		p = *props
	}
	if p.RotationPeriod == 0 {
		p.RotationPeriod = 365 * day
	}
	if p.PendingWindow == 0 {
		p.PendingWindow = 30 * day
	}
	bad := problems.Of("dataprotection.NewKey", id)
	checkAliasAndWindow(bad, p.Alias, p.PendingWindow)
	if p.RotationPeriod < 90*day || p.RotationPeriod > 2560*day || p.RotationPeriod%day != 0 {
		bad.Add("RotationPeriod %s must be whole days from 90 to 2560", p.RotationPeriod)
	}
	bad.Check()

	this := constructs.NewConstruct(scope, jsii.String(id))
	key := awskms.NewKey(this, jsii.String("Resource"), &awskms.KeyProps{
		Alias:             jsii.String(p.Alias),
		Description:       optional(p.Description),
		EnableKeyRotation: jsii.Bool(true),
		RotationPeriod:    jsiix.Days(p.RotationPeriod),
		PendingWindow:     jsiix.Days(p.PendingWindow),
		RemovalPolicy:     jsiix.Removal(p.DestroyOnDelete),
		// Only when asked: MultiRegion cannot change on an existing key
		// (CloudFormation replaces it), so it is never written as false.
		MultiRegion: boolOrNil(p.MultiRegion),
	})
	for _, st := range policyStatements(awscdk.Stack_Of(this), p) {
		key.AddToResourcePolicy(st, jsii.Bool(false))
	}
	k := &Key{Scope: this, Key: key}
	for _, s := range p.Services {
		k.GrantService(s)
	}
	return k
}

// checkAliasAndWindow enforces what KMS requires of every key and replica:
// a customer alias, and a deletion window of whole days from 7 to 30.
func checkAliasAndWindow(bad *problems.List, alias string, window time.Duration) {
	if !strings.HasPrefix(alias, "alias/") || strings.HasPrefix(alias, "alias/aws/") {
		bad.Add("Alias %q must start with \"alias/\" and not \"alias/aws/\"", alias)
	}
	if window < 7*day || window > 30*day || window%day != 0 {
		bad.Add("PendingWindow %s must be whole days from 7 to 30", window)
	}
}

// policyStatements are the key-policy statements beyond the account's root
// statement that a key with these props carries; its replicas carry the same.
func policyStatements(stack awscdk.Stack, p KeyProps) []awsiam.PolicyStatement {
	// Only AWS services acting for an AWS resource (EBS, RDS, ...) may create
	// grants: a grant is a second, policy-invisible path to a key.
	// Control Tower proactive control CT.KMS.PR.3.
	out := []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenyGrantsExceptForAwsServices"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("kms:CreateGrant"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"BoolIfExists": map[string]interface{}{
			"kms:GrantIsForAWSResource": "false",
			"aws:PrincipalIsAWSService": "false",
		}},
	})}
	// The split AWS's own default key policy makes: administrators manage,
	// users use. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
	if len(p.Administrators) > 0 {
		out = append(out, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AllowKeyAdministration"),
			Principals: &p.Administrators,
			Actions: jsii.Strings("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
				"kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
				"kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand"),
			Resources: jsii.Strings("*"),
		}))
	}
	if len(p.Users) > 0 {
		out = append(out,
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:        jsii.String("AllowKeyUse"),
				Principals: &p.Users,
				Actions:    jsii.Strings("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"),
				Resources:  jsii.Strings("*"),
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:        jsii.String("AllowGrantsForAwsResources"),
				Principals: &p.Users,
				Actions:    jsii.Strings("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"),
				Resources:  jsii.Strings("*"),
				Conditions: &map[string]interface{}{"Bool": map[string]interface{}{"kms:GrantIsForAWSResource": "true"}},
			}))
	}
	if p.AllowAccountEBS {
		out = append(out, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AllowAccountEbsThroughEc2"),
			Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
			Actions:    jsii.Strings("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"),
			Resources:  jsii.Strings("*"),
			Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{
				"kms:CallerAccount": stack.Account(),
				"kms:ViaService":    "ec2." + *stack.Region() + ".amazonaws.com",
			}},
		}))
	}
	for _, svc := range p.AccountViaServices {
		out = append(out, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AllowAccountThrough" + names.Pascal(svc)),
			Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
			Actions:    jsii.Strings("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"),
			Resources:  jsii.Strings("*"),
			Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{
				"kms:CallerAccount": stack.Account(),
				"kms:ViaService":    svc + "." + *stack.Region() + ".amazonaws.com",
			}},
		}))
	}
	return out
}

// GrantService adds a key-policy statement that lets one service principal
// use the key for requests made on behalf of this account only.
func (k *Key) GrantService(s ServiceAccess) {
	if s.Service == "" || len(s.Actions) == 0 || (len(s.SourceArns) > 0 && len(s.LogGroupArns) > 0) {
		panic(fmt.Errorf("dataprotection.Key.GrantService %q: Service and Actions are required, and SourceArns and LogGroupArns exclude each other", *k.Scope.Node().Id()))
	}
	conditions := map[string]interface{}{}
	switch {
	case len(s.LogGroupArns) > 0:
		conditions["ArnLike"] = map[string]interface{}{"kms:EncryptionContext:aws:logs:arn": jsiix.Strs(s.LogGroupArns)}
	case len(s.SourceArns) > 0:
		conditions["ArnLike"] = map[string]interface{}{"aws:SourceArn": jsiix.Strs(s.SourceArns)}
		fallthrough
	default:
		conditions["StringEquals"] = map[string]interface{}{"aws:SourceAccount": awscdk.Aws_ACCOUNT_ID()}
	}
	if len(s.EncryptionContext) > 0 {
		like := map[string]interface{}{}
		for k, v := range s.EncryptionContext {
			like["kms:EncryptionContext:"+k] = v
		}
		conditions["StringLike"] = like
	}
	k.Key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("Allow" + sidName(s.Service) + names.Pascal(s.Name)),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String(s.Service), nil)},
		Actions:    jsiix.Strs(s.Actions),
		Resources:  jsii.Strings("*"),
		Conditions: &conditions,
	}), jsii.Bool(false))
}

// sidName turns "config.amazonaws.com" into "ConfigService", a valid Sid part.
func sidName(principal string) string {
	return names.Pascal(strings.SplitN(principal, ".amazonaws.com", 2)[0]) + "Service"
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}

func boolOrNil(b bool) *bool {
	if !b {
		return nil
	}
	return jsii.Bool(true)
}

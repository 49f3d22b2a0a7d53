package organization

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsconfig"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/internal/nag"
)

// MemberBaselineProps configures a MemberBaseline.
type MemberBaselineProps struct {
	// Prefix starts the key alias and the AWS Config role's name. Required.
	Prefix string
	// HomeRegion records global resource types and holds account-wide
	// settings; the same template runs in every region. Required.
	HomeRegion string
	// DisableConfig leaves AWS Config recording out, for accounts that
	// record through another recorder (AWS Control Tower's). Default: false:
	// AWS Config records.
	DisableConfig bool
	// ConfigBucketName is the log-archive bucket AWS Config delivers to.
	// Required unless DisableConfig.
	ConfigBucketName string
	// LogArchiveAccountID owns ConfigBucketName: the member's role may read
	// and write that bucket only while it belongs to this account
	// (s3:ResourceAccount), because a bucket name is predictable and anyone
	// could own a bucket of that name in a partition where the log archive
	// has not created it (yet, or any more). Required with Config.
	LogArchiveAccountID string
	// ConfigKeyArns are the keys AWS Config may encrypt deliveries with: the
	// log-archive key (wildcards allowed). Required unless DisableConfig.
	ConfigKeyArns []string
	// ExcludedResourceTypes are not recorded. Default: none.
	ExcludedResourceTypes []string
	// DailyRecording records once a day. Default: false: continuously.
	DailyRecording bool
	// DeliveryFrequency of configuration snapshots. Default: TwentyFour_Hours.
	DeliveryFrequency string
	// ConfigExcludedRegions are regions where AWS Config does not record:
	// the same template runs everywhere, so the recorder, delivery channel,
	// role and delivery policy carry a condition on the region that leaves
	// them out there, while the guards stay on in every region. Must not
	// hold HomeRegion, which records the global resource types. Default:
	// none: AWS Config records in every region.
	ConfigExcludedRegions []string
	// DisableS3BlockPublicAccess leaves the account's S3 Block Public Access
	// setting as it is. Default: false: S3 Block Public Access is turned on
	// for the account (from the home region).
	DisableS3BlockPublicAccess bool
	// DisableEBSEncryptionByDefault leaves the account's EBS default
	// encryption as it is. Default: false: new EBS volumes are encrypted with
	// the member's own key, in every region.
	DisableEBSEncryptionByDefault bool
	// KeyRotationPeriod and KeyPendingWindow of the member's key.
	// Default: 365 and 30 days.
	KeyRotationPeriod time.Duration
	KeyPendingWindow  time.Duration
	// PasswordPolicy, when set, is the account's IAM password policy: the
	// iam:UpdateAccountPasswordPolicy request (compliance.PasswordPolicyRequest),
	// applied from the home region (IAM is global). A delete leaves it in
	// place. Default: nil: the account's policy is left as it is.
	PasswordPolicy map[string]interface{}
	// LogRetentionDays keeps the guard function's logs. Default: 365.
	LogRetentionDays int
}

// ConfigRoleName is the name of the AWS Config role in every member
// account and region: the log-archive policies admit it by name.
func ConfigRoleName(prefix string) string { return prefix + "-config-recorder-" }

// MemberBaseline is what every account of the target OUs carries, in every
// governed region, deployed by a service-managed StackSet: AWS Config
// recording (global types in the home region only; none in
// ConfigExcludedRegions) delivered to the log-archive account, and the
// account guards (S3 Block Public Access for
// the account, EBS encryption by default with the member's own KMS key).
//
// Its stack must be self-contained: StackSets deploy into accounts with no
// CDK bootstrap, so nothing here may use an asset (the guard function's code
// is inline) and the stack should use the BootstraplessSynthesizer, which
// refuses assets.
type MemberBaseline struct {
	Scope constructs.Construct
	// Key is the member's own key in each region: EBS default encryption and
	// the guard function's logs. Nil unless EBSEncryptionByDefault.
	Key *dataprotection.Key
}

//go:embed handlers/member-guards.js
var memberGuardsHandler string

// NewMemberBaseline creates a MemberBaseline.
func NewMemberBaseline(scope constructs.Construct, id string, props *MemberBaselineProps) *MemberBaseline {
	var p MemberBaselineProps
	if props != nil {
		p = *props
	}
	bad := problems.Of("organization.NewMemberBaseline", id)
	if p.Prefix == "" || p.HomeRegion == "" || (!p.DisableConfig && (p.ConfigBucketName == "" || len(p.ConfigKeyArns) == 0 || !accountID.MatchString(p.LogArchiveAccountID))) {
		bad.Add("Prefix, HomeRegion, and with Config ConfigBucketName, a 12-digit LogArchiveAccountID and ConfigKeyArns, are required")
	}
	if slices.Contains(p.ConfigExcludedRegions, p.HomeRegion) {
		bad.Add("ConfigExcludedRegions holds the home region %s, which records the global resource types", p.HomeRegion)
	}
	bad.Check()
	if p.DeliveryFrequency == "" {
		p.DeliveryFrequency = "TwentyFour_Hours"
	}
	if p.LogRetentionDays == 0 {
		p.LogRetentionDays = 365
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	m := &MemberBaseline{Scope: this}
	home := awscdk.NewCfnCondition(this, jsii.String("IsHomeRegion"), &awscdk.CfnConditionProps{
		Expression: awscdk.Fn_ConditionEquals(awscdk.Aws_REGION(), jsii.String(p.HomeRegion)),
	})
	if !p.DisableConfig {
		m.config(this, stack, p, home, recordsConfig(this, p.ConfigExcludedRegions))
	}
	if !p.DisableS3BlockPublicAccess || !p.DisableEBSEncryptionByDefault || p.PasswordPolicy != nil {
		m.guards(this, stack, p, home)
	}
	return m
}

// recordsConfig is the condition "the stack's region is none of excluded",
// or nil when no region is excluded. Fn::Or takes 2 to 10 conditions; the
// CDK's Fn.conditionOr nests groups of at most 10 for more and returns a
// single condition as it is.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
func recordsConfig(scope constructs.Construct, excluded []string) awscdk.CfnCondition {
	if len(excluded) == 0 {
		return nil
	}
	var equals []awscdk.ICfnConditionExpression
	for _, r := range excluded {
		equals = append(equals, awscdk.Fn_ConditionEquals(awscdk.Aws_REGION(), jsii.String(r)))
	}
	return awscdk.NewCfnCondition(scope, jsii.String("RecordsConfig"), &awscdk.CfnConditionProps{
		Expression: awscdk.Fn_ConditionNot(awscdk.Fn_ConditionOr(equals...)),
	})
}

func (m *MemberBaseline) config(this constructs.Construct, stack awscdk.Stack, p MemberBaselineProps, home, records awscdk.CfnCondition) {
	bucketArn := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("s3"), Region: jsii.String(""), Account: jsii.String(""), Resource: jsii.String(p.ConfigBucketName)})
	// The bucket's name is predictable: the grants hold only while the
	// log-archive account owns it (s3:ResourceAccount).
	// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
	// https://aws.amazon.com/about-aws/whats-new/2020/12/new-iam-condition-keys-amazon-s3-limit-requests-buckets-owned-specific-aws-accounts-specific-tls-versions/
	owner := map[string]interface{}{"s3:ResourceAccount": p.LogArchiveAccountID}
	delivery := awsiam.NewManagedPolicy(this, jsii.String("ConfigDeliveryPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("AWS Config delivery to the log-archive account"),
		Statements: &[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("s3:GetBucketAcl", "s3:ListBucket"), Resources: jsii.Strings(*bucketArn),
				Conditions: &map[string]interface{}{"StringEquals": owner},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:    jsii.Strings("s3:PutObject"),
				Resources:  jsii.Strings(*bucketArn + "/AWSLogs/" + *awscdk.Aws_ACCOUNT_ID() + "/Config/*"),
				Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"s3:x-amz-acl": "bucket-owner-full-control", "s3:ResourceAccount": p.LogArchiveAccountID}},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("kms:Decrypt", "kms:GenerateDataKey"), Resources: jsiix.Strs(p.ConfigKeyArns)}),
		},
	})
	role := awsiam.NewRole(this, jsii.String("ConfigRole"), &awsiam.RoleProps{
		// Named, so that the log-archive bucket and key can admit it; one per
		// region, because roles are global and the stack runs in each region.
		RoleName:    jsii.String(ConfigRoleName(p.Prefix) + *awscdk.Aws_REGION()),
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("config.amazonaws.com"), nil),
		Description: jsii.String("AWS Config recorder: reads resource configuration and delivers it to the log-archive account"),
		ManagedPolicies: &[]awsiam.IManagedPolicy{
			awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("service-role/AWS_ConfigRole")),
			delivery,
		},
	})
	nag.Suppress(delivery, true, nag.Rule{
		ID:             "AwsSolutions-IAM5",
		Reason:         "AWS Config names each delivered object itself, and the log-archive key's ID is not known in member accounts; the grants are limited to this account's prefix and the log-archive account's keys.",
		AppliesToRegex: []string{`/^Resource::.*\/AWSLogs\/.*\/Config\/\*$/`, `/^Resource::arn:.*:kms:.*:key\/\*$/`},
	})
	nag.Suppress(role, true,
		nag.Rule{
			ID: "AwsSolutions-IAM4",
			Reason: "AWS_ConfigRole is the policy AWS maintains for Config recorders: it grants read access to every resource type " +
				"Config records and gains new types as Config does; a hand-written copy would silently fall behind.",
			AppliesToRegex: []string{`/^Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWS_ConfigRole$/`},
		},
	)
	group := &awsconfig.CfnConfigurationRecorder_RecordingGroupProperty{AllSupported: jsii.Bool(len(p.ExcludedResourceTypes) == 0)}
	recorder := awsconfig.NewCfnConfigurationRecorder(this, jsii.String("Recorder"), &awsconfig.CfnConfigurationRecorderProps{
		RoleArn:        role.RoleArn(),
		RecordingGroup: group,
		RecordingMode:  &awsconfig.CfnConfigurationRecorder_RecordingModeProperty{RecordingFrequency: jsii.String(map[bool]string{true: "DAILY", false: "CONTINUOUS"}[p.DailyRecording])},
	})
	// Global IAM types are recorded in the home region only.
	// https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html
	if len(p.ExcludedResourceTypes) == 0 {
		recorder.AddPropertyOverride(jsii.String("RecordingGroup.IncludeGlobalResourceTypes"),
			awscdk.Fn_ConditionIf(home.LogicalId(), true, false))
	} else {
		global := []string{"AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::User"}
		recorder.AddPropertyOverride(jsii.String("RecordingGroup.RecordingStrategy"), map[string]interface{}{"UseOnly": "EXCLUSION_BY_RESOURCE_TYPES"})
		recorder.AddPropertyOverride(jsii.String("RecordingGroup.ExclusionByResourceTypes.ResourceTypes"),
			awscdk.Fn_ConditionIf(home.LogicalId(), p.ExcludedResourceTypes, append(append([]string{}, p.ExcludedResourceTypes...), global...)))
	}
	channel := awsconfig.NewCfnDeliveryChannel(this, jsii.String("DeliveryChannel"), &awsconfig.CfnDeliveryChannelProps{
		S3BucketName: jsii.String(p.ConfigBucketName),
		ConfigSnapshotDeliveryProperties: &awsconfig.CfnDeliveryChannel_ConfigSnapshotDeliveryPropertiesProperty{
			DeliveryFrequency: jsii.String(p.DeliveryFrequency),
		},
	})
	channel.AddResourceDependency(recorder, nil)
	channel.Node().AddDependency(role)
	if records != nil {
		for _, r := range []awscdk.CfnResource{delivery.Node().DefaultChild().(awscdk.CfnResource), role.Node().DefaultChild().(awscdk.CfnResource), recorder, channel} {
			r.CfnOptions().SetCondition(records)
		}
	}
}

// guards creates the guard function and one custom resource per guard the
// baseline sets, with the key that encrypts EBS volumes by default and the
// function's logs.
func (m *MemberBaseline) guards(this constructs.Construct, stack awscdk.Stack, p MemberBaselineProps, home awscdk.CfnCondition) {
	m.Key = dataprotection.NewKey(this, "DataAndLogsKey", &dataprotection.KeyProps{
		Alias:           "alias/" + p.Prefix + "/member-data",
		Description:     "Encrypts this account's new EBS volumes by default and mamori's guard function logs",
		RotationPeriod:  p.KeyRotationPeriod,
		PendingWindow:   p.KeyPendingWindow,
		AllowAccountEBS: true,
	})
	// CloudWatch Logs encrypts the guard function's log group. Written out
	// rather than through GrantService: the stack has no fixed region, and a
	// Sid may not hold the region token.
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
	m.Key.Key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchLogs"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("logs."+*stack.Region()+".amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"ArnLike": map[string]interface{}{"kms:EncryptionContext:aws:logs:arn": *stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("logs"), Resource: jsii.String("log-group"), ResourceName: jsii.String("*"), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})}},
	}), jsii.Bool(false))
	logs := awslogs.NewLogGroup(this, jsii.String("GuardLogs"), &awslogs.LogGroupProps{
		EncryptionKey: m.Key.Key,
		Retention:     awslogs.RetentionDays_ONE_YEAR,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	role := guardRole(this, p, logs)
	fn, policyJSON := m.guardFunction(this, p, role, logs)
	// Named types (Custom::<id>), so a reviewer (and mamori's review
	// catalog) sees what each custom resource does.
	guard := func(id, name, property string, value interface{}) awscdk.CfnResource {
		r := awscdk.NewCfnResource(this, jsii.String(id), &awscdk.CfnResourceProps{
			Type: jsii.String("Custom::" + id), Properties: &map[string]interface{}{"ServiceToken": fn.FunctionArn()},
		})
		r.AddPropertyOverride(jsii.String("Guard"), name)
		r.AddPropertyOverride(jsii.String(property), value)
		r.Node().AddDependency(role)
		return r
	}
	if !p.DisableS3BlockPublicAccess {
		// One account-wide setting: the home region's stack sets it.
		guard("S3AccountPublicAccessBlock", "s3", "AccountId", awscdk.Aws_ACCOUNT_ID()).CfnOptions().SetCondition(home)
	}
	if p.PasswordPolicy != nil {
		// The function applies its own PASSWORD_POLICY; the same JSON here
		// makes CloudFormation update the resource when the policy changes.
		guard("AccountPasswordPolicy", "password", "Policy", policyJSON).CfnOptions().SetCondition(home)
	}
	if !p.DisableEBSEncryptionByDefault {
		// The function applies its own EBS_KEY_ARN; the same ARN here makes
		// CloudFormation update the resource when the key changes.
		guard("EbsEncryptionByDefault", "ebs", "KeyArn", m.Key.Key.KeyArn())
	}
}

// guardRole is the guard function's role: the account-level actions of the
// guards this baseline sets, which take no resource ARN, and writing to its
// own log group. The descriptions and the suppression name only these
// settings. It is not servicerole.New: that helper's policy holds the log
// statement alone, first and with a Sid, and suppresses on the policy only;
// using it would rewrite the template every member account's StackSet
// instance has deployed.
func guardRole(this constructs.Construct, p MemberBaselineProps, logs awslogs.LogGroup) awsiam.Role {
	var actions, settings []string
	if !p.DisableS3BlockPublicAccess {
		actions = append(actions, "s3:PutAccountPublicAccessBlock")
		settings = append(settings, "S3 account Block Public Access")
	}
	if !p.DisableEBSEncryptionByDefault {
		actions = append(actions, "ec2:EnableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId")
		settings = append(settings, "EBS default encryption")
	}
	if p.PasswordPolicy != nil {
		actions = append(actions, "iam:UpdateAccountPasswordPolicy")
		settings = append(settings, "the IAM password policy")
	}
	guarded := strings.Join(settings, ", ")
	if n := len(settings); n > 1 {
		guarded = strings.Join(settings[:n-1], ", ") + " and " + settings[n-1]
	}
	policy := awsiam.NewManagedPolicy(this, jsii.String("GuardPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("mamori member guards: " + guarded),
		Statements: &[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsiix.Strs(actions),
				Resources: jsii.Strings("*"),
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"), Resources: jsii.Strings(*logs.LogGroupArn() + ":*"),
			}),
		}})
	role := awsiam.NewRole(this, jsii.String("GuardRole"), &awsiam.RoleProps{
		AssumedBy:       awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description:     jsii.String("mamori member guards: " + guarded),
		ManagedPolicies: &[]awsiam.IManagedPolicy{policy},
	})
	nag.Suppress(policy, true, nag.Rule{
		ID:        "AwsSolutions-IAM5",
		Reason:    guarded + map[bool]string{true: " are account settings", false: " is an account setting"}[len(settings) > 1] + " with no resource ARN; log streams are named at run time inside the function's own log group.",
		AppliesTo: []string{"Resource::*"}, AppliesToRegex: []string{`/^Resource::<.*\.Arn>:\*$/`},
	})
	return role
}

// guardFunction is the function behind the guards' custom resources, and
// the password policy's JSON it applies ("" without one).
func (m *MemberBaseline) guardFunction(this constructs.Construct, p MemberBaselineProps, role awsiam.Role, logs awslogs.LogGroup) (awslambda.Function, string) {
	// The function takes the key and the password policy from its own
	// configuration, never from the invocation: a principal allowed to
	// invoke it could otherwise point EBS default encryption at another
	// account's key or weaken the password policy.
	env := map[string]*string{}
	var policyJSON string
	if !p.DisableEBSEncryptionByDefault {
		env["EBS_KEY_ARN"] = m.Key.Key.KeyArn()
	}
	if p.PasswordPolicy != nil {
		raw, err := json.Marshal(p.PasswordPolicy)
		if err != nil {
			panic(fmt.Errorf("organization.NewMemberBaseline: PasswordPolicy: %w", err))
		}
		policyJSON = string(raw)
		env["PASSWORD_POLICY"] = jsii.String(policyJSON)
	}
	fn := awslambda.NewFunction(this, jsii.String("GuardFunction"), &awslambda.FunctionProps{
		Runtime:     awslambda.Runtime_NODEJS_24_X(),
		Code:        awslambda.Code_FromInline(jsii.String(memberGuardsHandler)),
		Environment: &env,
		Handler:     jsii.String("index.handler"),
		Timeout:     awscdk.Duration_Minutes(jsii.Number(2)),
		Role:        role,
		LogGroup:    logs,
		Description: jsii.String("mamori member guards: applies account-level settings while CloudFormation deploys"),
	})
	nag.Suppress(fn, true,
		nag.Rule{ID: "NIST.800.53.R5-LambdaInsideVPC", Reason: "The guard function only calls AWS APIs during deployments; a VPC would add NAT endpoints and cost in every member account without isolating anything."},
		nag.Rule{ID: "PCI.DSS.321-LambdaInsideVPC", Reason: "The guard function only calls AWS APIs during deployments; a VPC would add NAT endpoints and cost in every member account without isolating anything."},
		nag.Rule{ID: "NIST.800.53.R5-LambdaConcurrency", Reason: "CloudFormation invokes the guard function once per custom-resource change; deployments bound its concurrency."},
		nag.Rule{ID: "NIST.800.53.R5-LambdaDLQ", Reason: "CloudFormation is the caller and reports every failure as a failed stack operation; a dead-letter queue would receive nothing actionable."},
	)
	return fn, policyJSON
}

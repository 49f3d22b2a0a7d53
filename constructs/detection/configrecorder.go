package detection

import (
	_ "embed"
	"regexp"
	"slices"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsconfig"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// DeliveryFrequency is how often AWS Config delivers configuration snapshots.
type DeliveryFrequency string

const (
	OneHourDelivery     DeliveryFrequency = "One_Hour"
	ThreeHoursDelivery  DeliveryFrequency = "Three_Hours"
	SixHoursDelivery    DeliveryFrequency = "Six_Hours"
	TwelveHoursDelivery DeliveryFrequency = "Twelve_Hours"
	DailyDelivery       DeliveryFrequency = "TwentyFour_Hours"
)

// ManagedRule is one AWS managed Config rule.
type ManagedRule struct {
	// Identifier is the rule's source identifier, e.g. "ROOT_ACCOUNT_MFA_ENABLED".
	Identifier string
	// Parameters are the rule's input parameters. Default: none.
	Parameters map[string]string
}

// globalIAMTypes are the global resource types AWS Config records in one
// region only; the exclusion strategy ignores IncludeGlobalResourceTypes, so
// other regions must exclude them by name.
// https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html
var globalIAMTypes = []string{"AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::User"}

// ConfigRecorderProps configures ConfigRecorder.
type ConfigRecorderProps struct {
	// Bucket receives configuration history and snapshots. Required.
	Bucket *dataprotection.SecureBucket
	// Key is the bucket's KMS key, named to AWS Config for delivery. Required.
	Key awskms.IKey
	// SkipGlobalResources leaves the global IAM resource types to another
	// region's recorder: record them in exactly one region. Default: false:
	// this recorder records them.
	SkipGlobalResources bool
	// ExcludedResourceTypes are not recorded. Default: none: every supported
	// resource type is recorded.
	ExcludedResourceTypes []string
	// DailyRecording records changes once a day instead of continuously,
	// which costs less. Default: false: continuous recording.
	DailyRecording bool
	// DeliveryFrequency is how often snapshots are delivered. Default: TwentyFour_Hours.
	DeliveryFrequency DeliveryFrequency
	// ManagedRules are AWS managed rules evaluated once the recorder runs.
	// Default: none.
	ManagedRules []ManagedRule
	// AdoptExisting takes over the account's recorder and delivery channel in
	// this region instead of creating them: their names stay, and their role,
	// recording group, recording mode, bucket, key and delivery frequency
	// become the ones this construct would have created (an account without
	// them gets them, named "default"). CloudFormation cannot import either
	// resource type with the role and bucket it refers to, so the change runs
	// through the config-adopt handler on Calls; the recorder role and its
	// delivery policy are then retained when the stack is deleted, because
	// the recorder keeps running with them. Default: false: the recorder and
	// delivery channel are CloudFormation resources of this stack, and an
	// existing recorder makes the deployment fail.
	AdoptExisting bool
	// Calls runs the adoption handler. Required with AdoptExisting.
	Calls *sdkcall.Provider
}

// ConfigRecorder is AWS Config in one region: a recorder for every supported
// resource type (or all but an exclusion list), global types in one region
// only, a delivery channel to an encrypted, access-logged bucket, and the
// chosen managed rules.
type ConfigRecorder struct {
	Scope constructs.Construct
	// Recorder and Channel are nil with AdoptExisting.
	Recorder awsconfig.CfnConfigurationRecorder
	Channel  awsconfig.CfnDeliveryChannel
	// Adoption is the custom resource that takes the existing recorder and
	// channel over; nil without AdoptExisting.
	Adoption awscdk.CustomResource
}

// adoptHandler updates the account's recorder and channel in place; see the file.
//
//go:embed handlers/config-adopt.js
var adoptHandler string

var resourceType = regexp.MustCompile(`^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$`)

// NewConfigRecorder creates a ConfigRecorder.
func NewConfigRecorder(scope constructs.Construct, id string, props *ConfigRecorderProps) *ConfigRecorder {
	var p ConfigRecorderProps
	if props != nil {
		p = *props
	}
	checkConfigRecorder(id, p)
	if p.DeliveryFrequency == "" {
		p.DeliveryFrequency = DailyDelivery
	}

	this := constructs.NewConstruct(scope, jsii.String(id))
	role, delivery := recorderRole(this, p)
	group := recordingGroup(p)
	frequency := "CONTINUOUS"
	if p.DailyRecording {
		frequency = "DAILY"
	}
	if p.AdoptExisting {
		return adopt(this, p, role, delivery, group, frequency)
	}
	recorder := awsconfig.NewCfnConfigurationRecorder(this, jsii.String("Recorder"), &awsconfig.CfnConfigurationRecorderProps{
		RoleArn:        role.RoleArn(),
		RecordingGroup: group,
		RecordingMode:  &awsconfig.CfnConfigurationRecorder_RecordingModeProperty{RecordingFrequency: jsii.String(frequency)},
	})
	channel := awsconfig.NewCfnDeliveryChannel(this, jsii.String("DeliveryChannel"), &awsconfig.CfnDeliveryChannelProps{
		S3BucketName: p.Bucket.Bucket.BucketName(),
		S3KmsKeyArn:  p.Key.KeyArn(),
		ConfigSnapshotDeliveryProperties: &awsconfig.CfnDeliveryChannel_ConfigSnapshotDeliveryPropertiesProperty{
			DeliveryFrequency: jsii.String(string(p.DeliveryFrequency)),
		},
	})
	// AWS Config checks the bucket (and its policy) when the channel is
	// created; on a destroyable stack, delivery stops before the bucket is emptied.
	channel.Node().AddDependency(p.Bucket.Bucket)
	// CloudFormation creates a delivery channel only for an existing recorder.
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-config-deliverychannel.html
	channel.AddResourceDependency(recorder, nil)
	channel.Node().AddDependency(role)

	c := &ConfigRecorder{Scope: this, Recorder: recorder, Channel: channel}
	// Managed rules need a running recorder.
	addManagedRules(this, p.ManagedRules, recorder, channel)
	return c
}

// checkConfigRecorder panics listing every invalid prop of p.
func checkConfigRecorder(id string, p ConfigRecorderProps) {
	bad := problems.Of("detection.NewConfigRecorder", id)
	if p.Bucket == nil || p.Key == nil {
		bad.Add("Bucket and Key are required")
	}
	if p.AdoptExisting && p.Calls == nil {
		bad.Add("Calls is required with AdoptExisting")
	}
	for _, t := range p.ExcludedResourceTypes {
		if !resourceType.MatchString(t) {
			bad.Add("%q is not a resource type", t)
		}
	}
	bad.Check()
}

// recorderRole is the role AWS Config records and delivers with: AWS's
// AWS_ConfigRole to read resources, and a delivery policy for the bucket
// and its key, which the bucket's policy also grants AWS Config's service
// principal.
func recorderRole(this constructs.Construct, p ConfigRecorderProps) (awsiam.Role, awsiam.ManagedPolicy) {
	bucket := p.Bucket.Bucket
	// AWS Config writes under AWSLogs/<account>/Config/.
	// https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
	keyPattern := "AWSLogs/" + *awscdk.Aws_ACCOUNT_ID() + "/Config/*"

	delivery := awsiam.NewManagedPolicy(this, jsii.String("DeliveryPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("AWS Config delivery to its encrypted bucket"),
		Statements: &[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("s3:GetBucketAcl", "s3:ListBucket"),
				Resources: jsii.Strings(*bucket.BucketArn()),
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:    jsii.Strings("s3:PutObject"),
				Resources:  jsii.Strings(*bucket.ArnForObjects(jsii.String(keyPattern))),
				Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"s3:x-amz-acl": "bucket-owner-full-control"}},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("kms:Decrypt", "kms:GenerateDataKey"),
				Resources: jsii.Strings(*p.Key.KeyArn()),
			}),
		},
	})
	role := awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("config.amazonaws.com"), nil),
		Description: jsii.String("AWS Config recorder: reads resource configuration and delivers it to the config bucket"),
		ManagedPolicies: &[]awsiam.IManagedPolicy{
			awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("service-role/AWS_ConfigRole")),
			delivery,
		},
	})
	nag.Suppress(role, true, nag.Rule{
		ID: "AwsSolutions-IAM4",
		Reason: "AWS_ConfigRole is the policy AWS maintains for Config recorders: it grants read access to every resource type " +
			"Config records and gains new types as Config does; a hand-written copy would silently fall behind.",
		AppliesToRegex: []string{`/^Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWS_ConfigRole$/`},
	})
	nag.Suppress(delivery, true, nag.Rule{
		ID:             "AwsSolutions-IAM5",
		Reason:         "AWS Config names each delivered object itself; the grant is limited to this account's AWSLogs/<account>/Config/ prefix.",
		AppliesToRegex: []string{`/^Resource::<.*\.Arn>\/AWSLogs\/[^/]+\/Config\/\*$/`},
	})
	// The same grants for the service principal cover accounts whose
	// recorder later moves to the AWS Config service-linked role.
	p.Bucket.GrantServiceWrite(dataprotection.ServiceWrite{
		Service:                       "config.amazonaws.com",
		KeyPattern:                    keyPattern,
		BucketActions:                 []string{"s3:GetBucketAcl", "s3:ListBucket"},
		RequireBucketOwnerFullControl: true,
	})
	return role, delivery
}

// recordingGroup records every supported type, or all but
// ExcludedResourceTypes; the global IAM types only unless
// SkipGlobalResources.
func recordingGroup(p ConfigRecorderProps) *awsconfig.CfnConfigurationRecorder_RecordingGroupProperty {
	group := &awsconfig.CfnConfigurationRecorder_RecordingGroupProperty{}
	if len(p.ExcludedResourceTypes) == 0 {
		group.AllSupported = jsii.Bool(true)
		group.IncludeGlobalResourceTypes = jsii.Bool(!p.SkipGlobalResources)
		return group
	}
	excluded := append([]string(nil), p.ExcludedResourceTypes...)
	if p.SkipGlobalResources {
		excluded = appendMissing(excluded, globalIAMTypes...)
	}
	group.AllSupported = jsii.Bool(false)
	group.RecordingStrategy = &awsconfig.CfnConfigurationRecorder_RecordingStrategyProperty{
		UseOnly: jsii.String("EXCLUSION_BY_RESOURCE_TYPES"),
	}
	group.ExclusionByResourceTypes = &awsconfig.CfnConfigurationRecorder_ExclusionByResourceTypesProperty{
		ResourceTypes: jsiix.Strs(excluded),
	}
	return group
}

// adopt points the account's existing recorder and delivery channel (or new
// ones named "default") at the role, bucket and key of this construct,
// through the config-adopt handler, with the recording group and mode the
// CloudFormation recorder would have had.
//
// Why not resource import: CloudFormation's "Resource type support" page
// lists the types that support import, drift detection and the IaC
// generator; whatever it says of these two types, an imported recorder and
// channel would refer to a role and bucket that the import change set, which
// holds only the imported resources, cannot create ("Import AWS resources
// into a CloudFormation stack"). So the existing recorder is updated in
// place (update-only), as the AWS Config API allows: PutConfigurationRecorder
// changes the role and recording group of an existing recorder,
// PutDeliveryChannel the bucket of an existing channel.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-supported-resources.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html
// https://docs.aws.amazon.com/config/latest/APIReference/API_PutConfigurationRecorder.html
// https://docs.aws.amazon.com/config/latest/APIReference/API_PutDeliveryChannel.html
func adopt(this constructs.Construct, p ConfigRecorderProps, role awsiam.Role, delivery awsiam.ManagedPolicy,
	group *awsconfig.CfnConfigurationRecorder_RecordingGroupProperty, frequency string) *ConfigRecorder {
	// The adopted recorder keeps recording with this role after the stack is
	// gone; without the role it could neither read resources nor deliver.
	role.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN)
	delivery.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN)

	recordingGroup := map[string]interface{}{"allSupported": group.AllSupported}
	if group.IncludeGlobalResourceTypes != nil {
		recordingGroup["includeGlobalResourceTypes"] = group.IncludeGlobalResourceTypes
	}
	if group.RecordingStrategy != nil {
		s := group.RecordingStrategy.(*awsconfig.CfnConfigurationRecorder_RecordingStrategyProperty)
		e := group.ExclusionByResourceTypes.(*awsconfig.CfnConfigurationRecorder_ExclusionByResourceTypesProperty)
		recordingGroup["recordingStrategy"] = map[string]interface{}{"useOnly": s.UseOnly}
		recordingGroup["exclusionByResourceTypes"] = map[string]interface{}{"resourceTypes": e.ResourceTypes}
	}
	// AWS Config's recorder and channel actions: Describe* and
	// PutDeliveryChannel take no resource ARN, and a recorder's ARN holds an
	// ID AWS Config assigns when it creates the recorder.
	// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html
	configActions := awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("config:DescribeConfigurationRecorders", "config:PutConfigurationRecorder", "config:StartConfigurationRecorder",
			"config:DescribeDeliveryChannels", "config:PutDeliveryChannel"),
		Resources: jsii.Strings("*"),
	})
	// Naming a role in PutConfigurationRecorder passes it to AWS Config.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
	passRole := awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsii.Strings("iam:PassRole"),
		Resources:  jsii.Strings(*role.RoleArn()),
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"iam:PassedToService": "config.amazonaws.com"}},
	})
	wildcards := nag.Rule{
		ID: "AwsSolutions-IAM5",
		Reason: "AWS Config's DescribeConfigurationRecorders, DescribeDeliveryChannels and PutDeliveryChannel take no resource ARN, and the adopted " +
			"recorder's ARN holds an ID only AWS Config knows; an account holds one such recorder per region. iam:PassRole names the recorder role.",
		AppliesTo: []string{"Resource::*"},
	}
	adoption := p.Calls.NewWaitingCall(this, "ConfigAdoption", &sdkcall.WaitingCallProps{
		HandlerName:  "config-adopt",
		Handler:      adoptHandler,
		ResourceType: "Custom::ConfigRecorderAdoption",
		Properties: map[string]interface{}{
			"RoleArn":            role.RoleArn(),
			"RecordingGroup":     recordingGroup,
			"RecordingFrequency": frequency,
			"BucketName":         p.Bucket.Bucket.BucketName(),
			"KmsKeyArn":          p.Key.KeyArn(),
			"DeliveryFrequency":  string(p.DeliveryFrequency),
		},
		Statements:   []awsiam.PolicyStatement{configActions, passRole},
		Suppressions: []nag.Rule{wildcards},
		Timeout:      5 * time.Minute,
	})
	// AWS Config checks that the role can be assumed and that the bucket
	// (with its policy) and key accept delivery when the channel changes.
	adoption.Node().AddDependency(p.Bucket.Bucket, role, delivery)
	c := &ConfigRecorder{Scope: this, Adoption: adoption}
	addManagedRules(this, p.ManagedRules, adoption)
	return c
}

// NewConfigRules creates managed rules for an account whose AWS Config
// recorder and delivery channel exist outside the stack (Control Tower's,
// or another team's): the same rules, at the same construct paths, that
// NewConfigRecorder creates beside its own recorder.
func NewConfigRules(scope constructs.Construct, id string, rules []ManagedRule) constructs.Construct {
	this := constructs.NewConstruct(scope, jsii.String(id))
	addManagedRules(this, rules)
	return this
}

func addManagedRules(scope constructs.Construct, rules []ManagedRule, after ...constructs.IDependable) {
	for _, r := range rules {
		rule := awsconfig.NewManagedRule(scope, jsii.String(r.Identifier), &awsconfig.ManagedRuleProps{
			Identifier:      jsii.String(r.Identifier),
			InputParameters: stringMap(r.Parameters),
		})
		rule.Node().AddDependency(after...)
	}
}

// Dependable is what must exist before anything that reads Config data.
func (c *ConfigRecorder) Dependable() constructs.IDependable {
	if c.Adoption != nil {
		return constructs.NewDependencyGroup(c.Adoption)
	}
	return constructs.NewDependencyGroup(c.Recorder, c.Channel)
}

func stringMap(m map[string]string) *map[string]interface{} {
	if len(m) == 0 {
		return nil
	}
	out := map[string]interface{}{}
	for k, v := range m {
		out[k] = v
	}
	return &out
}

func appendMissing(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

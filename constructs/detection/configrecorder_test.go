package detection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

func newConfigRecorder(t *testing.T, props ConfigRecorderProps) (awscdk.Stack, *ConfigRecorder, *dataprotection.SecureBucket) {
	t.Helper()
	stack := cdktest.NewStack(t, cdktest.Env)
	props.Bucket = secureBucket(stack, "ConfigBucket")
	props.Key = cdktest.ImportedKey(stack)
	return stack, NewConfigRecorder(stack, "Config", &props), props.Bucket
}

func TestConfigRecorderDefaults(t *testing.T) {
	stack, c, bucket := newConfigRecorder(t, ConfigRecorderProps{})
	tp := cdktest.Synth(t, stack)

	bucketID := cdktest.LogicalID(stack, bucket.Bucket)
	roleID := cdktest.LogicalID(stack, c.Scope.Node().FindChild(ptr("Role")))
	tp.Count("AWS::Config::ConfigurationRecorder", 1)
	tp.Has("AWS::Config::ConfigurationRecorder", m{
		"RoleARN":        m{"Fn::GetAtt": a{roleID, "Arn"}},
		"RecordingGroup": assertions.Match_Exact(m{"AllSupported": true, "IncludeGlobalResourceTypes": true}),
		"RecordingMode":  assertions.Match_Exact(m{"RecordingFrequency": "CONTINUOUS"}),
	})
	tp.Count("AWS::Config::DeliveryChannel", 1)
	// AWS Config checks the bucket and the role when the channel is created.
	tp.Has("AWS::Config::DeliveryChannel", m{
		"S3BucketName":                     m{"Ref": bucketID},
		"S3KmsKeyArn":                      cdktest.KeyArn,
		"ConfigSnapshotDeliveryProperties": assertions.Match_Exact(m{"DeliveryFrequency": "TwentyFour_Hours"}),
		"Name":                             assertions.Match_Absent(),
	})
	tp.DependsOn("AWS::Config::DeliveryChannel", nil, roleID, cdktest.LogicalID(stack, bucket.Bucket.Policy()), cdktest.LogicalID(stack, c.Recorder))
	tp.Count("AWS::Config::ConfigRule", 0)

	// The recorder role: AWS_ConfigRole for reading, plus delivery to this
	// bucket and key only.
	role := tp.Resource(roleID)["Properties"].(m)
	assert.Equal(t, a{m{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": m{"Service": "config.amazonaws.com"}}},
		role["AssumeRolePolicyDocument"].(m)["Statement"])
	assert.Contains(t, role["ManagedPolicyArns"], m{"Fn::Join": a{"", a{
		"arn:", m{"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWS_ConfigRole",
	}}})
	bucketArn := m{"Fn::GetAtt": a{bucketID, "Arn"}}
	configPrefix := m{"Fn::Join": a{"", a{bucketArn, "/AWSLogs/", m{"Ref": "AWS::AccountId"}, "/Config/*"}}}
	statements := roleStatements(tp, roleID)
	assert.Equal(t, []string{"kms:Decrypt", "kms:GenerateDataKey", "s3:GetBucketAcl", "s3:ListBucket", "s3:PutObject"}, actions(statements))
	assert.Equal(t, bucketArn, statementWith(t, statements, "s3:ListBucket")["Resource"])
	put := statementWith(t, statements, "s3:PutObject")
	assert.Equal(t, configPrefix, put["Resource"])
	assert.Equal(t, m{"StringEquals": m{"s3:x-amz-acl": "bucket-owner-full-control"}}, put["Condition"])
	assert.Equal(t, cdktest.KeyArn, statementWith(t, statements, "kms:GenerateDataKey")["Resource"])

	// The same delivery rights for the service principal, this account only.
	account := m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}}
	tp.Has("AWS::S3::BucketPolicy", m{
		"Bucket": m{"Ref": bucketID},
		"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
			m{
				"Sid":       "ConfigServiceBucketChecks",
				"Effect":    "Allow",
				"Principal": m{"Service": "config.amazonaws.com"},
				"Action":    a{"s3:GetBucketAcl", "s3:ListBucket"},
				"Resource":  bucketArn,
				"Condition": assertions.Match_Exact(m{"StringEquals": account}),
			},
			m{
				"Sid":       "ConfigServiceDelivery",
				"Effect":    "Allow",
				"Principal": m{"Service": "config.amazonaws.com"},
				"Action":    "s3:PutObject",
				"Resource":  configPrefix,
				"Condition": assertions.Match_Exact(m{"StringEquals": m{
					"aws:SourceAccount": m{"Ref": "AWS::AccountId"},
					"s3:x-amz-acl":      "bucket-owner-full-control",
				}}),
			},
		))},
	})
}

func TestConfigRecorderRecordingGroup(t *testing.T) {
	tests := []struct {
		name  string
		props ConfigRecorderProps
		group m
	}{{
		name:  "home region",
		props: ConfigRecorderProps{},
		group: m{"AllSupported": true, "IncludeGlobalResourceTypes": true},
	}, {
		// The exclusion strategy ignores IncludeGlobalResourceTypes, so other
		// regions exclude the global IAM types by name.
		name:  "exclusions elsewhere",
		props: ConfigRecorderProps{SkipGlobalResources: true, ExcludedResourceTypes: []string{"AWS::EC2::NetworkInterface", "AWS::IAM::Role"}},
		group: m{
			"AllSupported":             false,
			"RecordingStrategy":        m{"UseOnly": "EXCLUSION_BY_RESOURCE_TYPES"},
			"ExclusionByResourceTypes": m{"ResourceTypes": a{"AWS::EC2::NetworkInterface", "AWS::IAM::Role", "AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::User"}},
		},
	}, {
		name:  "exclusions in the home region",
		props: ConfigRecorderProps{ExcludedResourceTypes: []string{"AWS::EC2::NetworkInterface"}},
		group: m{
			"AllSupported":             false,
			"RecordingStrategy":        m{"UseOnly": "EXCLUSION_BY_RESOURCE_TYPES"},
			"ExclusionByResourceTypes": m{"ResourceTypes": a{"AWS::EC2::NetworkInterface"}},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stack, _, _ := newConfigRecorder(t, tc.props)
			cdktest.Synth(t, stack).Has("AWS::Config::ConfigurationRecorder", m{"RecordingGroup": assertions.Match_Exact(tc.group)})
		})
	}
}

func TestConfigRecorderFrequencies(t *testing.T) {
	stack, _, _ := newConfigRecorder(t, ConfigRecorderProps{DailyRecording: true, DeliveryFrequency: OneHourDelivery})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::Config::ConfigurationRecorder", m{"RecordingMode": assertions.Match_Exact(m{"RecordingFrequency": "DAILY"})})
	tp.Has("AWS::Config::DeliveryChannel", m{"ConfigSnapshotDeliveryProperties": m{"DeliveryFrequency": "One_Hour"}})
}

func TestConfigRecorderManagedRules(t *testing.T) {
	stack, c, _ := newConfigRecorder(t, ConfigRecorderProps{ManagedRules: []ManagedRule{
		{Identifier: "ROOT_ACCOUNT_MFA_ENABLED"},
		{Identifier: "ACCESS_KEYS_ROTATED", Parameters: map[string]string{"maxAccessKeyAge": "90"}},
	}})
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::Config::ConfigRule", 2)
	// Rules need a running recorder.
	recorder, channel := cdktest.LogicalID(stack, c.Recorder), cdktest.LogicalID(stack, c.Channel)
	mfa := m{
		"Source":          assertions.Match_Exact(m{"Owner": "AWS", "SourceIdentifier": "ROOT_ACCOUNT_MFA_ENABLED"}),
		"InputParameters": assertions.Match_Absent(),
	}
	keys := m{
		"Source":          assertions.Match_Exact(m{"Owner": "AWS", "SourceIdentifier": "ACCESS_KEYS_ROTATED"}),
		"InputParameters": assertions.Match_Exact(m{"maxAccessKeyAge": "90"}),
	}
	tp.Has("AWS::Config::ConfigRule", mfa)
	tp.Has("AWS::Config::ConfigRule", keys)
	tp.DependsOn("AWS::Config::ConfigRule", m{"Properties": mfa}, recorder, channel)
	tp.DependsOn("AWS::Config::ConfigRule", m{"Properties": keys}, recorder, channel)
}

// TestConfigRecorderDependable checks the hand-off to Security Hub, whose
// controls are evaluated from Config data.
func TestConfigRecorderDependable(t *testing.T) {
	stack, c, _ := newConfigRecorder(t, ConfigRecorderProps{})
	NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{
		Standards: []Standard{FoundationalBestPractices},
		DependsOn: []constructs.IDependable{c.Dependable()},
	})
	cdktest.Synth(t, stack).DependsOn("AWS::SecurityHub::Standard", nil, cdktest.LogicalID(stack, c.Recorder), cdktest.LogicalID(stack, c.Channel))
}

func TestConfigRecorderPanics(t *testing.T) {
	cdktest.PanicsWith(t, `detection.NewConfigRecorder "Config": Bucket and Key are required`, func() {
		NewConfigRecorder(cdktest.NewStack(t, cdktest.Env), "Config", nil)
	})
	stack := cdktest.NewStack(t, cdktest.Env)
	cdktest.PanicsWith(t, `detection.NewConfigRecorder "Config": Bucket and Key are required`, func() {
		NewConfigRecorder(stack, "Config", &ConfigRecorderProps{Bucket: secureBucket(stack, "ConfigBucket")})
	})
	cdktest.PanicsWith(t, `detection.NewConfigRecorder "Config": Bucket and Key are required`, func() {
		NewConfigRecorder(stack, "Config", &ConfigRecorderProps{Key: cdktest.ImportedKey(stack)})
	})
	for _, bad := range []string{"EC2::Instance", "AWS::EC2", "aws::ec2::instance", "AWS::EC2::Instance "} {
		cdktest.PanicsWith(t, `"`+bad+`" is not a resource type`, func() {
			_, _, _ = newConfigRecorder(t, ConfigRecorderProps{ExcludedResourceTypes: []string{bad}})
		})
	}
}

// Managed rules for an existing recorder sit at the construct paths
// NewConfigRecorder gives them, so their logical IDs match, and wait for
// nothing the stack does not have.
func TestConfigRules(t *testing.T) {
	rules := []ManagedRule{{Identifier: "ROOT_ACCOUNT_MFA_ENABLED"}}
	stack := cdktest.NewStack(t, cdktest.Env)
	NewConfigRules(stack, "Config", rules)
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::Config::ConfigurationRecorder", 0)
	tp.Count("AWS::Config::ConfigRule", 1)

	withRecorder, _, _ := newConfigRecorder(t, ConfigRecorderProps{ManagedRules: rules})
	want := cdktest.Synth(t, withRecorder).Resources("AWS::Config::ConfigRule")
	got := tp.Resources("AWS::Config::ConfigRule")
	for id, r := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("rule %s: logical ID differs from the recorder's rule (%v)", id, want)
		}
		if r["DependsOn"] != nil {
			t.Errorf("rule depends on %v", r["DependsOn"])
		}
	}
}

// AdoptExisting takes the account's recorder and channel over through the
// config-adopt handler: no recorder or channel resources, the same role,
// recording group and delivery settings handed to the handler, the recorder
// role retained with the stack's deletion, and the rules waiting for the
// adoption.
func TestConfigRecorderAdoptExisting(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	calls := calltest.NewProvider(stack)
	bucket := secureBucket(stack, "ConfigBucket")
	c := NewConfigRecorder(stack, "Config", &ConfigRecorderProps{
		Bucket: bucket, Key: cdktest.ImportedKey(stack), SkipGlobalResources: true, DailyRecording: true,
		DeliveryFrequency: SixHoursDelivery, AdoptExisting: true, Calls: calls,
		ManagedRules: []ManagedRule{{Identifier: "ROOT_ACCOUNT_MFA_ENABLED"}},
	})
	tp := cdktest.Synth(t, stack)

	assert.Nil(t, c.Recorder)
	assert.Nil(t, c.Channel)
	tp.Count("AWS::Config::ConfigurationRecorder", 0)
	tp.Count("AWS::Config::DeliveryChannel", 0)
	tp.Count("Custom::ConfigRecorderAdoption", 1)
	adoptionID := cdktest.LogicalID(stack, c.Adoption)
	roleID := cdktest.LogicalID(stack, c.Scope.Node().FindChild(ptr("Role")))
	policyID := cdktest.LogicalID(stack, c.Scope.Node().FindChild(ptr("DeliveryPolicy")))
	bucketID := cdktest.LogicalID(stack, bucket.Bucket)
	props := tp.Resource(adoptionID)["Properties"].(m)
	delete(props, "ServiceToken")
	assert.Equal(t, m{
		"RoleArn":            m{"Fn::GetAtt": a{roleID, "Arn"}},
		"RecordingGroup":     m{"allSupported": true, "includeGlobalResourceTypes": false},
		"RecordingFrequency": "DAILY",
		"BucketName":         m{"Ref": bucketID},
		"KmsKeyArn":          cdktest.KeyArn,
		"DeliveryFrequency":  "Six_Hours",
	}, props)
	// AWS Config checks the role, bucket policy and key when the channel changes.
	tp.DependsOn("Custom::ConfigRecorderAdoption", nil, roleID, policyID, cdktest.LogicalID(stack, bucket.Bucket.Policy()))
	tp.DependsOn("AWS::Config::ConfigRule", nil, adoptionID)

	// The adopted recorder keeps recording with the role after the stack goes.
	for _, id := range []string{roleID, policyID} {
		assert.Equal(t, "Retain", tp.Resource(id)["DeletionPolicy"], id)
	}

	// The handler's own role: exactly its calls, and passing only the recorder role to AWS Config.
	handlerRole := cdktest.LogicalID(stack, calls.Scope.Node().FindChild(ptr("ConfigAdoptionRole")))
	tp.Has("AWS::Lambda::Function", m{"Handler": "config-adopt.handler", "Role": m{"Fn::GetAtt": a{handlerRole, "Arn"}}})
	statements := roleStatements(tp, handlerRole)
	assert.Equal(t, []string{
		"config:DescribeConfigurationRecorders", "config:DescribeDeliveryChannels", "config:PutConfigurationRecorder", "config:PutDeliveryChannel",
		"config:StartConfigurationRecorder", "iam:PassRole", "logs:CreateLogStream", "logs:PutLogEvents",
	}, actions(statements))
	pass := statementWith(t, statements, "iam:PassRole")
	assert.Equal(t, m{"Fn::GetAtt": a{roleID, "Arn"}}, pass["Resource"])
	assert.Equal(t, m{"StringEquals": m{"iam:PassedToService": "config.amazonaws.com"}}, pass["Condition"])

	// The zero value creates, and retains nothing beyond what it always did.
	stack2, c2, _ := newConfigRecorder(t, ConfigRecorderProps{})
	tp2 := cdktest.Synth(t, stack2)
	assert.Nil(t, c2.Adoption)
	tp2.Count("Custom::ConfigRecorderAdoption", 0)
	assert.Nil(t, tp2.Resource(cdktest.LogicalID(stack2, c2.Scope.Node().FindChild(ptr("Role"))))["DeletionPolicy"])
}

// An exclusion list reaches the handler in the shape the API takes.
func TestConfigRecorderAdoptExclusions(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	c := NewConfigRecorder(stack, "Config", &ConfigRecorderProps{
		Bucket: secureBucket(stack, "ConfigBucket"), Key: cdktest.ImportedKey(stack), SkipGlobalResources: true,
		ExcludedResourceTypes: []string{"AWS::EC2::NetworkInterface"}, AdoptExisting: true, Calls: calltest.NewProvider(stack),
	})
	props := cdktest.Synth(t, stack).Resource(cdktest.LogicalID(stack, c.Adoption))["Properties"].(m)
	assert.Equal(t, m{
		"allSupported":             false,
		"recordingStrategy":        m{"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"},
		"exclusionByResourceTypes": m{"resourceTypes": a{"AWS::EC2::NetworkInterface", "AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::User"}},
	}, props["RecordingGroup"])
	assert.Equal(t, "CONTINUOUS", props["RecordingFrequency"])
	assert.Equal(t, "TwentyFour_Hours", props["DeliveryFrequency"])

	cdktest.PanicsWith(t, `detection.NewConfigRecorder "Other": Calls is required with AdoptExisting`, func() {
		NewConfigRecorder(stack, "Other", &ConfigRecorderProps{Bucket: secureBucket(stack, "OtherBucket"), Key: cdktest.ImportedKey(stack), AdoptExisting: true})
	})
}

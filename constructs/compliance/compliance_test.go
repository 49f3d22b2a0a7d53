package compliance

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

// TestMain closes the jsii runtime (one Node.js process for the package) once.
func TestMain(m *testing.M) { cdktest.Main(m) }

type (
	m = cdktest.M
	a = cdktest.A
)

var imports int

// evidenceRetained fails unless every resource of typ is retained and marked as evidence.
func evidenceRetained(t *testing.T, tp *cdktest.Template, typ string, n int) {
	t.Helper()
	rs := tp.Resources(typ)
	assert.Len(t, rs, n, typ)
	for id, r := range rs {
		assert.Equal(t, "Retain", r["DeletionPolicy"], id)
		assert.Equal(t, "Retain", r["UpdateReplacePolicy"], id)
		md, _ := r["Metadata"].(m)
		assert.Equal(t, true, md[EvidenceMetadata], "%s is marked as evidence", id)
	}
}

// accessLogs is an access-log target evidence bucket.
func accessLogs(stack awscdk.Stack) awss3.IBucket {
	imports++
	return NewEvidenceBucket(stack, fmt.Sprintf("AccessLogs%d", imports), &dataprotection.SecureBucketProps{AccessLogTarget: true}).Bucket
}

func TestTrail(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewTrail(stack, "Trail", &TrailProps{Name: "mamori-trail", EncryptionKey: cdktest.ImportedKey(stack), AccessLogs: accessLogs(stack), Retention: 90 * day})
	tp := cdktest.Synth(t, stack)

	tp.Has("AWS::CloudTrail::Trail", m{
		"TrailName":                  "mamori-trail",
		"IsLogging":                  true,
		"IsMultiRegionTrail":         true,
		"IncludeGlobalServiceEvents": true,
		"EnableLogFileValidation":    true,
		"KMSKeyId":                   cdktest.KeyArn,
		"CloudWatchLogsLogGroupArn":  assertions.Match_AnyValue(),
		"CloudWatchLogsRoleArn":      assertions.Match_AnyValue(),
		"EventSelectors": assertions.Match_Exact(a{m{
			"IncludeManagementEvents": true, "ReadWriteType": "All",
		}}),
	})
	// Every log file is locked for the whole time it is kept, then expires.
	tp.Has("AWS::S3::Bucket", m{
		"ObjectLockEnabled":       true,
		"ObjectLockConfiguration": m{"ObjectLockEnabled": "Enabled", "Rule": m{"DefaultRetention": m{"Mode": "GOVERNANCE", "Days": 90}}},
		"VersioningConfiguration": m{"Status": "Enabled"},
		"LoggingConfiguration":    assertions.Match_ObjectLike(&map[string]interface{}{"DestinationBucketName": assertions.Match_AnyValue()}),
		"LifecycleConfiguration": m{"Rules": assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{
			"ExpirationInDays": 90, "NoncurrentVersionExpiration": m{"NoncurrentDays": 90},
		})))},
		"BucketEncryption": m{"ServerSideEncryptionConfiguration": a{m{
			"BucketKeyEnabled": true, "ServerSideEncryptionByDefault": m{"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": cdktest.KeyArn},
		}}},
	})
	evidenceRetained(t, tp, "AWS::S3::Bucket", 2)
	evidenceRetained(t, tp, "AWS::Logs::LogGroup", 1)
	tp.Has("AWS::Logs::LogGroup", m{"KmsKeyId": cdktest.KeyArn, "RetentionInDays": 365})

	// Only this trail of this account may deliver.
	trailArn := "arn:aws:cloudtrail:eu-west-1:111111111111:trail/mamori-trail"
	tp.Has("AWS::S3::BucketPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		cdktest.Like(m{
			"Action": "s3:GetBucketAcl", "Principal": m{"Service": "cloudtrail.amazonaws.com"},
			"Condition": m{"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}}, "ArnLike": m{"aws:SourceArn": a{trailArn}}},
		}),
		cdktest.Like(m{
			"Action": "s3:PutObject", "Principal": m{"Service": "cloudtrail.amazonaws.com"},
			"Resource": m{"Fn::Join": a{"", a{assertions.Match_AnyValue(), "/AWSLogs/111111111111/*"}}},
			"Condition": m{
				"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}, "s3:x-amz-acl": "bucket-owner-full-control"},
				"ArnLike":      m{"aws:SourceArn": a{trailArn}},
			},
		}),
	))}})
	// CloudTrail writes to its log group and nothing else.
	tp.Has("AWS::IAM::Role", m{"AssumeRolePolicyDocument": m{"Statement": a{cdktest.Like(m{"Principal": m{"Service": "cloudtrail.amazonaws.com"}})}}})
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_Exact(a{m{
		"Sid": "DeliverToTrailLogGroup", "Effect": "Allow",
		"Action":   a{"logs:CreateLogStream", "logs:PutLogEvents"},
		"Resource": assertions.Match_AnyValue(),
	}})}})
}

func TestTrailComplianceModeAndDataEvents(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewTrail(stack, "Trail", &TrailProps{
		Name: "the-trail", EncryptionKey: cdktest.ImportedKey(stack), AccessLogs: accessLogs(stack), Retention: 2557 * day, TransitionToGlacier: 365 * day,
		ObjectLockCompliance: true, S3DataEvents: true, LambdaDataEvents: true,
	})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::S3::Bucket", m{"ObjectLockConfiguration": m{"ObjectLockEnabled": "Enabled", "Rule": m{"DefaultRetention": m{"Mode": "COMPLIANCE", "Days": 2557}}}})
	tp.Has("AWS::Logs::LogGroup", m{"RetentionInDays": 2557})
	tp.Has("AWS::CloudTrail::Trail", m{"EventSelectors": a{m{
		"IncludeManagementEvents": true, "ReadWriteType": "All",
		"DataResources": a{
			m{"Type": "AWS::S3::Object", "Values": a{"arn:aws:s3"}},
			m{"Type": "AWS::Lambda::Function", "Values": a{"arn:aws:lambda"}},
		},
	}}})
}

func TestTrailPanics(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	cdktest.PanicsWith(t, "EncryptionKey and AccessLogs are required", func() {
		NewTrail(stack, "NoName", &TrailProps{EncryptionKey: cdktest.ImportedKey(stack), AccessLogs: accessLogs(stack)})
	})
	cdktest.PanicsWith(t, "EncryptionKey and AccessLogs are required", func() {
		NewTrail(stack, "Dashes", &TrailProps{Name: "a--trail", EncryptionKey: cdktest.ImportedKey(stack), AccessLogs: accessLogs(stack)})
	})
	cdktest.PanicsWith(t, "EncryptionKey and AccessLogs are required", func() {
		NewTrail(stack, "NoLogs", &TrailProps{Name: "the-trail", EncryptionKey: cdktest.ImportedKey(stack)})
	})
	cdktest.PanicsWith(t, "whole days", func() {
		NewTrail(stack, "Hours", &TrailProps{Name: "the-trail", EncryptionKey: cdktest.ImportedKey(stack), AccessLogs: accessLogs(stack), Retention: 36 * time.Hour})
	})
}

// TestCloudTrailKeyAccess: CloudTrail may encrypt log files of this trail
// only, as CloudTrail documents the key policy.
func TestCloudTrailKeyAccess(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	dataprotection.NewKey(stack, "Key", &dataprotection.KeyProps{Alias: "alias/test/logs", Services: CloudTrailKeyAccess(stack, "mamori-trail")})
	tp := cdktest.Synth(t, stack)
	trailArn := "arn:aws:cloudtrail:eu-west-1:111111111111:trail/mamori-trail"
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		m{
			"Sid": "AllowCloudtrailServiceEncrypt", "Effect": "Allow", "Principal": m{"Service": "cloudtrail.amazonaws.com"},
			"Action": "kms:GenerateDataKey*", "Resource": "*",
			"Condition": m{
				"ArnLike":      m{"aws:SourceArn": a{trailArn}},
				"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}},
				"StringLike":   m{"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*"},
			},
		},
		m{
			"Sid": "AllowCloudtrailServiceDescribe", "Effect": "Allow", "Principal": m{"Service": "cloudtrail.amazonaws.com"},
			"Action": "kms:DescribeKey", "Resource": "*",
			"Condition": m{"ArnLike": m{"aws:SourceArn": a{trailArn}}, "StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}}},
		},
	))}})
}

// issueMetrics are the monitoring recommendations the compliance layer must
// cover, as the CIS AWS Foundations Benchmark lists them.
var issueMetrics = []string{
	"RootUsage", "UnauthorizedApiCalls", "ConsoleSignInWithoutMfa", "IamPolicyChanges", "CloudTrailChanges",
	"ConfigChanges", "KmsKeyDisabledOrDeleted", "S3BucketPolicyChanges", "SecurityGroupChanges", "NetworkAclChanges",
	"NetworkGatewayChanges", "RouteTableChanges", "VpcChanges", "OrganizationsChanges",
}

// TestCISMetricPatterns: every listed filter is present and its pattern is
// valid JSON filter-pattern syntax, comparing CloudTrail record fields.
func TestCISMetricPatterns(t *testing.T) {
	var ids []string
	cloudTrailFields := []string{"eventName", "eventSource", "eventType", "errorCode", "errorMessage", "userIdentity", "additionalEventData", "responseElements"}
	for _, metric := range CISMetrics() {
		ids = append(ids, metric.ID)
		selectors, err := parseFilterPattern(metric.Pattern)
		if err != nil {
			t.Errorf("%s: %v", metric.ID, err)
			continue
		}
		for _, s := range selectors {
			field := strings.SplitN(strings.TrimPrefix(s, "$."), ".", 2)[0]
			assert.Contains(t, cloudTrailFields, field, "%s compares %s, not a CloudTrail record field", metric.ID, s)
		}
		assert.NotEmpty(t, metric.Description, metric.ID)
	}
	for _, want := range issueMetrics {
		assert.Contains(t, ids, want)
	}
	assert.Len(t, ids, len(slices.Compact(slices.Sorted(slices.Values(ids)))), "IDs are unique")
	// The root-usage filter is the one AWS documents for CloudWatch.1.
	for _, metric := range CISMetrics() {
		if metric.ID == "RootUsage" {
			assert.Equal(t, `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`, metric.Pattern)
		}
	}
}

// TestFilterPatternParser: the parser rejects what CloudWatch Logs rejects,
// so a broken pattern fails TestCISMetricPatterns.
func TestFilterPatternParser(t *testing.T) {
	for _, ok := range []string{
		`{ $.a = "x" }`, `{($.a=x)||($.b=y)}`, `{ ($.a = x) && (($.b = y) || ($.c != "z z")) }`, `{ $.a NOT EXISTS }`, `{ $.a.b-c IS NULL }`,
	} {
		_, err := parseFilterPattern(ok)
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{
		`$.a = x`, `{ $.a = x`, `{ ($.a = x }`, `{ $.a == x }`, `{ $. = x }`, `{ $.a = "x }`, `{ $.a = x } y`,
		`{ $.a = x && }`, `{ a = x }`, `{ $.a NOT x }`, `{ $.a }`,
	} {
		_, err := parseFilterPattern(bad)
		assert.Error(t, err, bad)
	}
}

func TestCISAlarms(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	trail := NewTrail(stack, "Trail", &TrailProps{Name: "the-trail", EncryptionKey: cdktest.ImportedKey(stack), AccessLogs: accessLogs(stack)})
	topic := awssns.Topic_FromTopicArn(stack, jsii.String("Topic"), jsii.String("arn:aws:sns:eu-west-1:111111111111:alerts"))
	NewCISAlarms(stack, "CIS", &CISAlarmsProps{LogGroup: trail.LogGroup, Topic: topic})
	tp := cdktest.Synth(t, stack)
	n := len(CISMetrics())
	tp.Count("AWS::Logs::MetricFilter", n)
	tp.Count("AWS::CloudWatch::Alarm", n)
	for _, metric := range CISMetrics() {
		tp.Has("AWS::Logs::MetricFilter", m{
			"FilterPattern":         metric.Pattern,
			"MetricTransformations": a{m{"MetricNamespace": "mamori/CISBenchmark", "MetricName": metric.ID, "MetricValue": "1"}},
		})
		tp.Has("AWS::CloudWatch::Alarm", m{
			"MetricName": metric.ID, "Namespace": "mamori/CISBenchmark", "Statistic": "Sum", "Period": 300,
			"Threshold": 1, "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
			"TreatMissingData": "notBreaching", "AlarmActions": a{"arn:aws:sns:eu-west-1:111111111111:alerts"},
		})
	}
	cdktest.PanicsWith(t, "LogGroup and Topic are required", func() { NewCISAlarms(stack, "X", &CISAlarmsProps{Topic: topic}) })
}

func TestCloudWatchTopicAccess(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	key := dataprotection.NewKey(stack, "Key", &dataprotection.KeyProps{Alias: "alias/test/findings", Services: []dataprotection.ServiceAccess{CloudWatchKeyAccess(stack)}})
	topic := dataprotection.NewSecureTopic(stack, "Topic", &dataprotection.SecureTopicProps{EncryptionKey: key.Key})
	AllowCloudWatchAlarms(topic.Topic)
	tp := cdktest.Synth(t, stack)
	alarms := "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*"
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
		"Sid": "AllowCloudwatchService", "Effect": "Allow", "Principal": m{"Service": "cloudwatch.amazonaws.com"},
		"Action": a{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*",
		"Condition": m{"ArnLike": m{"aws:SourceArn": a{alarms}}, "StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}}},
	}))}})
	tp.Has("AWS::SNS::TopicPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{
		"Sid": "AllowCloudWatchAlarms", "Action": "sns:Publish", "Principal": m{"Service": "cloudwatch.amazonaws.com"},
		"Condition": m{"ArnLike": m{"aws:SourceArn": alarms}, "StringEquals": m{"aws:SourceAccount": "111111111111"}},
	})))}})
}

// TestRules: every framework has its own list, each rule once, every
// identifier an AWS managed rule name.
func TestRules(t *testing.T) {
	for _, f := range Frameworks() {
		rules := Rules(f)
		assert.GreaterOrEqual(t, len(rules), 10, f)
		var ids []string
		for _, r := range rules {
			ids = append(ids, r.Identifier)
			assert.Regexp(t, `^[A-Z0-9_]+$`, r.Identifier)
		}
		assert.Len(t, slices.Compact(slices.Sorted(slices.Values(ids))), len(ids), "%s lists a rule twice", f)
		assert.Contains(t, ids, "IAM_PASSWORD_POLICY", f)
		assert.Contains(t, ids, "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", f)
		assert.NotEmpty(t, f.AuditManagerName(), f)
	}
	assert.Nil(t, Rules("soc2"))
}

func TestConformancePackInline(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	rules := append(Rules(CIS), ManagedRule{Identifier: "X_Y", Parameters: map[string]string{"a": "true"}})
	pack := NewConformancePack(stack, "CIS", &ConformancePackProps{Name: "mamori-cis", Rules: rules})
	tp := cdktest.Synth(t, stack)
	packs := tp.Resources("AWS::Config::ConformancePack")
	assert.Len(t, packs, 1)
	for _, p := range packs {
		props := p["Properties"].(m)
		assert.Equal(t, "mamori-cis", props["ConformancePackName"])
		assert.Nil(t, props["TemplateS3Uri"])
		var template struct {
			Resources map[string]struct {
				Type       string
				Properties struct {
					Source          map[string]string
					InputParameters map[string]string
				}
			}
		}
		if err := json.Unmarshal([]byte(props["TemplateBody"].(string)), &template); err != nil {
			t.Fatal(err)
		}
		assert.Len(t, template.Resources, len(rules))
		for _, r := range rules {
			res := template.Resources[logicalID(r.Identifier)]
			assert.Equal(t, "AWS::Config::ConfigRule", res.Type)
			assert.Equal(t, map[string]string{"Owner": "AWS", "SourceIdentifier": r.Identifier}, res.Properties.Source)
			if len(r.Parameters) > 0 {
				assert.Equal(t, r.Parameters, res.Properties.InputParameters, r.Identifier)
			}
		}
	}
	assert.Less(t, len(pack.Template), MaxTemplateBody)
	tp.Count("AWS::CDK::Metadata", 0)
}

// TestConformancePackThroughS3: a template over CloudFormation's inline limit
// is uploaded as an asset and referenced by its s3:// URI.
func TestConformancePackThroughS3(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	var rules []ManagedRule
	for i := range 400 {
		rules = append(rules, ManagedRule{Identifier: fmt.Sprintf("RULE_%d", i), Parameters: map[string]string{"p": strings.Repeat("v", 100)}})
	}
	pack := NewConformancePack(stack, "Big", &ConformancePackProps{Name: "big", Rules: rules})
	assert.Greater(t, len(pack.Template), MaxTemplateBody)
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::Config::ConformancePack", m{
		"ConformancePackName": "big",
		"TemplateBody":        assertions.Match_Absent(),
		"TemplateS3Uri":       assertions.Match_StringLikeRegexp(jsii.String(`^s3://cdk-[a-z0-9]+-assets-111111111111-eu-west-1/[0-9a-f]{64}\.json$`)),
	})
}

func TestConformancePackPanics(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	cdktest.PanicsWith(t, "a Name", func() { NewConformancePack(stack, "A", &ConformancePackProps{Name: "1x", Rules: Rules(CIS)}) })
	cdktest.PanicsWith(t, "at least one rule", func() { NewConformancePack(stack, "B", &ConformancePackProps{Name: "x"}) })
	cdktest.PanicsWith(t, "listed twice", func() {
		NewConformancePack(stack, "C", &ConformancePackProps{Name: "x", Rules: []ManagedRule{{Identifier: "A"}, {Identifier: "A"}}})
	})
}

func callID(t *testing.T, tp *cdktest.Template, action string) string {
	t.Helper()
	for id := range tp.Resources("Custom::AWS") {
		if c := tp.SdkCall(id, "Create"); c["action"] == action {
			return id
		}
	}
	t.Fatalf("no %s call", action)
	return ""
}

func TestPasswordPolicy(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	pp := NewPasswordPolicy(stack, "Passwords", &PasswordPolicyProps{Calls: calltest.NewProvider(stack), MaxAgeDays: 90})
	tp := cdktest.Synth(t, stack)
	id := callID(t, tp, "UpdateAccountPasswordPolicy")
	assert.Equal(t, m{
		"service": "IAM", "action": "UpdateAccountPasswordPolicy",
		"parameters": m{
			"MinimumPasswordLength": float64(14), "PasswordReusePrevention": float64(24), "MaxPasswordAge": float64(90),
			"RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "RequireNumbers": true, "RequireSymbols": true,
			"AllowUsersToChangePassword": true, "HardExpiry": false,
		},
		"physicalResourceId": m{"id": "account-password-policy"},
		"outputPaths":        a{},
	}, tp.SdkCall(id, "Create"))
	assert.Nil(t, tp.SdkCall(id, "Delete"), "a stack delete never weakens the password policy")
	assert.Equal(t, map[string]string{
		"MinimumPasswordLength": "14", "PasswordReusePrevention": "24", "MaxPasswordAge": "90",
		"RequireUppercaseCharacters": "true", "RequireLowercaseCharacters": "true", "RequireNumbers": "true", "RequireSymbols": "true",
	}, pp.ConfigRuleParameters())

	stack = cdktest.NewStack(t, cdktest.Env)
	pp = NewPasswordPolicy(stack, "Passwords", &PasswordPolicyProps{Calls: calltest.NewProvider(stack), MinimumLength: 20, NoSymbols: true})
	assert.NotContains(t, pp.Parameters, "MaxPasswordAge", "no expiry")
	assert.Equal(t, false, pp.Parameters["RequireSymbols"])
	assert.Equal(t, 20, pp.Parameters["MinimumPasswordLength"])
	cdktest.PanicsWith(t, "out of range", func() {
		NewPasswordPolicy(stack, "Bad", &PasswordPolicyProps{Calls: calltest.NewProvider(stack), MinimumLength: 5})
	})
	cdktest.PanicsWith(t, "Calls is required", func() { NewPasswordPolicy(stack, "NoCalls", nil) })
}

func TestAuditorRole(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	bucket := awss3.Bucket_FromBucketName(stack, jsii.String("Evidence"), jsii.String("evidence"))
	NewAuditorRole(stack, "Auditor", &AuditorRoleProps{
		Principals:      []string{"arn:aws:iam::222222222222:root", "arn:aws:iam::111111111111:user/auditor"},
		EvidenceBuckets: []awss3.IBucket{bucket}, EvidenceKey: cdktest.ImportedKey(stack),
	})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::IAM::Role", m{
		"AssumeRolePolicyDocument": m{"Statement": a{m{
			"Action": "sts:AssumeRole", "Effect": "Allow",
			"Principal": m{"AWS": a{"arn:aws:iam::111111111111:user/auditor", "arn:aws:iam::222222222222:root"}},
			"Condition": m{"Bool": m{"aws:MultiFactorAuthPresent": "true"}},
		}}},
		"MaxSessionDuration": 3600,
		"ManagedPolicyArns":  assertions.Match_ArrayWith(cdktest.Arr(m{"Fn::Join": a{"", a{"arn:", m{"Ref": "AWS::Partition"}, ":iam::aws:policy/AWSSecurityHubReadOnlyAccess"}}})),
	})
	// Read-only: every action allowed reads, lists, describes, looks up or
	// validates, and the one Get action that writes is denied.
	denied := false
	for _, p := range tp.Resources("AWS::IAM::ManagedPolicy") {
		for _, s := range p["Properties"].(m)["PolicyDocument"].(m)["Statement"].(a) {
			if s.(m)["Effect"] == "Deny" {
				denied = denied || s.(m)["Action"] == "auditmanager:GetEvidenceFileUploadUrl"
				continue
			}
			actions := s.(m)["Action"]
			list, ok := actions.(a)
			if !ok {
				list = a{actions}
			}
			for _, act := range list {
				name := strings.SplitN(act.(string), ":", 2)[1]
				assert.Regexp(t, `^(Get|List|Describe|LookupEvents|ValidateAssessmentReportIntegrity|Decrypt)`, name)
			}
		}
	}
	assert.True(t, denied, "the auditor may not upload evidence (auditmanager:GetEvidenceFileUploadUrl)")
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		cdktest.Like(m{"Sid": "ReadArtifact", "Action": assertions.Match_ArrayWith(cdktest.Arr("artifact:GetReport", "artifact:GetTermForReport", "artifact:ListCustomerAgreements"))}),
		cdktest.Like(m{"Sid": "DecryptEvidenceThroughS3", "Action": "kms:Decrypt", "Resource": cdktest.KeyArn,
			"Condition": m{"StringEquals": m{"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}}),
	))}})
	for _, act := range ArtifactReadActions {
		assert.NotContains(t, []string{"artifact:AcceptAgreement", "artifact:TerminateAgreement", "artifact:PutAccountSettings"}, act)
	}
	cdktest.PanicsWith(t, "at least one principal", func() { NewAuditorRole(stack, "None", nil) })
	cdktest.PanicsWith(t, "EvidenceKey is required", func() {
		NewAuditorRole(stack, "NoKey", &AuditorRoleProps{Principals: []string{"arn:aws:iam::222222222222:root"}, EvidenceBuckets: []awss3.IBucket{bucket}})
	})
}

func TestAuditManager(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	key := cdktest.ImportedKey(stack)
	logs := awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("logs"))
	reports := dataprotection.NewSecureBucket(stack, "Reports", &dataprotection.SecureBucketProps{EncryptionKey: key, AccessLogs: logs, ObjectLockDays: 30})
	awscdk.Annotations_Of(reports.Bucket).AcknowledgeWarning(jsii.String("@aws-cdk/aws-s3:accessLogsPolicyNotAdded"), jsii.String("imported"))
	NewAuditManager(stack, "AuditManager", &AuditManagerProps{
		Calls: calltest.NewProvider(stack), Key: key, Reports: reports,
		ProcessOwners: []string{"arn:aws:iam::111111111111:role/Owners"},
		Frameworks:    []Framework{FSBP, PCIDSS},
	})
	tp := cdktest.Synth(t, stack)

	register := callID(t, tp, "RegisterAccount")
	call := tp.SdkCall(register, "Create")
	assert.Equal(t, "AuditManager", call["service"])
	assert.Equal(t, m{"kmsKey": cdktest.KeyArn}, call["parameters"], "standalone: no delegatedAdminAccount")
	assert.Nil(t, tp.SdkCall(register, "Delete"), "never deregister: that deletes the evidence")

	settings := callID(t, tp, "UpdateSettings")
	params := tp.SdkCall(settings, "Create")["parameters"].(m)
	assert.Equal(t, cdktest.KeyArn, params["kmsKey"])
	assert.Equal(t, m{"destinationType": "S3", "destination": "s3://<token>"}, params["defaultAssessmentReportsDestination"])
	assert.Equal(t, a{m{"roleType": "PROCESS_OWNER", "roleArn": "arn:aws:iam::111111111111:role/Owners"}}, params["defaultProcessOwners"])
	assert.Nil(t, tp.SdkCall(settings, "Delete"))

	tp.Has("Custom::AuditManagerFrameworkIds", m{"Frameworks": m{
		"AwsFoundationalSecurityBestPractices": "AWS Foundational Security Best Practices",
		"PciDss":                               "Payment Card Industry Data Security Standard (PCI DSS) v4.0",
	}})
	evidenceRetained(t, tp, "AWS::AuditManager::Assessment", 2)
	lookup := ""
	for id := range tp.Resources("Custom::AuditManagerFrameworkIds") {
		lookup = id
	}
	tp.Has("AWS::AuditManager::Assessment", m{
		"Name":                         "mamori-pci-dss",
		"FrameworkId":                  m{"Fn::GetAtt": a{lookup, "PciDss"}},
		"AwsAccount":                   m{"Id": "111111111111"},
		"Scope":                        m{"AwsAccounts": a{m{"Id": "111111111111"}}},
		"Roles":                        a{m{"RoleType": "PROCESS_OWNER", "RoleArn": "arn:aws:iam::111111111111:role/Owners"}},
		"AssessmentReportsDestination": m{"DestinationType": "S3", "Destination": assertions.Match_AnyValue()},
	})
	tp.DependsOn("AWS::AuditManager::Assessment", m{"Properties": cdktest.Like(m{"Name": "mamori-pci-dss"})}, settings)

	// A pinned framework ID needs no lookup; with every ID pinned there is none.
	pinned := cdktest.NewStack(t, cdktest.Env)
	pinnedKey := cdktest.ImportedKey(pinned)
	pinnedReports := dataprotection.NewSecureBucket(pinned, "Reports", &dataprotection.SecureBucketProps{
		EncryptionKey: pinnedKey, AccessLogs: awss3.Bucket_FromBucketName(pinned, jsii.String("Logs"), jsii.String("logs")), ObjectLockDays: 30})
	awscdk.Annotations_Of(pinnedReports.Bucket).AcknowledgeWarning(jsii.String("@aws-cdk/aws-s3:accessLogsPolicyNotAdded"), jsii.String("imported"))
	NewAuditManager(pinned, "AuditManager", &AuditManagerProps{
		Calls: calltest.NewProvider(pinned), Key: pinnedKey, Reports: pinnedReports,
		ProcessOwners: []string{"arn:aws:iam::111111111111:role/Owners"},
		Frameworks:    []Framework{PCIDSS}, FrameworkIDs: map[Framework]string{PCIDSS: "01234567-89ab-cdef-0123-456789abcdef"},
	})
	tpPinned := cdktest.Synth(t, pinned)
	tpPinned.Count("Custom::AuditManagerFrameworkIds", 0)
	tpPinned.Has("AWS::AuditManager::Assessment", m{"FrameworkId": "01234567-89ab-cdef-0123-456789abcdef"})

	cdktest.PanicsWith(t, "process owner", func() {
		NewAuditManager(stack, "NoOwners", &AuditManagerProps{Calls: calltest.NewProvider(stack), Key: key, Reports: reports, Frameworks: []Framework{CIS}})
	})
}

// TestOrganizationTrail: an organization trail may also deliver member
// accounts' files under the organization's prefix, from this trail only.
func TestOrganizationTrail(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewTrail(stack, "Trail", &TrailProps{Name: "org-trail", EncryptionKey: cdktest.ImportedKey(stack), AccessLogs: accessLogs(stack), OrganizationID: "o-abcdefghij"})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::CloudTrail::Trail", m{"IsOrganizationTrail": true})
	tp.Has("AWS::S3::BucketPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{
		"Sid": "CloudtrailServiceOrganizationDelivery", "Action": "s3:PutObject",
		"Resource":  m{"Fn::Join": a{"", a{assertions.Match_AnyValue(), "/AWSLogs/o-abcdefghij/*"}}},
		"Condition": cdktest.Like(m{"ArnLike": m{"aws:SourceArn": a{"arn:aws:cloudtrail:eu-west-1:111111111111:trail/org-trail"}}}),
	})))}})
	cdktest.PanicsWith(t, "must be an organization ID", func() {
		NewTrail(stack, "Bad", &TrailProps{Name: "org-trail", EncryptionKey: cdktest.ImportedKey(stack), AccessLogs: accessLogs(stack), OrganizationID: "r-abcd"})
	})
	// A trail of this account alone says nothing about organizations.
	stack = cdktest.NewStack(t, cdktest.Env)
	NewTrail(stack, "Trail", &TrailProps{Name: "the-trail", EncryptionKey: cdktest.ImportedKey(stack), AccessLogs: accessLogs(stack)})
	cdktest.Synth(t, stack).Has("AWS::CloudTrail::Trail", m{"IsOrganizationTrail": assertions.Match_Absent()})
}

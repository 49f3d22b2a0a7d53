package dataprotection

import (
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

func TestKeyDefaults(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	k := NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/test"})
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::KMS::Key", 1)
	tp.Has("AWS::KMS::Key", m{
		"EnableKeyRotation":    true,
		"RotationPeriodInDays": 365,
		"PendingWindowInDays":  30,
		"Description":          assertions.Match_Absent(),
		// Symmetric encryption: the only spec every AWS service accepts.
		"KeySpec":  assertions.Match_Absent(),
		"KeyUsage": assertions.Match_Absent(),
	})
	tp.HasResource("AWS::KMS::Key", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	tp.Has("AWS::KMS::Alias", m{
		"AliasName":   "alias/mamori/test",
		"TargetKeyId": m{"Fn::GetAtt": a{cdktest.LogicalID(stack, k.Key), "Arn"}},
	})
}

func TestKeyDeniesGrantsExceptForAwsServices(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/test"})
	cdktest.Synth(t, stack).Has("AWS::KMS::Key", m{
		"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
			"Sid":       "DenyGrantsExceptForAwsServices",
			"Effect":    "Deny",
			"Principal": m{"AWS": "*"},
			"Action":    "kms:CreateGrant",
			"Resource":  "*",
			"Condition": assertions.Match_Exact(m{"BoolIfExists": m{
				"kms:GrantIsForAWSResource": "false",
				"aws:PrincipalIsAWSService": "false",
			}}),
		}))},
	})
}

func TestKeyPeriodsAndDescription(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewKey(stack, "Key", &KeyProps{
		Alias:          "alias/mamori/test",
		Description:    "Encrypts test data",
		RotationPeriod: 90 * day,
		PendingWindow:  7 * day,
	})
	cdktest.Synth(t, stack).Has("AWS::KMS::Key", m{
		"EnableKeyRotation":    true,
		"RotationPeriodInDays": 90,
		"PendingWindowInDays":  7,
		"Description":          "Encrypts test data",
	})

	stack = cdktest.NewStack(t, cdktest.Env)
	NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/test", RotationPeriod: 2560 * day, PendingWindow: 30 * day})
	cdktest.Synth(t, stack).Has("AWS::KMS::Key", m{"RotationPeriodInDays": 2560, "PendingWindowInDays": 30})
}

func TestKeyDestroyOnDelete(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/test", DestroyOnDelete: true})
	cdktest.Synth(t, stack).HasResource("AWS::KMS::Key", m{"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"})
}

func TestKeyGrantService(t *testing.T) {
	accountOnly := m{"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}}}
	tests := []struct {
		name      string
		access    ServiceAccess
		sid       string
		condition m
	}{{
		name:      "account",
		access:    ServiceAccess{Service: "config.amazonaws.com", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}},
		sid:       "AllowConfigService",
		condition: accountOnly,
	}, {
		name: "source ARNs",
		access: ServiceAccess{Service: "guardduty.amazonaws.com", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"},
			SourceArns: []string{"arn:aws:guardduty:eu-west-1:111111111111:detector/*"}},
		sid: "AllowGuarddutyService",
		condition: m{
			"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}},
			"ArnLike":      m{"aws:SourceArn": a{"arn:aws:guardduty:eu-west-1:111111111111:detector/*"}},
		},
	}, {
		// CloudWatch Logs sends no aws:SourceAccount; the encryption context
		// names the log group instead.
		name: "log groups",
		access: ServiceAccess{Service: "logs.eu-west-1.amazonaws.com", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"},
			LogGroupArns: []string{"arn:aws:logs:eu-west-1:111111111111:log-group:/mamori/*"}},
		sid:       "AllowLogsEuWest1Service",
		condition: m{"ArnLike": m{"kms:EncryptionContext:aws:logs:arn": a{"arn:aws:logs:eu-west-1:111111111111:log-group:/mamori/*"}}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
				"Sid":       tc.sid,
				"Effect":    "Allow",
				"Principal": m{"Service": tc.access.Service},
				"Action":    a{"kms:Decrypt", "kms:GenerateDataKey"},
				"Resource":  "*",
				"Condition": assertions.Match_Exact(tc.condition),
			}))}}

			// Through props ...
			stack := cdktest.NewStack(t, cdktest.Env)
			NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/test", Services: []ServiceAccess{tc.access}})
			cdktest.Synth(t, stack).Has("AWS::KMS::Key", want)

			// ... and through the method, on a key that already exists.
			stack = cdktest.NewStack(t, cdktest.Env)
			NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/test"}).GrantService(tc.access)
			cdktest.Synth(t, stack).Has("AWS::KMS::Key", want)
		})
	}
}

func TestSidName(t *testing.T) {
	for in, want := range map[string]string{
		"config.amazonaws.com":                            "ConfigService",
		"logs.eu-west-1.amazonaws.com":                    "LogsEuWest1Service",
		"delivery.logs.amazonaws.com":                     "DeliveryLogsService",
		"malware-protection-plan.guardduty.amazonaws.com": "MalwareProtectionPlanGuarddutyService",
	} {
		if got := sidName(in); got != want {
			t.Errorf("sidName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeyPanics(t *testing.T) {
	tests := []struct {
		name  string
		props *KeyProps
		want  string
	}{
		{"nil props", nil, `Alias "" must start with "alias/"`},
		{"alias without prefix", &KeyProps{Alias: "mamori/test"}, `Alias "mamori/test" must start with "alias/"`},
		{"AWS managed alias", &KeyProps{Alias: "alias/aws/s3"}, `not "alias/aws/"`},
		{"rotation too short", &KeyProps{Alias: "alias/x", RotationPeriod: 89 * day}, "RotationPeriod 2136h0m0s must be whole days from 90 to 2560"},
		{"rotation too long", &KeyProps{Alias: "alias/x", RotationPeriod: 2561 * day}, "RotationPeriod"},
		{"rotation not whole days", &KeyProps{Alias: "alias/x", RotationPeriod: 100*day + time.Hour}, "RotationPeriod"},
		{"pending window too short", &KeyProps{Alias: "alias/x", PendingWindow: 6 * day}, "PendingWindow 144h0m0s must be whole days from 7 to 30"},
		{"pending window too long", &KeyProps{Alias: "alias/x", PendingWindow: 31 * day}, "PendingWindow"},
		{"pending window not whole days", &KeyProps{Alias: "alias/x", PendingWindow: 7*day + time.Minute}, "PendingWindow"},
		{"service without actions", &KeyProps{Alias: "alias/x", Services: []ServiceAccess{{Service: "config.amazonaws.com"}}},
			`dataprotection.Key.GrantService "Key": Service and Actions are required`},
		{"actions without service", &KeyProps{Alias: "alias/x", Services: []ServiceAccess{{Actions: []string{"kms:Decrypt"}}}},
			"Service and Actions are required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cdktest.PanicsWith(t, tc.want, func() { NewKey(cdktest.NewStack(t, cdktest.Env), "Key", tc.props) })
		})
	}
	cdktest.PanicsWith(t, `dataprotection.NewKey "Key"`, func() { NewKey(cdktest.NewStack(t, cdktest.Env), "Key", nil) })
}

// TestKeyAdministratorsAndUsers: administrators manage without using, users
// use without managing, as AWS's own default key policy splits them.
func TestKeyAdministratorsAndUsers(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	admin := awsiam.NewArnPrincipal(jsii.String("arn:aws:iam::111111111111:role/KeyAdmins"))
	user := awsiam.NewArnPrincipal(jsii.String("arn:aws:iam::111111111111:role/App"))
	NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/app/x", Administrators: []awsiam.IPrincipal{admin}, Users: []awsiam.IPrincipal{user}})
	tp := cdktest.Synth(t, stack)

	statements := tp.Resources("AWS::KMS::Key")
	var policy []interface{}
	for _, r := range statements {
		policy = r["Properties"].(m)["KeyPolicy"].(m)["Statement"].([]interface{})
	}
	bySid := map[string]m{}
	for _, s := range policy {
		if sid, ok := s.(m)["Sid"].(string); ok {
			bySid[sid] = s.(m)
		}
	}
	adminActions := bySid["AllowKeyAdministration"]["Action"].([]interface{})
	assert.Equal(t, m{"AWS": "arn:aws:iam::111111111111:role/KeyAdmins"}, bySid["AllowKeyAdministration"]["Principal"])
	assert.Contains(t, adminActions, "kms:ScheduleKeyDeletion")
	for _, use := range []string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"} {
		assert.NotContains(t, adminActions, use, "administrators must not use the key")
	}
	assert.Equal(t, m{"AWS": "arn:aws:iam::111111111111:role/App"}, bySid["AllowKeyUse"]["Principal"])
	assert.Equal(t, a{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"}, bySid["AllowKeyUse"]["Action"])
	assert.Equal(t, m{"Bool": m{"kms:GrantIsForAWSResource": "true"}}, bySid["AllowGrantsForAwsResources"]["Condition"])

	// Without them, the policy names no one.
	stack = cdktest.NewStack(t, cdktest.Env)
	NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/x"})
	for _, r := range cdktest.Synth(t, stack).Resources("AWS::KMS::Key") {
		doc := r["Properties"].(m)["KeyPolicy"]
		assert.NotContains(t, jsonOf(doc), "AllowKeyAdministration")
		assert.NotContains(t, jsonOf(doc), "AllowKeyUse")
	}
}

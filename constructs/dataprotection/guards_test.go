package dataprotection

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

// newGuards synthesizes AccountGuards; withDataKey makes a data key the EBS default key.
func newGuards(t *testing.T, props AccountGuardsProps, withDataKey bool) (awscdk.Stack, *cdktest.Template) {
	t.Helper()
	stack := cdktest.NewStack(t, cdktest.Env)
	props.Calls = calltest.NewProvider(stack)
	if withDataKey {
		props.SkipEBSEncryptionByDefault = false
		props.EBSDefaultKey = NewKey(stack, "DataKey", &KeyProps{Alias: "alias/mamori/data", AllowAccountEBS: true}).Key
	}
	NewAccountGuards(stack, "Guards", &props)
	return stack, cdktest.Synth(t, stack)
}

// callsByAction maps each Custom::AWS resource's Create action to its logical ID.
func callsByAction(tp *cdktest.Template) map[string]string {
	out := map[string]string{}
	for id := range tp.Resources("Custom::AWS") {
		out[tp.SdkCall(id, "Create")["action"].(string)] = id
	}
	return out
}

func TestAccountGuardsS3(t *testing.T) {
	props := noGuards()
	props.SkipBlockS3PublicAccess = false
	_, tp := newGuards(t, props, false)
	calls := callsByAction(tp)
	assert.Len(t, calls, 1)
	create := tp.SdkCall(calls["PutPublicAccessBlock"], "Create")
	assert.Equal(t, "S3Control", create["service"])
	assert.Equal(t, m{
		"AccountId": "111111111111",
		"PublicAccessBlockConfiguration": m{
			"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true,
		},
	}, create["parameters"])
	assert.Nil(t, tp.SdkCall(calls["PutPublicAccessBlock"], "Delete"), "the account stays guarded")
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
		"Action": "s3:PutAccountPublicAccessBlock", "Effect": "Allow", "Resource": "*",
	}))}})
}

func TestAccountGuardsEBS(t *testing.T) {
	stack, tp := newGuards(t, noGuards(), true)
	calls := callsByAction(tp)
	assert.Len(t, calls, 2)
	keyCall := tp.SdkCall(calls["ModifyEbsDefaultKmsKeyId"], "Create")
	assert.Equal(t, "EC2", keyCall["service"])
	dataKey := cdktest.LogicalID(stack, stack.Node().FindChild(jsii.String("DataKey")).Node().FindChild(jsii.String("Resource")))
	assert.Equal(t, m{"KmsKeyId": "<token>"}, keyCall["parameters"])
	assert.Contains(t, jsonOf(tp.Resource(calls["ModifyEbsDefaultKmsKeyId"])["Properties"]), `{"Fn::GetAtt":["`+dataKey+`","Arn"]}`)
	assert.Equal(t, m{}, tp.SdkCall(calls["EnableEbsEncryptionByDefault"], "Create")["parameters"])
	// The key is set before encryption by default starts using a key.
	assert.Contains(t, tp.Resource(calls["EnableEbsEncryptionByDefault"])["DependsOn"], calls["ModifyEbsDefaultKmsKeyId"])
	assert.Nil(t, tp.SdkCall(calls["EnableEbsEncryptionByDefault"], "Delete"))

	// EC2 may use the key for every principal of the account, and nothing else may.
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
		"Sid":       "AllowAccountEbsThroughEc2",
		"Effect":    "Allow",
		"Principal": m{"AWS": "*"},
		"Action":    a{"kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"},
		"Resource":  "*",
		"Condition": m{"StringEquals": m{"kms:CallerAccount": "111111111111", "kms:ViaService": "ec2.eu-west-1.amazonaws.com"}},
	}))}})
}

func TestAccountGuardsRevertOnDelete(t *testing.T) {
	props := noGuards()
	props.SkipBlockS3PublicAccess, props.RevertOnDelete = false, true
	_, tp := newGuards(t, props, true)
	calls := callsByAction(tp)
	assert.Equal(t, "DeletePublicAccessBlock", tp.SdkCall(calls["PutPublicAccessBlock"], "Delete")["action"])
	assert.Equal(t, "DisableEbsEncryptionByDefault", tp.SdkCall(calls["EnableEbsEncryptionByDefault"], "Delete")["action"])
	assert.Equal(t, "ResetEbsDefaultKmsKeyId", tp.SdkCall(calls["ModifyEbsDefaultKmsKeyId"], "Delete")["action"])
}

func TestAccountGuardsNeedCalls(t *testing.T) {
	cdktest.PanicsWith(t, "Calls is required", func() {
		NewAccountGuards(cdktest.NewStack(t, cdktest.Env), "Guards", nil)
	})
}

// noGuards skips every guard a zero AccountGuardsProps applies.
func noGuards() AccountGuardsProps {
	return AccountGuardsProps{
		SkipBlockS3PublicAccess: true, SkipBlockSnapshotPublicAccess: true, SkipBlockImagePublicAccess: true,
		SkipRequireIMDSv2: true, SkipDisableSerialConsole: true, SkipBlockSSMDocumentPublicSharing: true,
		SkipEBSEncryptionByDefault: true,
	}
}

func jsonOf(v interface{}) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// policyActions maps every action the calls' policy allows to the
// statement that allows it (resources and conditions), for exact IAM checks.
func policyActions(t *testing.T, tp *cdktest.Template) map[string]m {
	t.Helper()
	out := map[string]m{}
	for _, r := range tp.Resources("AWS::IAM::ManagedPolicy") {
		for _, st := range r["Properties"].(m)["PolicyDocument"].(m)["Statement"].([]interface{}) {
			s := st.(m)
			actions, ok := s["Action"].([]interface{})
			if !ok {
				actions = []interface{}{s["Action"]}
			}
			for _, a := range actions {
				out[a.(string)] = m{"Resource": s["Resource"], "Condition": s["Condition"]}
			}
		}
	}
	return out
}

func allGuards() AccountGuardsProps {
	return AccountGuardsProps{
		SkipBlockS3PublicAccess: true, SkipEBSEncryptionByDefault: true,
		SecurityContact: &AlternateContact{Name: "Security Operations", Title: "On-call", Email: "security@example.com", Phone: "+1 206 555 0100"},
	}
}

func TestAccountGuardsBlockSharingAndHardenEC2(t *testing.T) {
	_, tp := newGuards(t, allGuards(), false)

	tp.HasResource("AWS::EC2::SnapshotBlockPublicAccess", m{
		"Properties": m{"State": "block-all-sharing"}, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
	})
	calls := callsByAction(tp)
	want := map[string]struct {
		service string
		params  m
	}{
		"EnableImageBlockPublicAccess":   {"EC2", m{"ImageBlockPublicAccessState": "block-new-sharing"}},
		"ModifyInstanceMetadataDefaults": {"EC2", m{"HttpTokens": "required", "HttpPutResponseHopLimit": float64(2)}},
		"DisableSerialConsoleAccess":     {"EC2", m{}},
		"UpdateServiceSetting":           {"SSM", m{"SettingId": "/ssm/documents/console/public-sharing-permission", "SettingValue": "Disable"}},
		"PutAlternateContact": {"Account", m{
			"AlternateContactType": "SECURITY", "Name": "Security Operations", "Title": "On-call",
			"EmailAddress": "security@example.com", "PhoneNumber": "+1 206 555 0100",
		}},
	}
	assert.Len(t, calls, len(want))
	for action, w := range want {
		create := tp.SdkCall(calls[action], "Create")
		assert.Equal(t, w.service, create["service"], action)
		assert.Equal(t, w.params, create["parameters"], action)
		assert.Nil(t, tp.SdkCall(calls[action], "Delete"), "%s: the account stays guarded", action)
	}

	// Exactly the calls' actions, each on what it acts on.
	actions := policyActions(t, tp)
	delete(actions, "logs:CreateLogStream")
	delete(actions, "logs:PutLogEvents")
	assert.Equal(t, map[string]m{
		"ec2:EnableImageBlockPublicAccess":   {"Resource": "*", "Condition": nil},
		"ec2:ModifyInstanceMetadataDefaults": {"Resource": "*", "Condition": nil},
		"ec2:DisableSerialConsoleAccess":     {"Resource": "*", "Condition": nil},
		"ssm:UpdateServiceSetting": {
			"Resource": "arn:aws:ssm:eu-west-1:111111111111:servicesetting/ssm/documents/console/public-sharing-permission", "Condition": nil,
		},
		"account:PutAlternateContact": {"Resource": "*", "Condition": m{"ForAnyValue:StringEquals": m{"account:AlternateContactTypes": "SECURITY"}}},
	}, actions)
}

func TestAccountGuardsRevertEverySetting(t *testing.T) {
	props := allGuards()
	props.RevertOnDelete = true
	props.IMDSHopLimit = 1
	_, tp := newGuards(t, props, false)

	tp.HasResource("AWS::EC2::SnapshotBlockPublicAccess", m{"DeletionPolicy": "Delete"})
	calls := callsByAction(tp)
	assert.Equal(t, float64(1), tp.SdkCall(calls["ModifyInstanceMetadataDefaults"], "Create")["parameters"].(m)["HttpPutResponseHopLimit"])
	for action, undo := range map[string]m{
		"EnableImageBlockPublicAccess":   {"action": "DisableImageBlockPublicAccess"},
		"ModifyInstanceMetadataDefaults": {"action": "ModifyInstanceMetadataDefaults", "parameters": m{"HttpTokens": "no-preference", "HttpPutResponseHopLimit": float64(-1)}},
		"UpdateServiceSetting":           {"action": "ResetServiceSetting", "parameters": m{"SettingId": "/ssm/documents/console/public-sharing-permission"}},
		"PutAlternateContact":            {"action": "DeleteAlternateContact", "parameters": m{"AlternateContactType": "SECURITY"}},
	} {
		del := tp.SdkCall(calls[action], "Delete")
		for k, v := range undo {
			assert.Equal(t, v, del[k], "%s: %s", action, k)
		}
	}
	// Serial console access is off by default: nothing to undo.
	assert.Nil(t, tp.SdkCall(calls["DisableSerialConsoleAccess"], "Delete"))
	actions := policyActions(t, tp)
	for _, action := range []string{"ec2:DisableImageBlockPublicAccess", "ssm:ResetServiceSetting", "account:DeleteAlternateContact"} {
		assert.Contains(t, actions, action)
	}
	assert.NotContains(t, actions, "ec2:EnableSerialConsoleAccess")
}

func TestAccountGuardsRejectBadProps(t *testing.T) {
	cdktest.PanicsWith(t, "IMDSHopLimit 65 must be 1 to 64", func() {
		newGuards(t, AccountGuardsProps{IMDSHopLimit: 65}, false)
	})
	cdktest.PanicsWith(t, "EBSDefaultKey with SkipEBSEncryptionByDefault", func() {
		stack := cdktest.NewStack(t, cdktest.Env)
		NewAccountGuards(stack, "Guards", &AccountGuardsProps{
			Calls:         calltest.NewProvider(stack),
			EBSDefaultKey: cdktest.ImportedKey(stack), SkipEBSEncryptionByDefault: true,
		})
	})
	cdktest.PanicsWith(t, "SecurityContact needs a name, title, email and phone", func() {
		newGuards(t, AccountGuardsProps{SecurityContact: &AlternateContact{Name: "x"}}, false)
	})
}

// Every invalid prop is reported in one panic, not only the first.
func TestAccountGuardsReportEveryProblem(t *testing.T) {
	cdktest.PanicsWith(t, `dataprotection.NewAccountGuards "Guards": Calls is required; IMDSHopLimit 65 must be 1 to 64; SecurityContact needs`, func() {
		NewAccountGuards(cdktest.NewStack(t, cdktest.Env), "Guards", &AccountGuardsProps{IMDSHopLimit: 65, SecurityContact: &AlternateContact{Name: "x"}})
	})
}

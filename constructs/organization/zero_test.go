package organization

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

// TestZeroPropsAreSecure: a member baseline built from its props' zero
// value, with only the required names filled in, records AWS Config, blocks
// S3 public access for the account and encrypts new EBS volumes.
func TestZeroPropsAreSecure(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Context: cdktest.Context(t)})
	stack := awscdk.NewStack(app, jsii.String("Member"), &awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)})
	NewMemberBaseline(stack, "Baseline", &MemberBaselineProps{
		Prefix: "zero", HomeRegion: "us-east-1", ConfigBucketName: "zero-org-config", LogArchiveAccountID: "333333333333", ConfigKeyArns: []string{"arn:aws:kms:us-east-1:333333333333:key/*"},
	})
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::Config::ConfigurationRecorder", 1)
	tp.Has("AWS::Config::ConfigurationRecorder", m{"RecordingMode": m{"RecordingFrequency": "CONTINUOUS"}})
	tp.Count("Custom::S3AccountPublicAccessBlock", 1)
	tp.Count("Custom::EbsEncryptionByDefault", 1)
}

// TestZeroManagementPropsAreSecure: trusted access and the delegated
// administrators built from their props' zero value, with only the required
// references given, cover every service mamori configures: StackSets'
// trusted access for the member baseline, and the Security Hub, GuardDuty,
// Macie and Inspector administrators.
func TestZeroManagementPropsAreSecure(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	c := calltest.NewProvider(stack)
	NewTrustedAccess(stack, "TrustedAccess", &TrustedAccessProps{Calls: c, ServicePrincipals: []string{"guardduty.amazonaws.com"}})
	NewDelegatedAdmins(stack, "Admins", &DelegatedAdminsProps{Calls: c, AdminAccountID: tooling})
	tp := cdktest.Synth(t, stack)

	actions := map[string]bool{}
	for id := range tp.Resources("Custom::AWS") {
		actions[tp.SdkCall(id, "Create")["action"].(string)] = true
	}
	assert.True(t, actions["ActivateOrganizationsAccess"], "trusted access for service-managed StackSets")
	tp.Has("AWS::SecurityHub::DelegatedAdmin", m{"AdminAccountId": tooling})
	tp.Count("Custom::DelegatedAdmin", 3)
	for _, service := range []string{"guardduty", "macie2", "inspector2"} {
		tp.Has("Custom::DelegatedAdmin", m{"Service": service, "AdminAccountId": tooling})
	}
}

// TestZeroAdministratorPropsAreSecure: the organization settings and the
// existing members built from their props' zero value, with only the
// required references given (the detector, the Security Hub policy's name
// and targets, the behavior graph), auto-enable GuardDuty with every plan,
// Macie and every Inspector scan type, switch Security Hub to central
// configuration with AWS Foundational Security Best Practices, create the
// organization's external-access analyzer and Config aggregator, and enroll
// the accounts already in the OUs in Macie, Inspector and Detective.
func TestZeroAdministratorPropsAreSecure(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	c := calltest.NewProvider(stack)
	NewOrganizationSettings(stack, "Org", &OrganizationSettingsProps{
		Calls:       c,
		GuardDuty:   &GuardDutyOrganization{DetectorID: jsii.String("detector")},
		SecurityHub: &SecurityHubCentral{PolicyName: "baseline", Targets: []string{"r-ab12"}},
	})
	NewExistingMembers(stack, "Existing", &ExistingMembersProps{
		Calls: c, AdminAccountID: tooling, TargetOUs: []string{"r-ab12"},
		DetectiveGraphArn: jsii.String("arn:aws:detective:us-east-1:222222222222:graph:0123456789abcdef"),
	})
	tp := cdktest.Synth(t, stack)

	found := map[string]m{}
	for id := range tp.Resources("Custom::AWS") {
		call := tp.SdkCall(id, "Create")
		found[call["service"].(string)] = call["parameters"].(m)
	}
	require.Contains(t, found, "GuardDuty")
	assert.Equal(t, "ALL", found["GuardDuty"]["AutoEnableOrganizationMembers"])
	for _, f := range found["GuardDuty"]["Features"].([]interface{}) {
		assert.Equal(t, "ALL", f.(m)["AutoEnable"], "every GuardDuty plan: %v", f)
	}
	assert.Equal(t, true, found["Macie2"]["autoEnable"])
	assert.Equal(t, m{"ec2": true, "ecr": true, "lambda": true, "lambdaCode": true}, found["Inspector2"]["autoEnable"])
	tp.Has("AWS::SecurityHub::OrganizationConfiguration", m{"ConfigurationType": "CENTRAL"})
	tp.Has("AWS::SecurityHub::ConfigurationPolicy", m{"ConfigurationPolicy": cdktest.Like(m{"SecurityHub": cdktest.Like(m{"ServiceEnabled": true})})})
	policy, _ := json.Marshal(tp.Resources("AWS::SecurityHub::ConfigurationPolicy"))
	assert.Contains(t, string(policy), "standards/aws-foundational-security-best-practices/v/1.0.0")
	tp.Has("AWS::AccessAnalyzer::Analyzer", m{"Type": "ORGANIZATION"})
	tp.Has("AWS::Config::ConfigurationAggregator", m{"OrganizationAggregationSource": cdktest.Like(m{"AwsRegions": cdktest.A{"eu-west-1"}})})

	tp.Count("Custom::ExistingMembers", 3)
	tp.Has("Custom::ExistingMembers", m{"Service": "macie2"})
	tp.Has("Custom::ExistingMembers", m{"Service": "detective"})
	tp.Has("Custom::ExistingMembers", m{"Service": "inspector2", "ResourceTypes": cdktest.A{"EC2", "ECR", "LAMBDA", "LAMBDA_CODE"}})
}

package organization

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/constructs/detection"
	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

// TestMain closes the jsii runtime once for the package.
func TestMain(m *testing.M) { cdktest.Main(m) }

type m = cdktest.M

const tooling = "222222222222"

func TestTrustedAccess(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewTrustedAccess(stack, "TrustedAccess", &TrustedAccessProps{
		Calls: calltest.NewProvider(stack), ServicePrincipals: []string{"guardduty.amazonaws.com", "securityhub.amazonaws.com"},
		DelegatedAdministrator: tooling, Registrations: []string{"config.amazonaws.com"},
	})
	tp := cdktest.Synth(t, stack)

	tp.Count("Custom::AWS", 4)
	ids := map[string]string{}
	for id, r := range tp.Resources("Custom::AWS") {
		call := tp.SdkCall(id, "Create")
		ids[call["action"].(string)+" "+call["service"].(string)] = id
		assert.Nil(t, r["Properties"].(m)["Delete"], "%s: nothing in the organization is undone on delete", id)
	}
	for _, want := range []string{"EnableAWSServiceAccess Organizations", "ActivateOrganizationsAccess CloudFormation", "RegisterDelegatedAdministrator Organizations"} {
		assert.Contains(t, ids, want)
	}
	reg := tp.SdkCall(ids["RegisterDelegatedAdministrator Organizations"], "Create")
	assert.Equal(t, "AccountAlreadyRegisteredException", reg["ignoreErrorCodesMatching"])
	assert.Equal(t, m{"AccountId": tooling, "ServicePrincipal": "config.amazonaws.com"}, reg["parameters"])
	assert.Equal(t, "us-east-1", reg["region"], "Organizations' endpoint")
	// Registration waits for every trusted-access call.
	deps, _ := tp.Resource(ids["RegisterDelegatedAdministrator Organizations"])["DependsOn"].(cdktest.A)
	for action, id := range ids {
		if !strings.HasPrefix(action, "Register") {
			assert.Contains(t, deps, id)
		}
	}
	// Service-linked roles only for the services involved.
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": cdktest.Like(m{"Statement": assertions.Match_ArrayWith(&[]interface{}{cdktest.Like(m{
		"Action":    "iam:CreateServiceLinkedRole",
		"Condition": m{"StringEquals": m{"iam:AWSServiceName": assertions.Match_ArrayWith(&[]interface{}{"guardduty.amazonaws.com", "securityhub.amazonaws.com"})}},
	})})})})

	cdktest.PanicsWith(t, "Registrations need a 12-digit DelegatedAdministrator", func() {
		s := cdktest.NewStack(t, cdktest.Env)
		NewTrustedAccess(s, "T", &TrustedAccessProps{Calls: calltest.NewProvider(s), ServicePrincipals: []string{"x.amazonaws.com"}, Registrations: []string{"config.amazonaws.com"}})
	})
}

func TestDelegatedAdmins(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewDelegatedAdmins(stack, "Admins", &DelegatedAdminsProps{Calls: calltest.NewProvider(stack), AdminAccountID: tooling})
	tp := cdktest.Synth(t, stack)

	tp.Has("AWS::SecurityHub::DelegatedAdmin", m{"AdminAccountId": tooling})
	tp.Count("Custom::DelegatedAdmin", 3)
	for _, service := range []string{"guardduty", "macie2", "inspector2"} {
		tp.Has("Custom::DelegatedAdmin", m{"Service": service, "AdminAccountId": tooling})
	}
	assert.Contains(t, delegatedAdminHandler, "RequestType === 'Delete'")

	cdktest.PanicsWith(t, "12-digit AdminAccountID", func() {
		s := cdktest.NewStack(t, cdktest.Env)
		NewDelegatedAdmins(s, "A", &DelegatedAdminsProps{Calls: calltest.NewProvider(s), AdminAccountID: "123"})
	})
}

func TestLogArchive(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	la := NewLogArchive(stack, "Archive", &LogArchiveProps{
		OrganizationID: "o-abcdefghij", Alias: "alias/test/org-logs", ConfigBucketName: "test-org-config",
		ConfigWriterRoles: []string{"arn:aws:iam::*:role/test-config-recorder-*"},
	})
	la.GrantOrganizationWrite(la.EvidenceBucket, OrganizationWrite{Service: "cloudtrail.amazonaws.com", KeyPattern: "AWSLogs/o-abcdefghij/*"})
	tp := cdktest.Synth(t, stack)

	tp.Has("AWS::S3::Bucket", m{"BucketName": "test-org-config", "ObjectLockEnabled": assertions.Match_Absent()})
	tp.Has("AWS::S3::Bucket", m{"ObjectLockEnabled": true, "ObjectLockConfiguration": cdktest.Like(m{"ObjectLockEnabled": "Enabled"})})
	// Every grant beyond the account itself is scoped to the organization.
	for id, r := range tp.Resources("AWS::S3::BucketPolicy") {
		raw, _ := json.Marshal(r["Properties"].(m)["PolicyDocument"])
		var doc struct{ Statement []map[string]interface{} }
		require.NoError(t, json.Unmarshal(raw, &doc))
		for _, st := range doc.Statement {
			if st["Effect"] != "Allow" {
				continue
			}
			c, _ := json.Marshal(st["Condition"])
			assert.True(t, strings.Contains(string(c), `"aws:PrincipalOrgID":"o-abcdefghij"`) || strings.Contains(string(c), `"aws:SourceOrgID":"o-abcdefghij"`) ||
				strings.Contains(string(c), `"aws:SourceAccount":"111111111111"`),
				"%s: %v is not scoped to the organization", id, st["Sid"])
		}
	}
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": cdktest.Like(m{"Statement": assertions.Match_ArrayWith(&[]interface{}{cdktest.Like(m{
		"Sid": "AllowCloudtrailForOrganization", "Condition": m{"StringEquals": m{"aws:SourceOrgID": "o-abcdefghij"}},
	})})})})
}

func TestOrganizationSettings(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewOrganizationSettings(stack, "Org", &OrganizationSettingsProps{
		Calls:     calltest.NewProvider(stack),
		GuardDuty: &GuardDutyOrganization{DetectorID: jsii.String("detector"), Plans: &detection.ProtectionPlans{S3DataEvents: true}},
		Inspector: &detection.ScanTypes{EC2: true, ECR: true},
		SecurityHub: &SecurityHubCentral{
			PolicyName: "baseline", Standards: []detection.Standard{detection.FoundationalBestPractices},
			DisabledControls: []string{"IAM.6"}, Targets: []string{"r-ab12", "ou-ab12-11111111", tooling},
		},
		AggregatorRegions: []string{"us-west-2", "eu-west-1"},
	})
	tp := cdktest.Synth(t, stack)

	tp.Has("AWS::SecurityHub::OrganizationConfiguration", m{"ConfigurationType": "CENTRAL", "AutoEnable": false, "AutoEnableStandards": "NONE"})
	tp.Has("AWS::SecurityHub::ConfigurationPolicy", m{"ConfigurationPolicy": cdktest.Like(m{"SecurityHub": cdktest.Like(m{
		"ServiceEnabled": true, "SecurityControlsConfiguration": cdktest.Like(m{"DisabledSecurityControlIdentifiers": cdktest.A{"IAM.6"}}),
	})})})
	tp.Has("AWS::SecurityHub::PolicyAssociation", m{"TargetId": "r-ab12", "TargetType": "ROOT"})
	tp.Has("AWS::SecurityHub::PolicyAssociation", m{"TargetId": "ou-ab12-11111111", "TargetType": "ORGANIZATIONAL_UNIT"})
	tp.Has("AWS::SecurityHub::PolicyAssociation", m{"TargetId": tooling, "TargetType": "ACCOUNT"})
	tp.Has("AWS::AccessAnalyzer::Analyzer", m{"Type": "ORGANIZATION"})
	tp.Has("AWS::Config::ConfigurationAggregator", m{"OrganizationAggregationSource": cdktest.Like(m{"AwsRegions": cdktest.A{"eu-west-1", "us-west-2"}})})

	found := map[string]m{}
	for id := range tp.Resources("Custom::AWS") {
		call := tp.SdkCall(id, "Create")
		found[call["service"].(string)] = call["parameters"].(m)
	}
	assert.Equal(t, "ALL", found["GuardDuty"]["AutoEnableOrganizationMembers"])
	assert.Equal(t, true, found["Macie2"]["autoEnable"])
	assert.Equal(t, m{"ec2": true, "ecr": true, "lambda": false, "lambdaCode": false}, found["Inspector2"]["autoEnable"])
}

func TestMemberBaselineIsSelfContained(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Context: cdktest.Context(t)})
	stack := awscdk.NewStack(app, jsii.String("Member"), &awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)})
	b := NewMemberBaseline(stack, "Baseline", &MemberBaselineProps{
		Prefix: "test", HomeRegion: "us-east-1", ConfigBucketName: "test-org-config", LogArchiveAccountID: "333333333333",
		ConfigKeyArns: []string{"arn:aws:kms:us-east-1:333333333333:key/*"},
	})
	tp := cdktest.Synth(t, stack)

	tp.Has("AWS::Config::DeliveryChannel", m{"S3BucketName": "test-org-config"})
	tp.Has("AWS::Config::ConfigurationRecorder", m{"RecordingGroup": cdktest.Like(m{
		"AllSupported": true, "IncludeGlobalResourceTypes": m{"Fn::If": cdktest.A{"BaselineIsHomeRegion4DD4A5A7", true, false}},
	})})
	// The account-wide S3 setting only from the home region's stack.
	tp.HasResource("Custom::S3AccountPublicAccessBlock", m{"Condition": "BaselineIsHomeRegion4DD4A5A7", "Properties": cdktest.Like(m{"Guard": "s3"})})
	tp.Has("AWS::Lambda::Function", m{"Code": m{"ZipFile": assertions.Match_AnyValue()}})
	// The guard function sets the key of its own configuration, the
	// member's key, never one named by whoever invokes it.
	key := cdktest.LogicalID(stack, b.Key.Key)
	tp.Has("AWS::Lambda::Function", m{"Environment": m{"Variables": assertions.Match_Exact(m{"EBS_KEY_ARN": m{"Fn::GetAtt": cdktest.A{key, "Arn"}}})}})
	tp.Has("Custom::EbsEncryptionByDefault", m{"KeyArn": m{"Fn::GetAtt": cdktest.A{key, "Arn"}}})
	assert.Contains(t, memberGuardsHandler, "process.env")
	assert.NotContains(t, memberGuardsHandler, "p.KeyArn")
	assert.Empty(t, tp.FindParameters(jsii.String("*"), nil), "no bootstrap or asset parameters in member accounts")
	assert.LessOrEqual(t, len(memberGuardsHandler), 4096, "inline Lambda code limit")
}

func TestMemberStackSet(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewMemberStackSet(stack, "Members", &MemberStackSetProps{
		Name: "test-member-baseline", TemplateBody: `{"Resources":{}}`, TargetOUs: []string{"ou-ab12-11111111"}, Regions: []string{"us-east-1"},
		ExcludedAccounts: []string{tooling}, MaxConcurrentCount: 2, FailureToleranceCount: 1, RegionConcurrency: "SEQUENTIAL",
	})
	tp := cdktest.Synth(t, stack)
	tp.HasResource("AWS::CloudFormation::StackSet", m{
		"DeletionPolicy": "Retain",
		"Properties": cdktest.Like(m{
			"PermissionModel":      "SERVICE_MANAGED",
			"AutoDeployment":       m{"Enabled": true, "RetainStacksOnAccountRemoval": true},
			"OperationPreferences": m{"MaxConcurrentCount": 2, "FailureToleranceCount": 1, "RegionConcurrencyType": "SEQUENTIAL"},
			"StackInstancesGroup": cdktest.A{m{
				"DeploymentTargets": m{"OrganizationalUnitIds": cdktest.A{"ou-ab12-11111111"}, "Accounts": cdktest.A{tooling}, "AccountFilterType": "DIFFERENCE"},
				"Regions":           cdktest.A{"us-east-1"},
			}},
		}),
	})
	cdktest.PanicsWith(t, "over CloudFormation's inline limit", func() {
		s := cdktest.NewStack(t, cdktest.Env)
		NewMemberStackSet(s, "M", &MemberStackSetProps{Name: "n", TemplateBody: strings.Repeat(" ", MaxTemplateBody+1), TargetOUs: []string{"r-ab12"}, Regions: []string{"us-east-1"}, MaxConcurrentPercentage: 10})
	})
	cdktest.PanicsWith(t, "exactly one of MaxConcurrentPercentage and MaxConcurrentCount", func() {
		s := cdktest.NewStack(t, cdktest.Env)
		NewMemberStackSet(s, "M", &MemberStackSetProps{Name: "n", TemplateBody: "{}", TargetOUs: []string{"r-ab12"}, Regions: []string{"us-east-1"}})
	})
}

// orgWriteActions change which services the organization trusts or who
// administers them; they take no resource ARN.
var orgWriteActions = []string{
	"organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator",
	"organizations:DisableAWSServiceAccess", "organizations:DeregisterDelegatedAdministrator",
}

// orgWrites maps each Organizations write action allowed by the stack's
// policies to the organizations:ServicePrincipal values that limit it (a
// statement without the condition maps to "*").
func orgWrites(t *testing.T, tp *cdktest.Template) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, typ := range []string{"AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"} {
		for _, r := range tp.Resources(typ) {
			for _, st := range r["Properties"].(m)["PolicyDocument"].(m)["Statement"].([]interface{}) {
				s := st.(m)
				actions := s["Action"]
				if a, ok := actions.(string); ok {
					actions = []interface{}{a}
				}
				var principals []string
				cond, _ := s["Condition"].(m)
				eq, _ := cond["StringEquals"].(m)
				switch v := eq["organizations:ServicePrincipal"].(type) {
				case string:
					principals = []string{v}
				case []interface{}:
					for _, p := range v {
						principals = append(principals, p.(string))
					}
				default:
					principals = []string{"*"}
				}
				for _, a := range actions.([]interface{}) {
					if slices.Contains(orgWriteActions, a.(string)) {
						out[a.(string)] = append(out[a.(string)], principals...)
					}
				}
			}
		}
	}
	return out
}

// TestOrganizationWritesLimitedToServicePrincipals: the management account's
// calls may trust, and register administrators for, only the services mamori
// configures, not any service (issue 12, defect 7).
func TestOrganizationWritesLimitedToServicePrincipals(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewTrustedAccess(stack, "TrustedAccess", &TrustedAccessProps{
		Calls: calltest.NewProvider(stack), ServicePrincipals: []string{"guardduty.amazonaws.com", "securityhub.amazonaws.com"},
		DelegatedAdministrator: tooling, Registrations: []string{"config.amazonaws.com"},
	})
	assert.Equal(t, map[string][]string{
		"organizations:EnableAWSServiceAccess": {"guardduty.amazonaws.com", "securityhub.amazonaws.com",
			"stacksets.cloudformation.amazonaws.com", "member.org.stacksets.cloudformation.amazonaws.com"},
		"organizations:RegisterDelegatedAdministrator": {"config.amazonaws.com"},
	}, orgWrites(t, cdktest.Synth(t, stack)))

	stack = cdktest.NewStack(t, cdktest.Env)
	c := calltest.NewProvider(stack)
	NewDelegatedAdmins(stack, "Admins", &DelegatedAdminsProps{Calls: c, AdminAccountID: tooling, SkipSecurityHub: true, SkipMacie: true})
	NewAuditManagerAdmin(stack, "AuditManager", &AuditManagerAdminProps{Calls: c, AdminAccountID: tooling})
	writes := orgWrites(t, cdktest.Synth(t, stack))
	want := []string{"guardduty.amazonaws.com", "malware-protection.guardduty.amazonaws.com",
		"inspector2.amazonaws.com", "agentless.inspector2.amazonaws.com", "auditmanager.amazonaws.com"}
	for _, action := range []string{"organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator"} {
		assert.ElementsMatch(t, want, writes[action], "%s: Macie is off, so macie.amazonaws.com is not among them", action)
	}
}

// TestMemberConfigDeliveryOnlyToLogArchive: the log-archive bucket's name is
// predictable, so a member's Config role reaches it only while the log
// archive owns it (issue 12, defect 8).
func TestMemberConfigDeliveryOnlyToLogArchive(t *testing.T) {
	const archive = "333333333333"
	app := awscdk.NewApp(&awscdk.AppProps{Context: cdktest.Context(t)})
	stack := awscdk.NewStack(app, jsii.String("Member"), &awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)})
	NewMemberBaseline(stack, "Baseline", &MemberBaselineProps{
		Prefix: "test", HomeRegion: "us-east-1", ConfigBucketName: "test-org-config", LogArchiveAccountID: archive,
		ConfigKeyArns: []string{"arn:aws:kms:us-east-1:" + archive + ":key/*"},
		// The account setting s3:PutAccountPublicAccessBlock names no bucket.
		DisableS3BlockPublicAccess: true,
	})
	tp := cdktest.Synth(t, stack)
	s3 := 0
	for id, r := range tp.Resources("AWS::IAM::ManagedPolicy") {
		for _, st := range r["Properties"].(m)["PolicyDocument"].(m)["Statement"].([]interface{}) {
			s := st.(m)
			if !strings.Contains(jsonString(t, s["Action"]), `"s3:`) {
				continue
			}
			s3++
			cond, _ := s["Condition"].(m)
			eq, _ := cond["StringEquals"].(m)
			assert.Equal(t, archive, eq["s3:ResourceAccount"], "%s: %v", id, s["Action"])
		}
	}
	assert.Equal(t, 2, s3, "the bucket reads and the object writes")
	cdktest.PanicsWith(t, "12-digit LogArchiveAccountID", func() {
		s := awscdk.NewStack(app, jsii.String("Bad"), nil)
		NewMemberBaseline(s, "Baseline", &MemberBaselineProps{Prefix: "test", HomeRegion: "us-east-1", ConfigBucketName: "b", ConfigKeyArns: []string{"k"}})
	})
}

func jsonString(t *testing.T, v interface{}) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestMemberBaselineConfigExcludedRegions: one template runs in every
// governed region; a condition on the region leaves AWS Config out of the
// excluded ones while the guards (EBS encryption by default) stay on.
func TestMemberBaselineConfigExcludedRegions(t *testing.T) {
	member := func(id string, excluded ...string) *cdktest.Template {
		app := awscdk.NewApp(&awscdk.AppProps{Context: cdktest.Context(t)})
		stack := awscdk.NewStack(app, jsii.String(id), &awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)})
		NewMemberBaseline(stack, "Baseline", &MemberBaselineProps{
			Prefix: "test", HomeRegion: "us-east-1", ConfigBucketName: "test-org-config", LogArchiveAccountID: "333333333333",
			ConfigKeyArns: []string{"arn:aws:kms:us-east-1:333333333333:key/*"}, ConfigExcludedRegions: excluded,
		})
		return cdktest.Synth(t, stack)
	}
	region := m{"Ref": "AWS::Region"}
	conditioned := func(tp *cdktest.Template) map[string]bool {
		out := map[string]bool{}
		for _, typ := range []string{"AWS::Config::ConfigurationRecorder", "AWS::Config::DeliveryChannel", "AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "Custom::EbsEncryptionByDefault"} {
			for id, r := range tp.Resources(typ) {
				if r["Condition"] != nil {
					assert.Equal(t, "BaselineRecordsConfigBF03336A", r["Condition"], id)
					out[typ] = true
				}
			}
		}
		return out
	}

	none := member("None")
	assert.Empty(t, conditioned(none), "no condition when no region is excluded")
	assert.NotContains(t, (*none.ToJSON())["Conditions"], "BaselineRecordsConfigBF03336A")

	one := member("One", "eu-west-1")
	assert.Equal(t, m{"Fn::Not": cdktest.A{m{"Fn::Equals": cdktest.A{region, "eu-west-1"}}}}, (*one.ToJSON())["Conditions"].(m)["BaselineRecordsConfigBF03336A"])
	assert.Equal(t, map[string]bool{"AWS::Config::ConfigurationRecorder": true, "AWS::Config::DeliveryChannel": true, "AWS::IAM::Role": true, "AWS::IAM::ManagedPolicy": true},
		conditioned(one), "the recorder, channel, role and policy carry the condition; the EBS guard, its role and policy do not")
	one.Count("Custom::EbsEncryptionByDefault", 1)

	// Fn::Or takes 2 to 10 conditions: eleven excluded regions nest.
	many := []string{"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "sa-east-1"}
	cond := (*member("Many", many...).ToJSON())["Conditions"].(m)["BaselineRecordsConfigBF03336A"].(m)
	var count func(v interface{}) int
	count = func(v interface{}) int {
		e := v.(m)
		if ors, ok := e["Fn::Or"].([]interface{}); ok {
			assert.GreaterOrEqual(t, len(ors), 2, "Fn::Or takes at least 2 conditions")
			assert.LessOrEqual(t, len(ors), 10, "Fn::Or takes at most 10 conditions")
			n := 0
			for _, o := range ors {
				n += count(o)
			}
			return n
		}
		require.Contains(t, e, "Fn::Equals")
		return 1
	}
	assert.Equal(t, len(many), count(cond["Fn::Not"].([]interface{})[0]), "every excluded region is tested once")

	cdktest.PanicsWith(t, "holds the home region", func() { member("Home", "us-east-1") })
}

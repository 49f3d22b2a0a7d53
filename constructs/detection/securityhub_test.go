package detection

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

func TestSecurityHubDefaults(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewSecurityHub(stack, "SecurityHub", nil)
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::SecurityHub::Hub", 1)
	tp.Has("AWS::SecurityHub::Hub", m{
		"EnableDefaultStandards":  false,
		"AutoEnableControls":      true,
		"ControlFindingGenerator": "SECURITY_CONTROL",
	})
	tp.HasResource("AWS::SecurityHub::Hub", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	// AWS Foundational Security Best Practices: the zero value is the
	// secure default.
	tp.Count("AWS::SecurityHub::Standard", 1)
	tp.Has("AWS::SecurityHub::Standard", m{"StandardsArn": "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0"})
	tp.Count("AWS::SecurityHub::SecurityControl", 0)
	tp.Count("AWS::SecurityHub::FindingAggregator", 0)
}

// NoStandards leaves the standards to an organization's configuration
// policy; it cannot name standards too.
func TestSecurityHubNoStandards(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{NoStandards: true})
	cdktest.Synth(t, stack).Count("AWS::SecurityHub::Standard", 0)
	cdktest.PanicsWith(t, "NoStandards with Standards", func() {
		NewSecurityHub(cdktest.NewStack(t, cdktest.Env), "SecurityHub", &SecurityHubProps{NoStandards: true, Standards: []Standard{PCIDSS}})
	})
}

func TestSecurityHubSwitches(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{StandardControlFindings: true, ManualNewControls: true, DestroyOnDelete: true})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::SecurityHub::Hub", m{
		"EnableDefaultStandards":  false,
		"AutoEnableControls":      false,
		"ControlFindingGenerator": "STANDARD_CONTROL",
	})
	tp.HasResource("AWS::SecurityHub::Hub", m{"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"})
}

func TestSecurityHubStandards(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	dep := awscdk.NewCfnResource(stack, jsii.String("Recorder"), &awscdk.CfnResourceProps{Type: jsii.String("AWS::CloudFormation::WaitConditionHandle")})
	sh := NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{
		Standards: []Standard{FoundationalBestPractices, CISFoundations, PCIDSS, NIST80053},
		DependsOn: []constructs.IDependable{dep},
	})
	tp := cdktest.Synth(t, stack)

	hub := cdktest.LogicalID(stack, sh.Hub)
	tp.Count("AWS::SecurityHub::Standard", 4)
	for std, path := range map[Standard]string{
		FoundationalBestPractices: "aws-foundational-security-best-practices/v/1.0.0",
		CISFoundations:            "cis-aws-foundations-benchmark/v/5.0.0",
		PCIDSS:                    "pci-dss/v/4.0.1",
		NIST80053:                 "nist-800-53/v/5.0.0",
	} {
		// Standards are regional and account-less; the region and the
		// partition come from the stack's environment.
		arn := m{"StandardsArn": "arn:aws:securityhub:eu-west-1::standards/" + path}
		tp.Has("AWS::SecurityHub::Standard", arn)
		tp.DependsOn("AWS::SecurityHub::Standard", m{"Properties": arn}, hub, cdktest.LogicalID(stack, dep))
		if assert.Contains(t, sh.Standards, std) {
			assert.Equal(t, std, Standard(*sh.Standards[std].Node().Id()), "construct ID of %s", std)
		}
	}
	for id, r := range tp.Resources("AWS::SecurityHub::Standard") {
		assert.Empty(t, r["Properties"].(m)["DisabledStandardsControls"], "%s disables no control", id)
	}
}

// TestSecurityHubStandardArnPartition checks that no partition or region is
// hard-coded: a China region gets aws-cn, an environment-agnostic stack the
// pseudo parameters.
func TestSecurityHubStandardArnPartition(t *testing.T) {
	stack := cdktest.NewStack(t, &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("cn-north-1")})
	NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{Standards: []Standard{FoundationalBestPractices}})
	cdktest.Synth(t, stack).Has("AWS::SecurityHub::Standard", m{
		"StandardsArn": "arn:aws-cn:securityhub:cn-north-1::standards/aws-foundational-security-best-practices/v/1.0.0",
	})

	stack = cdktest.NewStack(t, nil)
	NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{
		Standards:        []Standard{PCIDSS},
		DisabledControls: []DisabledControl{{Standard: PCIDSS, Control: "IAM.6", Reason: "Hardware MFA for root is managed centrally"}},
	})
	cdktest.Synth(t, stack).Has("AWS::SecurityHub::Standard", m{
		"StandardsArn": m{"Fn::Join": a{"", a{
			"arn:", m{"Ref": "AWS::Partition"}, ":securityhub:", m{"Ref": "AWS::Region"}, "::standards/pci-dss/v/4.0.1",
		}}},
		"DisabledStandardsControls": a{m{
			"StandardsControlArn": m{"Fn::Join": a{"", a{
				"arn:", m{"Ref": "AWS::Partition"}, ":securityhub:", m{"Ref": "AWS::Region"}, ":", m{"Ref": "AWS::AccountId"},
				":control/pci-dss/v/4.0.1/IAM.6",
			}}},
			"Reason": "Hardware MFA for root is managed centrally",
		}},
	})
}

func TestSecurityHubDisabledControls(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{
		Standards: []Standard{FoundationalBestPractices, CISFoundations, NIST80053},
		DisabledControls: []DisabledControl{
			{Standard: FoundationalBestPractices, Control: "IAM.6", Reason: "Root hardware MFA is managed centrally"},
			{Standard: CISFoundations, Control: "1.14", Reason: "Access keys are rotated by the identity team"},
			{Standard: FoundationalBestPractices, Control: "ACM.1", Reason: "No imported certificates"},
		},
	})
	tp := cdktest.Synth(t, stack)

	control := "arn:aws:securityhub:eu-west-1:111111111111:control/"
	// Sorted by control ID, so that reordering the config changes nothing.
	tp.Has("AWS::SecurityHub::Standard", m{
		"StandardsArn": "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0",
		"DisabledStandardsControls": assertions.Match_Exact(a{
			m{"StandardsControlArn": control + "aws-foundational-security-best-practices/v/1.0.0/ACM.1", "Reason": "No imported certificates"},
			m{"StandardsControlArn": control + "aws-foundational-security-best-practices/v/1.0.0/IAM.6", "Reason": "Root hardware MFA is managed centrally"},
		}),
	})
	tp.Has("AWS::SecurityHub::Standard", m{
		"StandardsArn": "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/5.0.0",
		"DisabledStandardsControls": assertions.Match_Exact(a{
			m{"StandardsControlArn": control + "cis-aws-foundations-benchmark/v/5.0.0/1.14", "Reason": "Access keys are rotated by the identity team"},
		}),
	})
	for _, r := range tp.Resources("AWS::SecurityHub::Standard") {
		if p := r["Properties"].(m); p["StandardsArn"] == "arn:aws:securityhub:eu-west-1::standards/nist-800-53/v/5.0.0" {
			assert.Empty(t, p["DisabledStandardsControls"], "NIST disables nothing")
		}
	}
}

func TestSecurityHubControlParameters(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	sh := NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{ControlParameters: []ControlParameters{
		{Control: "ACM.1", Parameters: map[string]ParameterValue{"daysToExpiration": {Integer: ptr(30)}}},
		{Control: "Test.1", Parameters: map[string]ParameterValue{
			"integerList": {IntegerList: []int{1, 2}},
			"double":      {Double: ptr(1.5)},
			"string":      {String: ptr("text")},
			"stringList":  {StringList: []string{"a", "b"}},
			"boolean":     {Boolean: ptr(false)},
			"enum":        {Enum: ptr("ONE")},
			"enumList":    {EnumList: []string{"ONE", "TWO"}},
		}},
	}})
	tp := cdktest.Synth(t, stack)

	custom := func(value m) m { return m{"ValueType": "CUSTOM", "Value": assertions.Match_Exact(value)} }
	tp.Count("AWS::SecurityHub::SecurityControl", 2)
	acm := m{
		"SecurityControlId": "ACM.1",
		"LastUpdateReason":  "Set by mamori configuration",
		"Parameters":        assertions.Match_Exact(m{"daysToExpiration": m{"ValueType": "CUSTOM", "Value": m{"Integer": 30}}}),
	}
	tp.Has("AWS::SecurityHub::SecurityControl", acm)
	tp.DependsOn("AWS::SecurityHub::SecurityControl", m{"Properties": acm}, cdktest.LogicalID(stack, sh.Hub))
	tp.Has("AWS::SecurityHub::SecurityControl", m{
		"SecurityControlId": "Test.1",
		"Parameters": m{
			"integerList": custom(m{"IntegerList": a{1, 2}}),
			"double":      custom(m{"Double": 1.5}),
			"string":      custom(m{"String": "text"}),
			"stringList":  custom(m{"StringList": a{"a", "b"}}),
			"boolean":     custom(m{"Boolean": false}),
			"enum":        custom(m{"Enum": "ONE"}),
			"enumList":    custom(m{"EnumList": a{"ONE", "TWO"}}),
		},
	})
}

func TestSecurityHubAggregator(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	sh := NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{AggregateRegions: []string{"eu-central-1", "us-east-1"}})
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::SecurityHub::FindingAggregator", 1)
	tp.HasResource("AWS::SecurityHub::FindingAggregator", m{
		"Properties": assertions.Match_Exact(m{"RegionLinkingMode": "SPECIFIED_REGIONS", "Regions": a{"eu-central-1", "us-east-1"}}),
	})
	tp.DependsOn("AWS::SecurityHub::FindingAggregator", nil, cdktest.LogicalID(stack, sh.Hub))
	assert.NotNil(t, sh.Aggregator)
}

// The home Region of central configuration needs a finding aggregator even
// with no region to link: CloudFormation's cannot link none, so a handler
// makes one through the API with NO_REGIONS, after the hub, on a role that
// may list, create and update finding aggregators and nothing else.
func TestSecurityHubNoRegionsAggregator(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	calls := calltest.NewProvider(stack)
	sh := NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{NoStandards: true, CentralConfiguration: true, Calls: calls})
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::SecurityHub::FindingAggregator", 0)
	tp.Count("Custom::SecurityHubFindingAggregator", 1)
	assert.Nil(t, sh.Aggregator)
	assert.Equal(t, sh.NoRegionsAggregator, sh.Aggregation())
	id := cdktest.LogicalID(stack, sh.NoRegionsAggregator)
	tp.DependsOn("Custom::SecurityHubFindingAggregator", nil, cdktest.LogicalID(stack, sh.Hub))
	// CloudFormation sends Delete to the handler, which leaves the
	// aggregator (finding-aggregator.test.js).
	assert.Equal(t, "Delete", tp.Resource(id)["DeletionPolicy"])

	role := cdktest.LogicalID(stack, calls.Scope.Node().FindChild(jsii.String("NoRegionsAggregatorRole")))
	tp.Has("AWS::Lambda::Function", m{
		"Handler": "finding-aggregator.handler",
		"Runtime": "nodejs24.x",
		"Role":    m{"Fn::GetAtt": a{role, "Arn"}},
	})
	statements := roleStatements(tp, role)
	assert.Equal(t, []string{
		"logs:CreateLogStream", "logs:PutLogEvents",
		"securityhub:CreateFindingAggregator", "securityhub:ListFindingAggregators", "securityhub:UpdateFindingAggregator",
	}, actions(statements))
	assert.Equal(t, "*", statementWith(t, statements, "securityhub:ListFindingAggregators")["Resource"])
	assert.Equal(t, "*", statementWith(t, statements, "securityhub:CreateFindingAggregator")["Resource"])
	assert.Equal(t, "arn:aws:securityhub:eu-west-1:111111111111:finding-aggregator/*",
		statementWith(t, statements, "securityhub:UpdateFindingAggregator")["Resource"])
	// The shared role of single SDK calls gets nothing.
	assert.NotContains(t, actions(roleStatements(tp, cdktest.LogicalID(stack, calls.Role))), "securityhub:UpdateFindingAggregator")
}

// With regions to link, central configuration uses CloudFormation's
// aggregator as before; without central configuration, no region to link
// means no aggregator, whatever Calls is.
func TestSecurityHubCentralConfigurationAggregator(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	sh := NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{
		NoStandards: true, CentralConfiguration: true, AggregateRegions: []string{"us-east-1"}, Calls: calltest.NewProvider(stack),
	})
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::SecurityHub::FindingAggregator", 1)
	tp.Count("Custom::SecurityHubFindingAggregator", 0)
	tp.Count("AWS::Lambda::Function", 0)
	assert.Nil(t, sh.NoRegionsAggregator)
	assert.Equal(t, sh.Aggregator, sh.Aggregation())

	stack = cdktest.NewStack(t, cdktest.Env)
	sh = NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{Calls: calltest.NewProvider(stack)})
	tp = cdktest.Synth(t, stack)
	tp.Count("AWS::SecurityHub::FindingAggregator", 0)
	tp.Count("Custom::SecurityHubFindingAggregator", 0)
	assert.Nil(t, sh.Aggregation())

	cdktest.PanicsWith(t, `detection.NewSecurityHub "SecurityHub": CentralConfiguration without AggregateRegions needs Calls`, func() {
		NewSecurityHub(cdktest.NewStack(t, cdktest.Env), "SecurityHub", &SecurityHubProps{CentralConfiguration: true})
	})
}

// Suppress adds rules after the hub, in order after the props' rules.
func TestSecurityHubSuppressLater(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	arn := []*string{jsii.String("arn:aws:s3:::other")}
	sh := NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{Suppressions: []FindingSuppression{
		{Name: "First", Controls: []string{"S3.15"}, ResourceArns: arn, Reason: "First reason"},
	}})
	sh.Suppress([]FindingSuppression{{Name: "Later", Controls: []string{"Lambda.3"}, ResourceArns: arn, Reason: "Later reason"}})
	sh.Suppress(nil)
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::SecurityHub::AutomationRule", 2)
	tp.Has("AWS::SecurityHub::AutomationRule", m{"RuleName": "mamori-First", "RuleOrder": 900})
	later := m{"RuleName": "mamori-Later", "RuleOrder": 901}
	tp.Has("AWS::SecurityHub::AutomationRule", later)
	tp.DependsOn("AWS::SecurityHub::AutomationRule", m{"Properties": cdktest.Like(later)}, cdktest.LogicalID(stack, sh.Hub))
}

func TestSecurityHubSuppressions(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	bucket := secureBucket(stack, "Logs")
	sh := NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{Suppressions: []FindingSuppression{
		{Name: "AccessLogBuckets", Controls: []string{"S3.9", "S3.17"}, ResourceArns: []*string{bucket.Bucket.BucketArn(), jsii.String("arn:aws:s3:::other")},
			Reason: "Access-log targets cannot log to themselves"},
		{Name: "Second", Controls: []string{"S3.15"}, ResourceArns: []*string{jsii.String("arn:aws:s3:::other")}, Reason: "Second reason"},
	}})
	tp := cdktest.Synth(t, stack)

	equals := func(v interface{}) m { return m{"Comparison": "EQUALS", "Value": v} }
	tp.Count("AWS::SecurityHub::AutomationRule", 2)
	rule := m{
		"RuleName":    "mamori-AccessLogBuckets",
		"Description": "Access-log targets cannot log to themselves",
		"RuleStatus":  "ENABLED",
		// 900 and above: the response layer's rules run first.
		"RuleOrder":  900,
		"IsTerminal": false,
		"Criteria": assertions.Match_Exact(m{
			"ComplianceSecurityControlId": a{equals("S3.9"), equals("S3.17")},
			"ResourceId":                  a{equals(m{"Fn::GetAtt": a{cdktest.LogicalID(stack, bucket.Bucket), "Arn"}}), equals("arn:aws:s3:::other")},
		}),
		"Actions": assertions.Match_Exact(a{m{
			"Type": "FINDING_FIELDS_UPDATE",
			"FindingFieldsUpdate": m{
				"Workflow": m{"Status": "SUPPRESSED"},
				"Note":     m{"Text": "Access-log targets cannot log to themselves", "UpdatedBy": "mamori"},
			},
		}}),
	}
	tp.Has("AWS::SecurityHub::AutomationRule", rule)
	tp.DependsOn("AWS::SecurityHub::AutomationRule", m{"Properties": rule}, cdktest.LogicalID(stack, sh.Hub))
	tp.Has("AWS::SecurityHub::AutomationRule", m{
		"RuleName":  "mamori-Second",
		"RuleOrder": 901,
		"Criteria":  m{"ComplianceSecurityControlId": a{equals("S3.15")}},
	})
}

func TestSecurityHubPanics(t *testing.T) {
	many := make([]DisabledControl, 101)
	for i := range many {
		many[i] = DisabledControl{Standard: NIST80053, Control: fmt.Sprintf("EC2.%d", i), Reason: "test"}
	}
	tests := []struct {
		name  string
		props SecurityHubProps
		want  string
	}{
		{"control in a standard that is off", SecurityHubProps{
			Standards:        []Standard{FoundationalBestPractices},
			DisabledControls: []DisabledControl{{Standard: CISFoundations, Control: "1.14", Reason: "r"}},
		}, `detection.NewSecurityHub "SecurityHub": control "1.14" is disabled in "cis-aws-foundations-benchmark", which is not enabled`},
		{"CIS number outside CIS", SecurityHubProps{
			Standards:        []Standard{FoundationalBestPractices},
			DisabledControls: []DisabledControl{{Standard: FoundationalBestPractices, Control: "1.14", Reason: "r"}},
		}, `disabled control "1.14" in "aws-foundational-security-best-practices" needs an ID matching`},
		{"security control ID in CIS", SecurityHubProps{
			Standards:        []Standard{CISFoundations},
			DisabledControls: []DisabledControl{{Standard: CISFoundations, Control: "IAM.6", Reason: "r"}},
		}, `disabled control "IAM.6" in "cis-aws-foundations-benchmark" needs an ID matching`},
		{"no reason", SecurityHubProps{
			Standards:        []Standard{PCIDSS},
			DisabledControls: []DisabledControl{{Standard: PCIDSS, Control: "IAM.6"}},
		}, `disabled control "IAM.6" in "pci-dss" needs an ID matching`},
		{"unknown standard", SecurityHubProps{Standards: []Standard{"cis-aws-foundations-benchmark/v/1.2.0"}},
			`unknown standard "cis-aws-foundations-benchmark/v/1.2.0"`},
		{"over 100 disabled", SecurityHubProps{Standards: []Standard{NIST80053}, DisabledControls: many},
			`101 controls disabled in "nist-800-53"; Security Hub allows at most 100`},
		{"bad control ID for parameters", SecurityHubProps{ControlParameters: []ControlParameters{
			{Control: "ACM-1", Parameters: map[string]ParameterValue{"daysToExpiration": {Integer: ptr(1)}}},
		}}, `control parameters for "ACM-1" need a security control ID and at least one parameter`},
		{"no parameters", SecurityHubProps{ControlParameters: []ControlParameters{{Control: "ACM.1"}}},
			`control parameters for "ACM.1" need a security control ID and at least one parameter`},
		{"no value", SecurityHubProps{ControlParameters: []ControlParameters{
			{Control: "ACM.1", Parameters: map[string]ParameterValue{"daysToExpiration": {}}},
		}}, `parameter daysToExpiration of ACM.1 sets 0 values; exactly one is allowed`},
		{"two values", SecurityHubProps{ControlParameters: []ControlParameters{
			{Control: "ACM.1", Parameters: map[string]ParameterValue{"daysToExpiration": {Integer: ptr(1), String: ptr("1")}}},
		}}, `parameter daysToExpiration of ACM.1 sets 2 values; exactly one is allowed`},
	}
	arns := func(n int) []*string {
		out := make([]*string, n)
		for i := range out {
			out[i] = jsii.String(fmt.Sprintf("arn:aws:s3:::bucket-%d", i))
		}
		return out
	}
	suppression := func(f func(*FindingSuppression)) SecurityHubProps {
		s := FindingSuppression{Name: "Logs", Controls: []string{"S3.9"}, ResourceArns: arns(1), Reason: "a reason"}
		f(&s)
		return SecurityHubProps{Suppressions: []FindingSuppression{s}}
	}
	incomplete := "needs a name, controls, 1 to 20 resources and a reason of at most 512 characters"
	tests = append(tests, []struct {
		name  string
		props SecurityHubProps
		want  string
	}{
		{"suppression without name", suppression(func(s *FindingSuppression) { s.Name = "" }), `suppression "" ` + incomplete},
		{"suppression without controls", suppression(func(s *FindingSuppression) { s.Controls = nil }), `suppression "Logs" ` + incomplete},
		{"suppression without resources", suppression(func(s *FindingSuppression) { s.ResourceArns = nil }), incomplete},
		{"suppression of 21 resources", suppression(func(s *FindingSuppression) { s.ResourceArns = arns(21) }), incomplete},
		{"suppression without reason", suppression(func(s *FindingSuppression) { s.Reason = "" }), incomplete},
		{"suppression reason too long", suppression(func(s *FindingSuppression) { s.Reason = strings.Repeat("x", 513) }), incomplete},
		{"suppression of a CIS number", suppression(func(s *FindingSuppression) { s.Controls = []string{"S3.9", "2.1.1"} }),
			`suppression "Logs": "2.1.1" is not a security control ID`},
	}...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cdktest.PanicsWith(t, tc.want, func() { NewSecurityHub(cdktest.NewStack(t, cdktest.Env), "SecurityHub", &tc.props) })
		})
	}

	// The limits themselves are allowed.
	stack := cdktest.NewStack(t, cdktest.Env)
	NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{
		Standards: []Standard{NIST80053}, DisabledControls: many[:100],
		Suppressions: []FindingSuppression{{Name: "Max", Controls: []string{"S3.9"}, ResourceArns: arns(20), Reason: strings.Repeat("x", 512)}},
	})
	tp := cdktest.Synth(t, stack)
	for id, r := range tp.Resources("AWS::SecurityHub::Standard") {
		assert.Len(t, r["Properties"].(m)["DisabledStandardsControls"], 100, id)
	}
	tp.Count("AWS::SecurityHub::AutomationRule", 1)
	tp.Has("AWS::SecurityHub::AutomationRule", m{"Criteria": m{"ResourceId": assertions.Match_ArrayWith(cdktest.Arr(
		m{"Comparison": "EQUALS", "Value": "arn:aws:s3:::bucket-19"},
	))}})
}

// An existing hub stays out of the stack; the standards go onto it, waiting
// for nothing the stack does not have.
func TestSecurityHubExistingHub(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	sh := NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{ExistingHub: true, Standards: []Standard{FoundationalBestPractices}, AggregateRegions: []string{"eu-west-1"}})
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::SecurityHub::Hub", 0)
	tp.Count("AWS::SecurityHub::Standard", 1)
	tp.Count("AWS::SecurityHub::FindingAggregator", 1)
	if sh.Hub != nil {
		t.Error("Hub is set without a hub")
	}
	for _, r := range tp.Resources("AWS::SecurityHub::Standard") {
		if r["DependsOn"] != nil {
			t.Errorf("standard depends on %v", r["DependsOn"])
		}
	}
}

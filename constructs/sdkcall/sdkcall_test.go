package sdkcall

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
)

// TestMain closes the jsii runtime (one Node.js process for the package) once.
func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

type m = map[string]interface{}
type a = []interface{}

const keyArn = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"

// newProvider is a Provider in an empty stack in a fixed account and region,
// synthesized with cdk.json's context (the feature flags `cdk synth` uses).
func newProvider(t *testing.T, props ProviderProps) (awscdk.Stack, *Provider) {
	t.Helper()
	data, err := os.ReadFile("../../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var cdk struct {
		Context map[string]interface{} `json:"context"`
	}
	if err := json.Unmarshal(data, &cdk); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	stack := awscdk.NewStack(awscdk.NewApp(&awscdk.AppProps{Context: &cdk.Context}), jsii.String("Test"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
	if props.LogKey == nil {
		props.LogKey = awskms.Key_FromKeyArn(stack, jsii.String("ImportedKey"), jsii.String(keyArn))
	}
	return stack, NewProvider(stack, "Calls", &props)
}

// logicalID is the logical ID of an L2's default resource.
func logicalID(stack awscdk.Stack, c constructs.IConstruct) string {
	return *stack.GetLogicalId(c.Node().DefaultChild().(awscdk.CfnElement))
}

// resources are the template's resources of type typ by logical ID.
func resources(tp assertions.Template, typ string) map[string]m {
	out := map[string]m{}
	for id, r := range (*tp.ToJSON())["Resources"].(m) {
		if r := r.(m); r["Type"] == typ {
			out[id] = r
		}
	}
	return out
}

// hasResourceProperties reports a mismatch as a test error, not the panic
// jsii turns it into.
func hasResourceProperties(t *testing.T, tp assertions.Template, typ string, props m) {
	t.Helper()
	if r := recovered(func() { tp.HasResourceProperties(jsii.String(typ), props) }); r != nil {
		t.Error(r)
	}
}

func recovered(f func()) (r interface{}) {
	defer func() { r = recover() }()
	f()
	return nil
}

// decode turns a Custom::AWS call (a JSON string, or an Fn::Join of one when
// it holds tokens) back into its fields, with each token as "<token>".
func decode(t *testing.T, call interface{}) m {
	t.Helper()
	var text string
	switch v := call.(type) {
	case nil:
		return nil
	case string:
		text = v
	case m:
		var b strings.Builder
		for _, part := range v["Fn::Join"].(a)[1].(a) {
			if s, ok := part.(string); ok {
				b.WriteString(s)
			} else {
				b.WriteString("<token>")
			}
		}
		text = b.String()
	}
	var out m
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		t.Fatalf("%v in %s", err, text)
	}
	return out
}

func TestProviderDefaults(t *testing.T) {
	stack, p := newProvider(t, ProviderProps{})
	tp := assertions.Template_FromStack(stack, nil)
	logs, policy := logicalID(stack, p.LogGroup), logicalID(stack, p.Policy)

	hasResourceProperties(t, tp, "AWS::Logs::LogGroup", m{"KmsKeyId": keyArn, "RetentionInDays": 365})
	for id, r := range resources(tp, "AWS::Logs::LogGroup") {
		assert.Equal(t, "Retain", r["DeletionPolicy"], id)
	}
	// One managed policy that grows with the calls; to begin with, the
	// handler may write its own log group only.
	hasResourceProperties(t, tp, "AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_Exact(a{m{
		"Sid":      "WriteOwnLogs",
		"Effect":   "Allow",
		"Action":   a{"logs:CreateLogStream", "logs:PutLogEvents"},
		"Resource": m{"Fn::GetAtt": a{logs, "Arn"}},
	}})}})
	// Nothing else: no AWSLambdaBasicExecutionRole, no inline policies.
	hasResourceProperties(t, tp, "AWS::IAM::Role", m{
		"AssumeRolePolicyDocument": m{"Statement": a{m{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": m{"Service": "lambda.amazonaws.com"}}}},
		"ManagedPolicyArns":        assertions.Match_Exact(a{m{"Ref": policy}}),
		"Policies":                 assertions.Match_Absent(),
	})
	assert.Len(t, resources(tp, "AWS::IAM::Role"), 1)
	assert.Empty(t, resources(tp, "AWS::Lambda::Function"), "no handler before the first call")
}

func TestProviderLogRetention(t *testing.T) {
	stack, _ := newProvider(t, ProviderProps{LogRetentionDays: 100, DestroyOnDelete: true})
	tp := assertions.Template_FromStack(stack, nil)
	hasResourceProperties(t, tp, "AWS::Logs::LogGroup", m{"RetentionInDays": 120})
	for id, r := range resources(tp, "AWS::Logs::LogGroup") {
		assert.Equal(t, "Delete", r["DeletionPolicy"], id)
	}

	// Rounded up to the next retention CloudWatch Logs offers.
	for days, want := range map[int]awslogs.RetentionDays{
		1:    awslogs.RetentionDays_ONE_DAY,
		2:    awslogs.RetentionDays_THREE_DAYS,
		7:    awslogs.RetentionDays_ONE_WEEK,
		31:   awslogs.RetentionDays_TWO_MONTHS,
		365:  awslogs.RetentionDays_ONE_YEAR,
		366:  awslogs.RetentionDays_THIRTEEN_MONTHS,
		3653: awslogs.RetentionDays_TEN_YEARS,
		3654: awslogs.RetentionDays_INFINITE,
	} {
		assert.Equal(t, want, retention(days), "retention(%d)", days)
	}
	for i := 1; i < len(retentions); i++ {
		assert.Less(t, retentions[i-1].days, retentions[i].days, "retentions are sorted")
	}
}

func TestNewCall(t *testing.T) {
	stack, p := newProvider(t, ProviderProps{})
	call := func(action string, params m) *customresources.AwsSdkCall {
		return &customresources.AwsSdkCall{
			Service:            jsii.String("SecurityHub"),
			Action:             jsii.String(action),
			Parameters:         params,
			PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String("hub")),
			// Dropped: responses are never kept.
			OutputPaths: jsii.Strings("HubArn"),
		}
	}
	// The log group's name is a token, so the call becomes an Fn::Join.
	p.NewCall(stack, "Update", &CallProps{
		OnCreate:   call("EnableSecurityHub", m{"Tags": m{"logs": p.LogGroup.LogGroupName()}}),
		OnUpdate:   call("UpdateSecurityHubConfiguration", m{"AutoEnableControls": true}),
		OnDelete:   call("DisableSecurityHub", nil),
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("securityhub:EnableSecurityHub"), Resources: jsii.Strings("*")})},
	})
	p.NewCall(stack, "Default", &CallProps{
		OnCreate:   call("DescribeHub", nil),
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("securityhub:DescribeHub"), Resources: jsii.Strings("*")})},
	})
	tp := assertions.Template_FromStack(stack, nil)
	policy, role := logicalID(stack, p.Policy), logicalID(stack, p.Role)

	calls := resources(tp, "Custom::AWS")
	assert.Len(t, calls, 2)
	for id, r := range calls {
		props := r["Properties"].(m)
		assert.Equal(t, false, props["InstallLatestAwsSdk"], id)
		assert.Contains(t, r["DependsOn"], policy, "%s waits for its permissions", id)
		create := decode(t, props["Create"])
		assert.Equal(t, a{}, create["outputPaths"], id)
		switch create["action"] {
		case "EnableSecurityHub":
			assert.Equal(t, m{"Tags": m{"logs": "<token>"}}, create["parameters"])
			assert.Equal(t, "UpdateSecurityHubConfiguration", decode(t, props["Update"])["action"])
			assert.Equal(t, a{}, decode(t, props["Update"])["outputPaths"])
			assert.Equal(t, "DisableSecurityHub", decode(t, props["Delete"])["action"])
			assert.Equal(t, a{}, decode(t, props["Delete"])["outputPaths"])
		case "DescribeHub":
			assert.Equal(t, create, decode(t, props["Update"]), "OnUpdate defaults to OnCreate")
			assert.Nil(t, props["Delete"])
		default:
			t.Errorf("%s: unexpected call %v", id, create)
		}
	}

	// The calls' statements join the provider's one policy.
	hasResourceProperties(t, tp, "AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(&a{
		assertions.Match_ObjectLike(&m{"Action": a{"securityhub:DescribeHub", "securityhub:EnableSecurityHub"}, "Resource": "*"}),
	})}})
	// One handler for the stack, on the provider's role and log group.
	hasResourceProperties(t, tp, "AWS::Lambda::Function", m{
		"Role":          m{"Fn::GetAtt": a{role, "Arn"}},
		"LoggingConfig": m{"LogGroup": m{"Ref": logicalID(stack, p.LogGroup)}},
	})
	assert.Len(t, resources(tp, "AWS::Lambda::Function"), 1)
	assert.Len(t, resources(tp, "AWS::IAM::Role"), 1)
	assert.Empty(t, resources(tp, "AWS::IAM::Policy"), "AwsCustomResource adds no policy of its own")
}

func TestPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func(*testing.T)
		want string
	}{
		{"provider without key", func(t *testing.T) {
			NewProvider(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Test"), nil), "Calls", nil)
		}, `sdkcall.NewProvider "Calls": LogKey is required`},
		{"call without props", func(t *testing.T) {
			stack, p := newProvider(t, ProviderProps{})
			p.NewCall(stack, "Call", nil)
		}, `sdkcall.Provider.NewCall "Call": OnCreate and Statements are required`},
		{"call without OnCreate", func(t *testing.T) {
			stack, p := newProvider(t, ProviderProps{})
			p.NewCall(stack, "Call", &CallProps{Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(nil)}})
		}, "OnCreate and Statements are required"},
		{"call without statements", func(t *testing.T) {
			stack, p := newProvider(t, ProviderProps{})
			p.NewCall(stack, "Call", &CallProps{OnCreate: &customresources.AwsSdkCall{Service: jsii.String("STS"), Action: jsii.String("GetCallerIdentity")}})
		}, "OnCreate and Statements are required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := recovered(func() { tc.f(t) })
			if err, ok := r.(error); !ok || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("panic %v, want an error containing %q", r, tc.want)
			}
		})
	}
}

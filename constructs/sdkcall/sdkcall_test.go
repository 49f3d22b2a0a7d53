package sdkcall

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestMain closes the jsii runtime (one Node.js process for the package) once.
func TestMain(m *testing.M) { cdktest.Main(m) }

type (
	m = cdktest.M
	a = cdktest.A
)

// newProvider is a Provider in an empty stack in a fixed account and region,
// synthesized with cdk.json's context (the feature flags `cdk synth` uses).
func newProvider(t *testing.T, props ProviderProps) (awscdk.Stack, *Provider) {
	t.Helper()
	stack := cdktest.NewStack(t, cdktest.Env)
	if props.LogKey == nil {
		props.LogKey = cdktest.ImportedKey(stack)
	}
	return stack, NewProvider(stack, "Calls", &props)
}

func TestProviderDefaults(t *testing.T) {
	stack, p := newProvider(t, ProviderProps{})
	tp := cdktest.Synth(t, stack)
	logs, policy := cdktest.LogicalID(stack, p.LogGroup), cdktest.LogicalID(stack, p.Policy)

	tp.Has("AWS::Logs::LogGroup", m{"KmsKeyId": cdktest.KeyArn, "RetentionInDays": 365})
	for id, r := range tp.Resources("AWS::Logs::LogGroup") {
		assert.Equal(t, "Retain", r["DeletionPolicy"], id)
	}
	// One managed policy that grows with the calls; to begin with, the
	// handler may write its own log group only.
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_Exact(a{m{
		"Sid":      "WriteOwnLogs",
		"Effect":   "Allow",
		"Action":   a{"logs:CreateLogStream", "logs:PutLogEvents"},
		"Resource": m{"Fn::GetAtt": a{logs, "Arn"}},
	}})}})
	// Nothing else: no AWSLambdaBasicExecutionRole, no inline policies.
	tp.Has("AWS::IAM::Role", m{
		"AssumeRolePolicyDocument": m{"Statement": a{m{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": m{"Service": "lambda.amazonaws.com"}}}},
		"ManagedPolicyArns":        assertions.Match_Exact(a{m{"Ref": policy}}),
		"Policies":                 assertions.Match_Absent(),
	})
	assert.Len(t, tp.Resources("AWS::IAM::Role"), 1)
	assert.Empty(t, tp.Resources("AWS::Lambda::Function"), "no handler before the first call")
}

func TestProviderLogRetention(t *testing.T) {
	stack, _ := newProvider(t, ProviderProps{LogRetentionDays: 100, DestroyOnDelete: true})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::Logs::LogGroup", m{"RetentionInDays": 120})
	for id, r := range tp.Resources("AWS::Logs::LogGroup") {
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
	tp := cdktest.Synth(t, stack)
	policy, role := cdktest.LogicalID(stack, p.Policy), cdktest.LogicalID(stack, p.Role)

	calls := tp.Resources("Custom::AWS")
	assert.Len(t, calls, 2)
	for id, r := range calls {
		props := r["Properties"].(m)
		assert.Equal(t, false, props["InstallLatestAwsSdk"], id)
		assert.Contains(t, r["DependsOn"], policy, "%s waits for its permissions", id)
		create := tp.SdkCall(id, "Create")
		assert.Equal(t, a{}, create["outputPaths"], id)
		switch create["action"] {
		case "EnableSecurityHub":
			assert.Equal(t, m{"Tags": m{"logs": "<token>"}}, create["parameters"])
			assert.Equal(t, "UpdateSecurityHubConfiguration", tp.SdkCall(id, "Update")["action"])
			assert.Equal(t, a{}, tp.SdkCall(id, "Update")["outputPaths"])
			assert.Equal(t, "DisableSecurityHub", tp.SdkCall(id, "Delete")["action"])
			assert.Equal(t, a{}, tp.SdkCall(id, "Delete")["outputPaths"])
		case "DescribeHub":
			assert.Equal(t, create, tp.SdkCall(id, "Update"), "OnUpdate defaults to OnCreate")
			assert.Nil(t, props["Delete"])
		default:
			t.Errorf("%s: unexpected call %v", id, create)
		}
	}

	// The calls' statements join the provider's one policy.
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(&a{
		assertions.Match_ObjectLike(&m{"Action": a{"securityhub:DescribeHub", "securityhub:EnableSecurityHub"}, "Resource": "*"}),
	})}})
	// One handler for the stack, on the provider's role and log group.
	tp.Has("AWS::Lambda::Function", m{
		"Role":          m{"Fn::GetAtt": a{role, "Arn"}},
		"LoggingConfig": m{"LogGroup": m{"Ref": cdktest.LogicalID(stack, p.LogGroup)}},
	})
	assert.Len(t, tp.Resources("AWS::Lambda::Function"), 1)
	assert.Len(t, tp.Resources("AWS::IAM::Role"), 1)
	assert.Empty(t, tp.Resources("AWS::IAM::Policy"), "AwsCustomResource adds no policy of its own")
	assert.Len(t, p.FunctionArns(), 1, "the singleton handler, once however many calls share it")
}

func TestNewWaitingCall(t *testing.T) {
	stack, p := newProvider(t, ProviderProps{})
	statement := awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("sts:GetCallerIdentity"), Resources: jsii.Strings("*")})
	source := "exports.handler = async () => ({ PhysicalResourceId: 'x' });"
	cr := p.NewWaitingCall(stack, "Wait", &WaitingCallProps{
		HandlerName:  "wait-handler",
		Handler:      source,
		ResourceType: "Custom::Wait",
		Properties:   map[string]interface{}{"Types": jsii.Strings("A", "B"), "Flag": true},
		Statements:   []awsiam.PolicyStatement{statement},
	})
	tp := cdktest.Synth(t, stack)
	child := func(id string) string { return cdktest.LogicalID(stack, p.Scope.Node().FindChild(jsii.String(id))) }
	logs, handler, role, policy := cdktest.LogicalID(stack, p.LogGroup), child("WaitHandler"), child("WaitRole"), child("WaitPolicy")

	tp.Has("Custom::Wait", m{"Types": a{"A", "B"}, "Flag": true})
	// The handler is an asset of its one file, runs on a role of its own,
	// logs to the provider's log group and may wait up to ten minutes.
	fn := tp.Resource(handler)["Properties"].(m)
	assert.Equal(t, "wait-handler.handler", fn["Handler"])
	assert.Equal(t, "nodejs24.x", fn["Runtime"])
	assert.EqualValues(t, 600, fn["Timeout"])
	assert.Equal(t, m{"Fn::GetAtt": a{role, "Arn"}}, fn["Role"])
	assert.Equal(t, m{"LogGroup": m{"Ref": logs}}, fn["LoggingConfig"])
	code := fn["Code"].(m)
	assert.Nil(t, code["ZipFile"], "no inline code")
	assert.Regexp(t, `^[0-9a-f]{64}\.zip$`, code["S3Key"])
	// The asset directory holds the handler's source and nothing else.
	dir := *handlerAsset("Wait", "wait-handler", source)
	entries, err := os.ReadDir(dir)
	assert.NoError(t, err)
	if assert.Len(t, entries, 1) {
		assert.Equal(t, "wait-handler.js", entries[0].Name())
		got, _ := os.ReadFile(filepath.Join(dir, "wait-handler.js"))
		assert.Equal(t, source, string(got))
	}

	// The handler's role holds its own statements and its log writes, and
	// nothing of the provider's other calls.
	tp.Has("AWS::IAM::Role", m{
		"AssumeRolePolicyDocument": m{"Statement": a{m{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": m{"Service": "lambda.amazonaws.com"}}}},
		"ManagedPolicyArns":        assertions.Match_Exact(a{m{"Ref": policy}}),
	})
	assert.Equal(t, a{
		m{"Sid": "WriteOwnLogs", "Effect": "Allow", "Action": a{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": m{"Fn::GetAtt": a{logs, "Arn"}}},
		m{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"},
	}, tp.Resource(policy)["Properties"].(m)["PolicyDocument"].(m)["Statement"])
	shared := tp.Resource(cdktest.LogicalID(stack, p.Policy))["Properties"].(m)["PolicyDocument"].(m)["Statement"].([]interface{})
	assert.Len(t, shared, 1, "the shared policy keeps its log statement only")
	// The framework has a role of its own, allowed to invoke the handler and
	// nothing else, through a managed policy: no inline policy anywhere.
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(&a{m{
		"Effect":   "Allow",
		"Action":   a{"lambda:GetFunction", "lambda:InvokeFunction"},
		"Resource": m{"Fn::GetAtt": a{handler, "Arn"}},
	}})}})
	assert.Empty(t, tp.Resources("AWS::IAM::Policy"), "no inline policies")
	assert.Len(t, tp.Resources("AWS::IAM::Role"), 3)
	assert.Contains(t, tp.Resource(cdktest.LogicalID(stack, cr))["DependsOn"], policy)
	// The handler and the framework function, for Security Hub suppressions.
	assert.Len(t, p.FunctionArns(), 2)
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
		{"waiting call without handler", func(t *testing.T) {
			stack, p := newProvider(t, ProviderProps{})
			p.NewWaitingCall(stack, "Wait", &WaitingCallProps{HandlerName: "wait", ResourceType: "Custom::Wait", Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(nil)}})
		}, "HandlerName (a file name without .js), Handler, ResourceType and Statements are required"},
		{"waiting call with a path for a name", func(t *testing.T) {
			stack, p := newProvider(t, ProviderProps{})
			p.NewWaitingCall(stack, "Wait", &WaitingCallProps{HandlerName: "../wait", Handler: "x", ResourceType: "Custom::Wait", Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(nil)}})
		}, "HandlerName (a file name without .js)"},
		{"waiting call too long", func(t *testing.T) {
			stack, p := newProvider(t, ProviderProps{})
			p.NewWaitingCall(stack, "Wait", &WaitingCallProps{HandlerName: "wait", Handler: "x", ResourceType: "Custom::Wait", Timeout: 15 * time.Minute,
				Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(nil)}})
		}, "exceeds 14 minutes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cdktest.Recovered(func() { tc.f(t) })
			if err, ok := r.(error); !ok || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("panic %v, want an error containing %q", r, tc.want)
			}
		})
	}
}

func TestProviderOf(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	made := 0
	props := func() *ProviderProps { made++; return &ProviderProps{LogKey: cdktest.ImportedKey(stack)} }
	first := ProviderOf(stack, "Calls", props)
	again := ProviderOf(stack, "Calls", props)
	assert.Same(t, first, again, "the second call returns the first Provider")
	assert.Equal(t, 1, made, "props are built once")
	other := ProviderOf(stack, "Other", props)
	assert.NotSame(t, first, other, "another id is another Provider")
	NewProvider(stack, "Direct", &ProviderProps{LogKey: cdktest.ImportedKey(stack)})
	cdktest.PanicsWith(t, "that ProviderOf did not create", func() { ProviderOf(stack, "Direct", props) })
	tp := cdktest.Synth(t, stack)
	assert.Len(t, tp.Resources("AWS::Logs::LogGroup"), 3)
}

// Every invalid prop is reported in one panic, not only the first.
func TestEveryProblemAtOnce(t *testing.T) {
	cdktest.PanicsWith(t, `sdkcall.NewProvider "Calls": LogKey is required; LogRetentionDays -1 must not be negative`, func() {
		NewProvider(cdktest.NewStack(t, cdktest.Env), "Calls", &ProviderProps{LogRetentionDays: -1})
	})
	cdktest.PanicsWith(t, `sdkcall.Provider.NewWaitingCall "Wait": HandlerName (a file name without .js), Handler, ResourceType and Statements are required; Timeout 15m0s exceeds 14 minutes`, func() {
		stack := cdktest.NewStack(t, cdktest.Env)
		NewProvider(stack, "Calls", &ProviderProps{LogKey: cdktest.ImportedKey(stack)}).NewWaitingCall(stack, "Wait", &WaitingCallProps{Timeout: 15 * time.Minute})
	})
}

// Package sdkcall runs AWS API calls that CloudFormation cannot express:
// single calls through CDK's AwsCustomResource, with one execution role per
// stack whose customer managed policy holds exactly the statements the calls
// declare, and waiting calls through a handler of their own (a Lambda asset
// of one file, tested beside its source) on a role holding exactly its
// statements; all log to one KMS-encrypted log group with bounded retention.
package sdkcall

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/internal/servicerole"
	"github.com/mamori-dev/mamori/internal/nag"
)

// ProviderProps configures a Provider.
type ProviderProps struct {
	// LogKey encrypts the handler's log group; its policy must admit CloudWatch
	// Logs in this region. Required.
	LogKey awskms.IKey
	// LogRetentionDays keeps the handler's logs at least this long; it is
	// rounded up to a retention CloudWatch Logs offers. Default: 365.
	LogRetentionDays int
	// DestroyOnDelete deletes the log group with the stack. Default: false.
	DestroyOnDelete bool
}

// Provider is the execution role and log group that every SDK call in one
// stack shares. CDK runs all AwsCustomResources of a stack in one singleton
// Lambda function, so they must share one role: there is one Provider a stack.
type Provider struct {
	Scope    constructs.Construct
	Role     awsiam.Role
	Policy   awsiam.ManagedPolicy
	LogGroup awslogs.LogGroup

	// framework runs the CDK provider framework of waiting calls; created
	// with the first one.
	framework       awsiam.Role
	frameworkPolicy awsiam.ManagedPolicy
	// functions are the ARNs of every function the calls run in.
	functions     []*string
	singletonSeen bool
	// roles are the waiting calls' own roles, by call id.
	roles map[string]awsiam.Role
}

// HandlerRole returns the role of this provider's waiting call id, for a
// function that runs the same handler outside CloudFormation (a schedule);
// nil when there is no such call.
func (pr *Provider) HandlerRole(id string) awsiam.Role { return pr.roles[id] }

// HandlerCode is a Lambda asset holding one handler's source as <name>.js,
// as a waiting call deploys it; its handler is "<name>.handler".
func HandlerCode(name, source string) awslambda.Code {
	if !handlerName.MatchString(name) || source == "" {
		panic(fmt.Errorf("sdkcall.HandlerCode: a handler name without .js and a source are required, got %q", name))
	}
	return awslambda.Code_FromAsset(handlerAsset(name, name, source), nil)
}

// FunctionArns are the ARNs of the functions that run this provider's calls:
// CDK's AwsCustomResource handler, each waiting-call handler and the provider
// framework's function. Empty until a call is added.
func (pr *Provider) FunctionArns() []*string { return pr.functions }

func (pr *Provider) addFunction(c constructs.IConstruct) {
	arn := awscdk.Token_AsString(c.Node().DefaultChild().(awscdk.CfnResource).GetAtt(jsii.String("Arn"), awscdk.ResolutionTypeHint_STRING), nil)
	pr.functions = append(pr.functions, arn)
}

// providers are the Providers created by ProviderOf, by their Scope.
var (
	providersMu sync.Mutex
	providers   = map[constructs.IConstruct]*Provider{}
)

// ProviderOf is scope's Provider with this id: the one ProviderOf created
// before, or a new one made from props() (the CDK core's getOrCreateProvider
// pattern). Every construct of a stack that asks for the stack's Provider so
// shares its role, policy and log group, whichever asks first; props is called
// only when the Provider is created.
func ProviderOf(scope constructs.Construct, id string, props func() *ProviderProps) *Provider {
	providersMu.Lock()
	defer providersMu.Unlock()
	if c := scope.Node().TryFindChild(jsii.String(id)); c != nil {
		if pr, ok := providers[c]; ok {
			return pr
		}
		panic(fmt.Errorf("sdkcall.ProviderOf %q: %s already has a child of this ID that ProviderOf did not create", id, *scope.Node().Path()))
	}
	pr := NewProvider(scope, id, props())
	providers[pr.Scope] = pr
	return pr
}

// NewProvider creates a Provider.
func NewProvider(scope constructs.Construct, id string, props *ProviderProps) *Provider {
	var p ProviderProps
	if props != nil {
		p = *props
	}
	if p.LogRetentionDays == 0 {
		p.LogRetentionDays = 365
	}
	bad := problems.Of("sdkcall.NewProvider", id)
	if p.LogKey == nil {
		bad.Add("LogKey is required")
	}
	if p.LogRetentionDays < 0 {
		bad.Add("LogRetentionDays %d must not be negative", p.LogRetentionDays)
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	logGroup := awslogs.NewLogGroup(this, jsii.String("Logs"), &awslogs.LogGroupProps{
		EncryptionKey: p.LogKey,
		Retention:     retention(p.LogRetentionDays),
		RemovalPolicy: jsiix.Removal(p.DestroyOnDelete),
	})
	role, policy := servicerole.New(this, servicerole.Props{
		PolicyID: "Policy", RoleID: "Role", Service: "lambda.amazonaws.com",
		PolicyDescription: "mamori AWS API calls that CloudFormation cannot make: exactly the actions each call declares",
		RoleDescription:   "Runs mamori's AWS API calls during deployments",
		LogGroup:          logGroup, Sid: "WriteOwnLogs",
		LogStreams: servicerole.LogStreamsRule(logGroup, ":*",
			"CloudWatch Logs names each log stream at run time; the grant is limited to this provider's own log group."),
	})
	return &Provider{Scope: this, Role: role, Policy: policy, LogGroup: logGroup}
}

// CallProps configures a Call.
type CallProps struct {
	// OnCreate runs when the resource is created and, unless OnUpdate is set,
	// when it changes. Required.
	OnCreate *customresources.AwsSdkCall
	// OnUpdate runs when the resource's calls change. Default: OnCreate.
	OnUpdate *customresources.AwsSdkCall
	// OnDelete runs when the resource leaves the stack. Default: nothing.
	OnDelete *customresources.AwsSdkCall
	// Statements are the permissions the calls need, exactly. Required.
	Statements []awsiam.PolicyStatement
}

// NewCall creates an AwsCustomResource that runs on the provider's role.
// The call's response is not kept (OutputPaths is always empty), so no
// response can outgrow CloudFormation's 4 KB limit on custom-resource data.
func (pr *Provider) NewCall(scope constructs.Construct, id string, props *CallProps) customresources.AwsCustomResource {
	if props == nil || props.OnCreate == nil || len(props.Statements) == 0 {
		panic(fmt.Errorf("sdkcall.Provider.NewCall %q: OnCreate and Statements are required", id))
	}
	for _, s := range props.Statements {
		pr.Policy.AddStatements(s)
	}
	update := props.OnUpdate
	if update == nil {
		update = props.OnCreate
	}
	quiet := func(c *customresources.AwsSdkCall) *customresources.AwsSdkCall {
		if c == nil {
			return nil
		}
		q := *c
		q.OutputPaths = &[]*string{}
		return &q
	}
	cr := customresources.NewAwsCustomResource(scope, jsii.String(id), &customresources.AwsCustomResourceProps{
		OnCreate: quiet(props.OnCreate),
		OnUpdate: quiet(update),
		OnDelete: quiet(props.OnDelete),
		Role:     pr.Role,
		LogGroup: pr.LogGroup,
		// The Lambda runtime's bundled AWS SDK v3 has every client we call;
		// installing the latest at run time would need internet access.
		InstallLatestAwsSdk: jsii.Bool(false),
	})
	cr.Node().AddDependency(pr.Policy)
	pr.suppressHandlerFindings(awscdk.Stack_Of(scope))
	return cr
}

// suppressHandlerFindings records, once per stack, why the CDK-provided
// handler function does not follow rules written for application functions.
func (pr *Provider) suppressHandlerFindings(stack awscdk.Stack) {
	fn := stack.Node().TryFindChild(jsii.String("AWS679f53fac002430cb0da5b7982bd2287"))
	if fn == nil || pr.singletonSeen {
		return
	}
	pr.singletonSeen = true
	pr.addFunction(fn)
	nag.Suppress(fn, true, handlerRules...)
}

// handlerRules are the cdk-nag rules written for application functions that
// do not fit functions CloudFormation invokes during deployments.
var handlerRules = []nag.Rule{
	{ID: "NIST.800.53.R5-LambdaInsideVPC", Reason: "The handler only calls AWS APIs during deployments; a VPC would add NAT endpoints and cost without isolating anything."},
	{ID: "PCI.DSS.321-LambdaInsideVPC", Reason: "The handler only calls AWS APIs during deployments; a VPC would add NAT endpoints and cost without isolating anything."},
	{ID: "NIST.800.53.R5-LambdaConcurrency", Reason: "CloudFormation invokes the handler once per custom-resource change; deployments bound its concurrency."},
	{ID: "NIST.800.53.R5-LambdaDLQ", Reason: "CloudFormation is the caller and reports every failure as a failed stack operation; a dead-letter queue would receive nothing actionable."},
}

// WaitingCallProps configures a waiting call.
type WaitingCallProps struct {
	// HandlerName names the handler, as its file is named without ".js"
	// (e.g. "existing-members"): the function's code is a Lambda asset
	// holding that one file, and its handler is "<HandlerName>.handler".
	// Required.
	HandlerName string
	// Handler is the handler's Node.js (CommonJS) source, exporting
	// handler(event, context): it makes the change, waits until it is
	// complete, and returns {PhysicalResourceId}; a thrown error fails the
	// stack operation. It uses the AWS SDK v3 bundled in the Lambda runtime.
	// Required.
	Handler string
	// ResourceType names the custom resource, e.g. "Custom::InspectorEnablement". Required.
	ResourceType string
	// Properties reach the handler as event.ResourceProperties (CloudFormation
	// turns booleans and numbers into strings). Default: none.
	Properties map[string]interface{}
	// Statements are the permissions the handler needs, exactly: they go to
	// a role of the handler's own. Required.
	Statements []awsiam.PolicyStatement
	// Suppressions say why the handler's statements are as wide as they are
	// (cdk-nag); they apply to the handler's own policy. Default: none.
	Suppressions []nag.Rule
	// Timeout bounds how long the handler may wait, at most 14 minutes.
	// Default: 10 minutes.
	Timeout time.Duration
}

// handlerName is what HandlerName may be: a file name without a directory.
var handlerName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// NewWaitingCall creates a custom resource for an API change that completes
// asynchronously, which AwsCustomResource cannot wait for. The handler runs
// in its own function under the CDK provider framework, with a role of its
// own that holds exactly its statements and may write the provider's log
// group; the framework has a role of its own that may only invoke the
// handlers.
func (pr *Provider) NewWaitingCall(scope constructs.Construct, id string, props *WaitingCallProps) awscdk.CustomResource {
	if props == nil {
		props = &WaitingCallProps{}
	}
	bad := problems.Of("sdkcall.Provider.NewWaitingCall", id)
	if !handlerName.MatchString(props.HandlerName) || props.Handler == "" || props.ResourceType == "" || len(props.Statements) == 0 {
		bad.Add("HandlerName (a file name without .js), Handler, ResourceType and Statements are required")
	}
	timeout := props.Timeout
	if timeout == 0 {
		timeout = 10 * time.Minute
	}
	if timeout > 14*time.Minute {
		bad.Add("Timeout %s exceeds 14 minutes", timeout)
	}
	bad.Check()
	role, policy := servicerole.New(pr.Scope, servicerole.Props{
		PolicyID: id + "Policy", RoleID: id + "Role", Service: "lambda.amazonaws.com",
		PolicyDescription: "mamori " + props.ResourceType + ": exactly the actions its handler calls",
		RoleDescription:   "Runs mamori's " + props.ResourceType + " handler during deployments",
		LogGroup:          pr.LogGroup, Sid: "WriteOwnLogs",
		LogStreams: pr.logStreamRule(), Suppressions: props.Suppressions,
	})
	for _, s := range props.Statements {
		policy.AddStatements(s)
	}
	if pr.roles == nil {
		pr.roles = map[string]awsiam.Role{}
	}
	pr.roles[id] = role
	handler := awslambda.NewFunction(pr.Scope, jsii.String(id+"Handler"), &awslambda.FunctionProps{
		Runtime:     awslambda.Runtime_NODEJS_24_X(),
		Code:        awslambda.Code_FromAsset(handlerAsset(id, props.HandlerName, props.Handler), nil),
		Handler:     jsii.String(props.HandlerName + ".handler"),
		Timeout:     awscdk.Duration_Seconds(jsii.Number(timeout.Seconds())),
		Role:        role,
		LogGroup:    pr.LogGroup,
		Description: jsii.String("mamori " + props.ResourceType + ": makes the change and waits for it"),
	})
	framework := pr.frameworkRole()
	pr.frameworkPolicy.AddStatements(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("lambda:InvokeFunction", "lambda:GetFunction"),
		Resources: jsii.Strings(*handler.FunctionArn()),
	}))
	provider := customresources.NewProvider(pr.Scope, jsii.String(id+"Provider"), &customresources.ProviderProps{
		OnEventHandler: handler,
		// The framework's own grants would land in an inline policy; its
		// managed policy above already holds exactly them.
		FrameworkOnEventRole: framework.WithoutPolicyUpdates(nil),
		LogGroup:             pr.LogGroup,
	})
	// cdk-nag suppressions reach only children that exist when they are added.
	nag.Suppress(handler, true, handlerRules...)
	nag.Suppress(provider, true, handlerRules...)
	pr.addFunction(handler)
	pr.addFunction(provider.Node().FindChild(jsii.String("framework-onEvent")))
	cr := awscdk.NewCustomResource(scope, jsii.String(id), &awscdk.CustomResourceProps{
		ServiceToken: provider.ServiceToken(),
		ResourceType: jsii.String(props.ResourceType),
		Properties:   &props.Properties,
	})
	cr.Node().AddDependency(policy, pr.frameworkPolicy)
	return cr
}

// handlerAsset writes a handler's source, alone, into a directory named
// after its content and returns the directory for a Lambda asset. The source
// is embedded in the Go binary, so synthesis works from any directory and
// offline; the asset hash follows the content.
func handlerAsset(id, name, source string) *string {
	sum := sha256.Sum256([]byte(name + "\x00" + source))
	dir := filepath.Join(os.TempDir(), "mamori-handlers", hex.EncodeToString(sum[:12]))
	file := filepath.Join(dir, name+".js")
	if existing, err := os.ReadFile(file); err != nil || string(existing) != source {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			panic(fmt.Errorf("sdkcall.Provider.NewWaitingCall %q: %w", id, err))
		}
		// Written outside the directory and renamed into it, so that a
		// parallel synthesis never packs a half-written or temporary file.
		tmp, err := os.CreateTemp(filepath.Dir(dir), name+".*.tmp")
		if err == nil {
			_, err = tmp.WriteString(source)
			if cerr := tmp.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Rename(tmp.Name(), file)
			}
		}
		if err != nil {
			panic(fmt.Errorf("sdkcall.Provider.NewWaitingCall %q: writing the handler asset: %w", id, err))
		}
	}
	return jsii.String(dir)
}

// logStreamRule says why a policy may write any stream of the provider's
// log group.
func (pr *Provider) logStreamRule() nag.Rule {
	return servicerole.LogStreamsRule(pr.LogGroup, ":*",
		"CloudWatch Logs names each log stream at run time; the grant is limited to the provider's own log group.")
}

// frameworkRole is the role of the provider framework's function, created once.
func (pr *Provider) frameworkRole() awsiam.Role {
	if pr.framework == nil {
		pr.framework, pr.frameworkPolicy = servicerole.New(pr.Scope, servicerole.Props{
			PolicyID: "FrameworkPolicy", RoleID: "FrameworkRole", Service: "lambda.amazonaws.com",
			PolicyDescription: "CDK provider framework for mamori's waiting calls: invoke the handlers, write its own logs",
			RoleDescription:   "Runs the CDK provider framework for mamori's waiting calls",
			LogGroup:          pr.LogGroup, Sid: "WriteOwnLogs",
			LogStreams: pr.logStreamRule(),
		})
	}
	return pr.framework
}

// retentions are the retention periods CloudWatch Logs offers, in days.
var retentions = []struct {
	days int
	r    awslogs.RetentionDays
}{
	{1, awslogs.RetentionDays_ONE_DAY}, {3, awslogs.RetentionDays_THREE_DAYS}, {5, awslogs.RetentionDays_FIVE_DAYS},
	{7, awslogs.RetentionDays_ONE_WEEK}, {14, awslogs.RetentionDays_TWO_WEEKS}, {30, awslogs.RetentionDays_ONE_MONTH},
	{60, awslogs.RetentionDays_TWO_MONTHS}, {90, awslogs.RetentionDays_THREE_MONTHS}, {120, awslogs.RetentionDays_FOUR_MONTHS},
	{150, awslogs.RetentionDays_FIVE_MONTHS}, {180, awslogs.RetentionDays_SIX_MONTHS}, {365, awslogs.RetentionDays_ONE_YEAR},
	{400, awslogs.RetentionDays_THIRTEEN_MONTHS}, {545, awslogs.RetentionDays_EIGHTEEN_MONTHS}, {731, awslogs.RetentionDays_TWO_YEARS},
	{1096, awslogs.RetentionDays_THREE_YEARS}, {1827, awslogs.RetentionDays_FIVE_YEARS}, {2192, awslogs.RetentionDays_SIX_YEARS},
	{2557, awslogs.RetentionDays_SEVEN_YEARS}, {2922, awslogs.RetentionDays_EIGHT_YEARS}, {3288, awslogs.RetentionDays_NINE_YEARS},
	{3653, awslogs.RetentionDays_TEN_YEARS},
}

// LogRetention rounds days up to the next retention period CloudWatch Logs
// offers (beyond ten years: forever), for other log groups that keep records.
func LogRetention(days int) awslogs.RetentionDays { return retention(days) }

// retention rounds days up to the next period CloudWatch Logs offers.
func retention(days int) awslogs.RetentionDays {
	for _, r := range retentions {
		if days <= r.days {
			return r.r
		}
	}
	return awslogs.RetentionDays_INFINITE
}

// Retention rounds days up to the next retention period CloudWatch Logs
// offers, for other constructs' log groups.
func Retention(days int) awslogs.RetentionDays { return retention(days) }

// OrganizationWrites allows the Organizations actions that change which
// services the organization trusts or who administers them (e.g.
// organizations:EnableAWSServiceAccess, RegisterDelegatedAdministrator) for
// these service principals only, through the organizations:ServicePrincipal
// condition key. The actions take no resource ARN, so without the condition
// the caller could trust, or register a delegated administrator for, any
// service. A service that calls Organizations on its caller's behalf (e.g.
// guardduty:EnableOrganizationAdminAccount) is checked the same way, with its
// own principals.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
// https://docs.aws.amazon.com/organizations/latest/userguide/security_iam_id-based-policy-examples.html#orgs_permissions_grant-trusted-access-condition
func OrganizationWrites(principals []string, actions ...string) awsiam.PolicyStatement {
	if len(principals) == 0 || len(actions) == 0 {
		panic("sdkcall.OrganizationWrites: at least one service principal and one action are required")
	}
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsiix.Strs(actions),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"organizations:ServicePrincipal": jsiix.Strs(principals)}},
	})
}

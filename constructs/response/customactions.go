package response

import (
	"regexp"
	"unicode/utf8"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// CustomAction is one Security Hub custom action.
type CustomAction struct {
	// ID is 1 to 20 letters and digits, unique.
	ID string
	// Name is what analysts choose in the console: 1 to 20 characters.
	Name string
	// Description says what the action does. Required.
	Description string
}

// CustomActionsProps configures CustomActions.
type CustomActionsProps struct {
	// Actions are the custom actions. Required.
	Actions []CustomAction
	// Topic receives each finding an analyst sends to an action. Required.
	Topic awssns.ITopic
	// Calls creates the actions. Required.
	Calls *sdkcall.Provider
}

// CustomActions are Security Hub custom actions analysts send findings to
// from the console, and one EventBridge rule that routes those findings, with
// the action's name, to the topic.
//
// The actions are made with the Security Hub API (CreateActionTarget,
// UpdateActionTarget, DeleteActionTarget) rather than
// AWS::SecurityHub::ActionTarget: CDK's template validation reports that
// resource type as missing in regions such as eu-west-1, and the API works in
// every region Security Hub does. An action is configuration: it is deleted
// with the stack.
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-cwe-custom-actions.html
type CustomActions struct {
	Scope constructs.Construct
	// Arns are the actions' ARNs by ID.
	Arns map[string]*string
	Rule awsevents.Rule
}

var actionID = regexp.MustCompile(`^[A-Za-z0-9]{1,20}$`)

// NewCustomActions creates CustomActions. It panics listing every invalid
// prop.
func NewCustomActions(scope constructs.Construct, id string, props *CustomActionsProps) *CustomActions {
	var p CustomActionsProps
	if props != nil {
		p = *props
	}
	bad := problems.Of("response.NewCustomActions", id)
	if len(p.Actions) == 0 || p.Topic == nil || p.Calls == nil {
		bad.Add("Actions, Topic and Calls are required")
	}
	ids := map[string]bool{}
	for _, a := range p.Actions {
		if n := utf8.RuneCountInString(a.Name); !actionID.MatchString(a.ID) || n == 0 || n > 20 || a.Description == "" || ids[a.ID] {
			bad.Add("action %q needs a unique ID of 1 to 20 letters and digits, a name of 1 to 20 characters and a description", a.ID)
		}
		ids[a.ID] = true
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	c := &CustomActions{Scope: this, Arns: map[string]*string{}}
	var arns []*string
	for _, a := range p.Actions {
		// arn:PARTITION:securityhub:REGION:ACCOUNT:action/custom/ID, as
		// CreateActionTarget returns it.
		arn := stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("securityhub"), Resource: jsii.String("action"), ResourceName: jsii.String("custom/" + a.ID),
			ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		})
		call := func(action string, params map[string]interface{}) *customresources.AwsSdkCall {
			return &customresources.AwsSdkCall{
				Service: jsii.String("SecurityHub"), Action: jsii.String(action), Parameters: params,
				PhysicalResourceId: customresources.PhysicalResourceId_Of(arn),
			}
		}
		p.Calls.NewCall(this, a.ID, &sdkcall.CallProps{
			OnCreate:   call("CreateActionTarget", map[string]interface{}{"Id": a.ID, "Name": a.Name, "Description": a.Description}),
			OnUpdate:   call("UpdateActionTarget", map[string]interface{}{"ActionTargetArn": arn, "Name": a.Name, "Description": a.Description}),
			OnDelete:   call("DeleteActionTarget", map[string]interface{}{"ActionTargetArn": arn}),
			Statements: []awsiam.PolicyStatement{customActionStatement()},
		})
		c.Arns[a.ID] = arn
		arns = append(arns, arn)
	}
	nag.Suppress(p.Calls.Policy, false, nag.Rule{
		ID:        "AwsSolutions-IAM5",
		Reason:    "Security Hub's custom action calls are granted without a resource: no resource type for them is documented to scope by.",
		AppliesTo: []string{"Resource::*"},
	})
	c.Rule = awsevents.NewRule(this, jsii.String("Rule"), &awsevents.RuleProps{
		Description: jsii.String("Findings an analyst sent to a mamori Security Hub custom action"),
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings("aws.securityhub"),
			DetailType: jsii.Strings("Security Hub Findings - Custom Action"),
			Resources:  &arns,
		},
	})
	c.Rule.AddTarget(awseventstargets.NewSnsTopic(p.Topic, &awseventstargets.SnsTopicProps{
		Message: findingMessage(this, "finding sent to \""+*awsevents.EventField_FromPath(jsii.String("$.detail.actionName"))+"\"", "$.detail.findings[0]"),
	}))
	return c
}

// customActionStatement lets the calls manage custom actions. The Service
// Authorization Reference lists no resource type for these actions that
// mamori could rely on, so the statement names no resource; the calls only
// ever touch the actions above.
func customActionStatement() awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ManageCustomActions"),
		Actions:   jsii.Strings("securityhub:CreateActionTarget", "securityhub:UpdateActionTarget", "securityhub:DeleteActionTarget"),
		Resources: jsii.Strings("*"),
	})
}

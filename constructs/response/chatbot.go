package response

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2/awschatbot"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// SlackChannelProps configures a SlackChannel.
type SlackChannelProps struct {
	// Name names the channel configuration, unique in the account: 1 to 128
	// letters, digits, hyphens and underscores. Required.
	Name string
	// WorkspaceID is the Slack workspace ID, authorized once by hand in the
	// AWS Chatbot console. Required.
	WorkspaceID string
	// ChannelID is the Slack channel's ID. Required.
	ChannelID string
	// Topics deliver to the channel. Required.
	Topics []awssns.ITopic
}

// SlackChannel posts what the topics receive to a Slack channel through AWS
// Chatbot (Amazon Q Developer in chat applications). The channel only
// receives notifications: its role holds no permissions and its guardrail
// policy denies every action, so no one can run AWS commands from the
// channel (without a guardrail, Chatbot applies AdministratorAccess).
// https://docs.aws.amazon.com/chatbot/latest/adminguide/understanding-permissions.html
type SlackChannel struct {
	Scope         constructs.Construct
	Configuration awschatbot.CfnSlackChannelConfiguration
	Role          awsiam.Role
}

var chatbotName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// NewSlackChannel creates a SlackChannel.
func NewSlackChannel(scope constructs.Construct, id string, props *SlackChannelProps) *SlackChannel {
	var p SlackChannelProps
	if props != nil {
		p = *props
	}
	if !chatbotName.MatchString(p.Name) || p.WorkspaceID == "" || p.ChannelID == "" || len(p.Topics) == 0 {
		panic(fmt.Errorf("response.NewSlackChannel %q: Name (letters, digits, - and _), WorkspaceID, ChannelID and Topics are required", id))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	role := awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("chatbot.amazonaws.com"), nil),
		Description: jsii.String("AWS Chatbot channel role: delivers notifications only, no permissions"),
	})
	guardrail := awsiam.NewManagedPolicy(this, jsii.String("Guardrail"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("AWS Chatbot guardrail: the channel may run no AWS action"),
		Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("NoActionsFromChat"),
			Effect:    awsiam.Effect_DENY,
			Actions:   jsii.Strings("*"),
			Resources: jsii.Strings("*"),
		})},
	})
	var topics []interface{}
	for _, t := range p.Topics {
		topics = append(topics, t.TopicArn())
	}
	cfg := awschatbot.NewCfnSlackChannelConfiguration(this, jsii.String("Resource"), &awschatbot.CfnSlackChannelConfigurationProps{
		ConfigurationName: jsii.String(p.Name),
		IamRoleArn:        role.RoleArn(),
		SlackWorkspaceId:  jsii.String(p.WorkspaceID),
		SlackChannelId:    jsii.String(p.ChannelID),
		SnsTopicArns:      &topics,
		GuardrailPolicies: jsii.Strings(*guardrail.ManagedPolicyArn()),
		UserRoleRequired:  jsii.Bool(false),
		LoggingLevel:      jsii.String("ERROR"),
	})
	return &SlackChannel{Scope: this, Configuration: cfg, Role: role}
}

package dataprotection

import (
	"net/url"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
)

// SecureTopicProps configures a SecureTopic.
type SecureTopicProps struct {
	// EncryptionKey encrypts messages at rest. Its policy must let every
	// publishing service (e.g. events.amazonaws.com) use it. Required.
	EncryptionKey awskms.IKey
	// DisplayName is the e-mail sender name. Default: none.
	DisplayName string
	// Emails are subscribed; each must confirm by e-mail. Default: none.
	Emails []string
	// Webhooks are HTTPS endpoints subscribed; each must confirm the
	// subscription request it receives. Default: none.
	Webhooks []string
}

// SecureTopic is an SNS topic that encrypts messages with a customer managed
// key, accepts only TLS requests, refuses EventBridge rules of other accounts
// and regions, and delivers to the people and endpoints
// that should hear about security events.
type SecureTopic struct {
	Scope constructs.Construct
	Topic awssns.Topic
}

// NewSecureTopic creates a SecureTopic. It panics listing every invalid
// prop.
func NewSecureTopic(scope constructs.Construct, id string, props *SecureTopicProps) *SecureTopic {
	var p SecureTopicProps
	if props != nil {
		p = *props
	}
	bad := problems.Of("dataprotection.NewSecureTopic", id)
	if p.EncryptionKey == nil {
		bad.Add("EncryptionKey is required")
	}
	for _, w := range p.Webhooks {
		if u, err := url.Parse(w); err != nil || u.Scheme != "https" || u.Host == "" {
			bad.Add("webhook %q must be an https:// URL", w)
		}
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	topic := awssns.NewTopic(this, jsii.String("Resource"), &awssns.TopicProps{
		MasterKey:   p.EncryptionKey,
		EnforceSSL:  jsii.Bool(true),
		DisplayName: optional(p.DisplayName),
	})
	// EventBridge rules publish as events.amazonaws.com, and the CDK's SNS
	// rule target grants that principal sns:Publish with no condition, which
	// would let any account's rule publish here. Only this account's rules in
	// this region may: EventBridge sends the rule's account and ARN as
	// aws:SourceAccount and aws:SourceArn ("Cross-service confused deputy
	// prevention in Amazon EventBridge"), and the topic policy evaluates them.
	// https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
	// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn
	stack := awscdk.Stack_Of(this)
	denyEventBridge := func(sid string, condition map[string]interface{}) {
		topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String(sid),
			Effect:     awsiam.Effect_DENY,
			Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil)},
			Actions:    jsii.Strings("sns:Publish"),
			Resources:  jsii.Strings(*topic.TopicArn()),
			Conditions: &condition,
		}))
	}
	denyEventBridge("DenyEventBridgeExceptThisAccountsRules", map[string]interface{}{
		"StringNotEquals": map[string]interface{}{"aws:SourceAccount": stack.Account()},
	})
	denyEventBridge("DenyEventBridgeExceptThisRegionsRules", map[string]interface{}{
		"ArnNotLike": map[string]interface{}{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("events"), Resource: jsii.String("rule"), ResourceName: jsii.String("*"),
			ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		})},
	})
	for _, e := range p.Emails {
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(e), nil))
	}
	for _, w := range p.Webhooks {
		topic.AddSubscription(awssnssubscriptions.NewUrlSubscription(jsii.String(w), &awssnssubscriptions.UrlSubscriptionProps{
			Protocol: awssns.SubscriptionProtocol_HTTPS,
		}))
	}
	return &SecureTopic{Scope: this, Topic: topic}
}

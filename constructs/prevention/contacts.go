package prevention

import (
	_ "embed"
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/organization"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

//go:embed handlers/alternate-contacts.js
var alternateContactsHandler string

// ContactType is an alternate contact type.
type ContactType string

// The alternate contact types.
// https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
const (
	SecurityContact   ContactType = "SECURITY"
	OperationsContact ContactType = "OPERATIONS"
	BillingContact    ContactType = "BILLING"
)

// Contact is one alternate contact.
type Contact struct {
	Type                      ContactType
	Name, Title, Email, Phone string
}

// AlternateContactsProps configures AlternateContacts.
type AlternateContactsProps struct {
	// Calls runs the handler, in the management account. Required.
	Calls *sdkcall.Provider
	// Contacts are set on every account. Required: at least one.
	Contacts []Contact
	// After is what must exist first: trusted access for
	// account.amazonaws.com. Default: none.
	After []constructs.IDependable
}

// AlternateContacts sets the alternate contacts of every active account of
// the organization from the management account (account:PutAlternateContact
// with AccountId, which needs trusted access for the Account Management
// service), when deployed and whenever the contacts change, and again every
// day from an EventBridge schedule, so that accounts created or invited
// later get them within a day. A schedule rather than an EventBridge rule on
// CreateAccountResult and AcceptHandshake: those events reach EventBridge
// only in us-east-1, through CloudTrail, while the schedule needs no
// cross-region routing, also covers invited accounts and repairs a contact
// changed from outside the organization policies. A delete leaves the
// contacts set.
// https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html
type AlternateContacts struct {
	Scope constructs.Construct
	// Reconciler is the function the daily schedule runs.
	Reconciler awslambda.Function
}

// NewAlternateContacts creates AlternateContacts.
func NewAlternateContacts(scope constructs.Construct, id string, props *AlternateContactsProps) *AlternateContacts {
	var p AlternateContactsProps
	if props != nil {
		p = *props
	}
	if p.Calls == nil || len(p.Contacts) == 0 {
		panic(fmt.Errorf("prevention.NewAlternateContacts %q: Calls and at least one Contact are required", id))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	var contacts []interface{}
	for _, c := range p.Contacts {
		contacts = append(contacts, map[string]interface{}{"Type": string(c.Type), "Name": c.Name, "Title": c.Title, "Email": c.Email, "Phone": c.Phone})
	}
	properties := map[string]interface{}{"Contacts": contacts, "OrganizationsRegion": organization.OrganizationsRegion(stack)}
	// ListAccounts and PutAlternateContact on another account act on the
	// organization and on accounts only known at run time.
	statements := []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("organizations:DescribeOrganization", "organizations:ListAccounts", "account:PutAlternateContact"),
		Resources: jsii.Strings("*"),
	})}
	cr := p.Calls.NewWaitingCall(this, "AlternateContacts", &sdkcall.WaitingCallProps{
		HandlerName: "alternate-contacts", Handler: alternateContactsHandler, ResourceType: "Custom::AlternateContacts",
		Suppressions: []nag.Rule{{
			ID:        "AwsSolutions-IAM5",
			Reason:    "organizations:ListAccounts and account:PutAlternateContact act on the organization and on accounts only known when the handler lists them.",
			AppliesTo: []string{"Resource::*"},
		}},
		Properties: properties, Statements: statements, Timeout: 14 * time.Minute,
	})
	for _, d := range p.After {
		cr.Node().AddDependency(d)
	}

	fn := awslambda.NewFunction(this, jsii.String("Reconciler"), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_NODEJS_24_X(),
		// The waiting call's handler and role: the schedule runs the same
		// code with exactly the same permissions.
		Code:        sdkcall.HandlerCode("alternate-contacts", alternateContactsHandler),
		Handler:     jsii.String("alternate-contacts.handler"),
		Timeout:     awscdk.Duration_Minutes(jsii.Number(14)),
		Role:        p.Calls.HandlerRole("AlternateContacts"),
		LogGroup:    p.Calls.LogGroup,
		Description: jsii.String("mamori: sets every account's alternate contacts, daily, for accounts that joined since"),
	})
	fn.Node().AddDependency(cr)
	awsevents.NewRule(this, jsii.String("Daily"), &awsevents.RuleProps{
		Description: jsii.String("mamori: sets the alternate contacts on accounts that joined the organization"),
		Schedule:    awsevents.Schedule_Rate(awscdk.Duration_Days(jsii.Number(1))),
		Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{
			Event: awsevents.RuleTargetInput_FromObject(map[string]interface{}{"RequestType": "Reconcile", "ResourceProperties": properties}),
		})},
	})
	nag.Suppress(fn, true,
		nag.Rule{ID: "NIST.800.53.R5-LambdaInsideVPC", Reason: "The reconciler only calls the Organizations and Account Management APIs; a VPC would add NAT endpoints and cost without isolating anything."},
		nag.Rule{ID: "PCI.DSS.321-LambdaInsideVPC", Reason: "The reconciler only calls the Organizations and Account Management APIs; a VPC would add NAT endpoints and cost without isolating anything."},
		nag.Rule{ID: "NIST.800.53.R5-LambdaConcurrency", Reason: "The daily schedule is the only caller: one invocation a day bounds its concurrency."},
		nag.Rule{ID: "NIST.800.53.R5-LambdaDLQ", Reason: "A failed daily run is written to the provider's log group and the next day's run sets every contact again; a dead-letter queue would hold nothing more."},
	)
	return &AlternateContacts{Scope: this, Reconciler: fn}
}

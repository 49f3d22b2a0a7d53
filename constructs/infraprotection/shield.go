package infraprotection

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsshield"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
	"github.com/mamori-dev/mamori/internal/names"
)

// AutomaticResponse is the action of Shield Advanced's automatic
// application-layer DDoS mitigation.
type AutomaticResponse string

const (
	// NoAutomaticResponse leaves automatic mitigation off.
	NoAutomaticResponse AutomaticResponse = ""
	// BlockResponse blocks the requests the mitigation rules match.
	BlockResponse AutomaticResponse = "BLOCK"
	// CountResponse only counts them.
	CountResponse AutomaticResponse = "COUNT"
)

// ShieldProtection protects one resource.
type ShieldProtection struct {
	// Name of the protection.
	Name string
	// ResourceARN of the protected resource.
	ResourceARN string
	// AutomaticResponse for CloudFront distributions and Application Load
	// Balancers, which must have a web ACL. Default: NoAutomaticResponse.
	AutomaticResponse AutomaticResponse
}

// ShieldProtectionGroup groups protections for detection and mitigation.
type ShieldProtectionGroup struct {
	ID string
	// Aggregation is SUM, MEAN or MAX. Default: SUM.
	Aggregation string
	// Members are protection names; empty groups every protected resource.
	Members []string
}

// EmergencyContact is one contact of the Shield Response Team.
type EmergencyContact struct {
	Email, Phone, Notes string
}

// ShieldAdvancedProps configures ShieldAdvanced.
type ShieldAdvancedProps struct {
	// Calls runs the subscription call. Required.
	Calls *sdkcall.Provider
	// Protections are the protected resources. Default: none.
	Protections []ShieldProtection
	// ProtectionGroups group them. Default: none.
	ProtectionGroups []ShieldProtectionGroup
	// SRTAccess creates the Shield Response Team's role and grants it.
	// Default: false.
	SRTAccess bool
	// SRTLogBuckets are bucket names the team may read. Default: none.
	SRTLogBuckets []string
	// EmergencyContacts turn proactive engagement on. Default: none: off.
	EmergencyContacts []EmergencyContact
}

// ShieldAdvanced subscribes the account to AWS Shield Advanced and creates
// protections, protection groups, the Shield Response Team's access and
// proactive engagement. The subscription call tolerates an existing
// subscription and does nothing when the resource leaves the stack: the
// commitment runs for a year whatever mamori does. Shield's API is served
// from us-east-1 only, so the call is made there; deploy this construct in
// a us-east-1 stack.
type ShieldAdvanced struct {
	Scope        constructs.Construct
	Subscription customresources.AwsCustomResource
	Protections  map[string]awsshield.CfnProtection
	SRTRole      awsiam.Role
}

// NewShieldAdvanced creates ShieldAdvanced. It panics listing every invalid
// prop.
func NewShieldAdvanced(scope constructs.Construct, id string, props *ShieldAdvancedProps) *ShieldAdvanced {
	var p ShieldAdvancedProps
	if props != nil {
		p = *props
	}
	checkShieldAdvanced(id, p)
	this := constructs.NewConstruct(scope, jsii.String(id))
	s := &ShieldAdvanced{Scope: this, Protections: map[string]awsshield.CfnProtection{}}
	s.subscribe(p.Calls)
	arns := map[string]string{}
	for _, pr := range p.Protections {
		arns[pr.Name] = pr.ResourceARN
		s.protect(pr)
	}
	for _, g := range p.ProtectionGroups {
		s.group(g, arns)
	}
	if p.SRTAccess {
		s.grantSRT(p.SRTLogBuckets)
	}
	if len(p.EmergencyContacts) > 0 {
		var contacts []interface{}
		for _, c := range p.EmergencyContacts {
			ec := &awsshield.CfnProactiveEngagement_EmergencyContactProperty{EmailAddress: jsii.String(c.Email)}
			if c.Phone != "" {
				ec.PhoneNumber = jsii.String(c.Phone)
			}
			if c.Notes != "" {
				ec.ContactNotes = jsii.String(c.Notes)
			}
			contacts = append(contacts, ec)
		}
		awsshield.NewCfnProactiveEngagement(this, jsii.String("ProactiveEngagement"), &awsshield.CfnProactiveEngagementProps{
			ProactiveEngagementStatus: jsii.String("ENABLED"), EmergencyContactList: &contacts,
		}).Node().AddDependency(s.Subscription)
	}
	return s
}

// checkShieldAdvanced panics listing every invalid prop of p.
func checkShieldAdvanced(id string, p ShieldAdvancedProps) {
	bad := problems.Of("infraprotection.NewShieldAdvanced", id)
	if p.Calls == nil {
		bad.Add("Calls is required")
	}
	named := map[string]bool{}
	for _, pr := range p.Protections {
		if pr.Name == "" || pr.ResourceARN == "" {
			bad.Add("every protection needs a Name and a ResourceARN")
		}
		if named[pr.Name] {
			bad.Add("protection %q is named twice", pr.Name)
		}
		named[pr.Name] = true
		switch pr.AutomaticResponse {
		case NoAutomaticResponse:
		case BlockResponse, CountResponse:
			if !strings.Contains(pr.ResourceARN, ":cloudfront::") && !strings.Contains(pr.ResourceARN, ":loadbalancer/app/") {
				bad.Add("protection %q: automatic application-layer mitigation is for CloudFront distributions and Application Load Balancers", pr.Name)
			}
		default:
			bad.Add("protection %q: unknown automatic response %q", pr.Name, pr.AutomaticResponse)
		}
	}
	for _, g := range p.ProtectionGroups {
		for _, name := range g.Members {
			if !named[name] {
				bad.Add("protection group %q: no protection named %q", g.ID, name)
			}
		}
	}
	if !p.SRTAccess && len(p.SRTLogBuckets) > 0 {
		bad.Add("SRTLogBuckets need SRTAccess")
	}
	bad.Check()
}

// subscribe subscribes the account to Shield Advanced; every other resource
// waits for the subscription.
func (s *ShieldAdvanced) subscribe(calls *sdkcall.Provider) {
	// CreateSubscription takes no parameters and names no resource; an
	// existing subscription answers ResourceAlreadyExistsException.
	// https://docs.aws.amazon.com/waf/latest/DDOSAPIReference/API_CreateSubscription.html
	subscribe := &customresources.AwsSdkCall{
		Service: jsii.String("Shield"), Action: jsii.String("CreateSubscription"), Parameters: map[string]interface{}{},
		Region:                   jsii.String("us-east-1"),
		PhysicalResourceId:       customresources.PhysicalResourceId_Of(jsii.String("shield-advanced-subscription")),
		IgnoreErrorCodesMatching: jsii.String("ResourceAlreadyExistsException"),
	}
	s.Subscription = calls.NewCall(s.Scope, "Subscription", &sdkcall.CallProps{
		OnCreate: subscribe,
		// OnDelete is left out on purpose: unsubscribing is not an API call,
		// and the commitment outlives the stack.
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("shield:CreateSubscription"), Resources: jsii.Strings("*"),
		})},
	})
	nag.Suppress(calls.Policy, false, nag.Rule{
		ID:        "AwsSolutions-IAM5",
		Reason:    "shield:CreateSubscription acts on the calling account and supports no resource-level permissions.",
		AppliesTo: []string{"Resource::*"},
	})
}

// protect creates the protection of one resource, with automatic
// application-layer mitigation if asked.
func (s *ShieldAdvanced) protect(pr ShieldProtection) {
	props := &awsshield.CfnProtectionProps{Name: jsii.String(pr.Name), ResourceArn: jsii.String(pr.ResourceARN)}
	if pr.AutomaticResponse == BlockResponse || pr.AutomaticResponse == CountResponse {
		action := &awsshield.CfnProtection_ActionProperty{Block: map[string]interface{}{}}
		if pr.AutomaticResponse == CountResponse {
			action = &awsshield.CfnProtection_ActionProperty{Count: map[string]interface{}{}}
		}
		props.ApplicationLayerAutomaticResponseConfiguration = &awsshield.CfnProtection_ApplicationLayerAutomaticResponseConfigurationProperty{
			Status: jsii.String("ENABLED"), Action: action,
		}
	}
	prot := awsshield.NewCfnProtection(s.Scope, jsii.String("Protection"+names.Pascal(pr.Name)), props)
	prot.Node().AddDependency(s.Subscription)
	s.Protections[pr.Name] = prot
}

// group creates a protection group: every protected resource, or the
// members named, whose ARNs arns holds by protection name.
func (s *ShieldAdvanced) group(g ShieldProtectionGroup, arns map[string]string) {
	agg := g.Aggregation
	if agg == "" {
		agg = "SUM"
	}
	props := &awsshield.CfnProtectionGroupProps{ProtectionGroupId: jsii.String(g.ID), Aggregation: jsii.String(agg), Pattern: jsii.String("ALL")}
	if len(g.Members) > 0 {
		var members []string
		for _, name := range g.Members {
			members = append(members, arns[name])
		}
		props.Pattern, props.Members = jsii.String("ARBITRARY"), jsii.Strings(members...)
	}
	group := awsshield.NewCfnProtectionGroup(s.Scope, jsii.String("Group"+names.Pascal(g.ID)), props)
	group.Node().AddDependency(s.Subscription)
	for _, prot := range s.Protections {
		group.Node().AddDependency(prot)
	}
}

// grantSRT lets the Shield Response Team act on WAF and Shield, and read
// logBuckets, during an attack.
func (s *ShieldAdvanced) grantSRT(logBuckets []string) {
	s.SRTRole = awsiam.NewRole(s.Scope, jsii.String("SrtRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("drt.shield.amazonaws.com"), nil),
		Description: jsii.String("Lets the Shield Response Team act on WAF and Shield during a DDoS attack"),
		ManagedPolicies: &[]awsiam.IManagedPolicy{
			awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("service-role/AWSShieldDRTAccessPolicy")),
		},
	})
	nag.Suppress(s.SRTRole, false, nag.Rule{
		ID:        "AwsSolutions-IAM4",
		Reason:    "AWSShieldDRTAccessPolicy is the policy AWS defines for the Shield Response Team and keeps current with the actions it needs.",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSShieldDRTAccessPolicy"},
	})
	access := &awsshield.CfnDRTAccessProps{RoleArn: s.SRTRole.RoleArn()}
	if len(logBuckets) > 0 {
		access.LogBucketList = jsii.Strings(logBuckets...)
	}
	awsshield.NewCfnDRTAccess(s.Scope, jsii.String("SrtAccess"), access).Node().AddDependency(s.Subscription)
}

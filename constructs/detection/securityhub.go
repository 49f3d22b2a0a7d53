// Package detection holds the detection layer: Security Hub CSPM at the
// centre, fed by GuardDuty, AWS Config, IAM Access Analyzer and Inspector.
package detection

import (
	_ "embed"
	"maps"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecurityhub"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// Standard is a Security Hub CSPM security standard.
type Standard string

const (
	// FoundationalBestPractices is AWS Foundational Security Best Practices v1.0.0.
	FoundationalBestPractices Standard = "aws-foundational-security-best-practices"
	// CISFoundations is CIS AWS Foundations Benchmark v5.0.0, the newest
	// version Security Hub CSPM offers.
	CISFoundations Standard = "cis-aws-foundations-benchmark"
	// PCIDSS is PCI DSS v4.0.1.
	PCIDSS Standard = "pci-dss"
	// NIST80053 is NIST SP 800-53 Rev. 5.
	NIST80053 Standard = "nist-800-53"
)

// standardPaths are the resource paths of each standard's ARN
// (arn:PARTITION:securityhub:REGION::standards/PATH) and of its controls
// (arn:PARTITION:securityhub:REGION:ACCOUNT:control/PATH/CONTROL).
// https://docs.aws.amazon.com/securityhub/latest/userguide/standards-reference.html
var standardPaths = map[Standard]string{
	FoundationalBestPractices: "aws-foundational-security-best-practices/v/1.0.0",
	CISFoundations:            "cis-aws-foundations-benchmark/v/5.0.0",
	PCIDSS:                    "pci-dss/v/4.0.1",
	NIST80053:                 "nist-800-53/v/5.0.0",
}

// DisabledControl is one control switched off in one standard, with why.
type DisabledControl struct {
	// Standard is the standard the control is disabled in.
	Standard Standard
	// Control is the control's ID within that standard, as the Security Hub
	// console shows it: the security control ID (e.g. "IAM.6") for FSBP, NIST
	// and PCI DSS, the benchmark number (e.g. "1.14") for CIS.
	Control string
	// Reason is recorded in Security Hub for reviewers and auditors. Required.
	Reason string
}

// ParameterValue is one custom control parameter value: exactly one field is set.
type ParameterValue struct {
	Integer     *int
	IntegerList []int
	Double      *float64
	String      *string
	StringList  []string
	Boolean     *bool
	Enum        *string
	EnumList    []string
}

// ControlParameters customises the parameters of one security control.
type ControlParameters struct {
	// Control is the security control ID, e.g. "ACM.1".
	Control string
	// Parameters maps parameter name to value.
	Parameters map[string]ParameterValue
}

// FindingSuppression suppresses the findings of some controls for resources
// they cannot apply to, through a Security Hub automation rule that records
// the reason on each finding. It keeps mamori's own resources from showing
// as failures where AWS itself makes the control impossible to meet.
type FindingSuppression struct {
	// Name names the automation rule, in PascalCase. Required.
	Name string
	// Controls are security control IDs, e.g. "S3.9". Required.
	Controls []string
	// ResourceArns are the resources the controls do not apply to (at most 20).
	ResourceArns []*string
	// Reason is written into each suppressed finding's note (at most 512
	// characters). Required.
	Reason string
}

// SecurityHubProps configures SecurityHub.
type SecurityHubProps struct {
	// Standards are enabled explicitly; Security Hub's automatic default
	// standards are always off so that no standard is on that the props do
	// not name. Default: AWS Foundational Security Best Practices alone.
	Standards []Standard
	// NoStandards enables no standard at all, for an account whose standards
	// an organization's central configuration policy sets, or that checks
	// nothing by choice; Standards must then be empty. Default: false.
	NoStandards bool
	// DisabledControls are turned off, each in one enabled standard (at most
	// 100 per standard). Default: none.
	DisabledControls []DisabledControl
	// ControlParameters customise control parameters. Default: AWS defaults.
	ControlParameters []ControlParameters
	// StandardControlFindings produces one finding per standard for a control
	// that several standards share. Default: false: consolidated control
	// findings, one per control.
	StandardControlFindings bool
	// ManualNewControls leaves controls that AWS adds to enabled standards
	// disabled until enabled by hand. Default: false: new controls are enabled.
	ManualNewControls bool
	// AggregateRegions, when set, makes this the aggregation region: a finding
	// aggregator links these other regions' findings here. Default: none.
	AggregateRegions []string
	// CentralConfiguration marks the home Region of an organization's Security
	// Hub central configuration, which needs a finding aggregator here even
	// when AggregateRegions is empty ("Cross-Region aggregation is also a
	// prerequisite for using central configuration", AWS::SecurityHub::
	// FindingAggregator in the CloudFormation reference). CloudFormation's
	// aggregator must link a region, so with no region to link the aggregator
	// is made through the API with RegionLinkingMode NO_REGIONS, by a handler
	// run through Calls, and stays when it leaves the stack: central
	// configuration depends on it. Default: false: no aggregator when there
	// is no region to link.
	CentralConfiguration bool
	// Calls runs the API calls CloudFormation cannot make. Required with
	// CentralConfiguration and no AggregateRegions; unused otherwise.
	Calls *sdkcall.Provider
	// Suppressions suppress findings on resources a control cannot apply to;
	// Suppress adds more once the hub exists. Default: none.
	Suppressions []FindingSuppression
	// DependsOn are resources the standards need first, above all the AWS
	// Config recorder, because controls are evaluated from Config data.
	DependsOn []constructs.IDependable
	// ExistingHub leaves the account's existing hub out of the stack: the
	// standards, controls, rules and aggregator go onto it, and its own
	// settings (control findings, new controls) stay as they are.
	// Default: false: the construct creates the hub.
	ExistingHub bool
	// DestroyOnDelete disables Security Hub when the hub leaves the stack.
	// Default: false: the hub and its findings history are retained.
	DestroyOnDelete bool
}

// SecurityHub is Security Hub CSPM in one region: the hub with consolidated
// control findings, the chosen standards with disabled controls and custom
// parameters, and, in the aggregation region, the cross-region finding
// aggregator. AWS service integrations (GuardDuty, Inspector, Macie, Config,
// IAM Access Analyzer, Firewall Manager) deliver findings automatically once
// both services are on in the same account and region, so no product
// subscription is created for them.
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-internal-providers.html
type SecurityHub struct {
	Scope     constructs.Construct
	Hub       awssecurityhub.CfnHub
	Standards map[Standard]awssecurityhub.CfnStandard
	// Aggregator is CloudFormation's finding aggregator, when there are
	// regions to link; NoRegionsAggregator the API-made one that links none
	// (CentralConfiguration). At most one is set; Aggregation is either.
	Aggregator          awssecurityhub.CfnFindingAggregator
	NoRegionsAggregator awscdk.CustomResource

	// rules counts the automation rules made, for the next rule's order.
	rules int
}

// findingAggregatorHandler creates or updates the account's finding
// aggregator with no linked region; see the file.
//
//go:embed handlers/finding-aggregator.js
var findingAggregatorHandler string

var (
	// Security control IDs start with a service name ("IAM.6"), so that a
	// CIS benchmark number ("1.14") is rejected outside CIS.
	securityControlID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*\.[0-9]+$`)
	cisControlID      = regexp.MustCompile(`^[0-9]+(\.[0-9]+)+$`)
)

// NewSecurityHub creates a SecurityHub. It panics listing every invalid
// prop.
func NewSecurityHub(scope constructs.Construct, id string, props *SecurityHubProps) *SecurityHub {
	var p SecurityHubProps
	if props != nil {
		p = *props
	}
	if !p.NoStandards && len(p.Standards) == 0 {
		p.Standards = []Standard{FoundationalBestPractices}
	}
	checkSecurityHub(id, p)

	this := constructs.NewConstruct(scope, jsii.String(id))
	var hub awssecurityhub.CfnHub
	if !p.ExistingHub {
		hub = awssecurityhub.NewCfnHub(this, jsii.String("Resource"), &awssecurityhub.CfnHubProps{
			EnableDefaultStandards:  jsii.Bool(false),
			AutoEnableControls:      jsii.Bool(!p.ManualNewControls),
			ControlFindingGenerator: jsii.String(map[bool]string{false: "SECURITY_CONTROL", true: "STANDARD_CONTROL"}[p.StandardControlFindings]),
		})
		hub.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	}
	sh := &SecurityHub{Scope: this, Hub: hub, Standards: map[Standard]awssecurityhub.CfnStandard{}}
	disabled := map[Standard][]DisabledControl{}
	for _, d := range p.DisabledControls {
		disabled[d.Standard] = append(disabled[d.Standard], d)
	}
	for _, std := range p.Standards {
		standard := sh.enableStandard(std, disabled[std])
		for _, d := range p.DependsOn {
			standard.Node().AddDependency(d)
		}
		sh.Standards[std] = standard
	}
	for _, cp := range p.ControlParameters {
		params := map[string]interface{}{}
		for _, name := range slices.Sorted(maps.Keys(cp.Parameters)) {
			value, _ := parameterValue(cp.Parameters[name])
			params[name] = &awssecurityhub.CfnSecurityControl_ParameterConfigurationProperty{
				ValueType: jsii.String("CUSTOM"),
				Value:     value,
			}
		}
		control := awssecurityhub.NewCfnSecurityControl(this, jsii.String("Parameters"+cp.Control), &awssecurityhub.CfnSecurityControlProps{
			SecurityControlId: jsii.String(cp.Control),
			Parameters:        params,
			LastUpdateReason:  jsii.String("Set by mamori configuration"),
		})
		sh.afterHub(control)
	}
	sh.Suppress(p.Suppressions)
	switch {
	case len(p.AggregateRegions) > 0:
		sh.Aggregator = awssecurityhub.NewCfnFindingAggregator(this, jsii.String("Aggregator"), &awssecurityhub.CfnFindingAggregatorProps{
			RegionLinkingMode: jsii.String("SPECIFIED_REGIONS"),
			Regions:           jsiix.Strs(p.AggregateRegions),
		})
		sh.afterHub(sh.Aggregator)
	case p.CentralConfiguration:
		sh.NoRegionsAggregator = newNoRegionsAggregator(this, p.Calls)
		if sh.Hub != nil {
			sh.NoRegionsAggregator.Node().AddDependency(sh.Hub)
		}
	}
	return sh
}

// newNoRegionsAggregator makes the account's finding aggregator link no
// region, through the Security Hub API: AWS::SecurityHub::FindingAggregator
// allows only ALL_REGIONS, ALL_REGIONS_EXCEPT_SPECIFIED and SPECIFIED_REGIONS
// (CloudFormation reference, AWS::SecurityHub::FindingAggregator), while
// CreateFindingAggregator and UpdateFindingAggregator also take NO_REGIONS,
// which "aggregates no data because no Regions are selected as linked
// Regions" (Security Hub API Reference, CreateFindingAggregator).
func newNoRegionsAggregator(this constructs.Construct, calls *sdkcall.Provider) awscdk.CustomResource {
	stack := awscdk.Stack_Of(this)
	// The aggregator's ARN ends in an ID Security Hub generates; creating and
	// listing aggregators take no resource (Service Authorization Reference,
	// "Actions, resources, and condition keys for AWS Security Hub").
	// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecurityhub.html
	statements := []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("securityhub:ListFindingAggregators", "securityhub:CreateFindingAggregator"),
			Resources: jsii.Strings("*"),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("securityhub:UpdateFindingAggregator"),
			Resources: jsii.Strings(*stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("securityhub"), Resource: jsii.String("finding-aggregator"), ResourceName: jsii.String("*"),
				ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
			})),
		}),
	}
	wildcards := nag.Rule{
		ID: "AwsSolutions-IAM5",
		Reason: "securityhub:ListFindingAggregators and CreateFindingAggregator act on the calling account and support no resource-level permissions; " +
			"UpdateFindingAggregator is limited to this account's finding aggregators in this region, whose IDs Security Hub generates.",
		AppliesTo:      []string{"Resource::*"},
		AppliesToRegex: []string{`/^Resource::arn:[^:]+:securityhub:[^:]+:(<AWS::AccountId>|[0-9]{12}):finding-aggregator\/\*$/`},
	}
	return calls.NewWaitingCall(this, "NoRegionsAggregator", &sdkcall.WaitingCallProps{
		HandlerName:  "finding-aggregator",
		Handler:      findingAggregatorHandler,
		ResourceType: "Custom::SecurityHubFindingAggregator",
		Statements:   statements,
		Suppressions: []nag.Rule{wildcards},
		Timeout:      5 * time.Minute,
	})
}

// Aggregation is the finding aggregator, whichever kind the hub has, for
// what needs cross-Region aggregation first (central configuration); nil
// when there is none.
func (sh *SecurityHub) Aggregation() constructs.IDependable {
	switch {
	case sh.Aggregator != nil:
		return sh.Aggregator
	case sh.NoRegionsAggregator != nil:
		return sh.NoRegionsAggregator
	}
	return nil
}

// Suppress adds automation rules for suppressions, after the hub, in rule
// order after those made before: a stack adds those that name resources
// made with the hub (the NoRegionsAggregator's function) this way.
func (sh *SecurityHub) Suppress(suppressions []FindingSuppression) {
	for _, rule := range newSuppressionRules(sh.Scope, suppressions, 900+sh.rules) {
		sh.afterHub(rule)
	}
	sh.rules += len(suppressions)
}

// checkSecurityHub panics listing every invalid prop of p, its default
// standard applied.
func checkSecurityHub(id string, p SecurityHubProps) {
	bad := problems.Of("detection.NewSecurityHub", id)
	if p.NoStandards && len(p.Standards) > 0 {
		bad.Add("NoStandards with Standards %v", p.Standards)
	}
	if p.CentralConfiguration && len(p.AggregateRegions) == 0 && p.Calls == nil {
		bad.Add("CentralConfiguration without AggregateRegions needs Calls, to make a finding aggregator that links no region")
	}
	perStandard := map[Standard]int{}
	for _, d := range p.DisabledControls {
		if !slices.Contains(p.Standards, d.Standard) {
			bad.Add("control %q is disabled in %q, which is not enabled", d.Control, d.Standard)
		}
		pattern := securityControlID
		if d.Standard == CISFoundations {
			pattern = cisControlID
		}
		if !pattern.MatchString(d.Control) || d.Reason == "" {
			bad.Add("disabled control %q in %q needs an ID matching %s and a reason", d.Control, d.Standard, pattern)
		}
		perStandard[d.Standard]++
	}
	for _, std := range p.Standards {
		if _, ok := standardPaths[std]; !ok {
			bad.Add("unknown standard %q", std)
		}
		if n := perStandard[std]; n > 100 {
			bad.Add("%d controls disabled in %q; Security Hub allows at most 100", n, std)
		}
	}
	for _, cp := range p.ControlParameters {
		if !securityControlID.MatchString(cp.Control) || len(cp.Parameters) == 0 {
			bad.Add("control parameters for %q need a security control ID and at least one parameter", cp.Control)
		}
		for _, name := range slices.Sorted(maps.Keys(cp.Parameters)) {
			if _, set := parameterValue(cp.Parameters[name]); set != 1 {
				bad.Add("parameter %s of %s sets %d values; exactly one is allowed", name, cp.Control, set)
			}
		}
	}
	bad.Check()
}

// afterHub orders a resource after the hub the stack creates.
func (sh *SecurityHub) afterHub(r awscdk.CfnResource) {
	if sh.Hub != nil {
		r.AddResourceDependency(sh.Hub, nil)
	}
}

// enableStandard enables std with the controls ds disabled, in control
// order, each with its reason.
func (sh *SecurityHub) enableStandard(std Standard, ds []DisabledControl) awssecurityhub.CfnStandard {
	stack := awscdk.Stack_Of(sh.Scope)
	path := standardPaths[std]
	var controls []interface{}
	sort.Slice(ds, func(i, j int) bool { return ds[i].Control < ds[j].Control })
	for _, d := range ds {
		controls = append(controls, &awssecurityhub.CfnStandard_StandardsControlProperty{
			StandardsControlArn: stack.FormatArn(&awscdk.ArnComponents{
				Service:      jsii.String("securityhub"),
				Resource:     jsii.String("control"),
				ResourceName: jsii.String(path + "/" + d.Control),
				ArnFormat:    awscdk.ArnFormat_SLASH_RESOURCE_NAME,
			}),
			Reason: jsii.String(d.Reason),
		})
	}
	standard := awssecurityhub.NewCfnStandard(sh.Scope, jsii.String(string(std)), &awssecurityhub.CfnStandardProps{
		StandardsArn: stack.FormatArn(&awscdk.ArnComponents{
			Service:      jsii.String("securityhub"),
			Account:      jsii.String(""),
			Resource:     jsii.String("standards"),
			ResourceName: jsii.String(path),
			ArnFormat:    awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		}),
		DisabledStandardsControls: controls,
	})
	sh.afterHub(standard)
	return standard
}

// parameterValue is v as CloudFormation takes it, and how many of its
// fields are set: exactly one is allowed.
func parameterValue(v ParameterValue) (*awssecurityhub.CfnSecurityControl_ParameterValueProperty, int) {
	out := &awssecurityhub.CfnSecurityControl_ParameterValueProperty{}
	set := 0
	if v.Integer != nil {
		out.Integer, set = jsii.Number(float64(*v.Integer)), set+1
	}
	if v.IntegerList != nil {
		nums := make([]*float64, len(v.IntegerList))
		for i, n := range v.IntegerList {
			nums[i] = jsii.Number(float64(n))
		}
		out.IntegerList, set = &nums, set+1
	}
	if v.Double != nil {
		out.Double, set = jsii.Number(*v.Double), set+1
	}
	if v.String != nil {
		out.String, set = jsii.String(*v.String), set+1
	}
	if v.StringList != nil {
		out.StringList, set = jsiix.Strs(v.StringList), set+1
	}
	if v.Boolean != nil {
		out.Boolean, set = jsii.Bool(*v.Boolean), set+1
	}
	if v.Enum != nil {
		out.Enum, set = jsii.String(*v.Enum), set+1
	}
	if v.EnumList != nil {
		out.EnumList, set = jsiix.Strs(v.EnumList), set+1
	}
	return out, set
}

// NewFindingSuppressions adds Security Hub automation rules that suppress,
// with their reasons, findings on resources a later layer creates, in an
// account and region whose hub an earlier stack enabled. firstOrder is the
// first rule order (1 to 1000) the rules take, one each; Security Hub applies
// rules in ascending order, and mamori keeps 1-899 for the response layer's
// configured rules.
func NewFindingSuppressions(scope constructs.Construct, id string, suppressions []FindingSuppression, firstOrder int) {
	newSuppressionRules(constructs.NewConstruct(scope, jsii.String(id)), suppressions, firstOrder)
}

// newSuppressionRules makes one automation rule per suppression.
func newSuppressionRules(scope constructs.Construct, suppressions []FindingSuppression, firstOrder int) []awssecurityhub.CfnAutomationRule {
	bad := problems.New("detection.FindingSuppression")
	for i, sup := range suppressions {
		if sup.Name == "" || len(sup.Controls) == 0 || len(sup.ResourceArns) == 0 || len(sup.ResourceArns) > 20 || sup.Reason == "" || len(sup.Reason) > 512 {
			bad.Add("suppression %q needs a name, controls, 1 to 20 resources and a reason of at most 512 characters", sup.Name)
		}
		if order := firstOrder + i; order < 1 || order > 1000 {
			bad.Add("suppression %q would take rule order %d; Security Hub allows 1 to 1000", sup.Name, order)
		}
		for _, c := range sup.Controls {
			if !securityControlID.MatchString(c) {
				bad.Add("suppression %q: %q is not a security control ID", sup.Name, c)
			}
		}
	}
	bad.Check()
	var rules []awssecurityhub.CfnAutomationRule
	for i, sup := range suppressions {
		var controls, resources []interface{}
		for _, c := range sup.Controls {
			controls = append(controls, &awssecurityhub.CfnAutomationRule_StringFilterProperty{Comparison: jsii.String("EQUALS"), Value: jsii.String(c)})
		}
		for _, arn := range sup.ResourceArns {
			resources = append(resources, &awssecurityhub.CfnAutomationRule_StringFilterProperty{Comparison: jsii.String("EQUALS"), Value: arn})
		}
		rules = append(rules, awssecurityhub.NewCfnAutomationRule(scope, jsii.String("Suppress"+sup.Name), &awssecurityhub.CfnAutomationRuleProps{
			RuleName:    jsii.String("mamori-" + sup.Name),
			Description: jsii.String(sup.Reason),
			RuleStatus:  jsii.String("ENABLED"),
			RuleOrder:   jsii.Number(float64(firstOrder + i)),
			IsTerminal:  jsii.Bool(false),
			Criteria: &awssecurityhub.CfnAutomationRule_AutomationRulesFindingFiltersProperty{
				ComplianceSecurityControlId: controls,
				ResourceId:                  resources,
			},
			Actions: []interface{}{&awssecurityhub.CfnAutomationRule_AutomationRulesActionProperty{
				Type: jsii.String("FINDING_FIELDS_UPDATE"),
				FindingFieldsUpdate: &awssecurityhub.CfnAutomationRule_AutomationRulesFindingFieldsUpdateProperty{
					Workflow: &awssecurityhub.CfnAutomationRule_WorkflowUpdateProperty{Status: jsii.String("SUPPRESSED")},
					Note:     &awssecurityhub.CfnAutomationRule_NoteUpdateProperty{Text: jsii.String(sup.Reason), UpdatedBy: jsii.String("mamori")},
				},
			}},
		}))
	}
	return rules
}

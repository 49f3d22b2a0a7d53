package response

import (
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awssecurityhub"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
)

// AutomationRule is one Security Hub automation rule from configuration.
type AutomationRule struct {
	// Name, 1 to 256 characters. Required.
	Name string
	// Description says why the rule exists. Required.
	Description string
	// Order runs rules lowest first, 1 to 899: the detection layer's
	// suppressions of mamori's own resources (detection.FindingSuppression)
	// take 900 and above.
	Order int
	// Terminal stops later rules from processing a matched finding.
	Terminal bool

	// Criteria: every one set must match; a list matches any of its values.
	AccountIDs     []string
	ProductNames   []string
	TypePrefixes   []string
	ControlIDs     []string
	SeverityLabels []SeverityLabel
	ResourceTags   map[string]string

	// Actions: every one set is applied.
	SetSeverity       SeverityLabel
	SetWorkflowStatus string
	Note              string
	UserDefinedFields map[string]string
}

// AutomationRulesProps configures AutomationRules.
type AutomationRulesProps struct {
	Rules []AutomationRule
}

// AutomationRules are Security Hub automation rules that raise, suppress or
// annotate findings as Security Hub receives them, e.g. raising the severity
// of findings in production accounts, suppressing a finding type a sandbox
// does not care about, or writing the owning team into each finding.
// The detection layer's own suppressions stay where they are (orders 900+):
// these rules are the configured ones, in the order the configuration gives.
// https://docs.aws.amazon.com/securityhub/latest/userguide/automation-rules.html
type AutomationRules struct {
	Scope constructs.Construct
	Rules []awssecurityhub.CfnAutomationRule
}

// NewAutomationRules creates AutomationRules. It panics listing every
// invalid rule.
func NewAutomationRules(scope constructs.Construct, id string, props *AutomationRulesProps) *AutomationRules {
	var p AutomationRulesProps
	if props != nil {
		p = *props
	}
	bad := problems.Of("response.NewAutomationRules", id)
	orders := map[int]bool{}
	for _, r := range p.Rules {
		if r.Name == "" || r.Description == "" || r.Order < 1 || r.Order > 899 || orders[r.Order] {
			bad.Add("rule %q needs a name, a description and a unique order from 1 to 899", r.Name)
		}
		orders[r.Order] = true
		if _, n := ruleCriteria(r); n == 0 {
			bad.Add("rule %q has no criteria: it would update every finding", r.Name)
		}
		if r.SetSeverity != "" && !slices.Contains(severityLabels, r.SetSeverity) {
			bad.Add("rule %q: unknown severity label %q", r.Name, r.SetSeverity)
		}
		if _, n := ruleUpdate(r); n == 0 {
			bad.Add("rule %q has no action", r.Name)
		}
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	out := &AutomationRules{Scope: this}
	for _, r := range p.Rules {
		criteria, _ := ruleCriteria(r)
		update, _ := ruleUpdate(r)
		rule := awssecurityhub.NewCfnAutomationRule(this, jsii.String(ruleID(r.Name)), &awssecurityhub.CfnAutomationRuleProps{
			RuleName:    jsii.String(r.Name),
			Description: jsii.String(r.Description),
			RuleStatus:  jsii.String("ENABLED"),
			RuleOrder:   jsii.Number(float64(r.Order)),
			IsTerminal:  jsii.Bool(r.Terminal),
			Criteria:    criteria,
			Actions: []interface{}{&awssecurityhub.CfnAutomationRule_AutomationRulesActionProperty{
				Type:                jsii.String("FINDING_FIELDS_UPDATE"),
				FindingFieldsUpdate: update,
			}},
		})
		out.Rules = append(out.Rules, rule)
	}
	return out
}

// ruleCriteria are the findings r matches, and how many criteria it sets:
// none would match every finding.
func ruleCriteria(r AutomationRule) (*awssecurityhub.CfnAutomationRule_AutomationRulesFindingFiltersProperty, int) {
	strs := func(comparison string, values []string) []interface{} {
		var out []interface{}
		for _, v := range values {
			out = append(out, &awssecurityhub.CfnAutomationRule_StringFilterProperty{Comparison: jsii.String(comparison), Value: jsii.String(v)})
		}
		return out
	}
	var labels []string
	for _, l := range r.SeverityLabels {
		labels = append(labels, string(l))
	}
	criteria := &awssecurityhub.CfnAutomationRule_AutomationRulesFindingFiltersProperty{}
	set := 0
	if f := strs("EQUALS", r.AccountIDs); f != nil {
		criteria.AwsAccountId, set = f, set+1
	}
	if f := strs("EQUALS", r.ProductNames); f != nil {
		criteria.ProductName, set = f, set+1
	}
	if f := strs("PREFIX", r.TypePrefixes); f != nil {
		criteria.Type, set = f, set+1
	}
	if f := strs("EQUALS", r.ControlIDs); f != nil {
		criteria.ComplianceSecurityControlId, set = f, set+1
	}
	if f := strs("EQUALS", labels); f != nil {
		criteria.SeverityLabel, set = f, set+1
	}
	if len(r.ResourceTags) > 0 {
		var tags []interface{}
		for _, k := range slices.Sorted(maps.Keys(r.ResourceTags)) {
			tags = append(tags, &awssecurityhub.CfnAutomationRule_MapFilterProperty{Comparison: jsii.String("EQUALS"), Key: jsii.String(k), Value: jsii.String(r.ResourceTags[k])})
		}
		criteria.ResourceTags, set = tags, set+1
	}
	return criteria, set
}

// ruleUpdate is what r changes in the findings it matches, and how many
// fields it changes.
func ruleUpdate(r AutomationRule) (*awssecurityhub.CfnAutomationRule_AutomationRulesFindingFieldsUpdateProperty, int) {
	update := &awssecurityhub.CfnAutomationRule_AutomationRulesFindingFieldsUpdateProperty{}
	actions := 0
	if r.SetSeverity != "" {
		update.Severity, actions = &awssecurityhub.CfnAutomationRule_SeverityUpdateProperty{Label: jsii.String(string(r.SetSeverity))}, actions+1
	}
	if r.SetWorkflowStatus != "" {
		update.Workflow, actions = &awssecurityhub.CfnAutomationRule_WorkflowUpdateProperty{Status: jsii.String(r.SetWorkflowStatus)}, actions+1
	}
	if r.Note != "" {
		update.Note, actions = &awssecurityhub.CfnAutomationRule_NoteUpdateProperty{Text: jsii.String(r.Note), UpdatedBy: jsii.String("mamori")}, actions+1
	}
	if len(r.UserDefinedFields) > 0 {
		fields := map[string]*string{}
		for k, v := range r.UserDefinedFields {
			fields[k] = jsii.String(v)
		}
		update.UserDefinedFields, actions = &fields, actions+1
	}
	return update, actions
}

// ruleID turns a rule name into a construct ID: "/" is reserved in IDs.
func ruleID(name string) string { return strings.ReplaceAll(name, "/", "|") }

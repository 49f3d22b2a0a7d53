package stacks

import (
	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/response"
)

// The functions below translate the response config into construct props.
// They create no constructs, so they are tested without Node.js.

// customActions are the Security Hub custom actions, in config order.
func customActions(actions []config.CustomAction) []response.CustomAction {
	var out []response.CustomAction
	for _, a := range actions {
		out = append(out, response.CustomAction{ID: a.ID, Name: a.Name, Description: a.Description})
	}
	return out
}

// automationRules are the Security Hub automation rules, in config order.
func automationRules(rules []config.AutomationRule) []response.AutomationRule {
	var out []response.AutomationRule
	for _, ar := range rules {
		c, a := ar.Criteria, ar.Actions
		rule := response.AutomationRule{
			Name: ar.Name, Description: ar.Description, Order: ar.Order, Terminal: ar.Terminal,
			AccountIDs: c.AccountIDs, ProductNames: c.ProductNames, TypePrefixes: c.TypePrefixes, ControlIDs: c.ControlIDs,
			ResourceTags: c.ResourceTags, SetSeverity: response.SeverityLabel(a.SeverityLabel),
			SetWorkflowStatus: string(a.WorkflowStatus), Note: a.Note, UserDefinedFields: a.UserDefinedFields,
		}
		for _, l := range c.SeverityLabels {
			rule.SeverityLabels = append(rule.SeverityLabels, response.SeverityLabel(l))
		}
		out = append(out, rule)
	}
	return out
}

// insights are the Security Hub custom insights, in config order.
func insights(ins []config.Insight) []response.Insight {
	var out []response.Insight
	for _, in := range ins {
		insight := response.Insight{Name: in.Name, GroupBy: string(in.GroupBy), ControlIDs: in.ControlIDs, ProductNames: in.ProductNames, FailedOnly: in.FailedOnly}
		for _, l := range in.SeverityLabels {
			insight.SeverityLabels = append(insight.SeverityLabels, response.SeverityLabel(l))
		}
		out = append(out, insight)
	}
	return out
}

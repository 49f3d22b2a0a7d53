package response

import (
	"testing"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestEveryProblemAtOnce: a constructor given several invalid props lists
// them all in one panic, not only the first.
func TestEveryProblemAtOnce(t *testing.T) {
	cdktest.PanicsWith(t, `response.NewAutomationRules "Rules": rule "" needs a name, a description and a unique order from 1 to 899; rule "" has no criteria: it would update every finding; rule "" has no action; rule "b" needs a name`, func() {
		NewAutomationRules(cdktest.NewStack(t, cdktest.Env), "Rules", &AutomationRulesProps{Rules: []AutomationRule{{}, {Name: "b", Order: 900}}})
	})
	cdktest.PanicsWith(t, `response.NewInsights "Insights": insight "x" needs a unique name of 1 to 128 characters and a GroupBy attribute; insight "x": unknown severity label "SEVERE"`, func() {
		NewInsights(cdktest.NewStack(t, cdktest.Env), "Insights", &InsightsProps{Insights: []Insight{{Name: "x", SeverityLabels: []SeverityLabel{"SEVERE"}}}})
	})
	cdktest.PanicsWith(t, `response.NewFindingNotifications "Findings": Topic is required; unknown severity label "SEVERE"`, func() {
		NewFindingNotifications(cdktest.NewStack(t, cdktest.Env), "Findings", &FindingNotificationsProps{MinimumSeverity: "SEVERE"})
	})
	cdktest.PanicsWith(t, `response.NewRemediation "X": RuleName and a known Runbook are required, not "AWS-DeleteEverything"; MaximumAutomaticAttempts must be 1 to 25`, func() {
		NewRemediation(cdktest.NewStack(t, cdktest.Env), "X", &RemediationProps{Runbook: "AWS-DeleteEverything", MaximumAutomaticAttempts: 26})
	})
	cdktest.PanicsWith(t, `response.NewCustomActions "Actions": Actions, Topic and Calls are required; action "a-b" needs a unique ID`, func() {
		NewCustomActions(cdktest.NewStack(t, cdktest.Env), "Actions", &CustomActionsProps{Actions: []CustomAction{{ID: "a-b"}}})
	})
}

package response

import (
	"testing"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestEveryProblemAtOnce: a constructor given several invalid props lists
// them all in one panic, not only the first.
func TestEveryProblemAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		build      func(t *testing.T)
	}{
		{"AutomationRules", `response.NewAutomationRules "Rules": rule "" needs a name, a description and a unique order from 1 to 899; rule "" has no criteria: it would update every finding; rule "" has no action; rule "b" needs a name`, func(t *testing.T) {
			NewAutomationRules(cdktest.NewStack(t, cdktest.Env), "Rules", &AutomationRulesProps{Rules: []AutomationRule{{}, {Name: "b", Order: 900}}})
		}},
		{"Insights", `response.NewInsights "Insights": insight "x" needs a unique name of 1 to 128 characters and a GroupBy attribute; insight "x": unknown severity label "SEVERE"`, func(t *testing.T) {
			NewInsights(cdktest.NewStack(t, cdktest.Env), "Insights", &InsightsProps{Insights: []Insight{{Name: "x", SeverityLabels: []SeverityLabel{"SEVERE"}}}})
		}},
		{"FindingNotifications", `response.NewFindingNotifications "Findings": Topic is required; unknown severity label "SEVERE"`, func(t *testing.T) {
			NewFindingNotifications(cdktest.NewStack(t, cdktest.Env), "Findings", &FindingNotificationsProps{MinimumSeverity: "SEVERE"})
		}},
		{"Remediation", `response.NewRemediation "X": RuleName and a known Runbook are required, not "AWS-DeleteEverything"; MaximumAutomaticAttempts must be 1 to 25`, func(t *testing.T) {
			NewRemediation(cdktest.NewStack(t, cdktest.Env), "X", &RemediationProps{Runbook: "AWS-DeleteEverything", MaximumAutomaticAttempts: 26})
		}},
		{"CustomActions", `response.NewCustomActions "Actions": Actions, Topic and Calls are required; action "a-b" needs a unique ID`, func(t *testing.T) {
			NewCustomActions(cdktest.NewStack(t, cdktest.Env), "Actions", &CustomActionsProps{Actions: []CustomAction{{ID: "a-b"}}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cdktest.PanicsWith(t, tc.want, func() { tc.build(t) })
		})
	}
}

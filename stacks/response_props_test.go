package stacks

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/response"
)

func TestAutomationRules(t *testing.T) {
	got := automationRules([]config.AutomationRule{{
		Name: "sandbox-low", Description: "sandbox findings are low until triaged", Order: 10, Terminal: true,
		Criteria: config.AutomationCriteria{AccountIDs: []string{"222222222222"}, SeverityLabels: []config.SeverityLabel{"HIGH", "CRITICAL"}},
		Actions:  config.AutomationActions{SeverityLabel: "LOW", WorkflowStatus: "NOTIFIED", Note: "sandbox"},
	}})
	assert.Equal(t, []response.AutomationRule{{
		Name: "sandbox-low", Description: "sandbox findings are low until triaged", Order: 10, Terminal: true,
		AccountIDs: []string{"222222222222"}, SeverityLabels: []response.SeverityLabel{"HIGH", "CRITICAL"},
		SetSeverity: "LOW", SetWorkflowStatus: "NOTIFIED", Note: "sandbox",
	}}, got)
	assert.Nil(t, automationRules(nil))
}

func TestInsights(t *testing.T) {
	got := insights([]config.Insight{{Name: "failed IAM controls", GroupBy: "ResourceId", ControlIDs: []string{"IAM.6"}, FailedOnly: true, SeverityLabels: []config.SeverityLabel{"CRITICAL"}}})
	assert.Equal(t, []response.Insight{{Name: "failed IAM controls", GroupBy: "ResourceId", ControlIDs: []string{"IAM.6"}, FailedOnly: true, SeverityLabels: []response.SeverityLabel{"CRITICAL"}}}, got)
}

func TestOtherRegions(t *testing.T) {
	assert.Equal(t, []string{"eu-central-1", "us-east-1"}, otherRegions([]string{"eu-central-1", "eu-west-1", "us-east-1"}, "eu-west-1"))
	assert.Nil(t, otherRegions([]string{"eu-west-1"}, "eu-west-1"))
}

func TestResponseInRegion(t *testing.T) {
	cfg := &config.Config{HomeRegion: "us-east-1", Regions: []string{"us-east-1", "eu-west-1"}}
	cfg.Detection.SecurityHub = config.SecurityHub{Enabled: true, ExcludeRegions: []string{"eu-west-1"}}
	cfg.Detection.Config = config.ConfigService{Enabled: true, ExcludeRegions: []string{"eu-west-1"}}
	assert.True(t, responseInRegion(cfg, "us-east-1"))
	assert.False(t, responseInRegion(cfg, "eu-west-1"), "nothing to respond with where Security Hub and AWS Config are excluded")
	cfg.Response.UnifiedSecurityHub.Enabled = true
	cfg.Response.Remediations = []config.Remediation{{Control: "ssh-open-to-world"}}
	assert.False(t, responseInRegion(cfg, "eu-west-1"), "the unified Security Hub and remediations follow the exclusions")
	cfg.Response.Detective = config.Detective{Enabled: true}
	assert.True(t, responseInRegion(cfg, "eu-west-1"), "Detective does not need Security Hub")
}

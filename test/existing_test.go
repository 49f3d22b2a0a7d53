package test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/stacks"
)

// resourcesOf returns the resources of stack by type.
func resourcesOf(t *testing.T, stack awscdk.Stack) map[string][]map[string]any {
	t.Helper()
	raw, err := json.Marshal(assertions.Template_FromStack(stack, nil).ToJSON())
	require.NoError(t, err)
	var tpl struct{ Resources map[string]map[string]any }
	require.NoError(t, json.Unmarshal(raw, &tpl))
	out := map[string][]map[string]any{}
	for _, r := range tpl.Resources {
		out[r["Type"].(string)] = append(out[r["Type"].(string)], r)
	}
	return out
}

// existing: leave keeps every existing singleton out of the stacks and
// configures the rest of each layer on it: Security Hub's standards, the
// managed Config rules and Macie's settings still deploy, with nothing
// waiting for a resource the stack no longer has; the synth notes say so.
func TestExistingLeave(t *testing.T) {
	cfg, err := config.Default()
	require.NoError(t, err)
	cfg.Detection.Config.ManagedRules = []config.ManagedRule{{Identifier: "CLOUD_TRAIL_ENABLED"}}
	for _, e := range []*config.Existing{&cfg.Detection.SecurityHub.Existing, &cfg.Detection.GuardDuty.Existing, &cfg.Detection.Config.Existing,
		&cfg.Detection.AccessAnalyzer.Existing, &cfg.DataProtection.Macie.Existing, &cfg.Response.Detective.Existing} {
		*e = config.ExistingLeave
	}
	a := stacks.NewApp(newTestApp(t), cfg)
	home := cfg.HomeRegion

	det := resourcesOf(t, a.Detection[home].Stack)
	for _, typ := range []string{"AWS::SecurityHub::Hub", "AWS::GuardDuty::Detector", "AWS::Config::ConfigurationRecorder", "AWS::Config::DeliveryChannel", "AWS::AccessAnalyzer::Analyzer"} {
		assert.Empty(t, det[typ], typ)
	}
	assert.NotEmpty(t, det["AWS::SecurityHub::Standard"], "standards go onto the existing hub")
	assert.Len(t, det["AWS::Config::ConfigRule"], 1, "managed rules evaluate with the existing recorder")
	for _, typ := range []string{"AWS::SecurityHub::Standard", "AWS::Config::ConfigRule"} {
		for _, r := range det[typ] {
			deps, _ := json.Marshal(r["DependsOn"])
			assert.NotContains(t, string(deps), "Recorder", typ)
			assert.NotContains(t, string(deps), "SecurityHubA8F400AD", typ)
		}
	}

	dp := resourcesOf(t, a.DataProtection[home].Stack)
	assert.Empty(t, dp["AWS::Macie::Session"])
	assert.NotEmpty(t, dp["Custom::AWS"], "Macie's settings still go onto the existing session")
	if r := a.Response[home]; r != nil {
		assert.Empty(t, resourcesOf(t, r.Stack)["AWS::Detective::Graph"])
	}
	notes := strings.Join(a.Notes, "\n")
	for _, service := range []string{"Security Hub", "GuardDuty", "AWS Config", "IAM Access Analyzer", "Macie", "Detective"} {
		assert.Contains(t, notes, "existing: leave: "+service+":")
	}
}

// existing: adopt changes each adopted singleton in the synth `make adopt`
// imports from (context mamori:adopting=true), and only there, so that the
// deploy after the import updates it to the config's settings.
func TestExistingAdoptMarksImportTemplates(t *testing.T) {
	cfg, err := config.Default()
	require.NoError(t, err)
	cfg.Detection.GuardDuty.Existing = config.ExistingAdopt
	cfg.DataProtection.Macie.Existing = config.ExistingAdopt
	home := cfg.HomeRegion

	for _, adopting := range []bool{false, true} {
		app := newTestApp(t)
		if adopting {
			app.Node().SetContext(jsii.String(stacks.AdoptingContext), "true")
		}
		a := stacks.NewApp(app, cfg)
		det := resourcesOf(t, a.Detection[home].Stack)
		require.Len(t, det["AWS::GuardDuty::Detector"], 1)
		tags, _ := json.Marshal(det["AWS::GuardDuty::Detector"][0]["Properties"].(map[string]any)["Tags"])
		assert.Equal(t, adopting, strings.Contains(string(tags), `"mamori:adopting"`), "adopting %v: detector tags %s", adopting, tags)
		hub, _ := json.Marshal(det["AWS::SecurityHub::Hub"][0])
		assert.NotContains(t, string(hub), "mamori:adopting", "the hub is not adopted")

		dp := resourcesOf(t, a.DataProtection[home].Stack)
		require.Len(t, dp["AWS::Macie::Session"], 1)
		_, frequency := dp["AWS::Macie::Session"][0]["Properties"].(map[string]any)["FindingPublishingFrequency"]
		assert.Equal(t, !adopting, frequency, "adopting %v: the session's frequency", adopting)
	}
}

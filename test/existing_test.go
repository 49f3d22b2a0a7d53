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
	cfg.Detection.Config.Existing = config.ExistingAdopt
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

		// AWS Config is adopted in place by the deploy, in either synth:
		// nothing of it is imported or marked.
		assert.Empty(t, det["AWS::Config::ConfigurationRecorder"])
		assert.Empty(t, det["AWS::Config::DeliveryChannel"])
		require.Len(t, det["Custom::ConfigRecorderAdoption"], 1)
		adoption, _ := json.Marshal(det["Custom::ConfigRecorderAdoption"][0])
		assert.NotContains(t, string(adoption), "mamori:adopting")
		assert.Contains(t, strings.Join(a.Notes, "\n"), "existing: adopt: AWS Config: ")

		dp := resourcesOf(t, a.DataProtection[home].Stack)
		require.Len(t, dp["AWS::Macie::Session"], 1)
		_, frequency := dp["AWS::Macie::Session"][0]["Properties"].(map[string]any)["FindingPublishingFrequency"]
		assert.Equal(t, !adopting, frequency, "adopting %v: the session's frequency", adopting)
	}
}

// The existing-account example adopts AWS Config: in every region the
// detection stack updates the account's recorder in place rather than
// creating one, with the recording group the recorder would have had
// (global IAM types in the home region only), its managed rules and Security
// Hub waiting for the adoption, and the recorder role and delivery policy
// retained, since the recorder keeps using them after the stacks are gone.
func TestExistingAdoptConfigExample(t *testing.T) {
	fx := fixtureNamed(t, "existing-account")
	for _, region := range fx.config.Regions {
		stack := fx.config.Prefix + "-detection-" + region
		res := fx.resources(t, stack)
		var adoption string
		for id, r := range res {
			switch r.Type {
			case "AWS::Config::ConfigurationRecorder", "AWS::Config::DeliveryChannel":
				t.Errorf("%s: %s %s: an adopted recorder is not created", stack, r.Type, id)
			case "Custom::ConfigRecorderAdoption":
				adoption = id
			}
		}
		require.NotEmpty(t, adoption, stack)
		group := res[adoption].Properties["RecordingGroup"].(map[string]any)
		assert.Equal(t, map[string]any{"allSupported": true, "includeGlobalResourceTypes": region == fx.config.HomeRegion}, group, stack)
		role := res[adoption].Properties["RoleArn"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)
		assert.Equal(t, "Retain", res[role].DeletionPolicy, "%s: the adopted recorder's role", stack)
		for _, p := range res[role].Properties["ManagedPolicyArns"].([]any) {
			if ref, ok := p.(map[string]any)["Ref"].(string); ok {
				assert.Equal(t, "Retain", res[ref].DeletionPolicy, "%s: the recorder role's delivery policy", stack)
			}
		}
		var tpl struct {
			Resources map[string]struct{ DependsOn []string }
		}
		require.NoError(t, json.Unmarshal(fx.templates[stack], &tpl))
		waiting := 0
		for id, r := range res {
			if r.Type == "AWS::Config::ConfigRule" || r.Type == "AWS::SecurityHub::Standard" {
				assert.Contains(t, tpl.Resources[id].DependsOn, adoption, "%s: %s waits for the adoption", stack, id)
				waiting++
			}
		}
		assert.NotZero(t, waiting, stack)
	}
}

// fixtureNamed is the synthesized example config of that name.
func fixtureNamed(t *testing.T, name string) *fixture {
	t.Helper()
	for _, fx := range fixtures {
		if fx.name == name {
			return fx
		}
	}
	t.Fatalf("no fixture %s: is config/examples/%s.yaml still there?", name, name)
	return nil
}

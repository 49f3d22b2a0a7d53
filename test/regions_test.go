package test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/internal/review"
	"github.com/mamori-dev/mamori/stacks"
	"github.com/mamori-dev/mamori/test/internal/golden"
)

// excludeRegions turns each regional service off in one region of a
// standalone account and leaves it on in the others.
func TestExcludeRegions(t *testing.T) {
	cfg, err := config.Load(filepath.Join(repoRoot, "config", "examples", "sandbox.yaml"))
	require.NoError(t, err)
	off := "eu-central-1"
	require.Contains(t, cfg.Regions, off)
	require.NotEqual(t, off, cfg.HomeRegion)
	cfg.Detection.GuardDuty.ExcludeRegions = []string{off}
	cfg.Detection.AccessAnalyzer.ExcludeRegions = []string{off}
	cfg.Detection.Inspector.ExcludeRegions = []string{off}
	cfg.Response.Detective.ExcludeRegions = []string{off}
	cfg.DataProtection.Macie.Enabled = true
	cfg.DataProtection.Macie.ExcludeRegions = []string{off}
	require.NoError(t, cfg.Validate())
	a := stacks.NewApp(newTestApp(t), cfg)
	for _, region := range cfg.Regions {
		n := jsii.Number(1)
		if region == off {
			n = jsii.Number(0)
		}
		det := assertions.Template_FromStack(a.Detection[region].Stack, nil)
		det.ResourceCountIs(jsii.String("AWS::GuardDuty::Detector"), n)
		det.ResourceCountIs(jsii.String("AWS::AccessAnalyzer::Analyzer"), n)
		det.ResourceCountIs(jsii.String("Custom::InspectorEnablement"), n)
		assertions.Template_FromStack(a.DataProtection[region].Stack, nil).ResourceCountIs(jsii.String("AWS::Macie::Session"), n)
		assert.Equal(t, region != off, a.Response[region] != nil && a.Response[region].Detective != nil, region)
	}
}

// Security Hub and AWS Config turned off in one region of a standalone
// account: nothing there needs a hub or a recorder, and the home region's
// aggregators link only the regions that have a hub.
func TestExcludeSecurityHubAndConfig(t *testing.T) {
	cfg, err := config.Load(filepath.Join(repoRoot, "config", "examples", "production.yaml"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(cfg.Regions), 2)
	off := cfg.Regions[len(cfg.Regions)-1]
	require.NotEqual(t, off, cfg.HomeRegion)
	cfg.Detection.SecurityHub.ExcludeRegions = []string{off}
	cfg.Detection.Config.ExcludeRegions = []string{off}
	require.NotEmpty(t, cfg.Response.Remediations)
	cfg.Response.UnifiedSecurityHub.Enabled = true
	cfg.Response.CustomActions = []config.CustomAction{{ID: "Escalate", Name: "Escalate", Description: "Send to the on-call engineer"}}
	cfg.Compliance.ConformancePacks.Enabled = true
	require.NoError(t, cfg.Validate())
	a := stacks.NewApp(newTestApp(t), cfg)
	for _, region := range cfg.Regions {
		n := jsii.Number(1)
		if region == off {
			n = jsii.Number(0)
		}
		det := assertions.Template_FromStack(a.Detection[region].Stack, nil)
		det.ResourceCountIs(jsii.String("AWS::SecurityHub::Hub"), n)
		det.ResourceCountIs(jsii.String("AWS::Config::ConfigurationRecorder"), n)
		det.ResourceCountIs(jsii.String("AWS::Config::DeliveryChannel"), n)
		if region == off {
			det.ResourceCountIs(jsii.String("AWS::Config::ConfigRule"), n)
			det.ResourceCountIs(jsii.String("AWS::SecurityHub::Standard"), n)
			det.ResourceCountIs(jsii.String("AWS::SecurityHub::AutomationRule"), n)
		}
		det.ResourceCountIs(jsii.String("AWS::GuardDuty::Detector"), jsii.Number(1))
		resp := assertions.Template_FromStack(a.Response[region].Stack, nil)
		for _, typ := range []string{"AWS::SecurityHub::HubV2", "AWS::SecurityHub::AutomationRule", "AWS::Config::RemediationConfiguration", "AWS::Events::Rule"} {
			if region == off {
				resp.ResourceCountIs(jsii.String(typ), n)
			}
		}
		resp.ResourceCountIs(jsii.String("AWS::SecurityHub::HubV2"), n)
		if region != off {
			assert.NotEmpty(t, *resp.FindResources(jsii.String("AWS::Config::RemediationConfiguration"), nil), region)
		}
		if cs := a.Compliance[region]; cs != nil {
			assertions.Template_FromStack(cs.Stack, nil).ResourceCountIs(jsii.String("AWS::Config::ConformancePack"), jsii.Number(float64(len(cfg.Compliance.Frameworks))*(*n)))
		} else {
			assert.Equal(t, off, region, "only the excluded region loses its compliance stack")
		}
	}
	linked := []string{}
	for _, r := range cfg.Regions {
		if r != cfg.HomeRegion && r != off {
			linked = append(linked, r)
		}
	}
	home := assertions.Template_FromStack(a.Detection[cfg.HomeRegion].Stack, nil)
	if len(linked) > 0 {
		home.HasResourceProperties(jsii.String("AWS::SecurityHub::FindingAggregator"), map[string]interface{}{"RegionLinkingMode": "SPECIFIED_REGIONS", "Regions": linked})
	} else {
		home.ResourceCountIs(jsii.String("AWS::SecurityHub::FindingAggregator"), jsii.Number(0))
	}
}

// In organization mode, a region that excludes Security Hub and AWS Config
// gets no Security Hub designation, is not linked (so the configuration
// policy does not apply there) and the member baseline does not record
// there, while its EBS guard runs in every governed region.
func TestOrganizationExcludeSecurityHubAndConfig(t *testing.T) {
	cfg, err := config.Load(filepath.Join(repoRoot, "config", "testdata", "valid", "organization-exclude-regions.yaml"))
	require.NoError(t, err)
	off := "eu-west-1"
	a := stacks.NewApp(newTestApp(t), cfg)
	o := a.Organization
	for _, region := range cfg.Regions {
		n := jsii.Number(1)
		if region == off {
			n = jsii.Number(0)
		}
		assertions.Template_FromStack(o.DelegatedAdmins[region].Stack, nil).ResourceCountIs(jsii.String("AWS::SecurityHub::DelegatedAdmin"), n)
		assertions.Template_FromStack(a.Detection[region].Stack, nil).ResourceCountIs(jsii.String("AWS::SecurityHub::Hub"), n)
	}
	home := assertions.Template_FromStack(a.Detection[cfg.HomeRegion].Stack, nil)
	home.HasResourceProperties(jsii.String("AWS::SecurityHub::FindingAggregator"), map[string]interface{}{"Regions": []string{"us-west-2"}})
	home.ResourceCountIs(jsii.String("Custom::SecurityHubFindingAggregator"), jsii.Number(0))
	assertions.Template_FromStack(a.Response[cfg.HomeRegion].Stack, nil).HasResourceProperties(jsii.String("AWS::SecurityHub::AggregatorV2"),
		map[string]interface{}{"LinkedRegions": []string{"us-west-2"}})
	settings := assertions.Template_FromStack(o.Settings[cfg.HomeRegion].Stack, nil)
	settings.ResourceCountIs(jsii.String("AWS::SecurityHub::ConfigurationPolicy"), jsii.Number(1))
	// The aggregator keeps every governed region: it shows whatever records.
	settings.HasResourceProperties(jsii.String("AWS::Config::ConfigurationAggregator"), map[string]interface{}{
		"OrganizationAggregationSource": assertions.Match_ObjectLike(&map[string]interface{}{"AwsRegions": []string{"eu-west-1", "us-east-1", "us-west-2"}}),
	})

	member := assertions.Template_FromStack(o.MemberBaseline.Template, nil)
	conds := *member.FindConditions(jsii.String("*"), map[string]interface{}{"Fn::Not": []interface{}{map[string]interface{}{"Fn::Equals": []interface{}{map[string]interface{}{"Ref": "AWS::Region"}, off}}}})
	require.Len(t, conds, 1, "one condition leaves AWS Config out of %s", off)
	var records string
	for name := range conds {
		records = name
	}
	// The recorder, its channel, its role and its delivery policy all stay
	// out of the excluded region; nothing else does.
	conditioned := map[string]int{}
	for _, r := range (*member.ToJSON())["Resources"].(map[string]interface{}) {
		if res := r.(map[string]interface{}); res["Condition"] == records {
			conditioned[res["Type"].(string)]++
		}
	}
	assert.Equal(t, map[string]int{"AWS::Config::ConfigurationRecorder": 1, "AWS::Config::DeliveryChannel": 1, "AWS::IAM::Role": 1, "AWS::IAM::ManagedPolicy": 1}, conditioned)
	member.HasResource(jsii.String("Custom::EbsEncryptionByDefault"), map[string]interface{}{"Condition": assertions.Match_Absent()})
	stackSet := assertions.Template_FromStack(o.MemberBaseline.Stack, nil)
	stackSet.HasResourceProperties(jsii.String("AWS::CloudFormation::StackSet"), map[string]interface{}{
		"StackInstancesGroup": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{"Regions": []string{"us-east-1", "us-west-2", "eu-west-1"}})}),
	})
}

// An organization that governs one region (or whose other regions all
// exclude Security Hub) still gets cross-Region aggregation in the home
// region, which central configuration needs: a finding aggregator that
// links no region, made through the API (CloudFormation's must link one),
// before the organization settings' central configuration. Its handler is
// a deployment function like the others: Lambda.3 is suppressed for it.
// No shipped example deploys the handler, so the detection template is a
// golden that test/handler-grants.test.mjs reads beside the snapshots.
func TestOrganizationSingleRegionAggregator(t *testing.T) {
	cfg, err := config.Load(filepath.Join(repoRoot, "config", "testdata", "valid", "organization-control-tower.yaml"))
	require.NoError(t, err)
	require.Equal(t, []string{cfg.HomeRegion}, cfg.Regions, "the fixture governs one region")
	a := stacks.NewApp(newTestApp(t), cfg)
	home := cfg.HomeRegion
	det := a.Detection[home].Stack
	tpl := assertions.Template_FromStack(det, nil)
	tpl.ResourceCountIs(jsii.String("AWS::SecurityHub::FindingAggregator"), jsii.Number(0))
	tpl.ResourceCountIs(jsii.String("Custom::SecurityHubFindingAggregator"), jsii.Number(1))
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]interface{}{"Handler": "finding-aggregator.handler"})
	assertions.Annotations_FromStack(det).HasNoError(jsii.String("*"), assertions.Match_AnyValue())

	raw, err := json.Marshal(tpl.ToJSON())
	require.NoError(t, err)
	var doc struct {
		Resources map[string]map[string]interface{}
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	resources := doc.Resources
	var handler string
	for id, r := range resources {
		if props, _ := r["Properties"].(map[string]interface{}); r["Type"] == "AWS::Lambda::Function" && props["Handler"] == "finding-aggregator.handler" {
			handler = id
		}
	}
	require.NotEmpty(t, handler)
	suppressed := false
	for _, r := range resources {
		props, _ := r["Properties"].(map[string]interface{})
		criteria, _ := props["Criteria"].(map[string]interface{})
		if r["Type"] != "AWS::SecurityHub::AutomationRule" || !strings.Contains(fmt.Sprint(criteria["ComplianceSecurityControlId"]), "Lambda.3") {
			continue
		}
		for _, f := range asList(criteria["ResourceId"]) {
			ref, _ := f.(map[string]interface{})["Value"].(map[string]interface{})
			if att := asList(ref["Fn::GetAtt"]); len(att) == 2 && att[0] == handler {
				suppressed = true
			}
		}
	}
	assert.True(t, suppressed, "%s: no Lambda.3 suppression", handler)

	// The review maps every resource of the stack, the new type to Security Hub.
	for id, r := range resources {
		props, _ := r["Properties"].(map[string]interface{})
		svc, err := review.ServiceOf(r["Type"].(string), props)
		if assert.NoError(t, err, id) && r["Type"] == "Custom::SecurityHubFindingAggregator" {
			assert.Equal(t, "Security Hub", svc.Name)
		}
	}

	// Central configuration waits for the aggregator: the settings stack
	// deploys after the detection stack.
	var deps []string
	for _, d := range *a.Organization.Settings[home].Stack.Dependencies() {
		deps = append(deps, *d.StackName())
	}
	assert.Contains(t, deps, *det.StackName())

	normalized, err := golden.Normalize(raw)
	require.NoError(t, err)
	golden.Compare(t, filepath.Join("testdata", "grants", "organization-single-region", *det.StackName()+".template.json"), normalized)

	// Every other governed region excluding Security Hub leaves none to link.
	cfg, err = config.Load(filepath.Join(repoRoot, "config", "testdata", "valid", "organization-exclude-regions.yaml"))
	require.NoError(t, err)
	cfg.Detection.SecurityHub.ExcludeRegions = []string{"us-west-2", "eu-west-1"}
	require.NoError(t, cfg.Validate())
	a = stacks.NewApp(newTestApp(t), cfg)
	tpl = assertions.Template_FromStack(a.Detection[cfg.HomeRegion].Stack, nil)
	tpl.ResourceCountIs(jsii.String("AWS::SecurityHub::FindingAggregator"), jsii.Number(0))
	tpl.ResourceCountIs(jsii.String("Custom::SecurityHubFindingAggregator"), jsii.Number(1))
}

package stacks

import (
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
)

// AdoptingContext is the CDK context key `make adopt` sets on the synth
// whose templates `cdk import` reads: `-c mamori:adopting=true`.
const AdoptingContext = "mamori:adopting"

// adoptingTag marks, in the import templates only, every singleton the
// config adopts. The deploy after the import synthesizes without it, so each
// imported resource differs from its import template and CloudFormation
// updates it with every property of the config: an update sends the whole
// desired model to the resource handler. Without the difference the deploy
// would leave the imported resource's settings (frequency, plans) as found,
// since CloudFormation compares templates, not live settings.
const adoptingTag = "mamori:adopting"

// adoptable are the CloudFormation types `existing: adopt` imports, by the
// config field that adopts each. AWS Config's recorder and delivery channel
// are not among them: the detection stack updates them in place instead
// (detection.ConfigRecorderProps.AdoptExisting).
func adoptable(cfg *config.Config) map[string]bool {
	adopt := func(e config.Existing) bool { return e == config.ExistingAdopt }
	return map[string]bool{
		"AWS::SecurityHub::Hub":         adopt(cfg.Detection.SecurityHub.Existing),
		"AWS::GuardDuty::Detector":      adopt(cfg.Detection.GuardDuty.Existing),
		"AWS::AccessAnalyzer::Analyzer": adopt(cfg.Detection.AccessAnalyzer.Existing),
		"AWS::Macie::Session":           adopt(cfg.DataProtection.Macie.Existing),
		"AWS::Detective::Graph":         adopt(cfg.Response.Detective.Existing),
	}
}

// markAdopting changes, when app synthesizes for `cdk import`, each adopted
// singleton of the layer stacks: a tag where the type takes tags, and
// AWS::Macie::Session (which takes none) without its publishing frequency.
func markAdopting(app awscdk.App, cfg *config.Config, a *App) {
	if v, _ := app.Node().TryGetContext(jsii.String(AdoptingContext)).(string); v != "true" {
		return
	}
	types := adoptable(cfg)
	var layerStacks []awscdk.Stack
	for _, region := range cfg.Regions {
		layerStacks = append(layerStacks, a.DataProtection[region].Stack, a.Detection[region].Stack)
		if r := a.Response[region]; r != nil {
			layerStacks = append(layerStacks, r.Stack)
		}
	}
	for _, stack := range layerStacks {
		for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
			res, ok := c.(awscdk.CfnResource)
			if !ok || !types[*res.CfnResourceType()] {
				continue
			}
			if *res.CfnResourceType() == "AWS::Macie::Session" {
				res.AddPropertyDeletionOverride(jsii.String("FindingPublishingFrequency"))
				continue
			}
			awscdk.Tags_Of(res).Add(jsii.String(adoptingTag), jsii.String("true"), nil)
		}
	}
}

// existingNotes says, for the summary synth prints, what the config leaves
// to resources that already exist.
func existingNotes(cfg *config.Config) []string {
	leave := map[string]string{}
	if cfg.Detection.SecurityHub.Enabled && cfg.Detection.SecurityHub.Existing == config.ExistingLeave {
		leave["Security Hub"] = "the existing hub is left as it is; mamori enables its standards, controls and rules on it"
	}
	if cfg.Detection.GuardDuty.Enabled && cfg.Detection.GuardDuty.Existing == config.ExistingLeave {
		leave["GuardDuty"] = "the existing detector is left as it is; mamori exports no findings and sets no plans or frequency"
	}
	if cfg.Detection.Config.Enabled && cfg.Detection.Config.Existing == config.ExistingLeave {
		leave["AWS Config"] = "the existing recorder and delivery channel are left as they are; mamori's rules and conformance packs evaluate with them"
	}
	if cfg.Detection.AccessAnalyzer.Existing == config.ExistingLeave {
		leave["IAM Access Analyzer"] = "the existing analyzers are left as they are; mamori creates none in the layer stacks"
	}
	if cfg.DataProtection.Macie.Enabled && cfg.DataProtection.Macie.Existing == config.ExistingLeave {
		leave["Macie"] = "the existing session is left as it is; mamori adds its jobs, identifiers, filters and settings to it"
	}
	if cfg.Response.Detective.Enabled && cfg.Response.Detective.Existing == config.ExistingLeave {
		leave["Detective"] = "the existing behavior graph is left as it is; mamori configures nothing on it"
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(leave)) {
		out = append(out, "existing: leave: "+k+": "+leave[k])
	}
	if cfg.Detection.Config.Enabled && cfg.Detection.Config.Existing == config.ExistingAdopt {
		out = append(out, "existing: adopt: AWS Config: the existing recorder and delivery channel are updated in place by the detection stack, not imported; "+
			"they keep their names and, when the stacks are deleted, keep running with mamori's retained role and bucket")
	}
	return out
}

// leaves says whether the config leaves an existing singleton alone.
func leaves(e config.Existing) bool { return e == config.ExistingLeave }

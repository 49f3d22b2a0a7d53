// Package stacks composes mamori's constructs into deployable stacks: one
// stack per layer and governed region. It translates each config slice into
// construct props and wires typed references between layers; it holds no
// service logic of its own.
package stacks

import (
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/mamori-dev/mamori/config"
)

// App is every stack mamori synthesizes for one configuration, by region.
type App struct {
	DataProtection  map[string]*DataProtectionStack
	KeyReplicas     map[string]*KeyReplicasStack
	Detection       map[string]*DetectionStack
	InfraProtection map[string]*InfraProtectionStack
	Response        map[string]*ResponseStack
	Compliance      map[string]*ComplianceStack
	// Notes are one-line messages for the person running synth, such as
	// what was skipped and why.
	Notes []string
	// Organization holds organization mode's stacks; nil in standalone mode.
	// In organization mode the stacks above belong to the security-tooling account.
	Organization *OrganizationStacks
}

// NewApp adds the stacks for cfg to app and runs the cdk-nag AwsSolutions,
// NIST 800-53 rev 5 and PCI DSS 3.2.1 packs over all of them.
func NewApp(app awscdk.App, cfg *config.Config) *App {
	a := &App{
		DataProtection: map[string]*DataProtectionStack{}, Detection: map[string]*DetectionStack{},
		InfraProtection: map[string]*InfraProtectionStack{}, Response: map[string]*ResponseStack{},
		Compliance: map[string]*ComplianceStack{},
	}
	for _, region := range cfg.Regions {
		dp := a.newDataProtection(app, cfg, region)
		det := a.newDetection(app, cfg, region, dp)
		a.newResponse(app, cfg, region, dp, det)
		a.newInfraProtection(app, cfg, region, dp, det)
	}
	a.shieldAfterAssociations(cfg)
	// Organization mode deploys Firewall Manager with its other stacks.
	if note := FirewallManagerNote(cfg); note != "" {
		a.Notes = append(a.Notes, note)
	}
	a.newKeyReplicas(app, cfg)
	a.secretsAfterReplicaKeys(cfg)
	a.hubsAfterRegions(cfg)
	if cfg.Topology.Mode == config.ModeOrganization {
		a.Organization = newOrganizationStacks(app, cfg, a)
	}
	a.unifiedHubAfterRegions(cfg)
	for _, region := range cfg.Regions {
		a.newCompliance(app, cfg, region)
	}
	markAdopting(app, cfg, a)
	a.Notes = append(a.Notes, existingNotes(cfg)...)

	aspects := awscdk.Aspects_Of(app)
	aspects.Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	aspects.Add(cdknag.NewNIST80053R5Checks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	aspects.Add(cdknag.NewPCIDSS321Checks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	return a
}

// newDataProtection adds region's data-protection stack: its keys come
// first for every other layer.
func (a *App) newDataProtection(app awscdk.App, cfg *config.Config, region string) *DataProtectionStack {
	dp := NewDataProtectionStack(app, name(cfg, "data-protection", region), dataProtectionProps(cfg, region))
	a.DataProtection[region] = dp
	return dp
}

// newDetection adds region's detection stack, after its data-protection keys.
func (a *App) newDetection(app awscdk.App, cfg *config.Config, region string, dp *DataProtectionStack) *DetectionStack {
	det := NewDetectionStack(app, name(cfg, "detection", region), &DetectionStackProps{
		Base:           baseProps(cfg, region),
		Home:           region == cfg.HomeRegion,
		Regions:        cfg.Regions,
		Detection:      cfg.Detection,
		Logs:           cfg.Logs,
		LogsKey:        dp.LogsKey.Key,
		FindingsKey:    dp.FindingsKey.Key,
		DataProtection: dp,
		// In organization mode the configuration policy sets the standards.
		CentrallyConfigured: cfg.Topology.Mode == config.ModeOrganization,
	})
	det.Stack.AddStackDependency(dp.Stack, jsii.String("the detection layer encrypts its buckets and logs with the data-protection keys"))
	a.Detection[region] = det
	return det
}

// newResponse adds region's response stack when it has anything to deploy:
// with Security Hub and Detective off a region may have nothing to respond
// with, and CloudFormation refuses an empty template.
func (a *App) newResponse(app awscdk.App, cfg *config.Config, region string, dp *DataProtectionStack, det *DetectionStack) {
	resp := NewResponseStack(app, name(cfg, "response", region), &ResponseStackProps{
		Base: baseProps(cfg, region), Home: region == cfg.HomeRegion, Regions: cfg.Regions, Response: cfg.Response,
		Detection: cfg.Detection, Logs: cfg.Logs, DataProtection: dp, DetectionStack: det,
	})
	if !hasResources(resp.Stack) {
		app.Node().TryRemoveChild(resp.Stack.Node().Id())
		return
	}
	// Detective needs GuardDuty's detector first (an account joins a
	// behavior graph only after 48 hours of GuardDuty; Detective retries by
	// itself), and the notifications need the hub and the alerts topic.
	resp.Stack.AddStackDependency(det.Stack, jsii.String("Detective needs GuardDuty running first, and the findings rules need Security Hub"))
	a.Response[region] = resp
}

// newInfraProtection adds region's infrastructure-protection stack when it
// has anything to deploy.
func (a *App) newInfraProtection(app awscdk.App, cfg *config.Config, region string, dp *DataProtectionStack, det *DetectionStack) {
	props := infraProtectionProps(cfg, region)
	if !props.HasResources() {
		return
	}
	props.LogsKey = dp.LogsKey.Key
	ip := NewInfraProtectionStack(app, name(cfg, "infra-protection", region), props)
	ip.Stack.AddStackDependency(dp.Stack, jsii.String("the infrastructure-protection layer encrypts its logs with the data-protection keys"))
	ip.Stack.AddStackDependency(det.Stack, jsii.String("the stack's Security Hub automation rules need the hub"))
	a.InfraProtection[region] = ip
}

// shieldAfterAssociations orders the global stack after the regions whose
// load balancers it protects: Shield's automatic mitigation on a load
// balancer in another region needs that region's web ACL association first.
func (a *App) shieldAfterAssociations(cfg *config.Config) {
	global := a.InfraProtection["us-east-1"]
	if global == nil {
		return
	}
	for _, r := range shieldAssociationRegions(cfg.InfrastructureProtection.ShieldAdvanced) {
		if a.InfraProtection[r] != nil {
			global.Stack.AddStackDependency(a.InfraProtection[r].Stack, jsii.String("Shield automatic mitigation needs the load balancer's web ACL association"))
		}
	}
}

// newKeyReplicas adds, for multi-Region application keys, the replicas in
// every other region, after their primaries.
func (a *App) newKeyReplicas(app awscdk.App, cfg *config.Config) {
	if !slices.ContainsFunc(cfg.DataProtection.Keys.ApplicationKeys, func(k config.ApplicationKey) bool { return k.MultiRegion }) {
		return
	}
	a.KeyReplicas = map[string]*KeyReplicasStack{}
	home := a.DataProtection[cfg.HomeRegion]
	for _, region := range otherRegions(cfg.Regions, cfg.HomeRegion) {
		r := NewKeyReplicasStack(app, name(cfg, "key-replicas", region), &KeyReplicasStackProps{
			Base: baseProps(cfg, region), Keys: cfg.DataProtection.Keys, Primaries: home.ApplicationKeys,
		})
		r.Stack.AddStackDependency(home.Stack, jsii.String("replica keys need their multi-Region primary keys"))
		a.KeyReplicas[region] = r
	}
}

// secretsAfterReplicaKeys orders the home region's data protection after
// its secrets' replica regions: secret replicas are encrypted with the
// secrets key's alias in their region.
func (a *App) secretsAfterReplicaKeys(cfg *config.Config) {
	for _, sec := range cfg.DataProtection.Secrets {
		for _, region := range sec.ReplicaRegions {
			a.DataProtection[cfg.HomeRegion].Stack.AddStackDependency(a.DataProtection[region].Stack,
				jsii.String("secret replicas need the secrets key in their region"))
		}
	}
}

// hubsAfterRegions orders the home region's detection stack after the other
// regions: the aggregation region links the others, whose hubs come first.
func (a *App) hubsAfterRegions(cfg *config.Config) {
	home := a.Detection[cfg.HomeRegion]
	for _, region := range linkedRegions(cfg.Regions, cfg.HomeRegion, cfg.Detection.SecurityHub.ExcludeRegions) {
		home.Stack.AddStackDependency(a.Detection[region].Stack, jsii.String("Security Hub must be on in a region before the home region's aggregator links it"))
	}
}

// unifiedHubAfterRegions orders the home region's response stack after the
// other regions: the unified Security Hub's aggregator links regions where
// it is on.
func (a *App) unifiedHubAfterRegions(cfg *config.Config) {
	if !cfg.Response.UnifiedSecurityHub.Enabled {
		return
	}
	for _, region := range linkedRegions(cfg.Regions, cfg.HomeRegion, cfg.Detection.SecurityHub.ExcludeRegions) {
		a.Response[cfg.HomeRegion].Stack.AddStackDependency(a.Response[region].Stack, jsii.String("the unified Security Hub must be on in a region before the home region's aggregator links it"))
	}
}

// newCompliance adds region's compliance stack when it has anything to
// deploy: the trail, Audit Manager, the auditor role and the password
// policy in the home region, conformance packs in every region.
func (a *App) newCompliance(app awscdk.App, cfg *config.Config, region string) {
	home := region == cfg.HomeRegion
	if !complianceInRegion(regionCompliance(cfg, region), home) {
		return
	}
	cs := NewComplianceStack(app, name(cfg, "compliance", region), &ComplianceStackProps{
		Base: baseProps(cfg, region), Home: home, Compliance: regionCompliance(cfg, region), Logs: cfg.Logs, DataProtection: a.DataProtection[region],
		SecurityHub: cfg.Detection.SecurityHub.In(region),
	})
	cs.Stack.AddStackDependency(a.DataProtection[region].Stack, jsii.String("the evidence is encrypted with the data-protection logs key; alarms go to its alerts topic"))
	cs.Stack.AddStackDependency(a.Detection[region].Stack, jsii.String("conformance packs need the AWS Config recorder"))
	if a.Organization != nil {
		orgComplianceAfter(a, cfg, cs, region)
	}
	a.Compliance[region] = cs
}

// Base is what every stack shares: where it deploys, its tags, and whether
// stateful resources may be destroyed.
type Base struct {
	StackProps awscdk.StackProps
	// Prefix starts stack names and key aliases.
	Prefix          string
	Tags            map[string]string
	DestroyOnDelete bool
}

func baseProps(cfg *config.Config, region string) Base {
	env := &awscdk.Environment{Region: jsii.String(region)}
	if cfg.Topology.AccountID != "" {
		env.Account = jsii.String(cfg.Topology.AccountID)
	}
	if o := cfg.Topology.Organization; o != nil {
		// The layers' own stacks secure the security-tooling account itself.
		env.Account = jsii.String(o.SecurityToolingAccountID)
	}
	tags := map[string]string{"mamori:prefix": cfg.Prefix, "mamori:profile": string(cfg.Profile)}
	for k, v := range cfg.Tags {
		tags[k] = v
	}
	return Base{
		StackProps: awscdk.StackProps{
			Env:                   env,
			TerminationProtection: jsii.Bool(cfg.Profile == config.ProfileProduction),
		},
		Prefix:          cfg.Prefix,
		Tags:            tags,
		DestroyOnDelete: cfg.DestroyOnDelete,
	}
}

// newStack creates a stack named name with the shared settings and tags.
func newStack(scope awscdk.App, name, layer, description string, b Base) awscdk.Stack {
	props := b.StackProps
	props.StackName = jsii.String(name)
	props.Description = jsii.String(description)
	stack := awscdk.NewStack(scope, jsii.String(name), &props)
	tags := awscdk.Tags_Of(stack)
	// CDK's built-in template validation (CloudFormation-Validate F3002)
	// rejects keys such as "mamori:layer" in a Security Hub automation rule's
	// tag map; rules are configuration, not billable resources, so they go
	// untagged rather than acknowledging the check for the whole stack.
	opts := &awscdk.TagProps{ExcludeResourceTypes: jsii.Strings("AWS::SecurityHub::AutomationRule")}
	tags.Add(jsii.String("mamori:layer"), jsii.String(layer), opts)
	for _, k := range slices.Sorted(maps.Keys(b.Tags)) {
		tags.Add(jsii.String(k), jsii.String(b.Tags[k]), opts)
	}
	return stack
}

func name(cfg *config.Config, layer, region string) string {
	return cfg.Prefix + "-" + layer + "-" + region
}

// hasResources says whether stack holds any CloudFormation resource.
func hasResources(stack awscdk.Stack) bool {
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if *awscdk.CfnResource_IsCfnResource(c) {
			return true
		}
	}
	return false
}

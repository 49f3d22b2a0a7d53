package stacks

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/detection"
	"github.com/mamori-dev/mamori/constructs/infraprotection"
	"github.com/mamori-dev/mamori/constructs/organization"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

// OrganizationStacks are the stacks organization mode adds to the
// security-tooling account's own data-protection and detection stacks (which
// NewApp creates as in standalone mode, in that account). Nothing here
// depends on how many accounts the organization has: the member baseline
// reaches them through one StackSet.
type OrganizationStacks struct {
	TrustedAccessStack awscdk.Stack
	TrustedAccess      *organization.TrustedAccess
	LogArchive         *LogArchiveStack
	DelegatedAdmins    map[string]*DelegatedAdminsStack
	Settings           map[string]*OrganizationSettingsStack
	MemberBaseline     *MemberBaselineStack
	// FirewallManager are the security-tooling account's Firewall Manager
	// policies by region ("cloudfront" for us-east-1's CloudFront policies);
	// nil unless firewallManager.enabled.
	FirewallManager map[string]*infraprotection.FirewallManagerPolicies
	// Compliance is the management account's organization trail and
	// password policy; nil when neither is on.
	Compliance *OrganizationComplianceStack
	// Prevention is the management account's guardrail policies, root
	// access and alternate contacts; nil unless prevention.enabled.
	Prevention *OrganizationPreventionStack
}

// LogArchiveStack is the log-archive account's central store.
type LogArchiveStack struct {
	Stack   awscdk.Stack
	Archive *organization.LogArchive
}

// DelegatedAdminsStack designates the security-tooling account in one region.
type DelegatedAdminsStack struct {
	Stack  awscdk.Stack
	Calls  *sdkcall.Provider
	Admins *organization.DelegatedAdmins
}

// OrganizationSettingsStack is the security-tooling account's
// organization-wide settings in one region.
type OrganizationSettingsStack struct {
	Stack    awscdk.Stack
	Calls    *sdkcall.Provider
	Settings *organization.OrganizationSettings
}

// MemberBaselineStack holds the member baseline's StackSet (management
// account, home region) and the template it deploys, synthesized from its
// own stack in a separate stage so that it is never deployed as an app stack.
type MemberBaselineStack struct {
	Stack    awscdk.Stack
	StackSet *organization.MemberStackSet
	// Template is the member template's stack, in the MemberBaseline stage.
	Template awscdk.Stack
}

// orgRegistrations are the services whose delegated administrator only
// Organizations registers.
func orgRegistrations(cfg *config.Config) []string {
	d := cfg.Detection
	var out []string
	if d.Config.Enabled {
		out = append(out, "config.amazonaws.com")
	}
	if d.AccessAnalyzer.ExternalAccess || d.AccessAnalyzer.UnusedAccess.Enabled {
		out = append(out, "access-analyzer.amazonaws.com")
	}
	return out
}

// accountBase is baseProps for a named account.
func accountBase(cfg *config.Config, region, account string) Base {
	b := baseProps(cfg, region)
	env := *b.StackProps.Env
	env.Account = jsii.String(account)
	b.StackProps.Env = &env
	return b
}

// callsIn gives a stack of the management or log-archive account a key for
// its API-call logs and a call provider.
func callsIn(stack awscdk.Stack, cfg *config.Config, b Base, alias string) *sdkcall.Provider {
	key := dataprotection.NewKey(stack, "CallLogsKey", &dataprotection.KeyProps{
		Alias:          "alias/" + cfg.Prefix + "/" + alias,
		Description:    "Encrypts the logs of mamori's organization API calls",
		RotationPeriod: days(cfg.DataProtection.Keys.RotationPeriodDays),
		PendingWindow:  days(cfg.DataProtection.Keys.PendingWindowDays),
		Administrators: principals(cfg.DataProtection.Keys.Administrators),
		Services: []dataprotection.ServiceAccess{{
			Service: "logs." + *stack.Region() + ".amazonaws.com",
			Actions: []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			LogGroupArns: []string{*stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("logs"), Resource: jsii.String("log-group"), ResourceName: jsii.String("*"),
				ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
			})},
		}},
		DestroyOnDelete: b.DestroyOnDelete,
	})
	return sdkCalls(stack, key.Key, cfg.Logs, b.DestroyOnDelete)
}

// configBucketName is the log-archive bucket every member's AWS Config
// delivers to; members name it, so it cannot be generated.
func configBucketName(cfg *config.Config) string {
	o := cfg.Topology.Organization
	return cfg.Prefix + "-org-config-" + o.LogArchiveAccountID + "-" + cfg.HomeRegion
}

// newOrganizationStacks adds organization mode's stacks to the app. a holds
// the security-tooling account's own stacks, created by NewApp.
func newOrganizationStacks(app awscdk.App, cfg *config.Config, a *App) *OrganizationStacks {
	o := cfg.Topology.Organization
	home := cfg.HomeRegion
	d := cfg.Detection
	out := &OrganizationStacks{DelegatedAdmins: map[string]*DelegatedAdminsStack{}, Settings: map[string]*OrganizationSettingsStack{}}

	// Wave 1, management account: trusted access and Organizations registrations.
	mb := accountBase(cfg, home, o.ManagementAccountID)
	out.TrustedAccessStack = newStack(app, name(cfg, "org-trusted-access", home), "organization",
		"mamori organization: trusted access for the security services and their delegated administrator registrations", mb)
	out.TrustedAccess = organization.NewTrustedAccess(out.TrustedAccessStack, "TrustedAccess", &organization.TrustedAccessProps{
		Calls:                  callsIn(out.TrustedAccessStack, cfg, mb, "org-access-call-logs"),
		ServicePrincipals:      cfg.OrganizationServicePrincipals(),
		DelegatedAdministrator: o.SecurityToolingAccountID,
		Registrations:          orgRegistrations(cfg),
	})

	// Wave 1, log-archive account: the central buckets.
	lb := accountBase(cfg, home, o.LogArchiveAccountID)
	la := newStack(app, name(cfg, "org-log-archive", home), "organization", "mamori organization: central, organization-only log and evidence buckets", lb)
	out.LogArchive = &LogArchiveStack{Stack: la, Archive: organization.NewLogArchive(la, "Archive", &organization.LogArchiveProps{
		OrganizationID:         o.OrganizationID,
		Alias:                  organizationLogsAlias(cfg),
		ConfigBucketName:       configBucketName(cfg),
		EvidenceBucketName:     evidenceBucketName(cfg),
		ConfigWriterRoles:      []string{*la.FormatArn(&awscdk.ArnComponents{Service: jsii.String("iam"), Region: jsii.String(""), Account: jsii.String("*"), Resource: jsii.String("role"), ResourceName: jsii.String(organization.ConfigRoleName(cfg.Prefix) + "*"), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME})},
		Retention:              days(cfg.Logs.RetentionDays),
		TransitionToGlacier:    days(cfg.Logs.TransitionToGlacierDays),
		EvidenceLockCompliance: cfg.Profile == config.ProfileProduction,
		KeyAdministrators:      principals(cfg.DataProtection.Keys.Administrators),
		DestroyOnDelete:        cfg.DestroyOnDelete,
	})}

	for _, region := range cfg.Regions {
		// Wave 3, management account: designate the security-tooling account,
		// after it has turned on its own services (a designation turns some
		// on by itself, which CloudFormation would then find in its way).
		b := accountBase(cfg, region, o.ManagementAccountID)
		ds := newStack(app, name(cfg, "org-delegated-admins", region), "organization", "mamori organization: the security-tooling account as delegated administrator in this region", b)
		calls := callsIn(ds, cfg, b, "org-admin-call-logs")
		das := &DelegatedAdminsStack{Stack: ds, Calls: calls, Admins: organization.NewDelegatedAdmins(ds, "DelegatedAdmins", &organization.DelegatedAdminsProps{
			Calls: calls, AdminAccountID: o.SecurityToolingAccountID,
			SkipSecurityHub: !d.SecurityHub.In(region), SkipGuardDuty: !d.GuardDuty.In(region), SkipMacie: !cfg.DataProtection.Macie.In(region), SkipInspector: !d.Inspector.In(region),
			DestroyOnDelete: cfg.DestroyOnDelete,
		})}
		ds.AddStackDependency(out.TrustedAccessStack, jsii.String("delegated administrators need trusted access"))
		ds.AddStackDependency(a.Detection[region].Stack, jsii.String("the security-tooling account turns on its own services before it is designated"))
		ds.AddStackDependency(a.DataProtection[region].Stack, jsii.String("the security-tooling account turns on Macie before it is designated"))
		out.DelegatedAdmins[region] = das

		// Wave 4, security-tooling account: organization-wide settings.
		tb := accountBase(cfg, region, o.SecurityToolingAccountID)
		ss := newStack(app, name(cfg, "org-settings", region), "organization", "mamori organization: organization-wide security settings from the delegated administrator", tb)
		out.Settings[region] = newOrganizationSettings(ss, cfg, region, a)
		ss.AddStackDependency(ds, jsii.String("organization settings need the delegated administrator designation"))
	}
	homeSettings := out.Settings[home].Stack
	for _, region := range cfg.Regions {
		if region != home {
			homeSettings.AddStackDependency(out.DelegatedAdmins[region].Stack, jsii.String("central configuration governs every linked region: their designations come first"))
		}
	}
	newOrganizationDetective(cfg, a, out)
	newOrganizationFirewallManager(app, cfg, a, out)

	// Wave 5, management account: the member baseline StackSet.
	out.MemberBaseline = newMemberBaseline(app, cfg)
	out.MemberBaseline.Stack.AddStackDependency(out.TrustedAccessStack, jsii.String("service-managed StackSets need trusted access"))
	out.MemberBaseline.Stack.AddStackDependency(la, jsii.String("members deliver AWS Config data to the log-archive bucket"))
	out.Compliance = newOrganizationCompliance(app, cfg, out)
	newExistingMembers(cfg, a, out)
	out.Prevention = newOrganizationPrevention(app, cfg, out)
	return out
}

// newOrganizationSettings fills one region's organization settings stack.
func newOrganizationSettings(stack awscdk.Stack, cfg *config.Config, region string, a *App) *OrganizationSettingsStack {
	d := cfg.Detection
	home := region == cfg.HomeRegion
	dp, det := a.DataProtection[region], a.Detection[region]
	s := &OrganizationSettingsStack{Stack: stack}
	props := &organization.OrganizationSettingsProps{
		SkipGuardDuty:      !d.GuardDuty.In(region),
		SkipMacie:          !cfg.DataProtection.Macie.In(region),
		SkipInspector:      !d.Inspector.In(region),
		SkipSecurityHub:    !home || !d.SecurityHub.Enabled,
		SkipAccessAnalyzer: !d.AccessAnalyzer.ExternalAccessIn(region),
		SkipAggregator:     !home || !d.Config.Enabled,
		DestroyOnDelete:    cfg.DestroyOnDelete,
	}
	if !props.SkipGuardDuty || !props.SkipMacie || !props.SkipInspector {
		s.Calls = sdkCalls(stack, awskms.Key_FromKeyArn(stack, jsii.String("LogsKey"), dp.LogsKey.Key.KeyArn()), cfg.Logs, cfg.DestroyOnDelete)
		props.Calls = s.Calls
	}
	if gd := d.GuardDuty; gd.In(region) {
		props.GuardDuty = &organization.GuardDutyOrganization{DetectorID: det.GuardDuty.Detector.AttrId(), Plans: guardDutyPlans(gd)}
	}
	if in := d.Inspector; in.In(region) {
		props.Inspector = &detection.ScanTypes{EC2: in.ScanTypes.EC2, ECR: in.ScanTypes.ECR, Lambda: in.ScanTypes.Lambda, LambdaCode: in.ScanTypes.LambdaCode}
	}
	if home {
		if d.AccessAnalyzer.UnusedAccess.Enabled {
			props.UnusedAccessAgeDays = d.AccessAnalyzer.UnusedAccess.UnusedAccessAgeDays
		}
		if d.Config.Enabled {
			// Every governed region, those that exclude AWS Config too:
			// the aggregator shows whatever records there (a recorder
			// mamori left, or one recording again after the exclusion
			// is lifted) and costs nothing where nothing records.
			props.AggregatorRegions = cfg.Regions
		}
		if sh := d.SecurityHub; sh.Enabled {
			props.SecurityHub = securityHubCentral(cfg)
			if det.SecurityHub != nil {
				if agg := det.SecurityHub.Aggregation(); agg != nil {
					props.SecurityHub.After = []constructs.IDependable{agg}
				}
			}
		}
	}
	s.Settings = organization.NewOrganizationSettings(stack, "Organization", props)
	stack.AddStackDependency(det.Stack, jsii.String("organization settings use the delegated administrator's detector and finding aggregator"))
	return s
}

// guardDutyPlans translates the configured protection plans.
func guardDutyPlans(gd config.GuardDuty) *detection.ProtectionPlans {
	return &detection.ProtectionPlans{
		S3DataEvents:              gd.Protection.S3DataEvents,
		EKSAuditLogs:              gd.Protection.EKSAuditLogs,
		EBSMalwareProtection:      gd.Protection.EBSMalwareProtection,
		RDSLoginEvents:            gd.Protection.RDSLoginEvents,
		LambdaNetworkLogs:         gd.Protection.LambdaNetworkLogs,
		RuntimeMonitoring:         gd.Protection.RuntimeMonitoring,
		EKSAddOnManagement:        gd.Protection.RuntimeAgentManagement.EKSAddOn,
		ECSFargateAgentManagement: gd.Protection.RuntimeAgentManagement.ECSFargate,
		EC2AgentManagement:        gd.Protection.RuntimeAgentManagement.EC2,
	}
}

// securityControlID is the form central configuration takes: the security
// control ID, not a CIS benchmark number.
var securityControlID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*\.[0-9]+$`)

// securityHubCentral is the organization's configuration policy.
func securityHubCentral(cfg *config.Config) *organization.SecurityHubCentral {
	sh := cfg.Detection.SecurityHub
	o := cfg.Topology.Organization
	// The security-tooling account too, wherever it sits: its own stacks
	// leave standards and controls to the policy.
	c := &organization.SecurityHubCentral{PolicyName: cfg.Prefix + "-baseline", Targets: append(slices.Clone(o.TargetOrganizationalUnits), o.SecurityToolingAccountID)}
	for _, std := range sh.Standards {
		c.Standards = append(c.Standards, detection.Standard(std))
	}
	for _, std := range slices.Sorted(maps.Keys(sh.DisabledControls)) {
		for _, dc := range sh.DisabledControls[std] {
			if securityControlID.MatchString(dc.Control) && !slices.Contains(c.DisabledControls, dc.Control) {
				c.DisabledControls = append(c.DisabledControls, dc.Control)
			}
		}
	}
	for _, control := range slices.Sorted(maps.Keys(sh.ControlParameters)) {
		params := map[string]detection.ParameterValue{}
		for n, v := range sh.ControlParameters[control] {
			params[n] = detection.ParameterValue(v)
		}
		c.Parameters = append(c.Parameters, detection.ControlParameters{Control: control, Parameters: params})
	}
	if _, set := sh.ControlParameters["Config.1"]; cfg.Detection.Config.Enabled && !set {
		// Members record with mamori's own role, not the service-linked role.
		off := false
		c.Parameters = append(c.Parameters, detection.ControlParameters{
			Control: "Config.1", Parameters: map[string]detection.ParameterValue{"includeConfigServiceLinkedRoleCheck": {Boolean: &off}},
		})
	}
	return c
}

// memberBaselineProps is what every member account carries in every region.
func memberBaselineProps(cfg *config.Config) *organization.MemberBaselineProps {
	o := cfg.Topology.Organization
	c := cfg.Detection.Config
	g := cfg.DataProtection.AccountGuards
	return &organization.MemberBaselineProps{
		Prefix:     cfg.Prefix,
		HomeRegion: cfg.HomeRegion,
		// Control Tower enrolls its own recorder in every account it governs.
		DisableConfig:         !c.Enabled || o.ControlTower,
		ConfigBucketName:      configBucketName(cfg),
		LogArchiveAccountID:   o.LogArchiveAccountID,
		ConfigKeyArns:         []string{"arn:" + partition(cfg.HomeRegion) + ":kms:" + cfg.HomeRegion + ":" + o.LogArchiveAccountID + ":key/*"},
		ExcludedResourceTypes: c.ExcludedResourceTypes,
		// One template for every governed region: a condition on the
		// region leaves AWS Config out where it is excluded, and the
		// guards stay on there.
		ConfigExcludedRegions: c.ExcludeRegions,
		DailyRecording:        c.RecordingFrequency == "DAILY",
		DeliveryFrequency:     string(c.DeliveryFrequency),
		// The S3 policy, where it reaches every member, sets it instead.
		DisableS3BlockPublicAccess:    !g.S3BlockPublicAccess || s3PolicyCoversMembers(cfg),
		DisableEBSEncryptionByDefault: !g.EBSEncryptionByDefault,
		KeyRotationPeriod:             days(cfg.DataProtection.Keys.RotationPeriodDays),
		KeyPendingWindow:              days(cfg.DataProtection.Keys.PendingWindowDays),
		PasswordPolicy:                memberPasswordPolicy(cfg),
	}
}

// partition names the partition of a region for the one ARN that must be
// written out: a key in another account, inside a template that runs in
// every member account.
func partition(region string) string {
	switch {
	case len(region) > 7 && region[:7] == "us-gov-":
		return "aws-us-gov"
	case len(region) > 3 && region[:3] == "cn-":
		return "aws-cn"
	case len(region) > 5 && region[:5] == "eusc-":
		return "aws-eusc"
	}
	return "aws"
}

// newMemberBaseline synthesizes the member template in its own stage and
// puts it into a StackSet in the management account's home region.
func newMemberBaseline(app awscdk.App, cfg *config.Config) *MemberBaselineStack {
	o := cfg.Topology.Organization
	stage := awscdk.NewStage(app, jsii.String("MemberBaseline"), nil)
	tpl := awscdk.NewStack(stage, jsii.String(cfg.Prefix+"-member-baseline"), &awscdk.StackProps{
		// No bootstrap in member accounts: the synthesizer refuses assets.
		Synthesizer: awscdk.NewBootstraplessSynthesizer(nil),
		Description: jsii.String("mamori member baseline: AWS Config to the log archive, account guards and the account's own key"),
	})
	tags := awscdk.Tags_Of(tpl)
	tags.Add(jsii.String("mamori:layer"), jsii.String("member-baseline"), nil)
	b := baseProps(cfg, cfg.HomeRegion)
	for _, k := range slices.Sorted(maps.Keys(b.Tags)) {
		tags.Add(jsii.String(k), jsii.String(b.Tags[k]), nil)
	}
	organization.NewMemberBaseline(tpl, "Baseline", memberBaselineProps(cfg))
	aspects := awscdk.Aspects_Of(stage)
	aspects.Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	aspects.Add(cdknag.NewNIST80053R5Checks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	aspects.Add(cdknag.NewPCIDSS321Checks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	body := templateBody(stage.Synth(nil).GetStackArtifact(tpl.ArtifactId()).Template())

	mb := accountBase(cfg, cfg.HomeRegion, o.ManagementAccountID)
	stack := newStack(app, name(cfg, "org-member-baseline", cfg.HomeRegion), "organization",
		"mamori organization: the member baseline StackSet for every account of the target OUs", mb)
	d := o.Deployment
	ss := organization.NewMemberStackSet(stack, "MemberBaseline", &organization.MemberStackSetProps{
		Name:                       cfg.Prefix + "-member-baseline",
		Description:                "mamori member baseline: AWS Config to the log archive, account guards and the account's own key",
		TemplateBody:               body,
		TargetOUs:                  o.TargetOrganizationalUnits,
		Regions:                    cfg.Regions,
		ExcludedAccounts:           []string{o.SecurityToolingAccountID},
		MaxConcurrentPercentage:    d.MaxConcurrentPercentage,
		MaxConcurrentCount:         d.MaxConcurrentCount,
		FailureTolerancePercentage: d.FailureTolerancePercentage,
		FailureToleranceCount:      d.FailureToleranceCount,
		RegionConcurrency:          string(d.RegionConcurrency),
		RegionOrder:                d.RegionOrder,
		DestroyOnDelete:            cfg.DestroyOnDelete,
	})
	return &MemberBaselineStack{Stack: stack, StackSet: ss, Template: tpl}
}

// templateBody is a synthesized template as StackSets take it: compact JSON
// without the construct metadata that only CDK tooling reads.
func templateBody(template interface{}) string {
	t, ok := template.(map[string]interface{})
	if !ok {
		panic(fmt.Errorf("stacks: member template is not a JSON object"))
	}
	if rs, ok := t["Resources"].(map[string]interface{}); ok {
		for _, r := range rs {
			if m, ok := r.(map[string]interface{}); ok {
				delete(m, "Metadata")
			}
		}
	}
	raw, err := json.Marshal(t)
	if err != nil {
		panic(fmt.Errorf("stacks: member template: %w", err))
	}
	return string(raw)
}

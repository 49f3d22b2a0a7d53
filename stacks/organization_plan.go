package stacks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mamori-dev/mamori/config"
)

// Wave is one step of an organization deployment: stacks in one account
// that may deploy together once the waves before them are complete.
type Wave struct {
	// Account names the account, e.g. "management 111111111111".
	Account string
	// Stacks deploy in this wave, in this order.
	Stacks []string
	// WaitsFor says what must be complete first, and why.
	WaitsFor string
}

// OrganizationPlan is the ordered deployment of organization mode for cfg:
// the waves NewApp's stack dependencies also encode, so that
// `cdk deploy --all` follows them by itself. Nil in standalone mode.
func OrganizationPlan(cfg *config.Config) []Wave {
	o := cfg.Topology.Organization
	if cfg.Topology.Mode != config.ModeOrganization || o == nil {
		return nil
	}
	home := cfg.HomeRegion
	others := otherRegions(cfg.Regions, home)
	mgmt, tooling, logs := "management "+o.ManagementAccountID, "security-tooling "+o.SecurityToolingAccountID, "log-archive "+o.LogArchiveAccountID
	late, lateWhy := lateCompliance(cfg)
	last, trail := []string{name(cfg, "org-member-baseline", home)}, ""
	if orgComplianceInHome(cfg) {
		last = append(last, name(cfg, "org-compliance", home))
	}
	if cfg.Compliance.Trail.Enabled {
		trail = "; the organization trail (trusted access for CloudTrail, the log archive's evidence bucket and key) records every account of the organization from then on"
	}
	waves := []Wave{
		{Account: mgmt, Stacks: []string{name(cfg, "org-trusted-access", home)},
			WaitsFor: "nothing: trusted access for every security service and for StackSets, and the Organizations registrations (AWS Config, IAM Access Analyzer)"},
		{Account: logs, Stacks: []string{name(cfg, "org-log-archive", home)},
			WaitsFor: "nothing: the central buckets must exist before any member delivers to them"},
		{Account: tooling, Stacks: toolingStacks(cfg),
			WaitsFor: "nothing: the security-tooling account turns on its own services first; the home region's detection stack last, because its finding aggregator links the other regions"},
		{Account: mgmt, Stacks: stackNames(cfg, "org-delegated-admins", cfg.Regions),
			WaitsFor: "wave 1 (trusted access) and wave 3 (a designation turns services on in the administrator, which its own stacks must have done first)"},
		{Account: tooling, Stacks: append(append(append(stackNames(cfg, "org-settings", others), name(cfg, "org-settings", home)), fmsPlan(cfg)...), late...),
			WaitsFor: "wave 4 in the same region; the home region's last, because Security Hub central configuration governs every region" + orgSettingsWaits(cfg) + lateWhy},
		{Account: mgmt, Stacks: last,
			WaitsFor: "waves 1 and 2; then StackSets roll the baseline into every account of " + strings.Join(o.TargetOrganizationalUnits, ", ") +
				" (all but the security-tooling account) and into each account that joins later, without another deployment" + trail},
	}
	if cfg.Prevention.Enabled {
		waves = append(waves, Wave{Account: mgmt, Stacks: []string{name(cfg, "org-prevention", home)},
			WaitsFor: "wave 6: the guardrail policies lock the baseline once it is in place; they attach to " + strings.Join(cfg.Prevention.Targets, ", ") +
				" (attach to a test OU first: prevention.targets)"})
	}
	return waves
}

// stackNames are layer's stack names in regions, in their order.
func stackNames(cfg *config.Config, layer string, regions []string) []string {
	var out []string
	for _, r := range regions {
		out = append(out, name(cfg, layer, r))
	}
	return out
}

// toolingStacks are the security-tooling account's own stacks (wave 3) in
// deployment order. The later layers follow what they build on:
// infrastructure protection the data-protection keys, response and
// compliance the detection layer (the home region's response stack after
// the others when the unified Security Hub aggregates them). NewApp makes
// these stacks only where they have resources; the plan asks the same
// questions.
func toolingStacks(cfg *config.Config) []string {
	home := cfg.HomeRegion
	others := otherRegions(cfg.Regions, home)
	tool := stackNames(cfg, "data-protection", cfg.Regions)
	tool = append(append(tool, stackNames(cfg, "detection", others)...), name(cfg, "detection", home))
	for _, r := range cfg.Regions {
		if infraProtectionProps(cfg, r).HasResources() {
			tool = append(tool, name(cfg, "infra-protection", r))
		}
	}
	// NewApp drops a response stack with nothing in it.
	for _, r := range append(append([]string{}, others...), home) {
		if responseInRegion(cfg, r) {
			tool = append(tool, name(cfg, "response", r))
		}
	}
	for _, r := range cfg.Regions {
		if complianceInRegion(regionCompliance(cfg, r), r == home) && !(r == home && auditManagerAfterDesignation(cfg)) {
			tool = append(tool, name(cfg, "compliance", r))
		}
	}
	return tool
}

// lateCompliance is the home region's compliance stack when Audit Manager's
// assessments wait for its designation (wave 4), with the reason; nil and
// "" otherwise.
func lateCompliance(cfg *config.Config) ([]string, string) {
	if !auditManagerAfterDesignation(cfg) || !complianceInRegion(accountCompliance(cfg), true) {
		return nil, ""
	}
	return []string{name(cfg, "compliance", cfg.HomeRegion)},
		"; the home region's compliance stack after the Audit Manager designation, which its assessments need"
}

// responseInRegion says whether region's response stack has anything in
// it: Detective, what needs Security Hub there (rules, actions, insights,
// the unified Security Hub, the suppressions of its own functions) or a
// remediation on an AWS Config rule there.
func responseInRegion(cfg *config.Config, region string) bool {
	r, d := cfg.Response, cfg.Detection
	return r.Detective.In(region) || d.SecurityHub.In(region) ||
		(r.UnifiedSecurityHub.Enabled && !slices.Contains(d.SecurityHub.ExcludeRegions, region)) ||
		(len(r.Remediations) > 0 && d.Config.In(region))
}

// FormatOrganizationPlan renders the plan with the bootstrap trust each
// account needs and the commands to run, for people and for the README.
func FormatOrganizationPlan(cfg *config.Config, configPath string) string {
	plan := OrganizationPlan(cfg)
	if plan == nil {
		return ""
	}
	o := cfg.Topology.Organization
	var b strings.Builder
	ctx := ""
	if configPath != "" {
		ctx = " -c config=" + configPath
	}
	fmt.Fprintf(&b, "mamori organization deployment plan\n\n")
	fmt.Fprintf(&b, "Bootstrap (once; member accounts need none: StackSets deploy into them). Run each with that account's credentials:\n")
	boot := func(regions string) {
		fmt.Fprintf(&b, "  cdk bootstrap %s --trust %s --cloudformation-execution-policies arn:%s:iam::aws:policy/AdministratorAccess\n",
			regions, o.ManagementAccountID, partition(cfg.HomeRegion))
	}
	envs := func(account string, regions []string) string {
		var e []string
		for _, r := range regions {
			e = append(e, "aws://"+account+"/"+r)
		}
		return strings.Join(e, " ")
	}
	boot(envs(o.ManagementAccountID, cfg.Regions))
	boot(envs(o.SecurityToolingAccountID, cfg.Regions))
	boot(envs(o.LogArchiveAccountID, []string{cfg.HomeRegion}))
	fmt.Fprintf(&b, "  (--trust lets the management account's deployment role deploy into the other two; the management account trusts itself.)\n\n")
	fmt.Fprintf(&b, "Waves (each waits for the ones before it unless it says otherwise):\n")
	for i, w := range plan {
		fmt.Fprintf(&b, "  %d. %s: %s\n     waits for %s\n", i+1, w.Account, strings.Join(w.Stacks, " "), w.WaitsFor)
	}
	fmt.Fprintf(&b, "\nDeploy, with the management account's credentials (the stack dependencies keep the wave order):\n")
	fmt.Fprintf(&b, "  cdk deploy --all%s\n", ctx)
	fmt.Fprintf(&b, "or wave by wave:\n")
	for i, w := range plan {
		fmt.Fprintf(&b, "  cdk deploy --exclusively%s %s   # wave %d\n", ctx, strings.Join(w.Stacks, " "), i+1)
	}
	fmt.Fprintf(&b, "\nNever deploy MemberBaseline/* yourself: it is the StackSet's template, listed by `cdk ls` only.\n")
	return b.String()
}

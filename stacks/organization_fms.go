package stacks

import (
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/infraprotection"
)

// fmsManaged reports whether Firewall Manager carries the WAF, Network
// Firewall, security-group and DNS Firewall settings to the organization's
// accounts: organization mode with firewallManager.enabled. The
// security-tooling account's infrastructure-protection stack then holds only
// what Firewall Manager does not do for its administrator: the Shield
// Advanced subscription (a Shield Advanced policy needs a subscribed
// administrator), SRT access, emergency contacts and explicit protections.
func fmsManaged(cfg *config.Config) bool {
	return cfg.Topology.Mode == config.ModeOrganization && cfg.InfrastructureProtection.FirewallManager.Enabled
}

// FirewallManagerNote is the synth note about Firewall Manager in
// organization mode: that it is off and what the security-tooling account
// deploys directly instead, or, when it is on, which settings its policies
// do not carry. Standalone mode has no note: Firewall Manager needs an
// organization, and the config refuses it there.
func FirewallManagerNote(cfg *config.Config) string {
	switch {
	case cfg.Topology.Mode == config.ModeStandalone:
		return ""
	case !cfg.InfrastructureProtection.FirewallManager.Enabled:
		var direct []string
		if cfg.InfrastructureProtection.WAF.Enabled {
			direct = append(direct, "the WAF web ACLs")
		}
		if cfg.InfrastructureProtection.NetworkFirewall.Enabled {
			direct = append(direct, "the Network Firewall")
		}
		note := "Firewall Manager skipped: infrastructureProtection.firewallManager.enabled is false"
		if len(direct) == 0 {
			return note + "; no WAF web ACL or Network Firewall is deployed in any account"
		}
		return note + "; " + strings.Join(direct, " and ") + " are deployed directly in the security-tooling account only, not in the member accounts"
	}
	c := cfg.InfrastructureProtection
	var ignored []string
	for _, s := range []struct {
		set  bool
		name string
	}{
		{c.WAF.Enabled && c.WAF.RateLimit > 0, "waf.rateLimit"},
		{c.WAF.Enabled && len(c.WAF.AllowedCIDRs) > 0, "waf.allowedCidrs"},
		{c.WAF.Enabled && len(c.WAF.BlockedCIDRs) > 0, "waf.blockedCidrs"},
		{c.WAF.Enabled && len(c.WAF.Associate) > 0, "waf.associate"},
		{c.NetworkFirewall.Enabled && len(c.NetworkFirewall.HomeNet) > 0, "networkFirewall.homeNet"},
		{c.NetworkFirewall.Enabled && c.NetworkFirewall.TLSInspectionCertificateARN != "", "networkFirewall.tlsInspectionCertificateArn"},
	} {
		if s.set {
			ignored = append(ignored, s.name)
		}
	}
	note := "Firewall Manager's WAF policies log nowhere yet (no aws-waf-logs- destination in the administrator account)"
	if len(ignored) > 0 {
		note = "Firewall Manager's policies carry the WAF managed rule groups and the Network Firewall rule groups but not " +
			strings.Join(ignored, ", ") + " (they apply only to web ACLs and firewalls mamori deploys directly); " + note
	}
	return note
}

// fmsStack is one Firewall Manager policies stack: regional, or the us-east-1
// one for CloudFront distributions.
type fmsStack struct {
	Name, Region string
	Global       bool
}

// fmsStacks are the Firewall Manager policies stacks of the security-tooling
// account, in deployment order: one per governed region that has a policy,
// and the CloudFront (global) one in us-east-1 when WAF covers CloudFront or
// Shield Advanced is on. Nil unless fmsManaged.
func fmsStacks(cfg *config.Config) []fmsStack {
	if !fmsManaged(cfg) {
		return nil
	}
	c := cfg.InfrastructureProtection
	f := c.FirewallManager
	var out []fmsStack
	if c.WAF.Enabled || c.NetworkFirewall.Enabled || f.SecurityGroupAudit || f.DNSFirewall || c.ShieldAdvanced.Enabled {
		for _, r := range cfg.Regions {
			out = append(out, fmsStack{Name: name(cfg, "org-firewall-manager", r), Region: r})
		}
	}
	for _, r := range cfg.Regions {
		if r == "us-east-1" && ((c.WAF.Enabled && c.WAF.CloudFront) || c.ShieldAdvanced.Enabled) {
			out = append(out, fmsStack{Name: name(cfg, "org-firewall-manager-cloudfront", r), Region: r, Global: true})
		}
	}
	return out
}

// newOrganizationFirewallManager makes the security-tooling account the
// Firewall Manager default administrator (from the management account, in
// the home region's delegated-admins stack; the call goes to us-east-1,
// where Firewall Manager serves it) and deploys the policies in the
// security-tooling account, scoped by firewallManager's include and exclude
// lists. Firewall Manager enables its trusted access and registers the
// delegated administrator in Organizations itself.
func newOrganizationFirewallManager(app awscdk.App, cfg *config.Config, a *App, out *OrganizationStacks) {
	stacks := fmsStacks(cfg)
	if len(stacks) == 0 {
		return
	}
	o := cfg.Topology.Organization
	admin := out.DelegatedAdmins[cfg.HomeRegion]
	infraprotection.NewFirewallManagerAdmin(admin.Stack, "FirewallManagerAdmin", &infraprotection.FirewallManagerAdminProps{
		Calls: admin.Calls, AdminAccountID: o.SecurityToolingAccountID,
	})
	out.FirewallManager = map[string]*infraprotection.FirewallManagerPolicies{}
	for _, s := range stacks {
		policies := NewFirewallManagerPoliciesStack(app, s.Name, &FirewallManagerPoliciesStackProps{
			Base: accountBase(cfg, s.Region, o.SecurityToolingAccountID), Global: s.Global,
			InfrastructureProtection: cfg.InfrastructureProtection, Logs: cfg.Logs, LogsKey: a.DataProtection[s.Region].LogsKey.Key,
			ConfigRecording: a.Detection[s.Region].Stack,
			Alerts:          fmsAlerts(cfg, a, s),
		})
		stack := awscdk.Stack_Of(policies.Scope)
		stack.AddStackDependency(admin.Stack, jsii.String("Firewall Manager policies need the security-tooling account as Firewall Manager administrator"))
		if cfg.InfrastructureProtection.ShieldAdvanced.Enabled {
			stack.AddStackDependency(a.InfraProtection["us-east-1"].Stack, jsii.String("only an administrator subscribed to Shield Advanced may create a Shield Advanced policy"))
		}
		key := s.Region
		if s.Global {
			key = "cloudfront"
		}
		out.FirewallManager[key] = policies
	}
}

// fmsNotifies says whether Firewall Manager notifies the alerts topic in
// region: the home region's regional policies stack sets the channel there
// (one channel per administrator and region).
func fmsNotifies(cfg *config.Config, region string) bool {
	return region == cfg.HomeRegion && slices.ContainsFunc(fmsStacks(cfg), func(s fmsStack) bool { return s.Region == region && !s.Global })
}

// fmsAlerts is the alerts topic a Firewall Manager policies stack sends
// notifications to, or nil.
func fmsAlerts(cfg *config.Config, a *App, s fmsStack) awssns.ITopic {
	if s.Global || !fmsNotifies(cfg, s.Region) {
		return nil
	}
	return a.DataProtection[s.Region].Alerts.Topic
}

// fmsPlan are the Firewall Manager stacks' names, for the plan's last
// security-tooling wave.
func fmsPlan(cfg *config.Config) []string {
	var out []string
	for _, s := range fmsStacks(cfg) {
		out = append(out, s.Name)
	}
	return out
}

// orgSettingsWaits is what the plan adds to the organization settings wave's
// waits for Detective and Firewall Manager.
func orgSettingsWaits(cfg *config.Config) string {
	var s string
	if cfg.Response.Detective.Enabled {
		s += "; Detective auto-enables each account that joins the organization, but leaves a member not enabled until it has used GuardDuty for 48 hours " +
			"(Detective retries by itself, nothing waits; the accounts already in the target OUs are added by this wave's existing-members handler)"
	}
	if len(fmsStacks(cfg)) > 0 {
		s += "; the Firewall Manager policies wait for the home region's wave-4 stack (the Firewall Manager administrator) and for AWS Config recording in their region, " +
			"and cover each member account once its baseline (wave 6) records AWS Config there"
	}
	return s
}

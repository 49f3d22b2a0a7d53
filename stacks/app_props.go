package stacks

import (
	"github.com/mamori-dev/mamori/config"
)

// The functions below translate the whole config into the props of one
// region's stacks. They create no constructs, so they are tested without
// Node.js; the app adds the references between stacks.

// dataProtectionProps are region's data-protection stack props: the keys'
// policies admit exactly the services the other layers turn on there.
func dataProtectionProps(cfg *config.Config, region string) *DataProtectionStackProps {
	home := region == cfg.HomeRegion
	return &DataProtectionStackProps{
		Base:          baseProps(cfg, region),
		Home:          home,
		Keys:          cfg.DataProtection.Keys,
		Guards:        cfg.DataProtection.AccountGuards,
		Logs:          cfg.Logs,
		Detection:     cfg.Detection,
		Notifications: cfg.Notifications,
		Secrets:       cfg.DataProtection.Secrets,
		Macie:         cfg.DataProtection.Macie,
		CloudHSM:      cfg.DataProtection.CloudHSM,
		Compliance:    accountCompliance(cfg),
		// The organization trail records this account too.
		OrganizationTrail:            cfg.Topology.Mode == config.ModeOrganization && cfg.Compliance.Trail.Enabled,
		VendedLogs:                   cfg.InfrastructureProtection.NetworkFirewall.Enabled && home && !fmsManaged(cfg),
		FirewallManagerNotifications: fmsNotifies(cfg, region),
	}
}

// infraProtectionProps are region's infrastructure-protection stack props
// without LogsKey, which the app adds from the data-protection stack.
func infraProtectionProps(cfg *config.Config, region string) *InfraProtectionStackProps {
	return &InfraProtectionStackProps{
		Base: baseProps(cfg, region), Home: region == cfg.HomeRegion, Global: region == "us-east-1",
		InfrastructureProtection: cfg.InfrastructureProtection, Logs: cfg.Logs,
		SecurityHub:     cfg.Detection.SecurityHub.In(region),
		FirewallManaged: fmsManaged(cfg),
	}
}

// shieldAssociationRegions are the regions, other than us-east-1, of the
// Shield protections with automatic mitigation, in config order: their
// web ACL associations come before the global stack.
func shieldAssociationRegions(sa config.ShieldAdvanced) []string {
	if !sa.Enabled {
		return nil
	}
	var out []string
	for _, pr := range sa.Protections {
		if r := arnRegion(pr.ResourceARN); pr.AutomaticResponse != "" && r != "" && r != "us-east-1" {
			out = append(out, r)
		}
	}
	return out
}

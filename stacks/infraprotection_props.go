package stacks

import (
	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/infraprotection"
)

// The functions below translate the infrastructure-protection config into
// construct props. They create no constructs, so they are tested without
// Node.js; the stack adds the keys and providers.

// webACLProps are a web ACL's props without LogKey. Its logs are kept a year
// at least.
func webACLProps(w config.WAF, scope infraprotection.Scope, name string, associate []string, logs config.Logs, destroy bool) *infraprotection.WebACLProps {
	return &infraprotection.WebACLProps{
		Scope: scope, Name: name, ManagedRuleGroups: managedGroups(w.ManagedRuleGroups), NoManagedRuleGroups: len(w.ManagedRuleGroups) == 0, RateLimit: w.RateLimit,
		AllowedCIDRs: w.AllowedCIDRs, BlockedCIDRs: w.BlockedCIDRs, CapacityLimit: w.CapacityLimit,
		LogRetentionDays: yearAtLeast(logs), Associate: associate, DestroyOnDelete: destroy,
	}
}

// networkFirewallProps are the inspection firewall's props, "<prefix>-inspection",
// without Calls, LogBucket and LogGroupKey. Its logs are kept a year at least.
func networkFirewallProps(n config.NetworkFirewall, prefix string, logs config.Logs, destroy bool) *infraprotection.NetworkFirewallProps {
	props := &infraprotection.NetworkFirewallProps{
		Name: prefix + "-inspection", VPCCIDR: n.VPCCIDR, AvailabilityZones: n.AvailabilityZones,
		HomeNet: n.HomeNet, SuricataRules: n.SuricataRules, AllowedDomains: n.AllowedDomains, DeniedDomains: n.DeniedDomains,
		ManagedRuleGroups: n.ManagedRuleGroups, TLSInspectionCertificateARN: n.TLSInspectionCertificateARN,
		LogRetentionDays: yearAtLeast(logs), AllowDeletion: !n.DeletionProtection, DestroyOnDelete: destroy,
	}
	if e := n.ExistingVPC; e != nil {
		props.ExistingVPC = existingVPC(e)
	}
	return props
}

// shieldProps are Shield Advanced's props without Calls.
func shieldProps(sh config.ShieldAdvanced) *infraprotection.ShieldAdvancedProps {
	props := &infraprotection.ShieldAdvancedProps{SRTAccess: sh.SRTAccess, SRTLogBuckets: sh.SRTLogBuckets}
	for _, pr := range sh.Protections {
		props.Protections = append(props.Protections, infraprotection.ShieldProtection{
			Name: pr.Name, ResourceARN: pr.ResourceARN, AutomaticResponse: infraprotection.AutomaticResponse(pr.AutomaticResponse),
		})
	}
	for _, g := range sh.ProtectionGroups {
		props.ProtectionGroups = append(props.ProtectionGroups, infraprotection.ShieldProtectionGroup{ID: g.ID, Aggregation: g.Aggregation, Members: g.Members})
	}
	for _, e := range sh.EmergencyContacts {
		props.EmergencyContacts = append(props.EmergencyContacts, infraprotection.EmergencyContact{Email: e.Email, Phone: e.Phone, Notes: e.Notes})
	}
	return props
}

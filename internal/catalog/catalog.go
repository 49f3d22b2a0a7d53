// Package catalog holds the facts about AWS managed rule groups that both
// config validation and the infrastructure-protection constructs need: the
// AWS WAF managed rule groups with their capacities, the web ACL capacity
// rules, the AWS Network Firewall managed threat-signature groups, and a
// Suricata rule checker. It depends on nothing but the standard library, so
// config can use it without loading the CDK.
package catalog

import (
	"slices"
	"sort"
)

// WAFManagedRuleGroup is one AWS Managed Rules rule group for AWS WAF.
type WAFManagedRuleGroup struct {
	// Name is the rule group's name; its vendor is always "AWS".
	Name string
	// WCU is the web ACL capacity the group uses, as the AWS WAF Developer
	// Guide lists it on the group's page.
	WCU int
	// Paid marks the intelligent threat mitigation groups that bill per
	// request on top of the web ACL.
	Paid bool
	// NeedsLoginPath marks groups that must be told the application's login
	// endpoint (account takeover prevention).
	NeedsLoginPath bool
}

// WAFManagedRuleGroups are the AWS managed rule groups mamori offers, by name.
// Capacities from the AWS WAF Developer Guide, "AWS Managed Rules rule groups
// list" (https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html):
// baseline groups (aws-managed-rule-groups-baseline.html), use-case groups
// (aws-managed-rule-groups-use-case.html), IP reputation groups
// (aws-managed-rule-groups-ip-rep.html), Bot Control
// (aws-managed-rule-groups-bot.html) and ATP (aws-managed-rule-groups-atp.html).
// A group's capacity can change with its versions; AWS WAF's own check at
// deploy time stays the final word.
var WAFManagedRuleGroups = map[string]WAFManagedRuleGroup{
	"AWSManagedRulesCommonRuleSet":          {Name: "AWSManagedRulesCommonRuleSet", WCU: 700},
	"AWSManagedRulesAdminProtectionRuleSet": {Name: "AWSManagedRulesAdminProtectionRuleSet", WCU: 100},
	"AWSManagedRulesKnownBadInputsRuleSet":  {Name: "AWSManagedRulesKnownBadInputsRuleSet", WCU: 200},
	"AWSManagedRulesSQLiRuleSet":            {Name: "AWSManagedRulesSQLiRuleSet", WCU: 200},
	"AWSManagedRulesLinuxRuleSet":           {Name: "AWSManagedRulesLinuxRuleSet", WCU: 200},
	"AWSManagedRulesUnixRuleSet":            {Name: "AWSManagedRulesUnixRuleSet", WCU: 100},
	"AWSManagedRulesWindowsRuleSet":         {Name: "AWSManagedRulesWindowsRuleSet", WCU: 200},
	"AWSManagedRulesPHPRuleSet":             {Name: "AWSManagedRulesPHPRuleSet", WCU: 100},
	"AWSManagedRulesWordPressRuleSet":       {Name: "AWSManagedRulesWordPressRuleSet", WCU: 100},
	"AWSManagedRulesAmazonIpReputationList": {Name: "AWSManagedRulesAmazonIpReputationList", WCU: 25},
	"AWSManagedRulesAnonymousIpList":        {Name: "AWSManagedRulesAnonymousIpList", WCU: 50},
	"AWSManagedRulesBotControlRuleSet":      {Name: "AWSManagedRulesBotControlRuleSet", WCU: 50, Paid: true},
	"AWSManagedRulesATPRuleSet":             {Name: "AWSManagedRulesATPRuleSet", WCU: 50, Paid: true, NeedsLoginPath: true},
}

// WAFManagedRuleGroupNames lists the offered groups, sorted.
func WAFManagedRuleGroupNames() []string {
	var names []string
	for n := range WAFManagedRuleGroups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Web ACL capacity facts from the AWS WAF Developer Guide, "Web ACL capacity
// units (WCUs) in AWS WAF" (aws-waf-capacity-units.html) and the rule
// statement pages.
const (
	// DefaultWCULimit is the capacity the basic web ACL price covers.
	DefaultWCULimit = 1500
	// MaxWCULimit is the most a web ACL can hold.
	MaxWCULimit = 5000
	// RateBasedRuleWCU is a rate-based rule's base cost, without custom
	// aggregation keys or a scope-down statement
	// (waf-rule-statement-type-rate-based.html).
	RateBasedRuleWCU = 2
	// IPSetRuleWCU is an IP set match statement's cost, whatever the number
	// of addresses in the set (waf-rule-statement-type-ipset-match.html).
	IPSetRuleWCU = 1
)

// WebACLCapacity is the capacity of a web ACL made of the named managed rule
// groups, a rate-based rule when rateBased is set, and ipSets IP set rules.
// ok is false when a group name is unknown.
func WebACLCapacity(groups []string, rateBased bool, ipSets int) (wcu int, ok bool) {
	ok = true
	for _, g := range groups {
		mg, known := WAFManagedRuleGroups[g]
		if !known {
			ok = false
			continue
		}
		wcu += mg.WCU
	}
	if rateBased {
		wcu += RateBasedRuleWCU
	}
	return wcu + ipSets*IPSetRuleWCU, ok
}

// ThreatSignatureGroups are the AWS Network Firewall managed threat-signature
// rule groups for firewall policies in strict evaluation order, from the
// Network Firewall Developer Guide, "AWS threat signature managed rule
// groups" (https://docs.aws.amazon.com/network-firewall/latest/developerguide/aws-managed-rule-groups-threat-signature.html),
// and the domain and IP groups (aws-managed-rule-groups-domain-list.html).
// Their ARN is arn:<partition>:network-firewall:<region>:aws-managed:stateful-rulegroup/<name>.
var ThreatSignatureGroups = []string{
	"AbusedLegitBotNetCommandAndControlDomainsStrictOrder",
	"AbusedLegitMalwareDomainsStrictOrder",
	"BotNetCommandAndControlDomainsStrictOrder",
	"MalwareDomainsStrictOrder",
	"ThreatSignaturesBotnetStrictOrder",
	"ThreatSignaturesBotnetWebStrictOrder",
	"ThreatSignaturesBotnetWindowsStrictOrder",
	"ThreatSignaturesDoSStrictOrder",
	"ThreatSignaturesEmergingEventsStrictOrder",
	"ThreatSignaturesExploitsStrictOrder",
	"ThreatSignaturesFUPStrictOrder",
	"ThreatSignaturesIOCStrictOrder",
	"ThreatSignaturesMalwareCoinminingStrictOrder",
	"ThreatSignaturesMalwareMobileStrictOrder",
	"ThreatSignaturesMalwareStrictOrder",
	"ThreatSignaturesMalwareWebStrictOrder",
	"ThreatSignaturesPhishingStrictOrder",
	"ThreatSignaturesScannersStrictOrder",
	"ThreatSignaturesSuspectStrictOrder",
	"ThreatSignaturesWebAttacksStrictOrder",
}

// KnownThreatSignatureGroup reports whether name is a strict-order managed group.
func KnownThreatSignatureGroup(name string) bool { return slices.Contains(ThreatSignatureGroups, name) }

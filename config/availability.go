package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mamori-dev/mamori/internal/catalog"
)

// regionalFeature is something the configuration turns on that deploys
// CloudFormation resource types not every region offers.
type regionalFeature struct {
	// name is what the user knows it as, e.g. "Macie custom data identifiers".
	name string
	// plural names take "are".
	plural bool
	// types are the resource types it deploys in each of its regions.
	types []string
	// homeOnly features deploy in the home region only.
	homeOnly bool
	// exclude is the excludeRegions field (path and value) that turns the
	// feature's service off per region; empty when it has none.
	excludePath string
	exclude     []string
	// off says how to turn the feature off altogether.
	off string
}

// regionalFeatures lists what c turns on that not every region offers,
// in the regions the stacks deploy it to; see stacks.NewApp and the
// organization stacks for where each resource is created.
func (c *Config) regionalFeatures() []regionalFeature {
	var fs features
	c.dataProtectionFeatures(&fs)
	c.detectionFeatures(&fs)
	c.responseFeatures(&fs)
	fs.add(c.Compliance.AuditManager.Enabled, regionalFeature{name: "Audit Manager", types: []string{"AWS::AuditManager::Assessment"}, homeOnly: true,
		off: "set compliance.auditManager.enabled: false"})
	return fs
}

// features collects the regional features a configuration turns on.
type features []regionalFeature

// add appends f when on.
func (fs *features) add(on bool, f regionalFeature) {
	if on {
		*fs = append(*fs, f)
	}
}

// configExcludePath is the field that turns AWS Config off in a region; the
// fix names Security Hub's too when it is on, since excluding AWS Config
// from a region needs Security Hub excluded there (validateDetectionRegions).
func (c *Config) configExcludePath() string {
	if c.Detection.SecurityHub.Enabled {
		return "detection.config.excludeRegions and detection.securityHub.excludeRegions"
	}
	return "detection.config.excludeRegions"
}

// dataProtectionFeatures are Macie's parts, the EBS snapshot guard and CloudHSM.
func (c *Config) dataProtectionFeatures(fs *features) {
	m := c.DataProtection.Macie
	macie := func(name, field string, types ...string) regionalFeature {
		plural := field != ""
		off := "set dataProtection.macie.enabled: false"
		if field != "" {
			off = "remove dataProtection.macie." + field
		}
		return regionalFeature{name: name, plural: plural, types: types, excludePath: "dataProtection.macie.excludeRegions", exclude: m.ExcludeRegions, off: off}
	}
	fs.add(m.Enabled, macie("Macie", "", "AWS::Macie::Session"))
	fs.add(m.Enabled && len(m.CustomDataIdentifiers) > 0, macie("Macie custom data identifiers", "customDataIdentifiers", "AWS::Macie::CustomDataIdentifier"))
	fs.add(m.Enabled && len(m.AllowLists) > 0, macie("Macie allow lists", "allowLists", "AWS::Macie::AllowList"))
	fs.add(m.Enabled && len(m.FindingsFilters) > 0, macie("Macie findings filters", "findingsFilters", "AWS::Macie::FindingsFilter"))

	// The account guards run in every governed region's data-protection stack.
	fs.add(c.DataProtection.AccountGuards.EBSSnapshotBlockPublicAccess, regionalFeature{name: "EBS snapshot block public access",
		types: []string{"AWS::EC2::SnapshotBlockPublicAccess"}, off: "set dataProtection.accountGuards.ebsSnapshotBlockPublicAccess: false"})

	fs.add(c.DataProtection.CloudHSM.Enabled, regionalFeature{name: "CloudHSM", types: []string{"AWS::CloudHSM::Cluster"}, homeOnly: true,
		off: "set dataProtection.cloudHsm.enabled: false"})
}

// detectionFeatures are Security Hub's, AWS Config's (with the conformance
// packs that need its recorder) and Inspector's CIS scans.
func (c *Config) detectionFeatures(fs *features) {
	org := c.Topology.Mode == ModeOrganization
	multi := len(c.Regions) > 1
	sh := c.Detection.SecurityHub
	fs.add(sh.Enabled, regionalFeature{name: "Security Hub", types: []string{"AWS::SecurityHub::Hub", "AWS::SecurityHub::Standard", "AWS::SecurityHub::AutomationRule"},
		excludePath: "detection.securityHub.excludeRegions", exclude: sh.ExcludeRegions, off: "set detection.securityHub.enabled: false"})
	fs.add(sh.Enabled && multi, regionalFeature{name: "Security Hub cross-Region aggregation", types: []string{"AWS::SecurityHub::FindingAggregator"}, homeOnly: true,
		off: "govern the home region only"})
	fs.add(sh.Enabled && org, regionalFeature{name: "Security Hub central configuration",
		types:    []string{"AWS::SecurityHub::ConfigurationPolicy", "AWS::SecurityHub::OrganizationConfiguration", "AWS::SecurityHub::PolicyAssociation"},
		homeOnly: true, off: "set detection.securityHub.enabled: false"})

	dc := c.Detection.Config
	fs.add(dc.Enabled, regionalFeature{name: "AWS Config", types: []string{"AWS::Config::ConfigurationRecorder", "AWS::Config::DeliveryChannel", "AWS::Config::ConfigRule"},
		excludePath: c.configExcludePath(), exclude: dc.ExcludeRegions, off: "set detection.config.enabled: false"})
	cp := c.Compliance.ConformancePacks
	fs.add(dc.Enabled && cp.Enabled && len(c.Compliance.Frameworks) > 0, regionalFeature{name: "AWS Config conformance packs", plural: true, types: []string{"AWS::Config::ConformancePack"},
		excludePath: c.configExcludePath(), exclude: dc.ExcludeRegions, off: "set compliance.conformancePacks.enabled: false"})

	in := c.Detection.Inspector
	fs.add(in.Enabled && in.CISScan.Enabled, regionalFeature{name: "Inspector CIS scans", plural: true, types: []string{"AWS::InspectorV2::CisScanConfiguration"},
		excludePath: "detection.inspector.excludeRegions", exclude: in.ExcludeRegions, off: "set detection.inspector.cisScan.enabled: false"})
}

// responseFeatures are Detective's, the unified Security Hub's, AWS
// Chatbot's and the AWS Config remediations'.
func (c *Config) responseFeatures(fs *features) {
	d := c.Response.Detective
	detective := []string{"AWS::Detective::Graph"}
	if c.Topology.Mode == ModeOrganization {
		detective = append(detective, "AWS::Detective::OrganizationAdmin")
	}
	fs.add(d.Enabled, regionalFeature{name: "Detective", types: detective,
		excludePath: "response.detective.excludeRegions", exclude: d.ExcludeRegions, off: "set response.detective.enabled: false"})

	u := c.Response.UnifiedSecurityHub
	// The unified Security Hub follows Security Hub CSPM's excludeRegions.
	fs.add(u.Enabled, regionalFeature{name: "the unified Security Hub", types: []string{"AWS::SecurityHub::HubV2"},
		excludePath: "detection.securityHub.excludeRegions", exclude: c.Detection.SecurityHub.ExcludeRegions, off: "set response.unifiedSecurityHub.enabled: false"})
	fs.add(u.Enabled && len(c.Regions) > 1, regionalFeature{name: "the unified Security Hub's aggregation", types: []string{"AWS::SecurityHub::AggregatorV2"}, homeOnly: true,
		off: "set response.unifiedSecurityHub.enabled: false"})

	fs.add(c.Response.Notifications.Slack != nil, regionalFeature{name: "AWS Chatbot (Slack)", types: []string{"AWS::Chatbot::SlackChannelConfiguration"}, homeOnly: true,
		off: "remove response.notifications.slack"})

	dc := c.Detection.Config
	for i, r := range c.Response.Remediations {
		j := slices.IndexFunc(dc.ManagedRules, func(m ManagedRule) bool { return m.Identifier == r.Control.RemediationRule() })
		if j < 0 || !dc.Enabled {
			continue
		}
		f := regionalFeature{name: "AWS Config remediation", types: []string{"AWS::Config::RemediationConfiguration"},
			homeOnly: dc.ManagedRules[j].HomeRegionOnly, excludePath: c.configExcludePath(), exclude: dc.ExcludeRegions,
			off: fmt.Sprintf("remove %s", indexPath("response.remediations", i))}
		if !f.homeOnly {
			f.off = fmt.Sprintf("set %s.homeRegionOnly: true, or remove %s", indexPath("detection.config.managedRules", j), indexPath("response.remediations", i))
		}
		*fs = append(*fs, f)
	}
}

// validateAvailability reports every feature the configuration deploys to
// a region that does not offer it: `cdk synth` would refuse the template
// (aws-cdk-lib validates each resource type against the region's list;
// catalog.Unavailable holds those lists).
func (c *Config) validateAvailability(v *validator) {
	homePartition, _ := regionPartition(c.HomeRegion)
	features := c.regionalFeatures()
	for i, region := range c.Regions {
		for _, f := range features {
			home := region == c.HomeRegion
			if p, _ := regionPartition(region); p != homePartition || (f.homeOnly && !home) || slices.Contains(f.exclude, region) {
				continue // a region in another partition is already an error
			}
			missing := catalog.Unavailable(region, f.types...)
			if len(missing) == 0 {
				continue
			}
			path, fixes := indexPath("regions", i), []string{}
			if home {
				path = "homeRegion"
			}
			if f.excludePath != "" && !home {
				fixes = append(fixes, fmt.Sprintf("add %s to %s", region, f.excludePath))
			}
			fixes = append(fixes, f.off)
			if home {
				fixes = append(fixes, "choose another homeRegion")
			} else {
				fixes = append(fixes, "stop governing "+region)
			}
			verb := "is"
			if f.plural {
				verb = "are"
			}
			// The message opens with the service, which is what the reader
			// looks for; it fits none of the typed constructors' prefixes.
			v.add(path, "%s %s not available in %s (CloudFormation has no %s there); %s",
				f.name, verb, region, strings.Join(missing, ", "), joinOr(fixes))
		}
	}
}

// validateExcludeRegions checks a service's excludeRegions: governed
// regions other than the home region, each once.
func (c *Config) validateExcludeRegions(v *validator, path string, regions []string) {
	eachUnique(v, path, regions, "", identity, func(p string, r string) {
		switch {
		case r == c.HomeRegion:
			v.forbidden(p, "the home region %s cannot be excluded; turn the service off instead", r)
		case !slices.Contains(c.Regions, r):
			v.notSupported(p, r, "not a governed region: supported values: %s", quoteList(c.Regions))
		}
	})
}

// joinOr joins alternatives as "a, b or c".
func joinOr(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

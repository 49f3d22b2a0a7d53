package config

// Defaults live with their layer: each layer's file (detection.go,
// dataprotection.go, infraprotection.go, response.go, compliance.go,
// organization.go, prevention.go, existing.go) sets its own from
// profileDefaults and fillDerived below, and this file the settings shared by
// every layer. The doc comment of every field states the same default;
// TestProfileDefaults pins them.

// profileDefaults returns a fresh Config holding every default of profile p.
// Parse overlays the file onto it: a key the file sets replaces the default
// value entirely, lists and maps included.
//
// Sandbox is cheap and safe in a personal account: the services priced by
// usage stay on (with nothing to scan or record they cost next to nothing),
// the protection plans and scans billed per resource are off, retention is
// short and recording daily. Production turns everything on.
func profileDefaults(p Profile) *Config {
	prod := p == ProfileProduction
	pick := func(sandbox, production int) int {
		if prod {
			return production
		}
		return sandbox
	}

	c := &Config{
		Profile:    p,
		Prefix:     "mamori",
		HomeRegion: "us-east-1",
		// Regions is derived from HomeRegion after the overlay: see fillDerived.
		Topology: Topology{Mode: ModeStandalone},
		Logs: Logs{
			RetentionDays:           pick(90, 2557), // 2557 days = 7 years
			TransitionToGlacierDays: pick(0, 365),
		},
	}

	dataProtectionDefaults(c, prod)
	detectionDefaults(c, prod)
	infraprotectionDefaults(c, prod)
	responseDefaults(c, prod)
	complianceDefaults(c, prod)
	preventionDefaults(c, prod)
	existingDefaults(c)
	return c
}

// fillDerived sets the defaults that depend on other fields, after the file
// has been overlaid: they follow the home region the file chose. set holds
// the field paths the file wrote.
func fillDerived(c *Config, set map[string]bool) {
	if !set["regions"] {
		c.Regions = []string{c.HomeRegion}
	}
	complianceDerived(c, set)
	if nfw := &c.InfrastructureProtection.NetworkFirewall; !set["infrastructureProtection.networkFirewall.availabilityZones"] && nfw.ExistingVPC == nil {
		nfw.AvailabilityZones = []string{c.HomeRegion + "a", c.HomeRegion + "b"}
	}
	organizationDerived(c, set)
	responseDerived(c, set)
	preventionDerived(c, set)
	detectionDerived(c, set)
}

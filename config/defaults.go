package config

// This file is the one place defaults live. The doc comment of every field in
// types.go states the same default; TestProfileDefaults pins them.

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
	pickString := func(sandbox, production string) string {
		if prod {
			return production
		}
		return sandbox
	}
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
		DataProtection: DataProtection{
			Keys: Keys{
				RotationPeriodDays: 365,
				PendingWindowDays:  30,
			},
			AccountGuards: AccountGuards{
				S3BlockPublicAccess: true, EBSEncryptionByDefault: true, EBSSnapshotBlockPublicAccess: true, AMIBlockPublicAccess: true,
				RequireIMDSv2: true, InstanceMetadataHopLimit: 2, DisableSerialConsoleAccess: true, BlockSSMDocumentPublicSharing: true,
			},
			Macie: Macie{
				Enabled:                    true,
				FindingPublishingFrequency: PublishingFrequency(pickString("SIX_HOURS", "FIFTEEN_MINUTES")),
				AutomatedDiscovery:         prod,
			},
			CloudHSM: CloudHSM{HSMType: "hsm2m.medium", HSMCount: 2, BackupRetentionDays: 90},
		},
		Detection: Detection{
			SecurityHub: SecurityHub{
				Enabled:                     true,
				Standards:                   []Standard{StandardFSBP},
				ConsolidatedControlFindings: true,
				AutoEnableControls:          true,
			},
			GuardDuty: GuardDuty{
				Enabled:                    true,
				FindingPublishingFrequency: "SIX_HOURS",
				ExportFindings:             true,
				Protection: GuardDutyProtection{
					S3DataEvents:           true,
					EKSAuditLogs:           prod,
					RuntimeMonitoring:      prod,
					RuntimeAgentManagement: RuntimeAgentManagement{EKSAddOn: true, ECSFargate: true, EC2: true},
					EBSMalwareProtection:   prod,
					RDSLoginEvents:         prod,
					LambdaNetworkLogs:      prod,
				},
			},
			Config: ConfigService{
				Enabled:            true,
				RecordingFrequency: "DAILY",
				DeliveryFrequency:  "TwentyFour_Hours",
			},
			AccessAnalyzer: AccessAnalyzer{
				ExternalAccess: true,
				UnusedAccess:   UnusedAccess{Enabled: prod, UnusedAccessAgeDays: 90},
			},
			Inspector: Inspector{
				Enabled:           true,
				ScanTypes:         InspectorScanTypes{EC2: true, ECR: true, Lambda: true, LambdaCode: prod},
				ECRRescanDuration: "DAYS_30",
				CISScan: CISScan{
					Enabled:       prod,
					SecurityLevel: "LEVEL_1",
					Frequency:     "WEEKLY",
					TimeOfDay:     "03:00",
					TimeZone:      "UTC",
					Days:          []string{"SUN"},
					DayOfMonth:    "SUN",
					TargetTags:    map[string][]string{"mamori:cis-scan": {"true"}},
				},
			},
		},
	}

	if prod {
		c.Detection.SecurityHub.Standards = []Standard{StandardFSBP, StandardCIS, StandardPCIDSS, StandardNIST80053}
		c.Detection.GuardDuty.FindingPublishingFrequency = "FIFTEEN_MINUTES"
		c.Detection.Config.RecordingFrequency = "CONTINUOUS"
		c.Detection.Config.ManagedRules = productionManagedRules()
		c.Detection.Inspector.ECRRescanDuration = "LIFETIME"
	}
	infraprotectionDefaults(c, prod)
	responseDefaults(c, prod)
	complianceDefaults(c, prod)
	preventionDefaults(c, prod)
	existingDefaults(c)
	return c
}

// productionManagedRules are the AWS managed Config rules production deploys
// on top of Security Hub's controls: account-level settings that are cheap to
// evaluate and that an auditor asks about first.
func productionManagedRules() []ManagedRule {
	return []ManagedRule{
		// IAM and the root user are global: checking them in every region
		// would only repeat the same evaluation.
		{Identifier: "ROOT_ACCOUNT_MFA_ENABLED", HomeRegionOnly: true},
		{Identifier: "IAM_ROOT_ACCESS_KEY_CHECK", HomeRegionOnly: true},
		{Identifier: "IAM_PASSWORD_POLICY", HomeRegionOnly: true},
		// S3 Block Public Access at account level is one setting for all
		// regions.
		{Identifier: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", HomeRegionOnly: true},
		// A multi-region trail satisfies this everywhere, a single-region
		// trail only where it lives, so every governed region checks itself.
		{Identifier: "CLOUD_TRAIL_ENABLED"},
		// EBS default encryption is a per-region setting.
		{Identifier: "EC2_EBS_ENCRYPTION_BY_DEFAULT"},
	}
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
	for i := range c.Detection.GuardDuty.MalwareProtectionS3 {
		b := &c.Detection.GuardDuty.MalwareProtectionS3[i]
		if !set[indexPath("detection.guardDuty.malwareProtectionS3", i)+".region"] {
			b.Region = c.HomeRegion
		}
	}
}

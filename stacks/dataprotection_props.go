package stacks

import (
	"time"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/dataprotection"
)

// The functions below translate the data-protection config into construct
// props. They create no constructs, so they are tested without Node.js; the
// stack adds keys and providers.

// accountGuardsProps are the account guards' props without Calls and
// EBSDefaultKey. EC2 and Systems Manager settings are per region; S3 Block
// Public Access and the alternate contact are account-wide, set from home.
func accountGuardsProps(g config.AccountGuards, home, destroy bool) *dataprotection.AccountGuardsProps {
	// EC2 and Systems Manager settings are per region; S3 Block Public
	// Access and the alternate contact are account-wide, set from home.
	props := &dataprotection.AccountGuardsProps{
		SkipBlockS3PublicAccess:           !home || !g.S3BlockPublicAccess,
		SkipBlockSnapshotPublicAccess:     !g.EBSSnapshotBlockPublicAccess,
		SkipBlockImagePublicAccess:        !g.AMIBlockPublicAccess,
		SkipRequireIMDSv2:                 !g.RequireIMDSv2,
		IMDSHopLimit:                      g.InstanceMetadataHopLimit,
		SkipDisableSerialConsole:          !g.DisableSerialConsoleAccess,
		SkipBlockSSMDocumentPublicSharing: !g.BlockSSMDocumentPublicSharing,
		SkipEBSEncryptionByDefault:        !g.EBSEncryptionByDefault,
		RevertOnDelete:                    destroy,
	}
	if c := g.SecurityContact; c != nil && home {
		props.SecurityContact = &dataprotection.AlternateContact{Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone}
	}
	return props
}

// guardsSomething is true when the guards set at least one setting, so that
// the stack deploys them.
func guardsSomething(g *dataprotection.AccountGuardsProps) bool {
	return !g.SkipBlockS3PublicAccess || !g.SkipEBSEncryptionByDefault || !g.SkipBlockSnapshotPublicAccess || !g.SkipBlockImagePublicAccess ||
		!g.SkipRequireIMDSv2 || !g.SkipDisableSerialConsole || !g.SkipBlockSSMDocumentPublicSharing || g.SecurityContact != nil
}

// cloudHSMProps are the HSM cluster's props without Calls.
func cloudHSMProps(h config.CloudHSM, destroy bool) *dataprotection.CloudHSMProps {
	props := &dataprotection.CloudHSMProps{
		HSMType:             dataprotection.HSMType(h.HSMType),
		NonFIPS:             h.NonFIPS,
		HSMCount:            h.HSMCount,
		Activated:           h.Activated,
		BackupRetentionDays: h.BackupRetentionDays,
		DestroyOnDelete:     destroy,
	}
	for _, sn := range h.Subnets {
		props.Subnets = append(props.Subnets, dataprotection.HSMSubnet{SubnetID: sn.SubnetID, AvailabilityZone: sn.AvailabilityZone})
	}
	return props
}

// keyLifecycle is what every key of the stack shares: its rotation period,
// its pending deletion window, and whether deleting the stack deletes it.
func keyLifecycle(k config.Keys, destroy bool) (rotation, pending time.Duration, destroyOnDelete bool) {
	return days(k.RotationPeriodDays), days(k.PendingWindowDays), destroy
}

// applicationKeyProps are a workload key's props without the principals
// and lifecycle, which the stack adds.
func applicationKeyProps(ak config.ApplicationKey, prefix string) dataprotection.KeyProps {
	return dataprotection.KeyProps{
		MultiRegion: ak.MultiRegion,
		Alias:       applicationKeyAlias(prefix, ak.Name),
		Description: ak.Description,
	}
}

// applicationKeyAlias is a workload key's alias, the same for its primary
// and its replicas.
func applicationKeyAlias(prefix, name string) string {
	return "alias/" + prefix + "/app/" + name
}

// cisAlarms says whether this region deploys the trail's CIS alarms, which
// publish to the alerts topic through CloudWatch.
func cisAlarms(c config.Compliance, home bool) bool {
	return home && c.Trail.Enabled && c.Trail.CISAlarms
}

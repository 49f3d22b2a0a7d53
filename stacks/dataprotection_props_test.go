package stacks

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/dataprotection"
)

func TestAccountGuardsProps(t *testing.T) {
	g := config.AccountGuards{
		S3BlockPublicAccess: true, RequireIMDSv2: true, InstanceMetadataHopLimit: 2,
		SecurityContact: &config.AlternateContact{Name: "Security team", Title: "CISO", Email: "security@example.com", Phone: "+44 20 7946 0000"},
	}
	home := accountGuardsProps(g, true, false)
	assert.False(t, home.SkipBlockS3PublicAccess)
	assert.Equal(t, &dataprotection.AlternateContact{Name: "Security team", Title: "CISO", Email: "security@example.com", Phone: "+44 20 7946 0000"}, home.SecurityContact)
	assert.True(t, guardsSomething(home))

	other := accountGuardsProps(g, false, true)
	assert.True(t, other.SkipBlockS3PublicAccess, "S3 Block Public Access is account-wide: set from the home region only")
	assert.Nil(t, other.SecurityContact, "the alternate contact is account-wide: set from the home region only")
	assert.False(t, other.SkipRequireIMDSv2, "the IMDS default is per region")
	assert.Equal(t, 2, other.IMDSHopLimit)
	assert.True(t, other.RevertOnDelete)

	assert.False(t, guardsSomething(accountGuardsProps(config.AccountGuards{S3BlockPublicAccess: true}, false, false)),
		"a region with nothing to set deploys no guards")
}

func TestCloudHSMProps(t *testing.T) {
	h := config.CloudHSM{Enabled: true, HSMCount: 2, BackupRetentionDays: 90, Subnets: []config.HSMSubnet{
		{SubnetID: "subnet-0123456789abcdef0", AvailabilityZone: "eu-west-1a"},
		{SubnetID: "subnet-0123456789abcdef1", AvailabilityZone: "eu-west-1b"},
	}}
	got := cloudHSMProps(h, false)
	assert.Equal(t, []dataprotection.HSMSubnet{
		{SubnetID: "subnet-0123456789abcdef0", AvailabilityZone: "eu-west-1a"},
		{SubnetID: "subnet-0123456789abcdef1", AvailabilityZone: "eu-west-1b"},
	}, got.Subnets)
	assert.Equal(t, 2, got.HSMCount)
	assert.Equal(t, 90, got.BackupRetentionDays)
	assert.Nil(t, got.Calls, "the stack adds its own provider")
}

func TestApplicationKeyProps(t *testing.T) {
	got := applicationKeyProps(config.ApplicationKey{Name: "orders", Description: "Orders data", MultiRegion: true}, "acme")
	assert.Equal(t, dataprotection.KeyProps{MultiRegion: true, Alias: "alias/acme/app/orders", Description: "Orders data"}, got)

	rotation, pending, destroy := keyLifecycle(config.Keys{RotationPeriodDays: 180, PendingWindowDays: 30}, true)
	assert.Equal(t, 180*day, rotation)
	assert.Equal(t, 30*day, pending)
	assert.True(t, destroy)
}

func TestCISAlarms(t *testing.T) {
	on := config.Compliance{Trail: config.Trail{Enabled: true, CISAlarms: true}}
	assert.True(t, cisAlarms(on, true))
	assert.False(t, cisAlarms(on, false), "the trail and its alarms are in the home region only")
	assert.False(t, cisAlarms(config.Compliance{Trail: config.Trail{CISAlarms: true}}, true), "no trail, no alarms")
}

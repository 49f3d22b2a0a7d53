package stacks

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/config"
)

func loadOrganization(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load("../config/examples/organization.yaml")
	require.NoError(t, err)
	return cfg
}

func TestOrganizationTrailProps(t *testing.T) {
	cfg := loadOrganization(t)
	cfg.Logs.RetentionDays = 400
	got := organizationTrailProps(cfg)
	assert.Equal(t, "mamori-trail", got.Name)
	assert.Equal(t, "mamori-org-evidence-333333333333-us-east-1", got.DestinationBucket, "the log archive's evidence bucket")
	assert.Equal(t, "o-abcdefghij", got.OrganizationID)
	assert.Equal(t, 400*24*time.Hour, got.Retention)
	assert.Nil(t, got.EncryptionKey, "the stack adds the log archive's key")
}

func TestToolingStacks(t *testing.T) {
	cfg := loadOrganization(t)
	got := toolingStacks(cfg)
	require.NotEmpty(t, got)
	var want []string
	for _, r := range cfg.Regions {
		want = append(want, "mamori-data-protection-"+r)
	}
	for _, r := range otherRegions(cfg.Regions, cfg.HomeRegion) {
		want = append(want, "mamori-detection-"+r)
	}
	want = append(want, "mamori-detection-"+cfg.HomeRegion)
	assert.Equal(t, want, got[:len(want)], "keys first; the home region's detection stack after the regions its aggregator links")

	cfg.Compliance.AuditManager.Enabled = true
	late, why := lateCompliance(cfg)
	assert.Equal(t, []string{"mamori-compliance-us-east-1"}, late)
	assert.Contains(t, why, "Audit Manager designation")
	assert.NotContains(t, toolingStacks(cfg), "mamori-compliance-us-east-1", "it waits for the designation, in wave 5")

	cfg.Compliance.AuditManager.Enabled = false
	late, why = lateCompliance(cfg)
	assert.Nil(t, late)
	assert.Empty(t, why)
}

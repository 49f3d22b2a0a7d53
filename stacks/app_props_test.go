package stacks

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/config"
)

func TestDataProtectionProps(t *testing.T) {
	cfg, err := config.Load("../config/examples/organization.yaml")
	require.NoError(t, err)
	other := otherRegions(cfg.Regions, cfg.HomeRegion)
	require.NotEmpty(t, other)

	home := dataProtectionProps(cfg, cfg.HomeRegion)
	assert.True(t, home.Home)
	assert.Equal(t, "222222222222", *home.Base.StackProps.Env.Account, "the layers' stacks secure the security-tooling account")
	assert.Equal(t, cfg.Compliance.Trail.Enabled, home.OrganizationTrail, "the organization trail records this account")
	assert.False(t, home.Compliance.Trail.Enabled, "the account's own trail gives way to the organization trail")
	assert.False(t, home.VendedLogs, "Firewall Manager delivers the firewall logs in organization mode")

	assert.False(t, dataProtectionProps(cfg, other[0]).Home)
}

func TestInfraProtectionProps(t *testing.T) {
	cfg, err := config.Load("../config/examples/infra-protection.yaml")
	require.NoError(t, err)
	p := infraProtectionProps(cfg, "us-east-1")
	assert.True(t, p.Global)
	assert.Equal(t, "us-east-1" == cfg.HomeRegion, p.Home)
	assert.False(t, p.FirewallManaged, "standalone: the stack deploys WAF and Network Firewall itself")
	assert.Nil(t, p.LogsKey, "the app adds the data-protection logs key")
}

func TestShieldAssociationRegions(t *testing.T) {
	sa := config.ShieldAdvanced{Enabled: true, Protections: []config.ShieldProtection{
		{Name: "alb", ResourceARN: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123456789abcdef", AutomaticResponse: "BLOCK"},
		{Name: "cdn", ResourceARN: "arn:aws:cloudfront::123456789012:distribution/E1ABCDEFGHIJKL", AutomaticResponse: "BLOCK"},
		{Name: "global-alb", ResourceARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef", AutomaticResponse: "COUNT"},
		{Name: "manual", ResourceARN: "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/web/0123456789abcdef"},
	}}
	assert.Equal(t, []string{"eu-west-1"}, shieldAssociationRegions(sa),
		"only regional protections outside us-east-1 with automatic mitigation wait for their association")
	sa.Enabled = false
	assert.Nil(t, shieldAssociationRegions(sa))
}

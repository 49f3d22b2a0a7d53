package stacks

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/detection"
)

func TestConfigRules(t *testing.T) {
	c := config.ConfigService{ManagedRules: []config.ManagedRule{
		{Identifier: "IAM_PASSWORD_POLICY", HomeRegionOnly: true},
		{Identifier: "S3_BUCKET_VERSIONING_ENABLED", Parameters: map[string]string{"isMfaDeleteEnabled": "false"}},
	}}
	assert.Equal(t, []detection.ManagedRule{
		{Identifier: "IAM_PASSWORD_POLICY"},
		{Identifier: "S3_BUCKET_VERSIONING_ENABLED", Parameters: map[string]string{"isMfaDeleteEnabled": "false"}},
	}, configRules(c, true), "the home region deploys every rule")
	assert.Equal(t, []detection.ManagedRule{
		{Identifier: "S3_BUCKET_VERSIONING_ENABLED", Parameters: map[string]string{"isMfaDeleteEnabled": "false"}},
	}, configRules(c, false), "other regions skip home-region-only rules")
}

func TestSecurityHubProps(t *testing.T) {
	days := 30
	hub := config.SecurityHub{
		Enabled:   true,
		Standards: []config.Standard{config.StandardFSBP},
		DisabledControls: map[string][]config.DisabledControl{
			string(config.StandardCIS):  {{Control: "1.14", Reason: "keys are rotated by the identity provider"}},
			string(config.StandardFSBP): {{Control: "IAM.6", Reason: "hardware MFA is held by the break-glass owner"}},
		},
		ControlParameters: map[string]map[string]config.ParameterValue{"ACM.1": {"daysToExpiration": {Integer: &days}}},
	}
	home := hubScope{Region: "eu-west-1", Regions: []string{"eu-central-1", "eu-west-1", "us-east-1"}, Home: true, Recorder: true}
	got := securityHubProps(hub, home, false)

	assert.Equal(t, []detection.Standard{detection.Standard(config.StandardFSBP)}, got.Standards)
	assert.False(t, got.NoStandards)
	assert.True(t, got.StandardControlFindings, "consolidated control findings are off unless configured")
	assert.True(t, got.ManualNewControls, "new controls are not enabled automatically unless configured")
	assert.Equal(t, []detection.DisabledControl{
		{Standard: detection.Standard(config.StandardFSBP), Control: "IAM.6", Reason: "hardware MFA is held by the break-glass owner"},
		{Standard: detection.Standard(config.StandardCIS), Control: "1.14", Reason: "keys are rotated by the identity provider"},
	}, got.DisabledControls, "sorted by standard")
	off := false
	assert.Equal(t, []detection.ControlParameters{
		{Control: "ACM.1", Parameters: map[string]detection.ParameterValue{"daysToExpiration": {Integer: &days}}},
		{Control: "Config.1", Parameters: map[string]detection.ParameterValue{"includeConfigServiceLinkedRoleCheck": {Boolean: &off}}},
	}, got.ControlParameters, "Config.1 stops checking for the service-linked role when mamori records")
	assert.Equal(t, []string{"eu-central-1", "us-east-1"}, got.AggregateRegions, "the home region aggregates the others")

	member := securityHubProps(hub, hubScope{Region: "eu-central-1", Regions: home.Regions, Recorder: false}, false)
	assert.Empty(t, member.AggregateRegions, "only the home region aggregates")
	assert.Len(t, member.ControlParameters, 1, "no Config.1 parameter without mamori's recorder")

	central := securityHubProps(hub, hubScope{Region: "eu-west-1", Home: true, Regions: home.Regions, Recorder: true, CentrallyConfigured: true}, true)
	assert.True(t, central.NoStandards, "a configuration policy owns the standards")
	assert.Empty(t, central.DisabledControls)
	assert.Empty(t, central.ControlParameters)
	assert.True(t, central.DestroyOnDelete)
	assert.NotEmpty(t, hub.Standards, "the caller's config is not changed")
}

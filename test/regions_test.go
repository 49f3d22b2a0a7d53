package test

import (
	"path/filepath"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/stacks"
)

// excludeRegions turns each regional service off in one region of a
// standalone account and leaves it on in the others.
func TestExcludeRegions(t *testing.T) {
	cfg, err := config.Load(filepath.Join(repoRoot, "config", "examples", "sandbox.yaml"))
	require.NoError(t, err)
	off := "eu-central-1"
	require.Contains(t, cfg.Regions, off)
	require.NotEqual(t, off, cfg.HomeRegion)
	cfg.Detection.GuardDuty.ExcludeRegions = []string{off}
	cfg.Detection.AccessAnalyzer.ExcludeRegions = []string{off}
	cfg.Detection.Inspector.ExcludeRegions = []string{off}
	cfg.Response.Detective.ExcludeRegions = []string{off}
	cfg.DataProtection.Macie.Enabled = true
	cfg.DataProtection.Macie.ExcludeRegions = []string{off}
	require.NoError(t, cfg.Validate())
	a := stacks.NewApp(newTestApp(t), cfg)
	for _, region := range cfg.Regions {
		n := jsii.Number(1)
		if region == off {
			n = jsii.Number(0)
		}
		det := assertions.Template_FromStack(a.Detection[region].Stack, nil)
		det.ResourceCountIs(jsii.String("AWS::GuardDuty::Detector"), n)
		det.ResourceCountIs(jsii.String("AWS::AccessAnalyzer::Analyzer"), n)
		det.ResourceCountIs(jsii.String("Custom::InspectorEnablement"), n)
		assertions.Template_FromStack(a.DataProtection[region].Stack, nil).ResourceCountIs(jsii.String("AWS::Macie::Session"), n)
		assert.Equal(t, region != off, a.Response[region] != nil && a.Response[region].Detective != nil, region)
	}
}

package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponseDefaults(t *testing.T) {
	sandbox, err := Parse("sandbox", []byte("profile: sandbox\n"))
	require.NoError(t, err)
	production, err := Parse("production", []byte("profile: production\n"))
	require.NoError(t, err)

	// Detective has no fixed charge: the investigation starts there in
	// every profile.
	assert.True(t, sandbox.Response.Detective.Enabled)
	assert.True(t, production.Response.Detective.Enabled)
	for _, c := range []*Config{sandbox, production} {
		r := c.Response
		assert.True(t, r.Detective.SecurityHubFindings)
		assert.False(t, r.Detective.EKSAuditLogs, "EKS audit bills and cannot be stopped through the API: opt-in")
		assert.True(t, r.Notifications.Enabled)
		assert.Equal(t, SeverityLabel("HIGH"), r.Notifications.MinimumSeverity)
		assert.Nil(t, r.Notifications.Slack)
		assert.Len(t, r.CustomActions, 2)
		assert.Len(t, r.Insights, 3)
		assert.Empty(t, r.AutomationRules)
		assert.False(t, r.UnifiedSecurityHub.Enabled, "billed separately: opt-in")
		assert.Empty(t, r.Remediations, "every remediation is opt-in")
	}
}

func TestSeverityAtOrAbove(t *testing.T) {
	assert.Equal(t, []string{"HIGH", "CRITICAL"}, SeverityLabel("HIGH").AtOrAbove())
	assert.Equal(t, []string{"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}, SeverityLabel("INFORMATIONAL").AtOrAbove())
	assert.Nil(t, SeverityLabel("high").AtOrAbove())
}

func TestEveryRemediationNamesARule(t *testing.T) {
	for _, v := range RemediationControl("").Values() {
		assert.Regexp(t, `^[A-Z0-9_]+$`, RemediationControl(v).RemediationRule(), v)
	}
}

func TestRemediationOfAnEnabledRuleIsAccepted(t *testing.T) {
	_, err := Parse("ok.yaml", []byte(strings.Join([]string{
		"detection:",
		"  config:",
		"    managedRules:",
		"      - identifier: S3_BUCKET_SSL_REQUESTS_ONLY",
		"response:",
		"  remediations:",
		"    - control: s3-tls-requests-only",
		"      automatic: true",
	}, "\n")))
	assert.NoError(t, err)
}

// A remediation's retry settings default per item; an explicit 0 is an error,
// not the default.
func TestRemediationRetryDefaults(t *testing.T) {
	doc := `
detection:
  config:
    managedRules:
      - identifier: S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED
response:
  remediations:
    - control: s3-bucket-public-access
`
	c, err := Parse("defaults", []byte(doc))
	require.NoError(t, err)
	require.Len(t, c.Response.Remediations, 1)
	assert.Equal(t, 3, c.Response.Remediations[0].MaximumAutomaticAttempts)
	assert.Equal(t, 600, c.Response.Remediations[0].RetryAttemptSeconds)

	_, err = Parse("zero", []byte(doc+"      maximumAutomaticAttempts: 0\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "response.remediations[0].maximumAutomaticAttempts")
}

package detection

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

// TestZeroPropsAreSecure builds every detection construct from the zero
// value of its props, with only the required references filled in, and
// checks the secure outcome: every standard-bearing service on, every plan
// and scan type on, nothing deleted with the stack.
func TestZeroPropsAreSecure(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewSecurityHub(stack, "SecurityHub", &SecurityHubProps{})
	NewGuardDuty(stack, "GuardDuty", &GuardDutyProps{})
	NewAccessAnalyzer(stack, "AccessAnalyzer", &AccessAnalyzerProps{})
	NewConfigRecorder(stack, "Config", &ConfigRecorderProps{Bucket: secureBucket(stack, "ConfigBucket"), Key: cdktest.ImportedKey(stack)})
	in := NewInspector(stack, "Inspector", &InspectorProps{Calls: calltest.NewProvider(stack)})
	tp := cdktest.Synth(t, stack)

	// Security Hub: AWS Foundational Security Best Practices, one finding
	// per control, new controls on, the hub retained.
	tp.Has("AWS::SecurityHub::Hub", m{"AutoEnableControls": true, "ControlFindingGenerator": "SECURITY_CONTROL", "EnableDefaultStandards": false})
	tp.Has("AWS::SecurityHub::Standard", m{"StandardsArn": "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0"})
	// GuardDuty: every protection plan and agent enabled, the detector retained.
	for _, r := range tp.Resources("AWS::GuardDuty::Detector") {
		for _, f := range r["Properties"].(m)["Features"].(a) {
			assert.Equal(t, "ENABLED", f.(m)["Status"], f.(m)["Name"])
			for _, ac := range asList(f.(m)["AdditionalConfiguration"]) {
				assert.Equal(t, "ENABLED", ac.(m)["Status"], ac.(m)["Name"])
			}
		}
	}
	// IAM Access Analyzer: the external-access analyzer.
	tp.Count("AWS::AccessAnalyzer::Analyzer", 1)
	// AWS Config: every resource type, global IAM types included, continuously.
	tp.Has("AWS::Config::ConfigurationRecorder", m{
		"RecordingGroup": m{"AllSupported": true, "IncludeGlobalResourceTypes": true},
		"RecordingMode":  m{"RecordingFrequency": "CONTINUOUS"},
	})
	// Inspector: every scan type.
	assert.Equal(t, a{"EC2", "ECR", "LAMBDA", "LAMBDA_CODE"}, enablement(tp, cdktest.LogicalID(stack, in.Enablement))["ResourceTypes"])
	// Nothing stateful is deleted with the stack.
	for _, typ := range []string{"AWS::SecurityHub::Hub", "AWS::GuardDuty::Detector", "AWS::AccessAnalyzer::Analyzer"} {
		tp.HasResource(typ, m{"DeletionPolicy": "Retain"})
	}
}

func asList(v interface{}) a {
	l, _ := v.(a)
	return l
}

package test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every security invariant below is also visible in the snapshots; these
// tests say which change to them is unacceptable, for every fixture.

func TestBucketsAreLockedDown(t *testing.T) {
	for _, fx := range fixtures {
		for _, stack := range fx.stackNames() {
			for id, r := range fx.resources(t, stack) {
				if r.Type != "AWS::S3::Bucket" {
					continue
				}
				where := fx.name + "/" + stack + "/" + id
				assert.Equal(t, map[string]interface{}{
					"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
				}, r.Properties["PublicAccessBlockConfiguration"], where)
				assert.Equal(t, map[string]interface{}{"Status": "Enabled"}, r.Properties["VersioningConfiguration"], where)
				assert.NotEmpty(t, r.Properties["BucketEncryption"], where)
				assert.NotEmpty(t, r.Properties["LifecycleConfiguration"], where)
				if !strings.HasPrefix(id, "AccessLogsBucket") {
					assert.NotEmpty(t, r.Properties["LoggingConfiguration"], where+": not access-logged")
					assert.Contains(t, jsonOf(r.Properties["BucketEncryption"]), `"SSEAlgorithm":"aws:kms"`, where)
				}
			}
		}
	}
}

func TestBucketPoliciesDenyInsecureTransport(t *testing.T) {
	for _, fx := range fixtures {
		for _, stack := range fx.stackNames() {
			resources := fx.resources(t, stack)
			buckets, policies := 0, 0
			for _, r := range resources {
				switch r.Type {
				case "AWS::S3::Bucket":
					buckets++
				case "AWS::S3::BucketPolicy":
					policies++
					doc := jsonOf(r.Properties["PolicyDocument"])
					assert.Contains(t, doc, `"aws:SecureTransport":"false"`, fx.name+"/"+stack)
					assert.Contains(t, doc, `"s3:TlsVersion":1.2`, fx.name+"/"+stack)
				}
			}
			assert.Equal(t, buckets, policies, "%s/%s: every bucket has a TLS-only policy", fx.name, stack)
		}
	}
}

func TestKeysRotateAndDenyForeignGrants(t *testing.T) {
	for _, fx := range fixtures {
		for _, stack := range fx.stackNames() {
			for id, r := range fx.resources(t, stack) {
				if r.Type != "AWS::KMS::Key" {
					continue
				}
				where := fx.name + "/" + stack + "/" + id
				assert.Equal(t, true, r.Properties["EnableKeyRotation"], where)
				assert.Equal(t, float64(fx.config.DataProtection.Keys.RotationPeriodDays), r.Properties["RotationPeriodInDays"], where)
				assert.Contains(t, jsonOf(r.Properties["KeyPolicy"]), `"Sid":"DenyGrantsExceptForAwsServices"`, where)
			}
		}
	}
}

// TestLogGroupsEncrypted covers what the cfn-guard rule CT.CLOUDWATCH.PR.3
// cannot see through a cross-stack reference: each log group names a key.
func TestLogGroupsEncrypted(t *testing.T) {
	for _, fx := range fixtures {
		for _, stack := range fx.stackNames() {
			for id, r := range fx.resources(t, stack) {
				if r.Type == "AWS::Logs::LogGroup" {
					assert.Contains(t, jsonOf(r.Properties["KmsKeyId"]), "LogsKey", fx.name+"/"+stack+"/"+id)
					assert.GreaterOrEqual(t, r.Properties["RetentionInDays"], float64(365), fx.name+"/"+stack+"/"+id)
				}
			}
		}
	}
}

// TestGuardDutyPlansExplicit: GuardDuty enables any optional plan a detector
// leaves out, so every plan is listed with the status the config chose
// (this also covers CT.GUARDDUTY.PR.1, which reads only the legacy field).
func TestGuardDutyPlansExplicit(t *testing.T) {
	for _, fx := range fixtures {
		gd := fx.config.Detection.GuardDuty
		want := map[string]bool{
			"S3_DATA_EVENTS":         gd.Protection.S3DataEvents,
			"EKS_AUDIT_LOGS":         gd.Protection.EKSAuditLogs,
			"EBS_MALWARE_PROTECTION": gd.Protection.EBSMalwareProtection,
			"RDS_LOGIN_EVENTS":       gd.Protection.RDSLoginEvents,
			"LAMBDA_NETWORK_LOGS":    gd.Protection.LambdaNetworkLogs,
			"RUNTIME_MONITORING":     gd.Protection.RuntimeMonitoring,
		}
		for _, stack := range fx.stackNames() {
			for id, r := range fx.resources(t, stack) {
				if r.Type != "AWS::GuardDuty::Detector" {
					continue
				}
				assert.Nil(t, r.Properties["DataSources"], "DataSources and Features cannot be mixed")
				got := map[string]bool{}
				for _, f := range r.Properties["Features"].([]interface{}) {
					f := f.(map[string]interface{})
					got[f["Name"].(string)] = f["Status"] == "ENABLED"
				}
				assert.Equal(t, want, got, fx.name+"/"+stack+"/"+id)
			}
		}
	}
}

// TestFeatureFlags: cdk.json sets every flag the pinned CDK CLI recommends,
// at its recommended value, and fails synth on the built-in validation rules.
func TestFeatureFlags(t *testing.T) {
	recommended := map[string]interface{}{}
	data, err := os.ReadFile(filepath.Join(repoRoot, ".tools", "node_modules", "aws-cdk", "lib", "init-templates", ".recommended-feature-flags.json"))
	require.NoError(t, err, "run `make setup` to install the pinned CDK CLI")
	require.NoError(t, json.Unmarshal(data, &recommended))
	var cdk struct {
		Context map[string]interface{} `json:"context"`
	}
	data, err = os.ReadFile(filepath.Join(repoRoot, "cdk.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &cdk))
	require.NotEmpty(t, recommended)
	for flag, value := range recommended {
		assert.Equal(t, value, cdk.Context[flag], "cdk.json context %q", flag)
	}
	assert.Equal(t, true, cdk.Context["@aws-cdk/core:validateAgainstDefaultRules"])
}

// TestBadConfigFailsCleanly runs the app as `cdk synth` would on a broken
// config: a message naming file, line and field, exit status 1, no panic
// trace and nothing synthesized.
func TestBadConfigFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "app")
	build := exec.Command("go", "build", "-o", bin, "./app")
	build.Dir = repoRoot
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("profile: sandbox\nhomeRegion: mars-east-1\ndetection:\n  guardDuty:\n    findingPublishingFrequency: HOURLY\n"), 0o644))
	outdir := filepath.Join(dir, "cdk.out")
	run := exec.Command(bin)
	run.Env = append(os.Environ(), "MAMORI_CONFIG="+bad, "CDK_OUTDIR="+outdir)
	out, err = run.CombinedOutput()
	exit, ok := err.(*exec.ExitError)
	require.True(t, ok, "the app must fail: %v\n%s", err, out)
	assert.Equal(t, 1, exit.ExitCode())
	text := string(out)
	assert.Contains(t, text, bad+":2: homeRegion: unsupported value \"mars-east-1\"")
	assert.Contains(t, text, bad+":5: detection.guardDuty.findingPublishingFrequency: unsupported value \"HOURLY\"")
	assert.NotContains(t, text, "panic")
	assert.NotContains(t, text, "goroutine")
	templates, _ := filepath.Glob(filepath.Join(outdir, "*.template.json"))
	assert.Empty(t, templates, "nothing may be synthesized")
}

func jsonOf(v interface{}) string {
	b, _ := json.Marshal(v)
	return string(b)
}

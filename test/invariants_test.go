package test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/internal/cdktest"
)

// Every security invariant below is also visible in the snapshots; these
// tests say which change to them is unacceptable, for every fixture.

func TestBucketsAreLockedDown(t *testing.T) {
	eachResource(t, "AWS::S3::Bucket", func(_ *fixture, where string, r resource) {
		assert.Equal(t, map[string]interface{}{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		}, r.Properties["PublicAccessBlockConfiguration"], where)
		assert.Equal(t, map[string]interface{}{"Status": "Enabled"}, r.Properties["VersioningConfiguration"], where)
		assert.NotEmpty(t, r.Properties["BucketEncryption"], where)
		assert.NotEmpty(t, r.Properties["LifecycleConfiguration"], where)
		if !strings.Contains(where, "AccessLogsBucket") {
			assert.NotEmpty(t, r.Properties["LoggingConfiguration"], where+": not access-logged")
			assert.Contains(t, jsonOf(r.Properties["BucketEncryption"]), `"SSEAlgorithm":"aws:kms"`, where)
		}
	})
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
	eachResource(t, "AWS::KMS::Key", func(fx *fixture, where string, r resource) {
		assert.Equal(t, true, r.Properties["EnableKeyRotation"], where)
		assert.Equal(t, float64(fx.config.DataProtection.Keys.RotationPeriodDays), r.Properties["RotationPeriodInDays"], where)
		assert.Contains(t, jsonOf(r.Properties["KeyPolicy"]), `"Sid":"DenyGrantsExceptForAwsServices"`, where)
	})
}

// encryptionExceptions are the stores that may not use one of our keys,
// each with the reason AWS gives.
var encryptionExceptions = map[string]string{
	"/AccessLogsBucket/": "S3 delivers server access logs only to buckets encrypted with SSE-S3: " +
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
}

// TestStoresEncryptedWithOurKeys: every bucket, topic, log group and secret
// in the whole app is encrypted with one of mamori's customer managed keys,
// referenced in the same stack or through another stack's output.
func TestStoresEncryptedWithOurKeys(t *testing.T) {
	for _, fx := range fixtures {
		var keys []string // logical IDs of every KMS key of the fixture
		for _, stack := range fx.stackNames() {
			for id, r := range fx.resources(t, stack) {
				if r.Type == "AWS::KMS::Key" {
					keys = append(keys, id)
				}
			}
		}
		require.NotEmpty(t, keys, fx.name)
		keyFields := map[string]func(resource) interface{}{
			"AWS::S3::Bucket":             func(r resource) interface{} { return r.Properties["BucketEncryption"] },
			"AWS::Logs::LogGroup":         func(r resource) interface{} { return r.Properties["KmsKeyId"] },
			"AWS::SNS::Topic":             func(r resource) interface{} { return r.Properties["KmsMasterKeyId"] },
			"AWS::SecretsManager::Secret": func(r resource) interface{} { return r.Properties["KmsKeyId"] },
		}
		for _, stack := range fx.stackNames() {
			for id, r := range fx.resources(t, stack) {
				field, ok := keyFields[r.Type]
				if !ok {
					continue
				}
				where := fx.name + "/" + stack + "/" + id
				if encryptionExempt(r) {
					continue
				}
				ref := jsonOf(field(r))
				if !slices.ContainsFunc(keys, func(k string) bool { return strings.Contains(ref, k) }) {
					t.Errorf("%s (%s) is not encrypted with one of our keys: %s", where, r.Type, ref)
				}
			}
		}
	}
}

func encryptionExempt(r resource) bool {
	path, _ := r.Metadata["aws:cdk:path"].(string)
	for fragment := range encryptionExceptions {
		if strings.Contains(path, fragment) {
			return true
		}
	}
	return false
}

// TestLogGroupsEncrypted covers what the cfn-guard rule CT.CLOUDWATCH.PR.3
// cannot see through a cross-stack reference: each log group names a key.
func TestLogGroupsEncrypted(t *testing.T) {
	eachResource(t, "AWS::Logs::LogGroup", func(_ *fixture, where string, r resource) {
		assert.Contains(t, jsonOf(r.Properties["KmsKeyId"]), "LogsKey", where)
		assert.GreaterOrEqual(t, r.Properties["RetentionInDays"], float64(365), where)
	})
}

// TestGuardDutyPlansExplicit: GuardDuty enables any optional plan a detector
// leaves out, so every plan is listed with the status the config chose
// (this also covers CT.GUARDDUTY.PR.1, which reads only the legacy field).
func TestGuardDutyPlansExplicit(t *testing.T) {
	eachResource(t, "AWS::GuardDuty::Detector", func(fx *fixture, where string, r resource) {
		p := fx.config.Detection.GuardDuty.Protection
		want := map[string]bool{
			"S3_DATA_EVENTS":         p.S3DataEvents,
			"EKS_AUDIT_LOGS":         p.EKSAuditLogs,
			"EBS_MALWARE_PROTECTION": p.EBSMalwareProtection,
			"RDS_LOGIN_EVENTS":       p.RDSLoginEvents,
			"LAMBDA_NETWORK_LOGS":    p.LambdaNetworkLogs,
			"RUNTIME_MONITORING":     p.RuntimeMonitoring,
		}
		assert.Nil(t, r.Properties["DataSources"], "DataSources and Features cannot be mixed")
		got := map[string]bool{}
		for _, f := range r.Properties["Features"].([]interface{}) {
			f := f.(map[string]interface{})
			got[f["Name"].(string)] = f["Status"] == "ENABLED"
		}
		assert.Equal(t, want, got, where)
	})
}

// TestFeatureFlags: cdk.json sets every flag the pinned CDK CLI recommends,
// at its recommended value, and fails synth on the built-in validation rules.
func TestFeatureFlags(t *testing.T) {
	recommended := map[string]interface{}{}
	data, err := os.ReadFile(filepath.Join(repoRoot, ".tools", "node_modules", "aws-cdk", "lib", "init-templates", ".recommended-feature-flags.json"))
	require.NoError(t, err, "run `make setup` to install the pinned CDK CLI")
	require.NoError(t, json.Unmarshal(data, &recommended))
	ctx, err := cdktest.ReadContext(repoRoot)
	require.NoError(t, err)
	require.NotEmpty(t, recommended)
	for flag, value := range recommended {
		assert.Equal(t, value, ctx[flag], "cdk.json context %q", flag)
	}
	assert.Equal(t, true, ctx["@aws-cdk/core:validateAgainstDefaultRules"])
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

// TestNoSecretValueInTemplates: Secrets Manager generates every secret value;
// no template carries one.
func TestNoSecretValueInTemplates(t *testing.T) {
	eachResource(t, "AWS::SecretsManager::Secret", func(_ *fixture, where string, r resource) {
		assert.Nil(t, r.Properties["SecretString"], where)
		assert.NotNil(t, r.Properties["GenerateSecretString"], where)
	})
	for _, fx := range fixtures {
		for _, stack := range fx.stackNames() {
			assert.NotContains(t, string(fx.templates[stack]), `"SecretString"`, fx.name+"/"+stack)
		}
	}
}

// TestOwnFindingsSuppressed: in the stacks deployed after the detection
// stack, every bucket and function mamori creates is named by an automation
// rule of its own stack for the controls it cannot meet (MFA delete for a
// bucket, a VPC for a function), and S3.7 (replication) is suppressed for
// none, because none is replicated; so a new bucket or function in a later
// layer never lowers the account's Security Hub score unnoticed.
func TestOwnFindingsSuppressed(t *testing.T) {
	later := []string{"-infra-protection-", "-response-", "-compliance-"}
	for _, fx := range fixtures {
		if !fx.config.Detection.SecurityHub.Enabled {
			continue
		}
		for _, stack := range fx.stackNames() {
			// Organization stacks of other accounts are out: automation rules
			// belong to the Security Hub administrator alone.
			if !slices.ContainsFunc(later, func(s string) bool { return strings.Contains(stack, s) }) || strings.Contains(stack, "-org-") {
				continue
			}
			resources := fx.resources(t, stack)
			suppressed := map[string]map[string]bool{} // logical ID -> controls
			for _, r := range resources {
				if r.Type != "AWS::SecurityHub::AutomationRule" {
					continue
				}
				criteria, _ := r.Properties["Criteria"].(map[string]interface{})
				var controls []string
				for _, c := range asList(criteria["ComplianceSecurityControlId"]) {
					controls = append(controls, c.(map[string]interface{})["Value"].(string))
				}
				for _, id := range asList(criteria["ResourceId"]) {
					ref, _ := id.(map[string]interface{})["Value"].(map[string]interface{})
					att, _ := ref["Fn::GetAtt"].([]interface{})
					if len(att) != 2 {
						continue
					}
					logical := att[0].(string)
					if suppressed[logical] == nil {
						suppressed[logical] = map[string]bool{}
					}
					for _, c := range controls {
						suppressed[logical][c] = true
					}
				}
			}
			for id, r := range resources {
				switch r.Type {
				case "AWS::S3::Bucket":
					assert.True(t, suppressed[id]["S3.20"], "%s/%s/%s: bucket without its S3.20 suppression", fx.name, stack, id)
					// mamori does not replicate its buckets: S3.7 fails, visibly.
					assert.False(t, suppressed[id]["S3.7"], "%s/%s/%s: S3.7 suppressed, but no template replicates the bucket", fx.name, stack, id)
				case "AWS::Lambda::Function":
					assert.True(t, suppressed[id]["Lambda.3"], "%s/%s/%s: function without its Lambda.3 suppression", fx.name, stack, id)
				}
			}
		}
	}
}

func asList(v interface{}) []interface{} {
	l, _ := v.([]interface{})
	return l
}

// TestEverythingOffSynthesizes: a configuration that turns off everything it
// may (one detection service must stay) still synthesizes, without empty
// templates (CloudFormation refuses them) and without a panic.
func TestEverythingOffSynthesizes(t *testing.T) {
	ctx, err := cdktest.ReadContext(repoRoot)
	require.NoError(t, err)
	cfg, err := config.Load(filepath.Join(repoRoot, "config", "testdata", "valid", "services-off.yaml"))
	require.NoError(t, err)
	fx := &fixture{name: "services-off", config: cfg}
	require.NoError(t, fx.synthesize(ctx))
	for _, name := range fx.stackNames() {
		assert.NotEmpty(t, fx.resources(t, name), "%s: empty template", name)
		assert.NotContains(t, name, "-response-", "nothing to respond with")
	}
}

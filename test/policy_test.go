package test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// TestNoNagErrors: the cdk-nag AwsSolutions, NIST 800-53 rev 5 and PCI DSS
// 3.2.1 packs (added by stacks.NewApp) report errors as annotations, which
// only the CDK CLI turns into a failed synth, so the test asserts them.
func TestNoNagErrors(t *testing.T) {
	for _, fx := range fixtures {
		for _, stack := range fx.stackNames() {
			for _, m := range fx.messages[stack] {
				if m.Level == "aws:cdk:error" {
					t.Errorf("%s: %s: %s", fx.name, m.Path, firstLine(m.Text))
				}
			}
		}
	}
}

// TestNagRanOnEveryStack guards against a pack that silently stops running
// (packs added to the App do not reach stacks inside a Stage): every stack
// has resources, and cdk-nag records its suppressions in their metadata.
func TestNagRanOnEveryStack(t *testing.T) {
	for _, fx := range fixtures {
		for _, stack := range fx.stackNames() {
			suppressions := 0
			for _, r := range fx.resources(t, stack) {
				nag, _ := r.Metadata["cdk_nag"].(map[string]interface{})
				rules, _ := nag["rules_to_suppress"].([]interface{})
				for _, rule := range rules {
					reason, _ := rule.(map[string]interface{})["reason"].(string)
					if len(strings.TrimSpace(reason)) < 20 {
						t.Errorf("%s/%s: suppression %v has no specific reason", fx.name, stack, rule)
					}
					suppressions++
				}
			}
			if strings.Contains(stack, "-detection-") && suppressions == 0 {
				t.Errorf("%s/%s: no cdk-nag suppression metadata; did the packs run?", fx.name, stack)
			}
		}
	}
}

// guardExemption skips one Control Tower proactive-control rule for the
// resources whose CDK path matches, and says why. Nothing else is skipped.
type guardExemption struct {
	rule   string // rule file and name, e.g. "ct-lambda-pr-3.guard/lambda_inside_vpc_check"
	path   string // substring of the resource's CDK path
	reason string
}

var guardExemptions = []guardExemption{
	{"ct-lambda-pr-3.guard/lambda_inside_vpc_check", "/AWS679f53fac002430cb0da5b7982bd2287/",
		"CDK's custom-resource handler only calls AWS APIs during deployments; a VPC adds NAT cost and isolates nothing."},
	{"ct-lambda-pr-3.guard/lambda_inside_vpc_check", "/SdkCalls/",
		"mamori's waiting-call handlers and their CDK provider framework only call AWS APIs during deployments; a VPC adds NAT cost and isolates nothing."},
	{"ct-lambda-pr-3.guard/lambda_inside_vpc_check", "/HsmCalls/",
		"The CloudHSM handler and its CDK provider framework only call AWS APIs during deployments; a VPC adds NAT cost and isolates nothing."},
	{"ct-lambda-pr-3.guard/lambda_inside_vpc_check", "/AlternateContacts/Reconciler/",
		"The daily alternate-contacts reconciler only calls the Organizations and Account Management APIs; a VPC adds NAT cost and isolates nothing."},
	{"ct-lambda-pr-3.guard/lambda_inside_vpc_check", "/Baseline/GuardFunction/",
		"The member baseline's guard function only calls AWS APIs during deployments; a VPC would add NAT cost in every member account and isolate nothing."},
	{"ct-lambda-pr-3.guard/lambda_inside_vpc_check", "/Custom::S3AutoDeleteObjectsCustomResourceProvider/",
		"CDK's bucket auto-delete handler exists only with destroyOnDelete and only calls S3 during stack deletion."},
	{"ct-cloudwatch-pr-3.guard/cloudwatch_log_group_encrypted_check", "/SdkCalls/Logs/",
		"The log group is encrypted with the data-protection stack's key through Fn::GetStackOutput, which the rule does not recognise as a key reference; TestLogGroupsEncrypted checks it."},
	{"ct-s3-pr-2.guard/s3_bucket_logging_enabled_check", "/AccessLogsBucket/",
		"The access-log target cannot log to itself without logging forever."},
	{"ct-s3-pr-10.guard/s3_bucket_default_encryption_kms_check", "/AccessLogsBucket/",
		"S3 delivers server access logs only to SSE-S3 buckets."},
	{"ct-s3-pr-9.guard/s3_bucket_object_lock_enabled_check", "/AccessLogsBucket/",
		"S3 server access logging refuses target buckets with an Object Lock default retention."},
	{"ct-s3-pr-9.guard/s3_bucket_object_lock_enabled_check", "/ConfigBucket/",
		"AWS Config does not deliver to buckets with Object Lock enabled: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-config-deliverychannel.html; versioning and retention protect the history."},
	{"ct-s3-pr-9.guard/s3_bucket_object_lock_enabled_check", "/FindingsBucket/",
		"GuardDuty does not document delivering findings into Object Lock buckets, and an export that fails is silent; versioning and retention protect the findings, and GuardDuty keeps them 90 days itself."},
	{"ct-s3-pr-9.guard/s3_bucket_object_lock_enabled_check", "/MacieResultsBucket/",
		"Macie does not document delivering discovery results into Object Lock buckets, and a failed delivery leaves no record; versioning and retention protect the results."},
	{"ct-cloudtrail-pr-1.guard/cloud_trail_encryption_enabled_check", "/Trail/Resource",
		"The trail is encrypted with the data-protection stack's logs key through a cross-stack reference, which the rule does not recognise as a key; the compliance construct tests assert KMSKeyId."},
	{"ct-cloudwatch-pr-3.guard/cloudwatch_log_group_encrypted_check", "/Trail/Logs/",
		"The trail's log group is encrypted with the data-protection stack's key through a cross-stack reference, which the rule does not recognise as a key reference; TestLogGroupsEncrypted checks it."},
	{"ct-cloudwatch-pr-3.guard/cloudwatch_log_group_encrypted_check", "WebAcl/Logs/",
		"The WAF log group is encrypted with the data-protection stack's key through Fn::GetStackOutput, which the rule does not recognise as a key reference; TestLogGroupsEncrypted checks it."},
	{"ct-cloudwatch-pr-3.guard/cloudwatch_log_group_encrypted_check", "/NetworkFirewall/Logs/",
		"The firewall's log group is encrypted with the data-protection stack's key through Fn::GetStackOutput, which the rule does not recognise as a key reference; TestLogGroupsEncrypted checks it."},
	{"ct-s3-pr-9.guard/s3_bucket_object_lock_enabled_check", "/NetworkLogsBucket/",
		"The log delivery service does not document delivering Network Firewall and VPC flow logs into Object Lock buckets, and a failed delivery is silent; versioning and retention protect the logs."},
	{"ct-guardduty-pr-1.guard/guardduty_s3_protection_enabled_check", "/GuardDuty/",
		"The rule reads the legacy DataSources.S3Logs; mamori sets the S3_DATA_EVENTS feature instead (GuardDuty rejects both in one detector); TestGuardDutyS3Protection checks it."},
}

// TestCfnGuard runs cfn-guard with the AWS Control Tower proactive-control
// rules shipped in @cdklabs/cdk-validator-cfnguard over every template.
func TestCfnGuard(t *testing.T) {
	pkg := filepath.Join(repoRoot, ".tools", "node_modules", "@cdklabs", "cdk-validator-cfnguard")
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	binary := filepath.Join(pkg, "bin", "ubuntu", arch, "cfn-guard")
	if _, err := os.Stat(binary); err != nil {
		t.Fatalf("cfn-guard is not installed (%v): run `make setup`", err)
	}
	rules := filepath.Join(pkg, "rules", "control-tower", "cfn-guard")
	// cfn-guard runs no jsii, so the fixtures' runs go in parallel: one at a
	// time they were most of this package's run time.
	reports := make([][]byte, len(fixtures))
	errs := make([]error, len(fixtures))
	var wg sync.WaitGroup
	for i, fx := range fixtures {
		dir := t.TempDir()
		for _, stack := range fx.stackNames() {
			if err := os.WriteFile(filepath.Join(dir, stack+".template.json"), fx.templates[stack], 0o644); err != nil {
				t.Fatal(err)
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[i], errs[i] = runGuard(binary, rules, dir)
		}()
	}
	wg.Wait()
	for i, fx := range fixtures {
		if errs[i] != nil {
			t.Fatalf("%s: %v", fx.name, errs[i])
		}
		for _, f := range guardFailures(t, fx, reports[i]) {
			if exempt(f) != "" {
				continue
			}
			t.Errorf("%s: %s: %s fails %s", fx.name, f.file, f.path, f.rule)
		}
	}
}

// runGuard validates every template in dir and returns cfn-guard's
// structured report.
func runGuard(binary, rules, dir string) ([]byte, error) {
	out, err := exec.Command(binary, "validate", "--rules", rules, "--data", dir,
		"--output-format", "json", "--show-summary", "none", "--structured").Output()
	// cfn-guard exits 19 when a rule fails; anything else non-zero is a crash.
	if exit, ok := err.(*exec.ExitError); ok && exit.ExitCode() != 19 {
		return nil, fmt.Errorf("cfn-guard: %v\n%s", err, exit.Stderr)
	} else if err != nil && !ok {
		return nil, fmt.Errorf("cfn-guard: %v", err)
	}
	return out, nil
}

type guardFailure struct{ file, rule, path string }

var resourcePath = regexp.MustCompile(`^/Resources/([^/]+)`)

// guardFailures reads cfn-guard's structured JSON report (one document per
// data file, listing non-compliant rules) and names each failing resource by
// its CDK path, which the template's metadata records.
func guardFailures(t *testing.T, fx *fixture, out []byte) []guardFailure {
	t.Helper()
	var reports []struct {
		Name         string `json:"name"`
		NotCompliant []struct {
			Rule struct {
				Name string `json:"name"`
			} `json:"Rule"`
		} `json:"not_compliant"`
	}
	var raw []struct {
		NotCompliant []interface{} `json:"not_compliant"`
	}
	if err := json.Unmarshal(out, &reports); err != nil || json.Unmarshal(out, &raw) != nil {
		t.Fatalf("cfn-guard output is not the expected JSON: %v\n%.2000s", err, out)
	}
	var fs []guardFailure
	for i, r := range reports {
		stack := strings.TrimSuffix(filepath.Base(r.Name), ".template.json")
		resources := fx.resources(t, stack)
		for j, nc := range r.NotCompliant {
			ids := map[string]bool{}
			collectResourceIDs(raw[i].NotCompliant[j], ids)
			for id := range ids {
				path, _ := resources[id].Metadata["aws:cdk:path"].(string)
				fs = append(fs, guardFailure{file: stack, rule: nc.Rule.Name, path: path + " (" + id + ")"})
			}
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fmt.Sprint(fs[i]) < fmt.Sprint(fs[j]) })
	return fs
}

// collectResourceIDs finds every "path": "/Resources/<id>/..." in a report.
func collectResourceIDs(v interface{}, ids map[string]bool) {
	switch v := v.(type) {
	case map[string]interface{}:
		for k, e := range v {
			if s, ok := e.(string); ok && k == "path" {
				if m := resourcePath.FindStringSubmatch(s); m != nil {
					ids[m[1]] = true
				}
			}
			collectResourceIDs(e, ids)
		}
	case []interface{}:
		for _, e := range v {
			collectResourceIDs(e, ids)
		}
	}
}

func exempt(f guardFailure) string {
	for _, e := range guardExemptions {
		if strings.HasSuffix(e.rule, "/"+f.rule) || e.rule == f.rule {
			if strings.Contains(f.path, e.path) {
				return e.reason
			}
		}
	}
	return ""
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noCredentials leaves the SDK nothing to sign with: no environment keys,
// empty shared files, no instance metadata.
func noCredentials(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_REGION", "us-east-1")
}

// Without credentials the command says so in one line, prints no trace and
// no table, and exits 2.
func TestNoCredentialsOneLine(t *testing.T) {
	noCredentials(t)
	var stdout, stderr bytes.Buffer
	if code := run(nil, &stdout, &stderr); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if lines := strings.Split(strings.TrimSpace(stderr.String()), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "no AWS credentials") {
		t.Errorf("stderr is not one line about credentials:\n%s", stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout: %s", stdout.String())
	}
}

// -policy prints the generated policy, with the config's preflight role.
func TestPolicyFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-policy", "-config", "../../config/examples/organization.yaml", "-role", "SecurityAudit"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var doc struct {
		Statement []struct{ Action, Resource any }
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || len(doc.Statement) != 2 {
		t.Fatalf("not a two-statement policy (%v):\n%s", err, stdout.String())
	}
	if doc.Statement[1].Resource != "arn:aws:iam::*:role/SecurityAudit" {
		t.Errorf("assume-role resource %v", doc.Statement[1].Resource)
	}
}

// A bad config is exit 3 with the config error, before any AWS call.
func TestBadConfig(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-config", "../../config/testdata/invalid/existing-bad.yaml"}, &stdout, &stderr); code != 3 {
		t.Errorf("exit %d, want 3", code)
	}
	if !strings.Contains(stderr.String(), "detection.guardDuty.existing") {
		t.Errorf("stderr lacks the field path:\n%s", stderr.String())
	}
}

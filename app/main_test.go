package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsmacie"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// newTestApp is an app with cdk.json's context (which turns on the CDK's
// CloudFormation validation) writing to a fresh staging directory beside
// outdir, with one stack in region.
func newTestApp(t *testing.T, outdir, region string, build func(awscdk.Stack)) (awscdk.App, string) {
	t.Helper()
	staging, err := newStaging(outdir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(staging) })
	app := awscdk.NewApp(&awscdk.AppProps{Context: cdktest.Context(t), Outdir: jsii.String(staging), AnalyticsReporting: jsii.Bool(false)})
	build(awscdk.NewStack(app, jsii.String("Probe"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String(region)}}))
	return app, staging
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// A synth that the CDK's validation refuses (Macie does not exist in
// mx-central-1) writes nothing to the output directory, leaves no staging
// directory behind and prints no plan; the previous assembly stays.
func TestFailedSynthWritesNothing(t *testing.T) {
	parent := t.TempDir()
	outdir := filepath.Join(parent, "cdk.out")
	if err := os.MkdirAll(outdir, 0o755); err != nil {
		t.Fatal(err)
	}
	previous := filepath.Join(outdir, "manifest.json")
	if err := os.WriteFile(previous, []byte(`{"previous":true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	app, staging := newTestApp(t, outdir, "mx-central-1", func(s awscdk.Stack) {
		awsmacie.NewCfnSession(s, jsii.String("Macie"), &awsmacie.CfnSessionProps{})
	})
	planned := false
	var out strings.Builder
	err := synthesizeThenPlan(app, staging, outdir, func() string { planned = true; return "PLAN" }, &out)
	if err == nil || !strings.Contains(err.Error(), "Validation failed") {
		t.Fatalf("synthesize = %v; want the CDK's validation failure", err)
	}
	if planned || out.Len() > 0 {
		t.Errorf("the plan was printed after a failed synth: %q", out.String())
	}
	if got := listDir(t, outdir); !slices.Equal(got, []string{"manifest.json"}) {
		t.Errorf("output directory after a failed synth = %v; want only the previous manifest.json", got)
	}
	if b, _ := os.ReadFile(previous); string(b) != `{"previous":true}` {
		t.Errorf("the previous assembly was changed: %s", b)
	}
	os.RemoveAll(staging) // what run's deferred cleanup does
	if got := listDir(t, parent); !slices.Equal(got, []string{"cdk.out"}) {
		t.Errorf("beside the output directory: %v; want no staging directory left", got)
	}
}

// A successful synth replaces the previous assembly, keeps the CLI's lock
// file, and prints the plan after the assembly is in place.
func TestSynthPublishesThenPlans(t *testing.T) {
	outdir := filepath.Join(t.TempDir(), "cdk.out")
	if err := os.MkdirAll(outdir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"synth.lock", "stale.template.json"} {
		if err := os.WriteFile(filepath.Join(outdir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	app, staging := newTestApp(t, outdir, "eu-west-1", func(s awscdk.Stack) {
		awssns.NewTopic(s, jsii.String("Topic"), &awssns.TopicProps{})
	})
	var out strings.Builder
	var sawManifest bool
	plan := func() string {
		_, err := os.Stat(filepath.Join(outdir, "manifest.json"))
		sawManifest = err == nil
		return "PLAN"
	}
	if err := synthesizeThenPlan(app, staging, outdir, plan, &out); err != nil {
		t.Fatal(err)
	}
	got := listDir(t, outdir)
	for _, want := range []string{"synth.lock", "manifest.json", "Probe.template.json"} {
		if !slices.Contains(got, want) {
			t.Errorf("output directory = %v; want %s", got, want)
		}
	}
	if slices.Contains(got, "stale.template.json") {
		t.Errorf("the previous assembly's files were kept: %v", got)
	}
	if out.String() != "PLAN" || !sawManifest {
		t.Errorf("plan printed %q, assembly in place first: %v", out.String(), sawManifest)
	}
	if rest := listDir(t, staging); len(rest) > 0 {
		t.Errorf("staging still holds %v", rest)
	}
}

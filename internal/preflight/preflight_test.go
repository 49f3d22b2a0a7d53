package preflight

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/google/go-cmp/cmp"

	"github.com/mamori-dev/mamori/config"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/")

const (
	acct       = "111111111111"
	management = "111122223333"
	tooling    = "222233334444"
	logArchive = "333344445555"
	memberA    = "444455556666"
	memberB    = "555566667777"
	other      = "999999999999"
)

// standalone is a sandbox account governing two regions.
const standalone = `
profile: sandbox
prefix: acme
homeRegion: us-east-1
regions: [us-east-1, eu-west-1]
topology:
  accountId: "111111111111"
`

// organization is an organization governing one region.
const organization = `
profile: sandbox
prefix: acme
homeRegion: us-east-1
topology:
  mode: organization
  organization:
    organizationId: o-abcdefghij
    managementAccountId: "111122223333"
    securityToolingAccountId: "222233334444"
    logArchiveAccountId: "333344445555"
    targetOrganizationalUnits: [ou-ab12-11111111]
`

func parse(t *testing.T, yaml string, edits ...string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("test.yaml", []byte(yaml+strings.Join(edits, "\n")+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// cleanStandalone is an account with nothing but its CDK bootstrap.
func cleanStandalone() *world {
	w := &world{caller: acct}
	w.bootstrapped(acct, "", "us-east-1", "eu-west-1")
	return w
}

// controlTowerAccount is an account Control Tower enrolled: its recorder, delivery
// channel and organization trail, each from a Control Tower StackSet.
func controlTowerAccount() *world {
	w := cleanStandalone()
	a := w.account(acct)
	for _, r := range []string{"us-east-1", "eu-west-1"} {
		a.region(r).recorders = []string{"aws-controltower-BaselineConfigRecorder"}
		a.region(r).channels = []string{"aws-controltower-BaselineConfigDeliveryChannel"}
		a.region(r).rules = 20
		a.region(r).owners["aws-controltower-BaselineConfigRecorder"] = "StackSet-AWSControlTowerBP-BASELINE-CONFIG-1a2b3c"
	}
	a.region("us-east-1").trails = []cttypes.Trail{{Name: aws.String("aws-controltower-BaselineCloudTrail"), IsOrganizationTrail: aws.Bool(true), IsMultiRegionTrail: aws.Bool(true)}}
	return w
}

// guardDutyHourly has a detector someone enabled by hand, publishing hourly.
func guardDutyHourly() *world {
	w := cleanStandalone()
	r := w.account(acct).region("us-east-1")
	r.detector, r.frequency = "12abc34d567e8fa901bc2d34e56789f0", gdtypes.FindingPublishingFrequencyOneHour
	r.features = []gdtypes.DetectorFeature{gdtypes.DetectorFeatureS3DataEvents, gdtypes.DetectorFeatureEbsMalwareProtection}
	return w
}

// securityHubDefaults has Security Hub on in both regions with the default
// standards an organization's auto-enable turns on: FSBP and CIS 1.2.
func securityHubDefaults() *world {
	w := cleanStandalone()
	for _, r := range []string{"us-east-1", "eu-west-1"} {
		x := w.account(acct).region(r)
		x.hub = "arn:aws:securityhub:" + r + ":" + acct + ":hub/default"
		x.standards = []string{
			"arn:aws:securityhub:" + r + "::standards/aws-foundational-security-best-practices/v/1.0.0",
			"arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0",
		}
	}
	return w
}

// configByHand has AWS Config set up by hand: in us-east-1 a recorder of
// its own name beside Security Hub's service-linked recorder, and a channel
// that also notifies an SNS topic; in eu-west-1 the console's "default"
// recorder and channel.
func configByHand() *world {
	w := cleanStandalone()
	east := w.account(acct).region("us-east-1")
	east.recorders, east.linked = []string{"platform-recorder"}, []string{"AWSConfigurationRecorderForSecurityHub"}
	east.channels, east.channelTopic = []string{"platform-channel"}, "arn:aws:sns:us-east-1:111111111111:config-changes"
	west := w.account(acct).region("eu-west-1")
	west.recorders, west.channels = []string{"default"}, []string{"default"}
	return w
}

// orgWorld is an organization whose accounts hold nothing but their
// bootstraps, with two member accounts in a nested OU.
func orgWorld() *world {
	w := &world{caller: management, org: &fakeOrg{
		id: "o-abcdefghij", management: management, featureSet: orgtypes.OrganizationFeatureSetAll,
		trusted:     []string{"member.org.stacksets.cloudformation.amazonaws.com"},
		admins:      map[string]string{},
		policyTypes: []orgtypes.PolicyType{orgtypes.PolicyTypeServiceControlPolicy},
		ous:         map[string][]string{"ou-ab12-11111111": {memberA, tooling}, "ou-ab12-33333333": {memberB}},
		children:    map[string][]string{"ou-ab12-11111111": {"ou-ab12-33333333"}},
	}}
	w.bootstrapped(management, "", "us-east-1")
	w.bootstrapped(tooling, management, "us-east-1")
	w.bootstrapped(logArchive, management, "us-east-1")
	return w
}

type state struct {
	name  string
	cfg   *config.Config
	world *world
	exit  int
}

func states(t *testing.T) []state {
	adopt := func(edits ...string) *config.Config { return parse(t, standalone, edits...) }
	noCreds := &world{callerErr: fmt.Errorf("%w: failed to refresh cached credentials, no EC2 IMDS role found", ErrNoCredentials)}
	denied := cleanStandalone()
	denied.errs = map[string]error{"GuardDutyAPI.ListDetectors": apiErr("AccessDeniedException", "User: arn:aws:sts::111111111111:assumed-role/ReadOnly/x is not authorized to perform: guardduty:ListDetectors")}
	throttled := cleanStandalone()
	throttled.throttle = map[string]int{"SecurityHubAPI.DescribeHub": 2, "EC2API.DescribeRegions": 1}
	throttledOut := cleanStandalone()
	throttledOut.throttle = map[string]int{"GuardDutyAPI.ListDetectors": 100}
	missingRegion := cleanStandalone()
	missingRegion.account(acct).region("eu-west-1").toolkit = nil
	delegated := orgWorld()
	delegated.org.admins["guardduty.amazonaws.com"] = other
	delegated.org.admins["securityhub.amazonaws.com"] = tooling
	orgCT := orgWorld()
	orgCT.account(memberA).region("us-east-1").recorders = []string{"default"}
	noRole := orgWorld()
	noRole.account(logArchive).noRole = true

	// mamori already deployed: every singleton is in mamori's own stacks.
	deployed := cleanStandalone()
	for _, r := range []string{"us-east-1", "eu-west-1"} {
		x := deployed.account(acct).region(r)
		x.hub = "arn:aws:securityhub:" + r + ":" + acct + ":hub/default"
		x.detector, x.frequency = "det"+r, gdtypes.FindingPublishingFrequencySixHours
		x.recorders, x.channels = []string{"recorder-" + r}, []string{"channel-" + r}
		x.macie, x.macieFreq, x.graph = true, "SIX_HOURS", "arn:aws:detective:"+r+":"+acct+":graph:abc"
		x.owners[x.hub], x.owners[x.detector], x.owners["recorder-"+r] = "acme-detection-"+r, "acme-detection-"+r, "acme-detection-"+r
		x.owners[acct], x.owners[x.graph] = "acme-data-protection-"+r, "acme-response-"+r
	}
	noMacie := cleanStandalone()
	noMacie.errs = map[string]error{"MacieAPI.GetMacieSession": fmt.Errorf("operation error Macie2: GetMacieSession: %w", &net.DNSError{Err: "no such host", Name: "macie2.eu-west-1.amazonaws.com", IsNotFound: true})}
	inspectorOn := cleanStandalone()
	inspectorOn.account(acct).region("us-east-1").inspector = "ENABLED"
	inspectorOn.account(acct).region("us-east-1").lambdaCode = true
	noDetectiveType := cleanStandalone()
	noDetectiveType.missingTypes = map[string][]string{"eu-west-1": {"AWS::Detective::Graph"}}
	otherCreds := cleanStandalone()
	otherCreds.caller = other
	packs := adopt("compliance:", "  conformancePacks:", "    enabled: true")
	// 990 rules of the default 1000 in us-east-1, besides 40 of Security
	// Hub's custom rules, which do not count; eu-west-1 has an increase.
	nearQuota := cleanStandalone()
	us, eu := nearQuota.account(acct).region("us-east-1"), nearQuota.account(acct).region("eu-west-1")
	us.rules, us.securityHubRules = 990, 40
	eu.rules, eu.quotas = 990, map[string]float64{"L-TEST0004": 1500}
	packsFull := cleanStandalone()
	for i := range 50 {
		packsFull.account(acct).region("us-east-1").packs = append(packsFull.account(acct).region("us-east-1").packs, fmt.Sprintf("team-pack-%02d", i))
	}
	quotasDenied := cleanStandalone()
	quotasDenied.errs = map[string]error{"ServiceQuotasAPI.ListAWSDefaultServiceQuotas": apiErr("AccessDeniedException", "User: arn:aws:sts::111111111111:assumed-role/ReadOnly/x is not authorized to perform: servicequotas:ListAWSDefaultServiceQuotas")}
	quotasThrottled := cleanStandalone()
	quotasThrottled.throttle = map[string]int{"ServiceQuotasAPI.GetServiceQuota": 100}
	noQuotas := cleanStandalone()
	noQuotas.noConfigQuotas = true

	// Recorders that existing: adopt cannot take over: one another stack
	// owns, one whose channel delivers under a key prefix.
	configBlocked := configByHand()
	configBlocked.account(acct).region("us-east-1").recorders = []string{"recorder-platform"}
	configBlocked.account(acct).region("us-east-1").owners["recorder-platform"] = "platform-config"
	configBlocked.account(acct).region("eu-west-1").channelPrefix = "config"
	adoptConfig := []string{"detection:", "  config:", "    existing: adopt"}

	return []state{
		{"already-deployed", parse(t, standalone), deployed, 0},
		{"service-not-offered", parse(t, standalone), noMacie, 1},
		{"inspector-scans-more", parse(t, standalone), inspectorOn, 0},
		{"resource-type-not-offered", parse(t, standalone), noDetectiveType, 1},
		{"credentials-of-another-account", parse(t, standalone), otherCreds, 1},
		{"clean", parse(t, standalone), cleanStandalone(), 0},
		{"control-tower", parse(t, standalone), controlTowerAccount(), 1},
		{"control-tower-leave", adopt("detection:", "  config:", "    existing: leave"), controlTowerAccount(), 0},
		{"control-tower-adopt", adopt(adoptConfig...), controlTowerAccount(), 1},
		{"config-by-hand", parse(t, standalone), configByHand(), 1},
		{"config-by-hand-adopt", adopt(adoptConfig...), configByHand(), 0},
		{"config-adopt-blocked", adopt(adoptConfig...), configBlocked, 1},
		// The detection stack created the recorder: adopt would drop it from
		// the template, and CloudFormation would delete it.
		{"config-adopt-own-recorder", adopt(adoptConfig...), deployed, 1},
		{"guardduty-hourly", parse(t, standalone), guardDutyHourly(), 1},
		{"guardduty-hourly-adopt", adopt("detection:", "  guardDuty:", "    existing: adopt"), guardDutyHourly(), 0},
		{"securityhub-defaults", parse(t, standalone), securityHubDefaults(), 1},
		{"securityhub-defaults-adopt", adopt("detection:", "  securityHub:", "    existing: adopt"), securityHubDefaults(), 0},
		{"delegated-admin-elsewhere", parse(t, organization), delegated, 1},
		{"organization-member-recorder", parse(t, organization), orgCT, 1},
		{"organization-no-role", parse(t, organization), noRole, 2},
		{"bootstrap-missing-one-region", parse(t, standalone), missingRegion, 1},
		{"no-credentials", parse(t, standalone), noCreds, 2},
		{"access-denied", parse(t, standalone), denied, 2},
		{"throttled-then-answers", parse(t, standalone), throttled, 0},
		{"throttled-throughout", parse(t, standalone), throttledOut, 2},
		{"config-rules-near-quota", packs, nearQuota, 1},
		{"conformance-pack-quota-reached", packs, packsFull, 1},
		{"service-quotas-access-denied", packs, quotasDenied, 2},
		{"throttled-on-service-quotas", packs, quotasThrottled, 2},
		{"service-quotas-lists-no-config-quotas", packs, noQuotas, 0},
	}
}

func runState(s state) *Report {
	return Run(context.Background(), s.cfg, s.world, Options{Sleep: func(time.Duration) {}})
}

// TestStates runs preflight over every account state and compares the
// table with testdata/<state>.golden, and the exit code with the state's.
func TestStates(t *testing.T) {
	if *update && os.Getenv("CI") == "true" {
		t.Fatal("-update is refused when CI=true: regenerate the golden files locally and commit them")
	}
	for _, s := range states(t) {
		t.Run(s.name, func(t *testing.T) {
			r := runState(s)
			var buf bytes.Buffer
			if err := r.WriteTable(&buf); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&buf, "exit %d\n", r.ExitCode())
			golden := filepath.Join("testdata", s.name+".golden")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v\nregenerate with: go test ./internal/preflight -run TestStates -update", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("report differs from %s (-want +got):\n%s\nregenerate with: go test ./internal/preflight -run TestStates -update", golden, diff)
			}
			if got := r.ExitCode(); got != s.exit {
				t.Errorf("exit code %d, want %d", got, s.exit)
			}
		})
	}
}

// TestNoCredentials: a run without credentials says so, and makes no call.
func TestNoCredentials(t *testing.T) {
	w := &world{callerErr: fmt.Errorf("%w: no EC2 IMDS role found", ErrNoCredentials)}
	r := Run(context.Background(), parse(t, standalone), w, Options{Sleep: func(time.Duration) {}})
	if !r.NoCredentials() || r.ExitCode() != 2 || len(w.calls) != 0 {
		t.Errorf("NoCredentials %v, exit %d, calls %v; want true, 2, none", r.NoCredentials(), r.ExitCode(), w.calls)
	}
}

// TestAccessDeniedNamesPermission: the denied call's IAM action is named.
func TestAccessDeniedNamesPermission(t *testing.T) {
	for _, s := range states(t) {
		if s.name != "access-denied" {
			continue
		}
		r := runState(s)
		var names []string
		for _, f := range r.Findings {
			if f.Status == StatusUnknown {
				names = append(names, f.MissingPermission)
			}
		}
		if diff := cmp.Diff([]string{"guardduty:ListDetectors", "guardduty:ListDetectors"}, names); diff != "" {
			t.Errorf("missing permissions (-want +got):\n%s", diff)
		}
	}
}

// TestAdoptImports: adopting a detector imports it into the detection stack
// by its ID, and converges its frequency.
func TestAdoptImports(t *testing.T) {
	r := Run(context.Background(), parse(t, standalone, "detection:", "  guardDuty:", "    existing: adopt"), guardDutyHourly(), Options{Sleep: func(time.Duration) {}})
	var imports []Import
	for _, f := range r.Findings {
		if f.Import != nil {
			imports = append(imports, *f.Import)
		}
	}
	want := []Import{{Stack: "acme-detection-us-east-1", Path: "GuardDuty/Resource", Type: "AWS::GuardDuty::Detector", Property: "Id", Value: "12abc34d567e8fa901bc2d34e56789f0"}}
	if diff := cmp.Diff(want, imports); diff != "" {
		t.Errorf("imports (-want +got):\n%s", diff)
	}
}

// TestAdoptConfigImportsNothing: adopting AWS Config takes the recorder
// over in place, so preflight writes no import for it and `make adopt` has
// nothing to import: its import step writes no file and the deploy follows.
func TestAdoptConfigImportsNothing(t *testing.T) {
	r := Run(context.Background(), parse(t, standalone, "detection:", "  config:", "    existing: adopt"), configByHand(), Options{Sleep: func(time.Duration) {}})
	adopted := 0
	for _, f := range r.Findings {
		if f.Import != nil {
			t.Errorf("%s %s: import %+v", f.Service, f.Region, *f.Import)
		}
		if f.Service == "config" && strings.HasPrefix(f.Mamori, "adopts recorder ") {
			adopted++
		}
	}
	if adopted != 2 {
		t.Errorf("%d recorders adopted, want 2", adopted)
	}
	dir := filepath.Join(t.TempDir(), "imports")
	files, err := WriteImports(r, func(stack string) (*Template, error) {
		t.Errorf("template of %s read with nothing to import", stack)
		return nil, os.ErrNotExist
	}, dir)
	if err != nil || len(files) != 0 {
		t.Fatalf("WriteImports: %v, %v; want no file", files, err)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("import directory: %v, %v; want it empty", entries, err)
	}
}

// TestJSON: the JSON report carries the exit code and every finding.
func TestJSON(t *testing.T) {
	r := Run(context.Background(), parse(t, standalone), guardDutyHourly(), Options{Sleep: func(time.Duration) {}})
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"exitCode": 1`, `"service": "guardduty"`, `"status": "action"`, `"you": "decide: set detection.guardDuty.existing: adopt`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, buf.String())
		}
	}
}

// TestAnalyzerOfAnotherType: an unused-access analyzer is no conflict for
// the external-access analyzer.
func TestAnalyzerOfAnotherType(t *testing.T) {
	w := cleanStandalone()
	w.account(acct).region("us-east-1").analyzers = []aatypes.AnalyzerSummary{{Arn: aws.String("arn:aws:access-analyzer:us-east-1:111111111111:analyzer/unused"), Name: aws.String("unused"), Type: aatypes.TypeAccountUnusedAccess}}
	r := Run(context.Background(), parse(t, standalone), w, Options{Sleep: func(time.Duration) {}})
	if r.ExitCode() != 0 {
		var buf bytes.Buffer
		r.WriteTable(&buf)
		t.Errorf("exit %d, want 0:\n%s", r.ExitCode(), buf.String())
	}
}

// TestTrustedAccessOfPrevention: with prevention on, preflight checks the
// trusted access the organization stacks enable for it (IAM's, for
// centralized root access) and no delegated administrator for IAM, which
// mamori never registers.
func TestTrustedAccessOfPrevention(t *testing.T) {
	cfg := parse(t, organization, "prevention:", "  enabled: true")
	r := Run(context.Background(), cfg, orgWorld(), Options{Sleep: func(time.Duration) {}})
	var trusted, admins []string
	for _, f := range r.Findings {
		p, _, _ := strings.Cut(f.Found, ":")
		switch f.Service {
		case "trusted-access":
			trusted = append(trusted, p)
		case "delegated-admin":
			admins = append(admins, p)
		}
	}
	if !slices.Contains(trusted, "iam.amazonaws.com") {
		t.Errorf("trusted-access rows %v lack iam.amazonaws.com, which the trusted-access stack enables for prevention.rootAccess", trusted)
	}
	if slices.Contains(admins, "iam.amazonaws.com") {
		t.Errorf("delegated-admin rows %v check iam.amazonaws.com, for which mamori registers no delegated administrator", admins)
	}
}

// TestMacieNotEnabledIsNone: GetMacieSession answers AccessDeniedException
// both for an account without Macie ("Macie is not enabled") and for a
// caller without the permission; the first is an account without a session,
// the second a check that could not run and names the permission.
func TestMacieNotEnabledIsNone(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		found   string
		status  Status
		missing string
	}{
		{"not enabled", apiErr("AccessDeniedException", "Macie is not enabled."), "none", StatusReady, ""},
		{"denied", apiErr("AccessDeniedException", "User: arn:aws:sts::111111111111:assumed-role/ReadOnly/x is not authorized to perform: macie2:GetMacieSession"), "?", StatusUnknown, "macie2:GetMacieSession"},
	} {
		w := cleanStandalone()
		w.errs = map[string]error{"MacieAPI.GetMacieSession": tc.err}
		r := Run(context.Background(), parse(t, standalone), w, Options{Sleep: func(time.Duration) {}})
		n := 0
		for _, f := range r.Findings {
			if f.Service != "macie" {
				continue
			}
			n++
			if f.Found != tc.found || f.Status != tc.status || f.MissingPermission != tc.missing {
				t.Errorf("%s: found %q, %s, missing %q; want %q, %s, %q", tc.name, f.Found, f.Status, f.MissingPermission, tc.found, tc.status, tc.missing)
			}
		}
		if n != 2 {
			t.Errorf("%s: %d macie rows, want one per governed region", tc.name, n)
		}
	}
}

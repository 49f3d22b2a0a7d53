package config

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestInvalid")

// refuseUpdateInCI fails the test when -update is set on CI, so that CI can
// never bless its own output.
func refuseUpdateInCI(t *testing.T) {
	t.Helper()
	if *update && os.Getenv("CI") == "true" {
		t.Fatal("-update is refused when CI=true: regenerate the golden files locally and commit them")
	}
}

// TestInvalid loads every testdata/invalid/<case>.yaml and compares the
// complete error text with <case>.golden.
func TestInvalid(t *testing.T) {
	refuseUpdateInCI(t)
	inputs, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no invalid cases found: %v", err)
	}
	for _, in := range inputs {
		golden := strings.TrimSuffix(in, ".yaml") + ".golden"
		t.Run(strings.TrimSuffix(filepath.Base(in), ".yaml"), func(t *testing.T) {
			c, err := Load(in)
			if err == nil {
				t.Fatalf("Load(%s) = %+v, nil; want the errors in %s", in, c, golden)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Load(%s) error is %T, want config.Errors: %v", in, err, err)
			}
			for _, fe := range errs {
				if fe.File != in || fe.Message == "" {
					t.Errorf("Load(%s): error without file or message: %#v", in, fe)
				}
			}
			got := err.Error() + "\n"
			if *update {
				if old, _ := os.ReadFile(golden); !bytes.Equal(old, []byte(got)) {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v\nregenerate with: go test ./config -run TestInvalid -update", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Load(%s) errors differ from %s (-want +got):\n%s\nregenerate with: go test ./config -run TestInvalid -update", in, golden, diff)
			}
		})
	}
	goldens, _ := filepath.Glob("testdata/invalid/*.golden")
	for _, g := range goldens {
		if !slices.Contains(inputs, strings.TrimSuffix(g, ".golden")+".yaml") {
			t.Errorf("%s has no .yaml input: delete it", g)
		}
	}
}

// TestValid loads every fixture that must be accepted.
func TestValid(t *testing.T) {
	files, _ := filepath.Glob("testdata/valid/*.yaml")
	examples, _ := filepath.Glob("examples/*.yaml")
	files = append(files, examples...)
	files = append(files, "default.yaml")
	if len(examples) < 2 {
		t.Fatalf("want config/examples/sandbox.yaml and production.yaml, found %v", examples)
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			c, err := Load(f)
			if err != nil {
				t.Fatalf("Load(%s):\n%v", f, err)
			}
			if err := c.Validate(); err != nil {
				t.Errorf("Load(%s) succeeded but Validate fails:\n%v", f, err)
			}
		})
	}
}

// TestDefault checks the embedded default architecture: sandbox, standalone,
// and more than one region so that every multi-region path is synthesized.
func TestDefault(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile != ProfileSandbox || c.Topology.Mode != ModeStandalone || c.HomeRegion != "us-east-1" {
		t.Errorf("Default() = profile %q, mode %q, home %q; want sandbox, standalone, us-east-1", c.Profile, c.Topology.Mode, c.HomeRegion)
	}
	if want := []string{"us-east-1", "eu-west-1"}; !slices.Equal(c.Regions, want) {
		t.Errorf("Default().Regions = %v, want %v", c.Regions, want)
	}
	disk, err := os.ReadFile("default.yaml")
	if err != nil || !bytes.Equal(disk, defaultYAML) {
		t.Errorf("embedded default.yaml differs from the file on disk (%v)", err)
	}
}

// TestProfileDefaults pins every per-profile default, the values the doc
// comments of the fields promise.
func TestProfileDefaults(t *testing.T) {
	type row struct {
		name                string
		get                 func(*Config) any
		sandbox, production any
	}
	allGuards := AccountGuards{
		S3BlockPublicAccess: true, EBSEncryptionByDefault: true, EBSSnapshotBlockPublicAccess: true, AMIBlockPublicAccess: true,
		RequireIMDSv2: true, InstanceMetadataHopLimit: 2, DisableSerialConsoleAccess: true, BlockSSMDocumentPublicSharing: true,
	}
	rows := []row{
		{"prefix", func(c *Config) any { return c.Prefix }, "mamori", "mamori"},
		{"homeRegion", func(c *Config) any { return c.HomeRegion }, "us-east-1", "us-east-1"},
		{"regions", func(c *Config) any { return c.Regions }, []string{"us-east-1"}, []string{"us-east-1"}},
		{"topology.mode", func(c *Config) any { return c.Topology.Mode }, ModeStandalone, ModeStandalone},
		{"destroyOnDelete", func(c *Config) any { return c.DestroyOnDelete }, false, false},
		{"logs.retentionDays", func(c *Config) any { return c.Logs.RetentionDays }, 90, 2557},
		{"logs.transitionToGlacierDays", func(c *Config) any { return c.Logs.TransitionToGlacierDays }, 0, 365},
		{"keys.rotationPeriodDays", func(c *Config) any { return c.DataProtection.Keys.RotationPeriodDays }, 365, 365},
		{"keys.pendingWindowDays", func(c *Config) any { return c.DataProtection.Keys.PendingWindowDays }, 30, 30},
		{"accountGuards", func(c *Config) any { return c.DataProtection.AccountGuards },
			allGuards, allGuards},
		{"securityHub.enabled", func(c *Config) any { return c.Detection.SecurityHub.Enabled }, true, true},
		{"securityHub.standards", func(c *Config) any { return c.Detection.SecurityHub.Standards },
			[]Standard{StandardFSBP}, []Standard{StandardFSBP, StandardCIS, StandardPCIDSS, StandardNIST80053}},
		{"securityHub.consolidatedControlFindings", func(c *Config) any { return c.Detection.SecurityHub.ConsolidatedControlFindings }, true, true},
		{"securityHub.autoEnableControls", func(c *Config) any { return c.Detection.SecurityHub.AutoEnableControls }, true, true},
		{"guardDuty.enabled", func(c *Config) any { return c.Detection.GuardDuty.Enabled }, true, true},
		{"guardDuty.findingPublishingFrequency", func(c *Config) any { return c.Detection.GuardDuty.FindingPublishingFrequency },
			PublishingFrequency("SIX_HOURS"), PublishingFrequency("FIFTEEN_MINUTES")},
		{"guardDuty.exportFindings", func(c *Config) any { return c.Detection.GuardDuty.ExportFindings }, true, true},
		{"guardDuty.protection", func(c *Config) any { return c.Detection.GuardDuty.Protection },
			GuardDutyProtection{S3DataEvents: true, RuntimeAgentManagement: RuntimeAgentManagement{EKSAddOn: true, ECSFargate: true, EC2: true}},
			GuardDutyProtection{S3DataEvents: true, EKSAuditLogs: true, RuntimeMonitoring: true,
				RuntimeAgentManagement: RuntimeAgentManagement{EKSAddOn: true, ECSFargate: true, EC2: true},
				EBSMalwareProtection:   true, RDSLoginEvents: true, LambdaNetworkLogs: true}},
		{"config.enabled", func(c *Config) any { return c.Detection.Config.Enabled }, true, true},
		{"config.recordingFrequency", func(c *Config) any { return c.Detection.Config.RecordingFrequency },
			RecordingFrequency("DAILY"), RecordingFrequency("CONTINUOUS")},
		{"config.deliveryFrequency", func(c *Config) any { return c.Detection.Config.DeliveryFrequency },
			DeliveryFrequency("TwentyFour_Hours"), DeliveryFrequency("TwentyFour_Hours")},
		{"config.managedRules", func(c *Config) any { return len(c.Detection.Config.ManagedRules) }, 0, 6},
		{"accessAnalyzer.externalAccess", func(c *Config) any { return c.Detection.AccessAnalyzer.ExternalAccess }, true, true},
		{"accessAnalyzer.unusedAccess", func(c *Config) any { return c.Detection.AccessAnalyzer.UnusedAccess },
			UnusedAccess{UnusedAccessAgeDays: 90}, UnusedAccess{Enabled: true, UnusedAccessAgeDays: 90}},
		{"inspector.enabled", func(c *Config) any { return c.Detection.Inspector.Enabled }, true, true},
		{"inspector.scanTypes", func(c *Config) any { return c.Detection.Inspector.ScanTypes },
			InspectorScanTypes{EC2: true, ECR: true, Lambda: true}, InspectorScanTypes{EC2: true, ECR: true, Lambda: true, LambdaCode: true}},
		{"inspector.ecrRescanDuration", func(c *Config) any { return c.Detection.Inspector.ECRRescanDuration },
			ECRRescanDuration("DAYS_30"), ECRRescanDuration("LIFETIME")},
		{"inspector.cisScan.enabled", func(c *Config) any { return c.Detection.Inspector.CISScan.Enabled }, false, true},
		{"inspector.cisScan.schedule", func(c *Config) any {
			s := c.Detection.Inspector.CISScan
			return []any{s.SecurityLevel, s.Frequency, s.TimeOfDay, s.TimeZone, s.Days, s.DayOfMonth, s.TargetTags}
		},
			[]any{CISSecurityLevel("LEVEL_1"), ScanFrequency("WEEKLY"), "03:00", "UTC", []string{"SUN"}, "SUN", map[string][]string{"mamori:cis-scan": {"true"}}},
			[]any{CISSecurityLevel("LEVEL_1"), ScanFrequency("WEEKLY"), "03:00", "UTC", []string{"SUN"}, "SUN", map[string][]string{"mamori:cis-scan": {"true"}}}},
	}
	sandbox, err := Parse("sandbox", []byte("profile: sandbox\n"))
	if err != nil {
		t.Fatal(err)
	}
	production, err := Parse("production", []byte("profile: production\n"))
	if err != nil {
		t.Fatal(err)
	}
	implicit, err := Parse("implicit", []byte("prefix: mamori\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if diff := cmp.Diff(r.sandbox, r.get(sandbox)); diff != "" {
			t.Errorf("sandbox %s (-want +got):\n%s", r.name, diff)
		}
		if diff := cmp.Diff(r.production, r.get(production)); diff != "" {
			t.Errorf("production %s (-want +got):\n%s", r.name, diff)
		}
	}
	if diff := cmp.Diff(sandbox, implicit, cmpopts.IgnoreUnexported(Config{})); diff != "" {
		t.Errorf("a file without profile does not get the sandbox defaults (-sandbox +implicit):\n%s", diff)
	}
	for _, r := range production.Detection.Config.ManagedRules {
		if !managedRulePattern.MatchString(r.Identifier) {
			t.Errorf("production managed rule %q is not an identifier", r.Identifier)
		}
	}
}

// TestOverlay checks that a key written in the file replaces the profile
// default outright, lists and maps included, and leaves its siblings alone.
func TestOverlay(t *testing.T) {
	c, err := Parse("overlay.yaml", []byte(`
profile: production
homeRegion: eu-west-1
detection:
  securityHub:
    standards: [nist-800-53]
  inspector:
    cisScan:
      targetTags:
        Scan: ["yes"]
  guardDuty:
    protection:
      eksAuditLogs: false
    malwareProtectionS3:
      - bucket: uploads-example
`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Standard{StandardNIST80053}, c.Detection.SecurityHub.Standards); diff != "" {
		t.Errorf("standards not replaced (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string][]string{"Scan": {"yes"}}, c.Detection.Inspector.CISScan.TargetTags); diff != "" {
		t.Errorf("targetTags merged with the default instead of replaced (-want +got):\n%s", diff)
	}
	p := c.Detection.GuardDuty.Protection
	if p.EKSAuditLogs || !p.RuntimeMonitoring || !p.RDSLoginEvents {
		t.Errorf("protection = %+v: want eksAuditLogs off and the other production defaults kept", p)
	}
	if want := []string{"eu-west-1"}; !slices.Equal(c.Regions, want) {
		t.Errorf("regions = %v, want the home region %v", c.Regions, want)
	}
	if got := c.Detection.GuardDuty.MalwareProtectionS3[0].Region; got != "eu-west-1" {
		t.Errorf("malware protection bucket region = %q, want the home region", got)
	}
	if c.Logs.RetentionDays != 2557 {
		t.Errorf("logs.retentionDays = %d, want the production default 2557", c.Logs.RetentionDays)
	}

	// Defaults are fresh per Parse: changing one Config leaves the next alone.
	c.Detection.Inspector.CISScan.TargetTags["Other"] = nil
	d, err := Parse("again", []byte("profile: production\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Detection.Inspector.CISScan.TargetTags) != 1 {
		t.Errorf("defaults shared between Parse calls: %v", d.Detection.Inspector.CISScan.TargetTags)
	}
}

// TestValidateWithoutSource checks that Validate works on a Config built in
// Go, reporting paths without file or line.
func TestValidateWithoutSource(t *testing.T) {
	c := profileDefaults(ProfileSandbox)
	c.Regions = []string{"us-east-1"}
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	c.Detection.GuardDuty.FindingPublishingFrequency = "HOURLY"
	err := c.Validate()
	want := `detection.guardDuty.findingPublishingFrequency: unsupported value "HOURLY": supported values: "FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"`
	if err == nil || err.Error() != want {
		t.Errorf("Validate() = %v\nwant %s", err, want)
	}
}

// TestFieldErrorFormat pins the one-line format callers and editors parse.
func TestFieldErrorFormat(t *testing.T) {
	for _, tc := range []struct {
		e    FieldError
		want string
	}{
		{FieldError{File: "f.yaml", Line: 3, Path: "a.b", Message: "m"}, "f.yaml:3: a.b: m"},
		{FieldError{File: "f.yaml", Path: "a.b", Message: "m"}, "f.yaml: a.b: m"},
		{FieldError{File: "f.yaml", Line: 1, Message: "m"}, "f.yaml:1: m"},
		{FieldError{Path: "a", Message: "m"}, "a: m"},
		{FieldError{Line: 2, Path: "a", Message: "m"}, "line 2: a: m"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%#v.Error() = %q, want %q", tc.e, got, tc.want)
		}
	}
}

// TestPaths pins how map keys appear in paths.
func TestPaths(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{keyPath("tags", "Owner"), "tags.Owner"},
		{keyPath("tags", "aws:x"), `tags["aws:x"]`},
		{keyPath(keyPath("detection.securityHub.controlParameters", "ACM.1"), "daysToExpiration"),
			`detection.securityHub.controlParameters["ACM.1"].daysToExpiration`},
		{indexPath("regions", 2), "regions[2]"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}

// TestKnownRegions checks the region table is sorted (regionPartition
// binary-searches it) and has no duplicates.
func TestKnownRegions(t *testing.T) {
	names := regionNames()
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("catalog.Regions must be sorted and unique: %v", names)
	}
	for _, r := range []struct{ region, partition string }{
		{"us-east-1", "aws"}, {"us-gov-west-1", "aws-us-gov"}, {"cn-northwest-1", "aws-cn"}, {"ap-southeast-7", "aws"},
	} {
		if p, ok := regionPartition(r.region); !ok || p != r.partition {
			t.Errorf("regionPartition(%q) = %q, %v; want %q", r.region, p, ok, r.partition)
		}
	}
}

// TestSchemaIsCurrent regenerates schema.json in memory and compares it with
// the committed file.
func TestSchemaIsCurrent(t *testing.T) {
	got, err := GenerateSchema(".")
	if err != nil {
		t.Fatal(err)
	}
	compareGenerated(t, "schema.json", got)
}

// compareGenerated fails when the committed file at path (relative to the
// config directory) differs from what go generate ./config writes.
func compareGenerated(t *testing.T, path string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v\nregenerate with: go generate ./config", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s is stale (-want +got):\n%s\nregenerate with: go generate ./config",
			path, cmp.Diff(string(want), string(got)))
	}
}

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, and must
// return either a valid Config or an error, never both or neither.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*/*.yaml", "examples/*.yaml", "default.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yaml", data)
		switch {
		case err != nil && c != nil:
			t.Fatalf("Parse returned both a Config and an error: %v", err)
		case err == nil && c == nil:
			t.Fatal("Parse returned neither a Config nor an error")
		case err == nil:
			if verr := c.Validate(); verr != nil {
				t.Fatalf("Parse accepted a Config that Validate rejects: %v", verr)
			}
		default:
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("Parse error is not a non-empty config.Errors: %T %v", err, err)
			}
		}
	})
}

// TestReferenceIsCurrent regenerates docs/configuration.md from the
// committed schema.json and compares it with the committed file.
func TestReferenceIsCurrent(t *testing.T) {
	schema, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := GenerateReference(schema)
	if err != nil {
		t.Fatal(err)
	}
	compareGenerated(t, "../docs/configuration.md", got)
	// Every leaf of the Go types is documented.
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Settings() {
		if !bytes.Contains(got, []byte("**`"+s.Path+"`**")) && !bytes.Contains(got, []byte("### "+s.Path+"\n")) {
			t.Errorf("%s is not in the reference", s.Path)
		}
	}
}

// TestErrorTypes checks that every error of the invalid cases written in the
// error vocabulary carries its kind, and that the kind opens the message.
func TestErrorTypes(t *testing.T) {
	inputs, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no invalid cases found: %v", err)
	}
	kinds := []ErrorType{ErrorTypeInvalid, ErrorTypeRequired, ErrorTypeForbidden, ErrorTypeNotSupported, ErrorTypeDuplicate, ErrorTypeTooMany}
	seen := map[ErrorType]bool{}
	for _, in := range inputs {
		_, err := Load(in)
		var errs Errors
		if !errors.As(err, &errs) {
			t.Fatalf("Load(%s) error is %T, want config.Errors: %v", in, err, err)
		}
		for _, fe := range errs {
			if fe.Type != "" {
				seen[fe.Type] = true
				// A map key's error says "key" where others say "value".
				key := strings.Replace(string(fe.Type), " value", " key", 1)
				if !strings.HasPrefix(fe.Message, string(fe.Type)) && !strings.HasPrefix(fe.Message, key) {
					t.Errorf("%s: %s: type %q does not open the message %q", in, fe.Path, fe.Type, fe.Message)
				}
				continue
			}
			for _, k := range kinds {
				if rest, ok := strings.CutPrefix(fe.Message, string(k)); ok && (strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, ":")) {
					t.Errorf("%s: %s: message %q is worded as %q but has no type", in, fe.Path, fe.Message, k)
				}
			}
		}
	}
	for _, k := range kinds {
		if !seen[k] {
			t.Errorf("no invalid case reports an error of type %q", k)
		}
	}
}

// TestValidatorConstructors pins the wording each typed constructor writes.
func TestValidatorConstructors(t *testing.T) {
	for _, tc := range []struct {
		add      func(v *validator)
		wantType ErrorType
		want     string
	}{
		{func(v *validator) { v.invalid("a", "x", "must be %d", 1) }, ErrorTypeInvalid, `a: invalid value "x": must be 1`},
		{func(v *validator) { v.invalid("a", 7, "at most 5") }, ErrorTypeInvalid, `a: invalid value 7: at most 5`},
		{func(v *validator) { v.invalid("a", omitValue, "at most 5 characters") }, ErrorTypeInvalid, `a: invalid value: at most 5 characters`},
		{func(v *validator) { v.invalid("a", "", "a name") }, ErrorTypeRequired, `a: required value: a name`},
		{func(v *validator) { v.invalid("a", Standard(""), "a standard") }, ErrorTypeRequired, `a: required value: a standard`},
		{func(v *validator) { v.required("a", "a name") }, ErrorTypeRequired, `a: required value: a name`},
		{func(v *validator) { v.forbidden("a", "not here") }, ErrorTypeForbidden, `a: forbidden: not here`},
		{func(v *validator) { v.notSupported("a", "x", "%s", supportedValues([]string{"y", "z"})) }, ErrorTypeNotSupported, `a: unsupported value "x": supported values: "y", "z"`},
		{func(v *validator) { v.duplicate("a", "x", "already listed") }, ErrorTypeDuplicate, `a: duplicate value "x": already listed`},
		{func(v *validator) { v.tooMany("a", "%d, at most %d", 3, 2) }, ErrorTypeTooMany, `a: too many: 3, at most 2`},
	} {
		v := &validator{}
		tc.add(v)
		if len(v.errs) != 1 {
			t.Fatalf("got %d errors, want 1: %v", len(v.errs), v.errs)
		}
		if fe := v.errs[0]; fe.Type != tc.wantType || fe.Error() != tc.want {
			t.Errorf("got %q (%q), want %q (%q)", fe.Error(), fe.Type, tc.want, tc.wantType)
		}
	}
}

// TestEachUnique checks that every item is checked at its path and that a
// repeated key is reported at the key's field, naming the first.
func TestEachUnique(t *testing.T) {
	type item struct{ name string }
	v := &validator{}
	var checked []string
	keys := eachUnique(v, "list", []item{{"a"}, {"b"}, {"a"}}, "name", func(i item) string { return i.name },
		func(p string, i item) { checked = append(checked, p+"="+i.name) })
	if want := []string{"list[0]=a", "list[1]=b", "list[2]=a"}; !slices.Equal(checked, want) {
		t.Errorf("checked %v, want %v", checked, want)
	}
	if want := []string{"a", "b", "a"}; !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	if got, want := v.errs.Error(), `list[2].name: duplicate value "a": already listed at list[0].name`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

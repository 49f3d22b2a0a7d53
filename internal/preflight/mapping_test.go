package preflight

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"

	"github.com/mamori-dev/mamori/config"
)

// primaryIdentifier is each importable type's primary identifier in its
// CloudFormation registry schema (the CDK's service spec, aws-service-spec).
var primaryIdentifier = map[string]string{
	"AWS::SecurityHub::Hub":         "ARN",
	"AWS::GuardDuty::Detector":      "Id",
	"AWS::AccessAnalyzer::Analyzer": "Arn",
	"AWS::Macie::Session":           "AwsAccountId",
	"AWS::Detective::Graph":         "Arn",
}

// everythingExists puts every singleton mamori adopts into account in
// regions, owned by no stack.
func everythingExists(account string, regions []string) *world {
	w := &world{caller: account}
	w.bootstrapped(account, "", regions...)
	for _, r := range regions {
		x := w.account(account).region(r)
		x.hub = "arn:aws:securityhub:" + r + ":" + account + ":hub/default"
		x.detector, x.frequency = "d"+r, gdtypes.FindingPublishingFrequencySixHours
		x.analyzers = []aatypes.AnalyzerSummary{
			{Arn: aws.String("arn:aws:access-analyzer:" + r + ":" + account + ":analyzer/external"), Name: aws.String("external"), Type: aatypes.TypeAccount},
			{Arn: aws.String("arn:aws:access-analyzer:" + r + ":" + account + ":analyzer/unused"), Name: aws.String("unused"), Type: aatypes.TypeAccountUnusedAccess},
		}
		x.macie = true
		x.graph = "arn:aws:detective:" + r + ":" + account + ":graph:0123456789abcdef"
	}
	return w
}

// TestImportMappingsMatchTemplates: for every example config, with every
// singleton existing and existing: adopt, the import mapping preflight
// writes names resources of the synthesized templates (the golden
// snapshots) by logical ID, of the right type and by their primary
// identifier; and each imported resource stands alone in its template (no
// Ref, GetAtt or DependsOn to resources the import leaves out), because an
// import change set holds only the resources it imports.
func TestImportMappingsMatchTemplates(t *testing.T) {
	examples, err := config.Examples("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range examples {
		t.Run(ex.Name, func(t *testing.T) {
			cfg := *ex.Config
			cfg.Detection.SecurityHub.Existing = config.ExistingAdopt
			cfg.Detection.GuardDuty.Existing = config.ExistingAdopt
			cfg.Detection.AccessAnalyzer.Existing = config.ExistingAdopt
			cfg.DataProtection.Macie.Existing = config.ExistingAdopt
			cfg.Response.Detective.Existing = config.ExistingAdopt
			account := "123456789012"
			if cfg.Topology.AccountID != "" {
				account = cfg.Topology.AccountID
			}
			if o := cfg.Topology.Organization; o != nil {
				account = o.SecurityToolingAccountID
			}
			w := everythingExists(account, cfg.Regions)
			if o := cfg.Topology.Organization; o != nil {
				// Only the layers of the security-tooling account import.
				w = orgEverything(o, cfg.Regions, w)
			}
			r := Run(context.Background(), &cfg, w, Options{Sleep: func(time.Duration) {}})
			dir := filepath.Join("../../test/testdata/snapshots", ex.Name)
			m, err := Mappings(r, DirTemplates(dir))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range r.Findings {
				if f.Import != nil {
					n++
				}
			}
			if n == 0 {
				t.Fatal("no imports: every singleton exists and is adopted")
			}
			got := 0
			for _, stack := range slices.Sorted(maps.Keys(m)) {
				raw := rawTemplate(t, filepath.Join(dir, stack+".template.json"))
				imported := slices.Collect(maps.Keys(m[stack]))
				for _, id := range slices.Sorted(maps.Keys(m[stack])) {
					got++
					res, ok := raw[id]
					if !ok {
						t.Errorf("%s: %s is not in the template", stack, id)
						continue
					}
					typ := res["Type"].(string)
					want, ok := primaryIdentifier[typ]
					if !ok {
						t.Errorf("%s: %s is a %s, which mamori does not import", stack, id, typ)
					}
					if prop := slices.Collect(maps.Keys(m[stack][id])); len(prop) != 1 || prop[0] != want {
						t.Errorf("%s: %s identified by %v, want %s", stack, id, prop, want)
					}
					if outside := references(res, raw, imported); len(outside) > 0 {
						t.Errorf("%s: %s refers to %v, which the import leaves out", stack, id, outside)
					}
				}
			}
			t.Logf("%d resources to import into %d stacks", got, len(m))
			if got != n {
				t.Errorf("%d imports in the mapping, %d in the report", got, n)
			}
		})
	}
}

// orgEverything adds the organization the security-tooling account belongs
// to, with nothing in the other accounts but their bootstraps.
func orgEverything(o *config.Organization, regions []string, w *world) *world {
	org := orgWorld()
	org.org.id, org.org.management = o.OrganizationID, o.ManagementAccountID
	org.org.ous = map[string][]string{}
	org.caller = o.ManagementAccountID
	org.bootstrapped(o.ManagementAccountID, "", regions...)
	org.accounts[o.SecurityToolingAccountID] = w.accounts[o.SecurityToolingAccountID]
	org.bootstrapped(o.SecurityToolingAccountID, o.ManagementAccountID, regions...)
	return org
}

func rawTemplate(t *testing.T, path string) map[string]map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct{ Resources map[string]map[string]any }
	if err := json.Unmarshal(data, &tpl); err != nil {
		t.Fatal(err)
	}
	return tpl.Resources
}

// references lists the resources of the template that res refers to (Ref,
// Fn::GetAtt, DependsOn) and that are not in keep.
func references(res map[string]any, all map[string]map[string]any, keep []string) []string {
	body, _ := json.Marshal(map[string]any{"Properties": res["Properties"], "DependsOn": res["DependsOn"]})
	var out []string
	for id := range all {
		if !slices.Contains(keep, id) && strings.Contains(string(body), `"`+id+`"`) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// TestWriteImports writes one file per stack in the CDK CLI's
// --resource-mapping format: {"<LogicalId>": {"<Property>": "<value>"}}.
func TestWriteImports(t *testing.T) {
	cfg := parse(t, "prefix: mamori\nregions: [us-east-1, eu-west-1]\ndetection:\n  guardDuty:\n    existing: adopt\n")
	w := everythingExists("123456789012", cfg.Regions)
	r := Run(context.Background(), cfg, w, Options{Sleep: func(time.Duration) {}})
	dir := t.TempDir()
	files, err := WriteImports(r, DirTemplates("../../test/testdata/snapshots/default"), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "mamori-detection-eu-west-1.json"), filepath.Join(dir, "mamori-detection-us-east-1.json")}
	if !slices.Equal(files, want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	data, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(string(data)), ""); got != `{"GuardDuty32B27AAC":{"Id":"dus-east-1"}}` {
		t.Errorf("mapping %s", data)
	}
}

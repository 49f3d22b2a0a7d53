package test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mamori-dev/mamori/test/internal/golden"
)

// statefulTypes hold data or history that a replacement or delete would lose.
var statefulTypes = []string{
	"AWS::KMS::Key",
	"AWS::KMS::ReplicaKey",
	"AWS::S3::Bucket",
	"AWS::Logs::LogGroup",
	"AWS::GuardDuty::Detector",
	"AWS::SecurityHub::Hub",
	"AWS::AccessAnalyzer::Analyzer",
	"AWS::SecretsManager::Secret",
	"AWS::Macie::Session",
	"AWS::CloudHSM::Cluster",
	"AWS::Detective::Graph",
	"AWS::SecurityHub::HubV2",
	"AWS::CloudTrail::Trail",
	"AWS::AuditManager::Assessment",
}

var acceptStatefulChanges = flag.Bool("accept-stateful-changes", false,
	"with -update, accept that stateful resources listed in testdata/stateful/ were removed or renamed")

// TestStatefulResourcesRetained: keys, buckets, log groups, detectors, hubs
// and analyzers survive stack deletes and replacements, unless the fixture's
// config explicitly sets destroyOnDelete.
func TestStatefulResourcesRetained(t *testing.T) {
	for _, typ := range statefulTypes {
		eachResource(t, typ, func(fx *fixture, where string, r resource) {
			want := "Retain"
			// Evidence is never deleted with a stack (constructs/compliance).
			if fx.config.DestroyOnDelete && r.Metadata["mamori:evidence"] != true {
				want = "Delete"
			}
			if r.DeletionPolicy != want || r.UpdateReplacePolicy != want {
				t.Errorf("%s (%s) has DeletionPolicy %q and UpdateReplacePolicy %q, want %q",
					where, r.Type, r.DeletionPolicy, r.UpdateReplacePolicy, want)
			}
		})
	}
}

// TestStatefulLogicalIDs fails when a stateful resource's logical ID
// disappears: CloudFormation would create a new key, bucket or detector and
// orphan or delete the old one with its data. testdata/stateful/<fixture>.txt
// lists every stateful resource; -update adds new ones, and removing one
// needs -update -accept-stateful-changes, a deliberate act that shows in review.
func TestStatefulLogicalIDs(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			var got []string
			for _, stack := range fx.stackNames() {
				for id, r := range fx.resources(t, stack) {
					if slices.Contains(statefulTypes, r.Type) {
						got = append(got, fmt.Sprintf("%s %s %s", stack, id, r.Type))
					}
				}
			}
			slices.Sort(got)
			path := filepath.Join("testdata", "stateful", fx.name+".txt")
			want, err := readLines(path)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			var missing []string
			for _, w := range want {
				if !slices.Contains(got, w) {
					missing = append(missing, w)
				}
			}
			if len(missing) > 0 && !*acceptStatefulChanges {
				t.Errorf("stateful resources would be replaced or removed (their logical IDs are gone):\n\t%s\n"+
					"If that is intended and the data is safe, run:\n\tgo test ./test/... -run TestStatefulLogicalIDs -update -accept-stateful-changes",
					strings.Join(missing, "\n\t"))
			}
			if slices.Equal(want, got) {
				return
			}
			if !golden.Updating(t) {
				if len(missing) == 0 {
					t.Errorf("%s lacks new stateful resources; record them with:\n\tgo test ./test/... -run TestStatefulLogicalIDs -update", path)
				}
				return
			}
			if len(missing) > 0 && !*acceptStatefulChanges {
				return
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	return lines, sc.Err()
}

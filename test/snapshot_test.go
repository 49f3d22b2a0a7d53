package test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mamori-dev/mamori/internal/review"
	"github.com/mamori-dev/mamori/test/internal/golden"
)

// TestSnapshots compares every synthesized template, in the readable form of
// review.Readable (SDK calls as JSON objects, inline handlers by file name and
// hash), with its golden file in
// testdata/snapshots/<fixture>/<stack>.template.json. Regenerate after a
// deliberate change with `go test ./test/... -run TestSnapshots -update`.
func TestSnapshots(t *testing.T) {
	sources, err := review.HandlerSources(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, fx := range fixtures {
		dir := filepath.Join("testdata", "snapshots", fx.name)
		for _, stack := range fx.stackNames() {
			t.Run(fx.name+"/"+stack, func(t *testing.T) {
				readable, err := review.Readable(fx.templates[stack], sources)
				if err != nil {
					t.Fatal(err)
				}
				golden.Compare(t, filepath.Join(dir, stack+".template.json"), readable)
			})
		}
		// Where each stack deploys (aws://account/region, as the cloud
		// assembly's manifest says): the policy simulations in test/policy
		// resolve AWS::AccountId and AWS::Region from it.
		t.Run(fx.name+"/environments", func(t *testing.T) {
			env, err := json.MarshalIndent(fx.environments, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Compare(t, filepath.Join(dir, "environments.json"), append(env, '\n'))
		})
		t.Run(fx.name+"/no-stale-snapshots", func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
			for _, f := range files {
				stack := strings.TrimSuffix(filepath.Base(f), ".template.json")
				if _, ok := fx.templates[stack]; ok {
					continue
				}
				if golden.Updating(t) {
					if err := os.Remove(f); err != nil {
						t.Fatal(err)
					}
					continue
				}
				t.Errorf("%s is a snapshot of stack %s, which the app no longer synthesizes; remove it with -update", f, stack)
			}
		})
	}
}

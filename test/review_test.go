package test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mamori-dev/mamori/internal/review"
	"github.com/mamori-dev/mamori/test/internal/golden"
)

// reviewDir holds, per fixture, what `make diagrams` and `make cost` show a
// reviewer: the architecture diagram's DOT source (rendered beside it to
// SVG and PNG), the cost table and the synth summary.
var reviewDir = filepath.Join("..", "docs", "review")

// assembly is a fixture as the review package reads it.
func (fx *fixture) assembly(t *testing.T) *review.Assembly {
	t.Helper()
	var in []review.StackInput
	warnings := map[string][]string{}
	for _, name := range fx.stackNames() {
		account, region := review.ParseEnvironment(fx.environments[name])
		in = append(in, review.StackInput{Name: name, Account: account, Region: region, Template: fx.templates[name]})
		for _, m := range fx.messages[name] {
			if m.Level == "aws:cdk:warning" {
				warnings[name] = append(warnings[name], m.Path+": "+m.Text)
			}
		}
	}
	a, err := review.NewAssembly(in, review.FilterWarnings(warnings))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestReview compares each fixture's diagram source, cost table and synth
// summary with docs/review/<fixture>/. Every resource type must be in the
// review catalog (an unmapped one fails here) and every service priced.
// Regenerate after a deliberate change with
// `go test ./test/... -run TestReview -update`, then `make diagrams`.
func TestReview(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			r, err := review.Build(fx.assembly(t), review.Describe(fx.name, fx.config))
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(reviewDir, fx.name)
			compareText(t, filepath.Join(dir, "architecture.dot"), r.DOT)
			compareText(t, filepath.Join(dir, "cost.md"), r.Cost)
			compareText(t, filepath.Join(dir, "summary.txt"), r.Summary)
		})
	}
}

// TestSandboxFixedCost keeps the sandbox profile cheap: at most $30 a month
// of fixed cost in any one region (organization-wide charges included).
// It checks the fixtures that keep the profile's defaults; other sandbox
// examples opt into costly features on purpose (Shield Advanced, Network
// Firewall endpoints) and their cost tables say so.
func TestSandboxFixedCost(t *testing.T) {
	const limit = 30.0
	defaultsOnly := map[string]bool{"default": true, "sandbox": true}
	checked := 0
	for _, fx := range fixtures {
		if fx.config.Profile != "sandbox" || !defaultsOnly[fx.name] {
			continue
		}
		checked++
		e, err := review.EstimateCost(fx.assembly(t))
		if err != nil {
			t.Fatal(err)
		}
		if where, cost := e.MaxRegion(); cost > limit {
			t.Errorf("%s: fixed cost in %s is %s a month, over the sandbox limit of %s:\n%s",
				fx.name, where, review.Money(cost), review.Money(limit), e.Markdown(fx.name))
		}
	}
	if checked == 0 {
		t.Fatal("no sandbox fixture to check")
	}
}

func compareText(t *testing.T, path, got string) {
	t.Helper()
	want, err := os.ReadFile(path)
	if golden.Updating(t) {
		if err == nil && bytes.Equal(want, []byte(got)) {
			return
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", path)
		return
	}
	if errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s does not exist; create it with:\n\tgo test ./test/... -run TestReview -update", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s differs (-want +got):\n%s\nIf the change is intended: go test ./test/... -run TestReview -update, then make diagrams.", path, d)
	}
}

// Package golden holds mamori's snapshot-test plumbing: template
// normalisation and golden-file comparison with a readable per-resource diff.
// The repository root and cdk.json's context come from mamori/internal/cdktest.
package golden

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mamori-dev/mamori/internal/review"
)

// Update rewrites golden files instead of comparing against them.
var Update = flag.Bool("update", false, "rewrite golden files with the current output")

// Normalize turns a synthesized template into its golden form (see
// review.Normalize, which `make diff` shares).
func Normalize(template []byte) ([]byte, error) {
	out, err := review.Normalize(template)
	if err != nil {
		return nil, fmt.Errorf("golden: %w", err)
	}
	return out, nil
}

// Updating reports whether -update is set, and fails the test when it is set
// under CI=true: CI must never bless a snapshot.
func Updating(t testing.TB) bool {
	t.Helper()
	if *Update && os.Getenv("CI") == "true" {
		t.Fatalf("-update is refused when CI=true: CI must never bless a snapshot")
	}
	return *Update
}

// Compare checks got against the golden file at path, or rewrites it under
// -update. A mismatch reports, resource by resource, what changed.
func Compare(t testing.TB, path string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(path)
	if Updating(t) {
		if err == nil && bytes.Equal(want, got) {
			return
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", path)
		return
	}
	if errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s does not exist; create it with:\n\tgo test ./test/... -run %s -update", path, t.Name())
	}
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(want, got) {
		return
	}
	t.Errorf("%s differs from the synthesized template (-want +got):\n%s\nIf the change is intended, regenerate with:\n\tgo test ./test/... -run TestSnapshots -update\nand review the diff like code.",
		path, TemplateDiff(want, got))
}

// TemplateDiff describes the difference between two templates per resource
// (added, removed, changed with a -want +got diff) and per other section.
func TemplateDiff(want, got []byte) string {
	var w, g map[string]interface{}
	if json.Unmarshal(want, &w) != nil || json.Unmarshal(got, &g) != nil {
		return cmp.Diff(string(want), string(got))
	}
	var b strings.Builder
	wr, _ := w["Resources"].(map[string]interface{})
	gr, _ := g["Resources"].(map[string]interface{})
	for _, id := range unionKeys(wr, gr) {
		wv, inW := wr[id]
		gv, inG := gr[id]
		switch {
		case !inG:
			fmt.Fprintf(&b, "- resource %s (%v) removed\n", id, typeOf(wv))
		case !inW:
			fmt.Fprintf(&b, "+ resource %s (%v) added\n", id, typeOf(gv))
		default:
			if d := cmp.Diff(wv, gv); d != "" {
				fmt.Fprintf(&b, "~ resource %s (%v) changed:\n%s", id, typeOf(gv), d)
			}
		}
	}
	delete(w, "Resources")
	delete(g, "Resources")
	if d := cmp.Diff(w, g); d != "" {
		fmt.Fprintf(&b, "~ outside Resources:\n%s", d)
	}
	return b.String()
}

func typeOf(resource interface{}) interface{} {
	if r, ok := resource.(map[string]interface{}); ok {
		return r["Type"]
	}
	return "?"
}

func unionKeys(a, b map[string]interface{}) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

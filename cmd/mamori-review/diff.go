package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/internal/review"
)

// runDiff synthesizes every fixture afresh and shows, with the CDK's own
// template diff (.tools/cfn-diff.js), what changed against the committed
// snapshots in test/testdata/snapshots/<fixture>/: resources added, removed
// and replaced, stateful replacements in red. Offline: no account needed.
func runDiff(args []string) error {
	fs := newFlags("diff")
	only := fs.String("fixture", "", "compare only this fixture (default, sandbox, production, ...)")
	fs.Parse(args)
	defer jsii.Close()
	root := repoRoot()
	fxs, err := fixtures(root)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "mamori-diff-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	type pair struct {
		Name string  `json:"name"`
		Old  *string `json:"old"`
		New  *string `json:"new"`
	}
	var pairs []pair
	stateful := map[string]bool{}
	all, _ := filepath.Glob(filepath.Join(root, "test", "testdata", "snapshots", "*", "*.template.json"))
	for _, f := range all {
		collectStateful(f, stateful)
	}
	for _, fx := range fxs {
		if *only != "" && fx.name != *only {
			continue
		}
		dir, err := synthesize(root, fx)
		if err != nil {
			return err
		}
		fresh, err := normalizedTemplates(dir)
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
		snapDir := filepath.Join(root, "test", "testdata", "snapshots", fx.name)
		files, _ := filepath.Glob(filepath.Join(snapDir, "*.template.json"))
		names := map[string]bool{}
		for _, f := range files {
			names[strings.TrimSuffix(filepath.Base(f), ".template.json")] = true
		}
		for n := range fresh {
			names[n] = true
		}
		for _, n := range sortedNames(names) {
			p := pair{Name: fx.name + "/" + n}
			if old := filepath.Join(snapDir, n+".template.json"); fileExists(old) {
				p.Old = &old
			}
			if tpl, ok := fresh[n]; ok {
				path := filepath.Join(work, fx.name+"-"+n+".json")
				if err := os.WriteFile(path, tpl, 0o644); err != nil {
					return err
				}
				p.New = &path
				collectStateful(path, stateful)
			}
			pairs = append(pairs, p)
		}
	}
	if len(pairs) == 0 {
		return fmt.Errorf("no fixture named %q", *only)
	}
	input, err := json.Marshal(map[string]interface{}{"stacks": pairs, "stateful": sortedNames(stateful)})
	if err != nil {
		return err
	}
	cmd := exec.Command("node", filepath.Join(root, ".tools", "cfn-diff.js"))
	cmd.Dir = filepath.Join(root, ".tools")
	cmd.Stdin = bytes.NewReader(input)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("cfn-diff: %w (run make setup first)", err)
	}
	return nil
}

// normalizedTemplates reads a cloud assembly's stack templates in the
// golden files' form (review.Normalize, then review.Readable).
func normalizedTemplates(dir string) (map[string][]byte, error) {
	m, err := review.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	sources, err := review.HandlerSources(repoRoot())
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for id, a := range m.Artifacts {
		if a.Type != "aws:cloudformation:stack" {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, a.Properties.TemplateFile))
		if err != nil {
			return nil, err
		}
		if raw, err = review.Normalize(raw); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		if out[id], err = review.Readable(raw, sources); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
	}
	return out, nil
}

// collectStateful adds the types a template retains on delete: whatever
// mamori keeps anywhere counts as stateful everywhere (a sandbox that
// destroys on delete still loses data when one is replaced).
func collectStateful(path string, into map[string]bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	var t struct {
		Resources map[string]struct {
			Type           string `json:"Type"`
			DeletionPolicy string `json:"DeletionPolicy"`
		} `json:"Resources"`
	}
	if json.Unmarshal(data, &t) != nil {
		return
	}
	for _, r := range t.Resources {
		if r.DeletionPolicy == "Retain" || r.DeletionPolicy == "RetainExceptOnCreate" || r.DeletionPolicy == "Snapshot" {
			into[r.Type] = true
		}
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

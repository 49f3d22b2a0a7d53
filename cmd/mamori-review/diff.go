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

// diffPair is one stack the CDK's template diff compares: a template path
// before and after, nil for a stack added or removed.
type diffPair struct {
	Name string  `json:"name"`
	Old  *string `json:"old"`
	New  *string `json:"new"`
}

// runDiff synthesizes afresh and shows, with the CDK's own template diff
// (.tools/cfn-diff.js), what changed: resources added, removed and
// replaced, stateful replacements in red. With -config it compares that
// configuration with the baseline the user recorded (make baseline); without,
// every shipped fixture with its snapshot in test/testdata/snapshots/.
// Offline: no account needed. It fails when a stateful resource would be
// replaced or removed, unless -accept-stateful says that is deliberate.
func runDiff(args []string) error {
	fs := newFlags("diff")
	only := fs.String("fixture", "", "compare only this shipped fixture (default, sandbox, production, ...)")
	cfgPath := fs.String("config", "", "compare this config file with its baseline instead of the shipped fixtures")
	baseline := fs.String("baseline", "", "the baseline directory `make baseline` recorded (default: baseline/<config name>)")
	accept := fs.Bool("accept-stateful", false, "exit 0 even when a stateful resource would be replaced or removed")
	fs.Parse(args)
	defer jsii.Close()
	root := repoRoot()
	work, err := os.MkdirTemp("", "mamori-diff-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	d := &templateDiff{work: work, stateful: map[string]bool{}}
	if *cfgPath != "" {
		err = d.addConfig(root, *cfgPath, *baseline)
	} else {
		err = d.addFixtures(root, *only)
	}
	if err != nil {
		return err
	}
	replaced, err := d.run(root)
	if err != nil {
		return err
	}
	return statefulGate(mergeFindings(replaced, d.removed), *accept)
}

// templateDiff collects what the CDK's template diff compares: the stack
// pairs, the stateful resource types of either side, and the retained
// resources a stack removal would orphan. Fresh templates go to work.
type templateDiff struct {
	work     string
	pairs    []diffPair
	removed  []string
	stateful map[string]bool
}

// compare pairs the templates in oldDir with the fresh ones, by stack
// name, under label.
func (d *templateDiff) compare(label, oldDir string, fresh map[string][]byte) error {
	old, err := readTemplates(oldDir)
	if err != nil {
		return err
	}
	for _, tpl := range old {
		collectStateful(tpl, d.stateful)
	}
	d.removed = append(d.removed, retainedRemoved(label, old, fresh)...)
	names := map[string]bool{}
	for n := range old {
		names[n] = true
	}
	for n := range fresh {
		names[n] = true
	}
	for _, n := range sortedNames(names) {
		p := diffPair{Name: label + "/" + n}
		if _, ok := old[n]; ok {
			path := filepath.Join(oldDir, n+".template.json")
			p.Old = &path
		}
		if tpl, ok := fresh[n]; ok {
			path := filepath.Join(d.work, label+"-"+n+".json")
			if err := os.WriteFile(path, tpl, 0o644); err != nil {
				return err
			}
			p.New = &path
			collectStateful(tpl, d.stateful)
		}
		d.pairs = append(d.pairs, p)
	}
	return nil
}

// addConfig compares the configuration at cfgPath with its recorded
// baseline (default: baseline/<config name>).
func (d *templateDiff) addConfig(root, cfgPath, baseline string) error {
	fx, err := loadFixture(cfgPath)
	if err != nil {
		return err
	}
	dir := baseline
	if dir == "" {
		dir = filepath.Join("baseline", fx.name)
	}
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("no baseline for %s in %s: record one with `make baseline CONFIG=%s BASELINE=%s` and commit it", cfgPath, dir, cfgPath, dir)
	}
	fresh, err := synthesizeTemplates(root, fx)
	if err != nil {
		return err
	}
	return d.compare(fx.name, dir, fresh)
}

// addFixtures compares every shipped fixture, or only the one named, with
// its snapshot.
func (d *templateDiff) addFixtures(root, only string) error {
	fxs, err := fixtures(root)
	if err != nil {
		return err
	}
	for _, fx := range fxs {
		if only != "" && fx.name != only {
			continue
		}
		fresh, err := synthesizeTemplates(root, fx)
		if err != nil {
			return err
		}
		if err := d.compare(fx.name, filepath.Join(root, "test", "testdata", "snapshots", fx.name), fresh); err != nil {
			return err
		}
	}
	if len(d.pairs) == 0 {
		return fmt.Errorf("no fixture named %q", only)
	}
	return nil
}

// run prints the CDK's template diff of the pairs (.tools/cfn-diff.js) and
// returns the stateful resources it would replace.
func (d *templateDiff) run(root string) ([]string, error) {
	result := filepath.Join(d.work, "result.json")
	input, err := json.Marshal(map[string]interface{}{"stacks": d.pairs, "stateful": sortedNames(d.stateful), "result": result})
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", filepath.Join(root, ".tools", "cfn-diff.js"))
	cmd.Dir = filepath.Join(root, ".tools")
	cmd.Stdin = bytes.NewReader(input)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("cfn-diff: %w (run make setup first)", err)
	}
	var out struct {
		Stateful []string `json:"stateful"`
	}
	data, err := os.ReadFile(result)
	if err != nil {
		return nil, fmt.Errorf("cfn-diff wrote no result: %w", err)
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("cfn-diff result: %w", err)
	}
	return out.Stateful, nil
}

// statefulGate is the decision a pull-request check gates on: a stateful
// resource (a key, bucket, detector, hub, graph, log group, ...) that
// would be replaced or removed fails the diff, unless accepted.
func statefulGate(findings []string, accept bool) error {
	if len(findings) == 0 {
		return nil
	}
	if accept {
		fmt.Printf("Accepted (ACCEPT_STATEFUL=1): %d stateful resource(s) replaced or removed.\n", len(findings))
		return nil
	}
	return fmt.Errorf("%d stateful resource(s) would be replaced or removed, losing their data:\n  %s\nIf that is deliberate, rerun with ACCEPT_STATEFUL=1 (make diff) or -accept-stateful",
		len(findings), strings.Join(findings, "\n  "))
}

// retainedRemoved finds, without the CDK's diff, the resources a template
// retains on delete (DeletionPolicy Retain, RetainExceptOnCreate or
// Snapshot) whose logical ID is gone from the fresh templates or whose type
// changed: CloudFormation would orphan or replace them. It is the floor of
// the gate; the CDK's diff adds replacements by property change.
func retainedRemoved(label string, old, fresh map[string][]byte) []string {
	var out []string
	for _, stack := range sortedKeys(old) {
		before := resourcesOf(old[stack])
		after, stillThere := fresh[stack]
		now := resourcesOf(after)
		for _, id := range sortedKeys(before) {
			r := before[id]
			if !keepsData(r.DeletionPolicy) {
				continue
			}
			switch n, ok := now[id]; {
			case !stillThere:
				out = append(out, fmt.Sprintf("%s/%s/%s (%s) removed with its stack", label, stack, id, r.Type))
			case !ok:
				out = append(out, fmt.Sprintf("%s/%s/%s (%s) removed or renamed", label, stack, id, r.Type))
			case n.Type != r.Type:
				out = append(out, fmt.Sprintf("%s/%s/%s (%s) replaced by a %s", label, stack, id, r.Type, n.Type))
			}
		}
	}
	return out
}

// mergeFindings joins the CDK diff's findings with retainedRemoved's,
// one line per stack/resource (the CDK's wording first).
func mergeFindings(cdk, own []string) []string {
	seen := map[string]bool{}
	var out []string
	key := func(line string) string {
		k, _, _ := strings.Cut(line, " ")
		return k
	}
	for _, l := range append(append([]string{}, cdk...), own...) {
		if !seen[key(l)] {
			seen[key(l)] = true
			out = append(out, l)
		}
	}
	return out
}

type templateResource struct {
	Type           string `json:"Type"`
	DeletionPolicy string `json:"DeletionPolicy"`
}

func resourcesOf(tpl []byte) map[string]templateResource {
	var t struct {
		Resources map[string]templateResource `json:"Resources"`
	}
	if len(tpl) > 0 {
		json.Unmarshal(tpl, &t)
	}
	return t.Resources
}

func keepsData(policy string) bool {
	return policy == "Retain" || policy == "RetainExceptOnCreate" || policy == "Snapshot"
}

// collectStateful adds the types a template retains on delete: whatever
// mamori keeps anywhere counts as stateful everywhere (a sandbox that
// destroys on delete still loses data when one is replaced).
func collectStateful(tpl []byte, into map[string]bool) {
	for _, r := range resourcesOf(tpl) {
		if keepsData(r.DeletionPolicy) {
			into[r.Type] = true
		}
	}
}

// readTemplates reads dir/<stack>.template.json by stack name.
func readTemplates(dir string) (map[string][]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(filepath.Base(f), ".template.json")] = data
	}
	return out, nil
}

// synthesizeTemplates synthesizes a fixture and returns its templates in
// snapshot form.
func synthesizeTemplates(root string, fx fixture) (map[string][]byte, error) {
	dir, err := synthesize(root, fx)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	return normalizedTemplates(dir)
}

// normalizedTemplates reads a cloud assembly's stack templates in the
// golden files' form (review.Normalize, then review.Readable), those of
// nested assemblies (the member baseline's stage) included.
func normalizedTemplates(dir string) (map[string][]byte, error) {
	sources, err := review.HandlerSources(repoRoot())
	if err != nil {
		return nil, err
	}
	return readableTemplates(dir, sources)
}

func readableTemplates(dir string, sources map[string]string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := review.WalkStacks(dir, func(name string, _ review.Artifact, raw []byte) error {
		raw, err := review.Normalize(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if out[name], err = review.Readable(raw, sources); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// runBaseline records a configuration's templates, in snapshot form, into
// a directory the user commits; `make diff CONFIG=...` compares with it.
func runBaseline(args []string) error {
	fs := newFlags("baseline")
	cfgPath := fs.String("config", "", "config file (default: the embedded default)")
	out := fs.String("out", "", "directory to record into (default: baseline/<config name>)")
	fs.Parse(args)
	defer jsii.Close()
	fx, err := loadFixture(*cfgPath)
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("baseline", fx.name)
	}
	fresh, err := synthesizeTemplates(repoRoot(), fx)
	if err != nil {
		return err
	}
	return writeBaseline(dir, fresh)
}

// writeBaseline replaces the templates in dir with tpls: a stack that is
// gone leaves no file behind.
func writeBaseline(dir string, tpls map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	for _, n := range sortedKeys(tpls) {
		if err := os.WriteFile(filepath.Join(dir, n+".template.json"), tpls[n], 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("Recorded %d templates in %s: commit them; `make diff` compares with them.\n", len(tpls), dir)
	return nil
}

func sortedNames(m map[string]bool) []string { return sortedKeys(m) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package review

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// WalkStacks reads the stacks of a nested assembly too, by deployed name,
// and skips artifacts that are not stacks.
func TestWalkStacks(t *testing.T) {
	dir := t.TempDir()
	write := func(path, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, path)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, path), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("manifest.json", `{"artifacts":{
  "Tree":{"type":"cdk:tree"},
  "mdetection":{"type":"aws:cloudformation:stack","environment":"aws://111111111111/eu-west-1","properties":{"templateFile":"d.template.json","stackName":"m-detection-eu-west-1"}},
  "mnoname":{"type":"aws:cloudformation:stack","properties":{"templateFile":"n.template.json"}},
  "assembly-Member":{"type":"cdk:cloud-assembly","properties":{"directoryName":"assembly-Member"}}}}`)
	write("d.template.json", `{"Resources":{}}`)
	write("n.template.json", `{}`)
	write("assembly-Member/manifest.json", `{"artifacts":{
  "MemberBaselineStack":{"type":"aws:cloudformation:stack","properties":{"templateFile":"b.template.json","stackName":"MemberBaseline-Stack"}}}}`)
	write("assembly-Member/b.template.json", `{"Description":"baseline"}`)

	got := map[string]string{}
	envs := map[string]string{}
	err := WalkStacks(dir, func(name string, art Artifact, tpl []byte) error {
		got[name] = string(tpl)
		envs[name] = art.Environment
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"m-detection-eu-west-1": `{"Resources":{}}`,
		"mnoname":               `{}`,
		"MemberBaseline-Stack":  `{"Description":"baseline"}`,
	}
	var names []string
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(got) != len(want) {
		t.Fatalf("stacks %q, want %d", names, len(want))
	}
	for n, w := range want {
		if got[n] != w {
			t.Errorf("%s: template %q, want %q", n, got[n], w)
		}
	}
	if envs["m-detection-eu-west-1"] != "aws://111111111111/eu-west-1" {
		t.Errorf("environment %q", envs["m-detection-eu-west-1"])
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const keyTemplate = `{"Resources":{
  "LogsKey":{"Type":"AWS::KMS::Key","DeletionPolicy":"Retain","UpdateReplacePolicy":"Retain"},
  "Bucket":{"Type":"AWS::S3::Bucket","DeletionPolicy":"Retain"},
  "Role":{"Type":"AWS::IAM::Role"}}}`

// The gate fails on a retained resource that is gone (removed, renamed or
// its stack removed) or changes type, and not on a stateless one.
func TestRetainedRemoved(t *testing.T) {
	old := map[string][]byte{"m-data": []byte(keyTemplate), "m-gone": []byte(keyTemplate)}
	fresh := map[string][]byte{"m-data": []byte(`{"Resources":{
  "LogsKeyRenamed":{"Type":"AWS::KMS::Key","DeletionPolicy":"Retain"},
  "Bucket":{"Type":"AWS::S3::AccessPoint","DeletionPolicy":"Retain"}}}`)}
	got := strings.Join(retainedRemoved("fx", old, fresh), "\n")
	for _, want := range []string{
		"fx/m-data/LogsKey (AWS::KMS::Key) removed or renamed",
		"fx/m-data/Bucket (AWS::S3::Bucket) replaced by a AWS::S3::AccessPoint",
		"fx/m-gone/LogsKey (AWS::KMS::Key) removed with its stack",
		"fx/m-gone/Bucket (AWS::S3::Bucket) removed with its stack",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Role") {
		t.Errorf("a resource that keeps no data is reported:\n%s", got)
	}
	if r := retainedRemoved("fx", old, old); len(r) != 0 {
		t.Errorf("unchanged templates reported: %q", r)
	}
}

func TestStatefulGate(t *testing.T) {
	if err := statefulGate(nil, false); err != nil {
		t.Errorf("no finding: %v", err)
	}
	findings := []string{"fx/m-data/LogsKey (AWS::KMS::Key) will be REPLACED"}
	err := statefulGate(findings, false)
	if err == nil || !strings.Contains(err.Error(), "1 stateful resource(s)") || !strings.Contains(err.Error(), "ACCEPT_STATEFUL=1") || !strings.Contains(err.Error(), "LogsKey") {
		t.Errorf("a stateful replacement must fail and say how to accept it: %v", err)
	}
	if err := statefulGate(findings, true); err != nil {
		t.Errorf("accepted: %v", err)
	}
}

// The CDK's wording wins; a resource is reported once.
func TestMergeFindings(t *testing.T) {
	got := mergeFindings(
		[]string{"fx/s/Key (AWS::KMS::Key) will be DESTROYED"},
		[]string{"fx/s/Key (AWS::KMS::Key) removed or renamed", "fx/s/Bucket (AWS::S3::Bucket) removed or renamed"})
	want := "fx/s/Key (AWS::KMS::Key) will be DESTROYED|fx/s/Bucket (AWS::S3::Bucket) removed or renamed"
	if strings.Join(got, "|") != want {
		t.Errorf("mergeFindings = %q, want %q", got, want)
	}
}

// A baseline holds exactly the current stacks: a removed stack's old file
// goes, so the next diff does not compare against it.
func TestWriteBaselineReplaces(t *testing.T) {
	dir := t.TempDir()
	if err := writeBaseline(dir, map[string][]byte{"a": []byte("{}"), "b": []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if err := writeBaseline(dir, map[string][]byte{"a": []byte(`{"Resources":{}}`)}); err != nil {
		t.Fatal(err)
	}
	got, err := readTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || string(got["a"]) != `{"Resources":{}}` {
		t.Errorf("baseline = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.template.json")); !os.IsNotExist(err) {
		t.Errorf("stale b.template.json left behind: %v", err)
	}
}

// compare pairs old and fresh templates by stack name: a stack on one side
// only has no path on the other, and either side's stateful types count.
func TestTemplateDiffCompare(t *testing.T) {
	oldDir, work := t.TempDir(), t.TempDir()
	for _, n := range []string{"m-data", "m-gone"} {
		if err := os.WriteFile(filepath.Join(oldDir, n+".template.json"), []byte(keyTemplate), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fresh := map[string][]byte{
		"m-data": []byte(keyTemplate),
		"m-new":  []byte(`{"Resources":{"Graph":{"Type":"AWS::Detective::Graph","DeletionPolicy":"Retain"}}}`),
	}
	d := &templateDiff{work: work, stateful: map[string]bool{}}
	if err := d.compare("fx", oldDir, fresh); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.pairs {
		got = append(got, p.Name+" old="+fmt.Sprint(p.Old != nil)+" new="+fmt.Sprint(p.New != nil))
	}
	want := []string{"fx/m-data old=true new=true", "fx/m-gone old=true new=false", "fx/m-new old=false new=true"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pairs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if data, err := os.ReadFile(*d.pairs[2].New); err != nil || string(data) != string(fresh["m-new"]) {
		t.Errorf("fresh template not written to work: %v", err)
	}
	for _, typ := range []string{"AWS::KMS::Key", "AWS::S3::Bucket", "AWS::Detective::Graph"} {
		if !d.stateful[typ] {
			t.Errorf("stateful type %s not collected", typ)
		}
	}
	if d.stateful["AWS::IAM::Role"] {
		t.Error("a type that keeps no data counts as stateful")
	}
	if len(d.removed) != 2 {
		t.Errorf("the removed stack's retained resources: %q", d.removed)
	}
}

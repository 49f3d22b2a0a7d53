package config

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestEveryFieldShown fails when a configuration field exists that no
// shipped example (config/examples, the embedded default) and no test
// fixture (config/testdata) sets: what a reviewer cannot see in an example
// or a test is a feature nobody has exercised. Map keys are any key (*),
// list items any item ([]).
func TestEveryFieldShown(t *testing.T) {
	files := []string{"default.yaml"}
	for _, pattern := range []string{"examples/*.yaml", "testdata/valid/*.yaml", "testdata/invalid/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	set := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
			continue // invalid YAML on purpose, or empty
		}
		markSet(set, doc.Content[0], reflect.TypeOf(Config{}), "")
	}
	var missing []string
	for _, p := range fieldPaths(reflect.TypeOf(Config{}), "") {
		if !set[p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		t.Errorf("no example or fixture sets these fields; show each in config/examples or config/testdata:\n  %s", strings.Join(missing, "\n  "))
	}
}

// yamlKey is a struct field's YAML key, or "" for a field YAML ignores.
func yamlKey(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if !f.IsExported() || name == "-" || name == "" {
		return ""
	}
	return name
}

// fieldPaths lists the path of every field below t.
func fieldPaths(t reflect.Type, path string) []string {
	switch t.Kind() {
	case reflect.Pointer:
		return fieldPaths(t.Elem(), path)
	case reflect.Slice:
		return fieldPaths(t.Elem(), path+"[]")
	case reflect.Map:
		return fieldPaths(t.Elem(), path+".*")
	case reflect.Struct:
		var out []string
		for i := range t.NumField() {
			key := yamlKey(t.Field(i))
			if key == "" {
				continue
			}
			p := strings.TrimPrefix(path+"."+key, ".")
			out = append(out, p)
			out = append(out, fieldPaths(t.Field(i).Type, p)...)
		}
		return out
	}
	return nil
}

// markSet records the path of every field n sets, walking the YAML and
// the Go type together.
func markSet(set map[string]bool, n *yaml.Node, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for _, item := range n.Content {
			markSet(set, item, t.Elem(), path+"[]")
		}
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			markSet(set, n.Content[i], t.Elem(), path+".*")
		}
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			j := slices.IndexFunc(reflect.VisibleFields(t), func(f reflect.StructField) bool { return yamlKey(f) == n.Content[i].Value })
			if j < 0 {
				continue
			}
			f := reflect.VisibleFields(t)[j]
			p := strings.TrimPrefix(path+"."+yamlKey(f), ".")
			set[p] = true
			markSet(set, n.Content[i+1], f.Type, p)
		}
	}
}

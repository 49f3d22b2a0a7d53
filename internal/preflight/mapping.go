package preflight

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// Template is a synthesized CloudFormation template, as far as imports need it.
type Template struct {
	Resources map[string]struct {
		Type     string
		Metadata struct {
			Path string `json:"aws:cdk:path"`
		}
	}
}

// Templates returns the synthesized template of a stack by its name.
type Templates func(stack string) (*Template, error)

// DirTemplates reads <dir>/<stack>.template.json, as `cdk synth` writes
// them into cdk.out and the snapshot tests into their fixture directories.
func DirTemplates(dir string) Templates {
	return func(stack string) (*Template, error) {
		data, err := os.ReadFile(filepath.Join(dir, stack+".template.json"))
		if err != nil {
			return nil, fmt.Errorf("%w (run `make synth` with the same config first)", err)
		}
		t := &Template{}
		if err := json.Unmarshal(data, t); err != nil {
			return nil, fmt.Errorf("%s: %w", stack, err)
		}
		return t, nil
	}
}

// LogicalID finds the resource of template stack whose construct path is
// path and checks that it has type typ.
func (t *Template) LogicalID(stack, path, typ string) (string, error) {
	want := stack + "/" + path
	for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
		res := t.Resources[id]
		if res.Metadata.Path != want {
			continue
		}
		if res.Type != typ {
			return "", fmt.Errorf("%s: %s is a %s, not a %s", stack, want, res.Type, typ)
		}
		return id, nil
	}
	return "", fmt.Errorf("%s: no resource at %s: is the service on in this config?", stack, want)
}

// Mapping is what `cdk import --resource-mapping` reads for one stack:
// {"<LogicalId>": {"<IdentifierProperty>": "<value>"}}; the CDK CLI imports
// one stack at a time.
type Mapping map[string]map[string]string

// Mappings resolves every import of r to its logical ID, by stack.
func Mappings(r *Report, templates Templates) (map[string]Mapping, error) {
	out := map[string]Mapping{}
	cache := map[string]*Template{}
	for _, f := range r.Findings {
		imp := f.Import
		if imp == nil {
			continue
		}
		t, ok := cache[imp.Stack]
		if !ok {
			var err error
			if t, err = templates(imp.Stack); err != nil {
				return nil, err
			}
			cache[imp.Stack] = t
		}
		id, err := t.LogicalID(imp.Stack, imp.Path, imp.Type)
		if err != nil {
			return nil, err
		}
		if out[imp.Stack] == nil {
			out[imp.Stack] = Mapping{}
		}
		out[imp.Stack][id] = map[string]string{imp.Property: imp.Value}
	}
	return out, nil
}

// WriteImports writes <dir>/<stack>.json for every stack that imports
// something and returns the files written, in stack order.
func WriteImports(r *Report, templates Templates, dir string) ([]string, error) {
	m, err := Mappings(r, templates)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	for _, stack := range slices.Sorted(maps.Keys(m)) {
		data, err := json.MarshalIndent(m[stack], "", "  ")
		if err != nil {
			return nil, err
		}
		name := filepath.Join(dir, stack+".json")
		if err := os.WriteFile(name, append(data, '\n'), 0o644); err != nil {
			return nil, err
		}
		files = append(files, name)
	}
	return files, nil
}

package config

import (
	"path/filepath"
	"sort"
	"strings"
)

// Example is a configuration the repository ships and reviews.
type Example struct {
	// Name is "default" for the embedded default, else the file's base
	// name without ".yaml".
	Name string
	// Path is the file; empty for the embedded default.
	Path   string
	Config *Config
}

// Examples loads the embedded default and every config/examples/*.yaml
// below the repository root, in name order: the configurations the
// snapshot tests, diagrams, cost tables and benchmarks cover.
func Examples(root string) ([]Example, error) {
	def, err := Default()
	if err != nil {
		return nil, err
	}
	out := []Example{{Name: "default", Config: def}}
	paths, err := filepath.Glob(filepath.Join(root, "config", "examples", "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	for _, p := range paths {
		cfg, err := Load(p)
		if err != nil {
			return nil, err
		}
		out = append(out, Example{Name: strings.TrimSuffix(filepath.Base(p), ".yaml"), Path: p, Config: cfg})
	}
	return out, nil
}

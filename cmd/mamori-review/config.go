package main

import (
	"fmt"
	"io"
	"os"

	"github.com/mamori-dev/mamori/config"
)

// runConfig prints the effective configuration: every value, defaults
// resolved, with where it came from (the file and its line, the profile's
// default, the built-in default, or derived from other settings).
func runConfig(args []string) error {
	fs := newFlags("config")
	cfgPath := fs.String("config", "", "config file (default: the embedded default)")
	fs.Parse(args)
	fx, err := loadFixture(*cfgPath)
	if err != nil {
		return err
	}
	name := fx.path
	if name == "" {
		name = "the embedded default (config/default.yaml)"
	}
	return printSettings(os.Stdout, name, fx.config)
}

// printSettings writes one line per value: path, value, origin.
func printSettings(w io.Writer, name string, c *config.Config) error {
	fmt.Fprintf(w, "# Effective configuration of %s (profile %s): every value, and where it came from.\n", name, c.Profile)
	fmt.Fprintf(w, "# A list or map written in the file replaces the default whole.\n\n")
	for _, s := range c.Settings() {
		if _, err := fmt.Fprintf(w, "%s: %s  # %s\n", s.Path, config.FormatValue(s.Value), s.Origin); err != nil {
			return err
		}
	}
	return nil
}

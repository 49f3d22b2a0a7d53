package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// newStaging creates an empty directory beside outdir (same file system, so
// that moving the assembly is a rename).
func newStaging(outdir string) (string, error) {
	abs, err := filepath.Abs(outdir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return "", err
	}
	return os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+"-staging-")
}

// synthesize synthesizes app (whose output directory is staging) and, only
// when that succeeds, moves the cloud assembly into outdir. The CDK reports
// a failed synth (a validation error, an unresolvable construct) as a
// panic through jsii; it comes back here as an error and outdir is left
// untouched.
func synthesize(app awscdk.App, staging, outdir string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	app.Synth(nil)
	return publish(staging, outdir)
}

// cliFile reports the files the CDK CLI keeps in the output directory while
// the app runs: its locks, the app's error file and performance counters.
func cliFile(name string) bool {
	return strings.HasSuffix(name, ".lock") || name == "error.txt" || name == "performance-counters.json"
}

// publish replaces the previous cloud assembly in outdir with the one in
// staging, leaving the CLI's own files alone.
func publish(staging, outdir string) error {
	if err := os.MkdirAll(outdir, 0o755); err != nil {
		return err
	}
	old, err := os.ReadDir(outdir)
	if err != nil {
		return err
	}
	for _, e := range old {
		if !cliFile(e.Name()) {
			if err := os.RemoveAll(filepath.Join(outdir, e.Name())); err != nil {
				return err
			}
		}
	}
	entries, err := os.ReadDir(staging)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(staging, e.Name()), filepath.Join(outdir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

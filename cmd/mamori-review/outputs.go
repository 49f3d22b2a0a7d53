package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori"
	"github.com/mamori-dev/mamori/internal/review"
)

// runSummary prints the synth summary and the cost in brief for a cloud
// assembly `cdk synth` wrote.
func runSummary(args []string) error {
	fs := newFlags("summary")
	assembly := fs.String("assembly", "cdk.out", "cloud assembly directory")
	cfgPath := fs.String("config", "", "the config the assembly was synthesized from (default: the embedded default)")
	fs.Parse(args)
	fx, err := loadFixture(*cfgPath)
	if err != nil {
		return err
	}
	a, err := review.LoadCloudAssembly(*assembly)
	if err != nil {
		return err
	}
	r, err := review.Build(a, review.Describe(fx.name, fx.config))
	if err != nil {
		return err
	}
	fmt.Printf("\nmamori %s\n%s\n%s\n", mamori.Version, r.Summary, r.Estimate.Short())
	return nil
}

// runCost prints the cost table of one configuration.
func runCost(args []string) error {
	fs := newFlags("cost")
	cfgPath := fs.String("config", "", "config file (default: the embedded default)")
	fs.Parse(args)
	defer jsii.Close()
	fx, err := loadFixture(*cfgPath)
	if err != nil {
		return err
	}
	r, dir, err := report(repoRoot(), fx)
	defer os.RemoveAll(dir)
	if err != nil {
		return err
	}
	fmt.Print(r.Cost)
	return nil
}

// runDiagrams writes a configuration's diagram source, cost table and
// summary under -out/<name>/ and renders the diagram to SVG and PNG with
// dot: the one -config names, or every shipped fixture.
func runDiagrams(args []string) error {
	fs := newFlags("diagrams")
	out := fs.String("out", "docs/review", "output directory")
	cfgPath := fs.String("config", "", "draw only this config file (default: every shipped fixture)")
	fs.Parse(args)
	dot, err := exec.LookPath("dot")
	if err != nil {
		return fmt.Errorf("Graphviz's dot is not on PATH: install it (Debian: apt-get install graphviz)")
	}
	defer jsii.Close()
	root := repoRoot()
	var fxs []fixture
	if *cfgPath != "" {
		fx, err := loadFixture(*cfgPath)
		if err != nil {
			return err
		}
		fxs = []fixture{fx}
	} else if fxs, err = fixtures(root); err != nil {
		return err
	}
	for _, fx := range fxs {
		r, dir, err := report(root, fx)
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
		d := filepath.Join(*out, fx.name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		for name, text := range map[string]string{"architecture.dot": r.DOT, "cost.md": r.Cost, "summary.txt": r.Summary} {
			if err := os.WriteFile(filepath.Join(d, name), []byte(text), 0o644); err != nil {
				return err
			}
		}
		src := filepath.Join(d, "architecture.dot")
		for _, format := range []string{"svg", "png"} {
			target := filepath.Join(d, "architecture."+format)
			cmd := exec.Command(dot, "-T"+format, "-Gdpi=96", src, "-o", target)
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("dot %s: %w", target, err)
			}
		}
		fmt.Printf("%s: %s\n", d, strings.Join([]string{"architecture.{dot,svg,png}", "cost.md", "summary.txt"}, ", "))
	}
	return nil
}

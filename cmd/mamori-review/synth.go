package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/review"
	"github.com/mamori-dev/mamori/stacks"
)

// fixture is one configuration the repository reviews: the embedded
// default and every example, as the snapshot tests name them.
type fixture struct {
	name   string
	path   string // empty for the embedded default
	config *config.Config
}

func fixtures(root string) ([]fixture, error) {
	examples, err := config.Examples(root)
	if err != nil {
		return nil, err
	}
	out := make([]fixture, len(examples))
	for i, e := range examples {
		out[i] = fixture{name: e.Name, path: e.Path, config: e.Config}
	}
	return out, nil
}

// loadFixture reads one config file; an empty path means what the app
// itself would read: MAMORI_CONFIG, else the embedded default.
func loadFixture(path string) (fixture, error) {
	if path == "" {
		path = os.Getenv("MAMORI_CONFIG")
	}
	if path == "" {
		cfg, err := config.Default()
		return fixture{name: "default", config: cfg}, err
	}
	cfg, err := config.Load(path)
	return fixture{name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), path: path, config: cfg}, err
}

// synthesize synthesizes a fixture in this process with cdk.json's context,
// as `cdk synth` and the snapshot tests do, into a new directory.
func synthesize(root string, fx fixture) (string, error) {
	ctx, err := cdktest.ReadContext(root)
	if err != nil {
		return "", err
	}
	outdir, err := os.MkdirTemp("", "mamori-review-"+fx.name+"-")
	if err != nil {
		return "", err
	}
	ctx["aws:cdk:enable-path-metadata"] = true
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(outdir), AnalyticsReporting: jsii.Bool(false)})
	stacks.NewApp(app, fx.config)
	app.Synth(nil)
	return outdir, nil
}

// report synthesizes a fixture and builds its review outputs.
func report(root string, fx fixture) (*review.Report, string, error) {
	dir, err := synthesize(root, fx)
	if err != nil {
		return nil, "", err
	}
	a, err := review.LoadCloudAssembly(dir)
	if err != nil {
		return nil, dir, fmt.Errorf("%s: %w", fx.name, err)
	}
	r, err := review.Build(a, review.Describe(fx.name, fx.config))
	return r, dir, err
}

func repoRoot() string {
	root, err := cdktest.RepoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mamori-review:", err)
		os.Exit(1)
	}
	return root
}

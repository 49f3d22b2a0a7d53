// Command app is mamori's CDK app: it loads one configuration, composes the
// stacks for it and synthesizes them. The config file comes from CDK context
// (`cdk synth -c config=path.yaml`) or the MAMORI_CONFIG environment variable;
// without either, the embedded default configuration is used.
//
// The cloud assembly is written to a staging directory beside the output
// directory and moved into it only when synthesis succeeds, so that a failed
// synth leaves cdk.out/ as the last good synth left it.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori"
	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/stacks"
)

func main() {
	os.Exit(run())
}

func run() int {
	defer jsii.Close()
	fmt.Fprintf(os.Stderr, "mamori %s\n", mamori.Version)
	outdir := outputDir()
	staging, err := newStaging(outdir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "mamori: %v\n", err)
		return 1
	}
	defer os.RemoveAll(staging)
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(staging)})
	cfg, err := load(app)
	if err != nil {
		// A configuration mistake is the user's to fix: say what and where,
		// synthesize nothing, and show no stack trace.
		fmt.Fprintf(os.Stderr, "mamori: invalid configuration:\n%v\n", err)
		return 1
	}
	a := stacks.NewApp(app, cfg)
	for _, note := range a.Notes {
		fmt.Fprintln(os.Stderr, "mamori: "+note)
	}
	// Organization mode deploys into several accounts in a set order: say
	// how, once there is something to deploy.
	plan := func() string { return stacks.FormatOrganizationPlan(cfg, configPath(app)) }
	if err := synthesizeThenPlan(app, staging, outdir, plan, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "mamori: synthesis failed, nothing was written to %s:\n%v\n", outdir, err)
		return 1
	}
	return 0
}

// synthesizeThenPlan synthesizes app into outdir and only then writes the
// deployment plan to w.
func synthesizeThenPlan(app awscdk.App, staging, outdir string, plan func() string, w io.Writer) error {
	if err := synthesize(app, staging, outdir); err != nil {
		return err
	}
	_, err := io.WriteString(w, plan())
	return err
}

// outputDir is where the CDK CLI reads the cloud assembly: it passes
// --output (default cdk.out) as CDK_OUTDIR.
func outputDir() string {
	if d := os.Getenv("CDK_OUTDIR"); d != "" {
		return d
	}
	return "cdk.out"
}

// load reads the configuration named by context or environment, or the default.
func load(app awscdk.App) (*config.Config, error) {
	path := configPath(app)
	if path == "" {
		return config.Default()
	}
	return config.Load(path)
}

// configPath is the config file named by context or environment; empty for
// the default.
func configPath(app awscdk.App) string {
	path := os.Getenv("MAMORI_CONFIG")
	if v, ok := app.Node().TryGetContext(jsii.String("config")).(string); ok && v != "" {
		path = v
	}
	return path
}

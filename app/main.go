// Command app is mamori's CDK app: it loads one configuration, composes the
// stacks for it and synthesizes them. The config file comes from CDK context
// (`cdk synth -c config=path.yaml`) or the MAMORI_CONFIG environment variable;
// without either, the embedded default configuration is used.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/stacks"
)

func main() {
	app := awscdk.NewApp(nil)
	cfg, err := load(app)
	if err != nil {
		// A configuration mistake is the user's to fix: say what and where,
		// synthesize nothing, and show no stack trace.
		fmt.Fprintf(os.Stderr, "mamori: invalid configuration:\n%v\n", err)
		os.Exit(1)
	}
	a := stacks.NewApp(app, cfg)
	for _, note := range a.Notes {
		fmt.Fprintln(os.Stderr, "mamori: "+note)
	}
	app.Synth(nil)
	// Organization mode deploys into several accounts in a set order: say how.
	fmt.Fprint(os.Stderr, stacks.FormatOrganizationPlan(cfg, configPath(app)))
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

// Package test holds mamori's whole-app tests: every example configuration is
// synthesized once per test binary, then its templates are compared with
// golden snapshots and checked by cdk-nag, cfn-guard and the stateful-resource
// rules.
package test

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/review"
	"github.com/mamori-dev/mamori/stacks"
	"github.com/mamori-dev/mamori/test/internal/golden"
)

// fixture is one configuration synthesized once and shared by every test.
type fixture struct {
	name   string
	config *config.Config
	// templates maps stack name to normalized template.
	templates map[string][]byte
	// messages maps stack name to the error and warning annotations cdk-nag
	// and the CDK recorded for it.
	messages map[string][]message
	// environments maps stack name to its manifest environment (aws://account/region).
	environments map[string]string
}

type message struct {
	Level, Path, Text string
}

var (
	repoRoot string
	fixtures []*fixture
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	jsii.Close()
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	var err error
	if repoRoot, err = cdktest.RepoRoot(); err != nil {
		return 0, err
	}
	if fixtures, err = synthesizeAll(); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

// synthesizeAll synthesizes the default configuration and every example.
func synthesizeAll() ([]*fixture, error) {
	ctx, err := cdktest.ReadContext(repoRoot)
	if err != nil {
		return nil, err
	}
	examples, err := config.Examples(repoRoot)
	if err != nil {
		return nil, err
	}
	var out []*fixture
	for _, e := range examples {
		out = append(out, &fixture{name: e.Name, config: e.Config})
	}
	for _, fx := range out {
		start := time.Now()
		if err := fx.synthesize(ctx); err != nil {
			return nil, fmt.Errorf("fixture %s: %w", fx.name, err)
		}
		// make test shows these lines while the synth runs (internal/testfmt).
		fmt.Printf("progress: synthesized %s (%d stacks, %.1fs)\n", fx.name, len(fx.templates), time.Since(start).Seconds())
	}
	return out, nil
}

func (fx *fixture) synthesize(ctx map[string]interface{}) error {
	outdir, err := os.MkdirTemp("", "mamori-"+fx.name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(outdir)
	// As `cdk synth` does: construct paths in resource metadata (a reviewer
	// maps each resource to its construct), no version-reporting resource.
	ctx["aws:cdk:enable-path-metadata"] = true
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(outdir), AnalyticsReporting: jsii.Bool(false)})
	stacks.NewApp(app, fx.config)
	asm := app.Synth(nil)

	fx.templates = map[string][]byte{}
	fx.messages = map[string][]message{}
	fx.environments = map[string]string{}
	return fx.readAssembly(*asm.Directory())
}

// readAssembly reads the stacks of one cloud assembly and of the assemblies
// nested in it (stages, such as organization mode's member baseline).
func (fx *fixture) readAssembly(dir string) error {
	// Stacks are known by their deployed names, as `make synth`'s summary
	// knows them.
	return review.WalkStacks(dir, func(id string, artifact review.Artifact, raw []byte) error {
		var err error
		if fx.templates[id], err = golden.Normalize(raw); err != nil {
			return err
		}
		fx.environments[id] = artifact.Environment
		for path, entries := range artifact.Metadata {
			for _, e := range entries {
				switch e.Type {
				case "aws:cdk:error", "aws:cdk:warning":
					text, _ := e.Data.(string)
					fx.messages[id] = append(fx.messages[id], message{Level: e.Type, Path: path, Text: text})
				}
			}
		}
		return nil
	})
}

// stackNames lists a fixture's stacks in a stable order.
func (fx *fixture) stackNames() []string {
	names := make([]string, 0, len(fx.templates))
	for n := range fx.templates {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// resources decodes one template's Resources section.
func (fx *fixture) resources(t *testing.T, stack string) map[string]resource {
	t.Helper()
	var tpl struct {
		Resources map[string]resource `json:"Resources"`
	}
	if err := json.Unmarshal(fx.templates[stack], &tpl); err != nil {
		t.Fatal(err)
	}
	return tpl.Resources
}

type resource struct {
	Type                string                 `json:"Type"`
	Properties          map[string]interface{} `json:"Properties"`
	DeletionPolicy      string                 `json:"DeletionPolicy"`
	UpdateReplacePolicy string                 `json:"UpdateReplacePolicy"`
	Metadata            map[string]interface{} `json:"Metadata"`
}

// eachResource calls fn for every resource of type typ in every fixture.
func eachResource(t *testing.T, typ string, fn func(fx *fixture, where string, r resource)) {
	t.Helper()
	for _, fx := range fixtures {
		for _, stack := range fx.stackNames() {
			for id, r := range fx.resources(t, stack) {
				if r.Type == typ {
					fn(fx, fx.name+"/"+stack+"/"+id, r)
				}
			}
		}
	}
}

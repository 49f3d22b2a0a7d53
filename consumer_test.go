package mamori_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mamori-dev/mamori"
)

// TestUseAsLibrary builds test/testdata/consumer, a module of its own that
// requires mamori (replaced by this checkout) as a user's module would,
// composes a data-protection key and topic with GuardDuty and Security Hub
// into its own stack, and synthesizes it. It needs the pinned Node.js on
// PATH, as every CDK test does.
func TestUseAsLibrary(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("needs Node.js on PATH: export PATH=$PWD/.tools/node_modules/.bin:$PATH")
	}
	outdir := t.TempDir()
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = filepath.Join("test", "testdata", "consumer")
	cmd.Env = append(os.Environ(), "CDK_OUTDIR="+outdir, "GOWORK=off", "GOFLAGS=-mod=readonly")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run in %s: %v\n%s", cmd.Dir, err, out)
	}
	if !strings.Contains(string(out), "synthesized with mamori "+mamori.Version) {
		t.Errorf("output does not name mamori %s:\n%s", mamori.Version, out)
	}
	raw, err := os.ReadFile(filepath.Join(outdir, "TeamSecurity.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Resources map[string]struct{ Type string }
	}
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range tpl.Resources {
		count[r.Type]++
	}
	for _, typ := range []string{"AWS::KMS::Key", "AWS::SNS::Topic", "AWS::GuardDuty::Detector", "AWS::SecurityHub::Hub", "AWS::SecurityHub::Standard"} {
		if count[typ] != 1 {
			t.Errorf("%s: %d in the consumer's template, want 1", typ, count[typ])
		}
	}
}

// The README's "Use as a library" section shows the consumer's code as it is.
func TestReadmeShowsConsumer(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join("test", "testdata", "consumer", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	// From the app to its synth: the lines a user copies.
	_, body, _ := strings.Cut(string(src), "app := awscdk.NewApp(nil)")
	body, _, _ = strings.Cut(body, "app.Synth(nil)")
	if strings.TrimSpace(body) == "" {
		t.Fatal("test/testdata/consumer/main.go no longer creates and synthesizes an app")
	}
	for _, line := range strings.Split(body, "\n") {
		if line = strings.TrimSpace(line); line != "" && line != "}" && !strings.Contains(string(readme), line) {
			t.Errorf("README.md does not show the consumer's line %q (test/testdata/consumer/main.go)", line)
		}
	}
}

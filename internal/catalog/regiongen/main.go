// Command regiongen writes internal/catalog/regions_gen.go: for every region
// mamori knows, the resource types of catalog.ResourceTypes that the region
// does not offer.
//
// The source is the one `cdk synth` itself consults: aws-cdk-lib validates
// every template against the CloudFormation resource schemas of the stack's
// region (the @aws/cloudformation-validate package bundled in aws-cdk-lib,
// rule F3006 "Resource type ... does not exist in <region>"). regiongen
// unpacks that package from the aws-cdk-lib tarball in the Go module cache,
// validates one template holding every resource type against each region,
// and records the F3006 findings. Run it with `go generate ./internal/catalog`
// after bumping aws-cdk-go or adding a region or a resource type; it needs
// Node.js on PATH (the Makefile puts the pinned one first).
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"go/format"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mamori-dev/mamori/internal/catalog"
)

const cdkModule = "github.com/aws/aws-cdk-go/awscdk/v2"

// validatePackage is where aws-cdk-lib's tarball keeps the validator.
const validatePackage = "package/node_modules/@aws/cloudformation-validate/"

func main() {
	src, err := generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "regiongen:", err)
		os.Exit(1)
	}
	// go generate runs in the package directory.
	if err := os.WriteFile("regions_gen.go", src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "regiongen:", err)
		os.Exit(1)
	}
}

// table is what the validator reports.
type table struct {
	// Library is the aws-cdk-lib tarball, Validator the validator's version.
	Library   string `json:"-"`
	Validator string `json:"version"`
	// Unavailable maps a region to the resource types it does not offer.
	Unavailable map[string][]string `json:"unavailable"`
}

// generate extracts the table and renders regions_gen.go.
func generate() ([]byte, error) {
	t, err := extract()
	if err != nil {
		return nil, err
	}
	return render(t)
}

// extract runs the CDK's CloudFormation validator over every known region.
func extract() (*table, error) {
	tgz, err := cdkTarball()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "regiongen")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := untar(tgz, validatePackage, dir); err != nil {
		return nil, err
	}
	var regions []string
	for _, r := range catalog.Regions {
		regions = append(regions, r.Name)
	}
	in, err := json.Marshal(map[string]any{"dir": dir, "regions": regions, "types": catalog.ResourceTypes})
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", "-e", probe)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node (needs Node.js on PATH: export PATH=$PWD/.tools/node_modules/.bin:$PATH): %v\n%s", err, stderr.String())
	}
	t := &table{Library: filepath.Base(tgz)}
	if err := json.Unmarshal(out, t); err != nil {
		return nil, fmt.Errorf("validator output: %v", err)
	}
	return t, nil
}

// probe validates a template of one resource of each type against each
// region and prints the types the validator says the region lacks.
const probe = `
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const v = require(input.dir);
const validator = new v.SchemaValidator();
const resources = {};
input.types.forEach((type, i) => { resources['R' + i] = { Type: type, Properties: {} }; });
const template = new v.TemplateContent(JSON.stringify({ Resources: resources }), 'probe.json');
const unavailable = {};
for (const region of input.regions) {
  const missing = validator.validate(template, region)
    .filter(d => d.ruleId === 'F3006' && d.entity && d.entity.resourceType)
    .map(d => d.entity.resourceType);
  if (missing.length > 0) unavailable[region] = [...new Set(missing)].sort();
}
validator.free();
process.stdout.write(JSON.stringify({ version: v.version(), unavailable }));
`

// cdkTarball finds the aws-cdk-lib tarball of the aws-cdk-go version go.mod pins.
func cdkTarball() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", cdkModule).Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %v", cdkModule, err)
	}
	matches, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "jsii", "aws-cdk-lib-*.tgz"))
	if len(matches) != 1 {
		return "", fmt.Errorf("want one aws-cdk-lib tarball in %s/jsii, found %d (run go mod download)", strings.TrimSpace(string(out)), len(matches))
	}
	return matches[0], nil
}

// untar writes the files under prefix in the gzipped tarball to dir.
func untar(tgz, prefix, dir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	found := false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name, ok := strings.CutPrefix(h.Name, prefix)
		if !ok || h.Typeflag != tar.TypeReg || name == "" || strings.Contains(name, "..") {
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, tr)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		found = true
	}
	if !found {
		return fmt.Errorf("%s holds no %s", tgz, prefix)
	}
	return nil
}

// render writes the table as Go source.
func render(t *table) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by regiongen from %s (@aws/cloudformation-validate %s); DO NOT EDIT.\n\n", t.Library, t.Validator)
	b.WriteString("package catalog\n\n")
	b.WriteString("// unavailable maps a region to the resource types of ResourceTypes that the\n")
	b.WriteString("// CloudFormation validator aws-cdk-lib runs at synth says the region does\n")
	b.WriteString("// not offer (rule F3006). Regions that offer every type have no row.\n")
	b.WriteString("var unavailable = map[string][]string{\n")
	regions := make([]string, 0, len(t.Unavailable))
	for r := range t.Unavailable {
		regions = append(regions, r)
	}
	slices.Sort(regions)
	for _, r := range regions {
		fmt.Fprintf(&b, "\t%q: {\n", r)
		for _, typ := range t.Unavailable[r] {
			fmt.Fprintf(&b, "\t\t%q,\n", typ)
		}
		b.WriteString("\t},\n")
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

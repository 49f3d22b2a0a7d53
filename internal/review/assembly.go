// Package review turns a synthesized mamori app (the cloud assembly's
// templates and manifest) into what a reviewer reads before deploying: an
// architecture diagram (Graphviz DOT), a cost estimate from a dated price
// table, and a summary of stacks, services, regions and what was skipped.
//
// It works on templates only, through a catalog that maps every
// CloudFormation resource type (and custom resource) to a service and a
// layer, so a new layer needs catalog entries, not new code; a type the
// catalog does not know is an error, never silently dropped.
package review

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Assembly is the synthesized app: its stacks and the CDK's warnings.
type Assembly struct {
	Stacks []*Stack
	// Warnings are the aws:cdk:warning annotations (cdk-nag's excluded),
	// by stack, as "path: text".
	Warnings map[string][]string
}

// Stack is one synthesized CloudFormation stack.
type Stack struct {
	Name string
	// Account is the target account, empty when the stack is
	// environment-agnostic in account (deployed to the credentials' account).
	Account string
	Region  string
	// Layer is the stack's mamori layer, from its resources' mamori:layer tag.
	Layer     Layer
	Resources map[string]*Resource
	Outputs   map[string]interface{}
}

// Resource is one resource of a template, with its service.
type Resource struct {
	Stack      *Stack
	ID         string
	Type       string
	Properties map[string]interface{}
	Service    Service
	Stateful   bool
}

// StackInput is one template and where it deploys.
type StackInput struct {
	Name     string
	Account  string
	Region   string
	Template []byte
}

// NewAssembly reads templates into an Assembly. It fails on any resource
// type the catalog does not map.
func NewAssembly(inputs []StackInput, warnings map[string][]string) (*Assembly, error) {
	a := &Assembly{Warnings: warnings}
	if a.Warnings == nil {
		a.Warnings = map[string][]string{}
	}
	var errs []string
	for _, in := range inputs {
		var tpl struct {
			Resources map[string]struct {
				Type           string                 `json:"Type"`
				Properties     map[string]interface{} `json:"Properties"`
				DeletionPolicy string                 `json:"DeletionPolicy"`
			} `json:"Resources"`
			Outputs map[string]interface{} `json:"Outputs"`
		}
		if err := json.Unmarshal(in.Template, &tpl); err != nil {
			return nil, fmt.Errorf("review: stack %s: %w", in.Name, err)
		}
		s := &Stack{Name: in.Name, Account: in.Account, Region: in.Region, Resources: map[string]*Resource{}, Outputs: tpl.Outputs}
		for id, r := range tpl.Resources {
			svc, err := ServiceOf(r.Type, r.Properties)
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s/%s: %v", in.Name, id, err))
				continue
			}
			s.Resources[id] = &Resource{Stack: s, ID: id, Type: r.Type, Properties: r.Properties, Service: svc,
				Stateful: r.DeletionPolicy == "Retain" || r.DeletionPolicy == "RetainExceptOnCreate" || r.DeletionPolicy == "Snapshot"}
			if s.Layer == "" {
				s.Layer = layerTag(r.Properties)
			}
		}
		if s.Layer == "" {
			s.Layer = layerFromName(in.Name)
		}
		a.Stacks = append(a.Stacks, s)
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("review: unmapped resources:\n  %s", strings.Join(errs, "\n  "))
	}
	sort.Slice(a.Stacks, func(i, j int) bool { return a.Stacks[i].Name < a.Stacks[j].Name })
	return a, nil
}

// Manifest is what review reads of a cloud assembly's manifest.json.
type Manifest struct {
	Artifacts map[string]Artifact `json:"artifacts"`
}

// Artifact is one artifact of the manifest; Metadata includes the entries
// of its additional metadata file, where the CDK writes annotations.
type Artifact struct {
	Type        string `json:"type"`
	Environment string `json:"environment"`
	Properties  struct {
		TemplateFile string `json:"templateFile"`
		StackName    string `json:"stackName"`
		// DirectoryName is a nested assembly's folder (a stage's), for
		// artifacts of type cdk:cloud-assembly.
		DirectoryName string `json:"directoryName"`
	} `json:"properties"`
	Metadata               map[string][]MetadataEntry `json:"metadata"`
	AdditionalMetadataFile string                     `json:"additionalMetadataFile"`
}

// MetadataEntry is one construct metadata entry (aws:cdk:warning, ...).
type MetadataEntry struct {
	Type string      `json:"type"`
	Data interface{} `json:"data"`
}

// ReadManifest reads dir/manifest.json and each stack's additional
// metadata file.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for id, art := range m.Artifacts {
		if art.AdditionalMetadataFile == "" {
			continue
		}
		more, err := os.ReadFile(filepath.Join(dir, art.AdditionalMetadataFile))
		if err != nil {
			return nil, err
		}
		var extra map[string][]MetadataEntry
		if err := json.Unmarshal(more, &extra); err != nil {
			return nil, fmt.Errorf("%s: %w", art.AdditionalMetadataFile, err)
		}
		if art.Metadata == nil {
			art.Metadata = map[string][]MetadataEntry{}
		}
		for p, entries := range extra {
			art.Metadata[p] = append(art.Metadata[p], entries...)
		}
		m.Artifacts[id] = art
	}
	return &m, nil
}

// LoadCloudAssembly reads a cdk.out directory: each stack's template,
// environment and warnings, those of nested assemblies (stages, such as
// organization mode's member baseline) included.
func LoadCloudAssembly(dir string) (*Assembly, error) {
	var inputs []StackInput
	warnings := map[string][]string{}
	if err := readStacks(dir, &inputs, warnings); err != nil {
		return nil, err
	}
	return NewAssembly(inputs, FilterWarnings(warnings))
}

func readStacks(dir string, inputs *[]StackInput, warnings map[string][]string) error {
	return WalkStacks(dir, func(name string, art Artifact, tpl []byte) error {
		account, region := ParseEnvironment(art.Environment)
		*inputs = append(*inputs, StackInput{Name: name, Account: account, Region: region, Template: tpl})
		for path, entries := range art.Metadata {
			for _, e := range entries {
				if text, ok := e.Data.(string); ok && e.Type == "aws:cdk:warning" {
					warnings[name] = append(warnings[name], path+": "+text)
				}
			}
		}
		return nil
	})
}

// WalkStacks calls fn with each stack of the cloud assembly in dir and of
// the assemblies nested in it (stages, such as organization mode's member
// baseline): its deployed name (a stage's stacks have other artifact IDs),
// its artifact and its template as synthesized.
func WalkStacks(dir string, fn func(name string, art Artifact, template []byte) error) error {
	m, err := ReadManifest(dir)
	if err != nil {
		return err
	}
	for id, art := range m.Artifacts {
		if art.Type == "cdk:cloud-assembly" {
			if err := WalkStacks(filepath.Join(dir, art.Properties.DirectoryName), fn); err != nil {
				return err
			}
			continue
		}
		if art.Type != "aws:cloudformation:stack" {
			continue
		}
		tpl, err := os.ReadFile(filepath.Join(dir, art.Properties.TemplateFile))
		if err != nil {
			return err
		}
		name := art.Properties.StackName
		if name == "" {
			name = id
		}
		if err := fn(name, art, tpl); err != nil {
			return err
		}
	}
	return nil
}

// ParseEnvironment splits a manifest environment, aws://account/region;
// CDK's unknown-account and unknown-region placeholders become empty.
func ParseEnvironment(env string) (account, region string) {
	rest := strings.TrimPrefix(env, "aws://")
	account, region, _ = strings.Cut(rest, "/")
	if account == "unknown-account" {
		account = ""
	}
	if region == "unknown-region" {
		region = ""
	}
	return account, region
}

// FilterWarnings keeps the CDK warnings a reviewer acts on: cdk-nag's
// findings are the policy tests' business, not the summary's.
func FilterWarnings(in map[string][]string) map[string][]string {
	out := map[string][]string{}
	for stack, ws := range in {
		for _, w := range ws {
			_, text, _ := strings.Cut(w, ": ")
			if nagFinding(text) {
				continue
			}
			// The CDK's "[ack: id]" tag is for acknowledgement in Go code,
			// which the reader of a config's summary does not write.
			out[stack] = append(out[stack], ackTag.ReplaceAllString(w, ""))
		}
		sort.Strings(out[stack])
	}
	return out
}

// ackTag is the suffix addWarningV2 gives a warning.
var ackTag = regexp.MustCompile(` \[ack: [^\]]+\]$`)

func nagFinding(text string) bool {
	for _, p := range []string{"AwsSolutions-", "NIST.800.53.R5-", "PCI.DSS.321-", "HIPAA.Security-"} {
		if strings.HasPrefix(text, "[") && strings.Contains(text, p) || strings.HasPrefix(text, p) {
			return true
		}
	}
	return false
}

func layerTag(props map[string]interface{}) Layer {
	switch tags := props["Tags"].(type) {
	case []interface{}:
		for _, t := range tags {
			m, _ := t.(map[string]interface{})
			if m["Key"] == "mamori:layer" {
				if v, ok := m["Value"].(string); ok {
					return normalizeLayer(v)
				}
			}
		}
	case map[string]interface{}:
		if v, ok := tags["mamori:layer"].(string); ok {
			return normalizeLayer(v)
		}
	}
	return ""
}

// normalizeLayer maps a mamori:layer tag or stack-name part to a Layer.
func normalizeLayer(v string) Layer {
	switch {
	case strings.Contains(v, "infra") || strings.Contains(v, "network") || strings.Contains(v, "firewall"):
		return LayerInfrastructure
	case strings.Contains(v, "data") || strings.Contains(v, "key"):
		return LayerData
	case strings.Contains(v, "detect"):
		return LayerDetection
	case strings.Contains(v, "respon"):
		return LayerResponse
	case strings.Contains(v, "complian") || strings.Contains(v, "audit"):
		return LayerCompliance
	case strings.Contains(v, "prevent"):
		return LayerPrevention
	}
	return Layer(v)
}

func layerFromName(name string) Layer {
	for _, l := range Layers {
		if strings.Contains(name, "-"+string(l)) {
			return l
		}
	}
	if strings.Contains(name, "key-replicas") {
		return LayerData
	}
	return normalizeLayer(name)
}

// LayerOf is where a resource's service is drawn: its own layer, or the
// stack's for services every layer uses.
func (r *Resource) LayerOf() Layer {
	if r.Service.Layer != "" {
		return r.Service.Layer
	}
	return r.Stack.Layer
}

// Regions lists the assembly's regions, sorted.
func (a *Assembly) Regions() []string {
	seen := map[string]bool{}
	for _, s := range a.Stacks {
		seen[s.Region] = true
	}
	return sortedKeys(seen)
}

// Accounts lists the assembly's accounts, sorted ("" is the deploying account).
func (a *Assembly) Accounts() []string {
	seen := map[string]bool{}
	for _, s := range a.Stacks {
		seen[s.Account] = true
	}
	return sortedKeys(seen)
}

// each calls fn for every resource, in stack then logical-ID order.
func (a *Assembly) each(fn func(r *Resource)) {
	for _, s := range a.Stacks {
		for _, id := range sortedKeys(s.Resources) {
			fn(s.Resources[id])
		}
	}
}

// stack finds a stack by name.
func (a *Assembly) stack(name string) *Stack {
	for _, s := range a.Stacks {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

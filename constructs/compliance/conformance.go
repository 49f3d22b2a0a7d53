package compliance

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsconfig"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
)

// MaxTemplateBody is the largest template CloudFormation accepts inline in
// a conformance pack (TemplateBody); larger ones go through S3 (TemplateS3Uri,
// up to 300 KB, in the pack's region).
// https://docs.aws.amazon.com/config/latest/APIReference/API_PutConformancePack.html
const MaxTemplateBody = 51200

// ConformancePackProps configures a ConformancePack.
type ConformancePackProps struct {
	// Name is the pack's name: a letter, then letters, digits and hyphens, at
	// most 256 characters. Required (CloudFormation requires it).
	Name string
	// Rules are the AWS managed rules in the pack, in order; at least one.
	Rules []ManagedRule
}

// ConformancePack is an AWS Config conformance pack of AWS managed rules,
// from a template this construct writes. A template over MaxTemplateBody
// bytes is uploaded as an S3 asset and referenced by URI.
type ConformancePack struct {
	Scope constructs.Construct
	Pack  awsconfig.CfnConformancePack
	// Template is the pack's template, as deployed.
	Template []byte
}

var packNamePattern = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]{0,255}$`)

// NewConformancePack creates a ConformancePack.
func NewConformancePack(scope constructs.Construct, id string, props *ConformancePackProps) *ConformancePack {
	bad := problems.Of("compliance.NewConformancePack", id)
	if props == nil || !packNamePattern.MatchString(props.Name) || len(props.Rules) == 0 {
		bad.Add("a Name (a letter, then letters, digits and hyphens) and at least one rule are required")
	}
	var template []byte
	if props != nil {
		var err error
		if template, err = packTemplate(props.Rules); err != nil {
			bad.Add("%v", err)
		}
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	cp := &awsconfig.CfnConformancePackProps{ConformancePackName: jsii.String(props.Name)}
	if len(template) <= MaxTemplateBody {
		cp.TemplateBody = jsii.String(string(template))
	} else {
		asset := awss3assets.NewAsset(this, jsii.String("Template"), &awss3assets.AssetProps{Path: jsii.String(writeTemplate(template))})
		cp.TemplateS3Uri = asset.S3ObjectUrl()
	}
	pack := awsconfig.NewCfnConformancePack(this, jsii.String("Resource"), cp)
	return &ConformancePack{Scope: this, Pack: pack, Template: template}
}

// packTemplate is the CloudFormation template of a pack of rules, in JSON
// (which is YAML too, as AWS Config asks): one AWS::Config::ConfigRule per
// rule, named by AWS Config when the pack deploys.
func packTemplate(rules []ManagedRule) ([]byte, error) {
	resources := map[string]interface{}{}
	for _, r := range rules {
		id := logicalID(r.Identifier)
		if _, dup := resources[id]; dup || id == "" {
			return nil, fmt.Errorf("rule %q is empty or listed twice", r.Identifier)
		}
		props := map[string]interface{}{"Source": map[string]string{"Owner": "AWS", "SourceIdentifier": r.Identifier}}
		if len(r.Parameters) > 0 {
			props["InputParameters"] = r.Parameters
		}
		resources[id] = map[string]interface{}{"Type": "AWS::Config::ConfigRule", "Properties": props}
	}
	// encoding/json sorts map keys: the same rules give the same bytes.
	return json.Marshal(map[string]interface{}{"Resources": resources})
}

// logicalID turns "ROOT_ACCOUNT_MFA_ENABLED" into "RootAccountMfaEnabled".
func logicalID(identifier string) string {
	var b strings.Builder
	for _, w := range strings.Split(strings.ToLower(identifier), "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// writeTemplate writes a template where the asset can stage it from, named
// by its content so that every synth of it is the same file.
func writeTemplate(template []byte) string {
	sum := sha256.Sum256(template)
	path := filepath.Join(os.TempDir(), "mamori-conformance-pack-"+hex.EncodeToString(sum[:8])+".json")
	if err := os.WriteFile(path, template, 0o644); err != nil {
		panic(fmt.Errorf("compliance.NewConformancePack: writing the template: %w", err))
	}
	return path
}

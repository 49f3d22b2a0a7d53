package test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/organization"
	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/stacks"
)

// CloudFormation's quotas per template, and the share of each that any
// example may use, so that a configuration a little larger than the
// examples still deploys.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
const (
	maxResources  = 500
	maxOutputs    = 200
	maxParameters = 200
	maxTemplateS3 = 1 << 20 // bytes, for a template uploaded to S3 (CDK always uploads)
	margin        = 0.8
)

// TestTemplateLimits: no stack of any example comes within 20% of a
// CloudFormation quota. Sizes are measured on the pretty-printed snapshot,
// which is larger than what CDK uploads.
func TestTemplateLimits(t *testing.T) {
	for _, fx := range fixtures {
		for _, stack := range fx.stackNames() {
			var tpl struct {
				Resources, Outputs, Parameters map[string]json.RawMessage
			}
			raw := fx.templates[stack]
			if err := json.Unmarshal(raw, &tpl); err != nil {
				t.Fatal(err)
			}
			check := func(what string, n, limit int) {
				if float64(n) > margin*float64(limit) {
					t.Errorf("%s/%s: %d %s, over %.0f%% of CloudFormation's %d", fx.name, stack, n, what, margin*100, limit)
				}
			}
			check("resources", len(tpl.Resources), maxResources)
			check("outputs", len(tpl.Outputs), maxOutputs)
			check("parameters", len(tpl.Parameters), maxParameters)
			check("template bytes", len(raw), maxTemplateS3)
		}
	}
}

// TestMemberTemplateFitsInline: the member baseline travels inside the
// StackSet resource (TemplateBody), whose limit is far smaller.
func TestMemberTemplateFitsInline(t *testing.T) {
	seen := false
	eachResource(t, "AWS::CloudFormation::StackSet", func(fx *fixture, where string, r resource) {
		seen = true
		body, _ := r.Properties["TemplateBody"].(string)
		if float64(len(body)) > margin*organization.MaxTemplateBody {
			t.Errorf("%s: member template is %d bytes, over %.0f%% of the %d-byte TemplateBody limit; move it to S3 (TemplateURL)",
				where, len(body), margin*100, organization.MaxTemplateBody)
		}
		var tpl struct {
			Resources  map[string]struct{ Type string }
			Parameters map[string]json.RawMessage
		}
		if err := json.Unmarshal([]byte(body), &tpl); err != nil {
			t.Fatalf("%s: TemplateBody is not JSON: %v", where, err)
		}
		// Member accounts have no CDK bootstrap: no asset parameters, no
		// bootstrap version check, no code from S3.
		if len(tpl.Parameters) > 0 {
			t.Errorf("%s: member template has parameters %v; StackSets pass none", where, tpl.Parameters)
		}
		if strings.Contains(body, "cdk-hnb659fds") || strings.Contains(body, "BootstrapVersion") {
			t.Errorf("%s: member template depends on the CDK bootstrap", where)
		}
	})
	if !seen {
		t.Error("no fixture has a member baseline StackSet; is the organization example gone?")
	}
}

// organizationStacks is the most templates organization mode synthesizes
// for r governed regions: per region the security-tooling account's
// data-protection, detection, response, infrastructure-protection and
// compliance stacks (the last two only where they have resources), the
// management account's delegated-admin stack and the security-tooling
// account's organization settings and Firewall Manager policies; once the
// trusted-access, log-archive, member-baseline and management-account
// compliance stacks, the member template and the CloudFront Firewall Manager
// policies. Member accounts appear nowhere.
func organizationStacks(r int) int { return 8*r + 6 }

// TestOrganizationTemplatesIndependentOfAccounts: the organization example's
// template count follows from its regions alone; the configuration has no
// list of member accounts, and no stack is made per OU.
func TestOrganizationTemplatesIndependentOfAccounts(t *testing.T) {
	for _, fx := range fixtures {
		if fx.config.Topology.Mode != config.ModeOrganization {
			continue
		}
		if got, most := len(fx.templates), organizationStacks(len(fx.config.Regions)); got > most {
			t.Errorf("%s: %d templates for %d regions, want at most %d: %v", fx.name, got, len(fx.config.Regions), most, fx.stackNames())
		}
	}
}

// TestOrganizationPlanMatchesDependencies: the printed plan lists every
// deployable stack once, and no stack waits for one in a later wave or later
// in its own wave, so following the plan never deploys a stack before what
// it needs.
func TestOrganizationPlanMatchesDependencies(t *testing.T) {
	for _, fx := range fixtures {
		plan := stacks.OrganizationPlan(fx.config)
		if fx.config.Topology.Mode != config.ModeOrganization {
			if plan != nil {
				t.Errorf("%s: standalone mode has a plan", fx.name)
			}
			continue
		}
		position := map[string]int{}
		for w, wave := range plan {
			for i, name := range wave.Stacks {
				if _, dup := position[name]; dup {
					t.Errorf("%s: %s is in the plan twice", fx.name, name)
				}
				position[name] = w*1000 + i
			}
		}
		ctx, err := cdktest.ReadContext(repoRoot)
		if err != nil {
			t.Fatal(err)
		}
		app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(t.TempDir())})
		stacks.NewApp(app, fx.config)
		count := 0
		for _, c := range *app.Node().Children() {
			if !*awscdk.Stack_IsStack(c) {
				continue
			}
			stack := c.(awscdk.Stack)
			count++
			name := *stack.StackName()
			at, ok := position[name]
			if !ok {
				t.Errorf("%s: stack %s is in no wave", fx.name, name)
				continue
			}
			for _, dep := range *stack.Dependencies() {
				if d, ok := position[*dep.StackName()]; !ok || d >= at {
					t.Errorf("%s: %s needs %s, which the plan deploys later", fx.name, name, *dep.StackName())
				}
			}
		}
		if count != len(position) {
			t.Errorf("%s: %d deployable stacks, %d in the plan", fx.name, count, len(position))
		}
	}
}

// BenchmarkOrganizationSynth synthesizes the organization example across
// one region, the example's regions, and every commercial region. The
// number of member accounts is not an input at all (StackSets reach them),
// so an organization of 1, 100 or 1,000 accounts synthesizes exactly this.
//
//	go test ./test -run '^$' -bench OrganizationSynth -benchtime 1x
func BenchmarkOrganizationSynth(b *testing.B) {
	ctx, err := cdktest.ReadContext(repoRoot)
	if err != nil {
		b.Fatal(err)
	}
	base, err := config.Load(filepath.Join(repoRoot, "config", "examples", "organization.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	all := config.PartitionRegions("aws")
	for _, regions := range [][]string{{base.HomeRegion}, base.Regions, all} {
		cfg := *base
		org := *base.Topology.Organization
		cfg.Topology.Organization = &org
		cfg.Regions = regions
		org.EnabledOptInRegions = nil
		for _, r := range regions {
			if config.OptInRegion(r) {
				org.EnabledOptInRegions = append(org.EnabledOptInRegions, r)
			}
		}
		if len(regions) == len(all) {
			// CloudFormation does not offer Macie sessions, Inspector CIS
			// scan configurations or Detective graphs and organization
			// administrators in a dozen of the newer regions (its own
			// validation refuses the templates): leave them out of this run.
			cfg.DataProtection.Macie.Enabled = false
			cfg.Detection.Inspector.CISScan.Enabled = false
			cfg.Response.Detective.Enabled = false
		}
		org.Deployment.RegionOrder = append([]string{cfg.HomeRegion}, slices.DeleteFunc(slices.Clone(regions), func(r string) bool { return r == cfg.HomeRegion })...)
		if err := cfg.Validate(); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("regions=%d", len(regions)), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				fx := &fixture{name: "bench", config: &cfg}
				if err := fx.synthesize(ctx); err != nil {
					b.Fatal(err)
				}
				if got, most := len(fx.templates), organizationStacks(len(regions)); got > most {
					b.Fatalf("%d templates, want at most %d", got, most)
				}
				b.ReportMetric(float64(len(fx.templates)), "templates")
			}
		})
	}
}

// BenchmarkStandaloneSynth is the production example in standalone mode,
// for comparison with BenchmarkOrganizationSynth.
func BenchmarkStandaloneSynth(b *testing.B) {
	ctx, err := cdktest.ReadContext(repoRoot)
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(repoRoot, "config", "examples", "production.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("regions=%d", len(cfg.Regions)), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			fx := &fixture{name: "bench", config: cfg}
			if err := fx.synthesize(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(fx.templates)), "templates")
		}
	})
}

// TestControlTowerLeavesConfigToIt: in OUs Control Tower governs, the member
// baseline creates no AWS Config recorder or delivery channel (an account
// holds one of each per region, and Control Tower's are already there), and
// keeps everything else.
func TestControlTowerLeavesConfigToIt(t *testing.T) {
	ctx, err := cdktest.ReadContext(repoRoot)
	require.NoError(t, err)
	cfg, err := config.Load(filepath.Join(repoRoot, "config", "examples", "organization.yaml"))
	require.NoError(t, err)
	org := *cfg.Topology.Organization
	org.ControlTower = true
	cfg.Topology.Organization = &org
	require.NoError(t, cfg.Validate())
	fx := &fixture{name: "control-tower", config: cfg}
	require.NoError(t, fx.synthesize(ctx))
	member := ""
	for _, name := range fx.stackNames() {
		if strings.HasPrefix(name, "MemberBaseline") {
			member = name
		}
	}
	require.NotEmpty(t, member, "no member baseline template")
	types := map[string]int{}
	for _, r := range fx.resources(t, member) {
		types[r.Type]++
	}
	assert.Zero(t, types["AWS::Config::ConfigurationRecorder"], "Control Tower's recorder is already there")
	assert.Zero(t, types["AWS::Config::DeliveryChannel"])
	assert.NotZero(t, types["Custom::EbsEncryptionByDefault"], "the rest of the baseline stays")
}

// statements calls fn for every statement of every identity policy (managed,
// inline, and a role's inline policies) of a stack.
func statements(t *testing.T, fx *fixture, stack string, fn func(where string, st map[string]interface{})) {
	t.Helper()
	for id, r := range fx.resources(t, stack) {
		var docs []interface{}
		switch r.Type {
		case "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy":
			docs = append(docs, r.Properties["PolicyDocument"])
		case "AWS::IAM::Role":
			for _, p := range asList(r.Properties["Policies"]) {
				docs = append(docs, p.(map[string]interface{})["PolicyDocument"])
			}
		}
		for _, d := range docs {
			doc, _ := d.(map[string]interface{})
			for _, st := range asList(doc["Statement"]) {
				fn(fx.name+"/"+stack+"/"+id, st.(map[string]interface{}))
			}
		}
	}
}

// stringList reads a policy element that is a string or a list of strings.
func stringList(v interface{}) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	var out []string
	for _, e := range asList(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// TestOrganizationWritesNameServicePrincipals: no mamori role may trust, or
// register a delegated administrator for, a service it does not name: each
// allow of these Organizations actions carries an organizations:ServicePrincipal
// condition with literal service principals (issue 12, defect 7).
func TestOrganizationWritesNameServicePrincipals(t *testing.T) {
	writes := []string{"organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator",
		"organizations:DisableAWSServiceAccess", "organizations:DeregisterDelegatedAdministrator"}
	checked := 0
	for _, fx := range fixtures {
		for _, stack := range fx.stackNames() {
			statements(t, fx, stack, func(where string, st map[string]interface{}) {
				if !slices.ContainsFunc(stringList(st["Action"]), func(a string) bool {
					return slices.Contains(writes, a) || strings.HasPrefix(a, "organizations:*") || a == "*"
				}) || st["Effect"] != "Allow" {
					return
				}
				checked++
				cond, _ := st["Condition"].(map[string]interface{})
				eq, _ := cond["StringEquals"].(map[string]interface{})
				principals := stringList(eq["organizations:ServicePrincipal"])
				assert.NotEmpty(t, principals, "%s: %v without an organizations:ServicePrincipal condition", where, st["Action"])
				for _, p := range principals {
					assert.Regexp(t, `^[a-z0-9.-]+\.amazonaws\.com$`, p, "%s: a literal service principal", where)
				}
			})
		}
	}
	assert.NotZero(t, checked, "no example grants Organizations writes: is organization mode still among the examples?")
}

// TestLogArchiveWritesRequireItsAccount: the log archive's bucket names are
// predictable (<prefix>-org-config-<account>-<region>), so every mamori
// grant on a bucket named after the log-archive account holds only while
// that account owns the bucket (s3:ResourceAccount; issue 12, defect 8).
func TestLogArchiveWritesRequireItsAccount(t *testing.T) {
	checked := 0
	for _, fx := range fixtures {
		o := fx.config.Topology.Organization
		if o == nil || o.LogArchiveAccountID == "" {
			continue
		}
		for _, stack := range fx.stackNames() {
			statements(t, fx, stack, func(where string, st map[string]interface{}) {
				if !slices.ContainsFunc(stringList(st["Action"]), func(a string) bool { return strings.HasPrefix(a, "s3:") }) {
					return
				}
				if !strings.Contains(jsonOf(st["Resource"]), fx.config.Prefix+"-org-") {
					return
				}
				checked++
				cond, _ := st["Condition"].(map[string]interface{})
				eq, _ := cond["StringEquals"].(map[string]interface{})
				assert.Equal(t, o.LogArchiveAccountID, eq["s3:ResourceAccount"], "%s: %v on the log archive by name", where, st["Action"])
			})
		}
	}
	assert.NotZero(t, checked, "no example writes to the log archive by name")
}

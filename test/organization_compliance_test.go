package test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/stacks"
	"github.com/mamori-dev/mamori/test/internal/golden"
)

// TestOrganizationTrail: in organization mode the one trail is an
// organization trail in the management account's home region, delivering
// to the log archive's evidence bucket under its key; the security-tooling
// account has no trail of its own, and the evidence bucket and key admit
// exactly that trail.
func TestOrganizationTrail(t *testing.T) {
	seen := false
	for _, fx := range fixtures {
		o := fx.config.Topology.Organization
		if fx.config.Topology.Mode != config.ModeOrganization || !fx.config.Compliance.Trail.Enabled {
			continue
		}
		seen = true
		home := fx.config.HomeRegion
		var trails []string
		for _, stack := range fx.stackNames() {
			for id, r := range fx.resources(t, stack) {
				if r.Type != "AWS::CloudTrail::Trail" {
					continue
				}
				trails = append(trails, stack)
				where := fx.name + "/" + stack + "/" + id
				assert.Equal(t, "aws://"+o.ManagementAccountID+"/"+home, fx.environments[stack], where)
				assert.Equal(t, true, r.Properties["IsOrganizationTrail"], where)
				assert.Equal(t, "arn:aws:kms:"+home+":"+o.LogArchiveAccountID+":alias/"+fx.config.Prefix+"/org-logs", r.Properties["KMSKeyId"], where)
				bucket, _ := r.Properties["S3BucketName"].(string)
				assert.True(t, strings.HasPrefix(bucket, fx.config.Prefix+"-org-evidence-"+o.LogArchiveAccountID), where)

				// The log archive's evidence bucket has that name, is locked, and
				// admits this trail for the organization's prefix only.
				archive := fx.config.Prefix + "-org-log-archive-" + home
				assert.Equal(t, "aws://"+o.LogArchiveAccountID+"/"+home, fx.environments[archive])
				found := false
				trailArn := "arn:aws:cloudtrail:" + home + ":" + o.ManagementAccountID + ":trail/" + r.Properties["TrailName"].(string)
				for _, ar := range fx.resources(t, archive) {
					switch {
					case ar.Type == "AWS::S3::Bucket" && ar.Properties["BucketName"] == bucket:
						found = true
						assert.Equal(t, true, ar.Properties["ObjectLockEnabled"], "evidence bucket is locked")
					case ar.Type == "AWS::S3::BucketPolicy" && strings.Contains(jsonOf(ar.Properties), "cloudtrail.amazonaws.com"):
						policy := jsonOf(ar.Properties)
						assert.Contains(t, policy, `/AWSLogs/`+o.OrganizationID+`/*`)
						assert.Contains(t, policy, trailArn)
						assert.Contains(t, policy, `"aws:SourceOrgID":"`+o.OrganizationID+`"`)
					case ar.Type == "AWS::KMS::Key" && strings.Contains(jsonOf(ar.Properties), "AllowOrganizationTrailEncrypt"):
						key := jsonOf(ar.Properties)
						assert.Contains(t, key, `"aws:SourceArn":"`+trailArn+`"`)
						assert.Contains(t, key, `"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:`+o.ManagementAccountID+`:trail/*"`)
					}
				}
				assert.True(t, found, "%s: no bucket %s in %s", where, bucket, archive)
			}
		}
		assert.Equal(t, []string{fx.config.Prefix + "-org-compliance-" + home}, trails, "%s: one trail, the organization's", fx.name)
	}
	if !seen {
		t.Error("no organization fixture with a trail; is the organization example gone?")
	}
}

// TestMemberBaselineSetsPasswordPolicy: every member account gets the
// configured password policy from its home-region stack instance.
func TestMemberBaselineSetsPasswordPolicy(t *testing.T) {
	for _, fx := range fixtures {
		if fx.config.Topology.Mode != config.ModeOrganization {
			continue
		}
		policies := 0
		eachResource(t, "AWS::CloudFormation::StackSet", func(f *fixture, where string, r resource) {
			if f != fx {
				return
			}
			body, _ := r.Properties["TemplateBody"].(string)
			policies += strings.Count(body, `"Type":"Custom::AccountPasswordPolicy"`)
			if fx.config.Compliance.PasswordPolicy.Enabled {
				assert.Contains(t, body, `\"MinimumPasswordLength\":`, where)
				assert.Contains(t, body, "iam:UpdateAccountPasswordPolicy", where)
			}
		})
		want := 0
		if fx.config.Compliance.PasswordPolicy.Enabled {
			want = 1
		}
		assert.Equal(t, want, policies, fx.name)
	}
}

// TestOrganizationAuditManager: with Audit Manager on in organization mode,
// the management account designates the security-tooling account in the
// home region, after trusted access for Audit Manager, and the
// security-tooling account's home compliance stack (its assessments) waits
// for that designation, in the plan as in the stack dependencies.
func TestOrganizationAuditManager(t *testing.T) {
	base, err := config.Load(filepath.Join(repoRoot, "config", "examples", "organization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := *base
	cfg.Compliance.AuditManager = config.AuditManager{Enabled: true, ProcessOwners: []string{"arn:aws:iam::222222222222:role/ComplianceOwners"}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, err := cdktest.ReadContext(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(t.TempDir())})
	a := stacks.NewApp(app, &cfg)
	home := cfg.HomeRegion
	admins := a.Organization.DelegatedAdmins[home].Stack
	cs := a.Compliance[home].Stack

	tpl := assertions.Template_FromStack(admins, nil)
	tpl.HasResourceProperties(jsii.String("Custom::AuditManagerDelegatedAdmin"), map[string]interface{}{"AdminAccountId": cfg.Topology.Organization.SecurityToolingAccountID})
	assertions.Template_FromStack(a.Organization.TrustedAccessStack, nil).HasResourceProperties(jsii.String("Custom::AWS"), map[string]interface{}{
		"Create": assertions.Match_StringLikeRegexp(jsii.String(`auditmanager\.amazonaws\.com`)),
	})
	var deps []string
	for _, d := range *cs.Dependencies() {
		deps = append(deps, *d.StackName())
	}
	assert.Contains(t, deps, *admins.StackName())
	// The assessments cover the target OUs' accounts, set at deploy time.
	ctpl := assertions.Template_FromStack(cs, nil)
	ctpl.ResourceCountIs(jsii.String("AWS::AuditManager::Assessment"), jsii.Number(float64(len(cfg.Compliance.Frameworks))))
	ctpl.HasResourceProperties(jsii.String("Custom::ExistingMembers"), map[string]interface{}{
		"Service": "auditmanager", "TargetOUs": cfg.Topology.Organization.TargetOrganizationalUnits,
		"Assessments": assertions.Match_AnyValue(),
	})

	// cdk-nag's packs find nothing in either stack.
	for _, s := range []awscdk.Stack{cs, admins} {
		assertions.Annotations_FromStack(s).HasNoError(jsii.String("*"), assertions.Match_AnyValue())
	}
	// No shipped example deploys the Audit Manager administrator handler:
	// both templates are goldens that test/handler-grants.test.mjs reads
	// beside the snapshots, to compare the handlers' calls with their grants.
	for _, s := range []awscdk.Stack{cs, admins} {
		raw, err := json.Marshal(assertions.Template_FromStack(s, nil).ToJSON())
		if err != nil {
			t.Fatal(err)
		}
		normalized, err := golden.Normalize(raw)
		if err != nil {
			t.Fatal(err)
		}
		golden.Compare(t, filepath.Join("testdata", "grants", "organization-auditmanager", *s.StackName()+".template.json"), normalized)
	}

	wave := map[string]int{}
	for i, w := range stacks.OrganizationPlan(&cfg) {
		for _, s := range w.Stacks {
			wave[s] = i
		}
	}
	at, ok := wave[*cs.StackName()]
	assert.True(t, ok, "the compliance stack is in the plan")
	assert.Greater(t, at, wave[*admins.StackName()], "the compliance stack deploys after the designation")
	for _, d := range deps {
		assert.Less(t, wave[d], at+1, "%s waits for %s", *cs.StackName(), d)
	}
}

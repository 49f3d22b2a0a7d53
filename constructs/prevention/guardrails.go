package prevention

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsorganizations"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

// GuardrailsProps configures Guardrails. Its zero value attaches every
// guardrail that needs no further input (baseline protection, organization
// hygiene, the EC2 declarative policy and the S3 policy); the region deny
// and the data perimeter need their regions and organization.
type GuardrailsProps struct {
	// Calls runs the policy-types call, in the management account. Required.
	Calls *sdkcall.Provider
	// Name starts every policy's name, e.g. "mamori". Required.
	Name string
	// Targets are the OUs, accounts or root the policies attach to. Required.
	Targets []string
	// Principals are the roles every SCP exempts. Principals.Prefix is required.
	Principals Principals
	// SkipBaselineProtection leaves out the baseline-protection statements.
	// Default: false: they are attached.
	SkipBaselineProtection bool
	// SkipOrganizationHygiene leaves out the organization-hygiene
	// statements. Default: false: they are attached.
	SkipOrganizationHygiene bool
	// AllowedRegions attaches the region deny, open in these regions.
	// Default: nil: no region deny.
	AllowedRegions []string
	// OrganizationID is the organization of the data perimeter; setting it
	// attaches the resource control policies. Default: "": no RCPs.
	OrganizationID string
	// ExceptionAccounts are accounts outside the organization the data
	// perimeter admits. Default: none.
	ExceptionAccounts []string
	// EC2 are the EC2 declarative policy's optional attributes. Default:
	// nil: the policy without them (EC2Attributes{}).
	EC2 *EC2Attributes
	// SkipEC2 attaches no EC2 declarative policy. Default: false.
	SkipEC2 bool
	// SkipS3BlockPublicAccess attaches no S3 policy. Default: false: it is
	// attached.
	SkipS3BlockPublicAccess bool
}

// Guardrails creates mamori's organization policies and attaches them to
// the targets, after enabling their policy types on the root. SCP and RCP
// statements are packed into as few documents as fit PackLimit characters
// each; more than MaxOwnPerTarget of either type is refused at synth, so a
// deployment never fails on Organizations' quota of five per target.
type Guardrails struct {
	Scope constructs.Construct
	// Types enables the policy types; every policy depends on it.
	Types *PolicyTypes
	// Policies are the policies created, in order.
	Policies []awsorganizations.CfnPolicy
	// SCPs and RCPs are the documents of each type, as attached.
	SCPs, RCPs []Document
}

// NewGuardrails creates Guardrails. It panics listing every invalid prop,
// and when the statements need more policies than fit on a target.
func NewGuardrails(scope constructs.Construct, id string, props *GuardrailsProps) *Guardrails {
	var p GuardrailsProps
	if props != nil {
		p = *props
	}
	bad := problems.Of("prevention.NewGuardrails", id)
	if p.Calls == nil || p.Name == "" || len(p.Targets) == 0 || p.Principals.Prefix == "" {
		bad.Add("Calls, Name, Targets and Principals.Prefix are required")
	}
	g := &Guardrails{}
	g.SCPs, g.RCPs = guardrailDocuments(p)
	for _, kind := range []struct {
		name string
		docs []Document
	}{{"service control", g.SCPs}, {"resource control", g.RCPs}} {
		if len(kind.docs) > MaxOwnPerTarget {
			bad.Add("the %s statements need %d policies; at most %d fit beside AWS's full-access policy and one of the organization's own on a target (quota %d)",
				kind.name, len(kind.docs), MaxOwnPerTarget, MaxAttachedPerTarget)
		}
	}
	var ec2 map[string]any
	if !p.SkipEC2 {
		attrs := EC2Attributes{}
		if p.EC2 != nil {
			attrs = *p.EC2
		}
		ec2 = DeclarativeEC2(attrs)
		if n := contentSize(ec2); n > MaxDeclarativePolicyChars {
			bad.Add("EC2 declarative policy of %d characters exceeds %d", n, MaxDeclarativePolicyChars)
		}
	}
	bad.Check()

	this := constructs.NewConstruct(scope, jsii.String(id))
	g.Scope = this
	types := g.policyTypes(p)
	if len(types) == 0 {
		return g
	}
	g.Types = NewPolicyTypes(this, "PolicyTypes", &PolicyTypesProps{Calls: p.Calls, Types: types})
	targets := slices.Clone(p.Targets)
	slices.Sort(targets)
	add := func(cid string, t PolicyType, name, description string, content any) {
		policy := awsorganizations.NewCfnPolicy(this, jsii.String(cid), &awsorganizations.CfnPolicyProps{
			Name: jsii.String(name), Description: jsii.String(description), Type: jsii.String(string(t)),
			// A JSON object, not a string, so that CloudFormation can detect drift.
			Content:   content,
			TargetIds: jsiix.Strs(targets),
		})
		policy.Node().AddDependency(g.Types.Resource)
		g.Policies = append(g.Policies, policy)
	}
	for i, d := range g.SCPs {
		n := strconv.Itoa(i + 1)
		add("ServiceControl"+n, ServiceControlPolicy, p.Name+"-guardrails-"+n,
			"mamori prevention: keeps the security baseline on and the account in the organization ("+sids(d)+")", object(d))
	}
	for i, d := range g.RCPs {
		n := strconv.Itoa(i + 1)
		add("ResourceControl"+n, ResourceControlPolicy, p.Name+"-data-perimeter-"+n,
			"mamori prevention: S3, KMS, STS, Secrets Manager and SQS only for the organization, over TLS", object(d))
	}
	if !p.SkipEC2 {
		add("EC2", DeclarativePolicyEC2, p.Name+"-ec2-baseline",
			"mamori prevention: no public AMIs or EBS snapshots, IMDSv2 by default, no EC2 serial console", ec2)
	}
	if !p.SkipS3BlockPublicAccess {
		add("S3", S3Policy, p.Name+"-s3-block-public-access", "mamori prevention: S3 Block Public Access on for every account", S3BlockPublicAccess())
	}
	return g
}

// guardrailDocuments packs the service control statements p asks for
// (baseline protection, organization hygiene, region deny) and the data
// perimeter's resource control statements into as few documents as fit.
func guardrailDocuments(p GuardrailsProps) (scps, rcps []Document) {
	var scp []Statement
	if !p.SkipBaselineProtection {
		scp = append(scp, BaselineProtection(p.Principals)...)
	}
	if !p.SkipOrganizationHygiene {
		scp = append(scp, OrganizationHygiene(p.Principals)...)
	}
	if len(p.AllowedRegions) > 0 {
		scp = append(scp, RegionDeny(p.Principals, p.AllowedRegions)...)
	}
	if len(scp) > 0 {
		scps = Pack(scp, PackLimit)
	}
	if p.OrganizationID != "" {
		rcps = Pack(DataPerimeter(p.OrganizationID, p.ExceptionAccounts), PackLimit)
	}
	return scps, rcps
}

// policyTypes are the policy types g's policies need enabled.
func (g *Guardrails) policyTypes(p GuardrailsProps) []PolicyType {
	var types []PolicyType
	if len(g.SCPs) > 0 {
		types = append(types, ServiceControlPolicy)
	}
	if len(g.RCPs) > 0 {
		types = append(types, ResourceControlPolicy)
	}
	if !p.SkipEC2 {
		types = append(types, DeclarativePolicyEC2)
	}
	if !p.SkipS3BlockPublicAccess {
		types = append(types, S3Policy)
	}
	return types
}

// sids lists a document's statement IDs, for its description (at most
// 512 characters in Organizations).
func sids(d Document) string {
	out := ""
	for i, s := range d.Statement {
		if i > 0 {
			out += ", "
		}
		out += s.Sid
	}
	if len(out) > 400 {
		out = out[:400] + "..."
	}
	return out
}

// object turns a document into the generic JSON value CloudFormation takes.
func object(d Document) map[string]any {
	var out map[string]any
	if err := json.Unmarshal([]byte(d.JSON()), &out); err != nil {
		panic(fmt.Errorf("prevention: policy document: %w", err))
	}
	return out
}

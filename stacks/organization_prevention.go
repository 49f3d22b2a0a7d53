package stacks

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/prevention"
)

// OrganizationPreventionStack is the prevention layer in the management
// account (home region): the organization policies attached to the
// targets, centralized root access and every account's alternate contacts.
type OrganizationPreventionStack struct {
	Stack      awscdk.Stack
	Guardrails *prevention.Guardrails
	// Contacts is nil unless alternate contacts are configured.
	Contacts *prevention.AlternateContacts
}

// s3PolicyCoversMembers says whether the S3 policy reaches every account
// the member baseline targets: then it sets Block Public Access and the
// accounts' own PutPublicAccessBlock calls are refused, so the member
// baseline leaves the setting to it.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_s3.html
func s3PolicyCoversMembers(cfg *config.Config) bool {
	p := cfg.Prevention
	o := cfg.Topology.Organization
	if !p.Enabled || !p.S3BlockPublicAccess || o == nil {
		return false
	}
	if slices.ContainsFunc(p.Targets, func(t string) bool { return len(t) > 2 && t[:2] == "r-" }) {
		return true
	}
	for _, ou := range o.TargetOrganizationalUnits {
		if !slices.Contains(p.Targets, ou) {
			return false
		}
	}
	return true
}

// contacts translates the configured alternate contacts, in a fixed order.
func contacts(a config.AlternateContacts) []prevention.Contact {
	var out []prevention.Contact
	for _, c := range []struct {
		t prevention.ContactType
		c *config.AlternateContact
	}{{prevention.SecurityContact, a.Security}, {prevention.OperationsContact, a.Operations}, {prevention.BillingContact, a.Billing}} {
		if c.c != nil {
			out = append(out, prevention.Contact{Type: c.t, Name: c.c.Name, Title: c.c.Title, Email: c.c.Email, Phone: c.c.Phone})
		}
	}
	return out
}

// newOrganizationPrevention adds the management account's prevention stack,
// deployed last: the baseline is in place before the policies lock it.
// Nil unless prevention.enabled.
func newOrganizationPrevention(app awscdk.App, cfg *config.Config, out *OrganizationStacks) *OrganizationPreventionStack {
	p := cfg.Prevention
	if !p.Enabled {
		return nil
	}
	o := cfg.Topology.Organization
	b := accountBase(cfg, cfg.HomeRegion, o.ManagementAccountID)
	stack := newStack(app, name(cfg, "org-prevention", cfg.HomeRegion), "prevention",
		"mamori organization: guardrail policies (SCPs, RCPs, EC2 declarative, S3), centralized root access and alternate contacts", b)
	calls := callsIn(stack, cfg, b, "org-prevention-call-logs")
	props := &prevention.GuardrailsProps{
		Calls: calls, Name: cfg.Prefix, Targets: p.Targets,
		Principals: prevention.Principals{
			Prefix: cfg.Prefix, BreakGlassRoles: p.BreakGlassRoles,
			// mamori's own `cdk deploy` targets; the management account is
			// outside SCPs anyway.
			CDKAccounts:  []string{o.SecurityToolingAccountID, o.LogArchiveAccountID},
			ControlTower: o.ControlTower,
		},
		SkipBaselineProtection:  !p.BaselineProtection,
		SkipOrganizationHygiene: !p.OrganizationHygiene,
		SkipEC2:                 !p.EC2.Enabled,
		SkipS3BlockPublicAccess: !p.S3BlockPublicAccess,
	}
	if p.RegionDeny.Enabled {
		props.AllowedRegions = p.RegionDeny.AllowedRegions
	}
	if p.ResourcePerimeter.Enabled {
		props.OrganizationID = o.OrganizationID
		props.ExceptionAccounts = p.ResourcePerimeter.ExceptionAccounts
	}
	if p.EC2.Enabled {
		props.EC2 = &prevention.EC2Attributes{VPCBlockPublicAccess: p.EC2.VPCBlockPublicAccess}
	}
	s := &OrganizationPreventionStack{Stack: stack, Guardrails: prevention.NewGuardrails(stack, "Guardrails", props)}
	if p.RootAccess {
		prevention.NewRootAccess(stack, "RootAccess", &prevention.RootAccessProps{Calls: calls})
	}
	if c := contacts(p.AlternateContacts); len(c) > 0 {
		s.Contacts = prevention.NewAlternateContacts(stack, "AlternateContacts", &prevention.AlternateContactsProps{Calls: calls, Contacts: c})
	}
	stack.AddStackDependency(out.TrustedAccessStack, jsii.String("centralized root access and other accounts' alternate contacts need trusted access for IAM and Account Management"))
	stack.AddStackDependency(out.MemberBaseline.Stack, jsii.String("the member baseline is in place before the guardrails lock it"))
	return s
}

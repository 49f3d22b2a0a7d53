package preflight

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// stackSetsPrincipal is the service principal of StackSets' trusted access.
// https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-cloudformation.html
const stackSetsPrincipal = "member.org.stacksets.cloudformation.amazonaws.com"

// organization checks the organization from its management account and
// returns the member accounts of the target OUs.
func (r *run) organization(ctx context.Context, c *Clients) []string {
	o := r.cfg.Topology.Organization
	mgmt := o.ManagementAccountID
	var desc *organizations.DescribeOrganizationOutput
	if err := r.retry.do(ctx, "OrganizationsAPI", "DescribeOrganization", func() (err error) {
		desc, err = c.Organizations.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		return err
	}); err != nil {
		r.fail("organization", mgmt, "global", err)
		return nil
	}
	org := desc.Organization
	f := Finding{Service: "organization", Account: mgmt, Region: "global", Status: StatusReady, Mamori: "deploys the organization stacks",
		Found: fmt.Sprintf("%s, feature set %s", aws.ToString(org.Id), org.FeatureSet)}
	switch {
	case aws.ToString(org.Id) != o.OrganizationID:
		f.Status, f.You = StatusAction, "topology.organization.organizationId says "+o.OrganizationID+": correct it"
	case aws.ToString(org.MasterAccountId) != mgmt:
		f.Status, f.You = StatusAction, "the management account is "+aws.ToString(org.MasterAccountId)+": correct topology.organization.managementAccountId"
	case org.FeatureSet != orgtypes.OrganizationFeatureSetAll:
		// Trusted access and delegated administrators need all features.
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_org_support-all-features.html
		f.Status, f.You = StatusAction, "enable all features in the organization"
	}
	r.add(f)

	r.trustedAccess(ctx, c)
	r.delegatedAdmins(ctx, c)
	r.policyTypes(ctx, c)
	return r.memberAccounts(ctx, c)
}

// trustedAccess reports which of mamori's services already have trusted
// access; the trusted-access stack enables the others.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAWSServiceAccessForOrganization.html
func (r *run) trustedAccess(ctx context.Context, c *Clients) {
	mgmt := r.cfg.Topology.Organization.ManagementAccountID
	var enabled []string
	if err := r.pages(ctx, "OrganizationsAPI", "ListAWSServiceAccessForOrganization", func(token *string) (*string, error) {
		out, err := c.Organizations.ListAWSServiceAccessForOrganization(ctx, &organizations.ListAWSServiceAccessForOrganizationInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, p := range out.EnabledServicePrincipals {
			enabled = append(enabled, aws.ToString(p.ServicePrincipal))
		}
		return out.NextToken, nil
	}); err != nil {
		r.fail("trusted-access", mgmt, "global", err)
		return
	}
	for _, p := range append(r.cfg.OrganizationServicePrincipals(), stackSetsPrincipal) {
		f := Finding{Service: "trusted-access", Account: mgmt, Region: "global", Found: p + ": not enabled", Mamori: "enables it", Status: StatusReady}
		if slices.Contains(enabled, p) {
			f.Found, f.Mamori = p+": enabled", "keeps it"
		}
		r.add(f)
	}
}

// delegatedAdmins checks that no account other than the security-tooling
// account is already the delegated administrator of a mamori service: each
// service takes one, and mamori would fail to register its own.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListDelegatedAdministrators.html
func (r *run) delegatedAdmins(ctx context.Context, c *Clients) {
	o := r.cfg.Topology.Organization
	for _, p := range r.cfg.DelegatedAdministratorPrincipals() {
		var admins []string
		if err := r.pages(ctx, "OrganizationsAPI", "ListDelegatedAdministrators", func(token *string) (*string, error) {
			out, err := c.Organizations.ListDelegatedAdministrators(ctx, &organizations.ListDelegatedAdministratorsInput{ServicePrincipal: aws.String(p), NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, a := range out.DelegatedAdministrators {
				admins = append(admins, aws.ToString(a.Id))
			}
			return out.NextToken, nil
		}); err != nil {
			r.fail("delegated-admin", o.ManagementAccountID, "global", err)
			return
		}
		f := Finding{Service: "delegated-admin", Account: o.ManagementAccountID, Region: "global", Status: StatusReady}
		others := slices.DeleteFunc(slices.Clone(admins), func(a string) bool { return a == o.SecurityToolingAccountID })
		switch {
		case len(admins) == 0:
			f.Found, f.Mamori = p+": none", "registers "+o.SecurityToolingAccountID
		case len(others) == 0:
			f.Found, f.Mamori = p+": "+o.SecurityToolingAccountID, "keeps it"
		default:
			f.Found, f.Mamori = p+": "+strings.Join(others, ", "), "fails to register "+o.SecurityToolingAccountID
			f.Status, f.You = StatusAction, "deregister "+strings.Join(others, ", ")+" as "+p+"'s delegated administrator (the service's own console or API first), or make it securityToolingAccountId"
		}
		r.add(f)
	}
}

// policyTypes reports the policy types enabled at the root. mamori attaches
// no organization policies, so none is required; the row tells whoever
// reviews the plan which guardrails already apply.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListRoots.html
func (r *run) policyTypes(ctx context.Context, c *Clients) {
	mgmt := r.cfg.Topology.Organization.ManagementAccountID
	var out *organizations.ListRootsOutput
	if err := r.retry.do(ctx, "OrganizationsAPI", "ListRoots", func() (err error) {
		out, err = c.Organizations.ListRoots(ctx, &organizations.ListRootsInput{})
		return err
	}); err != nil {
		r.fail("policy-types", mgmt, "global", err)
		return
	}
	var on []string
	for _, root := range out.Roots {
		for _, p := range root.PolicyTypes {
			if p.Status == orgtypes.PolicyTypeStatusEnabled {
				on = append(on, string(p.Type))
			}
		}
	}
	slices.Sort(on)
	r.add(Finding{Service: "policy-types", Account: mgmt, Region: "global", Found: "enabled: " + orNone(on), Mamori: "needs none", Status: StatusReady})
}

// memberAccounts lists the active accounts of the target OUs and the OUs
// below them (StackSets deploy to those too), or of the whole organization
// when the root is a target, less the security-tooling account (the member
// baseline leaves it out) and the management account (service-managed
// StackSets never deploy to it).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html
func (r *run) memberAccounts(ctx context.Context, c *Clients) []string {
	o := r.cfg.Topology.Organization
	seen := map[string]bool{}
	var out []string
	addAccount := func(a orgtypes.Account) {
		id := aws.ToString(a.Id)
		if a.Status == orgtypes.AccountStatusActive && id != o.SecurityToolingAccountID && id != o.ManagementAccountID && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	fail := func(err error) []string {
		r.fail("members", o.ManagementAccountID, "global", err)
		return nil
	}
	for _, target := range o.TargetOrganizationalUnits {
		if strings.HasPrefix(target, "r-") {
			if err := r.pages(ctx, "OrganizationsAPI", "ListAccounts", func(token *string) (*string, error) {
				page, err := c.Organizations.ListAccounts(ctx, &organizations.ListAccountsInput{NextToken: token})
				if err != nil {
					return nil, err
				}
				for _, a := range page.Accounts {
					addAccount(a)
				}
				return page.NextToken, nil
			}); err != nil {
				return fail(err)
			}
			continue
		}
		for queue := []string{target}; len(queue) > 0; queue = queue[1:] {
			parent := queue[0]
			if err := r.pages(ctx, "OrganizationsAPI", "ListAccountsForParent", func(token *string) (*string, error) {
				page, err := c.Organizations.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: aws.String(parent), NextToken: token})
				if err != nil {
					return nil, err
				}
				for _, a := range page.Accounts {
					addAccount(a)
				}
				return page.NextToken, nil
			}); err != nil {
				return fail(err)
			}
			if err := r.pages(ctx, "OrganizationsAPI", "ListOrganizationalUnitsForParent", func(token *string) (*string, error) {
				page, err := c.Organizations.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(parent), NextToken: token})
				if err != nil {
					return nil, err
				}
				for _, ou := range page.OrganizationalUnits {
					queue = append(queue, aws.ToString(ou.Id))
				}
				return page.NextToken, nil
			}); err != nil {
				return fail(err)
			}
		}
	}
	slices.Sort(out)
	return out
}

// members checks what the member baseline's StackSet creates in each member
// account: the AWS Config recorder (the one singleton it holds) in every
// governed region that does not exclude AWS Config, unless Control Tower
// provides it.
func (r *run) members(ctx context.Context, members []string) {
	if !r.cfg.Detection.Config.Enabled {
		return
	}
	for _, id := range members {
		t := target{ID: id, Role: "member"}
		r.accounts = append(r.accounts, t)
		for _, region := range r.cfg.Regions {
			if !r.cfg.Detection.Config.In(region) {
				continue // the baseline's recorder is left out there
			}
			c, err := r.s.For(ctx, id, region)
			if err != nil {
				r.add(Finding{Service: "access", Account: id, Region: region, Found: "?", Mamori: "-", Status: StatusUnknown,
					You: "preflight cannot reach the member account: " + err.Error()})
				break
			}
			r.check("config", t, region, func() error { return r.configRecorder(ctx, t, region, c, "", false) })
		}
	}
}

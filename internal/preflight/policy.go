package preflight

import (
	"encoding/json"
	"slices"

	"github.com/mamori-dev/mamori/config"
)

// DefaultRoleName is the role preflight assumes in the other accounts of an
// organization unless the config names another: AWS Organizations creates it
// in every account it creates.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html
const DefaultRoleName = "OrganizationAccountAccessRole"

// RoleName is the role preflight assumes in accounts other than the caller's.
func RoleName(cfg *config.Config) string {
	if o := cfg.Topology.Organization; o != nil && o.PreflightRoleName != "" {
		return o.PreflightRoleName
	}
	return DefaultRoleName
}

// Policy is the IAM policy preflight needs, generated from calls: every
// action it makes, all of them reads, and sts:AssumeRole on roleName in the
// other accounts. sts:GetCallerIdentity needs no permission.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
func Policy(roleName string) string {
	var actions []string
	for _, c := range calls {
		actions = append(actions, c.Action)
	}
	slices.Sort(actions)
	actions = slices.Compact(actions)
	type statement struct {
		Sid      string
		Effect   string
		Action   any
		Resource string
	}
	doc := struct {
		Version   string
		Statement []statement
	}{"2012-10-17", []statement{
		{"MamoriPreflightRead", "Allow", actions, "*"},
		{"MamoriPreflightOtherAccounts", "Allow", "sts:AssumeRole", "arn:aws:iam::*:role/" + roleName},
	}}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // a fixed struct of strings always marshals
	}
	return string(out)
}

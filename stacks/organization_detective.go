package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/organization"
)

// newOrganizationDetective designates the security-tooling account as the
// Detective administrator in every governed region (management account,
// after the account's own behavior graph exists: a designation would create
// one) and turns on auto-enable for the organization behavior graph there.
// Members join the graph only after 48 hours of GuardDuty; Detective retries
// by itself.
func newOrganizationDetective(cfg *config.Config, a *App, out *OrganizationStacks) {
	if !cfg.Response.Detective.Enabled {
		return
	}
	o := cfg.Topology.Organization
	for _, region := range cfg.Regions {
		if !cfg.Response.Detective.In(region) {
			continue
		}
		das := out.DelegatedAdmins[region]
		organization.NewDetectiveAdmin(das.Stack, "DetectiveAdmin", o.SecurityToolingAccountID, cfg.DestroyOnDelete)
		das.Stack.AddStackDependency(a.Response[region].Stack, jsii.String("the security-tooling account creates its own behavior graph before it becomes the Detective administrator"))

		s := out.Settings[region]
		if s.Calls == nil {
			s.Calls = sdkCalls(s.Stack, awskms.Key_FromKeyArn(s.Stack, jsii.String("LogsKey"), a.DataProtection[region].LogsKey.Key.KeyArn()), cfg.Logs, cfg.DestroyOnDelete)
		}
		organization.NewDetectiveOrganization(s.Stack, "Detective", &organization.DetectiveOrganizationProps{
			Calls: s.Calls, GraphArn: a.Response[region].Detective.Graph.AttrArn(),
		})
	}
}

package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/detection"
	"github.com/mamori-dev/mamori/constructs/organization"
)

// newExistingMembers turns Macie, Inspector and Detective on in the accounts already in
// the target OUs, from each region's organization settings stack, after the
// organization configuration: auto-enable reaches only accounts that join
// later. GuardDuty needs nothing: AutoEnableOrganizationMembers ALL covers
// existing accounts.
func newExistingMembers(cfg *config.Config, a *App, out *OrganizationStacks) {
	o := cfg.Topology.Organization
	in := cfg.Detection.Inspector
	for _, region := range cfg.Regions {
		s := out.Settings[region]
		detective := a.Response[region] != nil && a.Response[region].Detective != nil
		macie := cfg.DataProtection.Macie.In(region)
		if s.Calls == nil || (!macie && !in.In(region) && !detective) {
			continue
		}
		props := &organization.ExistingMembersProps{
			Calls: s.Calls, AdminAccountID: o.SecurityToolingAccountID, TargetOUs: o.TargetOrganizationalUnits,
			SkipMacie: !macie, SkipInspector: !in.In(region), SkipDetective: !detective, After: []constructs.IDependable{s.Settings.Scope},
		}
		if detective {
			props.DetectiveGraphArn = a.Response[region].Detective.Graph.AttrArn()
		}
		if in.In(region) {
			props.Inspector = &detection.ScanTypes{EC2: in.ScanTypes.EC2, ECR: in.ScanTypes.ECR, Lambda: in.ScanTypes.Lambda, LambdaCode: in.ScanTypes.LambdaCode}
		}
		organization.NewExistingMembers(s.Stack, "ExistingMembers", props)
	}
}

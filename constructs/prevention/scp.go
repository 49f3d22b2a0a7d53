package prevention

import (
	"slices"
)

// Principals names the roles every guardrail must leave alone: those that
// deploy and run the baseline, and the break-glass roles.
type Principals struct {
	// Prefix is mamori's prefix: its stacks, roles and key aliases start with it.
	Prefix string
	// CDKQualifier is the CDK bootstrap qualifier of mamori's deploy roles
	// (cdk-<qualifier>-*). Default: CDK's default, "hnb659fds".
	CDKQualifier string
	// CDKAccounts are the accounts mamori deploys into with `cdk deploy`
	// (in organization mode the security-tooling and log-archive
	// accounts): only there are the CDK bootstrap roles mamori's, exempt
	// and protected. Members' own CDK bootstrap roles are neither.
	// Default: none.
	CDKAccounts []string
	// ControlTower exempts AWSControlTowerExecution, the role through which
	// AWS Control Tower manages the AWS Config recorder and its other
	// resources in the accounts it governs. Default: false.
	ControlTower bool
	// BreakGlassRoles are role ARN patterns exempt from every guardrail.
	BreakGlassRoles []string
}

// Exempt are the aws:PrincipalArn patterns the guardrails exempt:
//   - stacksets-exec-*: the execution role service-managed StackSets create
//     in every target account ("Configure a custom execution role template
//     for StackSets", CloudFormation user guide); the member baseline deploys
//     through it. Its trust holds the management account's
//     AWSServiceRoleForCloudFormationStackSetsOrgMember-side service role,
//     and service-linked roles are outside SCPs anyway
//     (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
//   - cdk-<qualifier>-* in CDKAccounts: mamori's CDK deploy,
//     file-publishing and CloudFormation execution roles in the accounts
//     mamori deploys into with `cdk deploy` (security tooling, log archive).
//   - <prefix>-* and StackSet-<prefix>-*: the roles mamori's own stacks
//     create (CloudFormation names a role after its stack), which run
//     mamori's deploy-time API calls; BaselineProtection keeps anyone else
//     from creating or changing a role of those names.
//   - with ControlTower, AWSControlTowerExecution.
//   - the break-glass roles.
//
// Patterns use "*" for the partition and account so that one policy fits
// every account of the organization in every partition.
func (p Principals) Exempt() []string {
	q := p.CDKQualifier
	if q == "" {
		q = "hnb659fds"
	}
	out := []string{
		"arn:*:iam::*:role/stacksets-exec-*",
		"arn:*:iam::*:role/" + p.Prefix + "-*",
		"arn:*:iam::*:role/StackSet-" + p.Prefix + "-*",
	}
	for _, a := range p.CDKAccounts {
		out = append(out, "arn:*:iam::"+a+":role/cdk-"+q+"-*")
	}
	if p.ControlTower {
		// https://docs.aws.amazon.com/controltower/latest/userguide/enroll-account.html
		out = append(out, "arn:*:iam::*:role/AWSControlTowerExecution")
	}
	for _, r := range p.BreakGlassRoles {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// mamoriRoles are the role ARNs BaselineProtection keeps for mamori: the
// exempt ones but the break-glass roles (which their owners manage).
func (p Principals) mamoriRoles() []string {
	return p.Exempt()[:3+len(p.CDKAccounts)]
}

// deny is a Deny statement on resources for actions, for every principal
// but the exempt ones.
func deny(sid string, actions, resources, exempt []string) Statement {
	return Statement{Sid: sid, Effect: "Deny", Action: actions, Resource: resources, Condition: exemptUnless(exempt)}
}

// BaselineProtection is the SCP statements that keep what mamori deploys
// on: member principals may not disable, delete or reconfigure the security
// services, the account guards, mamori's keys (by alias or mamori:prefix
// tag), roles and stacks. Action names: the Service Authorization Reference
// of each service (https://docs.aws.amazon.com/service-authorization/latest/reference/).
func BaselineProtection(p Principals) []Statement {
	exempt := p.Exempt()
	all := []string{"*"}
	pre := p.Prefix
	// Statements with the same condition are merged (an action only ever
	// matches its own resource type, so one statement over the union of
	// actions and resources denies exactly what separate ones would): the
	// exemption list is the bulk of every statement.
	return []Statement{
		deny("ProtectSecurityServices", []string{
			// GuardDuty: detector, membership, publishing destination, malware plans.
			"guardduty:DeleteDetector", "guardduty:UpdateDetector", "guardduty:DisassociateFromMasterAccount",
			"guardduty:DisassociateFromAdministratorAccount", "guardduty:DeleteMembers", "guardduty:DisassociateMembers",
			"guardduty:StopMonitoringMembers", "guardduty:DeletePublishingDestination", "guardduty:UpdatePublishingDestination",
			"guardduty:DeleteMalwareProtectionPlan", "guardduty:UpdateMalwareProtectionPlan",
			// Security Hub CSPM and Security Hub: the hub, membership, standards.
			"securityhub:DisableSecurityHub", "securityhub:DisableSecurityHubV2", "securityhub:DisassociateFromMasterAccount",
			"securityhub:DisassociateFromAdministratorAccount", "securityhub:DeleteMembers", "securityhub:DisassociateMembers",
			"securityhub:BatchDisableStandards", "securityhub:UpdateStandardsControl", "securityhub:DisableImportFindingsForProduct",
			// AWS Config: recorder and delivery channel.
			"config:DeleteConfigurationRecorder", "config:StopConfigurationRecorder", "config:PutConfigurationRecorder",
			"config:DeleteDeliveryChannel", "config:PutDeliveryChannel", "config:DeleteRetentionConfiguration",
			// Macie, Inspector, Detective, IAM Access Analyzer.
			"macie2:DisableMacie", "macie2:UpdateMacieSession", "macie2:DisassociateFromAdministratorAccount",
			"macie2:DisassociateFromMasterAccount", "inspector2:Disable", "inspector2:DisassociateMember",
			"detective:DisassociateMembership", "detective:DeleteGraph", "detective:DeleteMembers", "access-analyzer:DeleteAnalyzer",
			// The account guards: EBS encryption by default, S3 Block Public Access.
			"ec2:DisableEbsEncryptionByDefault", "s3:PutAccountPublicAccessBlock",
		}, all, exempt),
		deny("ProtectMamoriResources", []string{
			"config:DeleteConformancePack", "config:PutConformancePack",
			"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
			"iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy",
			"iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary",
			"iam:DeleteRolePermissionsBoundary", "iam:TagRole", "iam:UntagRole",
			"cloudformation:DeleteStack", "cloudformation:UpdateStack", "cloudformation:CreateChangeSet",
			"cloudformation:ExecuteChangeSet", "cloudformation:SetStackPolicy", "cloudformation:UpdateTerminationProtection",
		}, append([]string{
			"arn:*:config:*:*:conformance-pack/" + pre + "-*",
			"arn:*:cloudtrail:*:*:trail/" + pre + "-*",
			"arn:*:cloudformation:*:*:stack/StackSet-" + pre + "-*/*",
			"arn:*:cloudformation:*:*:stack/" + pre + "-*/*",
		}, p.mamoriRoles()...), exempt),
		{
			Sid: "ProtectKeys", Effect: "Deny", Resource: all,
			Action: []string{"kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKeyRotation", "kms:DeleteAlias", "kms:UpdateAlias"},
			// kms:ResourceAliases is multivalued: any of the key's aliases.
			// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
			Condition: withCondition(exemptUnless(exempt), map[string]any{
				"ForAnyValue:StringLike": map[string]any{"kms:ResourceAliases": "alias/" + pre + "/*"},
			}),
		},
		{
			Sid: "ProtectTaggedKeys", Effect: "Deny", Resource: all,
			Action: []string{"kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKeyRotation"},
			Condition: withCondition(exemptUnless(exempt), map[string]any{
				"StringEquals": map[string]any{"aws:ResourceTag/mamori:prefix": pre},
			}),
		},
	}
}

// rootTaskActions are the actions of the privileged root tasks a root
// session launched from the management account (sts:AssumeRoot) may run
// under centralized root access: auditing, deleting and recovering root
// credentials, and unlocking an S3 bucket or SQS queue whose policy denies
// everyone (the task policies IAMAuditRootUserCredentials,
// IAMDeleteRootUserCredentials, IAMCreateRootUserPassword,
// S3UnlockBucketPolicy, SQSUnlockQueuePolicy).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html
var rootTaskActions = []string{
	"iam:GetUser", "iam:GetAccessKeyLastUsed", "iam:ListAccessKeys", "iam:DeleteAccessKey", "iam:ListSigningCertificates",
	"iam:DeleteSigningCertificate", "iam:ListMFADevices", "iam:DeactivateMFADevice", "iam:GetLoginProfile",
	"iam:CreateLoginProfile", "iam:DeleteLoginProfile", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy",
	"sqs:GetQueueAttributes", "sqs:SetQueueAttributes",
}

// OrganizationHygiene is the SCP statements that keep accounts in the
// organization and under its control: no leaving, no root user but for the
// privileged root tasks, no region opt-in or opt-out, no alternate-contact
// changes from inside the account (the management account sets them).
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
// https://docs.aws.amazon.com/accounts/latest/reference/security_iam_permissions-table.html
func OrganizationHygiene(p Principals) []Statement {
	exempt := p.Exempt()
	return []Statement{
		{
			Sid: "DenyRootUser", Effect: "Deny", NotAction: rootTaskActions, Resource: []string{"*"},
			Condition: map[string]any{"ArnLike": map[string]any{"aws:PrincipalArn": "arn:*:iam::*:root"}},
		},
		deny("DenyLeavingAndAccountSettings", []string{
			"organizations:LeaveOrganization", "account:EnableRegion", "account:DisableRegion", "account:PutAlternateContact", "account:DeleteAlternateContact",
		}, []string{"*"}, exempt),
	}
}

// GlobalServiceActions are the actions a region deny must leave open in
// every region: the NotAction list of AWS Control Tower's landing zone
// Region deny control (GRREGIONDENY), the list AWS documents for global
// services whose endpoints live in one region.
// https://docs.aws.amazon.com/controltower/latest/controlreference/primary-region-deny-policy.html
var GlobalServiceActions = []string{
	"a4b:*", "access-analyzer:*", "account:*", "acm:*", "activate:*", "artifact:*", "aws-marketplace-management:*",
	"aws-marketplace:*", "aws-portal:*", "billing:*", "billingconductor:*", "budgets:*", "ce:*", "chatbot:*", "chime:*",
	"cloudfront:*", "cloudtrail:LookupEvents", "compute-optimizer:*", "config:*", "consoleapp:*", "consolidatedbilling:*",
	"cur:*", "datapipeline:GetAccountLimits", "devicefarm:*", "directconnect:*", "ec2:DescribeRegions",
	"ec2:DescribeTransitGateways", "ec2:DescribeVpnGateways", "ecr-public:*", "fms:*", "freetier:*", "globalaccelerator:*",
	"health:*", "iam:*", "importexport:*", "invoicing:*", "iq:*", "kms:*", "license-manager:ListReceivedLicenses",
	"lightsail:Get*", "mobileanalytics:*", "networkmanager:*", "notifications-contacts:*", "notifications:*",
	"organizations:*", "payments:*", "pricing:*", "quicksight:DescribeAccountSubscription", "resource-explorer-2:*",
	"route53-recovery-cluster:*", "route53-recovery-control-config:*", "route53-recovery-readiness:*", "route53:*",
	"route53domains:*", "s3:CreateMultiRegionAccessPoint", "s3:DeleteMultiRegionAccessPoint",
	"s3:DescribeMultiRegionAccessPointOperation", "s3:GetAccountPublicAccessBlock", "s3:GetBucketLocation",
	"s3:GetBucketPolicyStatus", "s3:GetBucketPublicAccessBlock", "s3:GetMultiRegionAccessPoint",
	"s3:GetMultiRegionAccessPointPolicy", "s3:GetMultiRegionAccessPointPolicyStatus", "s3:GetStorageLensConfiguration",
	"s3:GetStorageLensDashboard", "s3:ListAllMyBuckets", "s3:ListMultiRegionAccessPoints",
	"s3:ListStorageLensConfigurations", "s3:PutAccountPublicAccessBlock", "s3:PutMultiRegionAccessPointPolicy",
	"savingsplans:*", "shield:*", "sso:*", "sts:*", "support:*", "supportapp:*", "supportplans:*", "sustainability:*",
	"tag:GetResources", "tax:*", "trustedadvisor:*", "vendor-insights:ListEntitledSecurityProfiles", "waf-regional:*",
	"waf:*", "wafv2:*",
}

// RegionDeny is the SCP statement that refuses every action outside the
// allowed regions (aws:RequestedRegion) but the global services'.
func RegionDeny(p Principals, allowed []string) []Statement {
	return []Statement{{
		Sid: "DenyOutsideAllowedRegions", Effect: "Deny", NotAction: GlobalServiceActions, Resource: []string{"*"},
		Condition: withCondition(exemptUnless(p.Exempt()), map[string]any{
			"StringNotEquals": map[string]any{"aws:RequestedRegion": allowed},
		}),
	}}
}

package stacks

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsauditmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/compliance"
	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/organization"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// OrganizationComplianceStack is the compliance layer's part in the
// management account (home region): the organization trail, which the
// management account owns whichever account creates it, with its
// CloudWatch Logs group and CIS alarms (a trail's log group must be in the
// trail's own account); CloudTrail's delegated administrator; and the
// management account's own IAM password policy (StackSets never deploy the
// member baseline into the management account).
type OrganizationComplianceStack struct {
	Stack awscdk.Stack
	// Trail is the organization trail; nil when compliance.trail is off.
	Trail *compliance.Trail
	Calls *sdkcall.Provider
}

// accountCompliance is the compliance layer of the account NewApp's own
// stacks deploy into. In organization mode that is the security-tooling
// account, which the organization trail records: it gets no trail of its own.
func accountCompliance(cfg *config.Config) config.Compliance {
	c := cfg.Compliance
	if cfg.Topology.Mode == config.ModeOrganization {
		c.Trail.Enabled = false
	}
	return c
}

// regionCompliance is accountCompliance in region: no conformance packs
// where AWS Config is excluded, because their rules need its recorder.
func regionCompliance(cfg *config.Config, region string) config.Compliance {
	c := accountCompliance(cfg)
	if !cfg.Detection.Config.In(region) {
		c.ConformancePacks.Enabled = false
	}
	return c
}

// organizationTrail names the organization trail for cfg.
func organizationTrail(cfg *config.Config) organization.OrganizationTrail {
	return organization.OrganizationTrail{
		ManagementAccountID: cfg.Topology.Organization.ManagementAccountID, Region: cfg.HomeRegion, Name: trailName(cfg.Prefix),
	}
}

// evidenceBucketName is the log-archive evidence bucket, which the
// management account's trail names: it cannot be generated.
func evidenceBucketName(cfg *config.Config) string {
	o := cfg.Topology.Organization
	return cfg.Prefix + "-org-evidence-" + o.LogArchiveAccountID + "-" + cfg.HomeRegion
}

// cloudTrailPrincipal is CloudTrail's service principal: trusted access and
// the delegated administrator's registration are for it.
const cloudTrailPrincipal = "cloudtrail.amazonaws.com"

// orgComplianceInHome says whether the management account gets an
// organization compliance stack.
func orgComplianceInHome(cfg *config.Config) bool {
	return cfg.Compliance.Trail.Enabled || cfg.Compliance.PasswordPolicy.Enabled
}

// newOrganizationCompliance adds the management account's compliance stack
// and grants the organization trail the log archive's evidence bucket.
func newOrganizationCompliance(app awscdk.App, cfg *config.Config, out *OrganizationStacks) *OrganizationComplianceStack {
	if cfg.Compliance.AuditManager.Enabled {
		// Beside the home region's other designations; the security-tooling
		// account's compliance stack, whose assessments need it, waits
		// (orgComplianceAfter).
		das := out.DelegatedAdmins[cfg.HomeRegion]
		organization.NewAuditManagerAdmin(das.Stack, "AuditManagerAdmin", &organization.AuditManagerAdminProps{
			Calls: das.Calls, AdminAccountID: cfg.Topology.Organization.SecurityToolingAccountID,
		})
	}
	if !orgComplianceInHome(cfg) {
		return nil
	}
	b := accountBase(cfg, cfg.HomeRegion, cfg.Topology.Organization.ManagementAccountID)
	stack := newStack(app, name(cfg, "org-compliance", cfg.HomeRegion), "compliance",
		"mamori organization: the organization trail, its CIS alarms, CloudTrail's delegated administrator and the management account's password policy", b)
	s := &OrganizationComplianceStack{Stack: stack}
	key := newOrgComplianceKey(stack, cfg)
	s.Calls = sdkCalls(stack, key, cfg.Logs, cfg.DestroyOnDelete)
	if cfg.Compliance.Trail.Enabled {
		s.newOrganizationTrail(cfg, out, key)
	}
	if pp := cfg.Compliance.PasswordPolicy; pp.Enabled {
		props := passwordPolicyProps(pp)
		props.Calls = s.Calls
		compliance.NewPasswordPolicy(stack, "PasswordPolicy", &props)
	}
	stack.AddStackDependency(out.TrustedAccessStack, jsii.String("an organization trail and CloudTrail's delegated administrator need trusted access for CloudTrail"))
	return s
}

// newOrgComplianceKey creates the management account's key for the trail's
// log group, its alarm topic and the API calls' log group.
func newOrgComplianceKey(stack awscdk.Stack, cfg *config.Config) awskms.IKey {
	services := []dataprotection.ServiceAccess{{
		Service: "logs." + cfg.HomeRegion + ".amazonaws.com",
		Actions: []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
		// The trail's log group and the calls' log group.
		LogGroupArns: []string{*stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("logs"), Resource: jsii.String("log-group"), ResourceName: jsii.String("*"),
			ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})},
	}}
	if cisAlarms(cfg.Compliance, true) {
		services = append(services, compliance.CloudWatchKeyAccess(stack))
	}
	props := dataprotection.KeyProps{
		Alias:          "alias/" + cfg.Prefix + "/org-compliance",
		Description:    "Encrypts the organization trail's CloudWatch Logs group, its alarm topic and mamori's API-call logs in the management account",
		Administrators: principals(cfg.DataProtection.Keys.Administrators),
		Services:       services,
	}
	props.RotationPeriod, props.PendingWindow, props.DestroyOnDelete = keyLifecycle(cfg.DataProtection.Keys, cfg.DestroyOnDelete)
	return dataprotection.NewKey(stack, "LogsKey", &props).Key
}

// newOrganizationTrail creates the organization trail, delivering to the
// log archive's evidence bucket, with its CIS alarms, and registers
// CloudTrail's delegated administrator.
func (s *OrganizationComplianceStack) newOrganizationTrail(cfg *config.Config, out *OrganizationStacks, key awskms.IKey) {
	stack := s.Stack
	o := cfg.Topology.Organization
	out.LogArchive.Archive.GrantOrganizationTrail(organizationTrail(cfg))
	// The trail encrypts with the log archive's key, named by its alias
	// ARN: a key ID in another account is unknown at synth.
	// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
	archiveKey := awskms.Key_FromKeyArn(stack, jsii.String("ArchiveKey"), stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("kms"), Account: jsii.String(o.LogArchiveAccountID), Resource: jsii.String("alias"),
		ResourceName: jsii.String(organizationLogsAlias(cfg)[len("alias/"):]), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	}))
	props := organizationTrailProps(cfg)
	props.EncryptionKey, props.LogGroupKey = archiveKey, key
	s.Trail = compliance.NewTrail(stack, "Trail", props)
	if cisAlarms(cfg.Compliance, true) {
		topic := dataprotection.NewSecureTopic(stack, "Alerts", &dataprotection.SecureTopicProps{
			EncryptionKey: key, DisplayName: cfg.Prefix + " organization trail alarms",
			Emails: cfg.Notifications.Emails, Webhooks: cfg.Notifications.Webhooks,
		})
		compliance.AllowCloudWatchAlarms(topic.Topic)
		compliance.NewCISAlarms(stack, "CISAlarms", &compliance.CISAlarmsProps{LogGroup: s.Trail.LogGroup, Topic: topic.Topic})
	}
	registerCloudTrailAdmin(stack, s.Calls, o.SecurityToolingAccountID)
	awscdk.NewCfnOutput(stack, jsii.String("TrailBucket"), &awscdk.CfnOutputProps{
		Description: jsii.String("The log-archive bucket with every account's log and digest files, under AWSLogs/" + o.OrganizationID + "/"),
		Value:       jsii.String(evidenceBucketName(cfg)),
	})
	stack.AddStackDependency(out.LogArchive.Stack, jsii.String("the organization trail delivers to the log archive's evidence bucket, encrypted with its key"))
}

// organizationTrailProps are the organization trail's props without its
// keys, which the stack adds.
func organizationTrailProps(cfg *config.Config) *compliance.TrailProps {
	c := cfg.Compliance
	return &compliance.TrailProps{
		Name:              organizationTrail(cfg).Name,
		DestinationBucket: evidenceBucketName(cfg),
		Retention:         days(cfg.Logs.RetentionDays),
		OrganizationID:    cfg.Topology.Organization.OrganizationID,
		S3DataEvents:      c.Trail.S3DataEvents,
		LambdaDataEvents:  c.Trail.LambdaDataEvents,
		DestroyOnDelete:   cfg.DestroyOnDelete,
	}
}

// organizationLogsAlias is the log archive's central key alias.
func organizationLogsAlias(cfg *config.Config) string { return "alias/" + cfg.Prefix + "/org-logs" }

// registerCloudTrailAdmin makes the security-tooling account CloudTrail's
// delegated administrator, which may then manage the organization trail
// (the management account still owns it). CloudTrail's own API, rather than
// Organizations', creates CloudTrail's service-linked role in the
// management account; an account already registered counts as success, and
// a delete leaves the registration.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_RegisterOrganizationDelegatedAdmin.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator-permissions.html
func registerCloudTrailAdmin(stack awscdk.Stack, calls *sdkcall.Provider, admin string) {
	calls.NewCall(stack, "CloudTrailDelegatedAdmin", &sdkcall.CallProps{
		OnCreate: &customresources.AwsSdkCall{
			Service: jsii.String("CloudTrail"), Action: jsii.String("RegisterOrganizationDelegatedAdmin"),
			Parameters:               map[string]interface{}{"MemberAccountId": admin},
			PhysicalResourceId:       customresources.PhysicalResourceId_Of(jsii.String("cloudtrail-delegated-admin-" + admin)),
			IgnoreErrorCodesMatching: jsii.String("AccountRegisteredException"),
		},
		Statements: []awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("cloudtrail:RegisterOrganizationDelegatedAdmin",
					"organizations:ListAWSServiceAccessForOrganization", "organizations:DescribeOrganization"),
				Resources: jsii.Strings("*"),
			}),
			// CloudTrail registers the administrator in Organizations on the
			// caller's behalf, for CloudTrail only.
			sdkcall.OrganizationWrites([]string{cloudTrailPrincipal}, "organizations:RegisterDelegatedAdministrator"),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("iam:CreateServiceLinkedRole", "iam:GetRole"),
				Resources: jsii.Strings(*stack.FormatArn(&awscdk.ArnComponents{
					Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("role"),
					ResourceName: jsii.String("aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail"),
					ArnFormat:    awscdk.ArnFormat_SLASH_RESOURCE_NAME,
				})),
			}),
		},
	})
	nag.Suppress(calls.Policy, false, nag.Rule{
		ID:        "AwsSolutions-IAM5",
		Reason:    "CloudTrail's and Organizations' delegated-administrator actions act on the organization and support no resource-level permissions.",
		AppliesTo: []string{"Resource::*"},
	})
}

// memberPasswordPolicy is the password policy every member account gets
// through the member baseline; nil when compliance.passwordPolicy is off.
func memberPasswordPolicy(cfg *config.Config) map[string]interface{} {
	pp := cfg.Compliance.PasswordPolicy
	if !pp.Enabled {
		return nil
	}
	req, err := compliance.PasswordPolicyRequest(passwordPolicyProps(pp))
	if err != nil {
		// config.Validate bounds every field first.
		panic(fmt.Errorf("stacks: compliance.passwordPolicy: %w", err))
	}
	return req
}

// passwordPolicyProps translates the configured password policy.
func passwordPolicyProps(pp config.PasswordPolicy) compliance.PasswordPolicyProps {
	return compliance.PasswordPolicyProps{
		MinimumLength: pp.MinimumLength, ReusePrevention: pp.ReusePrevention, MaxAgeDays: pp.MaxAgeDays,
		NoUppercase: !pp.RequireUppercase, NoLowercase: !pp.RequireLowercase, NoNumbers: !pp.RequireNumbers, NoSymbols: !pp.RequireSymbols,
		HardExpiry: pp.HardExpiry,
	}
}

// auditManagerAfterDesignation says whether the security-tooling account's
// home compliance stack waits for the management account's designations:
// with Audit Manager in organization mode, its assessments need the
// delegated administrator.
func auditManagerAfterDesignation(cfg *config.Config) bool {
	return cfg.Topology.Mode == config.ModeOrganization && cfg.Compliance.AuditManager.Enabled
}

// orgComplianceAfter adds what the security-tooling account's compliance
// stack in region waits for in organization mode.
func orgComplianceAfter(a *App, cfg *config.Config, cs *ComplianceStack, region string) {
	if region != cfg.HomeRegion || !auditManagerAfterDesignation(cfg) {
		return
	}
	cs.Stack.AddStackDependency(a.Organization.DelegatedAdmins[region].Stack,
		jsii.String("Audit Manager assessments need the security-tooling account designated as Audit Manager's delegated administrator"))
	if cs.AuditManager == nil || len(cs.AuditManager.Assessments) == 0 {
		return
	}
	// The assessments cover the member accounts: their scope is set at
	// deploy time from the target OUs, not listed in the template.
	var assessments []awsauditmanager.CfnAssessment
	for _, f := range slices.Sorted(maps.Keys(cs.AuditManager.Assessments)) {
		assessments = append(assessments, cs.AuditManager.Assessments[f])
	}
	o := cfg.Topology.Organization
	organization.NewExistingMembers(cs.Stack, "OrganizationScope", &organization.ExistingMembersProps{
		Calls: cs.Calls, AdminAccountID: o.SecurityToolingAccountID, TargetOUs: o.TargetOrganizationalUnits, Assessments: assessments,
		SkipMacie: true, SkipInspector: true, SkipDetective: true,
	})
}

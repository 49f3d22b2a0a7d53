package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/compliance"
	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

// ComplianceStackProps configures a ComplianceStack.
type ComplianceStackProps struct {
	Base Base
	// Home marks the home region: the trail (multi-region), its CIS alarms,
	// Audit Manager, the auditor role and the IAM password policy live there.
	Home       bool
	Compliance config.Compliance
	// SecurityHub says Security Hub is on in the region: the stack then
	// suppresses the findings its own buckets and functions cannot avoid.
	SecurityHub bool
	// Logs sets how long every piece of evidence is kept and locked.
	Logs config.Logs
	// DataProtection is this region's data-protection stack: its logs key
	// encrypts the evidence, its alerts topic hears the CIS alarms.
	DataProtection *DataProtectionStack
}

// ComplianceStack is the compliance layer in one region. The home region
// holds the account-wide pieces: one multi-region trail (a trail per region
// would record every global event once per region), its CloudWatch Logs
// group and the CIS alarms on it (the trail delivers every region's events
// there), Audit Manager, the auditor role and the password policy (IAM is
// global). Conformance packs go to every region, because AWS Config rules
// evaluate the region they are in; their account-wide rules run in the home
// region only.
type ComplianceStack struct {
	Stack awscdk.Stack
	// Trail is the account's trail; nil outside the home region or when off.
	Trail *compliance.Trail
	// Calls runs the stack's API calls; nil when nothing needs one.
	Calls *sdkcall.Provider
	// AuditManager is Audit Manager with its assessments; nil when off.
	AuditManager *compliance.AuditManager
}

// trailName is the trail's name: the logs key's policy names the trail
// before the compliance stack creates it.
func trailName(prefix string) string { return prefix + "-trail" }

// complianceInRegion says whether a region gets a compliance stack.
func complianceInRegion(c config.Compliance, home bool) bool {
	packs := c.ConformancePacks.Enabled && len(c.Frameworks) > 0
	return packs || (home && (c.Trail.Enabled || c.AuditManager.Enabled || len(c.Auditor.Principals) > 0 || c.PasswordPolicy.Enabled))
}

// NewComplianceStack creates a ComplianceStack.
func NewComplianceStack(app awscdk.App, name string, props *ComplianceStackProps) *ComplianceStack {
	p := *props
	c := p.Compliance
	stack := newStack(app, name, "compliance", "mamori compliance: CloudTrail evidence, Audit Manager, auditor access, conformance packs", p.Base)
	s := &ComplianceStack{Stack: stack}
	dp := p.DataProtection
	retention, glacier := days(p.Logs.RetentionDays), days(p.Logs.TransitionToGlacierDays)
	lockCompliance := c.Trail.ObjectLockMode == "COMPLIANCE"
	calls := func() *sdkcall.Provider {
		s.Calls = sdkCalls(stack, dp.LogsKey.Key, p.Logs, p.Base.DestroyOnDelete)
		return s.Calls
	}

	var evidence []awss3.IBucket
	var accessLogs awss3.IBucket
	if p.Home && (c.Trail.Enabled || c.AuditManager.Enabled) {
		accessLogs = compliance.NewEvidenceBucket(stack, "AccessLogsBucket", &dataprotection.SecureBucketProps{
			AccessLogTarget: true, Retention: retention, TransitionToGlacier: glacier,
		}).Bucket
	}
	if p.Home && c.Trail.Enabled {
		s.Trail = compliance.NewTrail(stack, "Trail", &compliance.TrailProps{
			Name:                 trailName(p.Base.Prefix),
			EncryptionKey:        dp.LogsKey.Key,
			AccessLogs:           accessLogs,
			Retention:            retention,
			TransitionToGlacier:  glacier,
			ObjectLockCompliance: lockCompliance,
			S3DataEvents:         c.Trail.S3DataEvents,
			LambdaDataEvents:     c.Trail.LambdaDataEvents,
			DestroyOnDelete:      p.Base.DestroyOnDelete,
		})
		evidence = append(evidence, s.Trail.Bucket.Bucket)
		awscdk.NewCfnOutput(stack, jsii.String("TrailBucket"), &awscdk.CfnOutputProps{
			Description: jsii.String("Where the trail's log and digest files are, locked for logs.retentionDays"),
			Value:       s.Trail.Bucket.Bucket.BucketName(),
		})
		if c.Trail.CISAlarms {
			compliance.NewCISAlarms(stack, "CISAlarms", &compliance.CISAlarmsProps{LogGroup: s.Trail.LogGroup, Topic: dp.Alerts.Topic})
		}
	}

	var passwords *compliance.PasswordPolicy
	if pp := c.PasswordPolicy; p.Home && pp.Enabled {
		props := passwordPolicyProps(pp)
		props.Calls = calls()
		passwords = compliance.NewPasswordPolicy(stack, "PasswordPolicy", &props)
	}

	if p.Home && c.AuditManager.Enabled {
		reports := compliance.NewEvidenceBucket(stack, "AssessmentReports", &dataprotection.SecureBucketProps{
			EncryptionKey: dp.LogsKey.Key, AccessLogs: accessLogs,
			Retention: retention, TransitionToGlacier: glacier, ObjectLockCompliance: lockCompliance,
		})
		evidence = append(evidence, reports.Bucket)
		awscdk.NewCfnOutput(stack, jsii.String("AssessmentReportsBucket"), &awscdk.CfnOutputProps{
			Description: jsii.String("Where Audit Manager writes assessment reports, locked for logs.retentionDays"),
			Value:       reports.Bucket.BucketName(),
		})
		props := auditManagerProps(c, p.Base.Prefix)
		props.Calls, props.Key, props.Reports = calls(), dp.LogsKey.Key, reports
		s.AuditManager = compliance.NewAuditManager(stack, "AuditManager", props)
	}

	if p.Home && len(c.Auditor.Principals) > 0 {
		props := &compliance.AuditorRoleProps{Principals: c.Auditor.Principals, EvidenceBuckets: evidence}
		if len(evidence) > 0 {
			props.EvidenceKey = dp.LogsKey.Key
		}
		auditor := compliance.NewAuditorRole(stack, "AuditorRole", props)
		awscdk.NewCfnOutput(stack, jsii.String("AuditorRoleArn"), &awscdk.CfnOutputProps{
			Description: jsii.String("The read-only role auditors assume, with MFA"),
			Value:       auditor.Role.RoleArn(),
		})
	}

	if c.ConformancePacks.Enabled {
		for _, f := range c.Frameworks {
			var rules []compliance.ManagedRule
			for _, r := range compliance.Rules(compliance.Framework(f)) {
				if r.Account && !p.Home {
					continue
				}
				// The password rule checks for the policy this stack sets.
				if r.Identifier == "IAM_PASSWORD_POLICY" && passwords != nil {
					r.Parameters = passwords.ConfigRuleParameters()
				}
				rules = append(rules, r)
			}
			compliance.NewConformancePack(stack, "ConformancePack-"+string(f), &compliance.ConformancePackProps{
				Name: p.Base.Prefix + "-" + string(f), Rules: rules,
			})
		}
	}
	suppressOwnFindings(stack, p.SecurityHub, "Compliance", suppressionOrderCompliance)
	return s
}

// complianceKeyAccess is what the compliance layer needs of this region's
// data-protection keys and topic: CloudTrail on the logs key, Audit Manager
// through the account on it, CloudWatch alarms on the findings key (which
// encrypts the alerts topic).
func complianceKeyAccess(stack awscdk.Stack, prefix string, c config.Compliance, home bool) (logs []dataprotection.ServiceAccess, logsVia []string, findings []dataprotection.ServiceAccess) {
	if !home {
		return nil, nil, nil
	}
	if c.Trail.Enabled {
		logs = compliance.CloudTrailKeyAccess(stack, trailName(prefix))
		if c.Trail.CISAlarms {
			findings = append(findings, compliance.CloudWatchKeyAccess(stack))
		}
	}
	if c.AuditManager.Enabled {
		logsVia = []string{"auditmanager"}
	}
	return logs, logsVia, findings
}

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
	stack := newStack(app, name, "compliance", "mamori compliance: CloudTrail evidence, Audit Manager, auditor access, conformance packs", p.Base)
	s := &ComplianceStack{Stack: stack}
	var passwords map[string]string
	if p.Home {
		accessLogs := s.newAccessLogs(p)
		evidence := s.newTrail(p, accessLogs)
		passwords = s.newPasswordPolicy(p)
		evidence = append(evidence, s.newAuditManager(p, accessLogs)...)
		s.newAuditorRole(p, evidence)
	}
	if p.Compliance.ConformancePacks.Enabled {
		for _, f := range p.Compliance.Frameworks {
			compliance.NewConformancePack(stack, "ConformancePack-"+string(f), &compliance.ConformancePackProps{
				Name: p.Base.Prefix + "-" + string(f), Rules: conformancePackRules(compliance.Framework(f), p.Home, passwords),
			})
		}
	}
	suppressOwnFindings(stack, p.SecurityHub, "Compliance", suppressionOrderCompliance)
	return s
}

// calls is the stack's shared provider of API calls, created on first use.
func (s *ComplianceStack) calls(p ComplianceStackProps) *sdkcall.Provider {
	s.Calls = sdkCalls(s.Stack, p.DataProtection.LogsKey.Key, p.Logs, p.Base.DestroyOnDelete)
	return s.Calls
}

// evidenceProps are the retention and transition every evidence bucket shares.
func evidenceProps(p ComplianceStackProps) dataprotection.SecureBucketProps {
	return dataprotection.SecureBucketProps{Retention: days(p.Logs.RetentionDays), TransitionToGlacier: days(p.Logs.TransitionToGlacierDays)}
}

// newAccessLogs creates the bucket that holds the evidence buckets' access
// logs; nil when there is no evidence bucket.
func (s *ComplianceStack) newAccessLogs(p ComplianceStackProps) awss3.IBucket {
	if !p.Compliance.Trail.Enabled && !p.Compliance.AuditManager.Enabled {
		return nil
	}
	props := evidenceProps(p)
	props.AccessLogTarget = true
	return compliance.NewEvidenceBucket(s.Stack, "AccessLogsBucket", &props).Bucket
}

// newTrail creates the account's trail and, when asked, the CIS alarms on
// its log group; it returns the trail's bucket as evidence.
func (s *ComplianceStack) newTrail(p ComplianceStackProps, accessLogs awss3.IBucket) []awss3.IBucket {
	c := p.Compliance
	if !c.Trail.Enabled {
		return nil
	}
	s.Trail = compliance.NewTrail(s.Stack, "Trail", &compliance.TrailProps{
		Name:                 trailName(p.Base.Prefix),
		EncryptionKey:        p.DataProtection.LogsKey.Key,
		AccessLogs:           accessLogs,
		Retention:            days(p.Logs.RetentionDays),
		TransitionToGlacier:  days(p.Logs.TransitionToGlacierDays),
		ObjectLockCompliance: c.Trail.ObjectLockMode == "COMPLIANCE",
		S3DataEvents:         c.Trail.S3DataEvents,
		LambdaDataEvents:     c.Trail.LambdaDataEvents,
		DestroyOnDelete:      p.Base.DestroyOnDelete,
	})
	awscdk.NewCfnOutput(s.Stack, jsii.String("TrailBucket"), &awscdk.CfnOutputProps{
		Description: jsii.String("Where the trail's log and digest files are, locked for logs.retentionDays"),
		Value:       s.Trail.Bucket.Bucket.BucketName(),
	})
	if c.Trail.CISAlarms {
		compliance.NewCISAlarms(s.Stack, "CISAlarms", &compliance.CISAlarmsProps{LogGroup: s.Trail.LogGroup, Topic: p.DataProtection.Alerts.Topic})
	}
	return []awss3.IBucket{s.Trail.Bucket.Bucket}
}

// newPasswordPolicy sets the IAM password policy and returns the
// parameters of the AWS Config rule that checks for it; nil when off.
func (s *ComplianceStack) newPasswordPolicy(p ComplianceStackProps) map[string]string {
	if !p.Compliance.PasswordPolicy.Enabled {
		return nil
	}
	props := passwordPolicyProps(p.Compliance.PasswordPolicy)
	props.Calls = s.calls(p)
	return compliance.NewPasswordPolicy(s.Stack, "PasswordPolicy", &props).ConfigRuleParameters()
}

// newAuditManager creates the assessment reports bucket and Audit Manager;
// it returns the bucket as evidence.
func (s *ComplianceStack) newAuditManager(p ComplianceStackProps, accessLogs awss3.IBucket) []awss3.IBucket {
	if !p.Compliance.AuditManager.Enabled {
		return nil
	}
	logsKey := p.DataProtection.LogsKey.Key
	bucket := evidenceProps(p)
	bucket.EncryptionKey, bucket.AccessLogs, bucket.ObjectLockCompliance = logsKey, accessLogs, p.Compliance.Trail.ObjectLockMode == "COMPLIANCE"
	reports := compliance.NewEvidenceBucket(s.Stack, "AssessmentReports", &bucket)
	awscdk.NewCfnOutput(s.Stack, jsii.String("AssessmentReportsBucket"), &awscdk.CfnOutputProps{
		Description: jsii.String("Where Audit Manager writes assessment reports, locked for logs.retentionDays"),
		Value:       reports.Bucket.BucketName(),
	})
	props := auditManagerProps(p.Compliance, p.Base.Prefix)
	props.Calls, props.Key, props.Reports = s.calls(p), logsKey, reports
	s.AuditManager = compliance.NewAuditManager(s.Stack, "AuditManager", props)
	return []awss3.IBucket{reports.Bucket}
}

// newAuditorRole creates the auditors' read-only role, with read access to
// the evidence buckets.
func (s *ComplianceStack) newAuditorRole(p ComplianceStackProps, evidence []awss3.IBucket) {
	if len(p.Compliance.Auditor.Principals) == 0 {
		return
	}
	props := &compliance.AuditorRoleProps{Principals: p.Compliance.Auditor.Principals, EvidenceBuckets: evidence}
	if len(evidence) > 0 {
		props.EvidenceKey = p.DataProtection.LogsKey.Key
	}
	auditor := compliance.NewAuditorRole(s.Stack, "AuditorRole", props)
	awscdk.NewCfnOutput(s.Stack, jsii.String("AuditorRoleArn"), &awscdk.CfnOutputProps{
		Description: jsii.String("The read-only role auditors assume, with MFA"),
		Value:       auditor.Role.RoleArn(),
	})
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
		if cisAlarms(c, home) {
			findings = append(findings, compliance.CloudWatchKeyAccess(stack))
		}
	}
	if c.AuditManager.Enabled {
		logsVia = []string{"auditmanager"}
	}
	return logs, logsVia, findings
}

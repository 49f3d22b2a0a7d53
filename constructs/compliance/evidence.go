// Package compliance holds the compliance layer: the CloudTrail trail whose
// logs are the audit evidence, the CIS AWS Foundations metric filters and
// alarms on it, AWS Audit Manager, the auditor role, AWS Config conformance
// packs built from mamori's own rule lists, and the IAM password policy.
//
// Evidence (log files, their access logs, assessment reports, assessments)
// is never deleted with a stack: it is retained whatever DestroyOnDelete
// says elsewhere, and its buckets lock every object version for the whole
// retention period with S3 Object Lock (access-log targets excepted: S3
// refuses them a default retention).
package compliance

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
)

// EvidenceMetadata marks, in the template, a resource that holds audit
// evidence: it is retained on stack delete even where the configuration
// lets `cdk destroy` delete everything else.
const EvidenceMetadata = "mamori:evidence"

// markEvidence retains c's CloudFormation resource and marks it as evidence.
func markEvidence(c constructs.IConstruct) {
	r, ok := c.(awscdk.CfnResource)
	if !ok {
		r = c.Node().DefaultChild().(awscdk.CfnResource)
	}
	r.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN, nil)
	r.AddMetadata(jsii.String(EvidenceMetadata), true)
}

// NewEvidenceBucket creates a SecureBucket for evidence: every object
// version is locked (S3 Object Lock) for the bucket's whole Retention, and
// the bucket is retained and marked as evidence whatever props.DestroyOnDelete
// says. props.ObjectLockDays is ignored.
func NewEvidenceBucket(scope constructs.Construct, id string, props *dataprotection.SecureBucketProps) *dataprotection.SecureBucket {
	var p dataprotection.SecureBucketProps
	if props != nil {
		p = *props
	}
	if p.Retention == 0 {
		p.Retention = 365 * day
	}
	p.DestroyOnDelete = false
	p.ObjectLockDays = 0
	if !p.AccessLogTarget {
		p.ObjectLockDays = int(p.Retention / day)
	}
	b := dataprotection.NewSecureBucket(scope, id, &p)
	markEvidence(b.Bucket)
	return b
}

// Framework is a compliance framework evidence is mapped to.
type Framework string

const (
	// FSBP is AWS Foundational Security Best Practices.
	FSBP Framework = "aws-foundational-security-best-practices"
	// CIS is the CIS AWS Foundations Benchmark.
	CIS Framework = "cis-aws-foundations-benchmark"
	// PCIDSS is PCI DSS v4.0.
	PCIDSS Framework = "pci-dss"
	// NIST80053 is NIST SP 800-53 Rev. 5.
	NIST80053 Framework = "nist-800-53"
)

// Frameworks lists every framework mamori maps, in a fixed order.
func Frameworks() []Framework { return []Framework{FSBP, CIS, PCIDSS, NIST80053} }

// AuditManagerName is the exact name of the Audit Manager standard framework
// for f, as Audit Manager's framework library lists it
// (https://docs.aws.amazon.com/audit-manager/latest/userguide/framework-overviews.html).
// Its ID is looked up by this name at deploy time: IDs are not documented.
func (f Framework) AuditManagerName() string {
	switch f {
	case FSBP:
		return "AWS Foundational Security Best Practices"
	case CIS:
		// The newest CIS AWS Foundations Benchmark Audit Manager offers; Level 1
		// is the baseline every account should meet.
		return "Center for Internet Security (CIS) Amazon Web Services (AWS) Benchmark v1.4.0, Level 1"
	case PCIDSS:
		return "Payment Card Industry Data Security Standard (PCI DSS) v4.0"
	case NIST80053:
		return "NIST 800-53 Rev 5: Security and Privacy Controls for Information Systems and Organizations"
	}
	return ""
}

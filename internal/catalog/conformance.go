package catalog

// This file holds the rules of mamori's AWS Config conformance packs: the
// compliance constructs build the packs from them, and preflight counts
// them against the account's AWS Config rule quota without loading the CDK.

// ConformanceRule is one AWS managed AWS Config rule in a conformance pack.
type ConformanceRule struct {
	// Identifier is the managed rule's source identifier, e.g. "ROOT_ACCOUNT_MFA_ENABLED".
	Identifier string
	// Parameters are the rule's input parameters (strings, as AWS Config
	// takes them; booleans lower-case). Default: the rule's own defaults.
	Parameters map[string]string
	// Account marks a rule about account-wide or global (IAM) settings,
	// deployed in the home region only: elsewhere it would only repeat the
	// same evaluation at the same price.
	Account bool
}

// The rules, each defined once; every identifier is an AWS managed rule
// listed at https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html
// (most appear in Audit Manager's CIS data-source mappings:
// https://docs.aws.amazon.com/audit-manager/latest/userguide/CIS-1-2.html).
var (
	rootMFA            = ConformanceRule{Identifier: "ROOT_ACCOUNT_MFA_ENABLED", Account: true}
	rootAccessKey      = ConformanceRule{Identifier: "IAM_ROOT_ACCESS_KEY_CHECK", Account: true}
	passwordPolicy     = ConformanceRule{Identifier: "IAM_PASSWORD_POLICY", Account: true}
	consoleMFA         = ConformanceRule{Identifier: "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", Account: true}
	accessKeysRotated  = ConformanceRule{Identifier: "ACCESS_KEYS_ROTATED", Account: true, Parameters: map[string]string{"maxAccessKeyAge": "90"}}
	noAdminPolicies    = ConformanceRule{Identifier: "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS", Account: true}
	noUserPolicies     = ConformanceRule{Identifier: "IAM_USER_NO_POLICIES_CHECK", Account: true}
	accountS3BPA       = ConformanceRule{Identifier: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", Account: true}
	multiRegionTrail   = ConformanceRule{Identifier: "MULTI_REGION_CLOUD_TRAIL_ENABLED", Account: true}
	trailEncrypted     = ConformanceRule{Identifier: "CLOUD_TRAIL_ENCRYPTION_ENABLED"}
	trailValidated     = ConformanceRule{Identifier: "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED"}
	trailToLogs        = ConformanceRule{Identifier: "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED"}
	keyRotation        = ConformanceRule{Identifier: "CMK_BACKING_KEY_ROTATION_ENABLED"}
	defaultSGClosed    = ConformanceRule{Identifier: "VPC_DEFAULT_SECURITY_GROUP_CLOSED"}
	flowLogs           = ConformanceRule{Identifier: "VPC_FLOW_LOGS_ENABLED"}
	noOpenSSH          = ConformanceRule{Identifier: "INCOMING_SSH_DISABLED"}
	noOpenCommonPorts  = ConformanceRule{Identifier: "RESTRICTED_INCOMING_TRAFFIC"}
	ebsByDefault       = ConformanceRule{Identifier: "EC2_EBS_ENCRYPTION_BY_DEFAULT"}
	volumesEncrypted   = ConformanceRule{Identifier: "ENCRYPTED_VOLUMES"}
	bucketLogging      = ConformanceRule{Identifier: "S3_BUCKET_LOGGING_ENABLED"}
	bucketNoPublicRead = ConformanceRule{Identifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED"}
	topicsEncrypted    = ConformanceRule{Identifier: "SNS_ENCRYPTED_KMS"}
)

// unusedCredentials flags credentials unused for days (CIS v1.4.0 1.12 asks
// for 45, PCI DSS v4.0 8.2.6 and NIST for 90).
func unusedCredentials(days string) ConformanceRule {
	return ConformanceRule{Identifier: "IAM_USER_UNUSED_CREDENTIALS_CHECK", Account: true, Parameters: map[string]string{"maxCredentialUsageAge": days}}
}

// ConformancePackRules are the AWS managed rules of mamori's conformance pack
// for framework f (a compliance framework's name, e.g.
// "aws-foundational-security-best-practices"): mamori's own choice of the
// account-level and logging checks each framework asks for, not a copy of
// AWS's sample conformance packs. Nil for an unknown framework.
func ConformancePackRules(f string) []ConformanceRule {
	switch f {
	case "aws-foundational-security-best-practices":
		return []ConformanceRule{rootMFA, rootAccessKey, passwordPolicy, consoleMFA, accessKeysRotated, unusedCredentials("90"),
			noAdminPolicies, accountS3BPA, multiRegionTrail, trailEncrypted, trailValidated, keyRotation, defaultSGClosed,
			ebsByDefault, volumesEncrypted, topicsEncrypted}
	case "cis-aws-foundations-benchmark":
		return []ConformanceRule{rootMFA, rootAccessKey, passwordPolicy, consoleMFA, accessKeysRotated,
			unusedCredentials("45"), noAdminPolicies, noUserPolicies, accountS3BPA, multiRegionTrail, trailEncrypted,
			trailValidated, trailToLogs, keyRotation, defaultSGClosed, flowLogs, noOpenSSH, noOpenCommonPorts, ebsByDefault,
			bucketLogging, bucketNoPublicRead}
	case "pci-dss":
		return []ConformanceRule{rootMFA, rootAccessKey, passwordPolicy, consoleMFA, unusedCredentials("90"), noAdminPolicies,
			multiRegionTrail, trailEncrypted, trailValidated, trailToLogs, keyRotation, defaultSGClosed, noOpenSSH,
			noOpenCommonPorts, volumesEncrypted, bucketLogging, bucketNoPublicRead}
	case "nist-800-53":
		return []ConformanceRule{rootMFA, rootAccessKey, passwordPolicy, consoleMFA, accessKeysRotated,
			unusedCredentials("90"), noAdminPolicies, noUserPolicies, accountS3BPA, multiRegionTrail, trailEncrypted,
			trailValidated, trailToLogs, keyRotation, defaultSGClosed, flowLogs, noOpenSSH, noOpenCommonPorts, ebsByDefault,
			volumesEncrypted, bucketLogging, bucketNoPublicRead, topicsEncrypted}
	}
	return nil
}

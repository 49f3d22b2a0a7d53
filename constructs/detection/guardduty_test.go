package detection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/internal/cdktest"
)

// features is the Features list GuardDuty must receive: every plan named,
// ENABLED when in on, DISABLED otherwise.
func features(on ...string) a {
	set := map[string]bool{}
	for _, name := range on {
		set[name] = true
	}
	status := func(name string) string {
		if set[name] {
			return "ENABLED"
		}
		return "DISABLED"
	}
	feature := func(name string) m { return m{"Name": name, "Status": status(name)} }
	return a{
		feature("S3_DATA_EVENTS"),
		feature("EKS_AUDIT_LOGS"),
		feature("EBS_MALWARE_PROTECTION"),
		feature("RDS_LOGIN_EVENTS"),
		feature("LAMBDA_NETWORK_LOGS"),
		m{"Name": "RUNTIME_MONITORING", "Status": status("RUNTIME_MONITORING"), "AdditionalConfiguration": a{
			feature("EKS_ADDON_MANAGEMENT"),
			feature("ECS_FARGATE_AGENT_MANAGEMENT"),
			feature("EC2_AGENT_MANAGEMENT"),
		}},
	}
}

func TestGuardDutyDefaults(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	g := NewGuardDuty(stack, "GuardDuty", nil)
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::GuardDuty::Detector", 1)
	tp.Has("AWS::GuardDuty::Detector", m{
		"Enable":                     true,
		"FindingPublishingFrequency": "FIFTEEN_MINUTES",
		// Every plan on: the zero value is the secure default.
		"Features": assertions.Match_Exact(features("S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS",
			"RUNTIME_MONITORING", "EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT")),
		"DataSources": assertions.Match_Absent(),
	})
	tp.HasResource("AWS::GuardDuty::Detector", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	tp.Count("AWS::GuardDuty::PublishingDestination", 0)
	tp.Count("AWS::GuardDuty::MalwareProtectionPlan", 0)
	assert.Equal(t,
		m{"Fn::Join": a{"", a{"arn:aws:guardduty:eu-west-1:111111111111:detector/", m{"Fn::GetAtt": a{cdktest.LogicalID(stack, g.Detector), "Id"}}}}},
		stack.Resolve(g.DetectorArn))
}

func TestGuardDutyPlans(t *testing.T) {
	tests := []struct {
		name  string
		plans ProtectionPlans
		on    []string
	}{
		{"S3 data events", ProtectionPlans{S3DataEvents: true}, []string{"S3_DATA_EVENTS"}},
		{"EKS audit logs", ProtectionPlans{EKSAuditLogs: true}, []string{"EKS_AUDIT_LOGS"}},
		{"EBS malware protection", ProtectionPlans{EBSMalwareProtection: true}, []string{"EBS_MALWARE_PROTECTION"}},
		{"RDS login events", ProtectionPlans{RDSLoginEvents: true}, []string{"RDS_LOGIN_EVENTS"}},
		{"Lambda network logs", ProtectionPlans{LambdaNetworkLogs: true}, []string{"LAMBDA_NETWORK_LOGS"}},
		{"runtime monitoring without agents", ProtectionPlans{RuntimeMonitoring: true}, []string{"RUNTIME_MONITORING"}},
		{"EKS add-on", ProtectionPlans{RuntimeMonitoring: true, EKSAddOnManagement: true}, []string{"RUNTIME_MONITORING", "EKS_ADDON_MANAGEMENT"}},
		{"ECS Fargate agent", ProtectionPlans{RuntimeMonitoring: true, ECSFargateAgentManagement: true}, []string{"RUNTIME_MONITORING", "ECS_FARGATE_AGENT_MANAGEMENT"}},
		{"EC2 agent", ProtectionPlans{RuntimeMonitoring: true, EC2AgentManagement: true}, []string{"RUNTIME_MONITORING", "EC2_AGENT_MANAGEMENT"}},
		// Agent management means nothing without runtime monitoring.
		{"agents without runtime monitoring", ProtectionPlans{EKSAddOnManagement: true, ECSFargateAgentManagement: true, EC2AgentManagement: true}, nil},
		{"nothing", ProtectionPlans{}, nil},
		{"everything", ProtectionPlans{
			S3DataEvents: true, EKSAuditLogs: true, EBSMalwareProtection: true, RDSLoginEvents: true, LambdaNetworkLogs: true,
			RuntimeMonitoring: true, EKSAddOnManagement: true, ECSFargateAgentManagement: true, EC2AgentManagement: true,
		}, []string{
			"S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS",
			"RUNTIME_MONITORING", "EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stack := cdktest.NewStack(t, cdktest.Env)
			NewGuardDuty(stack, "GuardDuty", &GuardDutyProps{Plans: &tc.plans})
			tp := cdktest.Synth(t, stack)
			tp.Has("AWS::GuardDuty::Detector", m{"Features": assertions.Match_Exact(features(tc.on...))})
			// RUNTIME_MONITORING supersedes EKS_RUNTIME_MONITORING; sending
			// both is rejected.
			for id, r := range tp.Resources("AWS::GuardDuty::Detector") {
				for _, f := range r["Properties"].(m)["Features"].(a) {
					assert.NotEqual(t, "EKS_RUNTIME_MONITORING", f.(m)["Name"], id)
				}
			}
		})
	}
}

func TestGuardDutyPublishingFrequencyAndRemoval(t *testing.T) {
	for _, f := range []PublishingFrequency{OneHour, SixHours} {
		stack := cdktest.NewStack(t, cdktest.Env)
		NewGuardDuty(stack, "GuardDuty", &GuardDutyProps{PublishingFrequency: f, DestroyOnDelete: true})
		tp := cdktest.Synth(t, stack)
		tp.Has("AWS::GuardDuty::Detector", m{"FindingPublishingFrequency": string(f)})
		tp.HasResource("AWS::GuardDuty::Detector", m{"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"})
	}
}

func TestGuardDutyFindingsExport(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	bucket := secureBucket(stack, "Findings")
	g := NewGuardDuty(stack, "GuardDuty", &GuardDutyProps{FindingsBucket: bucket, FindingsKey: cdktest.ImportedKey(stack)})
	tp := cdktest.Synth(t, stack)

	bucketID, detectorID := cdktest.LogicalID(stack, bucket.Bucket), cdktest.LogicalID(stack, g.Detector)
	policyID := cdktest.LogicalID(stack, bucket.Bucket.Policy())
	tp.Count("AWS::GuardDuty::PublishingDestination", 1)
	// GuardDuty checks it can write when the destination is created, so
	// the bucket policy must come first.
	tp.Has("AWS::GuardDuty::PublishingDestination", m{
		"DetectorId":      m{"Fn::GetAtt": a{detectorID, "Id"}},
		"DestinationType": "S3",
		"DestinationProperties": assertions.Match_Exact(m{
			"DestinationArn": m{"Fn::GetAtt": a{bucketID, "Arn"}},
			"KmsKeyArn":      cdktest.KeyArn,
		}),
	})
	tp.DependsOn("AWS::GuardDuty::PublishingDestination", nil, policyID)

	bucketArn := m{"Fn::GetAtt": a{bucketID, "Arn"}}
	scoped := assertions.Match_Exact(m{
		"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}},
		"ArnLike":      m{"aws:SourceArn": a{stack.Resolve(g.DetectorArn)}},
	})
	tp.Has("AWS::S3::BucketPolicy", m{
		"Bucket": m{"Ref": bucketID},
		"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
			m{
				"Sid":       "GuarddutyServiceBucketChecks",
				"Effect":    "Allow",
				"Principal": m{"Service": "guardduty.amazonaws.com"},
				"Action":    "s3:GetBucketLocation",
				"Resource":  bucketArn,
				"Condition": scoped,
			},
			m{
				"Sid":       "GuarddutyServiceDelivery",
				"Effect":    "Allow",
				"Principal": m{"Service": "guardduty.amazonaws.com"},
				"Action":    "s3:PutObject",
				"Resource":  m{"Fn::Join": a{"", a{bucketArn, "/*"}}},
				"Condition": scoped,
			},
		))},
	})
}

// TestGuardDutyKeyAccess: the findings key's grant as the GuardDuty User
// Guide has it (kms:GenerateDataKey for this account's detectors), and the
// regional principal an opt-in region needs on the key and on the bucket.
func TestGuardDutyKeyAccess(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	dataprotection.NewKey(stack, "FindingsKey", &dataprotection.KeyProps{
		Alias:    "alias/test/security-findings",
		Services: []dataprotection.ServiceAccess{GuardDutyKeyAccess(stack, GuardDutyServicePrincipal("eu-west-1", false))},
	})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
		"Sid":       "AllowGuarddutyService",
		"Effect":    "Allow",
		"Principal": m{"Service": "guardduty.amazonaws.com"},
		"Action":    "kms:GenerateDataKey",
		"Resource":  "*",
		"Condition": m{
			"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}},
			"ArnLike":      m{"aws:SourceArn": a{"arn:aws:guardduty:eu-west-1:111111111111:detector/*"}},
		},
	}))}})

	assert.Equal(t, "guardduty.amazonaws.com", GuardDutyServicePrincipal("us-east-1", false))
	assert.Equal(t, "guardduty.eu-south-1.amazonaws.com", GuardDutyServicePrincipal("eu-south-1", true))

	optIn := cdktest.NewStack(t, &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-south-1")})
	NewGuardDuty(optIn, "GuardDuty", &GuardDutyProps{
		FindingsBucket: secureBucket(optIn, "Findings"), FindingsKey: cdktest.ImportedKey(optIn),
		ServicePrincipal: GuardDutyServicePrincipal("eu-south-1", true),
	})
	regional := m{"Service": "guardduty.eu-south-1.amazonaws.com"}
	cdktest.Synth(t, optIn).Has("AWS::S3::BucketPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		cdktest.Like(m{"Sid": "GuarddutyEuSouth1ServiceBucketChecks", "Principal": regional, "Action": "s3:GetBucketLocation"}),
		cdktest.Like(m{"Sid": "GuarddutyEuSouth1ServiceDelivery", "Principal": regional, "Action": "s3:PutObject"}),
	))}})
}

func TestGuardDutyMalwareProtection(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewGuardDuty(stack, "GuardDuty", &GuardDutyProps{MalwareScannedBuckets: []MalwareScannedBucket{
		{BucketName: "uploads", Prefixes: []string{"incoming/", "quarantine/"}},
		{BucketName: "shared.example-bucket"},
	}})
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::GuardDuty::MalwareProtectionPlan", 2)
	tp.Has("AWS::GuardDuty::MalwareProtectionPlan", m{
		"ProtectedResource": assertions.Match_Exact(m{"S3Bucket": m{"BucketName": "uploads", "ObjectPrefixes": a{"incoming/", "quarantine/"}}}),
		"Actions":           assertions.Match_Exact(m{"Tagging": m{"Status": "ENABLED"}}),
	})
	tp.Has("AWS::GuardDuty::MalwareProtectionPlan", m{
		"ProtectedResource": assertions.Match_Exact(m{"S3Bucket": m{"BucketName": "shared.example-bucket"}}),
	})

	for id, plan := range tp.Resources("AWS::GuardDuty::MalwareProtectionPlan") {
		props := plan["Properties"].(m)
		name := props["ProtectedResource"].(m)["S3Bucket"].(m)["BucketName"].(string)
		roleArn, ok := props["Role"].(m)["Fn::GetAtt"].(a)
		if !assert.True(t, ok, "%s: Role is the plan's own role", id) {
			continue
		}
		roleID := roleArn[0].(string)
		assert.Contains(t, plan["DependsOn"], roleID, "%s waits for its role", id)
		role := tp.Resource(roleID)["Properties"].(m)
		assert.Equal(t, a{m{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": m{"Service": "malware-protection-plan.guardduty.amazonaws.com"}}},
			role["AssumeRolePolicyDocument"].(m)["Statement"], "%s trusts only the malware protection service", roleID)

		statements := roleStatements(tp, roleID)
		bucket, objects := "arn:aws:s3:::"+name, "arn:aws:s3:::"+name+"/*"
		rule := "arn:aws:events:eu-west-1:111111111111:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*"
		for action, resource := range map[string]string{
			"events:PutRule":             rule,
			"events:DeleteRule":          rule,
			"events:PutTargets":          rule,
			"events:RemoveTargets":       rule,
			"events:DescribeRule":        rule,
			"events:ListTargetsByRule":   rule,
			"s3:PutObjectTagging":        objects,
			"s3:GetObjectTagging":        objects,
			"s3:PutObjectVersionTagging": objects,
			"s3:GetObjectVersionTagging": objects,
			"s3:PutBucketNotification":   bucket,
			"s3:GetBucketNotification":   bucket,
			"s3:PutObject":               bucket + "/malware-protection-resource-validation-object",
			"s3:ListBucket":              bucket,
			"s3:GetObject":               objects,
			"s3:GetObjectVersion":        objects,
			"kms:GenerateDataKey":        "arn:aws:kms:eu-west-1:111111111111:key/*",
			"kms:Decrypt":                "arn:aws:kms:eu-west-1:111111111111:key/*",
		} {
			s := statementWith(t, statements, action)
			assert.Equal(t, resource, s["Resource"], "%s: resource of %s", roleID, action)
		}
		assert.Len(t, actions(statements), 18, "%s: no action beyond GuardDuty's documented policy", roleID)
		assert.Equal(t, m{"StringLike": m{"events:ManagedBy": "malware-protection-plan.guardduty.amazonaws.com"}},
			statementWith(t, statements, "events:PutRule")["Condition"], roleID)
		assert.Equal(t, m{"StringLike": m{"kms:ViaService": "s3.eu-west-1.amazonaws.com"}},
			statementWith(t, statements, "kms:Decrypt")["Condition"], roleID)
	}
}

func TestGuardDutyPanics(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	cdktest.PanicsWith(t, `detection.NewGuardDuty "A": FindingsBucket and FindingsKey go together`, func() {
		NewGuardDuty(stack, "A", &GuardDutyProps{FindingsBucket: secureBucket(stack, "Findings")})
	})
	cdktest.PanicsWith(t, `detection.NewGuardDuty "B": FindingsBucket and FindingsKey go together`, func() {
		NewGuardDuty(stack, "B", &GuardDutyProps{FindingsKey: cdktest.ImportedKey(cdktest.NewStack(t, cdktest.Env))})
	})
	for _, b := range []MalwareScannedBucket{
		{BucketName: "Uploads"},
		{BucketName: "up"},
		{BucketName: "uploads-"},
		{BucketName: "uploads/incoming"},
		{BucketName: "uploads", Prefixes: []string{"1", "2", "3", "4", "5", "6"}},
	} {
		cdktest.PanicsWith(t, `malware-scanned bucket "`+b.BucketName+`" needs a valid name and at most 5 prefixes`, func() {
			NewGuardDuty(cdktest.NewStack(t, cdktest.Env), "GuardDuty", &GuardDutyProps{MalwareScannedBuckets: []MalwareScannedBucket{b}})
		})
	}
}

package prevention

// perimeterActions are the actions the data perimeter covers: every action
// of the RCP-capable services mamori guards, but for STS only AssumeRole
// (AssumeRoleWithWebIdentity and AssumeRoleWithSAML come from identity
// providers, never from a principal of any organization, and must keep
// working for federation and CI).
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
var perimeterActions = []string{"s3:*", "kms:*", "sts:AssumeRole", "secretsmanager:*", "sqs:*"}

// DataPerimeter is the RCP statements of the data perimeter: the targets'
// S3, KMS, STS, Secrets Manager and SQS resources refuse principals outside
// the organization (aws:PrincipalOrgID) unless their account is one of the
// exceptions; AWS service principals only when they act for a resource of
// the organization (aws:SourceOrgID, whenever the request names a source
// account); and every request without TLS (aws:SecureTransport).
// Service-linked roles and the management account's resources are outside
// RCPs. The statements follow the RCP examples of the Organizations user
// guide and the KMS developer guide.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html
// https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func DataPerimeter(organizationID string, exceptionAccounts []string) []Statement {
	identity := map[string]any{"aws:PrincipalOrgID": organizationID}
	if len(exceptionAccounts) > 0 {
		// Keys under one operator are ANDed: the deny holds only when the
		// principal is neither in the organization nor an exception.
		identity["aws:PrincipalAccount"] = exceptionAccounts
	}
	return []Statement{
		{
			Sid: "EnforceOrgIdentities", Effect: "Deny", Principal: "*", Action: perimeterActions, Resource: []string{"*"},
			Condition: map[string]any{
				"StringNotEqualsIfExists": identity,
				"BoolIfExists":            map[string]any{"aws:PrincipalIsAWSService": "false"},
			},
		},
		{
			Sid: "EnforceConfusedDeputyProtection", Effect: "Deny", Principal: "*", Action: perimeterActions, Resource: []string{"*"},
			Condition: map[string]any{
				"StringNotEqualsIfExists": map[string]any{"aws:SourceOrgID": organizationID},
				"Null":                    map[string]any{"aws:SourceAccount": "false"},
				"Bool":                    map[string]any{"aws:PrincipalIsAWSService": "true"},
			},
		},
		{
			Sid: "EnforceSecureTransport", Effect: "Deny", Principal: "*", Action: perimeterActions, Resource: []string{"*"},
			Condition: map[string]any{"BoolIfExists": map[string]any{"aws:SecureTransport": "false"}},
		},
	}
}

package organization

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// OrganizationTrail names the organization trail that delivers to the
// archive: the management account owns it, whichever account created it.
type OrganizationTrail struct {
	// ManagementAccountID owns the trail (12 digits). Required.
	ManagementAccountID string
	// Region is the trail's home region. Required.
	Region string
	// Name is the trail's name. Required.
	Name string
}

// Arn is the trail's ARN, formatted in the archive's stack (partition).
func (t OrganizationTrail) Arn(stack awscdk.Stack) string {
	return *stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("cloudtrail"), Region: jsii.String(t.Region), Account: jsii.String(t.ManagementAccountID),
		Resource: jsii.String("trail"), ResourceName: jsii.String(t.Name), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
}

// GrantOrganizationTrail lets the organization trail deliver every account's
// log and digest files into the evidence bucket under
// AWSLogs/<organization ID>/, and encrypt them with the central key, with
// the conditions CloudTrail documents: aws:SourceArn is the trail (owned by
// the management account) on the bucket's and the key's statements, and the
// key's aws:cloudtrail:arn encryption context names a trail of the
// management account. The bucket statements also carry aws:SourceOrgID.
// The management account's own prefix (AWSLogs/<management>/) is granted
// too, as CloudTrail's documented organization trail policy has it: files
// land there if the trail stops being an organization trail, and CloudTrail
// checks the bucket policy when the trail is created.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-an-organizational-trail-by-using-the-aws-cli.html#org-trail-bucket-policy
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
func (l *LogArchive) GrantOrganizationTrail(t OrganizationTrail) {
	if !accountID.MatchString(t.ManagementAccountID) || t.Region == "" || t.Name == "" {
		panic(fmt.Errorf("organization.LogArchive.GrantOrganizationTrail: a 12-digit ManagementAccountID, Region and Name are required, got %+v", t))
	}
	stack := awscdk.Stack_Of(l.Scope)
	arn := t.Arn(stack)
	l.GrantOrganizationWrite(l.EvidenceBucket, OrganizationWrite{
		Service:                       "cloudtrail.amazonaws.com",
		KeyPattern:                    "AWSLogs/" + l.orgID + "/*",
		BucketActions:                 []string{"s3:GetBucketAcl"},
		SourceArns:                    []string{arn},
		RequireBucketOwnerFullControl: true,
		OwnKeyGrant:                   true,
	})
	l.EvidenceBucket.Bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudtrailManagementAccountDelivery"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudtrail.amazonaws.com"), nil)},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  jsii.Strings(*l.EvidenceBucket.Bucket.ArnForObjects(jsii.String("AWSLogs/" + t.ManagementAccountID + "/*"))),
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"aws:SourceArn": arn, "s3:x-amz-acl": "bucket-owner-full-control"}},
	}))
	principal := &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudtrail.amazonaws.com"), nil)}
	anyTrail := *stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("cloudtrail"), Region: jsii.String("*"), Account: jsii.String(t.ManagementAccountID),
		Resource: jsii.String("trail"), ResourceName: jsii.String("*"), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
	l.Key.Key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("AllowOrganizationTrailEncrypt"), Principals: principal,
		Actions: jsii.Strings("kms:GenerateDataKey*"), Resources: jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceArn": arn},
			"StringLike":   map[string]interface{}{"kms:EncryptionContext:aws:cloudtrail:arn": anyTrail},
		},
	}), jsii.Bool(false))
	l.Key.Key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("AllowOrganizationTrailDescribe"), Principals: principal,
		Actions: jsii.Strings("kms:DescribeKey"), Resources: jsii.Strings("*"),
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"aws:SourceArn": arn}},
	}), jsii.Bool(false))
}

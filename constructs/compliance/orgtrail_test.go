package compliance

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// An organization trail delivering to another account's bucket creates no
// bucket of its own and encrypts its log group with a key of its own account.
func TestTrailToDestinationBucket(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	archive := "arn:aws:kms:eu-west-1:333333333333:alias/test/org-logs"
	NewTrail(stack, "Trail", &TrailProps{
		Name: "test-trail", EncryptionKey: awskms.Key_FromKeyArn(stack, jsii.String("Archive"), jsii.String(archive)),
		LogGroupKey: cdktest.ImportedKey(stack), DestinationBucket: "test-org-evidence", OrganizationID: "o-abcdefghij",
	})
	tp := cdktest.Synth(t, stack)

	tp.Has("AWS::CloudTrail::Trail", m{
		"IsOrganizationTrail": true, "S3BucketName": "test-org-evidence", "KMSKeyId": archive, "EnableLogFileValidation": true,
	})
	tp.Count("AWS::S3::Bucket", 0)
	tp.Count("AWS::S3::BucketPolicy", 0)
	tp.Has("AWS::Logs::LogGroup", m{"KmsKeyId": cdktest.KeyArn})
	cdktest.PanicsWith(t, "AccessLogs are required", func() {
		NewTrail(stack, "NoDestination", &TrailProps{Name: "test-trail", EncryptionKey: cdktest.ImportedKey(stack)})
	})
}

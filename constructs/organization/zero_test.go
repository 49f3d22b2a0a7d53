package organization

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestZeroPropsAreSecure: a member baseline built from its props' zero
// value, with only the required names filled in, records AWS Config, blocks
// S3 public access for the account and encrypts new EBS volumes.
func TestZeroPropsAreSecure(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Context: cdktest.Context(t)})
	stack := awscdk.NewStack(app, jsii.String("Member"), &awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)})
	NewMemberBaseline(stack, "Baseline", &MemberBaselineProps{
		Prefix: "zero", HomeRegion: "us-east-1", ConfigBucketName: "zero-org-config", LogArchiveAccountID: "333333333333", ConfigKeyArns: []string{"arn:aws:kms:us-east-1:333333333333:key/*"},
	})
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::Config::ConfigurationRecorder", 1)
	tp.Has("AWS::Config::ConfigurationRecorder", m{"RecordingMode": m{"RecordingFrequency": "CONTINUOUS"}})
	tp.Count("Custom::S3AccountPublicAccessBlock", 1)
	tp.Count("Custom::EbsEncryptionByDefault", 1)
}

package dataprotection

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// LogDeliveryKeyAccess admits the log delivery service, which writes vended
// logs (AWS Network Firewall logs, VPC flow logs) to S3 buckets encrypted
// with SSE-KMS, for deliveries from this account and region only.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
func LogDeliveryKeyAccess(scope constructs.Construct) ServiceAccess {
	stack := awscdk.Stack_Of(scope)
	return ServiceAccess{
		Service: "delivery.logs.amazonaws.com",
		Actions: []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
		SourceArns: []string{*stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("logs"), Resource: jsii.String("*"), ArnFormat: awscdk.ArnFormat_NO_RESOURCE_NAME,
		})},
	}
}

package detection

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// StandardArn is the ARN of a Security Hub standard in the stack's region,
// as Security Hub configuration policies name enabled standards.
func StandardArn(stack awscdk.Stack, std Standard) *string {
	path, ok := standardPaths[std]
	if !ok {
		panic(fmt.Errorf("detection.StandardArn: unknown standard %q", std))
	}
	return stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("securityhub"), Account: jsii.String(""), Resource: jsii.String("standards"),
		ResourceName: jsii.String(path), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
}

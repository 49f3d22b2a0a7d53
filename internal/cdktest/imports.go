package cdktest

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// KeyArn is the ARN of the KMS key the tests import: a key in Env's account
// and region.
const KeyArn = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"

// ImportedKey is the key KeyArn imported into stack. An imported key adds no
// resources, so a test may import it as often as it likes; each import takes
// the next free construct ID.
func ImportedKey(stack awscdk.Stack) awskms.IKey {
	return awskms.Key_FromKeyArn(stack, jsii.String(FreeID(stack, "ImportedKey")), jsii.String(KeyArn))
}

// FreeID is base, or base followed by the smallest number from 2 up, such
// that scope has no child of that ID yet.
func FreeID(scope constructs.Construct, base string) string {
	id := base
	for n := 2; scope.Node().TryFindChild(jsii.String(id)) != nil; n++ {
		id = fmt.Sprintf("%s%d", base, n)
	}
	return id
}

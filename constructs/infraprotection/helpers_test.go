package infraprotection

import (
	"fmt"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestMain closes the jsii runtime (one Node.js process for the package) once.
func TestMain(m *testing.M) { cdktest.Main(m) }

const keyArn = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"

var imports int

// importedKey is an imported KMS key; it adds no resources.
func importedKey(stack awscdk.Stack) awskms.IKey {
	imports++
	return awskms.Key_FromKeyArn(stack, jsii.String(fmt.Sprintf("ImportedKey%d", imports)), jsii.String(keyArn))
}

func newProvider(stack awscdk.Stack) *sdkcall.Provider {
	return sdkcall.NewProvider(stack, "Calls", &sdkcall.ProviderProps{LogKey: importedKey(stack)})
}

// usEast1 is the region of global resources.
var usEast1 = &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")}

type (
	m = cdktest.M
	a = cdktest.A
)

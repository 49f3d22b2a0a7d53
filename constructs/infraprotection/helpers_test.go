package infraprotection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestMain closes the jsii runtime (one Node.js process for the package) once.
func TestMain(m *testing.M) { cdktest.Main(m) }

var imports int

// usEast1 is the region of global resources.
var usEast1 = &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")}

type (
	m = cdktest.M
	a = cdktest.A
)

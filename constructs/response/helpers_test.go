package response

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestMain closes the jsii runtime (one Node.js process for the package) once.
func TestMain(m *testing.M) { cdktest.Main(m) }

type (
	m = cdktest.M
	a = cdktest.A
)

// importedTopic is an imported SNS topic; it adds no resources.
func importedTopic(stack awscdk.Stack) awssns.ITopic {
	return awssns.Topic_FromTopicArn(stack, jsii.String("Alerts"), jsii.String("arn:aws:sns:eu-west-1:111111111111:alerts"))
}

// only is the one resource of type typ in the template.
func only(t *testing.T, tp *cdktest.Template, typ string) m {
	t.Helper()
	rs := tp.Resources(typ)
	if len(rs) != 1 {
		t.Fatalf("%d resources of type %s, want 1", len(rs), typ)
	}
	for _, r := range rs {
		return r
	}
	return nil
}

package organization

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

func TestDetectiveAdmin(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewDetectiveAdmin(stack, "Detective", tooling, false)
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::Detective::OrganizationAdmin", 1)
	tp.HasResource("AWS::Detective::OrganizationAdmin", m{"Properties": m{"AccountId": tooling}, "DeletionPolicy": "Retain"})

	destroy := cdktest.NewStack(t, cdktest.Env)
	NewDetectiveAdmin(destroy, "Detective", tooling, true)
	cdktest.Synth(t, destroy).HasResource("AWS::Detective::OrganizationAdmin", m{"DeletionPolicy": "Delete"})

	cdktest.PanicsWith(t, "12-digit admin account ID", func() { NewDetectiveAdmin(cdktest.NewStack(t, cdktest.Env), "D", "1234", false) })
}

func TestDetectiveOrganization(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	graph := "arn:aws:detective:eu-west-1:222222222222:graph:0123456789abcdef0123456789abcdef"
	NewDetectiveOrganization(stack, "Detective", &DetectiveOrganizationProps{Calls: calltest.NewProvider(stack), GraphArn: jsii.String(graph)})
	tp := cdktest.Synth(t, stack)

	ids := tp.Resources("Custom::AWS")
	assert.Len(t, ids, 1)
	for id, r := range ids {
		call := tp.SdkCall(id, "Create")
		assert.Equal(t, "Detective", call["service"])
		assert.Equal(t, "UpdateOrganizationConfiguration", call["action"])
		assert.Equal(t, map[string]interface{}{"GraphArn": graph, "AutoEnable": true}, call["parameters"])
		assert.NotContains(t, r["Properties"].(m), "Delete", "auto-enable stays on when the stack goes")
	}
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		cdktest.Like(m{"Action": "detective:UpdateOrganizationConfiguration"}),
	))}})
	cdktest.PanicsWith(t, "Calls and GraphArn are required", func() { NewDetectiveOrganization(cdktest.NewStack(t, cdktest.Env), "D", nil) })
}

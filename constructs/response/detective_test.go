package response

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

func TestDetectiveStartsSecurityHubPackageAndRetainsGraph(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	d := NewDetective(stack, "Detective", &DetectiveProps{Calls: calltest.NewProvider(stack), SecurityHubFindings: true})
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::Detective::Graph", 1)
	tp.HasResource("AWS::Detective::Graph", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})

	id := cdktest.LogicalID(stack, d.Graph)
	var callID string
	for cid := range tp.Resources("Custom::AWS") {
		callID = cid
	}
	create := tp.SdkCall(callID, "Create")
	assert.Equal(t, "Detective", create["service"])
	assert.Equal(t, "UpdateDatasourcePackages", create["action"])
	assert.Equal(t, a{"ASFF_SECURITYHUB_FINDING"}, create["parameters"].(m)["DatasourcePackages"])
	assert.Equal(t, "<token>", create["parameters"].(m)["GraphArn"], "the graph's ARN, by reference")
	assert.Nil(t, tp.SdkCall(callID, "Delete"), "a package cannot be stopped through the API; nothing runs on delete")
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": cdktest.Like(m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{
		"Sid": "StartDetectivePackages", "Action": "detective:UpdateDatasourcePackages", "Resource": m{"Fn::GetAtt": a{id, "Arn"}},
	})))})})
}

func TestDetectiveBothPackages(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewDetective(stack, "Detective", &DetectiveProps{Calls: calltest.NewProvider(stack), SecurityHubFindings: true, EKSAuditLogs: true})
	tp := cdktest.Synth(t, stack)
	for id := range tp.Resources("Custom::AWS") {
		assert.Equal(t, a{"ASFF_SECURITYHUB_FINDING", "EKS_AUDIT"}, tp.SdkCall(id, "Create")["parameters"].(m)["DatasourcePackages"])
	}
}

func TestDetectiveWithoutPackagesMakesNoCall(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewDetective(stack, "Detective", &DetectiveProps{DestroyOnDelete: true})
	tp := cdktest.Synth(t, stack)
	tp.Count("Custom::AWS", 0)
	tp.HasResource("AWS::Detective::Graph", m{"DeletionPolicy": "Delete"})
}

func TestDetectivePackagesNeedCalls(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	cdktest.PanicsWith(t, "Calls is required", func() { NewDetective(stack, "Detective", &DetectiveProps{EKSAuditLogs: true}) })
}

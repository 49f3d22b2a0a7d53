package dataprotection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

func TestReplicaKey(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	user := awsiam.NewArnPrincipal(jsii.String("arn:aws:iam::111111111111:role/App"))
	r := NewReplicaKey(stack, "Payments", &ReplicaKeyProps{
		PrimaryKeyArn: jsii.String("arn:aws:kms:us-east-1:111111111111:key/mrk-1234"),
		Alias:         "alias/mamori/app/payments",
		Users:         []awsiam.IPrincipal{user},
	})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::KMS::ReplicaKey", m{
		"PrimaryKeyArn":       "arn:aws:kms:us-east-1:111111111111:key/mrk-1234",
		"PendingWindowInDays": 30,
		"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
			m{"Action": "kms:*", "Effect": "Allow", "Principal": m{"AWS": "arn:aws:iam::111111111111:root"}, "Resource": "*"},
			cdktest.Like(m{"Sid": "DenyGrantsExceptForAwsServices", "Effect": "Deny"}),
			cdktest.Like(m{"Sid": "AllowKeyUse", "Principal": m{"AWS": "arn:aws:iam::111111111111:role/App"}}),
		))},
	})
	tp.HasResource("AWS::KMS::ReplicaKey", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	tp.Has("AWS::KMS::Alias", m{
		"AliasName":   "alias/mamori/app/payments",
		"TargetKeyId": m{"Fn::GetAtt": a{cdktest.LogicalID(stack, r.Key), "KeyId"}},
	})
}

func TestReplicaKeyPanics(t *testing.T) {
	cdktest.PanicsWith(t, "PrimaryKeyArn is required", func() {
		NewReplicaKey(cdktest.NewStack(t, cdktest.Env), "R", &ReplicaKeyProps{Alias: "alias/x"})
	})
	cdktest.PanicsWith(t, `must start with "alias/"`, func() {
		NewReplicaKey(cdktest.NewStack(t, cdktest.Env), "R", &ReplicaKeyProps{PrimaryKeyArn: jsii.String("arn"), Alias: "x"})
	})
}

func TestKeyMultiRegionOnlyWhenAsked(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewKey(stack, "Plain", &KeyProps{Alias: "alias/mamori/plain"})
	NewKey(stack, "Multi", &KeyProps{Alias: "alias/mamori/multi", MultiRegion: true})
	tp := cdktest.Synth(t, stack)
	// Never written as false: MultiRegion cannot change on an existing key.
	tp.Has("AWS::KMS::Key", m{"Description": assertions.Match_Absent(), "MultiRegion": assertions.Match_Absent()})
	tp.Has("AWS::KMS::Key", m{"MultiRegion": true})
}

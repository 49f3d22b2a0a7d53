package dataprotection

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
)

// ReplicaKeyProps configures a ReplicaKey.
type ReplicaKeyProps struct {
	// PrimaryKeyArn is the multi-Region primary key's ARN, in another region. Required.
	PrimaryKeyArn *string
	// Alias names the replica in its region, usually the primary's alias. Required.
	Alias string
	// Description says what the key encrypts. Default: none.
	Description string
	// PendingWindow is the wait before deletion (7 to 30 days). Default: 30 days.
	PendingWindow time.Duration
	// Administrators and Users are named in the replica's key policy exactly
	// as in the primary's: key policies are not replicated.
	Administrators []awsiam.IPrincipal
	Users          []awsiam.IPrincipal
	// DestroyOnDelete schedules the replica for deletion when it leaves the
	// stack. Default: false: retained.
	DestroyOnDelete bool
}

// ReplicaKey is a replica of a multi-Region key in this stack's region. It
// shares the primary's key material and rotation; its key policy is its own,
// built from the same statements as the primary's.
// https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-replicate.html
type ReplicaKey struct {
	Scope constructs.Construct
	Key   awskms.CfnReplicaKey
}

// NewReplicaKey creates a ReplicaKey. It panics listing every invalid prop.
func NewReplicaKey(scope constructs.Construct, id string, props *ReplicaKeyProps) *ReplicaKey {
	var p ReplicaKeyProps
	if props != nil {
		p = *props
	}
	if p.PendingWindow == 0 {
		p.PendingWindow = 30 * day
	}
	bad := problems.Of("dataprotection.NewReplicaKey", id)
	if p.PrimaryKeyArn == nil {
		bad.Add("PrimaryKeyArn is required")
	}
	checkAliasAndWindow(bad, p.Alias, p.PendingWindow)
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	// The account root statement every CDK key carries, so that IAM policies
	// can grant use and the key can never be locked out.
	statements := []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Principals: &[]awsiam.IPrincipal{awsiam.NewAccountRootPrincipal()},
		Actions:    jsii.Strings("kms:*"),
		Resources:  jsii.Strings("*"),
	})}
	statements = append(statements, policyStatements(stack, KeyProps{Administrators: p.Administrators, Users: p.Users})...)
	replica := awskms.NewCfnReplicaKey(this, jsii.String("Resource"), &awskms.CfnReplicaKeyProps{
		PrimaryKeyArn:       p.PrimaryKeyArn,
		KeyPolicy:           awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &statements}),
		Description:         optional(p.Description),
		PendingWindowInDays: jsii.Number(float64(p.PendingWindow / day)),
	})
	replica.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	awskms.NewCfnAlias(this, jsii.String("Alias"), &awskms.CfnAliasProps{
		AliasName:   jsii.String(p.Alias),
		TargetKeyId: replica.AttrKeyId(),
	})
	return &ReplicaKey{Scope: this, Key: replica}
}

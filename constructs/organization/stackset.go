package organization

import (
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
)

// MaxTemplateBody is the largest template CloudFormation accepts inline
// (TemplateBody); larger templates must come from S3.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
const MaxTemplateBody = 51200

// MemberStackSetProps configures a MemberStackSet.
type MemberStackSetProps struct {
	// Name is the StackSet's name. Required.
	Name string
	// Description of the StackSet. Default: none.
	Description string
	// TemplateBody is the member template, self-contained JSON of at most
	// MaxTemplateBody bytes. Required.
	TemplateBody string
	// TargetOUs are the OUs (ou-...) or root (r-...) whose accounts, present
	// and future, receive the template. Required.
	TargetOUs []string
	// Regions are where each account receives it. Required.
	Regions []string
	// ExcludedAccounts are accounts of the target OUs that do not receive it
	// (the security-tooling account, which deploys its own stacks).
	// Default: none.
	ExcludedAccounts []string
	// Operation preferences; set a percentage or a count of each.
	MaxConcurrentPercentage    int
	MaxConcurrentCount         int
	FailureTolerancePercentage int
	FailureToleranceCount      int
	// RegionConcurrency is PARALLEL or SEQUENTIAL. Default: PARALLEL.
	RegionConcurrency string
	// RegionOrder orders regions. Default: CloudFormation's.
	RegionOrder []string
	// DestroyOnDelete deletes the StackSet, and with it every member's
	// stacks, when it leaves the stack. Default: false: the StackSet and the
	// members' stacks are retained.
	DestroyOnDelete bool
}

// MemberStackSet deploys one template into every account of the target
// OUs in every region through a service-managed StackSet with automatic
// deployment: accounts that join a target OU receive it, accounts that
// leave keep their stacks (RetainStacksOnAccountRemoval). Nothing in the
// app grows with the number of accounts.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html
type MemberStackSet struct {
	Scope    constructs.Construct
	StackSet awscdk.CfnStackSet
}

// NewMemberStackSet creates a MemberStackSet. It panics listing every
// invalid prop.
func NewMemberStackSet(scope constructs.Construct, id string, props *MemberStackSetProps) *MemberStackSet {
	var p MemberStackSetProps
	if props != nil {
		p = *props
	}
	bad := problems.Of("organization.NewMemberStackSet", id)
	if p.Name == "" || p.TemplateBody == "" || len(p.TargetOUs) == 0 || len(p.Regions) == 0 {
		bad.Add("Name, TemplateBody, TargetOUs and Regions are required")
	}
	if len(p.TemplateBody) > MaxTemplateBody {
		bad.Add("the member template is %d bytes, over CloudFormation's inline limit of %d", len(p.TemplateBody), MaxTemplateBody)
	}
	if (p.MaxConcurrentPercentage > 0) == (p.MaxConcurrentCount > 0) {
		bad.Add("set exactly one of MaxConcurrentPercentage and MaxConcurrentCount")
	}
	bad.Check()
	if p.RegionConcurrency == "" {
		p.RegionConcurrency = "PARALLEL"
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	num := func(n int) *float64 {
		if n == 0 {
			return nil
		}
		return jsii.Number(float64(n))
	}
	prefs := &awscdk.CfnStackSet_OperationPreferencesProperty{
		MaxConcurrentPercentage:    num(p.MaxConcurrentPercentage),
		MaxConcurrentCount:         num(p.MaxConcurrentCount),
		FailureTolerancePercentage: num(p.FailureTolerancePercentage),
		FailureToleranceCount:      num(p.FailureToleranceCount),
		RegionConcurrencyType:      jsii.String(p.RegionConcurrency),
	}
	if len(p.RegionOrder) > 0 {
		prefs.RegionOrder = jsiix.Strs(p.RegionOrder)
	}
	targets := &awscdk.CfnStackSet_DeploymentTargetsProperty{OrganizationalUnitIds: jsiix.Strs(p.TargetOUs)}
	if len(p.ExcludedAccounts) > 0 {
		excluded := append([]string{}, p.ExcludedAccounts...)
		sort.Strings(excluded)
		targets.Accounts = jsiix.Strs(excluded)
		targets.AccountFilterType = jsii.String("DIFFERENCE")
	}
	description := p.Description
	ss := awscdk.NewCfnStackSet(this, jsii.String("Resource"), &awscdk.CfnStackSetProps{
		StackSetName:    jsii.String(p.Name),
		Description:     optionalString(description),
		PermissionModel: jsii.String("SERVICE_MANAGED"),
		AutoDeployment: &awscdk.CfnStackSet_AutoDeploymentProperty{
			Enabled:                      jsii.Bool(true),
			RetainStacksOnAccountRemoval: jsii.Bool(true),
		},
		// The member template names its AWS Config role.
		Capabilities:         jsii.Strings("CAPABILITY_NAMED_IAM"),
		ManagedExecution:     map[string]interface{}{"Active": true},
		OperationPreferences: prefs,
		StackInstancesGroup: []interface{}{&awscdk.CfnStackSet_StackInstancesProperty{
			DeploymentTargets: targets,
			Regions:           jsiix.Strs(p.Regions),
		}},
		TemplateBody: jsii.String(p.TemplateBody),
	})
	ss.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	return &MemberStackSet{Scope: this, StackSet: ss}
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}

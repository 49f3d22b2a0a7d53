package organization

import (
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsconfig"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecurityhub"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/detection"
	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// OrganizationSettingsProps configures OrganizationSettings.
type OrganizationSettingsProps struct {
	// Calls runs the API calls. Required unless SkipGuardDuty, SkipMacie
	// and SkipInspector are all set.
	Calls *sdkcall.Provider
	// GuardDuty auto-enables GuardDuty, with these plans, in every account
	// of the organization, present and future. Required unless
	// SkipGuardDuty: it names the administrator's detector.
	GuardDuty *GuardDutyOrganization
	// SkipGuardDuty leaves GuardDuty's organization configuration alone.
	// Default: false.
	SkipGuardDuty bool
	// SkipMacie leaves Macie's organization configuration alone. Default:
	// false: Macie is auto-enabled in accounts that join.
	SkipMacie bool
	// Inspector are the scan types auto-enabled in accounts that join.
	// Default: nil: every scan type.
	Inspector *detection.ScanTypes
	// SkipInspector leaves Inspector's organization configuration alone.
	// Default: false.
	SkipInspector bool
	// SecurityHub switches the organization to Security Hub central
	// configuration with one configuration policy associated to the target
	// OUs or the root; it belongs in the home region only. Required unless
	// SkipSecurityHub: it names the targets.
	SecurityHub *SecurityHubCentral
	// SkipSecurityHub leaves Security Hub's organization configuration
	// alone, as every region but the home region must. Default: false.
	SkipSecurityHub bool
	// SkipAccessAnalyzer creates no ORGANIZATION external-access analyzer.
	// Default: false: it is created.
	SkipAccessAnalyzer bool
	// UnusedAccessAgeDays, above zero, adds an ORGANIZATION_UNUSED_ACCESS
	// analyzer (home region only; billed per IAM role and user): costly, so
	// opt-in. Default: 0.
	UnusedAccessAgeDays int
	// AggregatorRegions are the regions of the AWS Config aggregator over
	// the whole organization (home region only). Default: nil: the stack's
	// region.
	AggregatorRegions []string
	// SkipAggregator creates no AWS Config aggregator, as every region but
	// the home region must. Default: false.
	SkipAggregator bool
	// DestroyOnDelete deletes the analyzers and aggregator with the stack.
	// Default: false.
	DestroyOnDelete bool
}

// GuardDutyOrganization is GuardDuty's organization configuration.
type GuardDutyOrganization struct {
	// DetectorID is the delegated administrator's detector in this region. Required.
	DetectorID *string
	// Plans are auto-enabled for every account; the others are turned off.
	// Default: nil: every plan (detection.AllPlans).
	Plans *detection.ProtectionPlans
}

// SecurityHubCentral is the organization's Security Hub configuration policy.
type SecurityHubCentral struct {
	// PolicyName names the configuration policy. Required.
	PolicyName string
	// Standards are enabled in every governed account and region.
	// Default: none given: AWS Foundational Security Best Practices.
	Standards []detection.Standard
	// DisabledControls are security control IDs (e.g. "IAM.6") turned off
	// everywhere. Default: none.
	DisabledControls []string
	// Parameters are custom control parameters. Default: none.
	Parameters []detection.ControlParameters
	// Targets are the OUs (ou-...), the root (r-...) or accounts (12
	// digits) the policy applies to. Required.
	Targets []string
	// After is the finding aggregator, which central configuration needs in
	// the home region first: CloudFormation's, or the one that links no
	// region (detection.SecurityHub.Aggregation is either).
	After []constructs.IDependable
}

// OrganizationSettings is what the security-tooling (delegated
// administrator) account turns on for the whole organization in one region:
// GuardDuty, Macie and Inspector auto-enablement
// (guardduty/macie2/inspector2 UpdateOrganizationConfiguration), Security Hub
// central configuration, organization IAM Access Analyzer analyzers and an
// organization AWS Config aggregator. Deleting it leaves every member as
// it is.
// https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UpdateOrganizationConfiguration.html
// https://docs.aws.amazon.com/macie/latest/APIReference/admin-configuration.html
// https://docs.aws.amazon.com/inspector/v2/APIReference/API_UpdateOrganizationConfiguration.html
// https://docs.aws.amazon.com/securityhub/latest/userguide/central-configuration-intro.html
type OrganizationSettings struct {
	Scope constructs.Construct
}

// NewOrganizationSettings creates OrganizationSettings. It panics listing
// every invalid prop.
func NewOrganizationSettings(scope constructs.Construct, id string, props *OrganizationSettingsProps) *OrganizationSettings {
	var p OrganizationSettingsProps
	if props != nil {
		p = *props
	}
	checkOrganizationSettings(id, p)
	this := constructs.NewConstruct(scope, jsii.String(id))
	stack := awscdk.Stack_Of(this)
	if g := p.GuardDuty; !p.SkipGuardDuty {
		plans := detection.AllPlans()
		if g.Plans != nil {
			plans = *g.Plans
		}
		organizationCall(this, p.Calls, "GuardDuty", "GuardDuty", map[string]interface{}{
			"DetectorId": g.DetectorID,
			// ALL: existing members too, and those GuardDuty had suspended.
			"AutoEnableOrganizationMembers": "ALL",
			"Features":                      guardDutyAutoEnable(plans),
		}, "guardduty:UpdateOrganizationConfiguration", "guardduty:DescribeOrganizationConfiguration")
	}
	if !p.SkipMacie {
		organizationCall(this, p.Calls, "Macie", "Macie2", map[string]interface{}{"autoEnable": true},
			"macie2:UpdateOrganizationConfiguration", "macie2:DescribeOrganizationConfiguration")
	}
	if p.Calls != nil {
		suppressOrganizationCalls(p.Calls, false)
	}
	if !p.SkipInspector {
		in := allScanTypes
		if p.Inspector != nil {
			in = *p.Inspector
		}
		organizationCall(this, p.Calls, "Inspector", "Inspector2", map[string]interface{}{
			"autoEnable": map[string]interface{}{"ec2": in.EC2, "ecr": in.ECR, "lambda": in.Lambda, "lambdaCode": in.LambdaCode},
		}, "inspector2:UpdateOrganizationConfiguration", "inspector2:DescribeOrganizationConfiguration")
	}
	if !p.SkipSecurityHub {
		newSecurityHubCentral(this, stack, p.SecurityHub, jsiix.Removal(p.DestroyOnDelete))
	}
	if !p.SkipAccessAnalyzer || p.UnusedAccessAgeDays > 0 {
		detection.NewAccessAnalyzer(this, "AccessAnalyzer", &detection.AccessAnalyzerProps{
			Zone: detection.OrganizationZone, SkipExternalAccess: p.SkipAccessAnalyzer,
			UnusedAccessAgeDays: p.UnusedAccessAgeDays, DestroyOnDelete: p.DestroyOnDelete,
		})
	}
	if !p.SkipAggregator {
		newOrganizationAggregator(this, p)
	}
	return &OrganizationSettings{Scope: this}
}

// checkOrganizationSettings panics listing every invalid prop of p.
func checkOrganizationSettings(id string, p OrganizationSettingsProps) {
	bad := problems.Of("organization.NewOrganizationSettings", id)
	if (!p.SkipGuardDuty || !p.SkipMacie || !p.SkipInspector) && p.Calls == nil {
		bad.Add("Calls is required unless SkipGuardDuty, SkipMacie and SkipInspector are all set")
	}
	if !p.SkipGuardDuty && p.GuardDuty == nil {
		bad.Add("GuardDuty is required unless SkipGuardDuty")
	}
	if !p.SkipSecurityHub && p.SecurityHub == nil {
		bad.Add("SecurityHub is required unless SkipSecurityHub")
	}
	if g := p.GuardDuty; !p.SkipGuardDuty && g != nil && g.DetectorID == nil {
		bad.Add("GuardDuty.DetectorID is required")
	}
	if sh := p.SecurityHub; !p.SkipSecurityHub && sh != nil && (sh.PolicyName == "" || len(sh.Targets) == 0) {
		bad.Add("SecurityHub needs PolicyName and Targets")
	}
	bad.Check()
}

// organizationCall makes one service's UpdateOrganizationConfiguration
// call; its role holds actions, which are account-level: no resource ARN.
func organizationCall(this constructs.Construct, calls *sdkcall.Provider, id, service string, params map[string]interface{}, actions ...string) {
	calls.NewCall(this, id, &sdkcall.CallProps{
		OnCreate: &customresources.AwsSdkCall{
			Service: jsii.String(service), Action: jsii.String("UpdateOrganizationConfiguration"), Parameters: params,
			PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String(strings.ToLower(id) + "-organization-configuration")),
		},
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings(actions...), Resources: jsii.Strings("*")})},
	})
}

// guardDutyAutoEnable is GuardDuty's organization Features parameter: each
// protection plan, and each of its agents, auto-enabled for ALL members or
// NONE.
func guardDutyAutoEnable(plans detection.ProtectionPlans) []interface{} {
	auto := func(on bool) string { return map[bool]string{true: "ALL", false: "NONE"}[on] }
	var features []interface{}
	for _, f := range plans.Features() {
		feature := map[string]interface{}{"Name": f.Name, "AutoEnable": auto(f.On)}
		if f.Agents != nil {
			var agents []interface{}
			for _, a := range f.Agents {
				agents = append(agents, map[string]interface{}{"Name": a.Name, "AutoEnable": auto(a.On)})
			}
			feature["AdditionalConfiguration"] = agents
		}
		features = append(features, feature)
	}
	return features
}

// newOrganizationAggregator aggregates the organization's accounts in
// AggregatorRegions, or the stack's region.
func newOrganizationAggregator(this constructs.Construct, p OrganizationSettingsProps) {
	// The role AWS Config assumes to read the organization's accounts.
	// https://docs.aws.amazon.com/config/latest/developerguide/aggregated-create.html
	role := awsiam.NewRole(this, jsii.String("AggregatorRole"), &awsiam.RoleProps{
		AssumedBy:       awsiam.NewServicePrincipal(jsii.String("config.amazonaws.com"), nil),
		Description:     jsii.String("Lets AWS Config aggregate the organization's accounts"),
		ManagedPolicies: &[]awsiam.IManagedPolicy{awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("service-role/AWSConfigRoleForOrganizations"))},
	})
	nag.Suppress(role, false, nag.Rule{
		ID:        "AwsSolutions-IAM4",
		Reason:    "AWS Config documents this AWS managed policy as the organization aggregator's permissions; it is read-only and AWS keeps it current.",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"},
	})
	regions := append([]string{}, p.AggregatorRegions...)
	if len(regions) == 0 {
		regions = []string{*awscdk.Stack_Of(this).Region()}
	}
	sort.Strings(regions)
	agg := awsconfig.NewCfnConfigurationAggregator(this, jsii.String("Aggregator"), &awsconfig.CfnConfigurationAggregatorProps{
		OrganizationAggregationSource: &awsconfig.CfnConfigurationAggregator_OrganizationAggregationSourceProperty{
			RoleArn:    role.RoleArn(),
			AwsRegions: jsiix.Strs(regions),
		},
	})
	agg.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	agg.Node().AddDependency(role)
}

// newSecurityHubCentral switches the organization to central configuration
// and associates one policy with the targets.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-securityhub-organizationconfiguration.html
// Central configuration, its policy and associations are retained on delete
// unless DestroyOnDelete: deleting them would turn central configuration off
// for the whole organization.
func newSecurityHubCentral(this constructs.Construct, stack awscdk.Stack, sh *SecurityHubCentral, removal awscdk.RemovalPolicy) {
	stds := sh.Standards
	if len(stds) == 0 {
		stds = []detection.Standard{detection.FoundationalBestPractices}
	}
	org := awssecurityhub.NewCfnOrganizationConfiguration(this, jsii.String("SecurityHubCentral"), &awssecurityhub.CfnOrganizationConfigurationProps{
		AutoEnable:          jsii.Bool(false),
		AutoEnableStandards: jsii.String("NONE"),
		ConfigurationType:   jsii.String("CENTRAL"),
	})
	org.ApplyRemovalPolicy(removal, nil)
	for _, d := range sh.After {
		org.Node().AddDependency(d)
	}
	var standards []*string
	for _, std := range stds {
		standards = append(standards, detection.StandardArn(stack, std))
	}
	var params []interface{}
	for _, cp := range sh.Parameters {
		values := map[string]interface{}{}
		names := make([]string, 0, len(cp.Parameters))
		for n := range cp.Parameters {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			values[n] = &awssecurityhub.CfnConfigurationPolicy_ParameterConfigurationProperty{
				ValueType: jsii.String("CUSTOM"), Value: parameterValue(cp.Parameters[n]),
			}
		}
		params = append(params, &awssecurityhub.CfnConfigurationPolicy_SecurityControlCustomParameterProperty{
			SecurityControlId: jsii.String(cp.Control), Parameters: values,
		})
	}
	disabled := append([]string{}, sh.DisabledControls...)
	sort.Strings(disabled)
	policy := awssecurityhub.NewCfnConfigurationPolicy(this, jsii.String("SecurityHubPolicy"), &awssecurityhub.CfnConfigurationPolicyProps{
		Name:        jsii.String(sh.PolicyName),
		Description: jsii.String("mamori: Security Hub, its standards and controls in every governed account and region"),
		ConfigurationPolicy: &awssecurityhub.CfnConfigurationPolicy_PolicyProperty{
			SecurityHub: &awssecurityhub.CfnConfigurationPolicy_SecurityHubPolicyProperty{
				ServiceEnabled:             jsii.Bool(true),
				EnabledStandardIdentifiers: &standards,
				SecurityControlsConfiguration: &awssecurityhub.CfnConfigurationPolicy_SecurityControlsConfigurationProperty{
					// An empty disabled list enables every control, new ones included.
					DisabledSecurityControlIdentifiers: jsiix.Strs(disabled),
					SecurityControlCustomParameters:    params,
				},
			},
		},
	})
	policy.AddResourceDependency(org, jsii.String("a configuration policy needs central configuration on"))
	policy.ApplyRemovalPolicy(removal, nil)
	for _, t := range sh.Targets {
		typ := "ORGANIZATIONAL_UNIT"
		switch {
		case strings.HasPrefix(t, "r-"):
			typ = "ROOT"
		case accountID.MatchString(t):
			typ = "ACCOUNT"
		}
		a := awssecurityhub.NewCfnPolicyAssociation(this, jsii.String("SecurityHubPolicy"+pascal(t)), &awssecurityhub.CfnPolicyAssociationProps{
			ConfigurationPolicyId: policy.AttrId(),
			TargetId:              jsii.String(t),
			TargetType:            jsii.String(typ),
		})
		a.AddResourceDependency(policy, jsii.String("the association names the policy"))
		a.ApplyRemovalPolicy(removal, nil)
	}
}

// parameterValue is one control parameter value in a configuration policy.
func parameterValue(v detection.ParameterValue) *awssecurityhub.CfnConfigurationPolicy_ParameterValueProperty {
	out := &awssecurityhub.CfnConfigurationPolicy_ParameterValueProperty{}
	switch {
	case v.Integer != nil:
		out.Integer = jsii.Number(float64(*v.Integer))
	case v.Double != nil:
		out.Double = jsii.Number(*v.Double)
	case v.Boolean != nil:
		out.Boolean = jsii.Bool(*v.Boolean)
	case v.String != nil:
		out.String = jsii.String(*v.String)
	case v.Enum != nil:
		out.Enum = jsii.String(*v.Enum)
	case len(v.StringList) > 0:
		out.StringList = jsiix.Strs(v.StringList)
	case len(v.IntegerList) > 0:
		var n []*float64
		for _, i := range v.IntegerList {
			n = append(n, jsii.Number(float64(i)))
		}
		out.IntegerList = &n
	case len(v.EnumList) > 0:
		out.EnumList = jsiix.Strs(v.EnumList)
	}
	return out
}

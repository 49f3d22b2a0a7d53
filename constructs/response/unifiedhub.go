package response

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awssecurityhub"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
)

// UnifiedSecurityHubProps configures UnifiedSecurityHub.
type UnifiedSecurityHubProps struct {
	// LinkedRegions, when set, makes this the home region of the unified
	// Security Hub: an aggregator (SPECIFIED_REGIONS, the only mode
	// CloudFormation offers) brings these regions' data here. Default: none.
	LinkedRegions []string
	// DestroyOnDelete disables the unified Security Hub in this region when
	// it leaves the stack. Default: false: it stays on.
	DestroyOnDelete bool
}

// UnifiedSecurityHub turns on the unified Security Hub (AWS::SecurityHub::HubV2),
// which correlates Security Hub CSPM, GuardDuty, Inspector and Macie findings
// into exposures, in OCSF. It does not replace Security Hub CSPM (the
// AWS::SecurityHub::Hub of the detection layer): both coexist and bill
// separately. Network scanning is left unmanaged (HubV2's NetworkScanning is
// desired state and commercial-partition only).
//
// Deleting the HubV2 resource disables the unified Security Hub in the
// region (DisableSecurityHubV2, whose reference says only that it disables
// the service in the region; it does not say what becomes of its findings,
// unlike Security Hub CSPM's, which are deleted 90 days after
// DisableSecurityHub). So the hub is retained unless DestroyOnDelete is set.
// The aggregator is configuration and is deleted with the stack.
// https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DisableSecurityHubV2.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-securityhub-hubv2.html
type UnifiedSecurityHub struct {
	Scope      constructs.Construct
	Hub        awssecurityhub.CfnHubV2
	Aggregator awssecurityhub.CfnAggregatorV2
}

// NewUnifiedSecurityHub creates a UnifiedSecurityHub.
func NewUnifiedSecurityHub(scope constructs.Construct, id string, props *UnifiedSecurityHubProps) *UnifiedSecurityHub {
	var p UnifiedSecurityHubProps
	if props != nil {
		p = *props
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	hub := awssecurityhub.NewCfnHubV2(this, jsii.String("Resource"), &awssecurityhub.CfnHubV2Props{})
	hub.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	u := &UnifiedSecurityHub{Scope: this, Hub: hub}
	if len(p.LinkedRegions) > 0 {
		u.Aggregator = awssecurityhub.NewCfnAggregatorV2(this, jsii.String("Aggregator"), &awssecurityhub.CfnAggregatorV2Props{
			RegionLinkingMode: jsii.String("SPECIFIED_REGIONS"),
			LinkedRegions:     jsiix.Strs(slices.Sorted(slices.Values(p.LinkedRegions))),
		})
		u.Aggregator.AddResourceDependency(hub, nil)
	}
	return u
}

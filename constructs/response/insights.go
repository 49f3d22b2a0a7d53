package response

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awssecurityhub"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
)

// Insight is one Security Hub custom insight over active findings that are
// not resolved or suppressed.
type Insight struct {
	// Name, 1 to 128 characters. Required.
	Name string
	// GroupBy is the finding attribute findings are grouped by, e.g.
	// "ResourceId". Required.
	GroupBy string
	// SeverityLabels keep findings of these severities. Default: any.
	SeverityLabels []SeverityLabel
	// ControlIDs keep findings of these security controls. Default: any.
	ControlIDs []string
	// ProductNames keep findings of these products. Default: any.
	ProductNames []string
	// FailedOnly keeps control findings that failed. Default: false.
	FailedOnly bool
}

// InsightsProps configures Insights.
type InsightsProps struct {
	Insights []Insight
}

// Insights are Security Hub custom insights (AWS::SecurityHub::Insight):
// saved, grouped views of findings, here over active findings whose workflow
// status is NEW or NOTIFIED, so that fixed and suppressed ones drop out.
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-custom-insights.html
type Insights struct {
	Scope    constructs.Construct
	Insights []awssecurityhub.CfnInsight
}

// NewInsights creates Insights. It panics listing every invalid insight.
func NewInsights(scope constructs.Construct, id string, props *InsightsProps) *Insights {
	var p InsightsProps
	if props != nil {
		p = *props
	}
	bad := problems.Of("response.NewInsights", id)
	seen := map[string]bool{}
	for _, in := range p.Insights {
		if in.Name == "" || len(in.Name) > 128 || in.GroupBy == "" || seen[in.Name] {
			bad.Add("insight %q needs a unique name of 1 to 128 characters and a GroupBy attribute", in.Name)
		}
		seen[in.Name] = true
		for _, l := range in.SeverityLabels {
			if !slices.Contains(severityLabels, l) {
				bad.Add("insight %q: unknown severity label %q", in.Name, l)
			}
		}
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	out := &Insights{Scope: this}
	for _, in := range p.Insights {
		eq := func(values ...string) []interface{} {
			var out []interface{}
			for _, v := range values {
				out = append(out, &awssecurityhub.CfnInsight_StringFilterProperty{Comparison: jsii.String("EQUALS"), Value: jsii.String(v)})
			}
			return out
		}
		filters := &awssecurityhub.CfnInsight_AwsSecurityFindingFiltersProperty{
			RecordState:    eq("ACTIVE"),
			WorkflowStatus: eq("NEW", "NOTIFIED"),
		}
		var labels []string
		for _, l := range in.SeverityLabels {
			labels = append(labels, string(l))
		}
		if len(labels) > 0 {
			filters.SeverityLabel = eq(labels...)
		}
		if len(in.ControlIDs) > 0 {
			filters.ComplianceSecurityControlId = eq(in.ControlIDs...)
		}
		if len(in.ProductNames) > 0 {
			filters.ProductName = eq(in.ProductNames...)
		}
		if in.FailedOnly {
			filters.ComplianceStatus = eq("FAILED")
		}
		out.Insights = append(out.Insights, awssecurityhub.NewCfnInsight(this, jsii.String(ruleID(in.Name)), &awssecurityhub.CfnInsightProps{
			Name:             jsii.String(in.Name),
			GroupByAttribute: jsii.String(in.GroupBy),
			Filters:          filters,
		}))
	}
	return out
}

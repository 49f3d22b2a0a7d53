package stacks

import (
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/response"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/names"
)

// ResponseStackProps configures a ResponseStack.
type ResponseStackProps struct {
	Base Base
	// Home marks the home region: it routes every region's findings (the
	// finding aggregator brings them there) and holds the insights, the
	// Slack channel and the unified Security Hub's aggregator.
	Home bool
	// Regions are all governed regions, the home region among them.
	Regions   []string
	Response  config.Response
	Detection config.Detection
	Logs      config.Logs
	// DataProtection is this region's data-protection stack: its alerts
	// topic (encrypted with the findings key) carries the notifications.
	DataProtection *DataProtectionStack
	// DetectionStack is this region's detection stack: remediations attach
	// to its AWS Config rules.
	DetectionStack *DetectionStack
}

// ResponseStack is the response layer in one region: Detective, finding
// notifications, Security Hub custom actions, automation rules and
// insights, the opt-in unified Security Hub, and remediations.
type ResponseStack struct {
	Stack     awscdk.Stack
	Detective *response.Detective
}

// remediationRunbooks maps each configured remediation to its runbook.
var remediationRunbooks = map[config.RemediationControl]response.Runbook{
	"s3-bucket-public-access": response.DisableS3BucketPublicReadWrite,
	"ssh-open-to-world":       response.DisableIncomingSSHOnPort22,
	"s3-tls-requests-only":    response.RestrictBucketSSLRequestsOnly,
}

// NewResponseStack creates a ResponseStack.
func NewResponseStack(app awscdk.App, name string, props *ResponseStackProps) *ResponseStack {
	p := *props
	r := p.Response
	region := *p.Base.StackProps.Env.Region
	stack := newStack(app, name, "response", "mamori response: Detective, finding notifications, Security Hub actions, rules and insights, remediations", p.Base)
	s := &ResponseStack{Stack: stack}
	destroy := p.Base.DestroyOnDelete
	topic := p.DataProtection.Alerts.Topic
	// Security Hub's automation rules, custom actions and insights, and
	// Detective's Security Hub source package, need a hub in the region.
	hub := p.Detection.SecurityHub.In(region)

	provider := func() *sdkcall.Provider { return sdkCalls(stack, p.DataProtection.LogsKey.Key, p.Logs, destroy) }
	// existing: leave keeps an existing behavior graph out of the stack:
	// its source packages need the graph's ARN, which only the graph
	// resource gives, so nothing is configured on it.
	if r.Detective.In(region) && r.Detective.Existing != config.ExistingLeave {
		props := &response.DetectiveProps{
			SecurityHubFindings: r.Detective.SecurityHubFindings && hub,
			EKSAuditLogs:        r.Detective.EKSAuditLogs,
			DestroyOnDelete:     destroy,
		}
		if props.SecurityHubFindings || props.EKSAuditLogs {
			props.Calls = provider()
		}
		s.Detective = response.NewDetective(stack, "Detective", props)
	}

	if hub {
		if p.Home && r.Notifications.Enabled {
			response.NewFindingNotifications(stack, "FindingNotifications", &response.FindingNotificationsProps{
				Topic: topic, MinimumSeverity: response.SeverityLabel(r.Notifications.MinimumSeverity),
			})
		}
		if len(r.CustomActions) > 0 {
			response.NewCustomActions(stack, "CustomActions", &response.CustomActionsProps{Topic: topic, Calls: provider(), Actions: customActions(r.CustomActions)})
		}
		if len(r.AutomationRules) > 0 {
			response.NewAutomationRules(stack, "AutomationRules", &response.AutomationRulesProps{Rules: automationRules(r.AutomationRules)})
		}
		if p.Home && len(r.Insights) > 0 {
			response.NewInsights(stack, "Insights", &response.InsightsProps{Insights: insights(r.Insights)})
		}
	}

	if sl := r.Notifications.Slack; sl != nil && p.Home {
		// One channel configuration, in the home region: it carries every
		// finding (aggregated there) and the home region's key alarms.
		response.NewSlackChannel(stack, "Slack", &response.SlackChannelProps{
			Name: p.Base.Prefix + "-security-alerts", WorkspaceID: sl.WorkspaceID, ChannelID: sl.ChannelID,
			Topics: []awssns.ITopic{topic},
		})
	}

	// The unified Security Hub follows Security Hub CSPM's excludeRegions.
	if r.UnifiedSecurityHub.Enabled && !slices.Contains(p.Detection.SecurityHub.ExcludeRegions, region) {
		props := &response.UnifiedSecurityHubProps{DestroyOnDelete: destroy}
		if p.Home {
			props.LinkedRegions = linkedRegions(p.Regions, region, p.Detection.SecurityHub.ExcludeRegions)
		}
		response.NewUnifiedSecurityHub(stack, "UnifiedSecurityHub", props)
	}

	for _, rem := range r.Remediations {
		runbook, ok := remediationRunbooks[rem.Control]
		if !ok {
			panic(fmt.Errorf("stacks.NewResponseStack: no runbook for remediation %q", rem.Control))
		}
		rule := p.configRule(rem.Control.RemediationRule())
		if rule == nil {
			continue // a home-region-only rule outside the home region, or AWS Config excluded here
		}
		response.NewRemediation(stack, "Remediation"+names.Pascal(string(rem.Control)), &response.RemediationProps{
			RuleName: rule, Runbook: runbook, Automatic: rem.Automatic,
			MaximumAutomaticAttempts: rem.MaximumAutomaticAttempts, RetryAttemptSeconds: rem.RetryAttemptSeconds,
		})
	}
	suppressOwnFindings(stack, hub, "Response", suppressionOrderResponse)
	return s
}

// configRule is the name of the detection stack's managed Config rule
// identifier, or nil when this region does not deploy it (a home-region-only
// rule elsewhere, or AWS Config excluded here).
func (p ResponseStackProps) configRule(identifier string) *string {
	i := slices.IndexFunc(p.Detection.Config.ManagedRules, func(m config.ManagedRule) bool { return m.Identifier == identifier })
	if i < 0 || !p.Detection.Config.In(*p.Base.StackProps.Env.Region) || (p.Detection.Config.ManagedRules[i].HomeRegionOnly && !p.Home) {
		return nil
	}
	// The detection layer's ConfigRecorder names each managed rule's
	// construct after its identifier; Ref of an AWS::Config::ConfigRule is
	// its name.
	recorder := p.DetectionStack.Stack.Node().TryFindChild(jsii.String("Config"))
	if recorder == nil || recorder.Node().TryFindChild(jsii.String(identifier)) == nil {
		panic(fmt.Errorf("stacks.NewResponseStack: the detection stack has no Config rule %s", identifier))
	}
	cfn := recorder.Node().FindChild(jsii.String(identifier)).Node().DefaultChild().(awscdk.CfnResource)
	return cfn.Ref()
}

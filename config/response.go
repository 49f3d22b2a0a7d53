package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Response configures the response layer: Detective, finding notifications,
// Security Hub custom actions, automation rules and insights, the unified
// Security Hub, and automated remediation.
type Response struct {
	// Detective builds a behavior graph in every governed region.
	Detective Detective `yaml:"detective" json:"detective,omitempty"`
	// Notifications sends new Security Hub findings to the alerts topic,
	// whose subscribers are the top-level notifications and, optionally, a
	// Slack channel.
	Notifications FindingNotifications `yaml:"notifications" json:"notifications,omitempty"`
	// CustomActions are Security Hub custom actions analysts send findings to;
	// each sends the finding to the alerts topic. Default: "SendToOnCall"
	// ("Send to on-call") and "OpenInvestigation" ("Open investigation").
	CustomActions []CustomAction `yaml:"customActions" json:"customActions,omitempty"`
	// AutomationRules update findings as Security Hub receives them, in every
	// governed region. Default: none.
	AutomationRules []AutomationRule `yaml:"automationRules" json:"automationRules,omitempty"`
	// Insights are Security Hub custom insights, created in the home region
	// where every region's findings are aggregated. Default: top resources by
	// critical and high findings, public exposure, unrotated credentials.
	Insights []Insight `yaml:"insights" json:"insights,omitempty"`
	// UnifiedSecurityHub turns on the unified Security Hub beside Security Hub CSPM.
	UnifiedSecurityHub UnifiedSecurityHub `yaml:"unifiedSecurityHub" json:"unifiedSecurityHub,omitempty"`
	// Remediations fix findings of AWS Config managed rules with AWS-owned
	// Systems Manager Automation runbooks, each opt-in. Default: none.
	Remediations []Remediation `yaml:"remediations" json:"remediations,omitempty"`
}

// Detective configures Amazon Detective.
type Detective struct {
	// Enabled creates a behavior graph in every governed region. It needs
	// GuardDuty on. Detective bills per GB of data ingested, with no fixed
	// charge (30-day free trial): a quiet sandbox ingests little, so it is on
	// in both profiles. Default: true.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// SecurityHubFindings starts the ASFF_SECURITYHUB_FINDING source package,
	// so that Detective investigates Security Hub findings from every
	// integrated service, not only GuardDuty's. It bills per GB ingested and
	// the Detective API cannot stop it again (the console can). Default: true.
	SecurityHubFindings bool `yaml:"securityHubFindings" json:"securityHubFindings,omitempty"`
	// EKSAuditLogs starts the EKS_AUDIT source package. It bills per GB
	// ingested and the Detective API cannot stop it again. Default: false.
	EKSAuditLogs bool `yaml:"eksAuditLogs" json:"eksAuditLogs,omitempty"`
	// Existing says what to do when a Detective behavior graph already exists in a governed
	// region: fail (deploy as if there were none: CloudFormation stops on it),
	// adopt (`make adopt` imports it into mamori's stack, which then converges
	// its settings) or leave (mamori creates neither it nor the settings that
	// live on it). `make preflight` reports what exists. Default: fail.
	Existing Existing `yaml:"existing" json:"existing,omitempty"`
	// ExcludeRegions are governed regions, other than the home region,
	// without a behavior graph: a region that does not offer Detective.
	// Default: none.
	ExcludeRegions []string `yaml:"excludeRegions" json:"excludeRegions,omitempty"`
}

// In says whether Detective builds a behavior graph in region.
func (d Detective) In(region string) bool {
	return d.Enabled && !slices.Contains(d.ExcludeRegions, region)
}

// SeverityLabel is a Security Hub finding severity label.
type SeverityLabel string

// Values lists the severity labels, lowest first.
func (SeverityLabel) Values() []string {
	return []string{"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}
}

// AtOrAbove lists the labels from l up, lowest first; nil for an unknown label.
func (l SeverityLabel) AtOrAbove() []string {
	values := l.Values()
	i := slices.Index(values, string(l))
	if i < 0 {
		return nil
	}
	return values[i:]
}

// FindingNotifications routes new Security Hub findings to people.
type FindingNotifications struct {
	// Enabled sends new, active findings at or above MinimumSeverity to the
	// alerts topic, from the home region, where the finding aggregator
	// brings every governed region's findings. Needs Security Hub on.
	// Default: true.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
	// MinimumSeverity is the lowest severity label that notifies.
	// Default: HIGH.
	MinimumSeverity SeverityLabel `yaml:"minimumSeverity" json:"minimumSeverity,omitempty"`
	// Slack delivers the home region's alerts topic to a Slack channel
	// through AWS Chatbot. Default: none.
	Slack *SlackChannel `yaml:"slack" json:"slack,omitempty"`
}

// SlackChannel is one Slack channel AWS Chatbot posts to. The workspace must
// first be authorized in the AWS Chatbot console, by hand.
type SlackChannel struct {
	// WorkspaceID is the Slack workspace (team) ID the Chatbot console shows,
	// e.g. "T0123ABCD".
	WorkspaceID string `yaml:"workspaceId" json:"workspaceId"`
	// ChannelID is the Slack channel ID, e.g. "C0123ABCDEF".
	ChannelID string `yaml:"channelId" json:"channelId"`
}

// CustomAction is one Security Hub custom action.
type CustomAction struct {
	// ID identifies the action: 1 to 20 letters and digits.
	ID string `yaml:"id" json:"id"`
	// Name is what analysts see in the console: 1 to 20 characters.
	Name string `yaml:"name" json:"name"`
	// Description says what the action does. Required.
	Description string `yaml:"description" json:"description"`
}

// WorkflowStatus is a Security Hub finding workflow status.
type WorkflowStatus string

// Values lists the workflow statuses.
func (WorkflowStatus) Values() []string { return []string{"NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"} }

// AutomationRule is one Security Hub automation rule: findings that match
// every criterion set are updated with every action set.
type AutomationRule struct {
	// Name, 1 to 256 characters, unique.
	Name string `yaml:"name" json:"name"`
	// Description says why the rule exists. Required.
	Description string `yaml:"description" json:"description"`
	// Order runs rules lowest first, 1 to 899 (mamori's own suppressions use
	// 900 and above). Unique.
	Order int `yaml:"order" json:"order" jsonschema:"minimum=1,maximum=899"`
	// Terminal stops later rules from processing a matched finding.
	// Default: false.
	Terminal bool `yaml:"terminal" json:"terminal,omitempty"`
	// Criteria select the findings; at least one must be set.
	Criteria AutomationCriteria `yaml:"criteria" json:"criteria"`
	// Actions update the findings; at least one must be set.
	Actions AutomationActions `yaml:"actions" json:"actions"`
}

// AutomationCriteria select findings. Each list matches any of its values;
// every list set must match.
type AutomationCriteria struct {
	// AccountIDs match the account the finding is in (12 digits each).
	AccountIDs []string `yaml:"accountIds" json:"accountIds,omitempty"`
	// ProductNames match the product that produced the finding, e.g. "GuardDuty".
	ProductNames []string `yaml:"productNames" json:"productNames,omitempty"`
	// TypePrefixes match finding types that start with one of these, e.g.
	// "TTPs/Discovery" or "Software and Configuration Checks/Vulnerabilities/CVE".
	TypePrefixes []string `yaml:"typePrefixes" json:"typePrefixes,omitempty"`
	// ControlIDs match security control IDs, e.g. "IAM.6".
	ControlIDs []string `yaml:"controlIds" json:"controlIds,omitempty"`
	// SeverityLabels match the finding's severity label.
	SeverityLabels []SeverityLabel `yaml:"severityLabels" json:"severityLabels,omitempty"`
	// ResourceTags match resources carrying the tag with the value.
	ResourceTags map[string]string `yaml:"resourceTags" json:"resourceTags,omitempty"`
}

// AutomationActions update the matched findings.
type AutomationActions struct {
	// SeverityLabel sets the finding's severity. Default: unchanged.
	SeverityLabel SeverityLabel `yaml:"severityLabel" json:"severityLabel,omitempty"`
	// WorkflowStatus sets the finding's workflow status; SUPPRESSED hides it
	// from notifications. Default: unchanged.
	WorkflowStatus WorkflowStatus `yaml:"workflowStatus" json:"workflowStatus,omitempty"`
	// Note replaces the finding's note (at most 512 characters), e.g. who
	// owns it or why it is suppressed. Default: unchanged.
	Note string `yaml:"note" json:"note,omitempty"`
	// UserDefinedFields are added to the finding, e.g. {"owner": "payments"}.
	// Default: none.
	UserDefinedFields map[string]string `yaml:"userDefinedFields" json:"userDefinedFields,omitempty"`
}

// InsightGroupBy is the finding attribute an insight groups by.
type InsightGroupBy string

// Values lists the grouping attributes mamori offers.
func (InsightGroupBy) Values() []string {
	return []string{"ResourceId", "ResourceType", "AwsAccountId", "ProductName", "SeverityLabel", "ComplianceSecurityControlId", "Type", "Region"}
}

// Insight is one Security Hub custom insight over active findings.
type Insight struct {
	// Name, 1 to 128 characters, unique.
	Name string `yaml:"name" json:"name"`
	// GroupBy is the attribute findings are grouped by. Required.
	GroupBy InsightGroupBy `yaml:"groupBy" json:"groupBy"`
	// SeverityLabels keep findings of these severities. Default: any.
	SeverityLabels []SeverityLabel `yaml:"severityLabels" json:"severityLabels,omitempty"`
	// ControlIDs keep findings of these security controls. Default: any.
	ControlIDs []string `yaml:"controlIds" json:"controlIds,omitempty"`
	// ProductNames keep findings of these products. Default: any.
	ProductNames []string `yaml:"productNames" json:"productNames,omitempty"`
	// FailedOnly keeps control findings whose compliance status is FAILED.
	// Default: false.
	FailedOnly bool `yaml:"failedOnly" json:"failedOnly,omitempty"`
}

// UnifiedSecurityHub configures the unified Security Hub (Security Hub V2),
// which correlates GuardDuty, Inspector, Macie and CSPM findings into
// exposures. It coexists with Security Hub CSPM and is billed separately.
type UnifiedSecurityHub struct {
	// Enabled turns it on in every governed region, with an aggregator in
	// the home region linking the others. Default: false.
	Enabled bool `yaml:"enabled" json:"enabled,omitempty"`
}

// RemediationControl names one remediation mamori knows how to make safely.
type RemediationControl string

// Values lists the remediations.
func (RemediationControl) Values() []string {
	return []string{"s3-bucket-public-access", "ssh-open-to-world", "s3-tls-requests-only"}
}

// RemediationRule is the AWS managed Config rule a remediation fixes the
// findings of: it must be one of detection.config.managedRules.
func (r RemediationControl) RemediationRule() string {
	return map[RemediationControl]string{
		"s3-bucket-public-access": "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
		"ssh-open-to-world":       "INCOMING_SSH_DISABLED",
		"s3-tls-requests-only":    "S3_BUCKET_SSL_REQUESTS_ONLY",
	}[r]
}

// Remediation fixes the noncompliant resources of one AWS Config managed
// rule with an AWS-owned Systems Manager Automation runbook.
type Remediation struct {
	// Control is s3-bucket-public-access (rule
	// S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED, runbook
	// AWS-DisableS3BucketPublicReadWrite: turns on the bucket's Block Public
	// Access), ssh-open-to-world (INCOMING_SSH_DISABLED,
	// AWS-DisableIncomingSSHOnPort22: removes ingress rules that open TCP 22
	// to the world) or s3-tls-requests-only (S3_BUCKET_SSL_REQUESTS_ONLY,
	// AWSConfigRemediation-RestrictBucketSSLRequestsOnly: adds a bucket
	// policy statement that denies plain HTTP). The rule must be in
	// detection.config.managedRules.
	Control RemediationControl `yaml:"control" json:"control"`
	// Automatic runs the runbook on every noncompliant resource as AWS Config
	// finds it. Default: false: someone starts it from the AWS Config console.
	Automatic bool `yaml:"automatic" json:"automatic,omitempty"`
	// MaximumAutomaticAttempts is how often an automatic remediation is
	// tried for one resource within RetryAttemptSeconds, 1 to 25. Default: 3.
	MaximumAutomaticAttempts int `yaml:"maximumAutomaticAttempts" json:"maximumAutomaticAttempts,omitempty" jsonschema:"minimum=1,maximum=25"`
	// RetryAttemptSeconds is the window of those attempts. Default: 600.
	RetryAttemptSeconds int `yaml:"retryAttemptSeconds" json:"retryAttemptSeconds,omitempty" jsonschema:"minimum=1,maximum=2678000"`
}

// responseDefaults sets the response layer's defaults for a profile.
func responseDefaults(c *Config, prod bool) {
	c.Response = Response{
		Detective:     Detective{Enabled: true, SecurityHubFindings: true},
		Notifications: FindingNotifications{Enabled: true, MinimumSeverity: "HIGH"},
		CustomActions: []CustomAction{
			{ID: "SendToOnCall", Name: "Send to on-call", Description: "Send the selected findings to the on-call responder through the alerts topic"},
			{ID: "OpenInvestigation", Name: "Open investigation", Description: "Announce that an investigation of the selected findings has started"},
		},
		Insights: defaultInsights(),
	}
}

// defaultInsights are the insights every account gets: where to look first.
func defaultInsights() []Insight {
	return []Insight{
		{Name: "Resources with the most critical and high findings", GroupBy: "ResourceId", SeverityLabels: []SeverityLabel{"CRITICAL", "HIGH"}},
		{
			// Controls that fail when a resource is reachable or readable from
			// the internet.
			Name: "Public exposure by resource type", GroupBy: "ResourceType", FailedOnly: true,
			ControlIDs: []string{"S3.2", "S3.3", "S3.8", "EC2.1", "EC2.19", "RDS.1", "RDS.2", "Lambda.1"},
		},
		{
			// Keys and secrets that are not rotated, and credentials left unused.
			Name: "Unrotated credentials", GroupBy: "ResourceId", FailedOnly: true,
			ControlIDs: []string{"IAM.3", "IAM.22", "KMS.4", "SecretsManager.1", "SecretsManager.4"},
		},
	}
}

var (
	customActionIDPattern = regexp.MustCompile(`^[A-Za-z0-9]{1,20}$`)
	slackWorkspacePattern = regexp.MustCompile(`^[0-9A-Z]{1,255}$`)
	slackChannelPattern   = regexp.MustCompile(`^[A-Za-z0-9]+$`)
)

// validateResponse checks the response section.
func (c *Config) validateResponse(v *validator) {
	r := c.Response
	if r.Detective.Enabled && !c.Detection.GuardDuty.Enabled {
		v.forbidden("response.detective.enabled", "Detective needs GuardDuty; keep detection.guardDuty.enabled: true, or set response.detective.enabled: false")
	} else if r.Detective.Enabled {
		for i, region := range c.Detection.GuardDuty.ExcludeRegions {
			if !slices.Contains(r.Detective.ExcludeRegions, region) {
				v.invalid(indexPath("detection.guardDuty.excludeRegions", i), region, "Detective needs GuardDuty there; add %s to response.detective.excludeRegions too", region)
			}
		}
	}

	n, np := r.Notifications, "response.notifications"
	checkEnum(v, fieldPath(np, "minimumSeverity"), n.MinimumSeverity)
	if s := n.Slack; s != nil {
		if !slackWorkspacePattern.MatchString(s.WorkspaceID) {
			v.invalid(fieldPath(np, "slack.workspaceId"), s.WorkspaceID, "must be the Slack workspace ID the AWS Chatbot console shows, e.g. \"T0123ABCD\"")
		}
		if !slackChannelPattern.MatchString(s.ChannelID) {
			v.invalid(fieldPath(np, "slack.channelId"), s.ChannelID, "must be a Slack channel ID, e.g. \"C0123ABCDEF\"")
		}
	}

	actions := "response.customActions"
	eachUnique(v, actions, r.CustomActions, "id", func(a CustomAction) string { return a.ID }, func(p string, a CustomAction) {
		if !customActionIDPattern.MatchString(a.ID) {
			v.invalid(fieldPath(p, "id"), a.ID, "must be 1 to 20 letters and digits")
		}
		if n := utf8.RuneCountInString(a.Name); n == 0 || n > 20 {
			v.invalid(fieldPath(p, "name"), a.Name, "must be 1 to 20 characters")
		}
		if strings.TrimSpace(a.Description) == "" {
			v.required(fieldPath(p, "description"), "what the action does, shown to analysts")
		}
	})

	c.validateAutomationRules(v, "response.automationRules")
	c.validateInsights(v, "response.insights")
	c.validateRemediations(v, "response.remediations")
}

func (c *Config) validateAutomationRules(v *validator, path string) {
	rules := c.Response.AutomationRules
	names := eachUnique(v, path, rules, "name", func(r AutomationRule) string { return r.Name }, func(p string, r AutomationRule) {
		if n := utf8.RuneCountInString(r.Name); n == 0 || n > 256 {
			v.invalid(fieldPath(p, "name"), r.Name, "must be 1 to 256 characters")
		}
		if strings.TrimSpace(r.Description) == "" {
			v.required(fieldPath(p, "description"), "why the rule exists, recorded in Security Hub")
		}
		v.intRange(fieldPath(p, "order"), r.Order, 1, 899)
		cr, cp := r.Criteria, fieldPath(p, "criteria")
		if len(cr.AccountIDs)+len(cr.ProductNames)+len(cr.TypePrefixes)+len(cr.ControlIDs)+len(cr.SeverityLabels)+len(cr.ResourceTags) == 0 {
			v.required(cp, "at least one of accountIds, productNames, typePrefixes, controlIds, severityLabels, resourceTags")
		}
		for j, id := range cr.AccountIDs {
			validateAccountID(v, indexPath(fieldPath(cp, "accountIds"), j), id)
		}
		for j, id := range cr.ControlIDs {
			if !controlIDPattern.MatchString(id) {
				v.invalid(indexPath(fieldPath(cp, "controlIds"), j), id, "must be a security control ID such as \"IAM.6\"")
			}
		}
		for j, l := range cr.SeverityLabels {
			checkEnum(v, indexPath(fieldPath(cp, "severityLabels"), j), l)
		}
		for _, k := range slices.Sorted(maps.Keys(cr.ResourceTags)) {
			if k == "" {
				v.invalidKey(fieldPath(cp, "resourceTags"), "", "tag keys must not be empty")
			}
		}
		a, ap := r.Actions, fieldPath(p, "actions")
		if a.SeverityLabel == "" && a.WorkflowStatus == "" && a.Note == "" && len(a.UserDefinedFields) == 0 {
			v.required(ap, "at least one of severityLabel, workflowStatus, note, userDefinedFields")
		}
		if a.SeverityLabel != "" {
			checkEnum(v, fieldPath(ap, "severityLabel"), a.SeverityLabel)
		}
		if a.WorkflowStatus != "" {
			checkEnum(v, fieldPath(ap, "workflowStatus"), a.WorkflowStatus)
		}
		if utf8.RuneCountInString(a.Note) > 512 {
			v.invalid(fieldPath(ap, "note"), omitValue, "at most 512 characters")
		}
		for _, k := range slices.Sorted(maps.Keys(a.UserDefinedFields)) {
			if k == "" || a.UserDefinedFields[k] == "" {
				v.invalidKey(fieldPath(ap, "userDefinedFields"), k, "names and values must not be empty")
			}
		}
	})
	v.uniqueNames(names, keyPaths(path, "name"))
	eachUnique(v, path, rules, "order", func(r AutomationRule) string { return fmt.Sprint(r.Order) }, nil)
}

func (c *Config) validateInsights(v *validator, path string) {
	names := eachUnique(v, path, c.Response.Insights, "", func(in Insight) string { return in.Name }, func(p string, in Insight) {
		if n := utf8.RuneCountInString(in.Name); n == 0 || n > 128 {
			v.invalid(fieldPath(p, "name"), in.Name, "must be 1 to 128 characters")
		}
		checkEnum(v, fieldPath(p, "groupBy"), in.GroupBy)
		for j, l := range in.SeverityLabels {
			checkEnum(v, indexPath(fieldPath(p, "severityLabels"), j), l)
		}
		for j, id := range in.ControlIDs {
			if !controlIDPattern.MatchString(id) {
				v.invalid(indexPath(fieldPath(p, "controlIds"), j), id, "must be a security control ID such as \"IAM.6\"")
			}
		}
	})
	v.uniqueNames(names, listPath(path))
}

// validateRemediations checks that each remediation fixes a rule the
// detection layer deploys: AWS Config attaches a remediation to a rule by name.
func (c *Config) validateRemediations(v *validator, path string) {
	eachUnique(v, path, c.Response.Remediations, "control", func(r Remediation) string { return string(r.Control) }, func(p string, r Remediation) {
		checkEnum(v, fieldPath(p, "control"), r.Control)
		v.intRange(fieldPath(p, "maximumAutomaticAttempts"), r.MaximumAutomaticAttempts, 1, 25)
		v.intRange(fieldPath(p, "retryAttemptSeconds"), r.RetryAttemptSeconds, 1, 2678000)
		rule := r.Control.RemediationRule()
		if rule == "" {
			return
		}
		enabled := c.Detection.Config.Enabled && slices.ContainsFunc(c.Detection.Config.ManagedRules, func(m ManagedRule) bool { return m.Identifier == rule })
		if !enabled {
			v.invalid(fieldPath(p, "control"), string(r.Control), "fixes AWS Config rule %s, which is not enabled; add it to detection.config.managedRules (with detection.config.enabled: true), or remove this remediation", rule)
		}
	})
}

// responseDerived fills each remediation's retry settings the file left out:
// list items exist only once the file names them.
func responseDerived(c *Config, set map[string]bool) {
	for i := range c.Response.Remediations {
		r := &c.Response.Remediations[i]
		p := indexPath("response.remediations", i)
		if !set[p+".maximumAutomaticAttempts"] {
			r.MaximumAutomaticAttempts = 3
		}
		if !set[p+".retryAttemptSeconds"] {
			r.RetryAttemptSeconds = 600
		}
	}
}

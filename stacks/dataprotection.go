package stacks

import (
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/compliance"
	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/detection"
	"github.com/mamori-dev/mamori/constructs/infraprotection"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// DataProtectionStackProps configures a DataProtectionStack.
type DataProtectionStackProps struct {
	Base Base
	// Home marks the home region, where account-wide settings are applied.
	Home   bool
	Keys   config.Keys
	Guards config.AccountGuards
	// Logs sets how long the stack's own function logs are kept.
	Logs config.Logs
	// Notifications subscribe to the alerts topic.
	Notifications config.Notifications
	// Macie configures Amazon Macie in this region.
	Macie config.Macie
	// CloudHSM configures the opt-in HSM cluster, built in the home region.
	CloudHSM config.CloudHSM
	// Secrets are created in the home region; their replicas need the
	// secrets key's alias in the replica regions.
	Secrets []config.Secret
	// Detection says which detection services will use the keys, so that
	// each key's policy admits exactly those service principals.
	Detection config.Detection
	// Compliance says which compliance services will use the keys (the
	// trail, Audit Manager, CIS alarms) and whether the app deploys a trail.
	Compliance config.Compliance
	// OrganizationTrail says an organization trail records this account's
	// management events (organization mode). Default: false.
	OrganizationTrail bool
	// VendedLogs admits the log delivery service to the logs key: the
	// infrastructure-protection layer delivers Network Firewall and VPC flow
	// logs to a bucket encrypted with it.
	VendedLogs bool
	// FirewallManagerNotifications lets Firewall Manager publish to the
	// alerts topic, encrypted with the findings key (organization mode, the
	// administrator's home region). Default: false.
	FirewallManagerNotifications bool
}

// DataProtectionStack holds one region's customer managed keys. The
// data-protection layer owns every key policy; other layers receive the keys
// as references and never edit them.
type DataProtectionStack struct {
	Stack awscdk.Stack
	// LogsKey encrypts security logs: AWS Config history and snapshots.
	LogsKey *dataprotection.Key
	// FindingsKey encrypts security-service data: exported GuardDuty findings.
	FindingsKey *dataprotection.Key
	// DataKey encrypts workload data at rest: it is the region's EBS default
	// key. Nil unless EBS encryption by default is on.
	DataKey *dataprotection.Key
	// SecretsKey encrypts Secrets Manager secrets and their replicas; nil
	// without secrets.
	SecretsKey *dataprotection.Key
	// ApplicationKeys are the workload keys from config, by name.
	ApplicationKeys map[string]*dataprotection.Key
	// Alerts carries security alarms to the people in the configuration's
	// notifications; other layers publish to it too.
	Alerts *dataprotection.SecureTopic
	// CloudHSM is the opt-in HSM cluster (home region only); nil when off.
	CloudHSM *dataprotection.CloudHSM
	// HsmCalls runs the cluster's HSM calls; nil without a cluster.
	HsmCalls *sdkcall.Provider
	// AccessLogs and LogBuckets hold this stack's logs and their access logs,
	// when it has any (Macie's discovery results).
	AccessLogs *dataprotection.SecureBucket
	LogBuckets []*string
	// Calls runs this stack's API calls (account guards, Macie); nil when
	// nothing needs one.
	Calls *sdkcall.Provider
}

const day = 24 * time.Hour

// NewDataProtectionStack creates a DataProtectionStack.
func NewDataProtectionStack(app awscdk.App, name string, props *DataProtectionStackProps) *DataProtectionStack {
	p := *props
	stack := newStack(app, name, "data-protection", "mamori data protection: customer managed KMS keys", p.Base)
	s := &DataProtectionStack{Stack: stack}
	s.newServiceKeys(p)
	s.newAlerts(p)
	s.newApplicationKeys(p)
	s.newSecrets(p)
	s.newAccountGuards(p)
	if p.Macie.In(*stack.Region()) {
		s.newMacie(p, s.calls(p))
	}
	if p.FirewallManagerNotifications {
		s.ensureFirewallManagerRole(p)
	}
	if h := p.CloudHSM; h.Enabled && p.Home {
		// Its own provider: the HSM permissions name the cluster, and in the
		// shared policy every other call would wait for the cluster to exist.
		s.HsmCalls = providerOf(stack, "HsmCalls", s.LogsKey.Key, p.Logs, p.Base.DestroyOnDelete)
		props := cloudHSMProps(h, p.Base.DestroyOnDelete)
		props.Calls = s.HsmCalls
		s.CloudHSM = dataprotection.NewCloudHSM(stack, "CloudHSM", props)
	}
	return s
}

// calls is the stack's shared provider of API calls, created on first use.
func (s *DataProtectionStack) calls(p DataProtectionStackProps) *sdkcall.Provider {
	s.Calls = sdkCalls(s.Stack, s.LogsKey.Key, p.Logs, p.Base.DestroyOnDelete)
	return s.Calls
}

// newKey creates one of the stack's keys from props, with the key
// settings every key shares and the configured administrators.
func (s *DataProtectionStack) newKey(scope constructs.Construct, id string, p DataProtectionStackProps, props dataprotection.KeyProps) *dataprotection.Key {
	props.RotationPeriod, props.PendingWindow, props.DestroyOnDelete = keyLifecycle(p.Keys, p.Base.DestroyOnDelete)
	props.Administrators = principals(p.Keys.Administrators)
	return dataprotection.NewKey(scope, id, &props)
}

// newServiceKeys creates the logs and findings keys, whose policies admit
// the services that write with them.
func (s *DataProtectionStack) newServiceKeys(p DataProtectionStackProps) {
	stack := s.Stack
	// CloudWatch Logs encrypts the log groups of mamori's own functions.
	logServices := []dataprotection.ServiceAccess{{
		Service: "logs." + *stack.Region() + ".amazonaws.com",
		Actions: []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
		LogGroupArns: []string{*stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("logs"), Resource: jsii.String("log-group"), ResourceName: jsii.String("*"),
			ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})},
	}}
	if p.VendedLogs {
		logServices = append(logServices, dataprotection.LogDeliveryKeyAccess(stack))
	}
	var findingServices []dataprotection.ServiceAccess
	// EventBridge's access to the alerts topic's key is granted by the topic
	// target itself: SNS does not support aws:SourceAccount or aws:SourceArn
	// in the key policy for EventBridge-to-encrypted-topic delivery.
	// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
	if gd := p.Detection.GuardDuty; gd.In(*stack.Region()) && gd.ExportFindings {
		// GuardDuty encrypts the findings it exports with the findings key.
		findingServices = append(findingServices, detection.GuardDutyKeyAccess(stack, guardDutyPrincipal(*stack.Region())))
	}
	if p.Macie.In(*stack.Region()) {
		// Macie encrypts its sensitive data discovery results with the findings key.
		findingServices = append(findingServices, dataprotection.MacieKeyAccess(stack))
	}
	complianceLogs, complianceVia, complianceFindings := complianceKeyAccess(stack, p.Base.Prefix, p.Compliance, p.Home)
	s.LogsKey = s.newKey(stack, "LogsKey", p, dataprotection.KeyProps{
		Alias:              "alias/" + p.Base.Prefix + "/security-logs",
		Description:        "Encrypts security logs: AWS Config history and snapshots, and mamori's own function logs",
		Services:           append(logServices, complianceLogs...),
		AccountViaServices: complianceVia,
	})
	s.FindingsKey = s.newKey(stack, "FindingsKey", p, dataprotection.KeyProps{
		Alias:       "alias/" + p.Base.Prefix + "/security-findings",
		Description: "Encrypts security-service data: exported GuardDuty findings and security alerts",
		Services:    append(findingServices, complianceFindings...),
	})
}

// newAlerts creates the alerts topic, encrypted with the findings key, and
// the alarm on keys scheduled for deletion.
func (s *DataProtectionStack) newAlerts(p DataProtectionStackProps) {
	s.Alerts = dataprotection.NewSecureTopic(s.Stack, "Alerts", &dataprotection.SecureTopicProps{
		EncryptionKey: s.FindingsKey.Key,
		DisplayName:   p.Base.Prefix + " security alerts",
		Emails:        p.Notifications.Emails,
		Webhooks:      p.Notifications.Webhooks,
	})
	if cisAlarms(p.Compliance, p.Home) {
		compliance.AllowCloudWatchAlarms(s.Alerts.Topic)
	}
	if p.FirewallManagerNotifications {
		infraprotection.AllowFirewallManagerNotifications(s.FindingsKey.Key)
	}
	alarm := dataprotection.NewKeyAlarm(s.Stack, "KeyAlarm", &dataprotection.KeyAlarmProps{Topic: s.Alerts.Topic, TrailDeployed: p.Compliance.Trail.Enabled || p.OrganizationTrail})
	restateWarnings(alarm.Scope, "mamori:keyAlarmNeedsTrail", "compliance.trail.enabled")
}

// newApplicationKeys creates the workload keys from config; a multi-Region
// key outside the home region is a replica, in the key-replicas stack.
func (s *DataProtectionStack) newApplicationKeys(p DataProtectionStackProps) {
	if len(p.Keys.ApplicationKeys) == 0 {
		return
	}
	s.ApplicationKeys = map[string]*dataprotection.Key{}
	parent := constructs.NewConstruct(s.Stack, jsii.String("ApplicationKeys"))
	for _, ak := range p.Keys.ApplicationKeys {
		if ak.MultiRegion && !p.Home {
			continue
		}
		props := applicationKeyProps(ak, p.Base.Prefix)
		props.Users = principals(ak.Users)
		s.ApplicationKeys[ak.Name] = s.newKey(parent, ak.Name, p, props)
	}
}

// newSecrets creates the secrets key in every region that has secrets
// (replicas use it) and the secrets themselves in the home region.
func (s *DataProtectionStack) newSecrets(p DataProtectionStackProps) {
	if len(p.Secrets) == 0 {
		return
	}
	alias := "alias/" + p.Base.Prefix + "/secrets"
	s.SecretsKey = s.newKey(s.Stack, "SecretsKey", p, dataprotection.KeyProps{Alias: alias, Description: "Encrypts Secrets Manager secrets and their replicas"})
	if !p.Home {
		return
	}
	parent := constructs.NewConstruct(s.Stack, jsii.String("Secrets"))
	for _, sec := range p.Secrets {
		newSecret(parent, sec, s.SecretsKey, alias, p.Base.DestroyOnDelete)
	}
	restateWarnings(parent, "mamori:secret-name-arn-suffix", "dataProtection.secrets[].name")
}

// newAccountGuards creates the EBS default key when EBS encryption by
// default is on, and the account guards when they set anything here.
func (s *DataProtectionStack) newAccountGuards(p DataProtectionStackProps) {
	guards := accountGuardsProps(p.Guards, p.Home, p.Base.DestroyOnDelete)
	if p.Guards.EBSEncryptionByDefault {
		s.DataKey = s.newKey(s.Stack, "DataKey", p, dataprotection.KeyProps{
			Alias:           "alias/" + p.Base.Prefix + "/data",
			Description:     "Encrypts workload data at rest: the region's EBS default key",
			AllowAccountEBS: true,
		})
		guards.EBSDefaultKey = s.DataKey.Key
	}
	if guardsSomething(guards) {
		guards.Calls = s.calls(p)
		dataprotection.NewAccountGuards(s.Stack, "AccountGuards", guards)
	}
}

// ensureFirewallManagerRole creates Firewall Manager's service-linked role:
// Firewall Manager publishes to the alerts topic with it, and the key and
// topic policies name it, so it must exist first.
func (s *DataProtectionStack) ensureFirewallManagerRole(p DataProtectionStackProps) {
	role := infraprotection.EnsureFirewallManagerRole(s.Stack, "FirewallManagerRole", s.calls(p))
	s.FindingsKey.Key.Node().AddDependency(role)
	s.Alerts.Topic.Node().FindChild(jsii.String("Policy")).Node().AddDependency(role)
}

// principals turns IAM role and user ARNs from config into key-policy principals.
func principals(arns []string) []awsiam.IPrincipal {
	var out []awsiam.IPrincipal
	for _, arn := range arns {
		out = append(out, awsiam.NewArnPrincipal(jsii.String(arn)))
	}
	return out
}

// newSecret translates one configured secret. Its construct ID is the name
// with "/" (which construct IDs reserve) written as "|" (which secret names
// cannot contain), so distinct names keep distinct IDs.
func newSecret(scope constructs.Construct, sec config.Secret, key *dataprotection.Key, alias string, destroy bool) {
	props := &dataprotection.SecretProps{
		Name:            sec.Name,
		Description:     sec.Description,
		EncryptionKey:   key.Key,
		Username:        sec.Username,
		RotationDays:    sec.Rotation.Days,
		HostedRotation:  dataprotection.HostedRotationEngine(sec.Rotation.HostedEngine),
		Readers:         principals(sec.Readers),
		ReplicaRegions:  sec.ReplicaRegions,
		DestroyOnDelete: destroy,
	}
	if d := sec.Database; d != nil {
		props.Database = &dataprotection.DatabaseConnection{Host: d.Host, Port: d.Port, Name: d.Name}
	}
	if len(sec.ReplicaRegions) > 0 {
		props.ReplicaKeyAlias = alias
	}
	id := strings.ReplaceAll(sec.Name, "/", "|")
	if sec.Rotation.FunctionArn != "" {
		props.RotationFunction = awslambda.Function_FromFunctionArn(scope, jsii.String(id+"RotationFunction"), jsii.String(sec.Rotation.FunctionArn))
	}
	secret := dataprotection.NewSecret(scope, id, props)
	if reason := sec.Rotation.ManualReason; reason != "" {
		reason = "Rotated by hand, as the configuration records: " + reason
		nag.Suppress(secret.Secret, true,
			nag.Rule{ID: "AwsSolutions-SMG4", Reason: reason},
			nag.Rule{ID: "NIST.800.53.R5-SecretsManagerRotationEnabled", Reason: reason},
		)
	}
}

// newMacie turns Macie on with its results in an encrypted, access-logged
// bucket, and the jobs configured for this region.
func (s *DataProtectionStack) newMacie(p DataProtectionStackProps, calls *sdkcall.Provider) {
	m := p.Macie
	region := *s.Stack.Region()
	retention, glacier := days(p.Logs.RetentionDays), days(p.Logs.TransitionToGlacierDays)
	s.AccessLogs = dataprotection.NewSecureBucket(s.Stack, "AccessLogsBucket", &dataprotection.SecureBucketProps{
		AccessLogTarget: true, Retention: retention, TransitionToGlacier: glacier, DestroyOnDelete: p.Base.DestroyOnDelete,
	})
	results := dataprotection.NewSecureBucket(s.Stack, "MacieResultsBucket", &dataprotection.SecureBucketProps{
		EncryptionKey: s.FindingsKey.Key, AccessLogs: s.AccessLogs.Bucket,
		Retention: retention, TransitionToGlacier: glacier, DestroyOnDelete: p.Base.DestroyOnDelete,
	})
	s.LogBuckets = append(s.LogBuckets, results.Bucket.BucketArn())

	props := &dataprotection.MacieProps{
		ExistingSession:           p.Macie.Existing == config.ExistingLeave,
		Calls:                     calls,
		PublishingFrequency:       dataprotection.MaciePublishingFrequency(m.FindingPublishingFrequency),
		ResultsBucket:             results,
		ResultsKey:                s.FindingsKey.Key,
		DisableAutomatedDiscovery: !m.AutomatedDiscovery,
		DestroyOnDelete:           p.Base.DestroyOnDelete,
	}
	mc := dataprotection.NewMacie(s.Stack, "Macie", props)
	// Identifiers and allow lists first: every job uses them.
	for _, d := range m.CustomDataIdentifiers {
		mc.AddCustomDataIdentifier(macieIdentifier(d))
	}
	for _, l := range m.AllowLists {
		mc.AddAllowList(dataprotection.MacieAllowList{Name: l.Name, Description: l.Description, Regex: l.Regex})
	}
	for _, f := range m.FindingsFilters {
		mc.AddFindingsFilter(macieFilter(f))
	}
	for _, j := range m.ClassificationJobs {
		if j.Region == region || (j.Region == "" && p.Home) {
			mc.AddClassificationJob(macieJob(j))
		}
	}
	// An archiving filter is written in the config on purpose: say where,
	// instead of the CDK's hint to acknowledge the warning in code, which a
	// config user cannot do.
	restateWarnings(mc.Scope, "mamori:macieArchiveFilter", "dataProtection.macie.findingsFilters")
}

// macieJob translates a configured classification job.
func macieJob(j config.MacieJob) dataprotection.MacieClassificationJob {
	return dataprotection.MacieClassificationJob{
		Name: j.Name, Description: j.Description, BucketNames: j.BucketNames, BucketTags: j.BucketTags,
		Schedule: dataprotection.MacieJobSchedule(j.Schedule), DayOfWeek: j.DayOfWeek, DayOfMonth: j.DayOfMonth,
		SamplingPercentage: j.SamplingPercentage, ManagedIdentifiers: dataprotection.MacieManagedIdentifiers(j.ManagedIdentifiers),
	}
}

// macieIdentifier translates a configured custom data identifier.
func macieIdentifier(d config.MacieCustomDataIdentifier) dataprotection.MacieCustomDataIdentifier {
	return dataprotection.MacieCustomDataIdentifier{
		Name: d.Name, Description: d.Description, Regex: d.Regex, Keywords: d.Keywords, IgnoreWords: d.IgnoreWords,
		MaximumMatchDistance: d.MaximumMatchDistance,
	}
}

// macieFilter translates a configured findings filter.
func macieFilter(f config.MacieFindingsFilter) dataprotection.MacieFindingsFilter {
	criteria := map[string]dataprotection.MacieCriterion{}
	for field, c := range f.Criteria {
		criteria[field] = dataprotection.MacieCriterion(c)
	}
	return dataprotection.MacieFindingsFilter{
		Name: f.Name, Description: f.Description, Action: dataprotection.MacieFilterAction(f.Action), Criteria: criteria,
	}
}

// KeyReplicasStackProps configures a KeyReplicasStack.
type KeyReplicasStackProps struct {
	Base Base
	Keys config.Keys
	// Primaries are the home region's application keys, by name.
	Primaries map[string]*dataprotection.Key
}

// KeyReplicasStack holds one region's replicas of the multi-Region
// application keys. It is a stack of its own because replicas need their
// primaries first while the home region's data-protection stack needs other
// regions' keys first (for secret replicas): one stack could not wait for both.
type KeyReplicasStack struct {
	Stack    awscdk.Stack
	Replicas map[string]*dataprotection.ReplicaKey
}

// NewKeyReplicasStack creates a KeyReplicasStack.
func NewKeyReplicasStack(app awscdk.App, name string, props *KeyReplicasStackProps) *KeyReplicasStack {
	p := *props
	stack := newStack(app, name, "data-protection", "mamori data protection: replicas of multi-Region application keys", p.Base)
	s := &KeyReplicasStack{Stack: stack, Replicas: map[string]*dataprotection.ReplicaKey{}}
	admins := principals(p.Keys.Administrators)
	for _, ak := range p.Keys.ApplicationKeys {
		if !ak.MultiRegion {
			continue
		}
		s.Replicas[ak.Name] = dataprotection.NewReplicaKey(stack, ak.Name, &dataprotection.ReplicaKeyProps{
			PrimaryKeyArn:   p.Primaries[ak.Name].Key.KeyArn(),
			Alias:           applicationKeyAlias(p.Base.Prefix, ak.Name),
			Description:     ak.Description,
			PendingWindow:   days(p.Keys.PendingWindowDays),
			Administrators:  admins,
			Users:           principals(ak.Users),
			DestroyOnDelete: p.Base.DestroyOnDelete,
		})
	}
	return s
}

// FunctionArns are the ARNs of every deployment-time function in the stack.
func (s *DataProtectionStack) FunctionArns() []*string {
	var out []*string
	for _, pr := range []*sdkcall.Provider{s.Calls, s.HsmCalls} {
		if pr != nil {
			out = append(out, pr.FunctionArns()...)
		}
	}
	return out
}

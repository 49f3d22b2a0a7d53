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
	admins := principals(p.Keys.Administrators)
	key := func(id, alias, description string, services []dataprotection.ServiceAccess, via ...string) *dataprotection.Key {
		return dataprotection.NewKey(stack, id, &dataprotection.KeyProps{
			Alias:              alias,
			Description:        description,
			RotationPeriod:     days(p.Keys.RotationPeriodDays),
			PendingWindow:      days(p.Keys.PendingWindowDays),
			Services:           services,
			AccountViaServices: via,
			Administrators:     admins,
			DestroyOnDelete:    p.Base.DestroyOnDelete,
		})
	}

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
	s := &DataProtectionStack{
		Stack: stack,
		LogsKey: key("LogsKey", "alias/"+p.Base.Prefix+"/security-logs", "Encrypts security logs: AWS Config history and snapshots, and mamori's own function logs",
			append(logServices, complianceLogs...), complianceVia...),
		FindingsKey: key("FindingsKey", "alias/"+p.Base.Prefix+"/security-findings", "Encrypts security-service data: exported GuardDuty findings and security alerts",
			append(findingServices, complianceFindings...)),
	}
	s.Alerts = dataprotection.NewSecureTopic(stack, "Alerts", &dataprotection.SecureTopicProps{
		EncryptionKey: s.FindingsKey.Key,
		DisplayName:   p.Base.Prefix + " security alerts",
		Emails:        p.Notifications.Emails,
		Webhooks:      p.Notifications.Webhooks,
	})
	if len(complianceFindings) > 0 {
		compliance.AllowCloudWatchAlarms(s.Alerts.Topic)
	}
	if p.FirewallManagerNotifications {
		infraprotection.AllowFirewallManagerNotifications(s.FindingsKey.Key)
	}
	alarm := dataprotection.NewKeyAlarm(stack, "KeyAlarm", &dataprotection.KeyAlarmProps{Topic: s.Alerts.Topic, TrailDeployed: p.Compliance.Trail.Enabled || p.OrganizationTrail})
	restateWarnings(alarm.Scope, "mamori:keyAlarmNeedsTrail", "compliance.trail.enabled")

	if len(p.Keys.ApplicationKeys) > 0 {
		s.ApplicationKeys = map[string]*dataprotection.Key{}
		parent := constructs.NewConstruct(stack, jsii.String("ApplicationKeys"))
		for _, ak := range p.Keys.ApplicationKeys {
			if ak.MultiRegion && !p.Home {
				continue // a replica of the home region's primary, in the key-replicas stack
			}
			s.ApplicationKeys[ak.Name] = dataprotection.NewKey(parent, ak.Name, &dataprotection.KeyProps{
				MultiRegion:     ak.MultiRegion,
				Alias:           "alias/" + p.Base.Prefix + "/app/" + ak.Name,
				Description:     ak.Description,
				RotationPeriod:  days(p.Keys.RotationPeriodDays),
				PendingWindow:   days(p.Keys.PendingWindowDays),
				Administrators:  admins,
				Users:           principals(ak.Users),
				DestroyOnDelete: p.Base.DestroyOnDelete,
			})
		}
	}

	if len(p.Secrets) > 0 {
		s.SecretsKey = key("SecretsKey", "alias/"+p.Base.Prefix+"/secrets", "Encrypts Secrets Manager secrets and their replicas", nil)
	}
	if p.Home && len(p.Secrets) > 0 {
		parent := constructs.NewConstruct(stack, jsii.String("Secrets"))
		for _, sec := range p.Secrets {
			newSecret(parent, sec, s.SecretsKey, "alias/"+p.Base.Prefix+"/secrets", p.Base.DestroyOnDelete)
		}
		restateWarnings(parent, "mamori:secret-name-arn-suffix", "dataProtection.secrets[].name")
	}

	// EC2 and Systems Manager settings are per region; S3 Block Public
	// Access and the alternate contact are account-wide, set from home.
	g := p.Guards
	guards := &dataprotection.AccountGuardsProps{
		SkipBlockS3PublicAccess:           !p.Home || !g.S3BlockPublicAccess,
		SkipBlockSnapshotPublicAccess:     !g.EBSSnapshotBlockPublicAccess,
		SkipBlockImagePublicAccess:        !g.AMIBlockPublicAccess,
		SkipRequireIMDSv2:                 !g.RequireIMDSv2,
		IMDSHopLimit:                      g.InstanceMetadataHopLimit,
		SkipDisableSerialConsole:          !g.DisableSerialConsoleAccess,
		SkipBlockSSMDocumentPublicSharing: !g.BlockSSMDocumentPublicSharing,
		SkipEBSEncryptionByDefault:        !p.Guards.EBSEncryptionByDefault,
		RevertOnDelete:                    p.Base.DestroyOnDelete,
	}
	if c := g.SecurityContact; c != nil && p.Home {
		guards.SecurityContact = &dataprotection.AlternateContact{Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone}
	}
	if p.Guards.EBSEncryptionByDefault {
		s.DataKey = dataprotection.NewKey(stack, "DataKey", &dataprotection.KeyProps{
			Alias:           "alias/" + p.Base.Prefix + "/data",
			Description:     "Encrypts workload data at rest: the region's EBS default key",
			RotationPeriod:  days(p.Keys.RotationPeriodDays),
			PendingWindow:   days(p.Keys.PendingWindowDays),
			Administrators:  admins,
			AllowAccountEBS: true,
			DestroyOnDelete: p.Base.DestroyOnDelete,
		})
		guards.EBSDefaultKey = s.DataKey.Key
	}
	calls := func() *sdkcall.Provider {
		if s.Calls == nil {
			s.Calls = sdkcall.NewProvider(stack, "SdkCalls", &sdkcall.ProviderProps{
				LogKey: s.LogsKey.Key, LogRetentionDays: max(365, p.Logs.RetentionDays), DestroyOnDelete: p.Base.DestroyOnDelete,
			})
		}
		return s.Calls
	}
	if !guards.SkipBlockS3PublicAccess || !guards.SkipEBSEncryptionByDefault || !guards.SkipBlockSnapshotPublicAccess || !guards.SkipBlockImagePublicAccess ||
		!guards.SkipRequireIMDSv2 || !guards.SkipDisableSerialConsole || !guards.SkipBlockSSMDocumentPublicSharing || guards.SecurityContact != nil {
		guards.Calls = calls()
		dataprotection.NewAccountGuards(stack, "AccountGuards", guards)
	}
	if p.Macie.In(*stack.Region()) {
		s.newMacie(p, calls())
	}
	if p.FirewallManagerNotifications {
		// Firewall Manager publishes to the alerts topic with its
		// service-linked role, which the key and topic policies name and
		// which must therefore exist first.
		role := infraprotection.EnsureFirewallManagerRole(stack, "FirewallManagerRole", calls())
		s.FindingsKey.Key.Node().AddDependency(role)
		s.Alerts.Topic.Node().FindChild(jsii.String("Policy")).Node().AddDependency(role)
	}
	if h := p.CloudHSM; h.Enabled && p.Home {
		var subnets []dataprotection.HSMSubnet
		for _, sn := range h.Subnets {
			subnets = append(subnets, dataprotection.HSMSubnet{SubnetID: sn.SubnetID, AvailabilityZone: sn.AvailabilityZone})
		}
		// Its own provider: the HSM permissions name the cluster, and in the
		// shared policy every other call would wait for the cluster to exist.
		s.HsmCalls = sdkcall.NewProvider(stack, "HsmCalls", &sdkcall.ProviderProps{
			LogKey: s.LogsKey.Key, LogRetentionDays: max(365, p.Logs.RetentionDays), DestroyOnDelete: p.Base.DestroyOnDelete,
		})
		s.CloudHSM = dataprotection.NewCloudHSM(stack, "CloudHSM", &dataprotection.CloudHSMProps{
			Calls:               s.HsmCalls,
			Subnets:             subnets,
			HSMType:             dataprotection.HSMType(h.HSMType),
			NonFIPS:             h.NonFIPS,
			HSMCount:            h.HSMCount,
			Activated:           h.Activated,
			BackupRetentionDays: h.BackupRetentionDays,
			DestroyOnDelete:     p.Base.DestroyOnDelete,
		})
	}
	return s
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
	for _, j := range m.ClassificationJobs {
		if j.Region == region || (j.Region == "" && p.Home) {
			props.Jobs = append(props.Jobs, dataprotection.MacieClassificationJob{
				Name: j.Name, Description: j.Description, BucketNames: j.BucketNames, BucketTags: j.BucketTags,
				Schedule: dataprotection.MacieJobSchedule(j.Schedule), DayOfWeek: j.DayOfWeek, DayOfMonth: j.DayOfMonth,
				SamplingPercentage: j.SamplingPercentage, ManagedIdentifiers: dataprotection.MacieManagedIdentifiers(j.ManagedIdentifiers),
			})
		}
	}
	for _, d := range m.CustomDataIdentifiers {
		props.CustomDataIdentifiers = append(props.CustomDataIdentifiers, dataprotection.MacieCustomDataIdentifier{
			Name: d.Name, Description: d.Description, Regex: d.Regex, Keywords: d.Keywords, IgnoreWords: d.IgnoreWords,
			MaximumMatchDistance: d.MaximumMatchDistance,
		})
	}
	for _, l := range m.AllowLists {
		props.AllowLists = append(props.AllowLists, dataprotection.MacieAllowList{Name: l.Name, Description: l.Description, Regex: l.Regex})
	}
	for _, f := range m.FindingsFilters {
		criteria := map[string]dataprotection.MacieCriterion{}
		for field, c := range f.Criteria {
			criteria[field] = dataprotection.MacieCriterion(c)
		}
		props.FindingsFilters = append(props.FindingsFilters, dataprotection.MacieFindingsFilter{
			Name: f.Name, Description: f.Description, Action: dataprotection.MacieFilterAction(f.Action), Criteria: criteria,
		})
	}
	mc := dataprotection.NewMacie(s.Stack, "Macie", props)
	// An archiving filter is written in the config on purpose: say where,
	// instead of the CDK's hint to acknowledge the warning in code, which a
	// config user cannot do.
	restateWarnings(mc.Scope, "mamori:macieArchiveFilter", "dataProtection.macie.findingsFilters")
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
			Alias:           "alias/" + p.Base.Prefix + "/app/" + ak.Name,
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

package dataprotection

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsmacie"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/catalog"
	"github.com/mamori-dev/mamori/internal/nag"
	"github.com/mamori-dev/mamori/internal/names"
)

// MaciePublishingFrequency is how often Macie publishes updates to policy
// findings (to EventBridge and Security Hub).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-macie-session.html
type MaciePublishingFrequency string

// The publishing frequencies AWS::Macie::Session accepts.
const (
	MacieFifteenMinutes MaciePublishingFrequency = "FIFTEEN_MINUTES"
	MacieOneHour        MaciePublishingFrequency = "ONE_HOUR"
	MacieSixHours       MaciePublishingFrequency = "SIX_HOURS"
)

// MacieJobSchedule is when a classification job runs.
type MacieJobSchedule string

// Classification job schedules. ONE_TIME maps to jobType ONE_TIME; the others
// to jobType SCHEDULED with the matching scheduleFrequency.
// https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html
const (
	MacieOneTime MacieJobSchedule = "ONE_TIME"
	MacieDaily   MacieJobSchedule = "DAILY"
	MacieWeekly  MacieJobSchedule = "WEEKLY"
	MacieMonthly MacieJobSchedule = "MONTHLY"
)

// MacieManagedIdentifiers selects the managed data identifiers a job uses
// (managedDataIdentifierSelector).
type MacieManagedIdentifiers string

// The selections mamori offers: EXCLUDE, INCLUDE and NONE need explicit
// identifier lists, which mamori does not manage.
const (
	// MacieRecommended is Macie's recommended set, updated as Macie releases identifiers.
	MacieRecommended MacieManagedIdentifiers = "RECOMMENDED"
	// MacieAllIdentifiers is every managed data identifier, new ones included.
	MacieAllIdentifiers MacieManagedIdentifiers = "ALL"
)

// MacieFilterAction is what a findings filter does with the findings it matches.
type MacieFilterAction string

// Findings filter actions (AWS::Macie::FindingsFilter Action).
const (
	// MacieNoop saves the filter as a view and suppresses nothing.
	MacieNoop MacieFilterAction = "NOOP"
	// MacieArchive suppresses matching findings: Macie archives them and
	// publishes them neither to EventBridge nor to Security Hub.
	MacieArchive MacieFilterAction = "ARCHIVE"
)

// MacieClassificationJob is a sensitive data discovery job over this
// account's buckets in this region. Macie bills the data each run inspects.
// https://docs.aws.amazon.com/macie/latest/user/discovery-jobs.html
type MacieClassificationJob struct {
	// Name names the job; Macie shows it with a short hash of the job's
	// definition appended, so that each generation of the job is told apart.
	// Unique within the construct. Required.
	Name string
	// Description says why the job exists. Default: none.
	Description string
	// BucketNames are the buckets the job analyzes. Exactly one of
	// BucketNames and BucketTags is required.
	BucketNames []string
	// BucketTags select the buckets at every run: a bucket must carry every
	// tag key listed, with the given value ("" matches any value).
	BucketTags map[string]string
	// Schedule is when the job runs. Default: DAILY, which after the first
	// run analyzes only objects created or changed since the previous run.
	Schedule MacieJobSchedule
	// DayOfWeek is the day a WEEKLY job runs: MONDAY..SUNDAY. Required for
	// WEEKLY, refused otherwise.
	DayOfWeek string
	// DayOfMonth is the day a MONTHLY job runs, 1..31; Macie skips months
	// without that day, so 1..28 runs every month. Required for MONTHLY,
	// refused otherwise.
	DayOfMonth int
	// SkipExistingObjects makes a recurring job analyze only objects created
	// or changed after it is created (initialRun false). Default: false: the
	// first run analyzes every existing object too.
	SkipExistingObjects bool
	// SamplingPercentage is the share of eligible objects analyzed, 1..100.
	// Default: 100.
	SamplingPercentage int
	// ManagedIdentifiers selects the managed data identifiers. Default:
	// RECOMMENDED, Macie's own default.
	ManagedIdentifiers MacieManagedIdentifiers
}

// MacieCustomDataIdentifier detects a text pattern of the organization's own
// (AWS::Macie::CustomDataIdentifier). Every classification job of the
// construct uses every custom data identifier of the construct.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-macie-customdataidentifier.html
type MacieCustomDataIdentifier struct {
	// Name, 1-128 characters, unique within the construct; users of the
	// account can see it, so it must not contain sensitive data. Required.
	Name string
	// Description, up to 512 characters. Default: none.
	Description string
	// Regex is the pattern to detect, 1-512 characters. Required.
	Regex string
	// Keywords (1-50, each 3-90 characters, case-insensitive): one of them
	// must precede a match within MaximumMatchDistance. Default: none.
	Keywords []string
	// IgnoreWords (1-10, each 4-90 characters, case-sensitive) drop matches
	// that contain them. Default: none.
	IgnoreWords []string
	// MaximumMatchDistance is the keyword-to-match distance, 1-300
	// characters. Default: Macie's, 50.
	MaximumMatchDistance int
}

// MacieAllowList is text Macie ignores (AWS::Macie::AllowList): a pattern or
// a list of words in an S3 object. Every classification job of the
// construct uses every allow list of the construct.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-macie-allowlist.html
type MacieAllowList struct {
	// Name, unique within the construct. Required.
	Name string
	// Description says what the list allows. Default: none.
	Description string
	// Regex is a pattern (1-512 characters) to ignore. Exactly one of Regex
	// and WordsBucket/WordsObjectKey is required.
	Regex string
	// WordsBucket and WordsObjectKey locate a plain-text object listing words
	// to ignore, one a line. Macie reads it with its service-linked role, so
	// the bucket (and any customer managed key encrypting the object) must
	// let AWSServiceRoleForAmazonMacie read it.
	// https://docs.aws.amazon.com/macie/latest/user/allow-lists-options.html
	WordsBucket, WordsObjectKey string
}

// MacieCriterion is the condition on one finding field; at least one
// operator is required. Eq and Neq hold values, the others numbers.
type MacieCriterion struct {
	Eq, Neq          []string
	Gt, Gte, Lt, Lte *int64
}

// MacieFindingsFilter is a saved filter over findings (AWS::Macie::FindingsFilter).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-macie-findingsfilter.html
type MacieFindingsFilter struct {
	// Name, 3-64 characters, unique within the construct. Required.
	Name string
	// Description says why the filter exists. Default: none.
	Description string
	// Action is what the filter does. Default: NOOP: a saved view that
	// suppresses nothing. ARCHIVE suppresses matching findings everywhere,
	// Security Hub included, and draws a synth warning.
	Action MacieFilterAction
	// Position orders the filter among the account's filters. Default: Macie's.
	Position int
	// Criteria maps finding fields (e.g. "severity.description",
	// "resourcesAffected.s3Bucket.name") to conditions. Required.
	// https://docs.aws.amazon.com/macie/latest/user/findings-filter-basics.html
	Criteria map[string]MacieCriterion
}

// MacieProps configures Macie. The zero value (with Calls) is the secure
// configuration: Macie on, findings every 15 minutes, policy and sensitive
// data findings published to Security Hub, automated sensitive data
// discovery on, the session retained on stack delete.
type MacieProps struct {
	// Calls runs the API calls CloudFormation cannot make. Required.
	Calls *sdkcall.Provider
	// PublishingFrequency is how often updated policy findings are
	// published. Default: FIFTEEN_MINUTES.
	PublishingFrequency MaciePublishingFrequency
	// ResultsBucket and ResultsKey, required together, keep the sensitive
	// data discovery results (one record per analyzed object) beyond Macie's
	// own 90 days: Macie writes them under ResultsKeyPrefix, encrypted with
	// ResultsKey. The construct adds the bucket-policy statements Macie
	// needs; ResultsKey's policy must grant MacieKeyAccess. Default: no
	// repository, which draws a synth warning.
	// https://docs.aws.amazon.com/macie/latest/user/discovery-results-repository-s3.html
	ResultsBucket *SecureBucket
	ResultsKey    awskms.IKey
	// ResultsKeyPrefix is where in ResultsBucket the results go. Default: "macie/".
	ResultsKeyPrefix string
	// DisableAutomatedDiscovery turns automated sensitive data discovery
	// off. It is on by default because it is the only continuous,
	// account-wide search for sensitive data; it costs: Macie bills the
	// number of S3 objects it monitors for it (prorated daily) and the data
	// it samples and analyzes. Turning it off discards its statistics after
	// 30 days. Default: false: on.
	// https://docs.aws.amazon.com/macie/latest/user/account-mgmt-costs-calculations.html
	DisableAutomatedDiscovery bool
	// Jobs are sensitive data discovery jobs. Default: none.
	// CustomDataIdentifiers, AllowLists and FindingsFilters are Macie's
	// CloudFormation-managed resources. Default: none.
	// Each is the same as calling the construct's Add method for it
	// (AddCustomDataIdentifier, AddAllowList, AddFindingsFilter, then
	// AddClassificationJob): the props' parts are added in that order.
	Jobs                  []MacieClassificationJob
	CustomDataIdentifiers []MacieCustomDataIdentifier
	AllowLists            []MacieAllowList
	FindingsFilters       []MacieFindingsFilter
	// ExistingSession leaves the account's existing Macie session out of the
	// stack: everything else goes onto it, and its publishing frequency
	// stays as it is. Default: false: the construct creates the session.
	ExistingSession bool
	// DestroyOnDelete deletes the session, which disables Macie and deletes
	// its findings and configuration, when it leaves the stack. Default:
	// false: the session is retained.
	DestroyOnDelete bool
}

// Macie turns Amazon Macie on in one region and configures it as a security
// engineer would: findings published to Security Hub (sensitive data
// findings too, which Macie does not publish by default), discovery results
// kept in an encrypted bucket, automated sensitive data discovery, and the
// jobs, custom data identifiers, allow lists and findings filters given.
// Everything depends on the session: AWS::Macie::Session must exist before
// any other Macie resource, and it creates Macie's service-linked role, so
// none of the API calls needs iam:CreateServiceLinkedRole.
// The account must not have Macie enabled already (enabling it twice fails).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-macie-session.html
type Macie struct {
	Scope   constructs.Construct
	Session awsmacie.CfnSession
	// ResultsRepository is the PutClassificationExportConfiguration call;
	// nil without a results bucket.
	ResultsRepository customresources.AwsCustomResource
	// SecurityHubPublishing is the PutFindingsPublicationConfiguration call.
	SecurityHubPublishing customresources.AwsCustomResource
	// AutomatedDiscovery is the UpdateAutomatedDiscoveryConfiguration call.
	AutomatedDiscovery    customresources.AwsCustomResource
	Jobs                  []customresources.AwsCustomResource
	CustomDataIdentifiers []awsmacie.CfnCustomDataIdentifier
	AllowLists            []awsmacie.CfnAllowList
	FindingsFilters       []awsmacie.CfnFindingsFilter

	calls *sdkcall.Provider
	// ids are the construct IDs of the parts added so far.
	ids map[string]bool
	// identifierDefs and allowListDefs are the definitions behind
	// CustomDataIdentifiers and AllowLists, which every job's name hashes.
	identifierDefs []MacieCustomDataIdentifier
	allowListDefs  []MacieAllowList
	jobStatements  []awsiam.PolicyStatement
}

// macieService is Macie's service principal.
const macieService = "macie.amazonaws.com"

// macieSourceArns are the resources Macie writes discovery results for: the
// export configuration (automated discovery) and classification jobs, as the
// results-repository policies in the Macie User Guide scope them.
// https://docs.aws.amazon.com/macie/latest/user/discovery-results-repository-s3.html
func macieSourceArns(scope constructs.Construct) []string {
	stack := awscdk.Stack_Of(scope)
	return []string{
		*stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("macie2"), Resource: jsii.String("export-configuration"),
			ResourceName: jsii.String("*"), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		}),
		*macieJobArns(stack),
	}
}

func macieJobArns(stack awscdk.Stack) *string {
	return stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("macie2"), Resource: jsii.String("classification-job"),
		ResourceName: jsii.String("*"), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
}

// MacieKeyAccess is the key-policy grant that lets Macie encrypt discovery
// results with a key for this account and region only: kms:GenerateDataKey
// and kms:Encrypt, scoped by aws:SourceAccount and aws:SourceArn, as the
// Macie User Guide's key policy has it. The stack that owns the results key
// adds it (KeyProps.Services or Key.GrantService); scope places the ARNs in
// the region and account of the Macie construct, which must be the key's.
// https://docs.aws.amazon.com/macie/latest/user/discovery-results-repository-s3.html
func MacieKeyAccess(scope constructs.Construct) ServiceAccess {
	return ServiceAccess{
		Service:    macieService,
		Actions:    []string{"kms:GenerateDataKey", "kms:Encrypt"},
		SourceArns: macieSourceArns(scope),
	}
}

// NewMacie creates Macie. It panics listing every invalid prop.
func NewMacie(scope constructs.Construct, id string, props *MacieProps) *Macie {
	var p MacieProps
	if props != nil {
		p = *props
	}
	if p.PublishingFrequency == "" {
		p.PublishingFrequency = MacieFifteenMinutes
	}
	if p.ResultsKeyPrefix == "" {
		p.ResultsKeyPrefix = "macie/"
	}
	checkMacie(id, p)
	// With or without a trailing slash from the caller, the grant below
	// covers exactly what Macie writes under the prefix.
	if !strings.HasSuffix(p.ResultsKeyPrefix, "/") {
		p.ResultsKeyPrefix += "/"
	}

	this := constructs.NewConstruct(scope, jsii.String(id))
	var session awsmacie.CfnSession
	if !p.ExistingSession {
		session = awsmacie.NewCfnSession(this, jsii.String("Resource"), &awsmacie.CfnSessionProps{
			Status:                     jsii.String("ENABLED"),
			FindingPublishingFrequency: jsii.String(string(p.PublishingFrequency)),
		})
		// Deleting the session disables Macie, which deletes its findings,
		// jobs and settings: https://docs.aws.amazon.com/macie/latest/APIReference/macie.html
		session.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	}
	mc := &Macie{Scope: this, Session: session, calls: p.Calls, ids: map[string]bool{}}
	if p.ResultsBucket != nil {
		mc.keepResults(p.ResultsBucket, p.ResultsKey, p.ResultsKeyPrefix)
	} else {
		mc.warn("mamori:macieNoResultsRepository",
			"Macie keeps sensitive data discovery results for 90 days only; set ResultsBucket and ResultsKey to keep them.")
	}
	mc.configureAccount(p.DisableAutomatedDiscovery)

	for _, c := range p.CustomDataIdentifiers {
		mc.AddCustomDataIdentifier(c)
	}
	for _, l := range p.AllowLists {
		mc.AddAllowList(l)
	}
	for _, f := range p.FindingsFilters {
		mc.AddFindingsFilter(f)
	}
	for _, j := range p.Jobs {
		mc.AddClassificationJob(j)
	}

	rules := []nag.Rule{{
		ID: "AwsSolutions-IAM5",
		Reason: "Macie's PutClassificationExportConfiguration, PutFindingsPublicationConfiguration and UpdateAutomatedDiscoveryConfiguration " +
			"act on the calling account and support no resource-level permissions; job actions are limited to this account's jobs in this region, " +
			"whose IDs Macie assigns at creation.",
		AppliesTo:      []string{"Resource::*"},
		AppliesToRegex: []string{`/^Resource::arn:[^:]+:macie2:[^:]+:[^:]+:classification-job\/\*$/`},
	}}
	nag.Suppress(p.Calls.Policy, false, rules...)
	return mc
}

// checkMacie panics listing every invalid prop of p; the parts (jobs,
// identifiers, allow lists, filters) are checked by their Add methods.
func checkMacie(id string, p MacieProps) {
	bad := problems.Of("dataprotection.NewMacie", id)
	if p.Calls == nil {
		bad.Add("Calls is required")
	}
	if !slices.Contains(catalog.FindingPublishingFrequencies, string(p.PublishingFrequency)) {
		bad.Add("PublishingFrequency %q must be one of %v", p.PublishingFrequency, catalog.FindingPublishingFrequencies)
	}
	if (p.ResultsBucket == nil) != (p.ResultsKey == nil) {
		bad.Add("ResultsBucket and ResultsKey go together")
	}
	if strings.HasPrefix(p.ResultsKeyPrefix, "/") || strings.Contains(p.ResultsKeyPrefix, "*") {
		bad.Add("ResultsKeyPrefix %q must not start with \"/\" or contain \"*\"", p.ResultsKeyPrefix)
	}
	bad.Check()
}

// macieSettingCall is one Macie SDK call of the construct's account settings.
func macieSettingCall(action string, params map[string]interface{}, physicalID string) *customresources.AwsSdkCall {
	return &customresources.AwsSdkCall{
		Service: jsii.String("Macie2"), Action: jsii.String(action), Parameters: params,
		PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String(physicalID)),
	}
}

// keepResults lets Macie write its sensitive data discovery results under
// prefix in bucket, encrypted with key, and points Macie there.
// https://docs.aws.amazon.com/macie/latest/user/discovery-results-repository-s3.html
func (mc *Macie) keepResults(bucket *SecureBucket, key awskms.IKey, prefix string) {
	bucket.GrantServiceWrite(ServiceWrite{
		Service:       macieService,
		KeyPattern:    prefix + "*",
		BucketActions: []string{"s3:GetBucketLocation"},
		SourceArns:    macieSourceArns(mc.Scope),
	})
	// The account-level configuration actions support no resource-level
	// permissions.
	// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmacie.html
	// https://docs.aws.amazon.com/macie/latest/APIReference/classification-export-configuration.html
	mc.ResultsRepository = mc.calls.NewCall(mc.Scope, "ResultsRepository", &sdkcall.CallProps{
		OnCreate: macieSettingCall("PutClassificationExportConfiguration", map[string]interface{}{
			"configuration": map[string]interface{}{"s3Destination": map[string]interface{}{
				"bucketName": bucket.Bucket.BucketName(),
				"keyPrefix":  prefix,
				"kmsKeyArn":  key.KeyArn(),
			}},
		}, "macie-classification-export-configuration"),
		Statements: allowAnyResource("macie2:PutClassificationExportConfiguration"),
	})
	mc.afterSessionResource(mc.ResultsRepository)
	// The bucket's policy must admit Macie before Macie checks the
	// repository; on a destroyable stack, the setting goes first.
	mc.ResultsRepository.Node().AddDependency(bucket.Bucket)
}

// configureAccount publishes both finding types to Security Hub and turns
// automated sensitive data discovery on, or off with disableDiscovery.
func (mc *Macie) configureAccount(disableDiscovery bool) {
	// Macie publishes policy findings to Security Hub by default but not
	// sensitive data findings; both are set explicitly.
	// https://docs.aws.amazon.com/macie/latest/APIReference/findings-publication-configuration.html
	mc.SecurityHubPublishing = mc.calls.NewCall(mc.Scope, "SecurityHubPublishing", &sdkcall.CallProps{
		OnCreate: macieSettingCall("PutFindingsPublicationConfiguration", map[string]interface{}{
			"securityHubConfiguration": map[string]interface{}{
				"publishPolicyFindings":         true,
				"publishClassificationFindings": true,
			},
		}, "macie-findings-publication-configuration"),
		Statements: allowAnyResource("macie2:PutFindingsPublicationConfiguration"),
	})
	mc.afterSessionResource(mc.SecurityHubPublishing)

	// The status is always set, on or off, so that the account matches the
	// configuration whatever Macie defaults to for new accounts. Without
	// autoEnableOrganizationMembers, which only a Macie administrator
	// account may send (ALL when omitted there).
	// https://docs.aws.amazon.com/macie/latest/APIReference/automated-discovery-configuration.html
	status := "ENABLED"
	if disableDiscovery {
		status = "DISABLED"
	}
	mc.AutomatedDiscovery = mc.calls.NewCall(mc.Scope, "AutomatedDiscovery", &sdkcall.CallProps{
		OnCreate:   macieSettingCall("UpdateAutomatedDiscoveryConfiguration", map[string]interface{}{"status": status}, "macie-automated-discovery"),
		Statements: allowAnyResource("macie2:UpdateAutomatedDiscoveryConfiguration"),
	})
	mc.afterSession(mc.AutomatedDiscovery)
}

// afterSessionResource orders c after the session the stack creates.
func (mc *Macie) afterSessionResource(c constructs.IConstruct) {
	if mc.Session != nil {
		c.Node().AddDependency(mc.Session)
	}
}

// afterSession makes a call wait for the session and, when there is one,
// for the results repository, so that no analysis runs before its results
// have somewhere to go.
func (mc *Macie) afterSession(c constructs.IConstruct) {
	mc.afterSessionResource(c)
	if mc.ResultsRepository != nil {
		c.Node().AddDependency(mc.ResultsRepository)
	}
}

func (mc *Macie) warn(warningID, msg string) {
	awscdk.Annotations_Of(mc.Scope).AddWarningV2(jsii.String(warningID), jsii.String(msg), nil)
}

// problemsOf starts the problem list of an Add method for the part name.
// usedByJobs marks the parts every job uses, which must come before the
// first job.
func (mc *Macie) problemsOf(method, name string, usedByJobs bool) *problems.List {
	bad := problems.Of("dataprotection.Macie."+method, name)
	if usedByJobs && len(mc.Jobs) > 0 {
		bad.Add("add custom data identifiers and allow lists before classification jobs: a job uses those added before it")
	}
	return bad
}

// partID is the construct ID of a named part, kind + names.Pascal(name);
// it reports a name that is empty or that another part of the kind already
// turned into the same ID.
func (mc *Macie) partID(bad *problems.List, kind, name string) string {
	cid := kind + names.Pascal(name)
	if name == "" || mc.ids[cid] {
		bad.Add("%s name %q must be set and unique (as construct ID %q)", kind, name, cid)
	}
	mc.ids[cid] = true
	return cid
}

// AddCustomDataIdentifier adds a custom data identifier, which every
// classification job of the construct uses. Add identifiers before the jobs.
// It panics listing every invalid field.
func (mc *Macie) AddCustomDataIdentifier(c MacieCustomDataIdentifier) awsmacie.CfnCustomDataIdentifier {
	bad := mc.problemsOf("AddCustomDataIdentifier", c.Name, true)
	macieValidateCustomDataIdentifier(c, bad)
	cid := mc.partID(bad, "CustomDataIdentifier", c.Name)
	bad.Check()
	cdi := awsmacie.NewCfnCustomDataIdentifier(mc.Scope, jsii.String(cid), &awsmacie.CfnCustomDataIdentifierProps{
		Name:                 jsii.String(c.Name),
		Description:          optional(c.Description),
		Regex:                jsii.String(c.Regex),
		Keywords:             jsiix.Strs(c.Keywords),
		IgnoreWords:          jsiix.Strs(c.IgnoreWords),
		MaximumMatchDistance: macieNumber(c.MaximumMatchDistance),
	})
	mc.afterSessionResource(cdi)
	mc.CustomDataIdentifiers = append(mc.CustomDataIdentifiers, cdi)
	mc.identifierDefs = append(mc.identifierDefs, c)
	return cdi
}

// AddAllowList adds an allow list, which every classification job of the
// construct uses. Add allow lists before the jobs. It panics listing every
// invalid field.
func (mc *Macie) AddAllowList(l MacieAllowList) awsmacie.CfnAllowList {
	bad := mc.problemsOf("AddAllowList", l.Name, true)
	criteria := &awsmacie.CfnAllowList_CriteriaProperty{}
	switch words := l.WordsBucket != "" || l.WordsObjectKey != ""; {
	case (l.Regex != "") == words, words && (l.WordsBucket == "" || l.WordsObjectKey == ""):
		bad.Add("allow list %q needs either Regex or both WordsBucket and WordsObjectKey", l.Name)
	case words:
		criteria.S3WordsList = &awsmacie.CfnAllowList_S3WordsListProperty{
			BucketName: jsii.String(l.WordsBucket), ObjectKey: jsii.String(l.WordsObjectKey),
		}
	case len([]rune(l.Regex)) > catalog.MacieRegexMax:
		bad.Add("allow list %q: Regex must be at most %d characters", l.Name, catalog.MacieRegexMax)
	default:
		criteria.Regex = jsii.String(l.Regex)
	}
	cid := mc.partID(bad, "AllowList", l.Name)
	bad.Check()
	al := awsmacie.NewCfnAllowList(mc.Scope, jsii.String(cid), &awsmacie.CfnAllowListProps{
		Name: jsii.String(l.Name), Description: optional(l.Description), Criteria: criteria,
	})
	mc.afterSessionResource(al)
	mc.AllowLists = append(mc.AllowLists, al)
	mc.allowListDefs = append(mc.allowListDefs, l)
	return al
}

// AddFindingsFilter adds a findings filter. An ARCHIVE filter draws a
// warning: the findings it matches reach neither EventBridge nor Security
// Hub. It panics listing every invalid field.
func (mc *Macie) AddFindingsFilter(f MacieFindingsFilter) awsmacie.CfnFindingsFilter {
	bad := mc.problemsOf("AddFindingsFilter", f.Name, false)
	if f.Action == "" {
		f.Action = MacieNoop
	}
	if n := len([]rune(f.Name)); !slices.Contains(catalog.MacieFilterActions, string(f.Action)) || len(f.Criteria) == 0 ||
		n < catalog.MacieFilterNameMin || n > catalog.MacieFilterNameMax || f.Position < 0 {
		bad.Add("findings filter %q needs a %d-%d character name, criteria, a non-negative Position and an Action in %v",
			f.Name, catalog.MacieFilterNameMin, catalog.MacieFilterNameMax, catalog.MacieFilterActions)
	}
	criterion := map[string]interface{}{}
	for _, field := range slices.Sorted(maps.Keys(f.Criteria)) {
		c := f.Criteria[field]
		if len(c.Eq)+len(c.Neq) == 0 && c.Gt == nil && c.Gte == nil && c.Lt == nil && c.Lte == nil {
			bad.Add("findings filter %q: criterion %q has no condition", f.Name, field)
		}
		criterion[field] = &awsmacie.CfnFindingsFilter_CriterionAdditionalPropertiesProperty{
			Eq: jsiix.Strs(c.Eq), Neq: jsiix.Strs(c.Neq),
			Gt: macieFloat(c.Gt), Gte: macieFloat(c.Gte), Lt: macieFloat(c.Lt), Lte: macieFloat(c.Lte),
		}
	}
	cid := mc.partID(bad, "FindingsFilter", f.Name)
	bad.Check()
	ff := awsmacie.NewCfnFindingsFilter(mc.Scope, jsii.String(cid), &awsmacie.CfnFindingsFilterProps{
		Name:            jsii.String(f.Name),
		Description:     optional(f.Description),
		Action:          jsii.String(string(f.Action)),
		Position:        macieNumber(f.Position),
		FindingCriteria: &awsmacie.CfnFindingsFilter_FindingCriteriaProperty{Criterion: criterion},
	})
	mc.afterSessionResource(ff)
	mc.FindingsFilters = append(mc.FindingsFilters, ff)
	if f.Action == MacieArchive {
		mc.warn("mamori:macieArchiveFilter", fmt.Sprintf(
			"findings filter %q archives the findings it matches: they reach neither EventBridge nor Security Hub", f.Name))
	}
	return ff
}

// AddClassificationJob adds a sensitive data discovery job over this
// account's buckets in this region, using every custom data identifier and
// allow list added before it. Its name carries a hash of its definition and
// theirs, so that any change makes a new job and cancels the old one. It
// panics listing every invalid field.
func (mc *Macie) AddClassificationJob(j MacieClassificationJob) customresources.AwsCustomResource {
	bad := mc.problemsOf("AddClassificationJob", j.Name, false)
	stack := awscdk.Stack_Of(mc.Scope)
	j = macieJobDefaults(j)
	params := macieJobParameters(stack, j, bad)
	cid := mc.partID(bad, "Job", j.Name)
	bad.Check()
	if mc.jobStatements == nil {
		// CreateClassificationJob and UpdateClassificationJob need the
		// ClassificationJob resource; without tags, no macie2:TagResource.
		mc.jobStatements = []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("macie2:CreateClassificationJob", "macie2:UpdateClassificationJob"),
			Resources: &[]*string{macieJobArns(stack)},
		})}
	}
	// The definition every job carries besides its own: the identifiers
	// and allow lists, by definition (their IDs are only known at deploy time).
	shared, _ := json.Marshal(struct {
		C []MacieCustomDataIdentifier
		A []MacieAllowList
	}{mc.identifierDefs, mc.allowListDefs})
	// The hash covers the Go definition only: token strings (IDs,
	// the account of an environment-agnostic stack) differ from one
	// synthesis to the next and would replace the job every time.
	own, _ := json.Marshal(j)
	sum := sha256.Sum256(append(own, shared...))
	params["name"] = j.Name + "-" + hex.EncodeToString(sum[:4])
	var identifierIDs, allowListIDs []*string
	for _, c := range mc.CustomDataIdentifiers {
		identifierIDs = append(identifierIDs, c.AttrId())
	}
	for _, l := range mc.AllowLists {
		allowListIDs = append(allowListIDs, l.AttrId())
	}
	if identifierIDs != nil {
		params["customDataIdentifierIds"] = &identifierIDs
	}
	if allowListIDs != nil {
		params["allowListIds"] = &allowListIDs
	}
	create := &customresources.AwsSdkCall{
		Service: jsii.String("Macie2"), Action: jsii.String("CreateClassificationJob"), Parameters: params,
		// The job ID becomes the physical ID that Delete cancels.
		PhysicalResourceId: customresources.PhysicalResourceId_FromResponse(jsii.String("jobId")),
	}
	// A job cannot be changed once created: UpdateClassificationJob
	// changes only its status (RUNNING, USER_PAUSED, CANCELLED).
	// https://docs.aws.amazon.com/macie/latest/APIReference/jobs-jobid.html
	// So any change, including a replaced custom data identifier
	// whose ID reaches the call only at deploy time, creates a new
	// job (the default OnUpdate is OnCreate). Its new job ID is a new
	// physical ID, and CloudFormation then deletes the old physical
	// resource: Delete cancels the old job. The same happens when the
	// job leaves the configuration. The SDK generates a fresh
	// clientToken for every call, so a recreated job is never
	// mistaken for an earlier one.
	cr := mc.calls.NewCall(mc.Scope, cid, &sdkcall.CallProps{
		OnCreate: create,
		OnDelete: &customresources.AwsSdkCall{
			Service: jsii.String("Macie2"), Action: jsii.String("UpdateClassificationJob"),
			Parameters: map[string]interface{}{
				"jobId":     customresources.NewPhysicalResourceIdReference(),
				"jobStatus": "CANCELLED",
			},
			// A finished one-time job can no longer be cancelled, and a
			// create that failed left no job behind.
			IgnoreErrorCodesMatching: jsii.String("ValidationException|ResourceNotFoundException"),
		},
		Statements: mc.jobStatements,
	})
	mc.afterSession(cr)
	for _, c := range mc.CustomDataIdentifiers {
		cr.Node().AddDependency(c)
	}
	for _, l := range mc.AllowLists {
		cr.Node().AddDependency(l)
	}
	mc.Jobs = append(mc.Jobs, cr)
	return cr
}

// macieJobDefaults fills a job's documented defaults.
func macieJobDefaults(j MacieClassificationJob) MacieClassificationJob {
	if j.Schedule == "" {
		j.Schedule = MacieDaily
	}
	if j.SamplingPercentage == 0 {
		j.SamplingPercentage = 100
	}
	if j.ManagedIdentifiers == "" {
		j.ManagedIdentifiers = MacieRecommended
	}
	return j
}

// macieJobParameters are a job's CreateClassificationJob parameters (with
// its defaults filled), without its name and the construct's identifiers and
// allow lists.
// https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html
func macieJobParameters(stack awscdk.Stack, j MacieClassificationJob, bad *problems.List) map[string]interface{} {
	if n := len([]rune(j.Name)); n == 0 || n > catalog.MacieJobNameMax {
		bad.Add("job name %q must be 1-%d characters", j.Name, catalog.MacieJobNameMax)
	}
	if (len(j.BucketNames) == 0) == (len(j.BucketTags) == 0) {
		bad.Add("job %q needs exactly one of BucketNames and BucketTags", j.Name)
	}
	if !slices.Contains(catalog.MacieJobSchedules, string(j.Schedule)) {
		bad.Add("job %q: Schedule %q must be one of %v", j.Name, j.Schedule, catalog.MacieJobSchedules)
	}
	if (j.Schedule == MacieWeekly) != (j.DayOfWeek != "") || (j.DayOfWeek != "" && !slices.Contains(catalog.MacieWeekdays, j.DayOfWeek)) {
		bad.Add("job %q: DayOfWeek %q is required for WEEKLY jobs only and must be one of %v", j.Name, j.DayOfWeek, catalog.MacieWeekdays)
	}
	if (j.Schedule == MacieMonthly) != (j.DayOfMonth != 0) || j.DayOfMonth < 0 || j.DayOfMonth > catalog.MacieDayOfMonthMax {
		bad.Add("job %q: DayOfMonth %d is required for MONTHLY jobs only and must be 1-%d", j.Name, j.DayOfMonth, catalog.MacieDayOfMonthMax)
	}
	if j.SamplingPercentage < 1 || j.SamplingPercentage > catalog.MacieSamplingPercentageMax {
		bad.Add("job %q: SamplingPercentage %d must be 1-%d", j.Name, j.SamplingPercentage, catalog.MacieSamplingPercentageMax)
	}
	if !slices.Contains(catalog.MacieManagedIdentifierSelectors, string(j.ManagedIdentifiers)) {
		bad.Add("job %q: ManagedIdentifiers %q must be one of %v", j.Name, j.ManagedIdentifiers, catalog.MacieManagedIdentifierSelectors)
	}
	if j.SkipExistingObjects && j.Schedule == MacieOneTime {
		bad.Add("job %q: SkipExistingObjects applies to recurring jobs only", j.Name)
	}
	definition := map[string]interface{}{}
	if len(j.BucketNames) > 0 {
		definition["bucketDefinitions"] = []interface{}{map[string]interface{}{
			"accountId": stack.Account(),
			"buckets":   jsiix.Strs(j.BucketNames),
		}}
	} else {
		// One condition a tag, joined with AND: a bucket must carry them all.
		var and []interface{}
		for _, k := range slices.Sorted(maps.Keys(j.BucketTags)) {
			pair := map[string]interface{}{"key": k}
			if v := j.BucketTags[k]; v != "" {
				pair["value"] = v
			}
			and = append(and, map[string]interface{}{"tagCriterion": map[string]interface{}{
				"comparator": "EQ", "tagValues": []interface{}{pair},
			}})
		}
		definition["bucketCriteria"] = map[string]interface{}{"includes": map[string]interface{}{"and": and}}
	}
	params := map[string]interface{}{
		"s3JobDefinition":               definition,
		"samplingPercentage":            j.SamplingPercentage,
		"managedDataIdentifierSelector": string(j.ManagedIdentifiers),
	}
	if j.Description != "" {
		params["description"] = j.Description
	}
	if j.Schedule == MacieOneTime {
		// A one-time job takes neither scheduleFrequency nor initialRun.
		params["jobType"] = "ONE_TIME"
		return params
	}
	params["jobType"] = "SCHEDULED"
	params["initialRun"] = !j.SkipExistingObjects
	switch j.Schedule {
	case MacieDaily:
		params["scheduleFrequency"] = map[string]interface{}{"dailySchedule": map[string]interface{}{}}
	case MacieWeekly:
		params["scheduleFrequency"] = map[string]interface{}{"weeklySchedule": map[string]interface{}{"dayOfWeek": j.DayOfWeek}}
	case MacieMonthly:
		params["scheduleFrequency"] = map[string]interface{}{"monthlySchedule": map[string]interface{}{"dayOfMonth": j.DayOfMonth}}
	}
	return params
}

// macieValidateCustomDataIdentifier checks the limits AWS::Macie::CustomDataIdentifier documents.
func macieValidateCustomDataIdentifier(c MacieCustomDataIdentifier, bad *problems.List) {
	inRange := func(words []string, most, min, max int) bool {
		if len(words) > most {
			return false
		}
		for _, w := range words {
			if n := len([]rune(w)); n < min || n > max {
				return false
			}
		}
		return true
	}
	if len([]rune(c.Name)) > catalog.MacieIdentifierNameMax || c.Regex == "" || len([]rune(c.Regex)) > catalog.MacieRegexMax ||
		len([]rune(c.Description)) > catalog.MacieDescriptionMax {
		bad.Add("custom data identifier %q needs a name of at most %d, a regex of 1-%d and a description of at most %d characters",
			c.Name, catalog.MacieIdentifierNameMax, catalog.MacieRegexMax, catalog.MacieDescriptionMax)
	}
	if !inRange(c.Keywords, catalog.MacieKeywordsMax, catalog.MacieKeywordMin, catalog.MacieWordMax) {
		bad.Add("custom data identifier %q: at most %d keywords of %d-%d characters", c.Name, catalog.MacieKeywordsMax, catalog.MacieKeywordMin, catalog.MacieWordMax)
	}
	if !inRange(c.IgnoreWords, catalog.MacieIgnoreWordsMax, catalog.MacieIgnoreWordMin, catalog.MacieWordMax) {
		bad.Add("custom data identifier %q: at most %d ignore words of %d-%d characters", c.Name, catalog.MacieIgnoreWordsMax, catalog.MacieIgnoreWordMin, catalog.MacieWordMax)
	}
	if c.MaximumMatchDistance < 0 || c.MaximumMatchDistance > catalog.MacieMatchDistanceMax {
		bad.Add("custom data identifier %q: MaximumMatchDistance %d must be 1-%d", c.Name, c.MaximumMatchDistance, catalog.MacieMatchDistanceMax)
	}
}

// macieNumber is n for jsii, or nil (the service default) for zero.
func macieNumber(n int) *float64 {
	if n == 0 {
		return nil
	}
	return jsii.Number(float64(n))
}

func macieFloat(n *int64) *float64 {
	if n == nil {
		return nil
	}
	return jsii.Number(float64(*n))
}

package preflight

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	cstypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/aws/aws-sdk-go-v2/service/detective"
	dttypes "github.com/aws/aws-sdk-go-v2/service/detective/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	i2types "github.com/aws/aws-sdk-go-v2/service/inspector2/types"
	"github.com/aws/aws-sdk-go-v2/service/macie2"
	m2types "github.com/aws/aws-sdk-go-v2/service/macie2/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	shtypes "github.com/aws/aws-sdk-go-v2/service/securityhub/types"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	sqtypes "github.com/aws/aws-sdk-go-v2/service/servicequotas/types"
	"github.com/aws/smithy-go"
)

// world is the state of every account a test run sees. Each stub answers
// from it the way the service documents: not-found errors where the service
// answers with one, empty lists elsewhere.
type world struct {
	caller    string
	callerErr error
	accounts  map[string]*fakeAccount
	// errs fails every call "<Client>.<Method>" with the error given;
	// throttle fails the first n calls of it with ThrottlingException.
	errs     map[string]error
	throttle map[string]int
	// missingTypes are the CloudFormation resource types a region lacks,
	// by region.
	missingTypes map[string][]string
	// calls counts the calls made, by "<Client>.<Method>".
	calls map[string]int
	// org is the organization the management account sees.
	org *fakeOrg
	// noConfigQuotas makes Service Quotas list no AWS Config quotas.
	noConfigQuotas bool
}

// configQuotaDefaults are the AWS Config quotas the fake Service Quotas
// lists, with decoys the name matching must pass over. The names and codes
// are the test's own; preflight finds the quotas by name at run time.
var configQuotaDefaults = []sqtypes.ServiceQuota{
	{QuotaName: aws.String("Configuration aggregators"), QuotaCode: aws.String("L-TEST0001"), Value: aws.Float64(50), Adjustable: true},
	{QuotaName: aws.String("Rules per conformance pack"), QuotaCode: aws.String("L-TEST0002"), Value: aws.Float64(130)},
	{QuotaName: aws.String("Organization conformance packs"), QuotaCode: aws.String("L-TEST0003"), Value: aws.Float64(50)},
	{QuotaName: aws.String("AWS Config rules"), QuotaCode: aws.String("L-TEST0004"), Value: aws.Float64(1000), Adjustable: true},
	{QuotaName: aws.String("Conformance packs"), QuotaCode: aws.String("L-TEST0005"), Value: aws.Float64(50)},
}

type fakeOrg struct {
	id, management string
	featureSet     orgtypes.OrganizationFeatureSet
	trusted        []string
	admins         map[string]string // service principal -> account
	policyTypes    []orgtypes.PolicyType
	// ous maps an OU to its accounts; children to its child OUs.
	ous      map[string][]string
	children map[string][]string
}

type fakeAccount struct {
	optIn   map[string]string // region -> OptInStatus; missing: opt-in-not-required
	bpa     *s3ctypes.PublicAccessBlockConfiguration
	regions map[string]*fakeRegion
	// noRole makes assuming the role into the account fail.
	noRole bool
}

type fakeRegion struct {
	// owners maps a physical ID to the stack of this region that holds it.
	owners     map[string]string
	toolkit    *cfntypes.Stack
	hub        string
	standards  []string
	detector   string
	frequency  gdtypes.FindingPublishingFrequency
	features   []gdtypes.DetectorFeature
	recorders  []string
	channels   []string
	rules      int
	analyzers  []aatypes.AnalyzerSummary
	macie      bool
	macieFreq  m2types.FindingPublishingFrequency
	graph      string
	inspector  i2types.Status
	lambdaCode bool
	ebsDefault bool
	trails     []cttypes.Trail

	// securityHubRules are Security Hub's custom service-linked rules and
	// mamoriRules the detection stack's, besides the customer's rules; packs
	// the conformance packs.
	securityHubRules, mamoriRules int
	packs                         []string
	// quotas are the applied values of Service Quotas, by quota code.
	quotas map[string]float64

	// linked are service-linked recorders (other services' own);
	// channelPrefix and channelTopic are the first channel's S3 key prefix
	// and SNS topic.
	linked                      []string
	channelPrefix, channelTopic string
}

func (w *world) account(id string) *fakeAccount {
	if w.accounts == nil {
		w.accounts = map[string]*fakeAccount{}
	}
	a := w.accounts[id]
	if a == nil {
		a = &fakeAccount{regions: map[string]*fakeRegion{}}
		w.accounts[id] = a
	}
	return a
}

func (a *fakeAccount) region(r string) *fakeRegion {
	x := a.regions[r]
	if x == nil {
		x = &fakeRegion{owners: map[string]string{}}
		a.regions[r] = x
	}
	return x
}

// bootstrapped gives account a current CDK bootstrap in regions, trusting trust.
func (w *world) bootstrapped(account string, trust string, regions ...string) {
	for _, r := range regions {
		st := &cfntypes.Stack{StackName: aws.String("CDKToolkit"), StackStatus: cfntypes.StackStatusUpdateComplete,
			Outputs: []cfntypes.Output{{OutputKey: aws.String("BootstrapVersion"), OutputValue: aws.String("27")}}}
		if trust != "" {
			st.Parameters = []cfntypes.Parameter{{ParameterKey: aws.String("TrustedAccounts"), ParameterValue: aws.String(trust)}}
		}
		w.account(account).region(r).toolkit = st
	}
}

func apiErr(code, msg string) error { return &smithy.GenericAPIError{Code: code, Message: msg} }

// Caller and For make world a Session.
func (w *world) Caller(context.Context) (string, error) { return w.caller, w.callerErr }

func (w *world) For(_ context.Context, account, region string) (*Clients, error) {
	if a := w.account(account); a.noRole {
		return nil, fmt.Errorf("cannot assume role OrganizationAccountAccessRole in %s (sts:AssumeRole): %w", account, apiErr("AccessDenied", "not authorized"))
	}
	f := &fake{w: w, account: account, region: region}
	return &Clients{f, f, f, f, f, f, f, f, f, f, f, f, f}, nil
}

// fake is every service client of one account and region.
type fake struct {
	w               *world
	account, region string
}

func (f *fake) r() *fakeRegion { return f.w.account(f.account).region(f.region) }

// enter records a call and returns the error the world injects for it.
func (f *fake) enter(client, method string) error {
	key := client + "." + method
	if f.w.calls == nil {
		f.w.calls = map[string]int{}
	}
	f.w.calls[key]++
	if n := f.w.throttle[key]; n > 0 {
		f.w.throttle[key] = n - 1
		return apiErr("ThrottlingException", "Rate exceeded")
	}
	return f.w.errs[key]
}

func (f *fake) DescribeHub(context.Context, *securityhub.DescribeHubInput, ...func(*securityhub.Options)) (*securityhub.DescribeHubOutput, error) {
	if err := f.enter("SecurityHubAPI", "DescribeHub"); err != nil {
		return nil, err
	}
	if f.r().hub == "" {
		return nil, apiErr("InvalidAccessException", "Account "+f.account+" is not subscribed to AWS Security Hub")
	}
	return &securityhub.DescribeHubOutput{HubArn: aws.String(f.r().hub)}, nil
}

func (f *fake) GetEnabledStandards(_ context.Context, in *securityhub.GetEnabledStandardsInput, _ ...func(*securityhub.Options)) (*securityhub.GetEnabledStandardsOutput, error) {
	if err := f.enter("SecurityHubAPI", "GetEnabledStandards"); err != nil {
		return nil, err
	}
	// One standard a page, to exercise the pagination.
	i := 0
	if in.NextToken != nil {
		fmt.Sscan(*in.NextToken, &i)
	}
	out := &securityhub.GetEnabledStandardsOutput{}
	if i < len(f.r().standards) {
		out.StandardsSubscriptions = []shtypes.StandardsSubscription{{StandardsArn: aws.String(f.r().standards[i])}}
		if i+1 < len(f.r().standards) {
			out.NextToken = aws.String(fmt.Sprint(i + 1))
		}
	}
	return out, nil
}

func (f *fake) ListDetectors(context.Context, *guardduty.ListDetectorsInput, ...func(*guardduty.Options)) (*guardduty.ListDetectorsOutput, error) {
	if err := f.enter("GuardDutyAPI", "ListDetectors"); err != nil {
		return nil, err
	}
	out := &guardduty.ListDetectorsOutput{}
	if f.r().detector != "" {
		out.DetectorIds = []string{f.r().detector}
	}
	return out, nil
}

func (f *fake) GetDetector(_ context.Context, in *guardduty.GetDetectorInput, _ ...func(*guardduty.Options)) (*guardduty.GetDetectorOutput, error) {
	if err := f.enter("GuardDutyAPI", "GetDetector"); err != nil {
		return nil, err
	}
	if aws.ToString(in.DetectorId) != f.r().detector {
		return nil, apiErr("BadRequestException", "The request is rejected because the input detectorId is not owned by the current account.")
	}
	out := &guardduty.GetDetectorOutput{Status: gdtypes.DetectorStatusEnabled, FindingPublishingFrequency: f.r().frequency}
	for _, name := range f.r().features {
		out.Features = append(out.Features, gdtypes.DetectorFeatureConfigurationResult{Name: gdtypes.DetectorFeatureResult(name), Status: gdtypes.FeatureStatusEnabled})
	}
	return out, nil
}

func (f *fake) DescribeConfigurationRecorders(context.Context, *configservice.DescribeConfigurationRecordersInput, ...func(*configservice.Options)) (*configservice.DescribeConfigurationRecordersOutput, error) {
	if err := f.enter("ConfigAPI", "DescribeConfigurationRecorders"); err != nil {
		return nil, err
	}
	out := &configservice.DescribeConfigurationRecordersOutput{}
	for _, n := range f.r().linked {
		out.ConfigurationRecorders = append(out.ConfigurationRecorders, cstypes.ConfigurationRecorder{Name: aws.String(n), ServicePrincipal: aws.String("securityhub.amazonaws.com")})
	}
	for _, n := range f.r().recorders {
		out.ConfigurationRecorders = append(out.ConfigurationRecorders, cstypes.ConfigurationRecorder{Name: aws.String(n)})
	}
	return out, nil
}

func (f *fake) DescribeDeliveryChannels(context.Context, *configservice.DescribeDeliveryChannelsInput, ...func(*configservice.Options)) (*configservice.DescribeDeliveryChannelsOutput, error) {
	if err := f.enter("ConfigAPI", "DescribeDeliveryChannels"); err != nil {
		return nil, err
	}
	out := &configservice.DescribeDeliveryChannelsOutput{}
	for i, n := range f.r().channels {
		ch := cstypes.DeliveryChannel{Name: aws.String(n)}
		if x := f.r(); i == 0 {
			ch.S3KeyPrefix, ch.SnsTopicARN = nonEmpty(x.channelPrefix), nonEmpty(x.channelTopic)
		}
		out.DeliveryChannels = append(out.DeliveryChannels, ch)
	}
	return out, nil
}

// page returns items [i, i+size) of n for the page token, and the next
// token; size is small so that the tests go through several pages.
func page(token *string, n, size int) (from, to int, next *string) {
	if token != nil {
		fmt.Sscan(*token, &from)
	}
	to = min(from+size, n)
	if to < n {
		next = aws.String(fmt.Sprint(to))
	}
	return from, to, next
}

func (f *fake) DescribeConfigRules(_ context.Context, in *configservice.DescribeConfigRulesInput, _ ...func(*configservice.Options)) (*configservice.DescribeConfigRulesOutput, error) {
	if err := f.enter("ConfigAPI", "DescribeConfigRules"); err != nil {
		return nil, err
	}
	x := f.r()
	from, to, next := page(in.NextToken, x.rules+x.securityHubRules+x.mamoriRules, 25)
	out := &configservice.DescribeConfigRulesOutput{NextToken: next}
	for i := from; i < to; i++ {
		rule := cstypes.ConfigRule{ConfigRuleName: aws.String(fmt.Sprintf("rule-%d", i)), Source: &cstypes.Source{Owner: cstypes.OwnerAws}}
		switch {
		case i >= x.rules+x.securityHubRules:
			// CloudFormation's generated name: <stack>-<logical ID>-<suffix>.
			rule.ConfigRuleName = aws.String(fmt.Sprintf("acme-detection-%s-ROOTACCOUNTMFAENABLED%d-1A2B3C4D", f.region, i))
		case i >= x.rules:
			rule = cstypes.ConfigRule{ConfigRuleName: aws.String(fmt.Sprintf("securityhub-check-%d", i)), CreatedBy: aws.String("securityhub.amazonaws.com"),
				Source: &cstypes.Source{Owner: cstypes.OwnerCustomLambda}}
		}
		out.ConfigRules = append(out.ConfigRules, rule)
	}
	return out, nil
}

func (f *fake) DescribeConformancePacks(_ context.Context, in *configservice.DescribeConformancePacksInput, _ ...func(*configservice.Options)) (*configservice.DescribeConformancePacksOutput, error) {
	if err := f.enter("ConfigAPI", "DescribeConformancePacks"); err != nil {
		return nil, err
	}
	from, to, next := page(in.NextToken, len(f.r().packs), 20)
	out := &configservice.DescribeConformancePacksOutput{NextToken: next}
	for _, name := range f.r().packs[from:to] {
		out.ConformancePackDetails = append(out.ConformancePackDetails, cstypes.ConformancePackDetail{ConformancePackName: aws.String(name)})
	}
	return out, nil
}

func (f *fake) ListAWSDefaultServiceQuotas(_ context.Context, in *servicequotas.ListAWSDefaultServiceQuotasInput, _ ...func(*servicequotas.Options)) (*servicequotas.ListAWSDefaultServiceQuotasOutput, error) {
	if err := f.enter("ServiceQuotasAPI", "ListAWSDefaultServiceQuotas"); err != nil {
		return nil, err
	}
	if aws.ToString(in.ServiceCode) != "config" || f.w.noConfigQuotas {
		return nil, apiErr("NoSuchResourceException", "The request failed because the specified service does not exist.")
	}
	from, to, next := page(in.NextToken, len(configQuotaDefaults), 2)
	return &servicequotas.ListAWSDefaultServiceQuotasOutput{Quotas: configQuotaDefaults[from:to], NextToken: next}, nil
}

func (f *fake) GetServiceQuota(_ context.Context, in *servicequotas.GetServiceQuotaInput, _ ...func(*servicequotas.Options)) (*servicequotas.GetServiceQuotaOutput, error) {
	if err := f.enter("ServiceQuotasAPI", "GetServiceQuota"); err != nil {
		return nil, err
	}
	v, ok := f.r().quotas[aws.ToString(in.QuotaCode)]
	if !ok {
		return nil, apiErr("NoSuchResourceException", "The request failed because the specified resource does not exist.")
	}
	return &servicequotas.GetServiceQuotaOutput{Quota: &sqtypes.ServiceQuota{QuotaCode: in.QuotaCode, Value: aws.Float64(v)}}, nil
}

func (f *fake) ListAnalyzers(context.Context, *accessanalyzer.ListAnalyzersInput, ...func(*accessanalyzer.Options)) (*accessanalyzer.ListAnalyzersOutput, error) {
	if err := f.enter("AccessAnalyzerAPI", "ListAnalyzers"); err != nil {
		return nil, err
	}
	return &accessanalyzer.ListAnalyzersOutput{Analyzers: f.r().analyzers}, nil
}

func (f *fake) GetMacieSession(context.Context, *macie2.GetMacieSessionInput, ...func(*macie2.Options)) (*macie2.GetMacieSessionOutput, error) {
	if err := f.enter("MacieAPI", "GetMacieSession"); err != nil {
		return nil, err
	}
	if !f.r().macie {
		return nil, apiErr("AccessDeniedException", "Macie is not enabled.")
	}
	return &macie2.GetMacieSessionOutput{Status: m2types.MacieStatusEnabled, FindingPublishingFrequency: f.r().macieFreq}, nil
}

func (f *fake) ListGraphs(context.Context, *detective.ListGraphsInput, ...func(*detective.Options)) (*detective.ListGraphsOutput, error) {
	if err := f.enter("DetectiveAPI", "ListGraphs"); err != nil {
		return nil, err
	}
	out := &detective.ListGraphsOutput{}
	if f.r().graph != "" {
		out.GraphList = []dttypes.Graph{{Arn: aws.String(f.r().graph)}}
	}
	return out, nil
}

func (f *fake) BatchGetAccountStatus(_ context.Context, in *inspector2.BatchGetAccountStatusInput, _ ...func(*inspector2.Options)) (*inspector2.BatchGetAccountStatusOutput, error) {
	if err := f.enter("InspectorAPI", "BatchGetAccountStatus"); err != nil {
		return nil, err
	}
	status := f.r().inspector
	if status == "" {
		status = i2types.StatusDisabled
	}
	st := &i2types.State{Status: status}
	code := &i2types.State{Status: i2types.StatusDisabled}
	if f.r().lambdaCode {
		code.Status = i2types.StatusEnabled
	}
	return &inspector2.BatchGetAccountStatusOutput{Accounts: []i2types.AccountState{{AccountId: aws.String(in.AccountIds[0]), State: st,
		ResourceState: &i2types.ResourceState{Ec2: st, Ecr: st, Lambda: st, LambdaCode: code}}}}, nil
}

func (f *fake) DescribeTrails(context.Context, *cloudtrail.DescribeTrailsInput, ...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error) {
	if err := f.enter("CloudTrailAPI", "DescribeTrails"); err != nil {
		return nil, err
	}
	return &cloudtrail.DescribeTrailsOutput{TrailList: f.r().trails}, nil
}

func (f *fake) GetPublicAccessBlock(context.Context, *s3control.GetPublicAccessBlockInput, ...func(*s3control.Options)) (*s3control.GetPublicAccessBlockOutput, error) {
	if err := f.enter("S3ControlAPI", "GetPublicAccessBlock"); err != nil {
		return nil, err
	}
	a := f.w.account(f.account)
	if a.bpa == nil {
		return nil, apiErr("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
	}
	return &s3control.GetPublicAccessBlockOutput{PublicAccessBlockConfiguration: a.bpa}, nil
}

func (f *fake) GetEbsEncryptionByDefault(context.Context, *ec2.GetEbsEncryptionByDefaultInput, ...func(*ec2.Options)) (*ec2.GetEbsEncryptionByDefaultOutput, error) {
	if err := f.enter("EC2API", "GetEbsEncryptionByDefault"); err != nil {
		return nil, err
	}
	return &ec2.GetEbsEncryptionByDefaultOutput{EbsEncryptionByDefault: aws.Bool(f.r().ebsDefault)}, nil
}

// commercial are the regions the fake partition knows.
var commercial = []string{"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "eu-south-1", "ap-southeast-2"}

func (f *fake) DescribeRegions(context.Context, *ec2.DescribeRegionsInput, ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error) {
	if err := f.enter("EC2API", "DescribeRegions"); err != nil {
		return nil, err
	}
	out := &ec2.DescribeRegionsOutput{}
	for _, r := range commercial {
		s, ok := f.w.account(f.account).optIn[r]
		if !ok {
			s = "opt-in-not-required"
		}
		out.Regions = append(out.Regions, ec2types.Region{RegionName: aws.String(r), OptInStatus: aws.String(s)})
	}
	return out, nil
}

func (f *fake) DescribeStacks(_ context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	if err := f.enter("CloudFormationAPI", "DescribeStacks"); err != nil {
		return nil, err
	}
	if t := f.r().toolkit; t != nil && aws.ToString(in.StackName) == aws.ToString(t.StackName) {
		return &cloudformation.DescribeStacksOutput{Stacks: []cfntypes.Stack{*t}}, nil
	}
	return nil, apiErr("ValidationError", "Stack with id "+aws.ToString(in.StackName)+" does not exist")
}

func (f *fake) DescribeStackResources(_ context.Context, in *cloudformation.DescribeStackResourcesInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackResourcesOutput, error) {
	if err := f.enter("CloudFormationAPI", "DescribeStackResources"); err != nil {
		return nil, err
	}
	id := aws.ToString(in.PhysicalResourceId)
	stack, ok := f.r().owners[id]
	if !ok {
		return nil, apiErr("ValidationError", "Stack for "+id+" does not exist")
	}
	return &cloudformation.DescribeStackResourcesOutput{StackResources: []cfntypes.StackResource{{
		StackName: aws.String(stack), PhysicalResourceId: aws.String(id), ResourceType: aws.String(typeOf(id, f.account)),
		ResourceStatus: cfntypes.ResourceStatusCreateComplete, LogicalResourceId: aws.String("Existing"),
	}}}, nil
}

func (f *fake) DescribeType(_ context.Context, in *cloudformation.DescribeTypeInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeTypeOutput, error) {
	if err := f.enter("CloudFormationAPI", "DescribeType"); err != nil {
		return nil, err
	}
	if slices.Contains(f.w.missingTypes[f.region], aws.ToString(in.TypeName)) {
		return nil, apiErr("TypeNotFoundException", "The type '"+aws.ToString(in.TypeName)+"' cannot be found.")
	}
	return &cloudformation.DescribeTypeOutput{TypeName: in.TypeName, ProvisioningType: cfntypes.ProvisioningTypeFullyMutable}, nil
}

// typeOf guesses the CloudFormation type of a fake physical ID.
func typeOf(id, account string) string {
	switch {
	case strings.Contains(id, ":hub/"):
		return "AWS::SecurityHub::Hub"
	case strings.Contains(id, ":analyzer/"):
		return "AWS::AccessAnalyzer::Analyzer"
	case strings.Contains(id, ":graph:"):
		return "AWS::Detective::Graph"
	case id == account:
		return "AWS::Macie::Session"
	case strings.HasPrefix(id, "aws-controltower-") || strings.HasPrefix(id, "recorder"):
		return "AWS::Config::ConfigurationRecorder"
	}
	return "AWS::GuardDuty::Detector"
}

func (f *fake) organizations(method string) (*fakeOrg, error) {
	if err := f.enter("OrganizationsAPI", method); err != nil {
		return nil, err
	}
	if f.w.org == nil || f.account != f.w.org.management {
		return nil, apiErr("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	}
	return f.w.org, nil
}

func (f *fake) DescribeOrganization(context.Context, *organizations.DescribeOrganizationInput, ...func(*organizations.Options)) (*organizations.DescribeOrganizationOutput, error) {
	o, err := f.organizations("DescribeOrganization")
	if err != nil {
		return nil, err
	}
	return &organizations.DescribeOrganizationOutput{Organization: &orgtypes.Organization{Id: aws.String(o.id), MasterAccountId: aws.String(o.management), FeatureSet: o.featureSet}}, nil
}

func (f *fake) ListAWSServiceAccessForOrganization(context.Context, *organizations.ListAWSServiceAccessForOrganizationInput, ...func(*organizations.Options)) (*organizations.ListAWSServiceAccessForOrganizationOutput, error) {
	o, err := f.organizations("ListAWSServiceAccessForOrganization")
	if err != nil {
		return nil, err
	}
	out := &organizations.ListAWSServiceAccessForOrganizationOutput{}
	for _, p := range o.trusted {
		out.EnabledServicePrincipals = append(out.EnabledServicePrincipals, orgtypes.EnabledServicePrincipal{ServicePrincipal: aws.String(p)})
	}
	return out, nil
}

func (f *fake) ListDelegatedAdministrators(_ context.Context, in *organizations.ListDelegatedAdministratorsInput, _ ...func(*organizations.Options)) (*organizations.ListDelegatedAdministratorsOutput, error) {
	o, err := f.organizations("ListDelegatedAdministrators")
	if err != nil {
		return nil, err
	}
	out := &organizations.ListDelegatedAdministratorsOutput{}
	if a, ok := o.admins[aws.ToString(in.ServicePrincipal)]; ok {
		out.DelegatedAdministrators = []orgtypes.DelegatedAdministrator{{Id: aws.String(a)}}
	}
	return out, nil
}

func (f *fake) ListRoots(context.Context, *organizations.ListRootsInput, ...func(*organizations.Options)) (*organizations.ListRootsOutput, error) {
	o, err := f.organizations("ListRoots")
	if err != nil {
		return nil, err
	}
	root := orgtypes.Root{Id: aws.String("r-ab12")}
	for _, p := range o.policyTypes {
		root.PolicyTypes = append(root.PolicyTypes, orgtypes.PolicyTypeSummary{Type: p, Status: orgtypes.PolicyTypeStatusEnabled})
	}
	return &organizations.ListRootsOutput{Roots: []orgtypes.Root{root}}, nil
}

func (f *fake) accounts(ids []string) []orgtypes.Account {
	var out []orgtypes.Account
	for _, id := range ids {
		out = append(out, orgtypes.Account{Id: aws.String(id), Status: orgtypes.AccountStatusActive})
	}
	return out
}

func (f *fake) ListAccounts(context.Context, *organizations.ListAccountsInput, ...func(*organizations.Options)) (*organizations.ListAccountsOutput, error) {
	o, err := f.organizations("ListAccounts")
	if err != nil {
		return nil, err
	}
	var all []string
	for _, ids := range o.ous {
		all = append(all, ids...)
	}
	slices.Sort(all)
	return &organizations.ListAccountsOutput{Accounts: f.accounts(slices.Compact(all))}, nil
}

func (f *fake) ListAccountsForParent(_ context.Context, in *organizations.ListAccountsForParentInput, _ ...func(*organizations.Options)) (*organizations.ListAccountsForParentOutput, error) {
	o, err := f.organizations("ListAccountsForParent")
	if err != nil {
		return nil, err
	}
	return &organizations.ListAccountsForParentOutput{Accounts: f.accounts(o.ous[aws.ToString(in.ParentId)])}, nil
}

func (f *fake) ListOrganizationalUnitsForParent(_ context.Context, in *organizations.ListOrganizationalUnitsForParentInput, _ ...func(*organizations.Options)) (*organizations.ListOrganizationalUnitsForParentOutput, error) {
	o, err := f.organizations("ListOrganizationalUnitsForParent")
	if err != nil {
		return nil, err
	}
	out := &organizations.ListOrganizationalUnitsForParentOutput{}
	for _, c := range o.children[aws.ToString(in.ParentId)] {
		out.OrganizationalUnits = append(out.OrganizationalUnits, orgtypes.OrganizationalUnit{Id: aws.String(c)})
	}
	return out, nil
}

// nonEmpty is s as an SDK field: nil when empty.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

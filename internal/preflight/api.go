package preflight

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/detective"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	"github.com/aws/aws-sdk-go-v2/service/macie2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
)

// Each interface below holds only the SDK methods preflight calls, so that
// tests hand in stubs; *<service>.Client satisfies each. Every method is a
// read: calls (below) lists the IAM action each one needs, and the policy in
// docs/preflight.md is generated from that list.

// SecurityHubAPI reads an account's hub and its enabled standards.
type SecurityHubAPI interface {
	DescribeHub(context.Context, *securityhub.DescribeHubInput, ...func(*securityhub.Options)) (*securityhub.DescribeHubOutput, error)
	GetEnabledStandards(context.Context, *securityhub.GetEnabledStandardsInput, ...func(*securityhub.Options)) (*securityhub.GetEnabledStandardsOutput, error)
}

// GuardDutyAPI reads an account's detector.
type GuardDutyAPI interface {
	ListDetectors(context.Context, *guardduty.ListDetectorsInput, ...func(*guardduty.Options)) (*guardduty.ListDetectorsOutput, error)
	GetDetector(context.Context, *guardduty.GetDetectorInput, ...func(*guardduty.Options)) (*guardduty.GetDetectorOutput, error)
}

// ConfigAPI reads AWS Config's recorder, delivery channel, rules and
// conformance packs.
type ConfigAPI interface {
	DescribeConfigurationRecorders(context.Context, *configservice.DescribeConfigurationRecordersInput, ...func(*configservice.Options)) (*configservice.DescribeConfigurationRecordersOutput, error)
	DescribeDeliveryChannels(context.Context, *configservice.DescribeDeliveryChannelsInput, ...func(*configservice.Options)) (*configservice.DescribeDeliveryChannelsOutput, error)
	DescribeConfigRules(context.Context, *configservice.DescribeConfigRulesInput, ...func(*configservice.Options)) (*configservice.DescribeConfigRulesOutput, error)
	DescribeConformancePacks(context.Context, *configservice.DescribeConformancePacksInput, ...func(*configservice.Options)) (*configservice.DescribeConformancePacksOutput, error)
}

// ServiceQuotasAPI reads AWS Config's quotas in Service Quotas.
type ServiceQuotasAPI interface {
	ListAWSDefaultServiceQuotas(context.Context, *servicequotas.ListAWSDefaultServiceQuotasInput, ...func(*servicequotas.Options)) (*servicequotas.ListAWSDefaultServiceQuotasOutput, error)
	GetServiceQuota(context.Context, *servicequotas.GetServiceQuotaInput, ...func(*servicequotas.Options)) (*servicequotas.GetServiceQuotaOutput, error)
}

// AccessAnalyzerAPI lists IAM Access Analyzer's analyzers.
type AccessAnalyzerAPI interface {
	ListAnalyzers(context.Context, *accessanalyzer.ListAnalyzersInput, ...func(*accessanalyzer.Options)) (*accessanalyzer.ListAnalyzersOutput, error)
}

// MacieAPI reads the account's Macie session.
type MacieAPI interface {
	GetMacieSession(context.Context, *macie2.GetMacieSessionInput, ...func(*macie2.Options)) (*macie2.GetMacieSessionOutput, error)
}

// DetectiveAPI lists the account's behavior graphs.
type DetectiveAPI interface {
	ListGraphs(context.Context, *detective.ListGraphsInput, ...func(*detective.Options)) (*detective.ListGraphsOutput, error)
}

// InspectorAPI reads Amazon Inspector's status for the account.
type InspectorAPI interface {
	BatchGetAccountStatus(context.Context, *inspector2.BatchGetAccountStatusInput, ...func(*inspector2.Options)) (*inspector2.BatchGetAccountStatusOutput, error)
}

// CloudTrailAPI lists the trails that record the region.
type CloudTrailAPI interface {
	DescribeTrails(context.Context, *cloudtrail.DescribeTrailsInput, ...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error)
}

// S3ControlAPI reads the account's S3 Block Public Access settings.
type S3ControlAPI interface {
	GetPublicAccessBlock(context.Context, *s3control.GetPublicAccessBlockInput, ...func(*s3control.Options)) (*s3control.GetPublicAccessBlockOutput, error)
}

// EC2API reads EBS encryption by default and the regions' opt-in status.
type EC2API interface {
	GetEbsEncryptionByDefault(context.Context, *ec2.GetEbsEncryptionByDefaultInput, ...func(*ec2.Options)) (*ec2.GetEbsEncryptionByDefaultOutput, error)
	DescribeRegions(context.Context, *ec2.DescribeRegionsInput, ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error)
}

// CloudFormationAPI reads the CDK bootstrap stack, which stack owns a
// resource, and whether the region's registry offers a resource type.
type CloudFormationAPI interface {
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
	DescribeStackResources(context.Context, *cloudformation.DescribeStackResourcesInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackResourcesOutput, error)
	DescribeType(context.Context, *cloudformation.DescribeTypeInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeTypeOutput, error)
}

// OrganizationsAPI reads the organization's settings and accounts; it is
// only called in the management account.
type OrganizationsAPI interface {
	DescribeOrganization(context.Context, *organizations.DescribeOrganizationInput, ...func(*organizations.Options)) (*organizations.DescribeOrganizationOutput, error)
	ListAWSServiceAccessForOrganization(context.Context, *organizations.ListAWSServiceAccessForOrganizationInput, ...func(*organizations.Options)) (*organizations.ListAWSServiceAccessForOrganizationOutput, error)
	ListDelegatedAdministrators(context.Context, *organizations.ListDelegatedAdministratorsInput, ...func(*organizations.Options)) (*organizations.ListDelegatedAdministratorsOutput, error)
	ListRoots(context.Context, *organizations.ListRootsInput, ...func(*organizations.Options)) (*organizations.ListRootsOutput, error)
	ListAccounts(context.Context, *organizations.ListAccountsInput, ...func(*organizations.Options)) (*organizations.ListAccountsOutput, error)
	ListAccountsForParent(context.Context, *organizations.ListAccountsForParentInput, ...func(*organizations.Options)) (*organizations.ListAccountsForParentOutput, error)
	ListOrganizationalUnitsForParent(context.Context, *organizations.ListOrganizationalUnitsForParentInput, ...func(*organizations.Options)) (*organizations.ListOrganizationalUnitsForParentOutput, error)
}

// Clients are the service clients of one account in one region.
type Clients struct {
	SecurityHub    SecurityHubAPI
	GuardDuty      GuardDutyAPI
	Config         ConfigAPI
	AccessAnalyzer AccessAnalyzerAPI
	Macie          MacieAPI
	Detective      DetectiveAPI
	Inspector      InspectorAPI
	CloudTrail     CloudTrailAPI
	S3Control      S3ControlAPI
	EC2            EC2API
	CloudFormation CloudFormationAPI
	Organizations  OrganizationsAPI
	ServiceQuotas  ServiceQuotasAPI
}

// Session opens clients. Caller names the account of the credentials; For
// returns the clients of account in region, through the assumed role when
// account is not the caller's. An error from either says why preflight
// cannot check at all (no credentials, the role cannot be assumed).
type Session interface {
	Caller(ctx context.Context) (string, error)
	For(ctx context.Context, account, region string) (*Clients, error)
}

// call is one SDK method preflight makes and the IAM action it needs.
type call struct {
	// Client is the interface's name, Method the method's.
	Client, Method string
	// Action is the IAM action; Resource narrows it where IAM allows.
	Action, Resource string
}

// calls is every call preflight makes: the IAM policy is generated from it,
// and a test checks it against the interfaces above. The action names are
// from each service's "Actions, resources, and condition keys" page of the
// Service Authorization Reference.
var calls = []call{
	{"SecurityHubAPI", "DescribeHub", "securityhub:DescribeHub", "*"},
	{"SecurityHubAPI", "GetEnabledStandards", "securityhub:GetEnabledStandards", "*"},
	{"GuardDutyAPI", "ListDetectors", "guardduty:ListDetectors", "*"},
	{"GuardDutyAPI", "GetDetector", "guardduty:GetDetector", "*"},
	{"ConfigAPI", "DescribeConfigurationRecorders", "config:DescribeConfigurationRecorders", "*"},
	{"ConfigAPI", "DescribeDeliveryChannels", "config:DescribeDeliveryChannels", "*"},
	{"ConfigAPI", "DescribeConfigRules", "config:DescribeConfigRules", "*"},
	{"ConfigAPI", "DescribeConformancePacks", "config:DescribeConformancePacks", "*"},
	{"AccessAnalyzerAPI", "ListAnalyzers", "access-analyzer:ListAnalyzers", "*"},
	{"MacieAPI", "GetMacieSession", "macie2:GetMacieSession", "*"},
	{"DetectiveAPI", "ListGraphs", "detective:ListGraphs", "*"},
	{"InspectorAPI", "BatchGetAccountStatus", "inspector2:BatchGetAccountStatus", "*"},
	{"CloudTrailAPI", "DescribeTrails", "cloudtrail:DescribeTrails", "*"},
	// S3 Control's GetPublicAccessBlock is authorized as s3:GetAccountPublicAccessBlock.
	{"S3ControlAPI", "GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock", "*"},
	{"EC2API", "GetEbsEncryptionByDefault", "ec2:GetEbsEncryptionByDefault", "*"},
	{"EC2API", "DescribeRegions", "ec2:DescribeRegions", "*"},
	{"CloudFormationAPI", "DescribeStacks", "cloudformation:DescribeStacks", "*"},
	{"CloudFormationAPI", "DescribeStackResources", "cloudformation:DescribeStackResources", "*"},
	{"CloudFormationAPI", "DescribeType", "cloudformation:DescribeType", "*"},
	{"OrganizationsAPI", "DescribeOrganization", "organizations:DescribeOrganization", "*"},
	{"OrganizationsAPI", "ListAWSServiceAccessForOrganization", "organizations:ListAWSServiceAccessForOrganization", "*"},
	{"OrganizationsAPI", "ListDelegatedAdministrators", "organizations:ListDelegatedAdministrators", "*"},
	{"OrganizationsAPI", "ListRoots", "organizations:ListRoots", "*"},
	{"OrganizationsAPI", "ListAccounts", "organizations:ListAccounts", "*"},
	{"OrganizationsAPI", "ListAccountsForParent", "organizations:ListAccountsForParent", "*"},
	{"OrganizationsAPI", "ListOrganizationalUnitsForParent", "organizations:ListOrganizationalUnitsForParent", "*"},
	{"ServiceQuotasAPI", "ListAWSDefaultServiceQuotas", "servicequotas:ListAWSDefaultServiceQuotas", "*"},
	{"ServiceQuotasAPI", "GetServiceQuota", "servicequotas:GetServiceQuota", "*"},
}

// actionFor returns the IAM action of a client's method.
func actionFor(client, method string) string {
	for _, c := range calls {
		if c.Client == client && c.Method == method {
			return c.Action
		}
	}
	return ""
}

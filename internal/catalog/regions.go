package catalog

import (
	"slices"
	"strings"
)

//go:generate go run ./regiongen

// Region is an AWS region mamori can govern.
type Region struct {
	// Name is the region's code, e.g. "eu-west-1".
	Name string
	// Partition is "aws", "aws-cn", "aws-us-gov" or "aws-eusc".
	Partition string
}

// Regions are the AWS regions mamori can govern, sorted by name. The list
// follows aws-cdk-lib's region-info (2.276); the isolated (ISO) partitions
// are left out because none of the security services mamori enables is
// offered there the same way. Add a region here when AWS opens one, then run
// `go generate ./internal/catalog` to learn which resource types it offers.
var Regions = []Region{
	{"af-south-1", "aws"},
	{"ap-east-1", "aws"},
	{"ap-east-2", "aws"},
	{"ap-northeast-1", "aws"},
	{"ap-northeast-2", "aws"},
	{"ap-northeast-3", "aws"},
	{"ap-south-1", "aws"},
	{"ap-south-2", "aws"},
	{"ap-southeast-1", "aws"},
	{"ap-southeast-2", "aws"},
	{"ap-southeast-3", "aws"},
	{"ap-southeast-4", "aws"},
	{"ap-southeast-5", "aws"},
	{"ap-southeast-6", "aws"},
	{"ap-southeast-7", "aws"},
	{"ca-central-1", "aws"},
	{"ca-west-1", "aws"},
	{"cn-north-1", "aws-cn"},
	{"cn-northwest-1", "aws-cn"},
	{"eu-central-1", "aws"},
	{"eu-central-2", "aws"},
	{"eu-north-1", "aws"},
	{"eu-south-1", "aws"},
	{"eu-south-2", "aws"},
	{"eu-west-1", "aws"},
	{"eu-west-2", "aws"},
	{"eu-west-3", "aws"},
	{"eusc-de-east-1", "aws-eusc"},
	{"il-central-1", "aws"},
	{"me-central-1", "aws"},
	{"me-south-1", "aws"},
	{"me-west-1", "aws"},
	{"mx-central-1", "aws"},
	{"sa-east-1", "aws"},
	{"us-east-1", "aws"},
	{"us-east-2", "aws"},
	{"us-gov-east-1", "aws-us-gov"},
	{"us-gov-west-1", "aws-us-gov"},
	{"us-west-1", "aws"},
	{"us-west-2", "aws"},
}

// RegionPartition returns the partition of a known region, or false for an
// unknown name.
func RegionPartition(name string) (string, bool) {
	i, found := slices.BinarySearchFunc(Regions, name, func(r Region, name string) int { return strings.Compare(r.Name, name) })
	if !found {
		return "", false
	}
	return Regions[i].Partition, true
}

// ResourceTypes are the CloudFormation resource types mamori's constructs
// create, sorted. The region table (regions_gen.go) has a row for each; a
// test checks that every type in every snapshot template is listed here.
var ResourceTypes = []string{
	"AWS::AccessAnalyzer::Analyzer",
	"AWS::AuditManager::Assessment",
	"AWS::Chatbot::SlackChannelConfiguration",
	"AWS::CloudFormation::StackSet",
	"AWS::CloudHSM::Cluster",
	"AWS::CloudTrail::Trail",
	"AWS::CloudWatch::Alarm",
	"AWS::Config::ConfigRule",
	"AWS::Config::ConfigurationAggregator",
	"AWS::Config::ConfigurationRecorder",
	"AWS::Config::ConformancePack",
	"AWS::Config::DeliveryChannel",
	"AWS::Config::RemediationConfiguration",
	"AWS::Detective::Graph",
	"AWS::Detective::OrganizationAdmin",
	"AWS::EC2::FlowLog",
	"AWS::EC2::GatewayRouteTableAssociation",
	"AWS::EC2::InternetGateway",
	"AWS::EC2::Route",
	"AWS::EC2::RouteTable",
	"AWS::EC2::SnapshotBlockPublicAccess",
	"AWS::EC2::Subnet",
	"AWS::EC2::SubnetRouteTableAssociation",
	"AWS::EC2::VPC",
	"AWS::EC2::VPCGatewayAttachment",
	"AWS::Events::Rule",
	"AWS::FMS::NotificationChannel",
	"AWS::FMS::Policy",
	"AWS::GuardDuty::Detector",
	"AWS::GuardDuty::MalwareProtectionPlan",
	"AWS::GuardDuty::PublishingDestination",
	"AWS::IAM::ManagedPolicy",
	"AWS::IAM::Role",
	"AWS::InspectorV2::CisScanConfiguration",
	"AWS::KMS::Alias",
	"AWS::KMS::Key",
	"AWS::KMS::ReplicaKey",
	"AWS::Lambda::Function",
	"AWS::Lambda::Permission",
	"AWS::Logs::LogGroup",
	"AWS::Logs::MetricFilter",
	"AWS::Macie::AllowList",
	"AWS::Macie::CustomDataIdentifier",
	"AWS::Macie::FindingsFilter",
	"AWS::Macie::Session",
	"AWS::NetworkFirewall::Firewall",
	"AWS::NetworkFirewall::FirewallPolicy",
	"AWS::NetworkFirewall::LoggingConfiguration",
	"AWS::NetworkFirewall::RuleGroup",
	"AWS::NetworkFirewall::TLSInspectionConfiguration",
	"AWS::Organizations::Policy",
	"AWS::Route53Resolver::FirewallRuleGroup",
	"AWS::S3::Bucket",
	"AWS::S3::BucketPolicy",
	"AWS::S3::Object",
	"AWS::SNS::Subscription",
	"AWS::SNS::Topic",
	"AWS::SNS::TopicPolicy",
	"AWS::SecretsManager::ResourcePolicy",
	"AWS::SecretsManager::RotationSchedule",
	"AWS::SecretsManager::Secret",
	"AWS::SecurityHub::AggregatorV2",
	"AWS::SecurityHub::AutomationRule",
	"AWS::SecurityHub::ConfigurationPolicy",
	"AWS::SecurityHub::DelegatedAdmin",
	"AWS::SecurityHub::FindingAggregator",
	"AWS::SecurityHub::Hub",
	"AWS::SecurityHub::HubV2",
	"AWS::SecurityHub::Insight",
	"AWS::SecurityHub::OrganizationConfiguration",
	"AWS::SecurityHub::PolicyAssociation",
	"AWS::SecurityHub::SecurityControl",
	"AWS::SecurityHub::Standard",
	"AWS::Shield::DRTAccess",
	"AWS::Shield::ProactiveEngagement",
	"AWS::Shield::Protection",
	"AWS::Shield::ProtectionGroup",
	"AWS::WAFv2::IPSet",
	"AWS::WAFv2::LoggingConfiguration",
	"AWS::WAFv2::WebACL",
	"AWS::WAFv2::WebACLAssociation",
}

// Unavailable returns those of types that the region does not offer, in the
// order given; nil when it offers them all. The answer comes from the
// generated table (regions_gen.go): the resource type lists of the
// CloudFormation validator that aws-cdk-lib runs at synth, so a type it
// reports missing is one `cdk synth` refuses for that region. A region the
// validator has no list for counts as offering every type, as synth does.
func Unavailable(region string, types ...string) []string {
	var out []string
	for _, t := range types {
		if slices.Contains(unavailable[region], t) {
			out = append(out, t)
		}
	}
	return out
}

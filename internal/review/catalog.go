package review

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Layer is one of mamori's six layers, as the diagram groups them.
type Layer string

// The six layers, in the order the diagram and the summary show them.
const (
	LayerInfrastructure Layer = "infrastructure-protection"
	LayerData           Layer = "data-protection"
	LayerDetection      Layer = "detection"
	LayerResponse       Layer = "response"
	LayerCompliance     Layer = "compliance"
	LayerPrevention     Layer = "prevention"
)

// Layers lists the layers in display order.
var Layers = []Layer{LayerInfrastructure, LayerData, LayerDetection, LayerResponse, LayerCompliance, LayerPrevention}

// Title is the layer's display name.
func (l Layer) Title() string {
	switch l {
	case LayerInfrastructure:
		return "Infrastructure protection"
	case LayerData:
		return "Data protection"
	case LayerDetection:
		return "Detection"
	case LayerResponse:
		return "Response"
	case LayerCompliance:
		return "Compliance"
	case LayerPrevention:
		return "Prevention"
	}
	return string(l)
}

// Service is an AWS service (or a mamori feature built on one) that
// resources belong to.
type Service struct {
	// Name is the node label, e.g. "GuardDuty".
	Name string
	// Layer is where the service belongs; empty means the layer of the stack
	// its resources are in (S3 buckets, SNS topics, EventBridge rules).
	Layer Layer
	// Plumbing services (IAM roles, Lambda functions, log groups) only deploy
	// the others: counted in the summary, not drawn.
	Plumbing bool
	// Core services are what a complete baseline is expected to deploy; the
	// summary lists a core service that no stack has as skipped.
	Core bool
	// Hint says why a core service may be missing and what it costs.
	Hint string
}

// Service names used by the wiring rules.
const (
	svcFMS            = "Firewall Manager"
	svcWAF            = "AWS WAF"
	svcShield         = "Shield Advanced"
	svcNFW            = "Network Firewall"
	svcDNSFirewall    = "Route 53 DNS Firewall"
	svcSecurityGroups = "VPC security groups"
	svcKMS            = "KMS"
	svcSecrets        = "Secrets Manager"
	svcMacie          = "Macie"
	svcCloudHSM       = "CloudHSM"
	svcSecurityHub    = "Security Hub"
	svcGuardDuty      = "GuardDuty"
	svcConfig         = "Config"
	svcAccessAnalyzer = "IAM Access Analyzer"
	svcInspector      = "Inspector"
	svcDetective      = "Detective"
	svcEvents         = "EventBridge"
	svcSNS            = "SNS"
	svcChatbot        = "Chatbot"
	svcRemediation    = "Config remediation"
	svcCloudTrail     = "CloudTrail"
	svcAuditManager   = "Audit Manager"
	svcConformance    = "Config conformance packs"
	svcS3             = "S3"
	svcOrgPolicies    = "Organization policies"
	svcRootAccess     = "Centralized root access"
	svcContacts       = "Alternate contacts"
)

// services is every service the catalog knows, by name.
var services = map[string]Service{}

func init() {
	for _, s := range []Service{
		{Name: svcFMS, Layer: LayerInfrastructure, Core: true, Hint: "organization mode only; $100 a month per policy and region"},
		{Name: svcWAF, Layer: LayerInfrastructure, Core: true, Hint: "$5 a month per web ACL plus $1 per rule"},
		{Name: svcShield, Layer: LayerInfrastructure, Core: true, Hint: "opt-in: $3,000 a month per organization, one-year commitment"},
		{Name: svcNFW, Layer: LayerInfrastructure, Core: true, Hint: "opt-in: about $288 a month per firewall endpoint"},
		{Name: svcDNSFirewall, Layer: LayerInfrastructure},
		{Name: svcSecurityGroups, Layer: LayerInfrastructure},
		{Name: "VPC", Layer: LayerInfrastructure},
		{Name: svcKMS, Layer: LayerData, Core: true},
		{Name: svcSecrets, Layer: LayerData, Core: true, Hint: "created only for the secrets the config lists; $0.40 a month each"},
		{Name: svcMacie, Layer: LayerData, Core: true, Hint: "dataProtection.macie.enabled"},
		{Name: svcCloudHSM, Layer: LayerData, Core: true, Hint: "opt-in (dataProtection.cloudHsm): every HSM bills per hour, two at least"},
		{Name: "EBS encryption by default", Layer: LayerData},
		{Name: "S3 Block Public Access", Layer: LayerData},
		{Name: svcEC2BlockPublic, Layer: LayerData},
		{Name: svcIMDSDefaults, Layer: LayerData},
		{Name: svcSerialConsole, Layer: LayerData},
		{Name: svcSSMSharing, Layer: LayerData},
		{Name: svcSecurityContact, Layer: LayerData},
		{Name: svcSecurityHub, Layer: LayerDetection, Core: true, Hint: "detection.securityHub.enabled"},
		{Name: svcGuardDuty, Layer: LayerDetection, Core: true, Hint: "detection.guardDuty.enabled"},
		{Name: svcConfig, Layer: LayerDetection, Core: true, Hint: "detection.config.enabled"},
		{Name: svcAccessAnalyzer, Layer: LayerDetection, Core: true, Hint: "detection.accessAnalyzer"},
		{Name: svcInspector, Layer: LayerDetection, Core: true, Hint: "detection.inspector"},
		{Name: svcDetective, Layer: LayerResponse, Core: true, Hint: "usage-priced per GB ingested"},
		{Name: svcEvents},
		{Name: svcSNS},
		{Name: svcChatbot, Layer: LayerResponse},
		{Name: svcRemediation, Layer: LayerResponse},
		{Name: "Systems Manager", Layer: LayerResponse},
		{Name: "Step Functions", Layer: LayerResponse},
		{Name: "Incident Manager", Layer: LayerResponse},
		{Name: svcCloudTrail, Layer: LayerCompliance, Core: true, Hint: "one trail of management events is free"},
		{Name: svcAuditManager, Layer: LayerCompliance, Core: true, Hint: "$1.25 per 1,000 resource assessments"},
		{Name: svcConformance, Layer: LayerCompliance, Core: true, Hint: "$0.001 per rule evaluation"},
		{Name: "Security Lake", Layer: LayerCompliance},
		{Name: svcOrgPolicies, Layer: LayerPrevention, Core: true, Hint: "organization mode only (prevention.enabled); no charge"},
		{Name: svcRootAccess, Layer: LayerPrevention},
		{Name: svcContacts, Layer: LayerPrevention},
		{Name: svcS3},
		{Name: "CloudWatch alarms"},
		{Name: "Organizations"},
		{Name: "CloudFormation StackSets"},
		{Name: "IAM", Plumbing: true},
		{Name: "Lambda", Plumbing: true},
		{Name: "CloudWatch Logs", Plumbing: true},
		{Name: "SQS", Plumbing: true},
		{Name: "SSM parameters", Plumbing: true},
		{Name: "CDK", Plumbing: true},
	} {
		services[s.Name] = s
	}
	for t, name := range resourceTypes {
		if _, ok := services[name]; !ok {
			panic(fmt.Sprintf("review: resource type %s maps to unknown service %q", t, name))
		}
	}
	for t, name := range customTypes {
		if _, ok := services[name]; !ok {
			panic(fmt.Sprintf("review: custom type %s maps to unknown service %q", t, name))
		}
	}
	for t, name := range sdkServices {
		if _, ok := services[name]; !ok {
			panic(fmt.Sprintf("review: SDK client %s maps to unknown service %q", t, name))
		}
	}
}

// The account guards' settings, beside EBS encryption by default and S3
// Block Public Access.
const (
	svcEC2BlockPublic  = "EBS snapshot and AMI block public access"
	svcIMDSDefaults    = "Instance metadata defaults"
	svcSerialConsole   = "EC2 serial console access"
	svcSSMSharing      = "SSM document public sharing block"
	svcSecurityContact = "Security alternate contact"
)

// resourceTypes maps CloudFormation resource types to services. A type that
// is not here (nor matched by resourcePrefixes) fails ServiceOf: map it.
var resourceTypes = map[string]string{
	"AWS::EC2::SecurityGroup":                  svcSecurityGroups,
	"AWS::EC2::SnapshotBlockPublicAccess":      svcEC2BlockPublic,
	"AWS::EC2::SecurityGroupIngress":           svcSecurityGroups,
	"AWS::EC2::SecurityGroupEgress":            svcSecurityGroups,
	"AWS::KMS::Key":                            svcKMS,
	"AWS::KMS::ReplicaKey":                     svcKMS,
	"AWS::KMS::Alias":                          svcKMS,
	"AWS::CloudHSM::Cluster":                   svcCloudHSM,
	"AWS::Config::RemediationConfiguration":    svcRemediation,
	"AWS::Config::ConformancePack":             svcConformance,
	"AWS::Config::OrganizationConformancePack": svcConformance,
	"AWS::S3::Bucket":                          svcS3,
	"AWS::S3::BucketPolicy":                    svcS3,
	"AWS::SNS::Topic":                          svcSNS,
	"AWS::SNS::TopicPolicy":                    svcSNS,
	"AWS::SNS::Subscription":                   svcSNS,
	"AWS::CloudWatch::Alarm":                   "CloudWatch alarms",
	"AWS::CloudWatch::CompositeAlarm":          "CloudWatch alarms",
	"AWS::CloudFormation::StackSet":            "CloudFormation StackSets",
	"AWS::CDK::Metadata":                       "CDK",
	"AWS::SSM::Parameter":                      "SSM parameters",
	"AWS::Organizations::Policy":               svcOrgPolicies,
}

// resourcePrefixes maps whole CloudFormation namespaces to services.
var resourcePrefixes = map[string]string{
	"AWS::FMS::":                             svcFMS,
	"AWS::WAFv2::":                           svcWAF,
	"AWS::Shield::":                          svcShield,
	"AWS::NetworkFirewall::":                 svcNFW,
	"AWS::Route53Resolver::Firewall":         svcDNSFirewall,
	"AWS::SecretsManager::":                  svcSecrets,
	"AWS::Macie::":                           svcMacie,
	"AWS::SecurityHub::":                     svcSecurityHub,
	"AWS::GuardDuty::":                       svcGuardDuty,
	"AWS::Config::":                          svcConfig,
	"AWS::AccessAnalyzer::":                  svcAccessAnalyzer,
	"AWS::InspectorV2::":                     svcInspector,
	"AWS::Detective::":                       svcDetective,
	"AWS::Events::":                          svcEvents,
	"AWS::Chatbot::":                         svcChatbot,
	"AWS::SSM::":                             "Systems Manager",
	"AWS::StepFunctions::":                   "Step Functions",
	"AWS::SSMIncidents::":                    "Incident Manager",
	"AWS::SSMContacts::":                     "Incident Manager",
	"AWS::CloudTrail::":                      svcCloudTrail,
	"AWS::AuditManager::":                    svcAuditManager,
	"AWS::SecurityLake::":                    "Security Lake",
	"AWS::Organizations::":                   "Organizations",
	"AWS::IAM::":                             "IAM",
	"AWS::Lambda::":                          "Lambda",
	"AWS::Logs::":                            "CloudWatch Logs",
	"AWS::SQS::":                             "SQS",
	"AWS::EC2::VPC":                          "VPC",
	"AWS::EC2::Subnet":                       "VPC",
	"AWS::EC2::RouteTable":                   "VPC",
	"AWS::EC2::Route":                        "VPC",
	"AWS::EC2::InternetGateway":              "VPC",
	"AWS::EC2::NatGateway":                   "VPC",
	"AWS::EC2::EIP":                          "VPC",
	"AWS::EC2::FlowLog":                      "VPC",
	"AWS::EC2::GatewayRouteTableAssociation": "VPC",
}

// customTypes maps mamori's provider-framework custom resource types (and
// CDK's own) to services.
var customTypes = map[string]string{
	"Custom::InspectorEnablement":           svcInspector,
	"Custom::ConfigRecorderAdoption":        svcConfig,
	"Custom::SecurityHubFindingAggregator":  svcSecurityHub,
	"Custom::CloudHSMHsms":                  svcCloudHSM,
	"Custom::S3AccountPublicAccessBlock":    "S3 Block Public Access",
	"Custom::EbsEncryptionByDefault":        "EBS encryption by default",
	"Custom::AccountPasswordPolicy":         "IAM",
	"Custom::AuditManagerDelegatedAdmin":    svcAuditManager,
	"Custom::ExistingMembers":               "Organizations",
	"Custom::DelegatedAdmin":                "Organizations",
	"Custom::AuditManagerFrameworkIds":      svcAuditManager,
	"Custom::DnsFirewallManagedDomainLists": svcDNSFirewall,
	"Custom::FirewallManagerAdmin":          svcFMS,
	"Custom::S3AutoDeleteObjects":           svcS3,
	"Custom::LogRetention":                  "CloudWatch Logs",
	"Custom::CDKBucketDeployment":           "CDK",
	"Custom::AWSCDKOpenIdConnectProvider":   "IAM",
	"Custom::CrossRegionExportWriter":       "CDK",
	"Custom::CrossRegionExportReader":       "CDK",
	"Custom::OrganizationPolicyTypes":       svcOrgPolicies,
	"Custom::AlternateContacts":             svcContacts,
}

// sdkServices maps the AWS SDK client names that AwsCustomResource calls
// (Custom::AWS) name to services.
var sdkServices = map[string]string{
	"macie2":          svcMacie,
	"inspector2":      svcInspector,
	"securityhub":     svcSecurityHub,
	"guardduty":       svcGuardDuty,
	"configservice":   svcConfig,
	"accessanalyzer":  svcAccessAnalyzer,
	"detective":       svcDetective,
	"fms":             svcFMS,
	"shield":          svcShield,
	"wafv2":           svcWAF,
	"networkfirewall": svcNFW,
	"auditmanager":    svcAuditManager,
	"cloudtrail":      svcCloudTrail,
	"kms":             svcKMS,
	"secretsmanager":  svcSecrets,
	"cloudhsmv2":      svcCloudHSM,
	"sns":             svcSNS,
	"eventbridge":     svcEvents,
	"organizations":   "Organizations",
	"cloudformation":  "Organizations",
	"iam":             "IAM",
	"ssm":             "Systems Manager",
	"s3control":       "S3 Block Public Access",
	"chatbot":         svcChatbot,
	"route53resolver": svcDNSFirewall,
	"securitylake":    "Security Lake",
}

// sdkActions maps calls whose service alone is too broad.
var sdkActions = map[string]string{
	"ec2:EnableEbsEncryptionByDefault":  "EBS encryption by default",
	"ec2:ModifyEbsDefaultKmsKeyId":      "EBS encryption by default",
	"ec2:DisableEbsEncryptionByDefault": "EBS encryption by default",
	"ec2:ResetEbsDefaultKmsKeyId":       "EBS encryption by default",
	"s3:PutPublicAccessBlock":           "S3 Block Public Access",
	// The data-protection layer's account guards.
	"ec2:EnableImageBlockPublicAccess":   svcEC2BlockPublic,
	"ec2:ModifyInstanceMetadataDefaults": svcIMDSDefaults,
	"ec2:DisableSerialConsoleAccess":     svcSerialConsole,
	"ssm:UpdateServiceSetting":           svcSSMSharing,
	"account:PutAlternateContact":        svcSecurityContact,
	// The inspection VPC's default security group is closed by API.
	"ec2:RevokeSecurityGroupIngress": "VPC",
	"ec2:RevokeSecurityGroupEgress":  "VPC",
	"s3control:PutPublicAccessBlock": "S3 Block Public Access",
	// Centralized root access is IAM's, but a setting of its own.
	"iam:EnableOrganizationsRootCredentialsManagement": svcRootAccess,
	"iam:EnableOrganizationsRootSessions":              svcRootAccess,
}

// ServiceOf names the service a resource belongs to, or an error for a type
// the catalog does not know: every new type must be mapped here.
func ServiceOf(typ string, props map[string]interface{}) (Service, error) {
	if name, ok := resourceTypes[typ]; ok {
		return services[name], nil
	}
	if typ == "Custom::AWS" {
		return sdkCallService(props)
	}
	if strings.HasPrefix(typ, "Custom::") {
		if name, ok := customTypes[typ]; ok {
			return services[name], nil
		}
		return Service{}, fmt.Errorf("custom resource type %s is not in the review catalog (internal/review/catalog.go customTypes): map it to a service", typ)
	}
	best := ""
	for p := range resourcePrefixes {
		if strings.HasPrefix(typ, p) && len(p) > len(best) {
			best = p
		}
	}
	if best != "" {
		return services[resourcePrefixes[best]], nil
	}
	return Service{}, fmt.Errorf("resource type %s is not in the review catalog (internal/review/catalog.go resourceTypes): map it to a service", typ)
}

// SDKCall is the call an AwsCustomResource makes on create.
type SDKCall struct{ Service, Action string }

// sdkCallOf reads the service and action of a Custom::AWS resource's Create
// call: a JSON string, or an Fn::Join of one around references.
func sdkCallOf(props map[string]interface{}) (SDKCall, bool) {
	var text string
	switch v := props["Create"].(type) {
	case string:
		text = v
	case map[string]interface{}:
		join, _ := v["Fn::Join"].([]interface{})
		if len(join) == 2 {
			parts, _ := join[1].([]interface{})
			for _, p := range parts {
				if s, ok := p.(string); ok {
					text += s
				} else {
					text += `"ref"`
				}
			}
		}
	}
	var call struct {
		Service string `json:"service"`
		Action  string `json:"action"`
	}
	// A join spliced inside a JSON string leaves it valid only at string
	// boundaries; scan for the two fields instead when it does not parse.
	if json.Unmarshal([]byte(text), &call) != nil {
		call.Service = jsonField(text, "service")
		call.Action = jsonField(text, "action")
	}
	if call.Service == "" || call.Action == "" {
		return SDKCall{}, false
	}
	return SDKCall{Service: call.Service, Action: call.Action}, true
}

func jsonField(text, name string) string {
	i := strings.Index(text, `"`+name+`":"`)
	if i < 0 {
		return ""
	}
	rest := text[i+len(name)+4:]
	if j := strings.IndexByte(rest, '"'); j >= 0 {
		return rest[:j]
	}
	return ""
}

func sdkCallService(props map[string]interface{}) (Service, error) {
	call, ok := sdkCallOf(props)
	if !ok {
		return Service{}, fmt.Errorf("Custom::AWS resource without a readable Create call")
	}
	client := strings.ToLower(strings.TrimPrefix(call.Service, "@aws-sdk/client-"))
	client = strings.ReplaceAll(client, "-", "")
	if name, ok := sdkActions[client+":"+call.Action]; ok {
		return services[name], nil
	}
	if name, ok := sdkServices[client]; ok {
		return services[name], nil
	}
	return Service{}, fmt.Errorf("SDK call %s:%s is not in the review catalog (internal/review/catalog.go sdkServices or sdkActions): map it to a service", call.Service, call.Action)
}

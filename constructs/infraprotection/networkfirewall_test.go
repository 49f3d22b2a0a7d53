package infraprotection

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

func logBucket(stack awscdk.Stack) awss3.IBucket {
	return awss3.Bucket_FromBucketName(stack, jsii.String("LogBucket"), jsii.String("nfw-logs"))
}

// endpointOf is the expression that picks zone's endpoint out of the firewall's list.
func endpointOf(n *NetworkFirewall, zone string) m {
	fw := *awscdk.Stack_Of(n.Scope).GetLogicalId(n.Firewall)
	return m{"Fn::Select": a{0.0, m{"Fn::Split": a{",", m{"Fn::Select": a{1.0, m{"Fn::Split": a{zone + ":",
		m{"Fn::Join": a{",", m{"Fn::GetAtt": a{fw, "EndpointIds"}}}}}}}}}}}}
}

// arnOf is the rule group's ARN attribute.
func arnOf(n *NetworkFirewall, i int) m {
	return m{"Fn::GetAtt": a{*awscdk.Stack_Of(n.Scope).GetLogicalId(n.RuleGroups[i]), "RuleGroupArn"}}
}

func TestNetworkFirewallNewVPCRouting(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	n := NewNetworkFirewall(stack, "Firewall", &NetworkFirewallProps{
		Name: "mamori", VPCCIDR: "10.192.0.0/16", AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"}, LogBucket: logBucket(stack), Calls: calltest.NewProvider(stack),
	})
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::EC2::Subnet", 4)
	tp.Has("AWS::EC2::Subnet", m{"CidrBlock": "10.192.0.0/19", "AvailabilityZone": "eu-west-1a", "MapPublicIpOnLaunch": false})
	tp.Has("AWS::EC2::Subnet", m{"CidrBlock": "10.192.160.0/19", "AvailabilityZone": "eu-west-1b"})
	// The internet gateway's edge route table sends each protected subnet's
	// traffic to its zone's endpoint; protected subnets default-route to it.
	tp.Count("AWS::EC2::GatewayRouteTableAssociation", 1)
	tp.Has("AWS::EC2::Route", m{"DestinationCidrBlock": "10.192.128.0/19", "VpcEndpointId": endpointOf(n, "eu-west-1a")})
	tp.Has("AWS::EC2::Route", m{"DestinationCidrBlock": "10.192.160.0/19", "VpcEndpointId": endpointOf(n, "eu-west-1b")})
	routes := 0
	for _, r := range tp.Resources("AWS::EC2::Route") {
		pr := r["Properties"].(m)
		if pr["DestinationCidrBlock"] == "0.0.0.0/0" {
			routes++
		}
	}
	assert.Equal(t, 4, routes, "two default routes to the endpoints, two from the firewall subnets to the internet gateway")
	tp.Has("AWS::EC2::Route", m{"DestinationCidrBlock": "0.0.0.0/0", "VpcEndpointId": endpointOf(n, "eu-west-1b")})
	tp.Has("AWS::EC2::Route", m{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": assertions.Match_AnyValue()})
	calls := map[string]bool{}
	for id := range tp.Resources("Custom::AWS") {
		call := tp.SdkCall(id, "Create")
		calls[call["action"].(string)] = true
		assert.Equal(t, "InvalidPermission.NotFound", call["ignoreErrorCodesMatching"])
	}
	assert.Equal(t, map[string]bool{"RevokeSecurityGroupIngress": true, "RevokeSecurityGroupEgress": true}, calls)
	tp.Has("AWS::EC2::FlowLog", m{"ResourceType": "VPC", "TrafficType": "ALL", "LogDestinationType": "s3"})
	tp.Has("AWS::NetworkFirewall::Firewall", m{"DeleteProtection": true, "SubnetMappings": assertions.Match_ArrayWith(cdktest.Arr(m{"SubnetId": m{"Ref": assertions.Match_AnyValue()}}))})
}

func TestNetworkFirewallPolicy(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	n := NewNetworkFirewall(stack, "Firewall", &NetworkFirewallProps{
		Name: "mamori", VPCCIDR: "10.192.0.0/16", AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"}, LogBucket: logBucket(stack), Calls: calltest.NewProvider(stack),
		HomeNet:                     []string{"10.0.0.0/8"},
		SuricataRules:               []string{`drop tcp $HOME_NET any -> $EXTERNAL_NET 23 (msg:"telnet"; sid:1000001; rev:1;)`},
		AllowedDomains:              []string{".example.com"},
		DeniedDomains:               []string{"bad.example.com"},
		ManagedRuleGroups:           []string{"ThreatSignaturesBotnetStrictOrder"},
		TLSInspectionCertificateARN: "arn:aws:acm:eu-west-1:111111111111:certificate/abc",
	})
	tp := cdktest.Synth(t, stack)

	tp.Has("AWS::NetworkFirewall::FirewallPolicy", m{"FirewallPolicy": m{
		"StatelessDefaultActions":         a{"aws:forward_to_sfe"},
		"StatelessFragmentDefaultActions": a{"aws:forward_to_sfe"},
		"StatefulEngineOptions":           m{"RuleOrder": "STRICT_ORDER", "StreamExceptionPolicy": "DROP"},
		// An allow list makes the firewall default deny.
		"StatefulDefaultActions": a{"aws:drop_established", "aws:alert_established"},
		"PolicyVariables":        m{"RuleVariables": m{"HOME_NET": m{"Definition": a{"10.0.0.0/8"}}}},
		"StatefulRuleGroupReferences": a{
			m{"ResourceArn": arnOf(n, 0), "Priority": 100},
			m{"ResourceArn": arnOf(n, 1), "Priority": 200},
			m{"ResourceArn": arnOf(n, 2), "Priority": 300},
			m{"ResourceArn": "arn:aws:network-firewall:eu-west-1:aws-managed:stateful-rulegroup/ThreatSignaturesBotnetStrictOrder", "Priority": 400},
		},
		"TLSInspectionConfigurationArn": m{"Fn::GetAtt": a{assertions.Match_AnyValue(), "TLSInspectionConfigurationArn"}},
	}})
	tp.Has("AWS::NetworkFirewall::RuleGroup", m{"Type": "STATEFUL", "RuleGroup": m{
		"RulesSource":         m{"RulesString": `drop tcp $HOME_NET any -> $EXTERNAL_NET 23 (msg:"telnet"; sid:1000001; rev:1;)`},
		"StatefulRuleOptions": m{"RuleOrder": "STRICT_ORDER"},
	}})
	tp.Has("AWS::NetworkFirewall::RuleGroup", m{"RuleGroup": cdktest.Like(m{"RulesSource": m{"RulesSourceList": m{
		"GeneratedRulesType": "ALLOWLIST", "Targets": a{".example.com"}, "TargetTypes": a{"TLS_SNI", "HTTP_HOST"}}}})})
	tp.Has("AWS::NetworkFirewall::Firewall", m{"DeleteProtection": true, "SubnetChangeProtection": true, "FirewallPolicyChangeProtection": true})
	tp.Has("AWS::NetworkFirewall::TLSInspectionConfiguration", m{"TLSInspectionConfiguration": m{"ServerCertificateConfigurations": a{
		cdktest.Like(m{"CertificateAuthorityArn": "arn:aws:acm:eu-west-1:111111111111:certificate/abc"})}}})
	tp.Has("AWS::NetworkFirewall::LoggingConfiguration", m{"LoggingConfiguration": m{"LogDestinationConfigs": a{
		m{"LogType": "ALERT", "LogDestinationType": "S3", "LogDestination": m{"bucketName": "nfw-logs", "prefix": "network-firewall/alert"}},
		m{"LogType": "FLOW", "LogDestinationType": "S3", "LogDestination": m{"bucketName": "nfw-logs", "prefix": "network-firewall/flow"}},
	}}})
}

// Without an allow list, deny lists, drop rules and managed threat
// signatures name what to stop, and everything else must still pass.
func TestNetworkFirewallWithoutAllowListPasses(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewNetworkFirewall(stack, "Firewall", &NetworkFirewallProps{
		Name: "mamori", VPCCIDR: "10.192.0.0/16", AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"}, LogBucket: logBucket(stack), Calls: calltest.NewProvider(stack),
		DeniedDomains: []string{".pastebin.com"}, ManagedRuleGroups: []string{"ThreatSignaturesBotnetStrictOrder"},
	})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::NetworkFirewall::FirewallPolicy", m{"FirewallPolicy": cdktest.Like(m{"StatefulDefaultActions": a{"aws:alert_established"}})})
}

func TestNetworkFirewallExistingVPCAndCloudWatch(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	n := NewNetworkFirewall(stack, "Firewall", &NetworkFirewallProps{
		Name: "mamori", LogGroupKey: cdktest.ImportedKey(stack),
		ExistingVPC: &ExistingVPC{VPCID: "vpc-0123456789abcdef0", CIDR: "10.1.0.0/16",
			FirewallSubnets:      []FirewallSubnet{{"subnet-0123456789abcdef0", "eu-west-1a"}, {"subnet-0123456789abcdef1", "eu-west-1b"}},
			ProtectedRouteTables: []ProtectedRouteTable{{RouteTableID: "rtb-0123456789abcdef0", AvailabilityZone: "eu-west-1b"}}},
	})
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::EC2::VPC", 0)
	tp.Has("AWS::NetworkFirewall::Firewall", m{"VpcId": "vpc-0123456789abcdef0", "SubnetMappings": a{m{"SubnetId": "subnet-0123456789abcdef0"}, m{"SubnetId": "subnet-0123456789abcdef1"}}})
	tp.Has("AWS::EC2::Route", m{"RouteTableId": "rtb-0123456789abcdef0", "DestinationCidrBlock": "0.0.0.0/0", "VpcEndpointId": endpointOf(n, "eu-west-1b")})
	tp.Has("AWS::NetworkFirewall::FirewallPolicy", m{"FirewallPolicy": cdktest.Like(m{"PolicyVariables": m{"RuleVariables": m{"HOME_NET": m{"Definition": a{"10.1.0.0/16"}}}}})})
	tp.Has("AWS::Logs::LogGroup", m{"KmsKeyId": cdktest.KeyArn})
	tp.Has("AWS::NetworkFirewall::LoggingConfiguration", m{"LoggingConfiguration": m{"LogDestinationConfigs": a{
		m{"LogType": "ALERT", "LogDestinationType": "CloudWatchLogs", "LogDestination": m{"logGroup": m{"Ref": assertions.Match_AnyValue()}}},
		m{"LogType": "FLOW", "LogDestinationType": "CloudWatchLogs", "LogDestination": m{"logGroup": m{"Ref": assertions.Match_AnyValue()}}},
	}}})
}

func TestNetworkFirewallPanics(t *testing.T) {
	zones := []string{"eu-west-1a", "eu-west-1b"}
	for _, tc := range []struct {
		props NetworkFirewallProps
		want  string
	}{
		{NetworkFirewallProps{Name: "x", VPCCIDR: "10.0.0.0/16", AvailabilityZones: zones}, "LogBucket or LogGroupKey is required"},
		{NetworkFirewallProps{Name: "x", VPCCIDR: "10.0.0.0/16", AvailabilityZones: zones}, "Calls is required for a new VPC"},
		{NetworkFirewallProps{Name: "x", VPCCIDR: "10.0.0.0/8", AvailabilityZones: zones}, `VPCCIDR "10.0.0.0/8": must be /16 to /24`},
		{NetworkFirewallProps{Name: "x", VPCCIDR: "10.0.0.0/16", AvailabilityZones: zones[:1]}, "2 to 4 availability zones, not 1"},
		{NetworkFirewallProps{Name: "x", VPCCIDR: "10.0.0.0/16", AvailabilityZones: []string{"eu-west-1a", "us-east-1a"}}, `availability zone "us-east-1a" is repeated or not in the stack's region`},
		{NetworkFirewallProps{Name: "x", VPCCIDR: "10.0.0.0/16", AvailabilityZones: zones, SuricataRules: []string{"drop tcp any any -> any 1 (sid:1;)", "drop tcp any any -> any 2 (sid:1;)"}}, "Suricata sid 1 is used twice"},
		{NetworkFirewallProps{Name: "x", VPCCIDR: "10.0.0.0/16", AvailabilityZones: zones, ManagedRuleGroups: []string{"ThreatSignaturesBotnetActionOrder"}}, `unknown strict-order managed rule group "ThreatSignaturesBotnetActionOrder"`},
	} {
		stack := cdktest.NewStack(t, cdktest.Env)
		if tc.want != "LogBucket or LogGroupKey is required" {
			tc.props.LogBucket = logBucket(stack)
		}
		if !strings.HasPrefix(tc.want, "Calls is required") {
			tc.props.Calls = calltest.NewProvider(stack)
		}
		cdktest.PanicsWith(t, tc.want, func() { NewNetworkFirewall(stack, "Firewall", &tc.props) })
	}
}

// Every invalid prop is reported in one panic, not only the first.
func TestNetworkFirewallReportsEveryProblem(t *testing.T) {
	cdktest.PanicsWith(t, `infraprotection.NewNetworkFirewall "Firewall": Name is required; Calls is required for a new VPC: it closes the default security group; LogBucket or LogGroupKey is required: a firewall's alerts must be logged; the inspection VPC takes 2 to 4 availability zones, not 0; VPCCIDR ""`, func() {
		NewNetworkFirewall(cdktest.NewStack(t, cdktest.Env), "Firewall", nil)
	})
}

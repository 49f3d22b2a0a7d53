package review

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// tpl builds a template from resources given as id -> resource.
func tpl(t *testing.T, resources map[string]interface{}) []byte {
	t.Helper()
	data, err := json.Marshal(map[string]interface{}{"Resources": resources})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func res(typ string, props map[string]interface{}) map[string]interface{} {
	return map[string]interface{}{"Type": typ, "Properties": props}
}

func layerTags(layer string) []interface{} {
	return []interface{}{map[string]interface{}{"Key": "mamori:layer", "Value": layer}}
}

func TestUnmappedTypeFails(t *testing.T) {
	for _, typ := range []string{"AWS::EC2::Instance", "Custom::SomethingNew", "AWS::Foo::Bar"} {
		_, err := NewAssembly([]StackInput{{Name: "s", Region: "us-east-1", Template: tpl(t, map[string]interface{}{
			"X": res(typ, nil),
		})}}, nil)
		if err == nil || !strings.Contains(err.Error(), "not in the review catalog") {
			t.Errorf("%s: want an unmapped-type error, got %v", typ, err)
		}
	}
	_, err := NewAssembly([]StackInput{{Name: "s", Region: "us-east-1", Template: tpl(t, map[string]interface{}{
		"X": res("Custom::AWS", map[string]interface{}{"Create": `{"service":"Lightsail","action":"CreateInstances"}`}),
	})}}, nil)
	if err == nil || !strings.Contains(err.Error(), "Lightsail:CreateInstances") {
		t.Errorf("unknown SDK call: got %v", err)
	}
}

// TestCatalogCoversEveryLayer maps the types the coming layers use.
func TestCatalogCoversEveryLayer(t *testing.T) {
	want := map[string]Layer{
		"AWS::WAFv2::WebACL":                      LayerInfrastructure,
		"AWS::FMS::Policy":                        LayerInfrastructure,
		"AWS::Shield::Protection":                 LayerInfrastructure,
		"AWS::NetworkFirewall::Firewall":          LayerInfrastructure,
		"AWS::NetworkFirewall::FirewallPolicy":    LayerInfrastructure,
		"AWS::KMS::Key":                           LayerData,
		"AWS::Macie::Session":                     LayerData,
		"AWS::SecurityHub::Insight":               LayerDetection,
		"AWS::SecurityHub::ActionTarget":          LayerDetection,
		"AWS::GuardDuty::Detector":                LayerDetection,
		"AWS::Detective::Graph":                   LayerResponse,
		"AWS::Chatbot::SlackChannelConfiguration": LayerResponse,
		"AWS::Config::RemediationConfiguration":   LayerResponse,
		"AWS::CloudTrail::Trail":                  LayerCompliance,
		"AWS::AuditManager::Assessment":           LayerCompliance,
		"AWS::Config::ConformancePack":            LayerCompliance,
	}
	for typ, layer := range want {
		svc, err := ServiceOf(typ, nil)
		if err != nil {
			t.Errorf("%s: %v", typ, err)
			continue
		}
		if svc.Layer != layer {
			t.Errorf("%s: layer %q, want %q", typ, svc.Layer, layer)
		}
	}
	// Services every layer uses take the stack's layer.
	for _, typ := range []string{"AWS::Events::Rule", "AWS::SNS::Topic", "AWS::S3::Bucket"} {
		if svc, _ := ServiceOf(typ, nil); svc.Layer != "" {
			t.Errorf("%s: layer %q, want the stack's", typ, svc.Layer)
		}
	}
}

func TestSDKCallsMapByServiceAndAction(t *testing.T) {
	for create, want := range map[string]string{
		`{"service":"Macie2","action":"EnableMacie"}`:                        svcMacie,
		`{"service":"@aws-sdk/client-shield","action":"CreateSubscription"}`: svcShield,
		`{"service":"EC2","action":"EnableEbsEncryptionByDefault"}`:          "EBS encryption by default",
		`{"service":"S3Control","action":"PutPublicAccessBlock"}`:            "S3 Block Public Access",
	} {
		svc, err := ServiceOf("Custom::AWS", map[string]interface{}{"Create": create})
		if err != nil || svc.Name != want {
			t.Errorf("%s: got %q, %v; want %q", create, svc.Name, err, want)
		}
	}
	// A call with references is an Fn::Join around the JSON.
	joined := map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{
		`{"action":"ModifyEbsDefaultKmsKeyId","parameters":{"KmsKeyId":"`, map[string]interface{}{"Fn::GetAtt": []interface{}{"Key", "Arn"}}, `"},"service":"EC2"}`,
	}}}
	if svc, err := ServiceOf("Custom::AWS", map[string]interface{}{"Create": joined}); err != nil || svc.Name != "EBS encryption by default" {
		t.Errorf("joined call: got %q, %v", svc.Name, err)
	}
}

// fullApp is a two-account app with every layer: keys in one stack used
// by buckets in another through Fn::GetStackOutput, findings, a Security
// Hub rule to a topic read by Chatbot, Firewall Manager policies, Detective,
// a trail and Audit Manager.
func fullApp(t *testing.T) *Assembly {
	t.Helper()
	dp := tpl(t, map[string]interface{}{
		"LogsKey":   res("AWS::KMS::Key", map[string]interface{}{"EnableKeyRotation": true, "Tags": layerTags("data-protection")}),
		"LogsAlias": res("AWS::KMS::Alias", map[string]interface{}{"AliasName": "alias/m/security-logs", "TargetKeyId": map[string]interface{}{"Ref": "LogsKey"}}),
		"Secret":    res("AWS::SecretsManager::Secret", map[string]interface{}{"KmsKeyId": "alias/m/security-logs", "ReplicaRegions": []interface{}{map[string]interface{}{"Region": "eu-west-1"}}}),
		"Hsms":      res("Custom::CloudHSMHsms", map[string]interface{}{"HsmCount": 2.0}),
	})
	dpOutputs := map[string]interface{}{}
	if err := json.Unmarshal(dp, &dpOutputs); err != nil {
		t.Fatal(err)
	}
	dpOutputs["Outputs"] = map[string]interface{}{"KeyArn": map[string]interface{}{"Value": map[string]interface{}{"Fn::GetAtt": []interface{}{"LogsKey", "Arn"}}}}
	dp, _ = json.Marshal(dpOutputs)
	det := tpl(t, map[string]interface{}{
		"Hub":      res("AWS::SecurityHub::Hub", map[string]interface{}{"Tags": map[string]interface{}{"mamori:layer": "detection"}}),
		"Detector": res("AWS::GuardDuty::Detector", nil),
		"Bucket": res("AWS::S3::Bucket", map[string]interface{}{"BucketEncryption": map[string]interface{}{"ServerSideEncryptionConfiguration": []interface{}{map[string]interface{}{
			"ServerSideEncryptionByDefault": map[string]interface{}{"KMSMasterKeyID": map[string]interface{}{"Fn::GetStackOutput": map[string]interface{}{"StackName": "m-data-protection-us-east-1", "OutputName": "KeyArn"}}},
		}}}}),
		"Recorder": res("AWS::Config::ConfigurationRecorder", map[string]interface{}{"RecordingMode": map[string]interface{}{"RecordingFrequency": "DAILY"}}),
	})
	resp := tpl(t, map[string]interface{}{
		"Graph": res("AWS::Detective::Graph", map[string]interface{}{"Tags": layerTags("response")}),
		"Topic": res("AWS::SNS::Topic", map[string]interface{}{"KmsMasterKeyId": "alias/m/security-logs"}),
		"Rule": res("AWS::Events::Rule", map[string]interface{}{
			"EventPattern": map[string]interface{}{"source": []interface{}{"aws.securityhub"}},
			"Targets":      []interface{}{map[string]interface{}{"Arn": map[string]interface{}{"Ref": "Topic"}, "Id": "T"}},
		}),
		"Slack": res("AWS::Chatbot::SlackChannelConfiguration", map[string]interface{}{"SnsTopicArns": []interface{}{map[string]interface{}{"Ref": "Topic"}}}),
	})
	infra := tpl(t, map[string]interface{}{
		"WafPolicy":    res("AWS::FMS::Policy", map[string]interface{}{"SecurityServicePolicyData": map[string]interface{}{"Type": "WAFV2"}, "Tags": layerTags("infrastructure-protection")}),
		"ShieldPolicy": res("AWS::FMS::Policy", map[string]interface{}{"SecurityServicePolicyData": map[string]interface{}{"Type": "SHIELD_ADVANCED"}}),
		"NfwPolicy":    res("AWS::FMS::Policy", map[string]interface{}{"SecurityServicePolicyData": map[string]interface{}{"Type": "NETWORK_FIREWALL"}}),
		"Acl":          res("AWS::WAFv2::WebACL", map[string]interface{}{"Rules": []interface{}{map[string]interface{}{}, map[string]interface{}{}, map[string]interface{}{}}}),
		"Firewall":     res("AWS::NetworkFirewall::Firewall", map[string]interface{}{"SubnetMappings": []interface{}{map[string]interface{}{}, map[string]interface{}{}}}),
		"Subscription": res("Custom::AWS", map[string]interface{}{"Create": `{"service":"Shield","action":"CreateSubscription"}`}),
		"Nat":          res("AWS::EC2::NatGateway", nil),
		"Endpoint":     res("AWS::EC2::VPCEndpoint", map[string]interface{}{"VpcEndpointType": "Interface", "SubnetIds": []interface{}{"a", "b"}}),
	})
	comp := tpl(t, map[string]interface{}{
		"Trail":      res("AWS::CloudTrail::Trail", map[string]interface{}{"KMSKeyId": "alias/m/security-logs", "Tags": layerTags("compliance")}),
		"Assessment": res("AWS::AuditManager::Assessment", nil),
	})
	a, err := NewAssembly([]StackInput{
		{Name: "m-data-protection-us-east-1", Account: "111111111111", Region: "us-east-1", Template: dp},
		{Name: "m-detection-us-east-1", Account: "111111111111", Region: "us-east-1", Template: det},
		{Name: "m-response-us-east-1", Account: "111111111111", Region: "us-east-1", Template: resp},
		{Name: "m-compliance-us-east-1", Account: "222222222222", Region: "us-east-1", Template: comp},
		{Name: "m-infrastructure-protection-us-east-1", Account: "111111111111", Region: "us-east-1", Template: infra},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestGraphWiring(t *testing.T) {
	g, err := BuildGraph(fullApp(t))
	if err != nil {
		t.Fatal(err)
	}
	var edges []string
	for _, e := range g.Edges {
		from := e.From.Service
		if e.From.Detail != "" {
			from += " " + e.From.Detail
		}
		edges = append(edges, from+" -"+string(e.Kind)+"-> "+e.To.Service)
	}
	got := strings.Join(edges, "\n")
	for _, want := range []string{
		"KMS security-logs -encrypts-> S3",              // through Fn::GetStackOutput
		"KMS security-logs -encrypts-> Secrets Manager", // through the alias name
		"KMS security-logs -encrypts-> CloudTrail",      // another account's stack names the alias
		"GuardDuty -findings-> Security Hub",
		"Security Hub -findings-> Detective",
		"GuardDuty -findings-> Detective",
		"Security Hub -events-> EventBridge",
		"EventBridge -notifies-> SNS",
		"SNS -notifies-> Chatbot",
		"Firewall Manager -manages-> AWS WAF",
		"Firewall Manager -manages-> Shield Advanced",
		"Firewall Manager -manages-> Network Firewall",
		"Firewall Manager -findings-> Security Hub",
		"CloudTrail -evidence-> Audit Manager",
		"Security Hub -evidence-> Audit Manager", // the delegated administrator's Audit Manager
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing edge %q in:\n%s", want, got)
		}
	}
	dot := DOT(g, []string{"111111111111", "222222222222"}, DiagramOptions{Title: "t", AccountNames: map[string]string{"222222222222": "log archive"}})
	for _, want := range []string{"cluster_account_0", `label="log archive (222222222222)"`, `label="Response"`} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s", want)
		}
	}
}

func TestCost(t *testing.T) {
	e, err := EstimateCost(fullApp(t))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, l := range e.Fixed {
		got[l.Feature+"@"+l.Where] += l.Monthly
	}
	acct1 := "111111111111 us-east-1"
	for feature, want := range map[string]float64{
		"KMS customer managed keys@" + acct1:                          1,
		"KMS rotated key material, from the second rotation@" + acct1: 2,
		"Secrets Manager secrets and replicas@" + acct1:               0.40,
		"Secrets Manager secrets and replicas@111111111111 eu-west-1": 0.40,
		"CloudHSM HSMs@" + acct1:                                      2 * 730 * 1.60,
		"Network Firewall endpoints@" + acct1:                         2 * 730 * 0.395,
		"AWS WAF web ACLs@" + acct1:                                   5,
		"AWS WAF rules in web ACLs@" + acct1:                          3,
		"Firewall Manager policies@" + acct1:                          300,
		"Shield Advanced subscription@organization":                   3000,
		"NAT gateways@" + acct1:                                       730 * 0.045,
		"VPC interface endpoints@" + acct1:                            2 * 730 * 0.01,
	} {
		if d := got[feature] - want; d > 0.005 || d < -0.005 {
			t.Errorf("%s: %.2f, want %.2f", feature, got[feature], want)
		}
	}
	md := e.Markdown("t")
	for _, want := range []string{"$3,000.00", "daily recording", "$0.012 per item", "Detective | GB ingested × $2.00 per GB"} {
		if !strings.Contains(md, want) {
			t.Errorf("cost table lacks %q:\n%s", want, md)
		}
	}
}

// TestEveryServicePriced keeps the cost model complete: every service the
// catalog knows has a usage formula or says why it costs nothing.
func TestEveryServicePriced(t *testing.T) {
	for name := range services {
		if !priced(name) {
			t.Errorf("service %q has no usage formula or free entry in cost.go", name)
		}
	}
	if _, err := Prices(); err != nil {
		t.Fatal(err)
	}
}

func TestMoney(t *testing.T) {
	for v, want := range map[float64]string{3000: "$3,000.00", 0.4: "$0.40", 0.003: "$0.003", 1168: "$1,168.00", 0.395: "$0.395", 1234567.5: "$1,234,567.50"} {
		if got := Money(v); got != want {
			t.Errorf("Money(%v) = %s, want %s", v, got, want)
		}
	}
}

func TestSummaryListsSkipped(t *testing.T) {
	a := fullApp(t)
	a.Warnings = map[string][]string{"m-detection-us-east-1": {"/m/Hub: something was skipped"}}
	s := Summary(a, SummaryOptions{Title: "t", Profile: "sandbox", HomeRegion: "us-east-1"})
	for _, want := range []string{"Macie: not enabled", "Inspector: not enabled", "warning in m-detection-us-east-1: /m/Hub: something was skipped", "Firewall Manager"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
}

// TestPreventionCostsNothing: the prevention layer's resources add no fixed
// line and no usage formula; the estimate lists them as free.
func TestPreventionCostsNothing(t *testing.T) {
	a, err := NewAssembly([]StackInput{{Name: "mamori-org-prevention-us-east-1", Region: "us-east-1", Account: "111111111111", Template: tpl(t, map[string]interface{}{
		"Scp":      res("AWS::Organizations::Policy", map[string]interface{}{"Type": "SERVICE_CONTROL_POLICY", "Tags": layerTags("prevention")}),
		"Types":    res("Custom::OrganizationPolicyTypes", nil),
		"Contacts": res("Custom::AlternateContacts", nil),
		"Root":     res("Custom::AWS", map[string]interface{}{"Create": `{"service":"IAM","action":"EnableOrganizationsRootSessions"}`}),
	})}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := EstimateCost(a)
	if err != nil {
		t.Fatal(err)
	}
	if e.Total != 0 || len(e.Fixed) != 0 {
		t.Errorf("fixed cost %v %v, want none", e.Total, e.Fixed)
	}
	var names []string
	for _, u := range e.NoCharge {
		names = append(names, u.Service)
	}
	if want := []string{svcContacts, svcRootAccess, svcOrgPolicies}; strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("no-charge services %v, want %v", names, want)
	}
	if md := e.Markdown("t"); !strings.Contains(md, "Prevention layer: no charge") {
		t.Errorf("cost markdown does not say the layer is free:\n%s", md)
	}
}

// TestSummaryRegionAgnosticTemplate: organization mode's member baseline
// has no region. It gets its own labelled column, every row has as many
// cells as the header, and no list names an empty region.
func TestSummaryRegionAgnosticTemplate(t *testing.T) {
	bpa := res("Custom::S3AccountPublicAccessBlock", nil)
	var in []StackInput
	for _, region := range []string{"eu-west-1", "us-east-1"} {
		r := map[string]interface{}{"Hub": res("AWS::SecurityHub::Hub", map[string]interface{}{"Tags": layerTags("detection")})}
		if region == "us-east-1" {
			r["Bpa"] = bpa
		}
		in = append(in, StackInput{Name: "m-detection-" + region, Account: "222222222222", Region: region, Template: tpl(t, r)})
	}
	in = append(in, StackInput{Name: "member-baseline", Template: tpl(t, map[string]interface{}{"Bpa": bpa})})
	a, err := NewAssembly(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := Summary(a, SummaryOptions{Title: "t", Profile: "production", HomeRegion: "us-east-1"})
	if !strings.Contains(s, "3 stacks in 2 region(s) and region-agnostic") {
		t.Errorf("summary title miscounts regions:\n%s", s)
	}
	if strings.Contains(s, "in , ") || strings.Contains(s, "only in ,") {
		t.Errorf("summary names an empty region:\n%s", s)
	}
	if !strings.Contains(s, "S3 Block Public Access: only in us-east-1 (home region only)") {
		t.Errorf("summary lacks the partial service:\n%s", s)
	}
	lines := strings.Split(s, "\n")
	header := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "service ") {
			header = i
		}
	}
	if header < 0 {
		t.Fatalf("no services table:\n%s", s)
	}
	if got := strings.Fields(lines[header]); strings.Join(got, " ") != "service eu-west-1 us-east-1 any region" {
		t.Errorf("header %q", lines[header])
	}
	for _, l := range lines[header+1:] {
		if l == "" {
			break
		}
		if !strings.HasPrefix(l, "  ") {
			continue // a layer title
		}
		cells := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(l), -1)
		if len(cells) != 4 {
			t.Errorf("row %q has %d cells, want the service and 3 columns", l, len(cells))
		}
	}
}

// TestOrganizationWiring: in organization mode the management account's
// Security Hub node is the delegated-administrator designation. Member
// findings go to the security-tooling account's Security Hub, never to the
// designation; the log archive's buckets are drawn, with what writes to
// them by name.
func TestOrganizationWiring(t *testing.T) {
	const mgmt, tooling, archive = "111111111111", "222222222222", "333333333333"
	a, err := NewAssembly([]StackInput{
		{Name: "m-org-delegated-admins-us-east-1", Account: mgmt, Region: "us-east-1", Template: tpl(t, map[string]interface{}{
			"Hub":       res("AWS::SecurityHub::DelegatedAdmin", map[string]interface{}{"AdminAccountId": tooling}),
			"Detective": res("AWS::Detective::OrganizationAdmin", map[string]interface{}{"AccountId": tooling}),
			"GuardDuty": res("Custom::DelegatedAdmin", map[string]interface{}{"Service": "guardduty", "AdminAccountId": tooling}),
		})},
		{Name: "m-org-compliance-us-east-1", Account: mgmt, Region: "us-east-1", Template: tpl(t, map[string]interface{}{
			"Trail": res("AWS::CloudTrail::Trail", map[string]interface{}{"S3BucketName": "m-org-evidence", "Tags": layerTags("compliance")}),
		})},
		{Name: "m-detection-us-east-1", Account: tooling, Region: "us-east-1", Template: tpl(t, map[string]interface{}{
			"Hub":      res("AWS::SecurityHub::Hub", map[string]interface{}{"Tags": layerTags("detection")}),
			"Detector": res("AWS::GuardDuty::Detector", nil),
		})},
		{Name: "m-response-us-east-1", Account: tooling, Region: "us-east-1", Template: tpl(t, map[string]interface{}{
			"Graph": res("AWS::Detective::Graph", map[string]interface{}{"Tags": layerTags("response")}),
		})},
		{Name: "m-org-log-archive-us-east-1", Account: archive, Region: "us-east-1", Template: tpl(t, map[string]interface{}{
			"Evidence": res("AWS::S3::Bucket", map[string]interface{}{"BucketName": "m-org-evidence", "Tags": layerTags("organization")}),
			"Config":   res("AWS::S3::Bucket", map[string]interface{}{"BucketName": "m-org-config", "Tags": layerTags("organization")}),
		})},
		{Name: "MemberBaseline-m-member-baseline", Template: tpl(t, map[string]interface{}{
			"Recorder": res("AWS::Config::ConfigurationRecorder", nil),
			"Channel":  res("AWS::Config::DeliveryChannel", map[string]interface{}{"S3BucketName": "m-org-config"}),
		})},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := BuildGraph(a)
	if err != nil {
		t.Fatal(err)
	}
	label := func(n *Node) string {
		l := n.Service + "@" + n.Account
		if n.Designation {
			l += "(designation)"
		}
		return l
	}
	var edges []string
	for _, e := range g.Edges {
		edges = append(edges, label(e.From)+" -"+string(e.Kind)+"-> "+label(e.To))
		if e.To.Designation && e.Kind != EdgeDesignates {
			t.Errorf("%s %s flows into a designation", label(e.From), e.Kind)
		}
		if e.From.Designation && e.Kind != EdgeDesignates {
			t.Errorf("a designation sends %s to %s", e.Kind, label(e.To))
		}
	}
	got := strings.Join(edges, "\n")
	for _, want := range []string{
		"Config@ -findings-> Security Hub@" + tooling,
		"Security Hub@" + mgmt + "(designation) -designates-> Security Hub@" + tooling,
		"Detective@" + mgmt + "(designation) -designates-> Detective@" + tooling,
		"GuardDuty@" + mgmt + "(designation) -designates-> GuardDuty@" + tooling,
		"CloudTrail@" + mgmt + " -writes to-> S3@" + archive,
		"Config@ -writes to-> S3@" + archive,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing edge %q in:\n%s", want, got)
		}
	}
	dot := DOT(g, a.Accounts(), DiagramOptions{Title: "t"})
	if !strings.Contains(dot, "delegated administrator designation") {
		t.Errorf("DOT does not label the designations:\n%s", dot)
	}
	for _, n := range g.Nodes {
		if n.Account == archive && n.Service == svcS3 && n.Layer != LayerCompliance {
			t.Errorf("log archive buckets drawn in layer %q", n.Layer)
		}
	}
}

func TestFilterWarningsDropsAckTag(t *testing.T) {
	got := FilterWarnings(map[string][]string{"s": {"/s/Key: needs a trail [ack: mamori:keyAlarmNeedsTrail]", "/s/X: AwsSolutions-S1: nag"}})
	if want := []string{"/s/Key: needs a trail"}; strings.Join(got["s"], "|") != strings.Join(want, "|") {
		t.Errorf("FilterWarnings = %q, want %q", got["s"], want)
	}
}

package dataprotection

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

var hsmSubnets = []HSMSubnet{
	{SubnetID: "subnet-0aaaaaaaaaaaaaaaa", AvailabilityZone: "eu-west-1a"},
	{SubnetID: "subnet-0bbbbbbbbbbbbbbbb", AvailabilityZone: "eu-west-1b"},
}

// newCloudHSM builds a CloudHSM with a provider and the test subnets unless
// props names its own; nag adds cdk-nag's packs before synthesis.
func newCloudHSM(t *testing.T, props CloudHSMProps, nagPacks bool) (awscdk.Stack, *CloudHSM) {
	t.Helper()
	stack := cdktest.NewStack(t, cdktest.Env)
	if nagPacks {
		for _, pack := range []awscdk.IAspect{
			cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}),
			cdknag.NewNIST80053R5Checks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}),
			cdknag.NewPCIDSS321Checks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}),
		} {
			awscdk.Aspects_Of(stack).Add(pack, nil)
		}
	}
	props.Calls = calltest.NewProvider(stack)
	if props.Subnets == nil {
		props.Subnets = hsmSubnets
	}
	return stack, NewCloudHSM(stack, "Hsm", &props)
}

// hsmsCall is the properties of the one Custom::CloudHSMHsms resource.
func hsmsCall(t *testing.T, tp *cdktest.Template) cdktest.M {
	t.Helper()
	rs := tp.Resources("Custom::CloudHSMHsms")
	require.Len(t, rs, 1)
	for _, r := range rs {
		return r["Properties"].(cdktest.M)
	}
	return nil
}

func TestCloudHSMDefaults(t *testing.T) {
	stack, hsm := newCloudHSM(t, CloudHSMProps{}, false)
	tp := cdktest.Synth(t, stack)
	cluster := cdktest.LogicalID(stack, hsm.Cluster)

	tp.Count("AWS::CloudHSM::Cluster", 1)
	tp.HasResource("AWS::CloudHSM::Cluster", m{
		"Properties": m{
			"HsmType":               "hsm2m.medium",
			"Mode":                  "FIPS",
			"NetworkType":           "IPV4",
			"SubnetIds":             a{"subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"},
			"BackupRetentionPolicy": m{"Type": "DAYS", "Value": "90"},
		},
		"DeletionPolicy":      "Retain",
		"UpdateReplacePolicy": "Retain",
	})

	// Before activation: the first zone's HSM only, no deletion wait.
	props := hsmsCall(t, tp)
	assert.Equal(t, m{"Fn::GetAtt": a{cluster, "ClusterId"}}, props["ClusterId"])
	assert.Equal(t, a{"eu-west-1a", "eu-west-1b"}, props["AvailabilityZones"])
	assert.Equal(t, float64(1), props["HsmCount"])
	assert.Equal(t, false, props["Activated"])
	assert.Equal(t, false, props["WaitForDeletion"])
	assert.Contains(t, jsonOf(stack.Resolve(hsm.ClusterID)), `"ClusterId"`)
	assert.Contains(t, jsonOf(stack.Resolve(hsm.SecurityGroupID)), `"SecurityGroup"`)

	// The handler runs on Node.js 24 with the cluster calls it needs and a 14-minute bound.
	tp.Has("AWS::Lambda::Function", m{"Runtime": "nodejs24.x", "Timeout": 840, "Handler": "cloudhsm-hsms.handler"})
	assert.Contains(t, hsmsHandler, "client-cloudhsm-v2")
}

func TestCloudHSMStatements(t *testing.T) {
	stack, hsm := newCloudHSM(t, CloudHSMProps{}, false)
	tp := cdktest.Synth(t, stack)
	cluster := cdktest.LogicalID(stack, hsm.Cluster)
	arn := func(resource string) interface{} {
		return m{"Fn::Join": a{"", a{"arn:aws:ec2:eu-west-1:111111111111:" + resource + "/", m{"Fn::GetAtt": a{cluster, map[string]string{
			"security-group": "SecurityGroup", "vpc": "VpcId"}[resource]}}}}}
	}
	for _, want := range []m{
		{"Action": "cloudhsm:CreateHsm", "Effect": "Allow", "Resource": m{"Fn::GetAtt": a{cluster, "Arn"}}},
		{"Action": a{"cloudhsm:DeleteHsm", "cloudhsm:DescribeClusters", "ec2:DescribeNetworkInterfaces",
			"ec2:DescribeSecurityGroups", "ec2:DescribeSubnets"}, "Effect": "Allow", "Resource": "*"},
		{"Action": "ec2:CreateNetworkInterface", "Effect": "Allow", "Resource": a{
			"arn:aws:ec2:eu-west-1:111111111111:network-interface/*",
			"arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0aaaaaaaaaaaaaaaa",
			"arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0bbbbbbbbbbbbbbbb",
			arn("security-group"),
		}},
		{"Action": "ec2:DeleteNetworkInterface", "Effect": "Allow", "Resource": "arn:aws:ec2:eu-west-1:111111111111:network-interface/*"},
		{"Action": a{"ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"},
			"Effect": "Allow", "Resource": arn("security-group")},
		{"Action": "ec2:CreateSecurityGroup", "Effect": "Allow", "Resource": a{
			"arn:aws:ec2:eu-west-1:111111111111:security-group/*", arn("vpc")}},
	} {
		tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(want))}})
	}
	// No statement uses the cloudhsmv2: prefix the SDK client name suggests.
	assert.NotContains(t, jsonOf(tp.ToJSON()), "cloudhsmv2:")
}

func TestCloudHSMActivated(t *testing.T) {
	subnets := append(append([]HSMSubnet(nil), hsmSubnets...), HSMSubnet{SubnetID: "subnet-0cccccccccccccccc", AvailabilityZone: "eu-west-1c"})
	stack, _ := newCloudHSM(t, CloudHSMProps{Activated: true, HSMCount: 4, Subnets: subnets, DestroyOnDelete: true,
		BackupRetentionDays: 379}, false)
	tp := cdktest.Synth(t, stack)
	props := hsmsCall(t, tp)
	// The handler places HsmCount HSMs round-robin over the zones, in the order given.
	assert.Equal(t, a{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, props["AvailabilityZones"])
	assert.Equal(t, float64(4), props["HsmCount"])
	assert.Equal(t, true, props["Activated"])
	// The cluster goes with the stack, so the handler waits for its HSMs to go first.
	assert.Equal(t, true, props["WaitForDeletion"])
	tp.HasResource("AWS::CloudHSM::Cluster", m{
		"Properties":     cdktest.Like(m{"BackupRetentionPolicy": m{"Type": "DAYS", "Value": "379"}}),
		"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete",
	})
}

func TestCloudHSMNonFIPS(t *testing.T) {
	stack, _ := newCloudHSM(t, CloudHSMProps{NonFIPS: true}, false)
	cdktest.Synth(t, stack).Has("AWS::CloudHSM::Cluster", m{"Mode": "NON_FIPS", "HsmType": "hsm2m.medium"})
	stack, _ = newCloudHSM(t, CloudHSMProps{HSMType: HSM1Medium}, false)
	cdktest.Synth(t, stack).Has("AWS::CloudHSM::Cluster", m{"Mode": "FIPS", "HsmType": "hsm1.medium"})
}

func TestCloudHSMRejects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		props CloudHSMProps
		want  string
	}{
		{"one zone", CloudHSMProps{Subnets: hsmSubnets[:1]}, `"Hsm": subnets in 1 Availability Zone(s); at least 2 are required`},
		{"no subnets", CloudHSMProps{Subnets: []HSMSubnet{}}, "subnets in 0 Availability Zone(s)"},
		{"same zone", CloudHSMProps{Subnets: []HSMSubnet{hsmSubnets[0], {SubnetID: "subnet-0c", AvailabilityZone: "eu-west-1a"}}}, `two subnets in Availability Zone "eu-west-1a"`},
		{"no zone", CloudHSMProps{Subnets: []HSMSubnet{hsmSubnets[0], {SubnetID: "subnet-0c"}}}, "needs a SubnetID and an AvailabilityZone"},
		{"one HSM", CloudHSMProps{HSMCount: 1}, "HSMCount 1 must be at least 2"},
		{"negative HSMs", CloudHSMProps{HSMCount: -2}, "HSMCount -2 must be at least 2"},
		{"short backups", CloudHSMProps{BackupRetentionDays: 6}, "BackupRetentionDays 6 must be between 7 and 379"},
		{"long backups", CloudHSMProps{BackupRetentionDays: 380}, "BackupRetentionDays 380 must be between 7 and 379"},
		{"unknown type", CloudHSMProps{HSMType: "hsm3.large"}, `HSMType "hsm3.large" must be`},
		{"non-FIPS hsm1", CloudHSMProps{HSMType: HSM1Medium, NonFIPS: true}, `non-FIPS mode needs HSMType "hsm2m.medium"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cdktest.PanicsWith(t, "dataprotection.NewCloudHSM "+`"Hsm"`, func() { newCloudHSM(t, tc.props, false) })
			cdktest.PanicsWith(t, tc.want, func() { newCloudHSM(t, tc.props, false) })
		})
	}
	cdktest.PanicsWith(t, "Calls is required", func() { NewCloudHSM(cdktest.NewStack(t, cdktest.Env), "Hsm", nil) })
}

// TestCloudHSMNag runs cdk-nag's packs: the only wildcards are suppressed
// with their reasons, and nothing else is reported.
func TestCloudHSMNag(t *testing.T) {
	stack, _ := newCloudHSM(t, CloudHSMProps{Activated: true}, true)
	cdktest.Recovered(func() { awscdk.Stage_Of(stack).Synth(nil) })
	var found []string
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		path := *c.Node().Path()
		if !strings.HasPrefix(path, "Test/Hsm/") && !strings.HasPrefix(path, "Test/Calls/") {
			continue
		}
		for _, e := range *c.Node().Metadata() {
			if *e.Type == "aws:cdk:error" {
				found = append(found, path+" "+strings.SplitN(fmt.Sprint(e.Data), ":", 2)[0])
			}
		}
	}
	assert.Empty(t, found)
}

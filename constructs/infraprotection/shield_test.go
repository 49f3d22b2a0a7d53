package infraprotection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

const (
	albArn = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/0123456789abcdef"
	cfArn  = "arn:aws:cloudfront::111111111111:distribution/E1234567890ABC"
	eipArn = "arn:aws:ec2:us-east-1:111111111111:eip-allocation/eipalloc-0123456789abcdef0"
)

func TestShieldSubscriptionNeverUnsubscribes(t *testing.T) {
	stack := cdktest.NewStack(t, usEast1)
	sh := NewShieldAdvanced(stack, "Shield", &ShieldAdvancedProps{Calls: calltest.NewProvider(stack)})
	tp := cdktest.Synth(t, stack)

	id := *stack.GetLogicalId(sh.Subscription.Node().FindChild(jsii.String("Resource")).Node().DefaultChild().(awscdk.CfnElement))
	call := tp.SdkCall(id, "Create")
	assert.Equal(t, "CreateSubscription", call["action"])
	assert.Equal(t, "us-east-1", call["region"])
	assert.Equal(t, "ResourceAlreadyExistsException", call["ignoreErrorCodesMatching"])
	for _, r := range tp.Resources("Custom::AWS") {
		assert.NotContains(t, r["Properties"].(m), "Delete", "the subscription must do nothing on delete")
		assert.Contains(t, r["Properties"].(m), "Update")
	}
	tp.Count("AWS::Shield::Protection", 0)
	tp.Count("AWS::Shield::DRTAccess", 0)
	tp.Count("AWS::Shield::ProactiveEngagement", 0)
}

func TestShieldProtections(t *testing.T) {
	stack := cdktest.NewStack(t, usEast1)
	NewShieldAdvanced(stack, "Shield", &ShieldAdvancedProps{
		Calls: calltest.NewProvider(stack),
		Protections: []ShieldProtection{
			{Name: "web-alb", ResourceARN: albArn, AutomaticResponse: BlockResponse},
			{Name: "cdn", ResourceARN: cfArn, AutomaticResponse: CountResponse},
			{Name: "nat", ResourceARN: eipArn},
		},
		ProtectionGroups: []ShieldProtectionGroup{{ID: "web", Members: []string{"web-alb", "cdn"}}, {ID: "everything", Aggregation: "MAX"}},
		SRTAccess:        true, SRTLogBuckets: []string{"flow-logs"},
		EmergencyContacts: []EmergencyContact{{Email: "oncall@example.com", Phone: "+15555550100", Notes: "24/7"}},
	})
	tp := cdktest.Synth(t, stack)

	tp.Has("AWS::Shield::Protection", m{"Name": "web-alb", "ResourceArn": albArn,
		"ApplicationLayerAutomaticResponseConfiguration": m{"Status": "ENABLED", "Action": m{"Block": m{}}}})
	tp.Has("AWS::Shield::Protection", m{"Name": "cdn", "ApplicationLayerAutomaticResponseConfiguration": m{"Status": "ENABLED", "Action": m{"Count": m{}}}})
	tp.Has("AWS::Shield::Protection", m{"Name": "nat", "ApplicationLayerAutomaticResponseConfiguration": assertions.Match_Absent()})
	tp.Has("AWS::Shield::ProtectionGroup", m{"ProtectionGroupId": "web", "Aggregation": "SUM", "Pattern": "ARBITRARY", "Members": a{albArn, cfArn}})
	tp.Has("AWS::Shield::ProtectionGroup", m{"ProtectionGroupId": "everything", "Aggregation": "MAX", "Pattern": "ALL", "Members": assertions.Match_Absent()})
	tp.Has("AWS::IAM::Role", m{
		"AssumeRolePolicyDocument": cdktest.Like(m{"Statement": a{cdktest.Like(m{"Principal": m{"Service": "drt.shield.amazonaws.com"}})}}),
		"ManagedPolicyArns":        a{m{"Fn::Join": a{"", a{"arn:", m{"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSShieldDRTAccessPolicy"}}}},
	})
	tp.Has("AWS::Shield::DRTAccess", m{"LogBucketList": a{"flow-logs"}})
	tp.Has("AWS::Shield::ProactiveEngagement", m{"ProactiveEngagementStatus": "ENABLED",
		"EmergencyContactList": a{m{"EmailAddress": "oncall@example.com", "PhoneNumber": "+15555550100", "ContactNotes": "24/7"}}})
	// Nothing Shield does before the subscription exists.
	for _, typ := range []string{"AWS::Shield::Protection", "AWS::Shield::ProtectionGroup", "AWS::Shield::DRTAccess", "AWS::Shield::ProactiveEngagement"} {
		for _, r := range tp.Resources(typ) {
			assert.NotEmpty(t, r["DependsOn"], typ)
		}
	}
}

func TestShieldPanics(t *testing.T) {
	for _, tc := range []struct {
		props ShieldAdvancedProps
		want  string
	}{
		{ShieldAdvancedProps{Protections: []ShieldProtection{{Name: "nat", ResourceARN: eipArn, AutomaticResponse: BlockResponse}}},
			`protection "nat": automatic application-layer mitigation is for CloudFront distributions and Application Load Balancers`},
		{ShieldAdvancedProps{ProtectionGroups: []ShieldProtectionGroup{{ID: "g", Members: []string{"nope"}}}}, `protection group "g": no protection named "nope"`},
		{ShieldAdvancedProps{SRTLogBuckets: []string{"b"}}, "SRTLogBuckets need SRTAccess"},
	} {
		stack := cdktest.NewStack(t, usEast1)
		tc.props.Calls = calltest.NewProvider(stack)
		cdktest.PanicsWith(t, tc.want, func() { NewShieldAdvanced(stack, "Shield", &tc.props) })
	}
	cdktest.PanicsWith(t, "Calls is required", func() { NewShieldAdvanced(cdktest.NewStack(t, usEast1), "Shield", nil) })
	// Every invalid prop in one panic, not only the first.
	cdktest.PanicsWith(t, `infraprotection.NewShieldAdvanced "Shield": Calls is required; protection "nat" is named twice; protection "nat": unknown automatic response "RETRY"; SRTLogBuckets need SRTAccess`, func() {
		NewShieldAdvanced(cdktest.NewStack(t, usEast1), "Shield", &ShieldAdvancedProps{
			Protections:   []ShieldProtection{{Name: "nat", ResourceARN: eipArn}, {Name: "nat", ResourceARN: eipArn, AutomaticResponse: "RETRY"}},
			SRTLogBuckets: []string{"b"},
		})
	})
}

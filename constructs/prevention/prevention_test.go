package prevention

import (
	"fmt"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

// TestMain closes the jsii runtime once for the package.
func TestMain(m *testing.M) { cdktest.Main(m) }

type m = cdktest.M

func TestGuardrails(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	g := NewGuardrails(stack, "Guardrails", &GuardrailsProps{
		Calls: calltest.NewProvider(stack), Name: "mamori", Targets: []string{"ou-ab12-22222222", "ou-ab12-11111111"},
		Principals:     Principals{Prefix: "mamori", BreakGlassRoles: []string{"arn:aws:iam::*:role/BreakGlass"}},
		AllowedRegions: []string{"eu-west-1"},
		OrganizationID: "o-abcdefghij", ExceptionAccounts: []string{"444455556666"},
		EC2: &EC2Attributes{},
	})
	tp := cdktest.Synth(t, stack)

	require.NotEmpty(t, g.SCPs)
	require.Len(t, g.RCPs, 1)
	tp.Count("AWS::Organizations::Policy", len(g.SCPs)+len(g.RCPs)+2)
	types := tp.Resources("Custom::OrganizationPolicyTypes")
	require.Len(t, types, 1)
	for _, r := range types {
		assert.Equal(t, []interface{}{"DECLARATIVE_POLICY_EC2", "RESOURCE_CONTROL_POLICY", "S3_POLICY", "SERVICE_CONTROL_POLICY"}, r["Properties"].(m)["PolicyTypes"])
	}
	for id, r := range tp.Resources("AWS::Organizations::Policy") {
		props := r["Properties"].(m)
		assert.Equal(t, []interface{}{"ou-ab12-11111111", "ou-ab12-22222222"}, props["TargetIds"], id)
		assert.NotEmpty(t, r["DependsOn"], "%s waits for its policy type", id)
	}
	tp.Has("AWS::Organizations::Policy", m{"Type": "S3_POLICY", "Content": m{"s3_attributes": m{"public_access_block_configuration": m{"@@assign": "all"}}}})
	tp.Has("AWS::Organizations::Policy", m{"Type": "DECLARATIVE_POLICY_EC2", "Content": cdktest.Like(m{"ec2_attributes": cdktest.Like(m{
		"snapshot_block_public_access": m{"state": m{"@@assign": "block_all_sharing"}},
		"serial_console_access":        m{"status": m{"@@assign": "disabled"}},
	})})})
}

func TestGuardrailsNothingOn(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewGuardrails(stack, "Guardrails", &GuardrailsProps{
		Calls: calltest.NewProvider(stack), Name: "mamori", Targets: []string{"r-ab12"}, Principals: Principals{Prefix: "mamori"},
		SkipBaselineProtection: true, SkipOrganizationHygiene: true, SkipEC2: true, SkipS3BlockPublicAccess: true,
	})
	tp := cdktest.Synth(t, stack)
	tp.Count("AWS::Organizations::Policy", 0)
	tp.Count("Custom::OrganizationPolicyTypes", 0)
}

func TestRootAccessAndContacts(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	c := calltest.NewProvider(stack)
	NewRootAccess(stack, "RootAccess", &RootAccessProps{Calls: c})
	NewAlternateContacts(stack, "Contacts", &AlternateContactsProps{Calls: c, Contacts: []Contact{{Type: SecurityContact, Name: "Security", Title: "CISO", Email: "sec@example.com", Phone: "+1 555 0100"}}})
	tp := cdktest.Synth(t, stack)

	tp.Count("Custom::AWS", 2)
	tp.Count("Custom::AlternateContacts", 1)
	tp.Has("AWS::Events::Rule", m{"ScheduleExpression": "rate(1 day)"})
	// The alternate-contacts handler's own role grants exactly its calls,
	// and the daily reconciler runs the same file on that same role.
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": cdktest.Like(m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		m{"Action": []interface{}{"account:PutAlternateContact", "organizations:DescribeOrganization", "organizations:ListAccounts"}, "Effect": "Allow", "Resource": "*"},
	))})})
	handlers := tp.FindResources(jsii.String("AWS::Lambda::Function"), m{"Properties": m{"Handler": "alternate-contacts.handler"}})
	if len(*handlers) != 2 {
		t.Fatalf("want the waiting call's handler and the reconciler on alternate-contacts.handler, got %d functions", len(*handlers))
	}
	roles := map[string]bool{}
	for _, f := range *handlers {
		roles[fmt.Sprint((*f)["Properties"].(map[string]interface{})["Role"])] = true
	}
	if len(roles) != 1 {
		t.Errorf("the reconciler and the handler run on different roles: %v", roles)
	}
	// The root-access calls (AwsCustomResource) stay on the shared policy.
	tp.Has("AWS::IAM::ManagedPolicy", m{"PolicyDocument": cdktest.Like(m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		m{"Action": []interface{}{
			"iam:EnableOrganizationsRootCredentialsManagement", "iam:EnableOrganizationsRootSessions",
			"organizations:DescribeOrganization", "organizations:ListAWSServiceAccessForOrganization",
		}, "Effect": "Allow", "Resource": "*"},
	))})})
}

// TestZeroGuardrailsAreSecure: guardrails built from their props' zero
// value, with only the required calls, name, targets and principals given,
// attach the baseline-protection and organization-hygiene SCPs, the EC2
// declarative policy and the S3 policy.
func TestZeroGuardrailsAreSecure(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	g := NewGuardrails(stack, "Guardrails", &GuardrailsProps{Calls: calltest.NewProvider(stack), Name: "mamori", Targets: []string{"r-ab12"}, Principals: Principals{Prefix: "mamori"}})
	tp := cdktest.Synth(t, stack)

	var got []string
	for _, d := range g.SCPs {
		for _, s := range d.Statement {
			got = append(got, s.Sid)
		}
	}
	var want []string
	for _, s := range append(BaselineProtection(Principals{Prefix: "mamori"}), OrganizationHygiene(Principals{Prefix: "mamori"})...) {
		want = append(want, s.Sid)
	}
	assert.ElementsMatch(t, want, got)
	assert.Empty(t, g.RCPs, "the data perimeter needs the organization's ID")
	tp.Has("AWS::Organizations::Policy", m{"Type": "DECLARATIVE_POLICY_EC2"})
	tp.Has("AWS::Organizations::Policy", m{"Type": "S3_POLICY"})
}

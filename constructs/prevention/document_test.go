package prevention

import (
	"path"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mamori-dev/mamori/constructs/organization"
	"github.com/mamori-dev/mamori/internal/cdktest"
)

// arnLike is IAM's ArnLike: the six colon-separated parts of the ARN each
// match the pattern's part, with * and ? as wildcards inside a part.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
func arnLike(pattern, arn string) bool {
	pp, ap := strings.SplitN(pattern, ":", 6), strings.SplitN(arn, ":", 6)
	if len(pp) != 6 || len(ap) != 6 {
		return false
	}
	for i := range pp {
		// path.Match's * stops at "/": IAM's does not, so match with "/" out of the way.
		ok, err := path.Match(strings.ReplaceAll(pp[i], "/", "\x00"), strings.ReplaceAll(ap[i], "/", "\x00"))
		if err != nil || !ok {
			return false
		}
	}
	return true
}

func exemptMatches(p Principals, arn string) bool {
	for _, e := range p.Exempt() {
		if arnLike(e, arn) {
			return true
		}
	}
	return false
}

// TestExemptPatternsMatchRealRoleNames: the exemptions match the roles that
// really deploy and run the baseline, and nothing of a member's own.
func TestExemptPatternsMatchRealRoleNames(t *testing.T) {
	p := Principals{Prefix: "mamori", CDKAccounts: []string{"222222222222", "333333333333"}, ControlTower: true, BreakGlassRoles: []string{"arn:aws:iam::*:role/BreakGlass*"}}
	// CDK's own role ARN templates, with the default qualifier, as the
	// bootstrapped accounts name them.
	cdkRole := func(tpl string) string {
		r := strings.NewReplacer("${AWS::Partition}", "aws", "${AWS::AccountId}", "222222222222", "${AWS::Region}", "us-east-1",
			"${Qualifier}", *awscdk.DefaultStackSynthesizer_DEFAULT_QUALIFIER())
		return r.Replace(tpl)
	}
	allowed := []string{
		// The StackSets execution role service-managed StackSets create (its
		// suffix is a generated ID).
		"arn:aws:iam::444455556666:role/stacksets-exec-e0a4e7c4b1b7e1e1d4b5c3f3a2b1c0d9",
		cdkRole(*awscdk.DefaultStackSynthesizer_DEFAULT_CLOUDFORMATION_ROLE_ARN()),
		cdkRole(*awscdk.DefaultStackSynthesizer_DEFAULT_DEPLOY_ROLE_ARN()),
		cdkRole(*awscdk.DefaultStackSynthesizer_DEFAULT_FILE_ASSET_PUBLISHING_ROLE_ARN()),
		// The member baseline's AWS Config role, named by mamori.
		"arn:aws:iam::444455556666:role/" + organization.ConfigRoleName("mamori") + "eu-west-1",
		// A role CloudFormation names after a mamori stack, and one in a
		// StackSet's stack instance.
		"arn:aws:iam::222222222222:role/mamori-org-settings-us-east-1-SdkCallsRole1A2B3C-AbCdEf123456",
		"arn:aws:iam::444455556666:role/StackSet-mamori-member-baseline-1a2b3c4d-GuardRole-AbCdEf",
		"arn:aws:iam::444455556666:role/BreakGlassAdmin",
		"arn:aws:iam::444455556666:role/AWSControlTowerExecution",
	}
	for _, arn := range allowed {
		assert.True(t, exemptMatches(p, arn), "exempt: %s", arn)
	}
	denied := []string{
		"arn:aws:iam::444455556666:role/AdministratorAccess",
		"arn:aws:iam::444455556666:role/OrganizationAccountAccessRole",
		"arn:aws:iam::444455556666:role/cdk-other123-cfn-exec-role-444455556666-us-east-1",
		// A member's own CDK bootstrap, in an account mamori does not deploy to.
		"arn:aws:iam::444455556666:role/cdk-hnb659fds-cfn-exec-role-444455556666-us-east-1",
		"arn:aws:iam::444455556666:user/mamori-admin",
		"arn:aws:sts::444455556666:assumed-role/stacksets-exec-abc/session",
		"arn:aws:iam::444455556666:root",
	}
	for _, arn := range denied {
		assert.False(t, exemptMatches(p, arn), "not exempt: %s", arn)
	}
}

// TestPackSplitsAndRefuses: statements fill documents up to the limit in
// order, and a statement too big for any document is refused.
func TestPackSplitsAndRefuses(t *testing.T) {
	var stmts []Statement
	for i := 0; i < 30; i++ {
		stmts = append(stmts, deny("S"+strings.Repeat("x", i%3), []string{"s3:" + strings.Repeat("A", 200)}, []string{"*"}, nil))
	}
	docs := Pack(stmts, 1000)
	require.Greater(t, len(docs), 1)
	n := 0
	for _, d := range docs {
		assert.LessOrEqual(t, d.Size(), 1000)
		n += len(d.Statement)
	}
	assert.Equal(t, 30, n, "every statement lands in one document")
	cdktest.PanicsWith(t, "alone takes", func() {
		Pack([]Statement{deny("Huge", []string{strings.Repeat("a", 2000)}, []string{"*"}, nil)}, 1000)
	})
}

// TestQuotasWithMostExemptions: with every SCP guardrail on, the longest
// prefix, the most and longest break-glass roles config allows, every
// region and the most exception accounts, the documents stay within the
// packing limit (itself a tenth under 5,120) and within the three own
// policies a target can take.
func TestQuotasWithMostExemptions(t *testing.T) {
	p := Principals{Prefix: strings.Repeat("m", 20), CDKQualifier: "abcdefghij", CDKAccounts: []string{"222222222222", "333333333333"}, ControlTower: true}
	// config allows at most 3 break-glass roles of at most 128 characters,
	// and 50 exception accounts.
	for i := 0; i < 3; i++ {
		arn := "arn:aws-us-gov:iam::*:role/emergency/" + string(rune('A'+i))
		p.BreakGlassRoles = append(p.BreakGlassRoles, arn+strings.Repeat("x", 128-len(arn)))
	}
	var regions []string
	for i := 0; i < 36; i++ {
		regions = append(regions, "ap-southeast-"+strings.Repeat("9", 2))
	}
	stmts := append(append(BaselineProtection(p), OrganizationHygiene(p)...), RegionDeny(p, regions)...)
	docs := Pack(stmts, PackLimit)
	assert.LessOrEqual(t, len(docs), MaxOwnPerTarget)
	for _, d := range docs {
		assert.LessOrEqual(t, d.Size(), PackLimit)
		assert.Less(t, PackLimit, MaxPolicyChars)
	}
	var vendors []string
	for i := 0; i < 50; i++ {
		vendors = append(vendors, "111111111111")
	}
	rcps := Pack(DataPerimeter("o-"+strings.Repeat("a", 32), vendors), PackLimit)
	assert.Len(t, rcps, 1)
	assert.LessOrEqual(t, contentSize(DeclarativeEC2(EC2Attributes{VPCBlockPublicAccess: true})), MaxDeclarativePolicyChars)
}

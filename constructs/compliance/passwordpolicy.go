package compliance

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// PasswordPolicyProps configures a PasswordPolicy. The zero value is the CIS
// AWS Foundations Benchmark policy: 14 characters, the last 24 passwords not
// reusable, every character class, users may change their own password.
type PasswordPolicyProps struct {
	// Calls runs the API call. Required.
	Calls *sdkcall.Provider
	// MinimumLength is 6 to 128. Default: 14.
	MinimumLength int
	// ReusePrevention is how many previous passwords cannot be reused, 1 to
	// 24. Default: 24.
	ReusePrevention int
	// MaxAgeDays expires passwords after this many days, 1 to 1095.
	// Default: 0: passwords never expire.
	MaxAgeDays int
	// NoUppercase, NoLowercase, NoNumbers and NoSymbols drop that character
	// class from the requirements. Default: false: every class is required.
	NoUppercase, NoLowercase, NoNumbers, NoSymbols bool
	// HardExpiry stops users whose password expired from setting a new one.
	// Default: false.
	HardExpiry bool
}

// PasswordPolicy sets the account's IAM password policy, which has no
// CloudFormation resource, through iam:UpdateAccountPasswordPolicy. IAM is
// global: create it once, in the home region. Stack deletes leave the policy
// in place (never weaker than it was): remove it by hand with
// `aws iam delete-account-password-policy` if that is really wanted.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html
type PasswordPolicy struct {
	Scope constructs.Construct
	// Parameters are the UpdateAccountPasswordPolicy request.
	Parameters map[string]interface{}
}

// NewPasswordPolicy creates a PasswordPolicy.
func NewPasswordPolicy(scope constructs.Construct, id string, props *PasswordPolicyProps) *PasswordPolicy {
	var p PasswordPolicyProps
	if props != nil {
		p = *props
	}
	bad := problems.Of("compliance.NewPasswordPolicy", id)
	if p.Calls == nil {
		bad.Add("Calls is required")
	}
	params, err := PasswordPolicyRequest(p)
	if err != nil {
		bad.Add("%v", err)
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	p.Calls.NewCall(this, "Resource", &sdkcall.CallProps{
		OnCreate: &customresources.AwsSdkCall{
			Service: jsii.String("IAM"), Action: jsii.String("UpdateAccountPasswordPolicy"), Parameters: params,
			PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String("account-password-policy")),
		},
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("iam:UpdateAccountPasswordPolicy"), Resources: jsii.Strings("*"),
		})},
	})
	nag.Suppress(p.Calls.Policy, false, nag.Rule{
		ID:        "AwsSolutions-IAM5",
		Reason:    "iam:UpdateAccountPasswordPolicy acts on the calling account and supports no resource-level permissions.",
		AppliesTo: []string{"Resource::*"},
	})
	return &PasswordPolicy{Scope: this, Parameters: params}
}

// ConfigRuleParameters are the IAM_PASSWORD_POLICY rule's parameters that
// check for exactly this policy (AWS Config's defaults would check for 90-day
// expiry and every class). Without expiry the rule's MaxPasswordAge is
// left at its default and the rule reports the policy as non-compliant.
// https://docs.aws.amazon.com/config/latest/developerguide/iam-password-policy.html
func (pp *PasswordPolicy) ConfigRuleParameters() map[string]string {
	b := func(k string) string { return fmt.Sprint(pp.Parameters[k]) }
	out := map[string]string{
		"MinimumPasswordLength":      b("MinimumPasswordLength"),
		"PasswordReusePrevention":    b("PasswordReusePrevention"),
		"RequireUppercaseCharacters": b("RequireUppercaseCharacters"),
		"RequireLowercaseCharacters": b("RequireLowercaseCharacters"),
		"RequireNumbers":             b("RequireNumbers"),
		"RequireSymbols":             b("RequireSymbols"),
	}
	if _, ok := pp.Parameters["MaxPasswordAge"]; ok {
		out["MaxPasswordAge"] = b("MaxPasswordAge")
	}
	return out
}

// PasswordPolicyRequest is the iam:UpdateAccountPasswordPolicy request for
// p (Calls is not used), for templates that set the policy without a call
// provider: the organization's member baseline.
func PasswordPolicyRequest(p PasswordPolicyProps) (map[string]interface{}, error) {
	if p.MinimumLength == 0 {
		p.MinimumLength = 14
	}
	if p.ReusePrevention == 0 {
		p.ReusePrevention = 24
	}
	if p.MinimumLength < 6 || p.MinimumLength > 128 || p.ReusePrevention < 1 || p.ReusePrevention > 24 || p.MaxAgeDays < 0 || p.MaxAgeDays > 1095 {
		return nil, fmt.Errorf("MinimumLength %d (6-128), ReusePrevention %d (1-24) or MaxAgeDays %d (0-1095) out of range",
			p.MinimumLength, p.ReusePrevention, p.MaxAgeDays)
	}
	params := map[string]interface{}{
		"MinimumPasswordLength":      p.MinimumLength,
		"PasswordReusePrevention":    p.ReusePrevention,
		"RequireUppercaseCharacters": !p.NoUppercase,
		"RequireLowercaseCharacters": !p.NoLowercase,
		"RequireNumbers":             !p.NoNumbers,
		"RequireSymbols":             !p.NoSymbols,
		"AllowUsersToChangePassword": true,
		"HardExpiry":                 p.HardExpiry,
	}
	// Left out, MaxPasswordAge means passwords never expire.
	if p.MaxAgeDays > 0 {
		params["MaxPasswordAge"] = p.MaxAgeDays
	}
	return params, nil
}

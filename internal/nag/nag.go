// Package nag records cdk-nag suppressions beside the resources they excuse,
// so that each reason sits where a reviewer reads the resource.
package nag

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// Rule is one suppressed cdk-nag rule with the specific reason it does not apply.
type Rule struct {
	// ID is the rule ID as cdk-nag reports it, e.g. "AwsSolutions-IAM5".
	ID string
	// Reason says why, specifically: a suppression without one is rejected.
	Reason string
	// AppliesTo limits a granular rule to these findings, e.g.
	// "Resource::*". Default: the whole rule.
	AppliesTo []string
	// AppliesToRegex limits a granular rule to findings matching these
	// ECMA-262 regular expressions, e.g. "/^Resource::arn:[^:]+:s3:::x$/",
	// for findings that name the partition. Default: none.
	AppliesToRegex []string
}

// Suppress records rules on c and, when children is set, on everything below it.
func Suppress(c constructs.IConstruct, children bool, rules ...Rule) {
	out := make([]*cdknag.NagPackSuppression, 0, len(rules))
	for _, r := range rules {
		if r.ID == "" || len(r.Reason) < 20 {
			panic("nag.Suppress: every suppression needs a rule ID and a specific reason: " + r.ID)
		}
		s := &cdknag.NagPackSuppression{Id: jsii.String(r.ID), Reason: jsii.String(r.Reason)}
		var applies []interface{}
		for _, a := range r.AppliesTo {
			applies = append(applies, a)
		}
		for _, re := range r.AppliesToRegex {
			applies = append(applies, &cdknag.RegexAppliesTo{Regex: jsii.String(re)})
		}
		if len(applies) > 0 {
			s.AppliesTo = &applies
		}
		out = append(out, s)
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &out, jsii.Bool(children))
}

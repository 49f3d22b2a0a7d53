package stacks

import (
	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/compliance"
)

// The functions below translate the compliance config into construct props.
// They create no constructs, so they are tested without Node.js
// (passwordPolicyProps, shared with the organization's password policy, is
// in organization_compliance.go).

// auditManagerProps are Audit Manager's props without Calls, Key and
// Reports, which the stack adds.
func auditManagerProps(c config.Compliance, prefix string) *compliance.AuditManagerProps {
	props := &compliance.AuditManagerProps{ProcessOwners: c.AuditManager.ProcessOwners, NamePrefix: prefix}
	for _, f := range c.Frameworks {
		props.Frameworks = append(props.Frameworks, compliance.Framework(f))
	}
	for f, id := range c.AuditManager.FrameworkIDs {
		if props.FrameworkIDs == nil {
			props.FrameworkIDs = map[compliance.Framework]string{}
		}
		props.FrameworkIDs[compliance.Framework(f)] = id
	}
	return props
}

// conformancePackRules are framework's rules for one region: account-wide
// rules run in the home region only, and the password rule checks for the
// policy the stack sets (passwordRule, nil when it sets none).
func conformancePackRules(f compliance.Framework, home bool, passwordRule map[string]string) []compliance.ManagedRule {
	var rules []compliance.ManagedRule
	for _, r := range compliance.Rules(f) {
		if r.Account && !home {
			continue
		}
		if r.Identifier == "IAM_PASSWORD_POLICY" && passwordRule != nil {
			r.Parameters = passwordRule
		}
		rules = append(rules, r)
	}
	return rules
}

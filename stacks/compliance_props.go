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

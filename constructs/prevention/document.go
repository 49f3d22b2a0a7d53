// Package prevention holds the constructs of the prevention layer: the
// organization policies the management account attaches to OUs, accounts or
// the root (service control policies, resource control policies, the EC2
// declarative policy, the S3 policy), the policy types they need on the
// root, and the account settings set on every account (centralized root
// access, alternate contacts).
//
// The policy documents are plain Go values built by pure functions
// (BaselineProtection, OrganizationHygiene, RegionDeny, DataPerimeter), so
// that their size and content can be tested without synthesizing, and so
// that Pack can split statements into documents that respect the
// Organizations quotas at synth rather than at deploy.
package prevention

import (
	"encoding/json"
	"fmt"
)

// Quotas of AWS Organizations ("Quotas and service limits for AWS
// Organizations", Organizations user guide): an SCP or an RCP document holds
// at most 5,120 characters, and at most 5 of each type attach directly to
// one root, OU or account, AWS's FullAWSAccess (RCPFullAWSAccess) included.
// Declarative policies hold at most 10,000 characters.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
const (
	MaxPolicyChars            = 5120
	MaxDeclarativePolicyChars = 10000
	MaxAttachedPerTarget      = 5
	// PackLimit is the size Pack fills documents to: a tenth below the
	// quota, so that CloudFormation re-serializing the content or a later
	// edit by hand never reaches it.
	PackLimit = MaxPolicyChars - MaxPolicyChars/10
	// MaxOwnPerTarget is how many of mamori's SCPs or RCPs one target may
	// carry: the quota less AWS's full-access policy, less one left free for
	// the organization's own.
	MaxOwnPerTarget = MaxAttachedPerTarget - 2
)

// Statement is one statement of an SCP or RCP. Empty fields are left out of
// the JSON, so a statement carries only the elements it uses.
type Statement struct {
	Sid       string         `json:"Sid,omitempty"`
	Effect    string         `json:"Effect"`
	Principal string         `json:"Principal,omitempty"`
	Action    []string       `json:"Action,omitempty"`
	NotAction []string       `json:"NotAction,omitempty"`
	Resource  []string       `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

// Document is an SCP or RCP.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// JSON is the document without white space, as its size counts.
func (d Document) JSON() string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(fmt.Errorf("prevention: policy document: %w", err))
	}
	return string(b)
}

// Size is the number of characters the document takes.
func (d Document) Size() int { return len([]rune(d.JSON())) }

// Pack puts statements, in order, into as few documents as fit limit
// characters each (first fit keeps related statements together). It panics
// when one statement alone does not fit: no split can help that.
func Pack(statements []Statement, limit int) []Document {
	var docs []Document
	for _, s := range statements {
		placed := false
		for i := range docs {
			try := Document{Version: "2012-10-17", Statement: append(append([]Statement{}, docs[i].Statement...), s)}
			if try.Size() <= limit {
				docs[i] = try
				placed = true
				break
			}
		}
		if placed {
			continue
		}
		d := Document{Version: "2012-10-17", Statement: []Statement{s}}
		if d.Size() > limit {
			panic(fmt.Errorf("prevention.Pack: statement %q alone takes %d characters, more than %d", s.Sid, d.Size(), limit))
		}
		docs = append(docs, d)
	}
	return docs
}

// exemptUnless is the condition that leaves the exempt principals out of a
// deny, by aws:PrincipalArn (ArnNotLike matches the patterns' wildcards).
// With no exempt principals the statement has no condition.
func exemptUnless(exempt []string) map[string]any {
	if len(exempt) == 0 {
		return nil
	}
	return map[string]any{"ArnNotLike": map[string]any{"aws:PrincipalArn": exempt}}
}

// withCondition merges more condition operators into c.
func withCondition(c map[string]any, more map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range c {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

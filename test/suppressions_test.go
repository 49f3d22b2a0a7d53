package test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// A suppression's reason is read by an auditor as a statement about the
// template: "versioned" must mean the bucket is versioned. reasonClaims are
// the phrases a reason may use that say something about the resource it
// excuses (its subject) or its stack, each with the check that makes the
// phrase true. Rows are matched in order and a phrase belongs to the first
// row that matches it, so the specific rows (negations, statements about
// AWS) come before the general ones.
//
// claimWords are the words that always say something checkable; a reason
// that uses one outside every row's phrase fails TestSuppressionReasonsTrue,
// so that a new kind of claim gets its row (and its check) before it ships.
var reasonClaims = []struct {
	name    string
	phrase  *regexp.Regexp
	check   func(s subject) string // "" when true; nil: a statement about AWS, not the template
	comment string
	// types are the subjects the check applies to; cdk-nag copies a
	// suppression to a construct's children (a bucket's policy), where a
	// bucket rule never runs. Default: every subject.
	types []string
}{
	{name: "link", phrase: regexp.MustCompile(`https?://\S+`), comment: "a source, not a claim"},
	{name: "not replicated", types: buckets, phrase: regexp.MustCompile(`(?i)\bnot replicated\b|\bno replication\b`),
		check: func(s subject) string { return s.absent("ReplicationConfiguration") }},
	{name: "replicated", types: buckets, phrase: regexp.MustCompile(`(?i)replicat\w*|\bcop(y|ies|ying) (them|it)\b[^.;:]*\bto\b|\bholds? the copy\b`),
		check: func(s subject) string { return s.present("ReplicationConfiguration") }},
	{name: "no Object Lock", types: buckets, phrase: regexp.MustCompile(`(?i)\b(without|not deliver to|not deliver to, or does not document,) Object Lock( buckets)?`),
		check: func(s subject) string {
			if s.r.Properties["ObjectLockEnabled"] == true {
				return "has Object Lock"
			}
			return ""
		}},
	{name: "Object Lock", types: buckets, phrase: regexp.MustCompile(`(?i)\bObject[- ]Lock(ed)?\b`),
		check: func(s subject) string {
			if s.r.Properties["ObjectLockEnabled"] != true {
				return "has no Object Lock (ObjectLockEnabled)"
			}
			return ""
		}},
	{name: "access-log targets refuse a default retention", phrase: regexp.MustCompile(`(?i)\baccess-log targets refuse a default retention\b`),
		comment: "S3 server access logging refuses a target bucket with an Object Lock default retention: a statement about AWS"},
	{name: "MFA delete is root-only", phrase: regexp.MustCompile(`(?i)\bMFA delete can only be turned on by the root user( with its MFA device)?`),
		comment: "a statement about AWS; CloudFormation has no MFA delete property to check"},
	{name: "SSE-S3 only", types: buckets, phrase: regexp.MustCompile(`(?i)\b(S3 delivers )?server access logs only to (buckets encrypted with )?SSE-S3( buckets)?(, not SSE-KMS)?`),
		check: func(s subject) string { return s.encryption("AES256") }},
	{name: "access-log target", types: buckets, phrase: regexp.MustCompile(`(?i)\baccess-log target\b`),
		check: func(s subject) string {
			if p := s.absent("LoggingConfiguration"); p != "" {
				return p
			}
			return s.encryption("AES256")
		}},
	{name: "access-logged", types: buckets, phrase: regexp.MustCompile(`(?i)\baccess[- ]logg(ed|ing)\b|\bserver access logs\b`),
		check: func(s subject) string { return s.present("LoggingConfiguration") }},
	{name: "IAM action or condition key", phrase: regexp.MustCompile(`\b[a-z][a-z0-9-]*:[A-Z][A-Za-z0-9]*\b`),
		comment: "an action or condition key a reason names is in the stack's policies"},
	{name: "KMS", phrase: regexp.MustCompile(`(?i)\bSSE-KMS\b|\bcustomer[- ]managed key\b|\bKMS\b`),
		check: func(s subject) string {
			if s.r.Type == "AWS::S3::Bucket" {
				return s.encryption("aws:kms")
			}
			for _, k := range []string{"KmsKeyId", "KMSKeyId", "KmsMasterKeyId", "KmsKeyArn"} {
				if s.r.Properties[k] != nil {
					return ""
				}
			}
			return "has no KMS key property"
		}},
	{name: "versioned", types: buckets, phrase: regexp.MustCompile(`(?i)\bversioned\b|\bversioning\b|\bnoncurrent versions?\b`),
		check: func(s subject) string {
			v, _ := s.r.Properties["VersioningConfiguration"].(map[string]interface{})
			if v["Status"] != "Enabled" {
				return "is not versioned"
			}
			return ""
		}},
	{name: "lifecycle rule", types: buckets, phrase: regexp.MustCompile(`(?i)\blifecycle rule\b`),
		check: func(s subject) string { return s.present("LifecycleConfiguration") }},
	{name: "retained", types: buckets, phrase: regexp.MustCompile(`(?i)\bretained\b|\bretain(ed)? on (stack )?delet\w*`),
		check: func(s subject) string {
			if s.r.DeletionPolicy != "Retain" {
				return fmt.Sprintf("has DeletionPolicy %q, not Retain", s.r.DeletionPolicy)
			}
			return ""
		}},
	{name: "not in a VPC", types: []string{"AWS::Lambda::Function"}, phrase: regexp.MustCompile(`(?i)\ba VPC would\b`),
		check: func(s subject) string { return s.absent("VpcConfig") }},
	{name: "VPC created", phrase: regexp.MustCompile(`(?i)\bafter the VPC is created\b`),
		check: func(s subject) string { return s.stackHas(`"Type":"AWS::EC2::VPC"`) }},
	{name: "S3 account Block Public Access", phrase: regexp.MustCompile(`(?i)\bS3 account(-level)? Block Public Access\b`),
		check: func(s subject) string { return s.stackHas("s3:PutAccountPublicAccessBlock") }},
	{name: "EBS encryption by default", phrase: regexp.MustCompile(`(?i)\bEBS (default encryption|encryption[- ]by[- ]default)\b`),
		check: func(s subject) string { return s.stackHas("ec2:EnableEbsEncryptionByDefault") }},
	{name: "AMI block public access", phrase: regexp.MustCompile(`(?i)\bAMI block public access\b`),
		check: func(s subject) string { return s.stackHas("ec2:EnableImageBlockPublicAccess") }},
	{name: "rotated by hand", phrase: regexp.MustCompile(`(?i)\bRotated by hand, as the configuration records:.*`),
		comment: "the rest is the configuration's own note",
		check: func(s subject) string {
			for id, r := range s.stack {
				if r.Type == "AWS::SecretsManager::RotationSchedule" && jsonOf(r.Properties["SecretId"]) == jsonOf(map[string]string{"Ref": s.id}) {
					return "has the rotation schedule " + id
				}
			}
			return ""
		}},
}

var buckets = []string{"AWS::S3::Bucket"}

// claimWords always make a checkable claim: a reason may use them only
// inside a phrase of reasonClaims.
var claimWords = regexp.MustCompile(`(?i)replicat|object lock|versio|retain|retention|\bkms\b|sse-|customer[- ]managed|access[- ]log|encrypt|lifecycle|\bvpc\b|rotat|\btls\b|public access|mfa|\blogging\b`)

// subject is a resource a suppression excuses, in its stack.
type subject struct {
	id       string
	r        resource
	template string // the stack's template, compact
	stack    map[string]resource
}

func (s subject) present(prop string) string {
	if s.r.Properties[prop] == nil {
		return "has no " + prop
	}
	return ""
}

func (s subject) absent(prop string) string {
	if s.r.Properties[prop] != nil {
		return "has " + prop
	}
	return ""
}

func (s subject) encryption(algorithm string) string {
	b, _ := json.Marshal(s.r.Properties["BucketEncryption"])
	if !strings.Contains(string(b), `"SSEAlgorithm":"`+algorithm+`"`) {
		return "is not encrypted with " + algorithm
	}
	return ""
}

func (s subject) stackHas(text string) string {
	if !strings.Contains(s.template, text) {
		return "its stack has no " + text
	}
	return ""
}

// suppression is one reason and the resources it excuses.
type suppression struct {
	where    string
	reason   string
	subjects []subject
}

// suppressions collects every cdk-nag suppression (from the resources'
// metadata) and every Security Hub automation rule that names resources
// (its note) of a fixture, with the resources they excuse. A rule's resource
// in another stack of the same fixture (Fn::GetStackOutput) is followed there.
func suppressions(t *testing.T, fx *fixture) []suppression {
	t.Helper()
	type stackData struct {
		resources map[string]resource
		outputs   map[string]interface{}
		compact   string
	}
	stacks := map[string]stackData{}
	for _, name := range fx.stackNames() {
		var tpl struct {
			Resources map[string]resource `json:"Resources"`
			Outputs   map[string]struct {
				Value interface{} `json:"Value"`
			} `json:"Outputs"`
		}
		if err := json.Unmarshal(fx.templates[name], &tpl); err != nil {
			t.Fatal(err)
		}
		d := stackData{resources: tpl.Resources, outputs: map[string]interface{}{}, compact: compactJSON(t, fx.templates[name])}
		for k, o := range tpl.Outputs {
			d.outputs[k] = o.Value
		}
		stacks[name] = d
	}
	// resolve finds the resource an ARN reference points at.
	var resolve func(stack string, v interface{}) (string, string, bool)
	resolve = func(stack string, v interface{}) (string, string, bool) {
		ref, _ := v.(map[string]interface{})
		if att, ok := ref["Fn::GetAtt"].([]interface{}); ok && len(att) == 2 {
			id, _ := att[0].(string)
			_, found := stacks[stack].resources[id]
			return stack, id, found
		}
		if out, ok := ref["Fn::GetStackOutput"].(map[string]interface{}); ok {
			other, _ := out["StackName"].(string)
			name, _ := out["OutputName"].(string)
			if d, found := stacks[other]; found {
				return resolve(other, d.outputs[name])
			}
		}
		return "", "", false
	}
	var out []suppression
	for _, name := range fx.stackNames() {
		d := stacks[name]
		ids := make([]string, 0, len(d.resources))
		for id := range d.resources {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			r := d.resources[id]
			nag, _ := r.Metadata["cdk_nag"].(map[string]interface{})
			for _, rule := range asList(nag["rules_to_suppress"]) {
				m, _ := rule.(map[string]interface{})
				reason, _ := m["reason"].(string)
				out = append(out, suppression{
					where:    fmt.Sprintf("%s/%s/%s cdk-nag %v", fx.name, name, id, m["id"]),
					reason:   reason,
					subjects: []subject{{id: id, r: r, template: d.compact, stack: d.resources}},
				})
			}
			if r.Type != "AWS::SecurityHub::AutomationRule" {
				continue
			}
			criteria, _ := r.Properties["Criteria"].(map[string]interface{})
			resources := asList(criteria["ResourceId"])
			if len(resources) == 0 {
				continue // a configured rule: it names no resource of ours
			}
			s := suppression{where: fmt.Sprintf("%s/%s/%s automation rule", fx.name, name, id)}
			for _, a := range asList(r.Properties["Actions"]) {
				update, _ := a.(map[string]interface{})["FindingFieldsUpdate"].(map[string]interface{})
				note, _ := update["Note"].(map[string]interface{})
				s.reason, _ = note["Text"].(string)
			}
			for _, v := range resources {
				value := v.(map[string]interface{})["Value"]
				stack, rid, ok := resolve(name, value)
				if !ok {
					t.Errorf("%s: cannot find the resource %s names", s.where, jsonOf(value))
					continue
				}
				s.subjects = append(s.subjects, subject{id: rid, r: stacks[stack].resources[rid], template: stacks[stack].compact, stack: stacks[stack].resources})
			}
			out = append(out, s)
		}
	}
	return out
}

func compactJSON(t *testing.T, raw []byte) string {
	var v interface{}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// reasonProblems checks one reason against its subjects: each claim phrase
// must be true of every subject, and no claim word may stand outside a
// phrase that has a row.
func reasonProblems(s suppression) []string {
	var problems []string
	covered := make([]bool, len(s.reason))
	for _, c := range reasonClaims {
		for _, loc := range c.phrase.FindAllStringIndex(s.reason, -1) {
			if covered[loc[0]] {
				continue
			}
			for i := loc[0]; i < loc[1]; i++ {
				covered[i] = true
			}
			text := s.reason[loc[0]:loc[1]]
			if c.name == "IAM action or condition key" {
				for _, sub := range s.subjects {
					if !strings.Contains(sub.template, `"`+text) {
						problems = append(problems, fmt.Sprintf("%q: %s's stack has no %s", text, sub.id, text))
					}
				}
				continue
			}
			if c.check == nil {
				continue
			}
			for _, sub := range s.subjects {
				if len(c.types) > 0 && !slices.Contains(c.types, sub.r.Type) {
					continue
				}
				if p := c.check(sub); p != "" {
					problems = append(problems, fmt.Sprintf("%q (%s): %s %s", text, c.name, sub.id, p))
				}
			}
		}
	}
	for _, loc := range claimWords.FindAllStringIndex(s.reason, -1) {
		if !covered[loc[0]] {
			problems = append(problems, fmt.Sprintf("%q in %q makes a claim no row of reasonClaims checks: add the phrase and its check", s.reason[loc[0]:loc[1]], s.reason))
		}
	}
	return problems
}

// TestSuppressionReasonsTrue: no cdk-nag suppression or Security Hub
// automation rule of any example says something about the resources it
// excuses that the templates do not do (issue 12, defect 2: a reason
// claimed the log buckets were copied to the log archive, and no template
// replicated them).
func TestSuppressionReasonsTrue(t *testing.T) {
	seen := map[string]bool{}
	for _, fx := range fixtures {
		for _, s := range suppressions(t, fx) {
			if len(s.subjects) == 0 {
				continue
			}
			for _, p := range reasonProblems(s) {
				t.Errorf("%s: %s", s.where, p)
			}
			if !claimWords.MatchString(s.reason) && !seen[s.reason] && !hasClaim(s.reason) {
				// Reasons with nothing checkable are listed (go test -v) for review.
				t.Logf("no checkable claim: %s", s.reason)
			}
			seen[s.reason] = true
		}
	}
}

func hasClaim(reason string) bool {
	for _, c := range reasonClaims {
		if c.phrase.MatchString(reason) {
			return true
		}
	}
	return false
}

// TestSuppressionReasonClaimsCatchFalseOnes: the claims table flags the
// false reasons it exists for, so that TestSuppressionReasonsTrue cannot
// pass by recognizing nothing.
func TestSuppressionReasonClaimsCatchFalseOnes(t *testing.T) {
	bucket := subject{id: "Bucket", r: resource{Type: "AWS::S3::Bucket", DeletionPolicy: "Delete", Properties: map[string]interface{}{
		"BucketEncryption": map[string]interface{}{"ServerSideEncryptionConfiguration": []interface{}{
			map[string]interface{}{"ServerSideEncryptionByDefault": map[string]interface{}{"SSEAlgorithm": "aws:kms"}}}},
	}}, template: `{"Resources":{}}`}
	for _, reason := range []string{
		// The S3.7 note and cdk-nag reason before the fix.
		"mamori log bucket: logs stay in the region and account they describe, versioned and retained; organization mode copies them to the log-archive account.",
		"Logs stay in the region and account they describe, versioned and retained; copying them to a central log archive is organization mode's job, where the log-archive account holds the copy.",
		"mamori evidence bucket with Object Lock.",
		"mamori access-log target.",
		"limited by iam:AWSServiceName to the services involved.",
		"TLS 1.2 only.",
	} {
		assertFlagged(t, reason, bucket)
	}
	assert := func(reason string) {
		t.Helper()
		if p := reasonProblems(suppression{reason: reason, subjects: []subject{bucket}}); len(p) > 0 {
			t.Errorf("%q: flagged a true reason: %v", reason, p)
		}
	}
	assert("Not replicated: mamori configures no replication for this bucket.")
	assert("mamori log bucket without Object Lock.")
}

func assertFlagged(t *testing.T, reason string, s subject) {
	t.Helper()
	if len(reasonProblems(suppression{reason: reason, subjects: []subject{s}})) == 0 {
		t.Errorf("%q: a false claim went unflagged", reason)
	}
}

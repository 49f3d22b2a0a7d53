package detection

import (
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestMain closes the jsii runtime (one Node.js process for the package) once.
func TestMain(m *testing.M) { cdktest.Main(m) }

var imports int

// secureBucket is a SecureBucket encrypted with importedKey that logs to an
// imported bucket, so that it is the only AWS::S3::Bucket in the template.
func secureBucket(stack awscdk.Stack, id string) *dataprotection.SecureBucket {
	b := dataprotection.NewSecureBucket(stack, id, &dataprotection.SecureBucketProps{
		EncryptionKey: cdktest.ImportedKey(stack),
		AccessLogs:    awss3.Bucket_FromBucketName(stack, jsii.String(id+"AccessLogs"), jsii.String("access-logs")),
	})
	awscdk.Annotations_Of(b.Bucket).AcknowledgeWarning(jsii.String("@aws-cdk/aws-s3:accessLogsPolicyNotAdded"),
		jsii.String("the test's access-log bucket is imported"))
	return b
}

// roleStatements are the policy statements a role holds, however they are
// attached: inline, through customer managed policies, or AWS::IAM::Policy.
func roleStatements(tp *cdktest.Template, roleID string) []m {
	var docs []interface{}
	role := tp.Resource(roleID)["Properties"].(m)
	if inline, ok := role["Policies"].(a); ok {
		for _, p := range inline {
			docs = append(docs, p.(m)["PolicyDocument"])
		}
	}
	refsRole := func(list interface{}) bool {
		l, _ := list.(a)
		for _, r := range l {
			if ref, ok := r.(m); ok && ref["Ref"] == roleID {
				return true
			}
		}
		return false
	}
	if arns, ok := role["ManagedPolicyArns"].(a); ok {
		for _, arn := range arns {
			if ref, ok := arn.(m)["Ref"].(string); ok {
				docs = append(docs, tp.Resource(ref)["Properties"].(m)["PolicyDocument"])
			}
		}
	}
	for _, p := range tp.Resources("AWS::IAM::Policy") {
		if props := p["Properties"].(m); refsRole(props["Roles"]) {
			docs = append(docs, props["PolicyDocument"])
		}
	}
	var out []m
	for _, d := range docs {
		for _, s := range d.(m)["Statement"].(a) {
			out = append(out, s.(m))
		}
	}
	return out
}

// actions lists every action of the Allow statements, sorted.
func actions(statements []m) []string {
	var out []string
	for _, s := range statements {
		if s["Effect"] != "Allow" {
			continue
		}
		switch v := s["Action"].(type) {
		case string:
			out = append(out, v)
		case a:
			for _, x := range v {
				out = append(out, x.(string))
			}
		}
	}
	sort.Strings(out)
	return out
}

// statementWith is the one statement that allows action; the test fails
// unless exactly one does.
func statementWith(t *testing.T, statements []m, action string) m {
	t.Helper()
	var found []m
	for _, s := range statements {
		if s["Effect"] == "Allow" && contains(actions([]m{s}), action) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d statements allow %s, want 1: %v", len(found), action, statements)
	}
	return found[0]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type (
	m = cdktest.M
	a = cdktest.A
)

func ptr[T any](v T) *T { return &v }

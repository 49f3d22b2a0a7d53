package detection

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"mamori/constructs/dataprotection"
	"mamori/constructs/sdkcall"
)

// TestMain closes the jsii runtime (one Node.js process for the package) once.
func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// cdkContext is cdk.json's context: the feature flags `cdk synth` runs with,
// so that the templates asserted on are the ones that get deployed (partition
// literals in ARNs, bucket-policy log delivery, minimized IAM policies).
func cdkContext(t *testing.T) *map[string]interface{} {
	t.Helper()
	data, err := os.ReadFile("../../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var cdk struct {
		Context map[string]interface{} `json:"context"`
	}
	if err := json.Unmarshal(data, &cdk); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	return &cdk.Context
}

var testEnv = &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")}

// newStack is an empty stack in a fixed account and region.
func newStack(t *testing.T) awscdk.Stack { t.Helper(); return newStackIn(t, testEnv) }

// newStackIn is an empty stack in env; nil env is environment-agnostic.
func newStackIn(t *testing.T, env *awscdk.Environment) awscdk.Stack {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Context: cdkContext(t)})
	return awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: env})
}

const keyArn = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"

var imports int

// importedKey is an imported KMS key with ARN keyArn; it adds no resources,
// so a test may import it as often as it likes.
func importedKey(stack awscdk.Stack) awskms.IKey {
	imports++
	return awskms.Key_FromKeyArn(stack, jsii.String(fmt.Sprintf("ImportedKey%d", imports)), jsii.String(keyArn))
}

// secureBucket is a SecureBucket encrypted with importedKey that logs to an
// imported bucket, so that it is the only AWS::S3::Bucket in the template.
func secureBucket(stack awscdk.Stack, id string) *dataprotection.SecureBucket {
	b := dataprotection.NewSecureBucket(stack, id, &dataprotection.SecureBucketProps{
		EncryptionKey: importedKey(stack),
		AccessLogs:    awss3.Bucket_FromBucketName(stack, jsii.String(id+"AccessLogs"), jsii.String("access-logs")),
	})
	awscdk.Annotations_Of(b.Bucket).AcknowledgeWarning(jsii.String("@aws-cdk/aws-s3:accessLogsPolicyNotAdded"),
		jsii.String("the test's access-log bucket is imported"))
	return b
}

func newProvider(stack awscdk.Stack) *sdkcall.Provider {
	return sdkcall.NewProvider(stack, "Calls", &sdkcall.ProviderProps{LogKey: importedKey(stack)})
}

// template synthesizes stack. Its assertion methods report a mismatch as a
// test error instead of the panic jsii turns it into, so that one failed
// assertion does not stop the rest of the package.
type template struct {
	t *testing.T
	assertions.Template
}

func synth(t *testing.T, stack awscdk.Stack) template {
	t.Helper()
	return template{t, assertions.Template_FromStack(stack, nil)}
}

func (tp template) has(typ string, props map[string]interface{}) {
	tp.t.Helper()
	check(tp.t, func() { tp.HasResourceProperties(jsii.String(typ), props) })
}

func (tp template) hasResource(typ string, resource map[string]interface{}) {
	tp.t.Helper()
	check(tp.t, func() { tp.HasResource(jsii.String(typ), resource) })
}

func (tp template) count(typ string, n int) {
	tp.t.Helper()
	check(tp.t, func() { tp.ResourceCountIs(jsii.String(typ), jsii.Number(float64(n))) })
}

// resources are the template's resources of type typ by logical ID.
func (tp template) resources(typ string) map[string]m {
	out := map[string]m{}
	for id, r := range (*tp.ToJSON())["Resources"].(m) {
		if r := r.(m); r["Type"] == typ {
			out[id] = r
		}
	}
	return out
}

// resource is the resource with this logical ID; the test fails without one.
func (tp template) resource(id string) m {
	tp.t.Helper()
	r, ok := (*tp.ToJSON())["Resources"].(m)[id].(m)
	if !ok {
		tp.t.Fatalf("no resource %s", id)
	}
	return r
}

// sdkCall decodes a Custom::AWS resource's Create, Update or Delete call: a
// JSON string, or an Fn::Join of one when the call holds tokens, whose token
// parts are replaced by "<token>". A missing call is nil.
func (tp template) sdkCall(id, which string) m {
	tp.t.Helper()
	props := tp.resource(id)["Properties"].(m)
	var text string
	switch v := props[which].(type) {
	case nil:
		return nil
	case string:
		text = v
	case m:
		join, ok := v["Fn::Join"].(a)
		if !ok || join[0] != "" {
			tp.t.Fatalf("%s.%s is neither a string nor an Fn::Join: %v", id, which, v)
		}
		var b strings.Builder
		for _, part := range join[1].(a) {
			if s, ok := part.(string); ok {
				b.WriteString(s)
			} else {
				b.WriteString("<token>")
			}
		}
		text = b.String()
	default:
		tp.t.Fatalf("%s.%s is %T", id, which, v)
	}
	var call m
	if err := json.Unmarshal([]byte(text), &call); err != nil {
		tp.t.Fatalf("%s.%s: %v in %s", id, which, err, text)
	}
	return call
}

// roleStatements are the policy statements a role holds, however they are
// attached: inline, through customer managed policies, or AWS::IAM::Policy.
func (tp template) roleStatements(roleID string) []m {
	tp.t.Helper()
	var docs []interface{}
	role := tp.resource(roleID)["Properties"].(m)
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
				docs = append(docs, tp.resource(ref)["Properties"].(m)["PolicyDocument"])
			}
		}
	}
	for _, p := range tp.resources("AWS::IAM::Policy") {
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

func check(t *testing.T, assertion func()) {
	t.Helper()
	if r := recovered(assertion); r != nil {
		t.Error(r)
	}
}

// recovered runs f and returns what it panicked with, if anything.
func recovered(f func()) (r interface{}) {
	defer func() { r = recover() }()
	f()
	return nil
}

// logicalID is the logical ID of an L1 construct, or of an L2's default resource.
func logicalID(stack awscdk.Stack, c constructs.IConstruct) string {
	for {
		if el, ok := c.(awscdk.CfnElement); ok {
			return *stack.GetLogicalId(el)
		}
		// An L2 wrapping an L2 (AwsCustomResource) nests its L1 deeper.
		c = c.Node().DefaultChild()
	}
}

// panicsWith fails unless f panics with an error whose message contains want.
func panicsWith(t *testing.T, want string, f func()) {
	t.Helper()
	r := recovered(f)
	if r == nil {
		t.Errorf("no panic; want one containing %q", want)
		return
	}
	msg := fmt.Sprint(r)
	if err, ok := r.(error); ok {
		msg = err.Error()
	}
	if !strings.Contains(msg, want) {
		t.Errorf("panic %q does not contain %q", msg, want)
	}
}

type m = map[string]interface{}
type a = []interface{}

func arr(items ...interface{}) *[]interface{} { return &items }

// like matches an object that has at least these keys; Match_ArrayWith
// otherwise compares its elements exactly.
func like(v m) assertions.Matcher { return assertions.Match_ObjectLike(&v) }

// dependsOn fails unless the one resource of type typ that matches resource
// (a HasResource pattern) depends on each of ids, in any order.
func (tp template) dependsOn(typ string, resource m, ids ...string) {
	tp.t.Helper()
	var id *string
	if r := recovered(func() { id = tp.GetResourceId(jsii.String(typ), resource) }); r != nil {
		tp.t.Error(r)
		return
	}
	deps, _ := tp.resource(*id)["DependsOn"].(a)
	for _, want := range ids {
		if !assert.Contains(tp.t, deps, want, "%s DependsOn", *id) {
			return
		}
	}
}

func ptr[T any](v T) *T { return &v }

package dataprotection

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// TestMain closes the jsii runtime (one Node.js process for the package) once.
func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// cdkContext is cdk.json's context: the feature flags `cdk synth` runs with,
// so that the templates asserted on are the ones that get deployed. (Without
// @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy, CDK grants log delivery
// through an ACL, which a BucketOwnerEnforced bucket refuses.)
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

// newStack is an empty stack in a fixed account and region.
func newStack(t *testing.T) awscdk.Stack {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Context: cdkContext(t)})
	return awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
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
	if el, ok := c.(awscdk.CfnElement); ok {
		return *stack.GetLogicalId(el)
	}
	return *stack.GetLogicalId(c.Node().DefaultChild().(awscdk.CfnElement))
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

// Package cdktest holds the helpers mamori's CDK unit tests share: stacks
// synthesized with cdk.json's context, a Template whose assertions report a
// mismatch with t.Error instead of the panic jsii turns it into, and the
// small matchers and decoders the tests are written with.
//
// It is imported by _test.go files only. Each test package keeps its own
// TestMain, calling Main, so that the package's Node.js process is closed
// once per test binary.
package cdktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
)

// Main runs the package's tests, then closes the jsii runtime (the one
// Node.js process a test binary starts) and exits with the tests' code.
// Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// M and A spell the JSON objects and arrays that templates are made of.
type (
	M = map[string]interface{}
	A = []interface{}
)

// Arr is items as the *[]interface{} the assertions matchers take.
func Arr(items ...interface{}) *[]interface{} { return &items }

// Like matches an object that has at least these keys; Match_ArrayWith
// otherwise compares its elements exactly.
func Like(v M) assertions.Matcher { return assertions.Match_ObjectLike(&v) }

// Env is the fixed account and region test stacks live in.
var Env = &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")}

// RepoRoot is the directory holding go.mod, found by walking up from the
// working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cdktest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// ReadContext is the "context" of root's cdk.json: the feature flags
// `cdk synth` passes to the app, so that tests synthesize exactly what the
// CLI would (partition literals in ARNs, bucket-policy log delivery,
// minimized IAM policies).
func ReadContext(root string) (map[string]interface{}, error) {
	data, err := os.ReadFile(filepath.Join(root, "cdk.json"))
	if err != nil {
		return nil, err
	}
	var cdk struct {
		Context map[string]interface{} `json:"context"`
	}
	if err := json.Unmarshal(data, &cdk); err != nil {
		return nil, fmt.Errorf("cdk.json: %w", err)
	}
	return cdk.Context, nil
}

// Context is the repository's cdk.json context, ready for
// awscdk.AppProps.Context; the test stops if it cannot be read.
func Context(t testing.TB) *map[string]interface{} {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := ReadContext(root)
	if err != nil {
		t.Fatal(err)
	}
	return &ctx
}

// NewStack is an empty stack "Test" in env (Env for the fixed account and
// region, nil for an environment-agnostic one), in a new app synthesized
// with cdk.json's context.
func NewStack(t testing.TB, env *awscdk.Environment) awscdk.Stack {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Context: Context(t)})
	return awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: env})
}

// Template is a synthesized stack. Its assertion methods report a mismatch
// as a test error instead of the panic jsii turns it into, so that one
// failed assertion does not stop the rest of the package. HasResource
// shadows the embedded assertions.Template method of that name.
type Template struct {
	t testing.TB
	assertions.Template
}

// Synth synthesizes stack.
func Synth(t testing.TB, stack awscdk.Stack) *Template {
	t.Helper()
	return &Template{t, assertions.Template_FromStack(stack, nil)}
}

// Has fails unless a resource of type typ has properties matching props.
func (tp *Template) Has(typ string, props M) {
	tp.t.Helper()
	check(tp.t, func() { tp.HasResourceProperties(jsii.String(typ), props) })
}

// HasResource fails unless a resource of type typ matches resource, a
// pattern for the whole resource (Properties, DependsOn, DeletionPolicy...).
func (tp *Template) HasResource(typ string, resource M) {
	tp.t.Helper()
	check(tp.t, func() { tp.Template.HasResource(jsii.String(typ), resource) })
}

// Count fails unless the template has exactly n resources of type typ.
func (tp *Template) Count(typ string, n int) {
	tp.t.Helper()
	check(tp.t, func() { tp.ResourceCountIs(jsii.String(typ), jsii.Number(float64(n))) })
}

// Resources are the template's resources of type typ by logical ID.
func (tp *Template) Resources(typ string) map[string]M {
	out := map[string]M{}
	for id, r := range (*tp.ToJSON())["Resources"].(M) {
		if r := r.(M); r["Type"] == typ {
			out[id] = r
		}
	}
	return out
}

// Resource is the resource with this logical ID; the test stops without one.
func (tp *Template) Resource(id string) M {
	tp.t.Helper()
	r, ok := (*tp.ToJSON())["Resources"].(M)[id].(M)
	if !ok {
		tp.t.Fatalf("no resource %s", id)
	}
	return r
}

// SdkCall decodes the Create, Update or Delete call (which) of the
// Custom::AWS resource id: a JSON string, or an Fn::Join of one when the
// call holds tokens, whose token parts become "<token>". A missing call is
// nil; one that does not decode stops the test.
func (tp *Template) SdkCall(id, which string) M {
	tp.t.Helper()
	call, err := decodeCall(tp.Resource(id)["Properties"].(M)[which])
	if err != nil {
		tp.t.Fatalf("%s.%s: %v", id, which, err)
	}
	return call
}

func decodeCall(v interface{}) (M, error) {
	var text string
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		text = v
	case M:
		join, ok := v["Fn::Join"].(A)
		if !ok || len(join) != 2 || join[0] != "" {
			return nil, fmt.Errorf("neither a string nor an Fn::Join: %v", v)
		}
		parts, _ := join[1].(A)
		var b strings.Builder
		for _, part := range parts {
			if s, ok := part.(string); ok {
				b.WriteString(s)
			} else {
				b.WriteString("<token>")
			}
		}
		text = b.String()
	default:
		return nil, fmt.Errorf("is %T", v)
	}
	var call M
	if err := json.Unmarshal([]byte(text), &call); err != nil {
		return nil, fmt.Errorf("%v in %s", err, text)
	}
	return call, nil
}

// DependsOn fails unless the one resource of type typ that matches resource
// (a HasResource pattern) depends on each of ids, in any order.
func (tp *Template) DependsOn(typ string, resource M, ids ...string) {
	tp.t.Helper()
	var id *string
	if r := Recovered(func() { id = tp.GetResourceId(jsii.String(typ), resource) }); r != nil {
		tp.t.Error(r)
		return
	}
	deps, _ := tp.Resource(*id)["DependsOn"].(A)
	for _, want := range ids {
		if !assert.Contains(tp.t, deps, want, "%s DependsOn", *id) {
			return
		}
	}
}

// check reports what assertion panics with as a test error.
func check(t testing.TB, assertion func()) {
	t.Helper()
	if r := Recovered(assertion); r != nil {
		t.Error(r)
	}
}

// Recovered runs f and returns what it panicked with, if anything.
func Recovered(f func()) (r interface{}) {
	defer func() { r = recover() }()
	f()
	return nil
}

// PanicsWith fails unless f panics with a message (an error's, or the
// printed value) that contains want.
func PanicsWith(t testing.TB, want string, f func()) {
	t.Helper()
	r := Recovered(f)
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

// LogicalID is the logical ID of an L1 construct, or of the L1 an L2 (or
// an L2 wrapping an L2, like AwsCustomResource) has as its default child.
func LogicalID(stack awscdk.Stack, c constructs.IConstruct) string {
	for {
		if el, ok := c.(awscdk.CfnElement); ok {
			return *stack.GetLogicalId(el)
		}
		c = c.Node().DefaultChild()
	}
}

package preflight

import (
	"context"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCallsTableMatchesInterfaces: the calls table lists exactly the
// methods of the client interfaces, each with an IAM action of the form
// service:Action, so the policy grants what the code can call and no more.
func TestCallsTableMatchesInterfaces(t *testing.T) {
	var methods []string
	ct := reflect.TypeOf(Clients{})
	for i := range ct.NumField() {
		it := ct.Field(i).Type
		for j := range it.NumMethod() {
			methods = append(methods, it.Name()+"."+it.Method(j).Name)
		}
	}
	var table []string
	action := regexp.MustCompile(`^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$`)
	for _, c := range calls {
		table = append(table, c.Client+"."+c.Method)
		if !action.MatchString(c.Action) {
			t.Errorf("%s.%s: action %q is not service:Action", c.Client, c.Method, c.Action)
		}
		if !strings.HasPrefix(c.Method, "Describe") && !strings.HasPrefix(c.Method, "Get") && !strings.HasPrefix(c.Method, "List") && !strings.HasPrefix(c.Method, "BatchGet") {
			t.Errorf("%s.%s: not a read", c.Client, c.Method)
		}
	}
	slices.Sort(methods)
	slices.Sort(table)
	if !slices.Equal(methods, table) {
		t.Errorf("interface methods %v\ncalls table      %v", methods, table)
	}
}

// TestEveryCallIsExercised: the account states between them make every call
// of the table, so none of it is dead (and each was stubbed as documented).
func TestEveryCallIsExercised(t *testing.T) {
	made := map[string]bool{}
	record := func(w *world) {
		for k := range w.calls {
			made[k] = true
		}
	}
	for _, s := range states(t) {
		runState(s)
		record(s.world)
	}
	// A root target lists the whole organization's accounts.
	w := orgWorld()
	Run(context.Background(), parse(t, strings.Replace(organization, "[ou-ab12-11111111]", "[r-ab12]", 1)), w, Options{Sleep: func(time.Duration) {}})
	record(w)
	for _, c := range calls {
		if !made[c.Client+"."+c.Method] {
			t.Errorf("no account state calls %s.%s", c.Client, c.Method)
		}
	}
}

// TestPolicyInDocs: docs/preflight.md shows the policy Policy generates, so
// the documented policy cannot drift from the calls preflight makes.
func TestPolicyInDocs(t *testing.T) {
	doc, err := os.ReadFile("../../docs/preflight.md")
	if err != nil {
		t.Fatal(err)
	}
	want := "```json\n" + Policy(DefaultRoleName) + "\n```"
	if !strings.Contains(string(doc), want) {
		t.Errorf("docs/preflight.md does not contain the generated policy; replace its policy block with the output of\n  go run ./cmd/mamori-preflight -policy\n%s", want)
	}
}

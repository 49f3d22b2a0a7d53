package response

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

// No EventBridge pattern library is available from the module proxy this
// project builds with, so matches implements EventBridge's matching for
// exactly what mamori's patterns use: objects of keys whose leaves are lists
// of exact values. An event array at any level is flattened, so each leaf
// condition holds when any element satisfies it, as EventBridge does.
// Any other operator (prefix, anything-but, numeric, exists...) stops the
// test rather than being guessed at.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
func matches(t *testing.T, pattern m, event interface{}) bool {
	t.Helper()
	return matchObject(t, pattern, []interface{}{event})
}

func matchObject(t *testing.T, pattern m, nodes []interface{}) bool {
	t.Helper()
	for key, want := range pattern {
		var children []interface{}
		for _, n := range nodes {
			if obj, ok := n.(map[string]interface{}); ok {
				if v, ok := obj[key]; ok {
					children = append(children, flatten(v)...)
				}
			}
		}
		if len(children) == 0 {
			return false
		}
		switch w := want.(type) {
		case map[string]interface{}:
			if !matchObject(t, w, children) {
				return false
			}
		case []interface{}:
			if !anyEqual(t, w, children) {
				return false
			}
		default:
			t.Fatalf("pattern key %q: a leaf must be a list of values, not %T", key, want)
		}
	}
	return true
}

func flatten(v interface{}) []interface{} {
	list, ok := v.([]interface{})
	if !ok {
		return []interface{}{v}
	}
	var out []interface{}
	for _, item := range list {
		out = append(out, flatten(item)...)
	}
	return out
}

func anyEqual(t *testing.T, want, got []interface{}) bool {
	t.Helper()
	for _, w := range want {
		switch w.(type) {
		case string, float64, bool, nil:
		default:
			t.Fatalf("pattern value %v: content filters (prefix, anything-but, numeric, exists...) are not implemented", w)
		}
		for _, g := range got {
			if w == g {
				return true
			}
		}
	}
	return false
}

func TestMatcher(t *testing.T) {
	event := m{"source": "x", "detail": m{"items": a{m{"k": "one"}, m{"k": "two", "n": 2.0}}}}
	for _, c := range []struct {
		pattern m
		want    bool
	}{
		{m{"source": a{"x"}}, true},
		{m{"source": a{"y", "x"}}, true},
		{m{"source": a{"y"}}, false},
		{m{"missing": a{"x"}}, false},
		{m{"detail": m{"items": m{"k": a{"two"}}}}, true},
		{m{"detail": m{"items": m{"k": a{"three"}}}}, false},
		{m{"detail": m{"items": m{"n": a{2.0}}}}, true},
		// Conditions on different array elements each hold, as in EventBridge.
		{m{"detail": m{"items": m{"k": a{"one"}, "n": a{2.0}}}}, true},
		{m{"source": a{"x"}, "detail": m{"items": m{"k": a{"three"}}}}, false},
	} {
		assert.Equal(t, c.want, matches(t, c.pattern, event), "%v", c.pattern)
	}
}

// events are the sample events in testdata/events, by file name without .json.
func events(t *testing.T) map[string]m {
	t.Helper()
	files, err := filepath.Glob("testdata/events/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample events: %v", err)
	}
	out := map[string]m{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var e m
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = e
	}
	return out
}

// resolve turns the intrinsic functions a pattern can hold into the values
// CloudFormation gives them in the test stack's account and region.
func resolve(t *testing.T, v interface{}) interface{} {
	t.Helper()
	switch v := v.(type) {
	case map[string]interface{}:
		if ref, ok := v["Ref"]; ok {
			switch ref {
			case "AWS::Partition":
				return "aws"
			case "AWS::Region":
				return *cdktest.Env.Region
			case "AWS::AccountId":
				return *cdktest.Env.Account
			}
			t.Fatalf("cannot resolve %v", v)
		}
		if join, ok := v["Fn::Join"].([]interface{}); ok {
			var parts []string
			for _, p := range join[1].([]interface{}) {
				parts = append(parts, resolve(t, p).(string))
			}
			return strings.Join(parts, join[0].(string))
		}
		out := m{}
		for k, x := range v {
			out[k] = resolve(t, x)
		}
		return out
	case []interface{}:
		out := a{}
		for _, x := range v {
			out = append(out, resolve(t, x))
		}
		return out
	}
	return v
}

// rules are the stack's EventBridge rules: pattern and input paths, by
// logical ID.
func rules(t *testing.T, tp *cdktest.Template) map[string]m {
	out := map[string]m{}
	for id, r := range tp.Resources("AWS::Events::Rule") {
		out[id] = r["Properties"].(m)
	}
	return out
}

// matching lists the sample events a rule's pattern matches, sorted.
func matching(t *testing.T, rule m, samples map[string]m) []string {
	t.Helper()
	pattern := resolve(t, rule["EventPattern"]).(m)
	var out []string
	for name, e := range samples {
		if matches(t, pattern, e) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

var pathStep = regexp.MustCompile(`^([A-Za-z-]+)(?:\[(\d+)\])?$`)

// at evaluates an input-transformer path such as $.detail.findings[0].Id.
func at(t *testing.T, event m, path string) interface{} {
	t.Helper()
	var cur interface{} = event
	for _, step := range strings.Split(strings.TrimPrefix(path, "$."), ".") {
		s := pathStep.FindStringSubmatch(step)
		if s == nil {
			t.Fatalf("path %s: cannot read step %q", path, step)
		}
		obj, ok := cur.(map[string]interface{})
		if !ok {
			return nil
		}
		cur = obj[s[1]]
		if s[2] != "" {
			i, _ := strconv.Atoi(s[2])
			list, ok := cur.([]interface{})
			if !ok || i >= len(list) {
				return nil
			}
			cur = list[i]
		}
	}
	return cur
}

// assertMessageFilled checks that every path the rule's message reads is a
// non-empty string in each matching event: no notification arrives with a
// blank title, severity, account, region, resource or link.
func assertMessageFilled(t *testing.T, rule m, samples map[string]m, names []string) {
	t.Helper()
	targets := rule["Targets"].([]interface{})
	paths := targets[0].(m)["InputTransformer"].(m)["InputPathsMap"].(m)
	for _, name := range names {
		for key, p := range paths {
			v, ok := at(t, samples[name], p.(string)).(string)
			assert.True(t, ok && v != "", "%s: message field %s (%s) is empty", name, key, p)
		}
	}
}

func TestFindingNotificationsMatchSampleEvents(t *testing.T) {
	samples := events(t)
	for _, c := range []struct {
		min  SeverityLabel
		want []string
	}{
		{"", []string{ // HIGH
			"securityhub-control-critical-new",
			"securityhub-guardduty-high-new",
			"securityhub-macie-high-new",
		}},
		{"MEDIUM", []string{
			"securityhub-control-critical-new",
			"securityhub-guardduty-high-new",
			"securityhub-inspector-medium-new",
			"securityhub-macie-high-new",
		}},
		{"CRITICAL", []string{"securityhub-control-critical-new"}},
	} {
		t.Run(string(c.min), func(t *testing.T) {
			stack := cdktest.NewStack(t, cdktest.Env)
			NewFindingNotifications(stack, "Findings", &FindingNotificationsProps{Topic: importedTopic(stack), MinimumSeverity: c.min})
			rs := rules(t, cdktest.Synth(t, stack))
			if len(rs) != 1 {
				t.Fatalf("%d rules, want 1", len(rs))
			}
			for _, rule := range rs {
				got := matching(t, rule, samples)
				// Suppressed, notified and archived findings, GuardDuty's own
				// events (they arrive through Security Hub) and custom-action
				// events never match.
				assert.Equal(t, c.want, got)
				assertMessageFilled(t, rule, samples, got)
			}
		})
	}
}

func TestCustomActionsMatchSampleEvents(t *testing.T) {
	samples := events(t)
	stack := cdktest.NewStack(t, cdktest.Env)
	NewCustomActions(stack, "Actions", &CustomActionsProps{
		Topic: importedTopic(stack), Calls: calltest.NewProvider(stack),
		Actions: []CustomAction{
			{ID: "SendToOnCall", Name: "Send to on-call", Description: "Page the on-call responder"},
			{ID: "OpenInvestigation", Name: "Open investigation", Description: "Start an investigation"},
		},
	})
	for _, rule := range rules(t, cdktest.Synth(t, stack)) {
		got := matching(t, rule, samples)
		assert.Equal(t, []string{"securityhub-custom-action-send-to-on-call"}, got)
		assertMessageFilled(t, rule, samples, got)
	}
}

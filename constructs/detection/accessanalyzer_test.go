package detection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

func TestAccessAnalyzerDefaults(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	aa := NewAccessAnalyzer(stack, "AccessAnalyzer", nil)
	tp := cdktest.Synth(t, stack)

	tp.Count("AWS::AccessAnalyzer::Analyzer", 1)
	tp.Has("AWS::AccessAnalyzer::Analyzer", m{"Type": "ACCOUNT", "AnalyzerConfiguration": assertions.Match_Absent()})
	tp.HasResource("AWS::AccessAnalyzer::Analyzer", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	assert.NotNil(t, aa.ExternalAccess)
	assert.Nil(t, aa.UnusedAccess)
}

func TestAccessAnalyzerUnusedAccess(t *testing.T) {
	tests := []struct {
		name     string
		props    AccessAnalyzerProps
		types    []string
		deletion string
	}{
		{"account", AccessAnalyzerProps{UnusedAccessAgeDays: 90}, []string{"ACCOUNT", "ACCOUNT_UNUSED_ACCESS"}, "Retain"},
		{"organization", AccessAnalyzerProps{Zone: OrganizationZone, UnusedAccessAgeDays: 90}, []string{"ORGANIZATION", "ORGANIZATION_UNUSED_ACCESS"}, "Retain"},
		{"unused only", AccessAnalyzerProps{SkipExternalAccess: true, UnusedAccessAgeDays: 90}, []string{"ACCOUNT_UNUSED_ACCESS"}, "Retain"},
		{"destroyed", AccessAnalyzerProps{UnusedAccessAgeDays: 90, DestroyOnDelete: true}, []string{"ACCOUNT", "ACCOUNT_UNUSED_ACCESS"}, "Delete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stack := cdktest.NewStack(t, cdktest.Env)
			NewAccessAnalyzer(stack, "AccessAnalyzer", &tc.props)
			tp := cdktest.Synth(t, stack)

			tp.Count("AWS::AccessAnalyzer::Analyzer", len(tc.types))
			for _, typ := range tc.types {
				props := m{"Type": typ, "AnalyzerConfiguration": assertions.Match_Absent()}
				if typ == "ACCOUNT_UNUSED_ACCESS" || typ == "ORGANIZATION_UNUSED_ACCESS" {
					props["AnalyzerConfiguration"] = assertions.Match_Exact(m{"UnusedAccessConfiguration": m{"UnusedAccessAge": 90}})
				}
				tp.HasResource("AWS::AccessAnalyzer::Analyzer", m{
					"Properties":          props,
					"DeletionPolicy":      tc.deletion,
					"UpdateReplacePolicy": tc.deletion,
				})
			}
		})
	}
}

func TestAccessAnalyzerUnusedAccessAge(t *testing.T) {
	for _, days := range []int{1, 365} {
		stack := cdktest.NewStack(t, cdktest.Env)
		NewAccessAnalyzer(stack, "AccessAnalyzer", &AccessAnalyzerProps{SkipExternalAccess: true, UnusedAccessAgeDays: days})
		cdktest.Synth(t, stack).Has("AWS::AccessAnalyzer::Analyzer", m{
			"AnalyzerConfiguration": m{"UnusedAccessConfiguration": m{"UnusedAccessAge": days}},
		})
	}
}

func TestAccessAnalyzerPanics(t *testing.T) {
	for _, tc := range []struct {
		props AccessAnalyzerProps
		want  string
	}{
		{AccessAnalyzerProps{Zone: "ORGANIZATION_UNUSED_ACCESS"}, `detection.NewAccessAnalyzer "AccessAnalyzer": unknown zone "ORGANIZATION_UNUSED_ACCESS"`},
		{AccessAnalyzerProps{UnusedAccessAgeDays: -1}, "UnusedAccessAgeDays -1 must be 1 to 365"},
		{AccessAnalyzerProps{UnusedAccessAgeDays: 366}, "UnusedAccessAgeDays 366 must be 1 to 365"},
	} {
		cdktest.PanicsWith(t, tc.want, func() { NewAccessAnalyzer(cdktest.NewStack(t, cdktest.Env), "AccessAnalyzer", &tc.props) })
	}
}

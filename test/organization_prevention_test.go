package test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/prevention"
)

// TestOrganizationPrevention: every SCP and RCP the prevention layer
// synthesizes stays within Organizations' size quota with margin, at most
// three of a type attach to one target (beside AWS's full-access policy and
// one of the organization's own), every policy waits for its policy type,
// the stack lives in the management account, and the member baseline leaves
// S3 Block Public Access to the S3 policy when that reaches every member.
func TestOrganizationPrevention(t *testing.T) {
	seen := false
	for _, fx := range fixtures {
		c := fx.config
		if c.Topology.Mode != config.ModeOrganization || !c.Prevention.Enabled {
			continue
		}
		seen = true
		stack := c.Prefix + "-org-prevention-" + c.HomeRegion
		assert.Equal(t, "aws://"+c.Topology.Organization.ManagementAccountID+"/"+c.HomeRegion, fx.environments[stack])
		perTarget := map[string]map[string]int{}
		for id, r := range fx.resources(t, stack) {
			if r.Type != "AWS::Organizations::Policy" {
				continue
			}
			where := fx.name + "/" + stack + "/" + id
			typ := r.Properties["Type"].(string)
			raw, err := json.Marshal(r.Properties["Content"])
			assert.NoError(t, err)
			switch typ {
			case "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY":
				assert.LessOrEqual(t, len([]rune(string(raw))), prevention.PackLimit, where)
			default:
				assert.LessOrEqual(t, len([]rune(string(raw))), prevention.MaxDeclarativePolicyChars, where)
			}
			for _, target := range r.Properties["TargetIds"].([]interface{}) {
				if perTarget[target.(string)] == nil {
					perTarget[target.(string)] = map[string]int{}
				}
				perTarget[target.(string)][typ]++
			}
		}
		assert.NotEmpty(t, perTarget, fx.name)
		for target, counts := range perTarget {
			assert.LessOrEqual(t, counts["SERVICE_CONTROL_POLICY"], prevention.MaxOwnPerTarget, target)
			assert.LessOrEqual(t, counts["RESOURCE_CONTROL_POLICY"], prevention.MaxOwnPerTarget, target)
		}
		for target := range perTarget {
			assert.True(t, slices.Contains(c.Prevention.Targets, target), target)
		}
		members := 0
		for _, name := range fx.stackNames() {
			if !strings.HasSuffix(name, c.Prefix+"-member-baseline") {
				continue
			}
			members++
			for id, r := range fx.resources(t, name) {
				if c.Prevention.S3BlockPublicAccess {
					assert.NotEqual(t, "Custom::S3AccountPublicAccessBlock", r.Type, "%s/%s: the S3 policy sets it", fx.name, id)
				}
			}
		}
		assert.Equal(t, 1, members, "%s: the member template", fx.name)
	}
	assert.True(t, seen, "no example turns the prevention layer on")
}

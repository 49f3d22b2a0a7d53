package test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTrailsRecordEverything: every trail records every region and global
// service, validates its log files, is encrypted with the logs key and feeds
// a log group, in every fixture whose config turns it on.
func TestTrailsRecordEverything(t *testing.T) {
	trails := map[string]int{}
	eachResource(t, "AWS::CloudTrail::Trail", func(fx *fixture, where string, r resource) {
		trails[fx.name]++
		for _, k := range []string{"IsLogging", "IsMultiRegionTrail", "IncludeGlobalServiceEvents", "EnableLogFileValidation"} {
			assert.Equal(t, true, r.Properties[k], "%s: %s", where, k)
		}
		// An organization trail encrypts with the log archive's key
		// (TestOrganizationTrail).
		if r.Properties["IsOrganizationTrail"] != true {
			assert.Contains(t, jsonOf(r.Properties["KMSKeyId"]), "LogsKey", where)
		}
		assert.NotEmpty(t, r.Properties["CloudWatchLogsLogGroupArn"], where)
		assert.Contains(t, jsonOf(r.Properties["EventSelectors"]), `"IncludeManagementEvents":true,"ReadWriteType":"All"`, where)
	})
	for _, fx := range fixtures {
		want := 0
		if fx.config.Compliance.Trail.Enabled {
			want = 1
		}
		assert.Equal(t, want, trails[fx.name], "%s: one multi-region trail", fx.name)
	}
}

// TestEvidenceLockedForRetention: every evidence bucket that can be locked
// is, in the configured mode, for exactly logs.retentionDays, and expires
// then; evidence is retained even where destroyOnDelete is set.
func TestEvidenceLockedForRetention(t *testing.T) {
	eachResource(t, "AWS::S3::Bucket", func(fx *fixture, where string, r resource) {
		if r.Metadata["mamori:evidence"] != true {
			return
		}
		assert.Equal(t, "Retain", r.DeletionPolicy, where)
		days := float64(fx.config.Logs.RetentionDays)
		assert.Contains(t, jsonOf(r.Properties["LifecycleConfiguration"]), `"ExpirationInDays":`+jsonOf(days), where)
		if path, _ := r.Metadata["aws:cdk:path"].(string); strings.Contains(path, "/AccessLogsBucket/") {
			return // S3 refuses a default retention on access-log targets
		}
		assert.Equal(t, true, r.Properties["ObjectLockEnabled"], where)
		assert.Equal(t, map[string]interface{}{
			"ObjectLockEnabled": "Enabled",
			"Rule": map[string]interface{}{"DefaultRetention": map[string]interface{}{
				"Mode": string(fx.config.Compliance.Trail.ObjectLockMode), "Days": days,
			}},
		}, r.Properties["ObjectLockConfiguration"], where)
	})
}

// TestCISAlarmsReachTheAlertsTopic: with a trail and CIS alarms, every alarm
// notifies the alerts topic (the organization trail's own, in the management
// account), whose key and policy admit CloudWatch.
func TestCISAlarmsReachTheAlertsTopic(t *testing.T) {
	for _, fx := range fixtures {
		alarms := 0
		for _, stack := range fx.stackNames() {
			for id, r := range fx.resources(t, stack) {
				if r.Type != "AWS::CloudWatch::Alarm" {
					continue
				}
				alarms++
				assert.Regexp(t, `OutputRefAlerts|"Ref":"Alerts`, jsonOf(r.Properties["AlarmActions"]), "%s/%s/%s", fx.name, stack, id)
			}
		}
		c := fx.config.Compliance.Trail
		if c.Enabled && c.CISAlarms {
			assert.GreaterOrEqual(t, alarms, 14, fx.name)
		}
	}
}

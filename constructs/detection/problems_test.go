package detection

import (
	"testing"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestEveryProblemAtOnce: a constructor given several invalid props lists
// them all in one panic, not only the first.
func TestEveryProblemAtOnce(t *testing.T) {
	one := 1
	cdktest.PanicsWith(t, `detection.NewSecurityHub "SecurityHub": control "1.4" is disabled in "cis-aws-foundations-benchmark", which is not enabled; unknown standard "nope"; control parameters for "1.1" need a security control ID and at least one parameter; parameter x of 1.1 sets 2 values; exactly one is allowed`, func() {
		NewSecurityHub(cdktest.NewStack(t, cdktest.Env), "SecurityHub", &SecurityHubProps{
			Standards:         []Standard{"nope"},
			DisabledControls:  []DisabledControl{{Standard: CISFoundations, Control: "1.4", Reason: "r"}},
			ControlParameters: []ControlParameters{{Control: "1.1", Parameters: map[string]ParameterValue{"x": {Integer: &one, IntegerList: []int{1}}}}},
		})
	})
	cdktest.PanicsWith(t, `detection.NewInspector "Inspector": Calls is required; at least one scan type must be on; CIS scans need EC2 scanning; CIS level "LEVEL_3" must be LEVEL_1 or LEVEL_2`, func() {
		NewInspector(cdktest.NewStack(t, cdktest.Env), "Inspector", &InspectorProps{
			Scan:    &ScanTypes{},
			CISScan: &CISScanSchedule{Level: "LEVEL_3", Frequency: "DAILY", TimeOfDay: "01:00", TimeZone: "UTC", TargetTags: map[string][]string{"a": {"b"}}},
		})
	})
	cdktest.PanicsWith(t, `detection.NewGuardDuty "GuardDuty": FindingsBucket and FindingsKey go together; malware-scanned bucket "A" needs a valid name`, func() {
		stack := cdktest.NewStack(t, cdktest.Env)
		NewGuardDuty(stack, "GuardDuty", &GuardDutyProps{FindingsKey: cdktest.ImportedKey(stack), MalwareScannedBuckets: []MalwareScannedBucket{{BucketName: "A"}}})
	})
	cdktest.PanicsWith(t, `detection.FindingSuppression: suppression "" needs a name, controls, 1 to 20 resources and a reason of at most 512 characters; suppression "" would take rule order 1001; Security Hub allows 1 to 1000; suppression "": "x" is not a security control ID`, func() {
		NewFindingSuppressions(cdktest.NewStack(t, cdktest.Env), "Suppressions", []FindingSuppression{{Controls: []string{"x"}}}, 1001)
	})
	cdktest.PanicsWith(t, `detection.NewConfigRecorder "Config": Bucket and Key are required; Calls is required with AdoptExisting; "EC2::Instance" is not a resource type`, func() {
		NewConfigRecorder(cdktest.NewStack(t, cdktest.Env), "Config", &ConfigRecorderProps{AdoptExisting: true, ExcludedResourceTypes: []string{"EC2::Instance"}})
	})
	cdktest.PanicsWith(t, `detection.NewAccessAnalyzer "Analyzer": unknown zone "WORLD"; UnusedAccessAgeDays 400 must be 1 to 365`, func() {
		NewAccessAnalyzer(cdktest.NewStack(t, cdktest.Env), "Analyzer", &AccessAnalyzerProps{Zone: "WORLD", UnusedAccessAgeDays: 400})
	})
}

package detection

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

// inspectorCall is the Custom::AWS call Inspector's API receives.
func inspectorCall(action, physicalID string, params m) m {
	return m{
		"service":            "Inspector2",
		"action":             action,
		"parameters":         params,
		"physicalResourceId": m{"id": physicalID},
		"outputPaths":        a{},
	}
}

func newInspector(t *testing.T, props InspectorProps) (awscdk.Stack, *Inspector, *sdkcall.Provider) {
	t.Helper()
	stack := cdktest.NewStack(t, cdktest.Env)
	props.Calls = calltest.NewProvider(stack)
	return stack, NewInspector(stack, "Inspector", &props), props.Calls
}

// callID is the logical ID of the Inspector construct's call named id, or ""
// when there is none.
func callID(stack awscdk.Stack, in *Inspector, id string) string {
	c := in.Scope.Node().TryFindChild(jsii.String(id))
	if c == nil {
		return ""
	}
	return cdktest.LogicalID(stack, c)
}

// enablement is the Inspector enablement resource's properties.
func enablement(tp *cdktest.Template, id string) m {
	return tp.Resource(id)["Properties"].(m)
}

func TestInspectorEnable(t *testing.T) {
	stack, in, calls := newInspector(t, InspectorProps{Scan: &ScanTypes{EC2: true, ECR: true}})
	tp := cdktest.Synth(t, stack)

	enable, disable := cdktest.LogicalID(stack, in.Enablement), callID(stack, in, "DisableUnused")
	// Enablement waits for Inspector through a handler under the provider
	// framework; only the follow-up calls are plain SDK calls.
	tp.Count("Custom::InspectorEnablement", 1)
	tp.Count("Custom::AWS", 1)
	props := enablement(tp, enable)
	assert.Equal(t, a{"EC2", "ECR"}, props["ResourceTypes"])
	assert.Equal(t, false, props["DisableOnDelete"], "Inspector stays on when the stack goes")

	// Types left off are disabled, so the account matches the configuration.
	want := inspectorCall("Disable", "inspector2-disable-unused", m{"resourceTypes": a{"LAMBDA", "LAMBDA_CODE"}})
	assert.Equal(t, want, tp.SdkCall(disable, "Create"))
	assert.Equal(t, want, tp.SdkCall(disable, "Update"))
	assert.Nil(t, tp.SdkCall(disable, "Delete"))
	tp.DependsOn("Custom::AWS", m{"Properties": m{"Create": assertions.Match_SerializedJson(cdktest.Like(m{"action": "Disable"}))}}, enable)

	// No AWS SDK download at run time: it would need internet access.
	for id, r := range tp.Resources("Custom::AWS") {
		assert.Equal(t, false, r["Properties"].(m)["InstallLatestAwsSdk"], id)
	}
	tp.Count("AWS::InspectorV2::CisScanConfiguration", 0)

	// The handler is an asset of its one file, run on a role of its own.
	tp.Has("AWS::Lambda::Function", m{
		"Handler": "inspector-enable.handler",
		"Runtime": "nodejs24.x",
		"Role":    m{"Fn::GetAtt": a{enableRole(stack, calls), "Arn"}},
	})

	statements := roleStatements(tp, enableRole(stack, calls))
	for _, action := range []string{"inspector2:Enable", "inspector2:BatchGetAccountStatus"} {
		assert.Equal(t, "*", statementWith(t, statements, action)["Resource"], action)
	}
	// DisableUnused runs on the provider's shared role.
	shared := roleStatements(tp, cdktest.LogicalID(stack, calls.Role))
	assert.Equal(t, "*", statementWith(t, shared, "inspector2:Disable")["Resource"])
	assert.NotContains(t, actions(statements), "inspector2:UpdateConfiguration")
	slr := statementWith(t, statements, "iam:CreateServiceLinkedRole")
	assert.Equal(t, "arn:aws:iam::111111111111:role/aws-service-role/*inspector2.amazonaws.com/*", slr["Resource"])
	assert.Equal(t, m{"StringEquals": m{"iam:AWSServiceName": a{"inspector2.amazonaws.com", "agentless.inspector2.amazonaws.com"}}}, slr["Condition"])
	assert.Equal(t, []string{
		"iam:CreateServiceLinkedRole", "inspector2:BatchGetAccountStatus", "inspector2:Enable", "logs:CreateLogStream", "logs:PutLogEvents",
	}, actions(statements))
}

func TestInspectorAllTypes(t *testing.T) {
	stack, in, calls := newInspector(t, InspectorProps{Scan: &ScanTypes{EC2: true, ECR: true, Lambda: true, LambdaCode: true}})
	tp := cdktest.Synth(t, stack)

	tp.Count("Custom::AWS", 0)
	assert.Equal(t, a{"EC2", "ECR", "LAMBDA", "LAMBDA_CODE"}, enablement(tp, cdktest.LogicalID(stack, in.Enablement))["ResourceTypes"])
	assert.Empty(t, callID(stack, in, "DisableUnused"))
	assert.NotContains(t, actions(roleStatements(tp, enableRole(stack, calls))), "inspector2:Disable")
}

// enableRole is the logical ID of the enablement handler's own role.
func enableRole(stack awscdk.Stack, calls *sdkcall.Provider) string {
	return cdktest.LogicalID(stack, calls.Scope.Node().FindChild(jsii.String("EnablementRole")))
}

func TestInspectorDisableOnDelete(t *testing.T) {
	stack, in, calls := newInspector(t, InspectorProps{Scan: &ScanTypes{Lambda: true}, DisableOnDelete: true})
	tp := cdktest.Synth(t, stack)

	props := enablement(tp, cdktest.LogicalID(stack, in.Enablement))
	assert.Equal(t, a{"LAMBDA"}, props["ResourceTypes"])
	assert.Equal(t, true, props["DisableOnDelete"])
	assert.Equal(t, inspectorCall("Disable", "inspector2-disable-unused", m{"resourceTypes": a{"EC2", "ECR", "LAMBDA_CODE"}}),
		tp.SdkCall(callID(stack, in, "DisableUnused"), "Create"))
	assert.Contains(t, actions(roleStatements(tp, cdktest.LogicalID(stack, calls.Role))), "inspector2:Disable")
	assert.Contains(t, actions(roleStatements(tp, enableRole(stack, calls))), "inspector2:Disable")

	// With every type on, only DisableOnDelete needs inspector2:Disable.
	stack, _, calls = newInspector(t, InspectorProps{Scan: &ScanTypes{EC2: true, ECR: true, Lambda: true, LambdaCode: true}, DisableOnDelete: true})
	assert.Contains(t, actions(roleStatements(cdktest.Synth(t, stack), enableRole(stack, calls))), "inspector2:Disable")
}

func TestInspectorECRRescan(t *testing.T) {
	stack, in, calls := newInspector(t, InspectorProps{Scan: &ScanTypes{ECR: true}, ECRRescanDuration: "DAYS_30"})
	tp := cdktest.Synth(t, stack)

	ecr := callID(stack, in, "EcrConfiguration")
	if assert.NotEmpty(t, ecr) {
		want := inspectorCall("UpdateConfiguration", "inspector2-ecr-configuration", m{"ecrConfiguration": m{"rescanDuration": "DAYS_30"}})
		assert.Equal(t, want, tp.SdkCall(ecr, "Create"))
		assert.Equal(t, want, tp.SdkCall(ecr, "Update"))
		assert.Contains(t, tp.Resource(ecr)["DependsOn"], cdktest.LogicalID(stack, in.Enablement))
	}
	assert.Equal(t, "*", statementWith(t, roleStatements(tp, cdktest.LogicalID(stack, calls.Role)), "inspector2:UpdateConfiguration")["Resource"])

	// Without ECR scanning there is nothing to configure.
	stack, in, calls = newInspector(t, InspectorProps{Scan: &ScanTypes{EC2: true}, ECRRescanDuration: "DAYS_30"})
	tp = cdktest.Synth(t, stack)
	assert.Empty(t, callID(stack, in, "EcrConfiguration"))
	assert.NotContains(t, actions(roleStatements(tp, cdktest.LogicalID(stack, calls.Role))), "inspector2:UpdateConfiguration")
}

func TestInspectorCISScan(t *testing.T) {
	start := m{"TimeOfDay": "02:30", "TimeZone": "Europe/Berlin"}
	tests := []struct {
		name     string
		schedule CISScanSchedule
		scanName string
		want     m
		wantName string
	}{{
		name:     "weekly",
		schedule: CISScanSchedule{Level: "LEVEL_1", Frequency: "WEEKLY", Days: []string{"MON", "THU"}},
		want:     m{"Weekly": m{"Days": a{"MON", "THU"}, "StartTime": start}},
		wantName: "mamori-cis",
	}, {
		name:     "monthly",
		schedule: CISScanSchedule{Level: "LEVEL_2", Frequency: "MONTHLY", Day: "SUN"},
		scanName: "monthly-cis",
		want:     m{"Monthly": m{"Day": "SUN", "StartTime": start}},
		wantName: "monthly-cis",
	}, {
		name:     "daily",
		schedule: CISScanSchedule{Level: "LEVEL_1", Frequency: "DAILY"},
		want:     m{"Daily": m{"StartTime": start}},
		wantName: "mamori-cis",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.schedule.TimeOfDay, tc.schedule.TimeZone = "02:30", "Europe/Berlin"
			tc.schedule.TargetTags = map[string][]string{"Patch": {"weekly", "monthly"}, "Environment": {"production"}}
			stack, in, _ := newInspector(t, InspectorProps{Scan: &ScanTypes{EC2: true}, CISScan: &tc.schedule, ScanName: tc.scanName})
			tp := cdktest.Synth(t, stack)

			tp.Count("AWS::InspectorV2::CisScanConfiguration", 1)
			tp.Has("AWS::InspectorV2::CisScanConfiguration", m{
				"ScanName":      tc.wantName,
				"SecurityLevel": tc.schedule.Level,
				"Schedule":      assertions.Match_Exact(tc.want),
				// SELF: this account only, never the organization.
				"Targets": assertions.Match_Exact(m{
					"AccountIds":         a{"SELF"},
					"TargetResourceTags": m{"Environment": a{"production"}, "Patch": a{"weekly", "monthly"}},
				}),
			})
			tp.DependsOn("AWS::InspectorV2::CisScanConfiguration", nil, cdktest.LogicalID(stack, in.Enablement))
		})
	}
}

func TestInspectorPanics(t *testing.T) {
	cis := func(c CISScanSchedule) *CISScanSchedule {
		if c.TimeOfDay == "" {
			c.TimeOfDay = "02:30"
		}
		if c.TimeZone == "" {
			c.TimeZone = "UTC"
		}
		if c.TargetTags == nil {
			c.TargetTags = map[string][]string{"Patch": {"yes"}}
		}
		return &c
	}
	ec2 := &ScanTypes{EC2: true}
	tests := []struct {
		name  string
		props InspectorProps
		want  string
	}{
		{"no scan types", InspectorProps{Scan: &ScanTypes{}}, `detection.NewInspector "Inspector": at least one scan type must be on`},
		{"Lambda code without Lambda", InspectorProps{Scan: &ScanTypes{LambdaCode: true}}, "Lambda code scanning needs Lambda scanning"},
		{"CIS without EC2", InspectorProps{Scan: &ScanTypes{ECR: true}, CISScan: cis(CISScanSchedule{Level: "LEVEL_1", Frequency: "DAILY"})}, "CIS scans need EC2 scanning"},
		{"CIS level", InspectorProps{Scan: ec2, CISScan: cis(CISScanSchedule{Level: "LEVEL_3", Frequency: "DAILY"})}, `CIS level "LEVEL_3" must be LEVEL_1 or LEVEL_2`},
		{"CIS time of day", InspectorProps{Scan: ec2, CISScan: cis(CISScanSchedule{Level: "LEVEL_1", Frequency: "DAILY", TimeOfDay: "24:00"})}, "CIS scans need a HH:MM time of day, a time zone and target tags"},
		{"CIS time zone", InspectorProps{Scan: ec2, CISScan: &CISScanSchedule{Level: "LEVEL_1", Frequency: "DAILY", TimeOfDay: "02:30", TargetTags: map[string][]string{"Patch": {"yes"}}}}, "CIS scans need a HH:MM time of day, a time zone and target tags"},
		{"CIS target tags", InspectorProps{Scan: ec2, CISScan: cis(CISScanSchedule{Level: "LEVEL_1", Frequency: "DAILY", TargetTags: map[string][]string{}})}, "CIS scans need a HH:MM time of day, a time zone and target tags"},
		{"CIS frequency", InspectorProps{Scan: ec2, CISScan: cis(CISScanSchedule{Level: "LEVEL_1", Frequency: "HOURLY"})}, `CIS scan frequency "HOURLY" must be DAILY, WEEKLY or MONTHLY`},
		{"weekly without days", InspectorProps{Scan: ec2, CISScan: cis(CISScanSchedule{Level: "LEVEL_1", Frequency: "WEEKLY"})}, "a WEEKLY CIS scan needs days"},
		{"weekly bad day", InspectorProps{Scan: ec2, CISScan: cis(CISScanSchedule{Level: "LEVEL_1", Frequency: "WEEKLY", Days: []string{"MON", "Tuesday"}})}, `weekday "Tuesday" must be one of`},
		{"monthly bad day", InspectorProps{Scan: ec2, CISScan: cis(CISScanSchedule{Level: "LEVEL_1", Frequency: "MONTHLY"})}, `weekday "" must be one of`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cdktest.PanicsWith(t, tc.want, func() { newInspector(t, tc.props) })
		})
	}
	t.Run("no Calls", func(t *testing.T) {
		cdktest.PanicsWith(t, `detection.NewInspector "Inspector": Calls is required`, func() {
			NewInspector(cdktest.NewStack(t, cdktest.Env), "Inspector", &InspectorProps{Scan: ec2})
		})
		cdktest.PanicsWith(t, "Calls is required", func() { NewInspector(cdktest.NewStack(t, cdktest.Env), "Inspector", nil) })
	})
}

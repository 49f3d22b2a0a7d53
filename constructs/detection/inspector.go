package detection

import (
	_ "embed"
	"maps"
	"regexp"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsinspectorv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// ScanTypes switches what Inspector scans.
type ScanTypes struct {
	EC2        bool
	ECR        bool
	Lambda     bool
	LambdaCode bool
}

func (s ScanTypes) split() (on, off []string) {
	for _, t := range []struct {
		name string
		on   bool
	}{{"EC2", s.EC2}, {"ECR", s.ECR}, {"LAMBDA", s.Lambda}, {"LAMBDA_CODE", s.LambdaCode}} {
		if t.on {
			on = append(on, t.name)
		} else {
			off = append(off, t.name)
		}
	}
	return on, off
}

// CISScanSchedule schedules Inspector CIS benchmark scans of SSM-managed EC2
// instances that carry the target tags.
type CISScanSchedule struct {
	// Level is "LEVEL_1" or "LEVEL_2".
	Level string
	// Frequency is "DAILY", "WEEKLY" or "MONTHLY".
	Frequency string
	// TimeOfDay ("HH:MM") and TimeZone (IANA) set when scans start.
	TimeOfDay, TimeZone string
	// Days are the weekdays of a WEEKLY scan (MON..SUN).
	Days []string
	// Day is the weekday of a MONTHLY scan (MON..SUN).
	Day string
	// TargetTags select instances: tag key to allowed values. Required.
	TargetTags map[string][]string
}

// InspectorProps configures Inspector.
type InspectorProps struct {
	// Scan says what Inspector scans; at least one type. Types left off are
	// disabled, so the account matches the configuration. Default: nil:
	// every type (EC2, ECR, Lambda and Lambda code).
	Scan *ScanTypes
	// ECRRescanDuration is how long pushed images keep being re-scanned, e.g.
	// "LIFETIME" or "DAYS_30". Default: Inspector's own (LIFETIME).
	ECRRescanDuration string
	// CISScan, when set, schedules CIS benchmark scans. Default: none.
	CISScan *CISScanSchedule
	// ScanName names the CIS scan configuration. Default: "mamori-cis".
	ScanName string
	// Calls runs Inspector's API calls. Required.
	Calls *sdkcall.Provider
	// DisableOnDelete turns Inspector's scans off when this leaves the stack.
	// Default: false: scanning, and the findings it keeps, stay on.
	DisableOnDelete bool
}

// Inspector turns Amazon Inspector on in one region. CloudFormation cannot
// enable Inspector, so its Enable, Disable and UpdateConfiguration API calls
// run through CDK custom resources with exactly those permissions (and the
// right to create Inspector's service-linked roles). Enable is safe to repeat:
// an already-enabled account is reported, not raised as an error; and because
// enablement is asynchronous, its handler waits (BatchGetAccountStatus) until
// every requested type is ENABLED before anything that needs it runs.
// https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html
type Inspector struct {
	Scope      constructs.Construct
	Enablement awscdk.CustomResource
}

// enableHandler enables scan types and waits for them; see the file.
//
//go:embed handlers/inspector-enable.js
var enableHandler string

var timeOfDay = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// NewInspector creates an Inspector. It panics listing every invalid prop.
func NewInspector(scope constructs.Construct, id string, props *InspectorProps) *Inspector {
	var p InspectorProps
	if props != nil {
		p = *props
	}
	if p.ScanName == "" {
		p.ScanName = "mamori-cis"
	}
	scan := ScanTypes{EC2: true, ECR: true, Lambda: true, LambdaCode: true}
	if p.Scan != nil {
		scan = *p.Scan
	}
	checkInspector(id, p, scan)
	on, off := scan.split()

	this := constructs.NewConstruct(scope, jsii.String(id))
	enablement := newInspectorEnablement(this, p, on)
	in := &Inspector{Scope: this, Enablement: enablement}
	if len(off) > 0 {
		p.Calls.NewCall(this, "DisableUnused", &sdkcall.CallProps{
			OnCreate:   inspector2Call("Disable", map[string]interface{}{"resourceTypes": jsiix.Strs(off)}, "inspector2-disable-unused"),
			Statements: []awsiam.PolicyStatement{inspectorStatement("inspector2:Disable")},
		}).Node().AddDependency(enablement)
	}
	if p.ECRRescanDuration != "" && scan.ECR {
		p.Calls.NewCall(this, "EcrConfiguration", &sdkcall.CallProps{
			OnCreate: inspector2Call("UpdateConfiguration", map[string]interface{}{
				"ecrConfiguration": map[string]interface{}{"rescanDuration": p.ECRRescanDuration},
			}, "inspector2-ecr-configuration"),
			Statements: []awsiam.PolicyStatement{inspectorStatement("inspector2:UpdateConfiguration")},
		}).Node().AddDependency(enablement)
	}
	if p.CISScan != nil {
		newCISScan(this, p.ScanName, *p.CISScan).Node().AddDependency(enablement)
	}
	return in
}

// checkInspector panics listing every invalid prop of p; scan is what p.Scan
// means.
func checkInspector(id string, p InspectorProps, scan ScanTypes) {
	bad := problems.Of("detection.NewInspector", id)
	if p.Calls == nil {
		bad.Add("Calls is required")
	}
	if on, _ := scan.split(); len(on) == 0 {
		bad.Add("at least one scan type must be on")
	}
	if scan.LambdaCode && !scan.Lambda {
		bad.Add("Lambda code scanning needs Lambda scanning")
	}
	if p.CISScan != nil {
		if !scan.EC2 {
			bad.Add("CIS scans need EC2 scanning")
		}
		checkCISScan(*p.CISScan, bad)
	}
	bad.Check()
}

// inspectorStatement allows Inspector's account-level actions, which
// support no resource-level scoping.
func inspectorStatement(actions ...string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsiix.Strs(actions), Resources: jsii.Strings("*")})
}

// inspector2Call is one Inspector2 SDK call.
func inspector2Call(action string, params map[string]interface{}, physicalID string) *customresources.AwsSdkCall {
	return &customresources.AwsSdkCall{
		Service:            jsii.String("Inspector2"),
		Action:             jsii.String(action),
		Parameters:         params,
		PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String(physicalID)),
	}
}

// newInspectorEnablement enables the scan types on. Enable only starts
// enablement; the handler waits until every type is ENABLED, so the
// configuration after it never meets a half-enabled account.
func newInspectorEnablement(this constructs.Construct, p InspectorProps, on []string) awscdk.CustomResource {
	// Enable creates Inspector's service-linked roles on first use.
	// https://docs.aws.amazon.com/inspector/latest/user/using-service-linked-roles.html
	serviceLinkedRoles := awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("iam:CreateServiceLinkedRole"),
		Resources: jsii.Strings(*awscdk.Stack_Of(this).FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("role"),
			ResourceName: jsii.String("aws-service-role/*inspector2.amazonaws.com/*"), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		})),
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{
			"iam:AWSServiceName": jsii.Strings("inspector2.amazonaws.com", "agentless.inspector2.amazonaws.com"),
		}},
	})
	statements := []awsiam.PolicyStatement{inspectorStatement("inspector2:Enable", "inspector2:BatchGetAccountStatus"), serviceLinkedRoles}
	if p.DisableOnDelete {
		statements = append(statements, inspectorStatement("inspector2:Disable"))
	}
	wildcards := nag.Rule{
		ID: "AwsSolutions-IAM5",
		Reason: "Inspector's Enable, Disable, BatchGetAccountStatus and UpdateConfiguration act on the calling account and support no resource-level permissions; " +
			"iam:CreateServiceLinkedRole is limited by iam:AWSServiceName to Inspector's two service-linked roles.",
		AppliesTo:      []string{"Resource::*"},
		AppliesToRegex: []string{`/^Resource::arn:[^:]+:iam::(<AWS::AccountId>|[0-9]{12}):role\/aws-service-role\/\*inspector2\.amazonaws\.com\/\*$/`},
	}
	enablement := p.Calls.NewWaitingCall(this, "Enablement", &sdkcall.WaitingCallProps{
		HandlerName:  "inspector-enable",
		Handler:      enableHandler,
		ResourceType: "Custom::InspectorEnablement",
		Properties: map[string]interface{}{
			"ResourceTypes":   jsiix.Strs(on),
			"DisableOnDelete": p.DisableOnDelete,
		},
		Statements:   statements,
		Suppressions: []nag.Rule{wildcards},
	})
	nag.Suppress(p.Calls.Policy, false, wildcards)
	return enablement
}

var weekdays = []string{"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"}

// checkCISScan adds the problems of a CIS scan schedule.
func checkCISScan(c CISScanSchedule, bad *problems.List) {
	if c.Level != "LEVEL_1" && c.Level != "LEVEL_2" {
		bad.Add("CIS level %q must be LEVEL_1 or LEVEL_2", c.Level)
	}
	if !timeOfDay.MatchString(c.TimeOfDay) || c.TimeZone == "" || len(c.TargetTags) == 0 {
		bad.Add("CIS scans need a HH:MM time of day, a time zone and target tags")
	}
	switch c.Frequency {
	case "DAILY":
	case "WEEKLY":
		for _, d := range c.Days {
			if !slices.Contains(weekdays, d) {
				bad.Add("weekday %q must be one of %v", d, weekdays)
			}
		}
		if len(c.Days) == 0 {
			bad.Add("a WEEKLY CIS scan needs days")
		}
	case "MONTHLY":
		if !slices.Contains(weekdays, c.Day) {
			bad.Add("weekday %q must be one of %v", c.Day, weekdays)
		}
	default:
		bad.Add("CIS scan frequency %q must be DAILY, WEEKLY or MONTHLY", c.Frequency)
	}
}

// newCISScan schedules the CIS scan c, which checkCISScan accepted.
func newCISScan(scope constructs.Construct, name string, c CISScanSchedule) awsinspectorv2.CfnCisScanConfiguration {
	start := &awsinspectorv2.CfnCisScanConfiguration_TimeProperty{TimeOfDay: jsii.String(c.TimeOfDay), TimeZone: jsii.String(c.TimeZone)}
	schedule := &awsinspectorv2.CfnCisScanConfiguration_ScheduleProperty{}
	switch c.Frequency {
	case "DAILY":
		schedule.Daily = &awsinspectorv2.CfnCisScanConfiguration_DailyScheduleProperty{StartTime: start}
	case "WEEKLY":
		schedule.Weekly = &awsinspectorv2.CfnCisScanConfiguration_WeeklyScheduleProperty{Days: jsiix.Strs(c.Days), StartTime: start}
	case "MONTHLY":
		schedule.Monthly = &awsinspectorv2.CfnCisScanConfiguration_MonthlyScheduleProperty{Day: jsii.String(c.Day), StartTime: start}
	}
	tags := map[string]interface{}{}
	for _, k := range slices.Sorted(maps.Keys(c.TargetTags)) {
		tags[k] = jsiix.Strs(c.TargetTags[k])
	}
	return awsinspectorv2.NewCfnCisScanConfiguration(scope, jsii.String("CisScan"), &awsinspectorv2.CfnCisScanConfigurationProps{
		ScanName:      jsii.String(name),
		SecurityLevel: jsii.String(c.Level),
		Schedule:      schedule,
		Targets: &awsinspectorv2.CfnCisScanConfiguration_CisTargetsProperty{
			AccountIds:         jsii.Strings("SELF"),
			TargetResourceTags: tags,
		},
	})
}

package dataprotection

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
	"github.com/mamori-dev/mamori/internal/cdktest/calltest"
)

// newMacie synthesizes Macie in a test stack; withResults adds a results
// bucket encrypted with, and a results key imported as, cdktest.KeyArn.
func newMacie(t *testing.T, props MacieProps, withResults bool) (awscdk.Stack, *Macie, *cdktest.Template) {
	t.Helper()
	stack, mc := buildMacie(t, props, withResults)
	return stack, mc, cdktest.Synth(t, stack)
}

// buildMacie is newMacie before synthesis.
func buildMacie(t *testing.T, props MacieProps, withResults bool) (awscdk.Stack, *Macie) {
	t.Helper()
	stack := cdktest.NewStack(t, cdktest.Env)
	props.Calls = calltest.NewProvider(stack)
	if withResults {
		key, logs := bucketDeps(stack)
		props.ResultsBucket = importedLogs(NewSecureBucket(stack, "Results", &SecureBucketProps{EncryptionKey: key, AccessLogs: logs}))
		props.ResultsKey = key
	}
	return stack, NewMacie(stack, "Macie", &props)
}

// macieCall is the Custom::AWS call Macie's API receives.
func macieCall(action, physicalID string, params m) m {
	return m{
		"service":            "Macie2",
		"action":             action,
		"parameters":         params,
		"physicalResourceId": m{"id": physicalID},
		"outputPaths":        a{},
	}
}

// macieStatements are the statements of the SDK-call provider's policy.
func macieStatements(tp *cdktest.Template, stack awscdk.Stack) []m {
	policy := cdktest.LogicalID(stack, stack.Node().FindChild(jsii.String("Calls")).Node().FindChild(jsii.String("Policy")))
	var out []m
	for _, s := range tp.Resource(policy)["Properties"].(m)["PolicyDocument"].(m)["Statement"].(a) {
		out = append(out, s.(m))
	}
	return out
}

// macieActions maps every allowed action to its statement's Resource.
func macieActions(statements []m) map[string]interface{} {
	out := map[string]interface{}{}
	for _, s := range statements {
		switch v := s["Action"].(type) {
		case string:
			out[v] = s["Resource"]
		case a:
			for _, x := range v {
				out[x.(string)] = s["Resource"]
			}
		}
	}
	return out
}

func macieDeps(tp *cdktest.Template, id string) a {
	deps, _ := tp.Resource(id)["DependsOn"].(a)
	return deps
}

func TestMacieDefaults(t *testing.T) {
	stack, mc, tp := newMacie(t, MacieProps{}, false)
	session := cdktest.LogicalID(stack, mc.Session)

	tp.Count("AWS::Macie::Session", 1)
	tp.HasResource("AWS::Macie::Session", m{
		"Properties":     assertions.Match_Exact(m{"Status": "ENABLED", "FindingPublishingFrequency": "FIFTEEN_MINUTES"}),
		"DeletionPolicy": "Retain",
	})

	// Both finding types reach Security Hub; sensitive data findings are
	// off unless set.
	hub := cdktest.LogicalID(stack, mc.SecurityHubPublishing)
	want := macieCall("PutFindingsPublicationConfiguration", "macie-findings-publication-configuration", m{
		"securityHubConfiguration": m{"publishPolicyFindings": true, "publishClassificationFindings": true},
	})
	assert.Equal(t, want, tp.SdkCall(hub, "Create"))
	assert.Equal(t, want, tp.SdkCall(hub, "Update"))
	assert.Nil(t, tp.SdkCall(hub, "Delete"))

	discovery := cdktest.LogicalID(stack, mc.AutomatedDiscovery)
	assert.Equal(t, macieCall("UpdateAutomatedDiscoveryConfiguration", "macie-automated-discovery", m{"status": "ENABLED"}),
		tp.SdkCall(discovery, "Create"))
	assert.Nil(t, tp.SdkCall(discovery, "Delete"))

	// Every call waits for the session.
	tp.Count("Custom::AWS", 2)
	for id := range tp.Resources("Custom::AWS") {
		assert.Contains(t, macieDeps(tp, id), session, id)
	}
	assert.Nil(t, mc.ResultsRepository)
	assert.Empty(t, mc.Jobs)
	tp.Count("AWS::Macie::CustomDataIdentifier", 0)
	tp.Count("AWS::Macie::AllowList", 0)
	tp.Count("AWS::Macie::FindingsFilter", 0)

	// Exactly the account-level actions, on "*" (no resource-level
	// permissions exist for them), and no service-linked-role creation: the
	// session creates Macie's role.
	actions := macieActions(macieStatements(tp, stack))
	assert.Equal(t, map[string]interface{}{
		"logs:CreateLogStream":                         actions["logs:CreateLogStream"],
		"logs:PutLogEvents":                            actions["logs:PutLogEvents"],
		"macie2:PutFindingsPublicationConfiguration":   "*",
		"macie2:UpdateAutomatedDiscoveryConfiguration": "*",
	}, actions)

	// No results repository: a warning says what is lost.
	assertions.Annotations_FromStack(stack).HasWarning(jsii.String("/Test/Macie"),
		assertions.Match_StringLikeRegexp(jsii.String("90 days only")))
}

func TestMacieOptions(t *testing.T) {
	stack, mc, tp := newMacie(t, MacieProps{
		PublishingFrequency:       MacieSixHours,
		DisableAutomatedDiscovery: true,
		DestroyOnDelete:           true,
	}, true)
	tp.HasResource("AWS::Macie::Session", m{
		"Properties":     m{"FindingPublishingFrequency": "SIX_HOURS"},
		"DeletionPolicy": "Delete",
	})
	// Off is set explicitly too, so that the account matches the configuration.
	assert.Equal(t, m{"status": "DISABLED"}, tp.SdkCall(cdktest.LogicalID(stack, mc.AutomatedDiscovery), "Create")["parameters"])
}

func TestMacieResultsRepository(t *testing.T) {
	for _, tc := range []struct{ prefix, want string }{{"", "macie/"}, {"sdd", "sdd/"}, {"sdd/", "sdd/"}} {
		t.Run(tc.want+tc.prefix, func(t *testing.T) {
			stack, mc, tp := newMacie(t, MacieProps{ResultsKeyPrefix: tc.prefix}, true)
			bucket := cdktest.LogicalID(stack, stack.Node().FindChild(jsii.String("Results")).Node().FindChild(jsii.String("Resource")))
			repo := cdktest.LogicalID(stack, mc.ResultsRepository)

			want := macieCall("PutClassificationExportConfiguration", "macie-classification-export-configuration", m{
				"configuration": m{"s3Destination": m{"bucketName": "<token>", "keyPrefix": tc.want, "kmsKeyArn": cdktest.KeyArn}},
			})
			assert.Equal(t, want, tp.SdkCall(repo, "Create"))
			assert.Nil(t, tp.SdkCall(repo, "Delete"), "the repository setting outlives the stack, like the bucket")
			assert.Contains(t, jsonOf(tp.Resource(repo)["Properties"].(m)["Create"]), `{"Ref":"`+bucket+`"}`)

			// The bucket policy exists before Macie checks the bucket; the
			// session before anything; analysis only once results have a home.
			deps := macieDeps(tp, repo)
			assert.Contains(t, deps, cdktest.LogicalID(stack, mc.Session))
			assert.Contains(t, deps, bucket)
			assert.Contains(t, deps, cdktest.LogicalID(stack, stack.Node().FindChild(jsii.String("Results")).Node().FindChild(jsii.String("Resource")).Node().FindChild(jsii.String("Policy"))))
			assert.Contains(t, macieDeps(tp, cdktest.LogicalID(stack, mc.AutomatedDiscovery)), repo)

			// The two statements of the Macie User Guide, this account and
			// region only.
			arn := m{"Fn::GetAtt": a{bucket, "Arn"}}
			conditions := assertions.Match_Exact(m{
				"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}},
				"ArnLike": m{"aws:SourceArn": a{
					"arn:aws:macie2:eu-west-1:111111111111:export-configuration:*",
					"arn:aws:macie2:eu-west-1:111111111111:classification-job/*",
				}},
			})
			tp.Has("AWS::S3::BucketPolicy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
				m{
					"Sid": "MacieServiceBucketChecks", "Effect": "Allow", "Principal": m{"Service": "macie.amazonaws.com"},
					"Action": "s3:GetBucketLocation", "Resource": arn, "Condition": conditions,
				},
				m{
					"Sid": "MacieServiceDelivery", "Effect": "Allow", "Principal": m{"Service": "macie.amazonaws.com"},
					"Action": "s3:PutObject", "Resource": m{"Fn::Join": a{"", a{arn, "/" + tc.want + "*"}}}, "Condition": conditions,
				},
			))}})
			assert.Equal(t, "*", macieActions(macieStatements(tp, stack))["macie2:PutClassificationExportConfiguration"])
			// Nothing to warn about.
			assertions.Annotations_FromStack(stack).HasNoWarning(jsii.String("/Test/Macie"), assertions.Match_AnyValue())
		})
	}
}

func TestMacieKeyAccess(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	NewKey(stack, "ResultsKey", &KeyProps{Alias: "alias/mamori/macie", Services: []ServiceAccess{MacieKeyAccess(stack)}})
	tp := cdktest.Synth(t, stack)
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
		"Sid":       "AllowMacieService",
		"Effect":    "Allow",
		"Principal": m{"Service": "macie.amazonaws.com"},
		"Action":    a{"kms:Encrypt", "kms:GenerateDataKey"},
		"Resource":  "*",
		"Condition": assertions.Match_Exact(m{
			"StringEquals": m{"aws:SourceAccount": m{"Ref": "AWS::AccountId"}},
			"ArnLike": m{"aws:SourceArn": a{
				"arn:aws:macie2:eu-west-1:111111111111:export-configuration:*",
				"arn:aws:macie2:eu-west-1:111111111111:classification-job/*",
			}},
		}),
	}))}})
}

func TestMacieCustomResources(t *testing.T) {
	five := int64(5)
	stack, mc, tp := newMacie(t, MacieProps{
		CustomDataIdentifiers: []MacieCustomDataIdentifier{{
			Name: "employee-id", Description: "Employee numbers", Regex: `EMP-[0-9]{6}`,
			Keywords: []string{"employee"}, IgnoreWords: []string{"EMP-000000"}, MaximumMatchDistance: 20,
		}, {Name: "order id", Regex: `ORD-[0-9]{8}`}},
		AllowLists: []MacieAllowList{
			{Name: "test-cards", Regex: `4111-1111-1111-1111`},
			{Name: "public-words", Description: "Published names", WordsBucket: "lists", WordsObjectKey: "words.txt"},
		},
		FindingsFilters: []MacieFindingsFilter{{
			Name: "high-severity", Criteria: map[string]MacieCriterion{
				"severity.description": {Eq: []string{"High"}},
				"count":                {Gte: &five},
			},
		}, {
			Name: "sandbox-buckets", Action: MacieArchive, Position: 2, Description: "Sandbox noise",
			Criteria: map[string]MacieCriterion{"resourcesAffected.s3Bucket.name": {Eq: []string{"sandbox"}}},
		}},
	}, true)
	session := cdktest.LogicalID(stack, mc.Session)

	exact := func(typ string, props m) {
		t.Helper()
		tp.HasResource(typ, m{"Properties": assertions.Match_Exact(props), "DependsOn": a{session}})
	}
	tp.Count("AWS::Macie::CustomDataIdentifier", 2)
	exact("AWS::Macie::CustomDataIdentifier", m{
		"Name": "employee-id", "Description": "Employee numbers", "Regex": `EMP-[0-9]{6}`,
		"Keywords": a{"employee"}, "IgnoreWords": a{"EMP-000000"}, "MaximumMatchDistance": 20,
	})
	exact("AWS::Macie::CustomDataIdentifier", m{"Name": "order id", "Regex": `ORD-[0-9]{8}`})
	assert.Equal(t, "CustomDataIdentifierOrderId", *mc.CustomDataIdentifiers[1].Node().Id())

	tp.Count("AWS::Macie::AllowList", 2)
	exact("AWS::Macie::AllowList", m{"Name": "test-cards", "Criteria": m{"Regex": `4111-1111-1111-1111`}})
	exact("AWS::Macie::AllowList", m{
		"Name": "public-words", "Description": "Published names",
		"Criteria": m{"S3WordsList": m{"BucketName": "lists", "ObjectKey": "words.txt"}},
	})

	// NOOP unless told: a filter suppresses nothing by default.
	tp.Count("AWS::Macie::FindingsFilter", 2)
	exact("AWS::Macie::FindingsFilter", m{
		"Name": "high-severity", "Action": "NOOP",
		"FindingCriteria": m{"Criterion": m{"count": m{"gte": 5}, "severity.description": m{"eq": a{"High"}}}},
	})
	exact("AWS::Macie::FindingsFilter", m{
		"Name": "sandbox-buckets", "Action": "ARCHIVE", "Position": 2, "Description": "Sandbox noise",
		"FindingCriteria": m{"Criterion": m{"resourcesAffected.s3Bucket.name": m{"eq": a{"sandbox"}}}},
	})
	// Archiving hides findings from Security Hub: a warning says so.
	assertions.Annotations_FromStack(stack).HasWarning(jsii.String("/Test/Macie"),
		assertions.Match_StringLikeRegexp(jsii.String(`"sandbox-buckets" archives`)))
	// CloudFormation manages these resources: no API permissions for them.
	for action := range macieActions(macieStatements(tp, stack)) {
		assert.NotRegexp(t, `AllowList|DataIdentifier|FindingsFilter`, action)
	}
}

func TestMacieJobs(t *testing.T) {
	jobs := []MacieClassificationJob{
		{Name: "pii", BucketNames: []string{"data-a", "data-b"}},
		{
			Name: "tagged", Description: "Buckets tagged for scans", BucketTags: map[string]string{"scan": "yes", "Owner": ""},
			Schedule: MacieWeekly, DayOfWeek: "SUNDAY", SamplingPercentage: 20, ManagedIdentifiers: MacieAllIdentifiers,
			SkipExistingObjects: true,
		},
		{Name: "monthly", BucketNames: []string{"archive"}, Schedule: MacieMonthly, DayOfMonth: 3},
		{Name: "once", BucketNames: []string{"legacy"}, Schedule: MacieOneTime},
	}
	props := MacieProps{
		Jobs:                  jobs,
		CustomDataIdentifiers: []MacieCustomDataIdentifier{{Name: "employee-id", Regex: `EMP-[0-9]{6}`}},
		AllowLists:            []MacieAllowList{{Name: "test-cards", Regex: `4111`}},
	}
	stack, mc, tp := newMacie(t, props, true)
	session, repo := cdktest.LogicalID(stack, mc.Session), cdktest.LogicalID(stack, mc.ResultsRepository)
	cdi, allow := cdktest.LogicalID(stack, mc.CustomDataIdentifiers[0]), cdktest.LogicalID(stack, mc.AllowLists[0])
	if !assert.Len(t, mc.Jobs, 4) {
		return
	}
	assert.Equal(t, "JobPii", *mc.Jobs[0].Node().Id())

	hashed := regexp.MustCompile(`^([a-z]+)-[0-9a-f]{8}$`)
	names := map[string]string{}
	wantParams := []m{{
		"jobType": "SCHEDULED", "initialRun": true, "scheduleFrequency": m{"dailySchedule": m{}},
		"s3JobDefinition":    m{"bucketDefinitions": a{m{"accountId": "111111111111", "buckets": a{"data-a", "data-b"}}}},
		"samplingPercentage": 100.0, "managedDataIdentifierSelector": "RECOMMENDED",
	}, {
		"jobType": "SCHEDULED", "initialRun": false, "scheduleFrequency": m{"weeklySchedule": m{"dayOfWeek": "SUNDAY"}},
		"description": "Buckets tagged for scans",
		"s3JobDefinition": m{"bucketCriteria": m{"includes": m{"and": a{
			m{"tagCriterion": m{"comparator": "EQ", "tagValues": a{m{"key": "Owner"}}}},
			m{"tagCriterion": m{"comparator": "EQ", "tagValues": a{m{"key": "scan", "value": "yes"}}}},
		}}}},
		"samplingPercentage": 20.0, "managedDataIdentifierSelector": "ALL",
	}, {
		"jobType": "SCHEDULED", "initialRun": true, "scheduleFrequency": m{"monthlySchedule": m{"dayOfMonth": 3.0}},
		"s3JobDefinition":    m{"bucketDefinitions": a{m{"accountId": "111111111111", "buckets": a{"archive"}}}},
		"samplingPercentage": 100.0, "managedDataIdentifierSelector": "RECOMMENDED",
	}, {
		"jobType":            "ONE_TIME",
		"s3JobDefinition":    m{"bucketDefinitions": a{m{"accountId": "111111111111", "buckets": a{"legacy"}}}},
		"samplingPercentage": 100.0, "managedDataIdentifierSelector": "RECOMMENDED",
	}}
	for i, job := range mc.Jobs {
		id := cdktest.LogicalID(stack, job)
		create := tp.SdkCall(id, "Create")
		params := create["parameters"].(m)
		name, _ := params["name"].(string)
		if match := hashed.FindStringSubmatch(name); assert.NotNil(t, match, name) {
			assert.Equal(t, jobs[i].Name, match[1])
		}
		names[jobs[i].Name] = name
		delete(params, "name")
		// Every job uses the construct's custom data identifiers and allow lists.
		want := m{"customDataIdentifierIds": a{"<token>"}, "allowListIds": a{"<token>"}}
		for k, v := range wantParams[i] {
			want[k] = v
		}
		assert.Equal(t, want, params, jobs[i].Name)
		assert.Equal(t, "Macie2", create["service"])
		assert.Equal(t, "CreateClassificationJob", create["action"])
		assert.Equal(t, m{"responsePath": "jobId"}, create["physicalResourceId"], "the job ID is the physical ID")
		// Any change creates a new job, whose new physical ID makes
		// CloudFormation delete, that is cancel, the old one.
		assert.Equal(t, tp.SdkCall(id, "Create"), tp.SdkCall(id, "Update"))
		assert.Equal(t, m{
			"service": "Macie2", "action": "UpdateClassificationJob",
			"parameters":               m{"jobId": "PHYSICAL:RESOURCEID:", "jobStatus": "CANCELLED"},
			"ignoreErrorCodesMatching": "ValidationException|ResourceNotFoundException",
			"outputPaths":              a{},
		}, tp.SdkCall(id, "Delete"))
		properties := jsonOf(tp.Resource(id)["Properties"])
		assert.Contains(t, properties, `{"Fn::GetAtt":["`+cdi+`","Id"]}`)
		assert.Contains(t, properties, `{"Fn::GetAtt":["`+allow+`","Id"]}`)
		deps := macieDeps(tp, id)
		for _, want := range []string{session, repo, cdi, allow} {
			assert.Contains(t, deps, want, jobs[i].Name)
		}
	}

	// The job actions are limited to this account's jobs in this region.
	statements := macieStatements(tp, stack)
	actions := macieActions(statements)
	jobArn := "arn:aws:macie2:eu-west-1:111111111111:classification-job/*"
	assert.Equal(t, jobArn, actions["macie2:CreateClassificationJob"])
	assert.Equal(t, jobArn, actions["macie2:UpdateClassificationJob"])
	assert.NotContains(t, actions, "macie2:TagResource")
	assert.NotContains(t, actions, "iam:CreateServiceLinkedRole")
	var jobStatements int
	for _, s := range statements {
		if s["Resource"] == jobArn {
			jobStatements++
		}
	}
	assert.Equal(t, 1, jobStatements, "one statement however many jobs")

	// The name's hash is stable across syntheses and follows the definition.
	stack2, mc2, tp2 := newMacie(t, props, false)
	assert.Equal(t, names["pii"], tp2.SdkCall(cdktest.LogicalID(stack2, mc2.Jobs[0]), "Create")["parameters"].(m)["name"])
	changed := props
	changed.Jobs = append([]MacieClassificationJob{{Name: "pii", BucketNames: []string{"data-a"}}}, jobs[1:]...)
	stack3, mc3, tp3 := newMacie(t, changed, false)
	assert.NotEqual(t, names["pii"], tp3.SdkCall(cdktest.LogicalID(stack3, mc3.Jobs[0]), "Create")["parameters"].(m)["name"])
}

func TestMaciePanics(t *testing.T) {
	job := func(j MacieClassificationJob) MacieProps {
		if j.Name == "" {
			j.Name = "job"
		}
		return MacieProps{Jobs: []MacieClassificationJob{j}}
	}
	buckets := []string{"b"}
	criteria := map[string]MacieCriterion{"type": {Eq: []string{"a"}}}
	for _, tc := range []struct {
		name, want string
		props      MacieProps
	}{
		{"frequency", `PublishingFrequency "HOURLY"`, MacieProps{PublishingFrequency: "HOURLY"}},
		{"prefix", `ResultsKeyPrefix "/x"`, MacieProps{ResultsKeyPrefix: "/x"}},
		{"no buckets", "exactly one of BucketNames and BucketTags", job(MacieClassificationJob{})},
		{"both selections", "exactly one of BucketNames and BucketTags", job(MacieClassificationJob{BucketNames: buckets, BucketTags: map[string]string{"a": "b"}})},
		{"schedule", `Schedule "HOURLY"`, job(MacieClassificationJob{BucketNames: buckets, Schedule: "HOURLY"})},
		{"weekly without day", "DayOfWeek", job(MacieClassificationJob{BucketNames: buckets, Schedule: MacieWeekly})},
		{"weekday", "DayOfWeek", job(MacieClassificationJob{BucketNames: buckets, Schedule: MacieWeekly, DayOfWeek: "SUN"})},
		{"day for daily", "DayOfWeek", job(MacieClassificationJob{BucketNames: buckets, DayOfWeek: "MONDAY"})},
		{"monthly without day", "DayOfMonth", job(MacieClassificationJob{BucketNames: buckets, Schedule: MacieMonthly})},
		{"day of month", "DayOfMonth 32", job(MacieClassificationJob{BucketNames: buckets, Schedule: MacieMonthly, DayOfMonth: 32})},
		{"sampling", "SamplingPercentage 101", job(MacieClassificationJob{BucketNames: buckets, SamplingPercentage: 101})},
		{"selector", `ManagedIdentifiers "NONE"`, job(MacieClassificationJob{BucketNames: buckets, ManagedIdentifiers: "NONE"})},
		{"one-time skip", "recurring jobs only", job(MacieClassificationJob{BucketNames: buckets, Schedule: MacieOneTime, SkipExistingObjects: true})},
		{"duplicate jobs", "unique", MacieProps{Jobs: []MacieClassificationJob{{Name: "a-b", BucketNames: buckets}, {Name: "a b", BucketNames: buckets}}}},
		{"identifier regex", "regex of 1-512", MacieProps{CustomDataIdentifiers: []MacieCustomDataIdentifier{{Name: "x"}}}},
		{"keyword", "keywords", MacieProps{CustomDataIdentifiers: []MacieCustomDataIdentifier{{Name: "x", Regex: "y", Keywords: []string{"ab"}}}}},
		{"ignore word", "ignore words", MacieProps{CustomDataIdentifiers: []MacieCustomDataIdentifier{{Name: "x", Regex: "y", IgnoreWords: []string{"abc"}}}}},
		{"distance", "MaximumMatchDistance 301", MacieProps{CustomDataIdentifiers: []MacieCustomDataIdentifier{{Name: "x", Regex: "y", MaximumMatchDistance: 301}}}},
		{"identifier name", "must be set and unique", MacieProps{CustomDataIdentifiers: []MacieCustomDataIdentifier{{Regex: "y"}}}},
		{"allow list both", "either Regex or both", MacieProps{AllowLists: []MacieAllowList{{Name: "x", Regex: "y", WordsBucket: "b", WordsObjectKey: "k"}}}},
		{"allow list neither", "either Regex or both", MacieProps{AllowLists: []MacieAllowList{{Name: "x"}}}},
		{"allow list half", "either Regex or both", MacieProps{AllowLists: []MacieAllowList{{Name: "x", WordsBucket: "b"}}}},
		{"filter action", "findings filter", MacieProps{FindingsFilters: []MacieFindingsFilter{{Name: "xyz", Action: "DELETE", Criteria: criteria}}}},
		{"filter name", "findings filter", MacieProps{FindingsFilters: []MacieFindingsFilter{{Name: "xy", Criteria: criteria}}}},
		{"filter criteria", "findings filter", MacieProps{FindingsFilters: []MacieFindingsFilter{{Name: "xyz"}}}},
		{"empty criterion", `criterion "type" has no condition`, MacieProps{FindingsFilters: []MacieFindingsFilter{{Name: "xyz", Criteria: map[string]MacieCriterion{"type": {}}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cdktest.PanicsWith(t, tc.want, func() { buildMacie(t, tc.props, false) })
		})
	}
	cdktest.PanicsWith(t, "Calls is required", func() { NewMacie(cdktest.NewStack(t, cdktest.Env), "Macie", nil) })
	cdktest.PanicsWith(t, "ResultsBucket and ResultsKey go together", func() {
		stack := cdktest.NewStack(t, cdktest.Env)
		NewMacie(stack, "Macie", &MacieProps{
			Calls:      calltest.NewProvider(stack),
			ResultsKey: cdktest.ImportedKey(stack),
		})
	})
}

// TestMacieNag runs cdk-nag's packs over a Macie with every part: the
// provider's policy holds only suppressed, explained wildcards.
func TestMacieNag(t *testing.T) {
	stack, _ := buildMacie(t, MacieProps{
		Jobs:                  []MacieClassificationJob{{Name: "pii", BucketNames: []string{"data"}}},
		CustomDataIdentifiers: []MacieCustomDataIdentifier{{Name: "employee-id", Regex: `EMP-[0-9]{6}`}},
		AllowLists:            []MacieAllowList{{Name: "test-cards", Regex: `4111`}},
		FindingsFilters:       []MacieFindingsFilter{{Name: "high", Criteria: map[string]MacieCriterion{"severity.description": {Eq: []string{"High"}}}}},
	}, true)
	for _, pack := range []awscdk.IAspect{
		cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}),
		cdknag.NewNIST80053R5Checks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}),
		cdknag.NewPCIDSS321Checks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}),
	} {
		awscdk.Aspects_Of(stack).Add(pack, nil)
	}
	cdktest.Recovered(func() { awscdk.Stage_Of(stack).Synth(nil) })
	var found []string
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		path := *c.Node().Path()
		if !strings.HasPrefix(path, "Test/Macie/") && !strings.HasPrefix(path, "Test/Calls/") && !strings.HasPrefix(path, "Test/AWS679") {
			continue
		}
		for _, e := range *c.Node().Metadata() {
			if *e.Type == "aws:cdk:error" {
				found = append(found, path+" "+strings.SplitN(fmt.Sprint(e.Data), ":", 2)[0])
			}
		}
	}
	assert.Empty(t, found)
}

// An existing session stays out of the stack; Macie's settings still go
// onto it, waiting for nothing the stack does not have.
func TestMacieExistingSession(t *testing.T) {
	_, mc, tp := newMacie(t, MacieProps{ExistingSession: true, FindingsFilters: []MacieFindingsFilter{{
		Name: "low", Action: "ARCHIVE", Criteria: map[string]MacieCriterion{"severity.description": {Eq: []string{"Low"}}},
	}}}, true)
	tp.Count("AWS::Macie::Session", 0)
	tp.Count("AWS::Macie::FindingsFilter", 1)
	if mc.Session != nil || mc.SecurityHubPublishing == nil || mc.ResultsRepository == nil {
		t.Errorf("Session %v, publishing %v, repository %v: want none, a call, a call", mc.Session, mc.SecurityHubPublishing, mc.ResultsRepository)
	}
	for _, r := range tp.Resources("AWS::Macie::FindingsFilter") {
		if r["DependsOn"] != nil {
			t.Errorf("filter depends on %v", r["DependsOn"])
		}
	}
}

// TestMacieReportsEveryProblem checks that one panic names every invalid
// prop, not the first only.
func TestMacieReportsEveryProblem(t *testing.T) {
	r := cdktest.Recovered(func() {
		buildMacie(t, MacieProps{Jobs: []MacieClassificationJob{{
			Name: "job", Schedule: MacieMonthly, DayOfMonth: 32, SamplingPercentage: 101, ManagedIdentifiers: "NONE",
		}}}, false)
	})
	if r == nil {
		t.Fatal("no panic")
	}
	msg := fmt.Sprint(r)
	for _, want := range []string{
		`dataprotection.Macie.AddClassificationJob "job"`,
		"exactly one of BucketNames and BucketTags", "DayOfMonth 32", "SamplingPercentage 101", `ManagedIdentifiers "NONE"`,
	} {
		assert.Contains(t, msg, want)
	}
	r = cdktest.Recovered(func() {
		stack := cdktest.NewStack(t, cdktest.Env)
		NewMacie(stack, "Macie", &MacieProps{PublishingFrequency: "HOURLY", ResultsKeyPrefix: "/x"})
	})
	if r == nil {
		t.Fatal("no panic")
	}
	msg = fmt.Sprint(r)
	for _, want := range []string{"Calls is required", `PublishingFrequency "HOURLY"`, `ResultsKeyPrefix "/x"`} {
		assert.Contains(t, msg, want)
	}
}

// TestMacieAddOrder checks the Add methods: parts added one by one build
// what the props build, and an identifier or allow list added after a job
// is refused, since that job would not use it.
func TestMacieAddOrder(t *testing.T) {
	job := MacieClassificationJob{Name: "pii", BucketNames: []string{"data"}}
	cdi := MacieCustomDataIdentifier{Name: "employee-id", Regex: "E[0-9]{6}"}
	_, mc := buildMacie(t, MacieProps{}, false)
	mc.AddCustomDataIdentifier(cdi)
	mc.AddAllowList(MacieAllowList{Name: "test-data", Regex: "TEST-[0-9]+"})
	mc.AddFindingsFilter(MacieFindingsFilter{Name: "low", Criteria: map[string]MacieCriterion{"severity.description": {Eq: []string{"Low"}}}})
	mc.AddClassificationJob(job)
	assert.Len(t, mc.CustomDataIdentifiers, 1)
	assert.Len(t, mc.AllowLists, 1)
	assert.Len(t, mc.FindingsFilters, 1)
	assert.Len(t, mc.Jobs, 1)
	cdktest.PanicsWith(t, "before classification jobs", func() { mc.AddCustomDataIdentifier(MacieCustomDataIdentifier{Name: "late", Regex: "x"}) })
	cdktest.PanicsWith(t, "before classification jobs", func() { mc.AddAllowList(MacieAllowList{Name: "late", Regex: "x"}) })
	cdktest.PanicsWith(t, "must be set and unique", func() { mc.AddClassificationJob(job) })
}

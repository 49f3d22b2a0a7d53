package dataprotection

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/stretchr/testify/assert"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

const secretKeyArn = "arn:aws:kms:eu-west-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

// newSecret synthesizes a Secret in a fresh stack, with an imported key
// unless props already has one.
func newSecret(t *testing.T, env *awscdk.Environment, props SecretProps) (awscdk.Stack, *Secret, *cdktest.Template) {
	t.Helper()
	stack := cdktest.NewStack(t, env)
	if props.EncryptionKey == nil {
		props.EncryptionKey = awskms.Key_FromKeyArn(stack, jsii.String("SecretsKey"), jsii.String(secretKeyArn))
	}
	s := NewSecret(stack, "Secret", &props)
	return stack, s, cdktest.Synth(t, stack)
}

// secretPolicy matches the resource policy's statements.
func secretPolicy(statements ...interface{}) m {
	return m{"ResourcePolicy": m{"Statement": assertions.Match_ArrayWith(&statements)}}
}

func TestSecretDefaults(t *testing.T) {
	stack, s, tp := newSecret(t, cdktest.Env, SecretProps{Name: "mamori/api-token"})

	tp.Count("AWS::SecretsManager::Secret", 1)
	tp.Has("AWS::SecretsManager::Secret", m{
		"Name":     "mamori/api-token",
		"KmsKeyId": secretKeyArn,
		"GenerateSecretString": assertions.Match_Exact(m{
			"PasswordLength":    32,
			"ExcludeCharacters": DefaultExcludeCharacters,
		}),
		"Description":    assertions.Match_Absent(),
		"ReplicaRegions": assertions.Match_Absent(),
	})
	tp.HasResource("AWS::SecretsManager::Secret", m{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	tp.Count("AWS::SecretsManager::RotationSchedule", 0)
	assert.Nil(t, (*tp.ToJSON())["Transform"], "no transform without hosted rotation")

	tp.Count("AWS::SecretsManager::ResourcePolicy", 1)
	tp.HasResource("AWS::SecretsManager::ResourcePolicy", m{
		"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
		"Properties": cdktest.Like(m{
			"SecretId":          m{"Ref": cdktest.LogicalID(stack, s.Secret)},
			"BlockPublicPolicy": true,
		}),
	})
	// No annotations: nothing risky was asked for.
	msgs := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("Secret")))
	assert.Empty(t, *msgs)
}

func TestSecretDescription(t *testing.T) {
	_, _, tp := newSecret(t, cdktest.Env, SecretProps{Name: "x", Description: "Token for the ticket system"})
	tp.Has("AWS::SecretsManager::Secret", m{"Description": "Token for the ticket system"})
}

func TestSecretCustomerManagedKeyInStack(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	key := NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/secrets"})
	NewSecret(stack, "Secret", &SecretProps{Name: "x", EncryptionKey: key.Key})
	cdktest.Synth(t, stack).Has("AWS::SecretsManager::Secret", m{
		"KmsKeyId": m{"Fn::GetAtt": a{cdktest.LogicalID(stack, key.Key), "Arn"}},
	})
}

func TestSecretUsername(t *testing.T) {
	// A quote in the username must stay valid JSON in the template.
	_, _, tp := newSecret(t, cdktest.Env, SecretProps{Name: "db/app", Username: `app"admin`})
	tp.Has("AWS::SecretsManager::Secret", m{"GenerateSecretString": assertions.Match_Exact(m{
		"SecretStringTemplate": `{"username":"app\"admin"}`,
		"GenerateStringKey":    "password",
		"PasswordLength":       32,
		"ExcludeCharacters":    DefaultExcludeCharacters,
	})})
}

func TestSecretPasswordOptions(t *testing.T) {
	for _, tc := range []struct {
		length  int
		exclude string
	}{{1, `"'\/@ `}, {20, "x"}, {4096, strings.Repeat("a", 4096)}} {
		t.Run(fmt.Sprint(tc.length), func(t *testing.T) {
			_, _, tp := newSecret(t, cdktest.Env, SecretProps{Name: "x", PasswordLength: tc.length, ExcludeCharacters: tc.exclude})
			tp.Has("AWS::SecretsManager::Secret", m{"GenerateSecretString": m{
				"PasswordLength": tc.length, "ExcludeCharacters": tc.exclude,
			}})
		})
	}
}

// TestSecretValueNeverInTemplate: Secrets Manager generates every value;
// the template holds only how to generate it.
func TestSecretValueNeverInTemplate(t *testing.T) {
	fn := func(stack awscdk.Stack) awslambda.IFunction {
		return awslambda.Function_FromFunctionArn(stack, jsii.String("Rotator"),
			jsii.String("arn:aws:lambda:eu-west-1:111111111111:function:rotator"))
	}
	for name, props := range map[string]SecretProps{
		"plain":    {Name: "x"},
		"username": {Name: "x", Username: "admin"},
		"hosted":   {Name: "x", Username: "admin", Database: &DatabaseConnection{Host: "db.example.internal", Port: 5432}, RotationDays: 30, HostedRotation: HostedRotationMySQL, ReplicaRegions: []string{"us-east-1"}},
		"function": {Name: "x", RotationDays: 30},
	} {
		t.Run(name, func(t *testing.T) {
			stack := cdktest.NewStack(t, cdktest.Env)
			props.EncryptionKey = awskms.Key_FromKeyArn(stack, jsii.String("SecretsKey"), jsii.String(secretKeyArn))
			if name == "function" {
				props.RotationFunction = fn(stack)
			}
			NewSecret(stack, "Secret", &props)
			walkJSON(*cdktest.Synth(t, stack).ToJSON(), "", func(path string, key string, v interface{}) {
				switch key {
				case "SecretString", "SecretBinary", "SecretStringValue", "SecretObjectValue":
					t.Errorf("%s: a secret value is in the template", path)
				}
				// The generated key's name appears only as the name to generate.
				if s, ok := v.(string); ok && strings.Contains(strings.ToLower(s), "password") && key != "GenerateStringKey" {
					t.Errorf("%s = %q mentions the generated key outside GenerateStringKey", path, s)
				}
			})
		})
	}
}

// walkJSON calls f for every value below v with its path and object key.
func walkJSON(v interface{}, path string, f func(path, key string, v interface{})) {
	switch v := v.(type) {
	case map[string]interface{}:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f(path+"."+k, k, v[k])
			walkJSON(v[k], path+"."+k, f)
		}
	case []interface{}:
		for i, item := range v {
			p := fmt.Sprintf("%s[%d]", path, i)
			f(p, "", item)
			walkJSON(item, p, f)
		}
	}
}

func TestSecretPerimeter(t *testing.T) {
	notAService := m{"aws:PrincipalIsAWSService": "false"}
	tests := []struct {
		name    string
		env     *awscdk.Environment
		org     string
		sid     string
		outside m
	}{
		{"account", cdktest.Env, "", "DenyOutsideAccount", m{"StringNotEquals": m{"aws:PrincipalAccount": "111111111111"}}},
		{"environment-agnostic", nil, "", "DenyOutsideAccount", m{"StringNotEquals": m{"aws:PrincipalAccount": m{"Ref": "AWS::AccountId"}}}},
		{"organization", cdktest.Env, "o-a1b2c3d4e5", "DenyOutsideOrganization", m{"StringNotEquals": m{"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, tp := newSecret(t, tc.env, SecretProps{Name: "x", OrganizationID: tc.org})
			tc.outside["BoolIfExists"] = notAService
			tp.Has("AWS::SecretsManager::ResourcePolicy", m{
				"BlockPublicPolicy": true,
				"ResourcePolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
					"Sid":       tc.sid,
					"Effect":    "Deny",
					"Principal": m{"AWS": "*"},
					"Action":    "secretsmanager:*",
					"Resource":  "*",
					"Condition": assertions.Match_Exact(tc.outside),
				}))},
			})
			// Nothing in the policy allows anyone: grants go to identity policies.
			for _, r := range tp.Resources("AWS::SecretsManager::ResourcePolicy") {
				for _, st := range r["Properties"].(m)["ResourcePolicy"].(m)["Statement"].(a) {
					assert.Equal(t, "Deny", st.(m)["Effect"])
				}
			}
		})
	}
}

// rotationType is the CloudFormation HostedRotationLambda RotationType of
// each engine.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-secretsmanager-rotationschedule-hostedrotationlambda.html
var rotationType = map[HostedRotationEngine]string{
	HostedRotationMySQL:      "MySQLSingleUser",
	HostedRotationPostgreSQL: "PostgreSQLSingleUser",
	HostedRotationOracle:     "OracleSingleUser",
	HostedRotationMariaDB:    "MariaDBSingleUser",
	HostedRotationSQLServer:  "SQLServerSingleUser",
	HostedRotationRedshift:   "RedshiftSingleUser",
	HostedRotationMongoDB:    "MongoDBSingleUser",
}

func TestSecretHostedRotation(t *testing.T) {
	assert.Len(t, HostedRotationEngines, len(rotationType))
	for _, engine := range HostedRotationEngines {
		t.Run(string(engine), func(t *testing.T) {
			stack, s, tp := newSecret(t, cdktest.Env, SecretProps{
				Name: "db/app", Username: "app", Database: &DatabaseConnection{Host: "db.example.internal", Port: 5432}, RotationDays: 30, HostedRotation: engine,
			})
			tp.Count("AWS::SecretsManager::RotationSchedule", 1)
			tp.Has("AWS::SecretsManager::RotationSchedule", m{
				"SecretId": m{"Ref": cdktest.LogicalID(stack, s.Secret)},
				"HostedRotationLambda": assertions.Match_Exact(m{
					"RotationType":      rotationType[engine],
					"KmsKeyArn":         secretKeyArn,
					"ExcludeCharacters": DefaultExcludeCharacters,
				}),
				"RotationRules":     assertions.Match_Exact(m{"ScheduleExpression": "rate(30 days)"}),
				"RotationLambdaARN": assertions.Match_Absent(),
			})
			// The AWS::SecretsManager transform turns HostedRotationLambda into
			// a nested stack with the rotation function at deploy time; the
			// synthesized template holds neither a function nor a
			// serverless application.
			assert.Equal(t, "AWS::SecretsManager-2024-09-16", (*tp.ToJSON())["Transform"])
			tp.Count("AWS::Lambda::Function", 0)
			tp.Count("AWS::Serverless::Application", 0)
			tp.Count("AWS::CloudFormation::Stack", 0)
		})
	}
}

func TestSecretRotationDaysBounds(t *testing.T) {
	for days, want := range map[int]string{1: "rate(1 day)", 1000: "rate(1000 days)"} {
		_, _, tp := newSecret(t, cdktest.Env, SecretProps{Name: "x", Username: "u", Database: &DatabaseConnection{Host: "db.example.internal", Port: 5432}, RotationDays: days, HostedRotation: HostedRotationMySQL})
		tp.Has("AWS::SecretsManager::RotationSchedule", m{"RotationRules": m{"ScheduleExpression": want}})
	}
}

func TestSecretFunctionRotation(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	key := NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/secrets"})
	fn := awslambda.NewFunction(stack, jsii.String("Rotator"), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_PYTHON_3_13(),
		Handler: jsii.String("index.handler"),
		Code:    awslambda.Code_FromInline(jsii.String("def handler(event, context): pass")),
	})
	s := NewSecret(stack, "Secret", &SecretProps{Name: "x", EncryptionKey: key.Key, RotationDays: 7, RotationFunction: fn})
	tp := cdktest.Synth(t, stack)
	fnID, secretID := cdktest.LogicalID(stack, fn), cdktest.LogicalID(stack, s.Secret)

	tp.Has("AWS::SecretsManager::RotationSchedule", m{
		"SecretId":             m{"Ref": secretID},
		"RotationLambdaARN":    m{"Fn::GetAtt": a{fnID, "Arn"}},
		"RotationRules":        assertions.Match_Exact(m{"ScheduleExpression": "rate(7 days)"}),
		"HostedRotationLambda": assertions.Match_Absent(),
	})
	assert.Nil(t, (*tp.ToJSON())["Transform"])
	tp.Has("AWS::Lambda::Permission", m{
		"Action":       "lambda:InvokeFunction",
		"FunctionName": m{"Fn::GetAtt": a{fnID, "Arn"}},
		"Principal":    "secretsmanager.amazonaws.com",
	})
	tp.Has("AWS::IAM::Policy", m{"PolicyDocument": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(
		m{
			"Action": a{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"},
			"Effect": "Allow", "Resource": m{"Ref": secretID},
		},
		m{"Action": "secretsmanager:GetRandomPassword", "Effect": "Allow", "Resource": "*"},
	))}})
	// The function may use the key only through Secrets Manager.
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(cdktest.Like(m{
		"Effect":    "Allow",
		"Principal": m{"AWS": m{"Fn::GetAtt": a{cdktest.LogicalID(stack, fn.Role()), "Arn"}}},
		"Condition": m{"StringEquals": m{"kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com"}},
	})))}})
}

func TestSecretReaders(t *testing.T) {
	stack := cdktest.NewStack(t, cdktest.Env)
	key := NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/secrets"})
	reader := awsiam.NewRole(stack, jsii.String("Reader"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil)})
	later := awsiam.NewRole(stack, jsii.String("Later"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil)})
	s := NewSecret(stack, "Secret", &SecretProps{Name: "x", EncryptionKey: key.Key, Readers: []awsiam.IPrincipal{reader}})
	s.GrantRead(later)
	tp := cdktest.Synth(t, stack)
	for _, role := range []awsiam.Role{reader, later} {
		tp.Has("AWS::IAM::Policy", m{
			"Roles": a{m{"Ref": cdktest.LogicalID(stack, role)}},
			"PolicyDocument": m{"Statement": assertions.Match_Exact(a{m{
				"Action": a{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"},
				"Effect": "Allow", "Resource": m{"Ref": cdktest.LogicalID(stack, s.Secret)},
			}})},
		})
	}
	// Both may decrypt, through Secrets Manager only (one minimized statement).
	tp.Has("AWS::KMS::Key", m{"KeyPolicy": m{"Statement": assertions.Match_ArrayWith(cdktest.Arr(m{
		"Action": "kms:Decrypt",
		"Effect": "Allow",
		"Principal": m{"AWS": a{
			m{"Fn::GetAtt": a{cdktest.LogicalID(stack, later), "Arn"}},
			m{"Fn::GetAtt": a{cdktest.LogicalID(stack, reader), "Arn"}},
		}},
		"Resource":  "*",
		"Condition": m{"StringEquals": m{"kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com"}},
	}))}})
}

func TestSecretReplicas(t *testing.T) {
	stack, _, tp := newSecret(t, cdktest.Env, SecretProps{
		Name: "x", ReplicaRegions: []string{"us-east-1", "ap-northeast-1"}, ReplicaKeyAlias: "alias/mamori/secrets",
	})
	// The alias name, resolved by Secrets Manager in each replica's region;
	// an alias ARN would name the primary region.
	tp.Has("AWS::SecretsManager::Secret", m{"ReplicaRegions": assertions.Match_Exact(a{
		m{"Region": "us-east-1", "KmsKeyId": "alias/mamori/secrets"},
		m{"Region": "ap-northeast-1", "KmsKeyId": "alias/mamori/secrets"},
	})})
	assert.Empty(t, *assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("aws/secretsmanager"))))

	stack, _, tp = newSecret(t, cdktest.Env, SecretProps{Name: "x", ReplicaRegions: []string{"us-east-1"}})
	tp.Has("AWS::SecretsManager::Secret", m{"ReplicaRegions": assertions.Match_Exact(a{m{"Region": "us-east-1"}})})
	assert.Len(t, *assertions.Annotations_FromStack(stack).FindWarning(jsii.String("/Test/Secret"),
		assertions.Match_StringLikeRegexp(jsii.String("AWS managed aws/secretsmanager key"))), 1)
}

func TestSecretDestroyOnDelete(t *testing.T) {
	_, _, tp := newSecret(t, cdktest.Env, SecretProps{Name: "x", DestroyOnDelete: true})
	tp.HasResource("AWS::SecretsManager::Secret", m{"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"})
	tp.HasResource("AWS::SecretsManager::ResourcePolicy", m{"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"})
}

func TestSecretWarnings(t *testing.T) {
	for name, tc := range map[string]struct {
		props SecretProps
		want  string
	}{
		"ARN-like suffix": {SecretProps{Name: "db/app-abc123"}, "ends with a hyphen and six characters"},
		"short password":  {SecretProps{Name: "x", PasswordLength: 19}, "generates only 19 characters"},
	} {
		t.Run(name, func(t *testing.T) {
			stack, _, _ := newSecret(t, cdktest.Env, tc.props)
			assert.Len(t, *assertions.Annotations_FromStack(stack).FindWarning(jsii.String("/Test/Secret"),
				assertions.Match_StringLikeRegexp(jsii.String(tc.want))), 1)
		})
	}
}

// nagFindings are the cdk-nag errors on the secret's resources.
func nagFindings(t *testing.T, props SecretProps) []string {
	t.Helper()
	stack := cdktest.NewStack(t, cdktest.Env)
	for _, pack := range []awscdk.IAspect{
		cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}),
		cdknag.NewNIST80053R5Checks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}),
		cdknag.NewPCIDSS321Checks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}),
	} {
		awscdk.Aspects_Of(stack).Add(pack, nil)
	}
	props.EncryptionKey = NewKey(stack, "Key", &KeyProps{Alias: "alias/mamori/secrets"}).Key
	NewSecret(stack, "Secret", &props)
	// Synthesis refuses a stack with error annotations, after cdk-nag has
	// recorded them in the constructs' metadata, where they are read.
	cdktest.Recovered(func() { awscdk.Stage_Of(stack).Synth(nil) })
	var out []string
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		path := *c.Node().Path()
		if !strings.HasPrefix(path, "Test/Secret/") {
			continue
		}
		for _, e := range *c.Node().Metadata() {
			if *e.Type == "aws:cdk:error" {
				out = append(out, path+" "+strings.SplitN(fmt.Sprint(e.Data), ":", 2)[0])
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestSecretNag(t *testing.T) {
	// With rotation the secret passes every pack without a suppression.
	assert.Empty(t, nagFindings(t, SecretProps{Name: "db/app", Username: "app", Database: &DatabaseConnection{Host: "db.example.internal", Port: 5432}, RotationDays: 30, HostedRotation: HostedRotationPostgreSQL}))
	// Without rotation the packs that check rotation report it, unsuppressed:
	// the stack decides. (PCI DSS 3.2.1 checks only SecretsManagerUsingKMSKey.)
	assert.Equal(t, []string{
		"Test/Secret/Resource/Resource AwsSolutions-SMG4",
		"Test/Secret/Resource/Resource NIST.800.53.R5-SecretsManagerRotationEnabled",
	}, nagFindings(t, SecretProps{Name: "api/token"}))
}

func TestSecretPanics(t *testing.T) {
	withFn := func(p SecretProps) func(stack awscdk.Stack) *SecretProps {
		return func(stack awscdk.Stack) *SecretProps {
			p.RotationFunction = awslambda.Function_FromFunctionArn(stack, jsii.String("Fn"), jsii.String("arn:aws:lambda:eu-west-1:111111111111:function:f"))
			return &p
		}
	}
	plain := func(p SecretProps) func(awscdk.Stack) *SecretProps {
		return func(awscdk.Stack) *SecretProps { return &p }
	}
	tests := []struct {
		name  string
		props func(awscdk.Stack) *SecretProps
		want  string
	}{
		{"nil props", func(awscdk.Stack) *SecretProps { return nil }, `dataprotection.NewSecret "Secret": Name "" must be 1 to 512`},
		{"name bad character", plain(SecretProps{Name: "db app"}), `Name "db app" must be`},
		{"name too long", plain(SecretProps{Name: strings.Repeat("a", 513)}), "must be 1 to 512"},
		{"no key", plain(SecretProps{Name: "x"}), "EncryptionKey is required"},
		{"password too short", plain(SecretProps{Name: "x", PasswordLength: -1}), "PasswordLength -1 must be from 1 to 4096"},
		{"password too long", plain(SecretProps{Name: "x", PasswordLength: 4097}), "PasswordLength 4097"},
		{"exclusions too long", plain(SecretProps{Name: "x", ExcludeCharacters: strings.Repeat("a", 4097)}), "ExcludeCharacters must be at most 4096"},
		{"rotation negative", plain(SecretProps{Name: "x", RotationDays: -1}), "RotationDays -1 must be from 1 to 1000"},
		{"rotation too long", plain(SecretProps{Name: "x", RotationDays: 1001, HostedRotation: HostedRotationMySQL, Username: "u", Database: &DatabaseConnection{Host: "db.example.internal", Port: 5432}}), "RotationDays 1001"},
		{"rotation without source", plain(SecretProps{Name: "x", RotationDays: 30}), "needs exactly one of HostedRotation and RotationFunction"},
		{"rotation with both", withFn(SecretProps{Name: "x", RotationDays: 30, HostedRotation: HostedRotationMySQL, Username: "u"}), "needs exactly one of"},
		{"hosted without days", plain(SecretProps{Name: "x", HostedRotation: HostedRotationMySQL, Username: "u"}), "need RotationDays"},
		{"function without days", withFn(SecretProps{Name: "x"}), "need RotationDays"},
		{"unknown engine", plain(SecretProps{Name: "x", RotationDays: 30, HostedRotation: "db2", Username: "u"}), `HostedRotation "db2": supported values: "mariadb", "mongodb", "mysql"`},
		{"hosted without username", plain(SecretProps{Name: "x", RotationDays: 30, HostedRotation: HostedRotationOracle}), `HostedRotation "oracle" needs Username`},
		{"hosted without database", plain(SecretProps{Name: "x", Username: "u", RotationDays: 30, HostedRotation: HostedRotationOracle}), "needs Username and Database"},
		{"database without port", plain(SecretProps{Name: "x", Username: "u", Database: &DatabaseConnection{Host: "h"}}), "a Port from 1 to 65535"},
		{"bad organization", plain(SecretProps{Name: "x", OrganizationID: "r-abcd"}), `OrganizationID "r-abcd" must look like`},
		{"alias without replicas", plain(SecretProps{Name: "x", ReplicaKeyAlias: "alias/mamori/secrets"}), "needs ReplicaRegions"},
		{"replica key not an alias", plain(SecretProps{Name: "x", ReplicaRegions: []string{"us-east-1"}, ReplicaKeyAlias: secretKeyArn}), "ReplicaKeyAlias"},
		{"replica AWS managed alias", plain(SecretProps{Name: "x", ReplicaRegions: []string{"us-east-1"}, ReplicaKeyAlias: "alias/aws/secretsmanager"}), "not alias/aws/"},
		{"replica bad region", plain(SecretProps{Name: "x", ReplicaRegions: []string{"US-EAST-1"}}), `ReplicaRegions: "US-EAST-1" must be a region code`},
		{"replica duplicate", plain(SecretProps{Name: "x", ReplicaRegions: []string{"us-east-1", "us-east-1"}}), `"us-east-1" must be a region code, listed once`},
		{"replica own region", plain(SecretProps{Name: "x", ReplicaRegions: []string{"eu-west-1"}}), "other than the stack's own region"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stack := cdktest.NewStack(t, cdktest.Env)
			props := tc.props(stack)
			if props != nil && props.EncryptionKey == nil && tc.name != "no key" {
				props.EncryptionKey = awskms.Key_FromKeyArn(stack, jsii.String("SecretsKey"), jsii.String(secretKeyArn))
			}
			cdktest.PanicsWith(t, tc.want, func() { NewSecret(stack, "Secret", props) })
		})
	}
}

// TestSecretDatabaseConnection: the rotation functions AWS hosts read the
// engine and connection fields from the secret itself.
func TestSecretDatabaseConnection(t *testing.T) {
	_, _, tp := newSecret(t, cdktest.Env, SecretProps{
		Name: "db/app", Username: "app", RotationDays: 30, HostedRotation: HostedRotationPostgreSQL,
		Database: &DatabaseConnection{Host: "db.example.internal", Port: 5432, Name: "payments"},
	})
	tp.Has("AWS::SecretsManager::Secret", m{"GenerateSecretString": cdktest.Like(m{
		"SecretStringTemplate": `{"dbname":"payments","engine":"postgres","host":"db.example.internal","port":5432,"username":"app"}`,
		"GenerateStringKey":    "password",
	})})
}

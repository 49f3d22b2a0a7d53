package dataprotection

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
)

// HostedRotationEngine names a database engine for which Secrets Manager
// hosts a single-user rotation function (a Lambda function from AWS's
// rotation templates, deployed by the AWS::SecretsManager transform in a
// nested stack). The zero value means no hosted rotation.
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_available-rotation-templates.html
type HostedRotationEngine string

// The engines CDK's awssecretsmanager.HostedRotation supports as single-user
// rotation. The secret must be {"username": ..., "password": ...}, which
// SecretProps.Username produces.
const (
	HostedRotationMySQL      HostedRotationEngine = "mysql"
	HostedRotationPostgreSQL HostedRotationEngine = "postgresql"
	HostedRotationOracle     HostedRotationEngine = "oracle"
	HostedRotationMariaDB    HostedRotationEngine = "mariadb"
	HostedRotationSQLServer  HostedRotationEngine = "sqlserver"
	HostedRotationRedshift   HostedRotationEngine = "redshift"
	HostedRotationMongoDB    HostedRotationEngine = "mongodb"
)

// DatabaseConnection is where a database secret's rotation connects.
type DatabaseConnection struct {
	// Host is the database endpoint's host name. Required.
	Host string
	// Port is the database port. Required.
	Port int
	// Name is the database name (dbname). Default: the engine's default database.
	Name string
}

// secretEngine is the "engine" value AWS's rotation functions expect.
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html
func (e HostedRotationEngine) secretEngine() string {
	switch e {
	case HostedRotationPostgreSQL:
		return "postgres"
	case HostedRotationMongoDB:
		return "mongo"
	default:
		return string(e)
	}
}

// HostedRotationEngines lists every supported engine, in a stable order.
var HostedRotationEngines = []HostedRotationEngine{
	HostedRotationMySQL, HostedRotationPostgreSQL, HostedRotationOracle, HostedRotationMariaDB,
	HostedRotationSQLServer, HostedRotationRedshift, HostedRotationMongoDB,
}

// hostedRotation is the CDK single-user hosted rotation for the engine, or
// nil for an engine mamori does not know.
func (e HostedRotationEngine) hostedRotation(o *awssecretsmanager.SingleUserHostedRotationOptions) awssecretsmanager.HostedRotation {
	switch e {
	case HostedRotationMySQL:
		return awssecretsmanager.HostedRotation_MysqlSingleUser(o)
	case HostedRotationPostgreSQL:
		return awssecretsmanager.HostedRotation_PostgreSqlSingleUser(o)
	case HostedRotationOracle:
		return awssecretsmanager.HostedRotation_OracleSingleUser(o)
	case HostedRotationMariaDB:
		return awssecretsmanager.HostedRotation_MariaDbSingleUser(o)
	case HostedRotationSQLServer:
		return awssecretsmanager.HostedRotation_SqlServerSingleUser(o)
	case HostedRotationRedshift:
		return awssecretsmanager.HostedRotation_RedshiftSingleUser(o)
	case HostedRotationMongoDB:
		return awssecretsmanager.HostedRotation_MongoDbSingleUser(o)
	}
	return nil
}

// DefaultExcludeCharacters are the characters generated passwords leave out
// unless told otherwise: CDK's own default for database secrets and hosted
// rotation (aws-secretsmanager rotation-schedule.ts, aws-rds), a superset of
// what RDS refuses in a master password (/, ', ", @ and space) that also
// keeps passwords safe to paste into shells, URLs and connection strings.
const DefaultExcludeCharacters = " %+~`#$&*()|[]{}:;<>?!'/@\"\\"

// SecretProps configures a Secret.
type SecretProps struct {
	// Name is the secret's name: 1 to 512 of A-Z a-z 0-9 / _ + = . @ -.
	// Required: applications find secrets by name. Secrets Manager appends
	// "-" and six random characters to the ARN, so a name that itself ends
	// that way confuses partial-ARN look-ups (a warning says so).
	// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
	Name string
	// Description says what the secret is for. Default: none.
	Description string
	// EncryptionKey is the customer managed KMS key that encrypts the secret.
	// Required: the AWS managed aws/secretsmanager key cannot be shared
	// across accounts and its key policy cannot be narrowed. When the key is
	// a Key in the same stack, CDK adds a key-policy statement letting the
	// account use it through Secrets Manager in this region only
	// (kms:ViaService); IAM policies then decide who may.
	EncryptionKey awskms.IKey
	// Username, when set, makes the value the JSON object
	// {"username": Username, "password": <generated>}, the shape database
	// rotation functions expect. Usernames are not secret: it appears in the
	// template. Default: the value is one generated string.
	// https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html
	Username string
	// Database, with Username, adds the connection fields a rotation function
	// needs to reach the database (engine, host, port, dbname). Required for
	// HostedRotation: AWS's rotation functions fail on a secret without them.
	// Default: none.
	// https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html
	Database *DatabaseConnection
	// PasswordLength is the length of the generated value (GenerateSecretString
	// PasswordLength, 1 to 4096 as the GetRandomPassword API allows; below 20
	// a warning is added). Default: 32.
	// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html
	PasswordLength int
	// ExcludeCharacters are left out of the generated value (at most 4096).
	// The empty string means the default; hosted rotation generates new
	// passwords with the same exclusions. Default: DefaultExcludeCharacters.
	ExcludeCharacters string
	// RotationDays, when above zero, rotates the secret this many days after
	// the previous rotation (1 to 1000: RotationRules AutomaticallyAfterDays),
	// through exactly one of HostedRotation and RotationFunction.
	// CDK's rotation schedule also adds a resource-policy statement denying
	// secretsmanager:DeleteSecret to every principal of the account; a
	// retained secret keeps it (delete the resource policy first to delete
	// the secret by hand).
	// Default: 0: no rotation (cdk-nag's AwsSolutions-SMG4 and NIST 800-53
	// SecretsManagerRotationEnabled then report the secret, unsuppressed:
	// the stack decides whether that is acceptable).
	// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html
	RotationDays int
	// HostedRotation rotates with the function Secrets Manager hosts for this
	// engine; it needs Username and Database. The function is created without a VPC, so it
	// reaches only databases with a public endpoint; databases in private
	// subnets need a VPC-attached rotation (not offered yet: use
	// RotationFunction with a function you place in the VPC).
	// Default: none.
	HostedRotation HostedRotationEngine
	// RotationFunction rotates with a Lambda function you own. When it belongs
	// to this CDK app, it is given what rotation needs (Secrets Manager may
	// invoke it; it may read, write and stage versions of this secret, use
	// the key through Secrets Manager, and call GetRandomPassword); an
	// imported function must already have those permissions. Default: none.
	// https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
	RotationFunction awslambda.IFunction
	// OrganizationID (o-...) widens the resource policy's perimeter from this
	// account to the AWS Organization: principals of any member account may
	// then be granted access (they still need an IAM allow, a resource-policy
	// allow and kms:Decrypt on EncryptionKey). Default: only principals of
	// this account (and AWS services) get past the resource policy.
	OrganizationID string
	// Readers may read the secret's value (secretsmanager:GetSecretValue,
	// DescribeSecret) and decrypt it with EncryptionKey through Secrets
	// Manager in this region. Readers in replica regions also need
	// kms:Decrypt on that region's replica key. Default: none.
	Readers []awsiam.IPrincipal
	// ReplicaRegions replicate the secret to these regions (e.g. "us-east-1";
	// not the stack's own region). Rotation happens in the primary region and
	// replicates. Default: none.
	// https://docs.aws.amazon.com/secretsmanager/latest/userguide/replicate-secrets.html
	ReplicaRegions []string
	// ReplicaKeyAlias is the alias (e.g. "alias/mamori/secrets") of the KMS
	// key that encrypts each replica; the same alias must exist in every
	// replica region. Secrets Manager resolves an alias name in the replica's
	// region (ReplicaRegion KmsKeyId takes "the ARN, key ID, or alias").
	// Default: replicas use the AWS managed aws/secretsmanager key of their
	// region (a warning says so).
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-secretsmanager-secret-replicaregion.html
	ReplicaKeyAlias string
	// DestroyOnDelete deletes the secret (and its resource policy) when it
	// leaves the stack. Secrets Manager keeps a deleted secret recoverable for
	// at least 7 days and the name stays taken meanwhile, so a stack that
	// recreates the same Name at once fails until the window ends.
	// Default: false: the secret and its resource policy are retained.
	// https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-secret.html
	DestroyOnDelete bool
}

// Secret is an AWS Secrets Manager secret whose value Secrets Manager
// generates, so that it never appears in a template, encrypted with a
// customer managed key, readable only by principals of this account (or
// organization) through a resource policy that Secrets Manager checks with
// BlockPublicPolicy, optionally rotated and replicated, and retained on stack
// delete unless told otherwise.
type Secret struct {
	Scope  constructs.Construct
	Secret awssecretsmanager.Secret
}

var (
	secretNameRe = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)
	arnSuffixRe  = regexp.MustCompile(`-[A-Za-z0-9]{6}$`)
	regionRe     = regexp.MustCompile(`^([a-z]+-)+\d+$`)
	orgIDRe      = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	keyAliasRe   = regexp.MustCompile(`^alias/[a-zA-Z0-9/_-]{1,250}$`)
)

// maxRotationDays is RotationRules AutomaticallyAfterDays' maximum.
const maxRotationDays = 1000

// NewSecret creates a Secret. It panics listing every invalid prop.
func NewSecret(scope constructs.Construct, id string, props *SecretProps) *Secret {
	var p SecretProps
	if props != nil {
		p = *props
	}
	if p.PasswordLength == 0 {
		p.PasswordLength = 32
	}
	if p.ExcludeCharacters == "" {
		p.ExcludeCharacters = DefaultExcludeCharacters
	}
	stack := awscdk.Stack_Of(scope)
	checkSecret(stack, id, p)

	this := constructs.NewConstruct(scope, jsii.String(id))
	secret := awssecretsmanager.NewSecret(this, jsii.String("Resource"), &awssecretsmanager.SecretProps{
		SecretName:           jsii.String(p.Name),
		Description:          optional(p.Description),
		EncryptionKey:        p.EncryptionKey,
		GenerateSecretString: secretGenerator(p),
		RemovalPolicy:        jsiix.Removal(p.DestroyOnDelete),
	})
	s := &Secret{Scope: this, Secret: secret}
	if arnSuffixRe.MatchString(p.Name) {
		s.warn("mamori:secret-name-arn-suffix", "Secret name %q ends with a hyphen and six characters, like the suffix "+
			"Secrets Manager appends to ARNs: partial-ARN look-ups may match the wrong secret", p.Name)
	}
	if p.PasswordLength < 20 {
		s.warn("mamori:secret-short-password", "Secret %q generates only %d characters; use 20 or more unless the "+
			"consumer cannot take them", p.Name, p.PasswordLength)
	}
	if len(p.ReplicaRegions) > 0 {
		s.replicate(p)
	}
	s.addPerimeter(stack, p.OrganizationID, p.DestroyOnDelete)
	if p.RotationDays > 0 {
		opts := &awssecretsmanager.RotationScheduleOptions{
			AutomaticallyAfter: awscdk.Duration_Days(jsii.Number(float64(p.RotationDays))),
			RotationLambda:     p.RotationFunction,
		}
		if p.HostedRotation != "" {
			opts.HostedRotation = p.HostedRotation.hostedRotation(&awssecretsmanager.SingleUserHostedRotationOptions{
				ExcludeCharacters: jsii.String(p.ExcludeCharacters),
			})
		}
		secret.AddRotationSchedule(jsii.String("Rotation"), opts)
	}
	for _, r := range p.Readers {
		s.GrantRead(r)
	}
	return s
}

// checkSecret panics listing every invalid prop of p.
func checkSecret(stack awscdk.Stack, id string, p SecretProps) {
	bad := problems.Of("dataprotection.NewSecret", id)
	if !secretNameRe.MatchString(p.Name) {
		bad.Add("Name %q must be 1 to 512 of A-Z a-z 0-9 / _ + = . @ -", p.Name)
	}
	if p.EncryptionKey == nil {
		bad.Add("EncryptionKey is required")
	}
	if p.PasswordLength < 1 || p.PasswordLength > 4096 {
		bad.Add("PasswordLength %d must be from 1 to 4096", p.PasswordLength)
	}
	if len(p.ExcludeCharacters) > 4096 {
		bad.Add("ExcludeCharacters must be at most 4096 characters")
	}
	checkSecretRotation(p, bad)
	if p.Database != nil && (p.Username == "" || p.Database.Host == "" || p.Database.Port < 1 || p.Database.Port > 65535) {
		bad.Add("Database needs Username, a Host and a Port from 1 to 65535")
	}
	if p.OrganizationID != "" && !orgIDRe.MatchString(p.OrganizationID) {
		bad.Add("OrganizationID %q must look like o-exampleorgid (o- and 10 to 32 lowercase letters or digits)", p.OrganizationID)
	}
	if p.ReplicaKeyAlias != "" && (len(p.ReplicaRegions) == 0 || !keyAliasRe.MatchString(p.ReplicaKeyAlias) || strings.HasPrefix(p.ReplicaKeyAlias, "alias/aws/")) {
		bad.Add("ReplicaKeyAlias %q must be a customer managed key's alias (alias/..., not alias/aws/...) and needs ReplicaRegions", p.ReplicaKeyAlias)
	}
	seen := map[string]bool{}
	for _, r := range p.ReplicaRegions {
		if !regionRe.MatchString(r) || seen[r] || (!*awscdk.Token_IsUnresolved(stack.Region()) && r == *stack.Region()) {
			bad.Add("ReplicaRegions: %q must be a region code, listed once, other than the stack's own region", r)
		}
		seen[r] = true
	}
	bad.Check()
}

// checkSecretRotation adds the problems of the rotation props: a schedule
// and exactly one rotation, a hosted one only for a supported engine with
// the connection fields.
func checkSecretRotation(p SecretProps, bad *problems.List) {
	switch {
	case p.RotationDays < 0 || p.RotationDays > maxRotationDays:
		bad.Add("RotationDays %d must be from 1 to %d, or 0 for no rotation", p.RotationDays, maxRotationDays)
	case p.RotationDays == 0 && (p.HostedRotation != "" || p.RotationFunction != nil):
		bad.Add("HostedRotation and RotationFunction need RotationDays")
	case p.RotationDays > 0 && (p.HostedRotation == "") == (p.RotationFunction == nil):
		bad.Add("RotationDays %d needs exactly one of HostedRotation and RotationFunction", p.RotationDays)
	}
	switch {
	case p.HostedRotation != "" && p.HostedRotation.hostedRotation(nil) == nil:
		bad.Add("HostedRotation %q: supported values: %s", p.HostedRotation, engineList())
	case p.HostedRotation != "" && (p.Username == "" || p.Database == nil):
		bad.Add("HostedRotation %q needs Username and Database: rotation functions need the connection fields in the secret", p.HostedRotation)
	}
}

// secretGenerator generates the password and, with a Username, the JSON
// fields a rotation function reads beside it.
func secretGenerator(p SecretProps) *awssecretsmanager.SecretStringGenerator {
	gen := &awssecretsmanager.SecretStringGenerator{
		PasswordLength:    jsii.Number(float64(p.PasswordLength)),
		ExcludeCharacters: jsii.String(p.ExcludeCharacters),
	}
	if p.Username == "" {
		return gen
	}
	fields := map[string]interface{}{"username": p.Username}
	if d := p.Database; d != nil {
		fields["host"], fields["port"] = d.Host, d.Port
		if p.HostedRotation != "" {
			fields["engine"] = p.HostedRotation.secretEngine()
		}
		if d.Name != "" {
			fields["dbname"] = d.Name
		}
	}
	// Strings and an int always marshal.
	template, _ := json.Marshal(fields)
	gen.SecretStringTemplate = jsii.String(string(template))
	gen.GenerateStringKey = jsii.String("password")
	return gen
}

// replicate replicates the secret to ReplicaRegions.
func (s *Secret) replicate(p SecretProps) {
	// Replicas are set on the L1: the L2 would turn an alias into an alias
	// ARN of the stack's region, which does not exist in the replica region.
	replicas := make([]interface{}, 0, len(p.ReplicaRegions))
	for _, r := range p.ReplicaRegions {
		replicas = append(replicas, &awssecretsmanager.CfnSecret_ReplicaRegionProperty{
			Region:   jsii.String(r),
			KmsKeyId: optional(p.ReplicaKeyAlias),
		})
	}
	s.Secret.Node().DefaultChild().(awssecretsmanager.CfnSecret).SetReplicaRegions(replicas)
	if p.ReplicaKeyAlias == "" {
		s.warn("mamori:secret-replica-aws-managed-key", "Secret %q replicas are encrypted with the AWS managed "+
			"aws/secretsmanager key; set ReplicaKeyAlias to use a customer managed key", p.Name)
	}
}

func (s *Secret) warn(warningID, format string, args ...interface{}) {
	awscdk.Annotations_Of(s.Scope).AddWarningV2(jsii.String(warningID), jsii.String(fmt.Sprintf(format, args...)), nil)
}

// addPerimeter denies every Secrets Manager action to principals outside the
// account (or organization), except AWS service principals, and turns on
// BlockPublicPolicy so that no later statement can open the secret to the
// world.
//
// The exemption is aws:PrincipalIsAWSService (BoolIfExists false): a request
// a service principal signs itself carries no aws:PrincipalAccount or
// aws:PrincipalOrgID, which StringNotEquals would deny. Requests services
// make with the caller's credentials (forward access sessions, e.g.
// CloudFormation dynamic references, hosted rotation's Lambda role) carry
// the caller's account and pass as that caller; aws:ViaAWSService is
// deliberately not exempted, or an outside principal could reach the secret
// through any service.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_data-perimeters.html
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html
func (s *Secret) addPerimeter(stack awscdk.Stack, organizationID string, destroy bool) {
	sid, outside := "DenyOutsideAccount", map[string]interface{}{"aws:PrincipalAccount": stack.Account()}
	if organizationID != "" {
		sid, outside = "DenyOutsideOrganization", map[string]interface{}{"aws:PrincipalOrgID": organizationID}
	}
	s.Secret.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(sid),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("secretsmanager:*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"StringNotEquals": outside,
			"BoolIfExists":    map[string]interface{}{"aws:PrincipalIsAWSService": "false"},
		},
	}))
	// CDK's ResourcePolicy leaves BlockPublicPolicy unset; Secrets Manager
	// then accepts policies that allow broad access. It is retained with the
	// secret, so that a retained secret keeps its perimeter.
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-secretsmanager-resourcepolicy.html
	policy := s.Secret.Node().FindChild(jsii.String("Policy")).Node().DefaultChild().(awssecretsmanager.CfnResourcePolicy)
	policy.SetBlockPublicPolicy(jsii.Bool(true))
	policy.ApplyRemovalPolicy(jsiix.Removal(destroy), nil)
}

// GrantRead lets grantee read the secret's value: secretsmanager:GetSecretValue
// and DescribeSecret on this secret, and kms:Decrypt on its key through
// Secrets Manager in this region. Principals outside the account (or
// organization) stay denied by the resource policy.
func (s *Secret) GrantRead(grantee awsiam.IGrantable) awsiam.Grant {
	return s.Secret.GrantRead(grantee, nil)
}

func engineList() string {
	names := make([]string, 0, len(HostedRotationEngines))
	for _, e := range HostedRotationEngines {
		names = append(names, fmt.Sprintf("%q", e))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

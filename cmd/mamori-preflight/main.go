// Command mamori-preflight checks, read-only, what the accounts and regions a
// mamori config deploys to already hold, and says what a deploy would do and
// what must happen first. `make preflight CONFIG=path.yaml` runs it;
// docs/preflight.md explains the table, the exit codes, the IAM policy it
// needs and how `make adopt` uses the import files it writes.
//
//	mamori-preflight [-config path.yaml] [-json] [-role NAME] [-imports DIR] [-assembly cdk.out]
//	mamori-preflight -policy [-config path.yaml]
//
// Exit codes: 0 ready, 1 something needs a decision or a step, 2 something
// could not be checked (no credentials, access denied: the missing permission
// is named), 3 bad usage or configuration.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/detective"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	"github.com/aws/aws-sdk-go-v2/service/macie2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/internal/preflight"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mamori-preflight", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "config file (default: the embedded default config)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	role := fs.String("role", "", "role preflight assumes in the other accounts (default: topology.organization.preflightRoleName, else OrganizationAccountAccessRole)")
	toolkit := fs.String("toolkit-stack-name", "CDKToolkit", "name of the CDK bootstrap stack")
	imports := fs.String("imports", "", "write one cdk import resource-mapping file per stack into this directory, for the resources the config adopts")
	assembly := fs.String("assembly", "cdk.out", "synthesized cloud assembly whose templates give the logical IDs of -imports")
	policy := fs.Bool("policy", false, "print the read-only IAM policy preflight needs, and exit")
	if err := fs.Parse(args); err != nil {
		return 3
	}
	cfg, err := load(*path)
	if err != nil {
		fmt.Fprintf(stderr, "mamori-preflight: invalid configuration:\n%v\n", err)
		return 3
	}
	roleName := *role
	if roleName == "" {
		roleName = preflight.RoleName(cfg)
	}
	if *policy {
		fmt.Fprintln(stdout, preflight.Policy(roleName))
		return 0
	}
	ctx := context.Background()
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "mamori-preflight: cannot load AWS configuration: %v\n", err)
		return 2
	}
	report := preflight.Run(ctx, cfg, &session{base: awsCfg, role: roleName}, preflight.Options{ToolkitStackName: *toolkit})
	if report.NoCredentials() {
		// One line, no trace: the one thing to do is to sign in.
		fmt.Fprintln(stderr, "mamori-preflight: no AWS credentials found: sign in (aws sso login, AWS_PROFILE or AWS_ACCESS_KEY_ID) and run again")
		return 2
	}
	if *asJSON {
		err = report.WriteJSON(stdout)
	} else {
		err = report.WriteTable(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mamori-preflight: %v\n", err)
		return 3
	}
	if *imports != "" {
		files, err := preflight.WriteImports(report, preflight.DirTemplates(*assembly), *imports)
		if err != nil {
			fmt.Fprintf(stderr, "mamori-preflight: %v\n", err)
			return 3
		}
		for _, f := range files {
			fmt.Fprintln(stderr, "mamori-preflight: wrote "+f)
		}
	}
	return report.ExitCode()
}

func load(path string) (*config.Config, error) {
	if path == "" {
		return config.Default()
	}
	return config.Load(path)
}

// session opens SDK clients with the caller's credentials, and through role
// in every other account.
type session struct {
	base aws.Config
	role string

	mu     sync.Mutex
	caller string
	creds  map[string]aws.CredentialsProvider
}

func (s *session) Caller(ctx context.Context) (string, error) {
	if s.base.Credentials == nil {
		return "", preflight.ErrNoCredentials
	}
	if _, err := s.base.Credentials.Retrieve(ctx); err != nil {
		return "", fmt.Errorf("%w: %v", preflight.ErrNoCredentials, err)
	}
	out, err := sts.NewFromConfig(s.base).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", err
	}
	s.caller = aws.ToString(out.Account)
	return s.caller, nil
}

func (s *session) For(ctx context.Context, account, region string) (*preflight.Clients, error) {
	cfg := s.base.Copy()
	cfg.Region = region
	if account != s.caller {
		s.mu.Lock()
		if s.creds == nil {
			s.creds = map[string]aws.CredentialsProvider{}
		}
		p, ok := s.creds[account]
		if !ok {
			arn := fmt.Sprintf("arn:%s:iam::%s:role/%s", partition(region), account, s.role)
			p = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(s.base), arn, func(o *stscreds.AssumeRoleOptions) {
				o.RoleSessionName = "mamori-preflight"
			}))
			s.creds[account] = p
		}
		s.mu.Unlock()
		if _, err := p.Retrieve(ctx); err != nil {
			return nil, fmt.Errorf("cannot assume role %s in %s (sts:AssumeRole): %w", s.role, account, err)
		}
		cfg.Credentials = p
	}
	return &preflight.Clients{
		SecurityHub:    securityhub.NewFromConfig(cfg),
		GuardDuty:      guardduty.NewFromConfig(cfg),
		Config:         configservice.NewFromConfig(cfg),
		AccessAnalyzer: accessanalyzer.NewFromConfig(cfg),
		Macie:          macie2.NewFromConfig(cfg),
		Detective:      detective.NewFromConfig(cfg),
		Inspector:      inspector2.NewFromConfig(cfg),
		CloudTrail:     cloudtrail.NewFromConfig(cfg),
		S3Control:      s3control.NewFromConfig(cfg),
		EC2:            ec2.NewFromConfig(cfg),
		CloudFormation: cloudformation.NewFromConfig(cfg),
		Organizations:  organizations.NewFromConfig(cfg),
		ServiceQuotas:  servicequotas.NewFromConfig(cfg),
	}, nil
}

// partition is the ARN partition of region.
func partition(region string) string {
	switch {
	case len(region) > 3 && region[:3] == "cn-":
		return "aws-cn"
	case len(region) > 7 && region[:7] == "us-gov-":
		return "aws-us-gov"
	}
	return "aws"
}

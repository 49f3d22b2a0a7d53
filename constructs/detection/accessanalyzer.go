package detection

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsaccessanalyzer"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
)

// ZoneOfTrust is what IAM Access Analyzer treats as inside.
type ZoneOfTrust string

const (
	// AccountZone reports access from outside this account.
	AccountZone ZoneOfTrust = "ACCOUNT"
	// OrganizationZone reports access from outside the organization; the
	// analyzer must live in the management account or a delegated administrator.
	OrganizationZone ZoneOfTrust = "ORGANIZATION"
)

// AccessAnalyzerProps configures AccessAnalyzer.
type AccessAnalyzerProps struct {
	// Zone is the zone of trust. Default: AccountZone.
	Zone ZoneOfTrust
	// SkipExternalAccess creates no external-access analyzer. Default: false:
	// the (free) external-access analyzer is created.
	SkipExternalAccess bool
	// UnusedAccessAgeDays, when above zero, creates an unused-access analyzer
	// with this window (1 to 365 days). Unused access is account-wide (IAM is
	// global), so create it in one region only; it is billed per IAM role and
	// user analysed. Default: 0: none.
	UnusedAccessAgeDays int
	// DestroyOnDelete deletes the analyzers, and their findings and archive
	// state, when they leave the stack. Default: false: they are retained.
	DestroyOnDelete bool
}

// AccessAnalyzer is IAM Access Analyzer in one region: an external-access
// analyzer and, where asked, an unused-access analyzer.
type AccessAnalyzer struct {
	Scope          constructs.Construct
	ExternalAccess awsaccessanalyzer.CfnAnalyzer
	UnusedAccess   awsaccessanalyzer.CfnAnalyzer
}

// NewAccessAnalyzer creates an AccessAnalyzer.
func NewAccessAnalyzer(scope constructs.Construct, id string, props *AccessAnalyzerProps) *AccessAnalyzer {
	var p AccessAnalyzerProps
	if props != nil {
		p = *props
	}
	if p.Zone == "" {
		p.Zone = AccountZone
	}
	bad := problems.Of("detection.NewAccessAnalyzer", id)
	if p.Zone != AccountZone && p.Zone != OrganizationZone {
		bad.Add("unknown zone %q", p.Zone)
	}
	if p.UnusedAccessAgeDays < 0 || p.UnusedAccessAgeDays > 365 {
		bad.Add("UnusedAccessAgeDays %d must be 1 to 365", p.UnusedAccessAgeDays)
	}
	bad.Check()
	this := constructs.NewConstruct(scope, jsii.String(id))
	a := &AccessAnalyzer{Scope: this}
	if !p.SkipExternalAccess {
		a.ExternalAccess = awsaccessanalyzer.NewCfnAnalyzer(this, jsii.String("ExternalAccess"), &awsaccessanalyzer.CfnAnalyzerProps{
			Type: jsii.String(string(p.Zone)),
		})
		a.ExternalAccess.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	}
	if p.UnusedAccessAgeDays > 0 {
		a.UnusedAccess = awsaccessanalyzer.NewCfnAnalyzer(this, jsii.String("UnusedAccess"), &awsaccessanalyzer.CfnAnalyzerProps{
			Type: jsii.String(string(p.Zone) + "_UNUSED_ACCESS"),
			AnalyzerConfiguration: &awsaccessanalyzer.CfnAnalyzer_AnalyzerConfigurationProperty{
				UnusedAccessConfiguration: &awsaccessanalyzer.CfnAnalyzer_UnusedAccessConfigurationProperty{
					UnusedAccessAge: jsii.Number(float64(p.UnusedAccessAgeDays)),
				},
			},
		})
		a.UnusedAccess.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	}
	return a
}

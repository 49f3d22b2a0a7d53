// Package preflight checks, read-only and before any deploy, what the
// accounts and regions a mamori config deploys to already hold: the
// singletons mamori would create (and who owns them), the CDK bootstrap, the
// organization's prerequisites and the regions' opt-in status. It says for
// each what a deploy will do and what must happen first, and writes the
// resource mapping `cdk import` needs for what the config adopts.
//
// All AWS access goes through the small interfaces of api.go, so tests drive
// it with stubs; cmd/mamori-preflight plugs in the AWS SDK for Go v2.
package preflight

import (
	"context"
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/mamori-dev/mamori/config"
)

// Options tune a run.
type Options struct {
	// ToolkitStackName is the CDK bootstrap stack. Default: CDKToolkit.
	ToolkitStackName string
	// Sleep waits between retries of a throttled call. Default: time.Sleep.
	Sleep func(time.Duration)
	// Attempts is how often a throttled call is tried. Default: 4.
	Attempts int
}

// ErrNoCredentials is what a Session's Caller wraps when there are no
// credentials to call AWS with at all.
var ErrNoCredentials = errors.New("no AWS credentials")

// minBootstrapVersion is the oldest bootstrap the templates accept: the
// CDK's default synthesizer adds a rule that fails the deploy below it.
const minBootstrapVersion = 6

// Run checks every account and region cfg deploys to and returns the report.
func Run(ctx context.Context, cfg *config.Config, s Session, o Options) *Report {
	if o.ToolkitStackName == "" {
		o.ToolkitStackName = "CDKToolkit"
	}
	if o.Sleep == nil {
		o.Sleep = time.Sleep
	}
	if o.Attempts == 0 {
		o.Attempts = 4
	}
	r := &run{cfg: cfg, s: s, o: o, retry: retrier{attempts: o.Attempts, sleep: o.Sleep}}
	r.all(ctx)
	sort.SliceStable(r.report.Findings, func(i, j int) bool {
		a, b := r.report.Findings[i], r.report.Findings[j]
		if a.Account != b.Account {
			return r.accountOrder(a.Account) < r.accountOrder(b.Account)
		}
		if a.Region != b.Region {
			return r.regionOrder(a.Region) < r.regionOrder(b.Region)
		}
		return false
	})
	return &r.report
}

type run struct {
	cfg    *config.Config
	s      Session
	o      Options
	retry  retrier
	report Report
	// accounts in the order they are reported.
	accounts []target
}

// target is one account and what mamori deploys into it.
type target struct {
	ID string
	// Role says what the account is for mamori: standalone, management,
	// security-tooling, log-archive or member.
	Role string
	// Layers: the account gets mamori's layer stacks in every governed region.
	Layers bool
	// Bootstrap lists the regions whose CDK bootstrap the deploy uses;
	// TrustFrom the account that deploys into them, when not this one.
	Bootstrap []string
	TrustFrom string
}

func (r *run) add(f Finding) { r.report.Findings = append(r.report.Findings, f) }

// fail records err, from checking service in account and region, as a
// finding that could not be checked (or, for a missing endpoint, as a
// service the region does not offer).
func (r *run) fail(service, account, region string, err error) {
	f := Finding{Service: service, Account: account, Region: region, Found: "?", Mamori: "-", Status: StatusUnknown}
	var ce *CallError
	switch {
	case errors.As(err, &ce) && ce.Denied:
		f.MissingPermission = ce.Action
		f.You = "grant " + ce.Action + " (docs/preflight.md has the whole policy)"
	case errors.As(err, &ce) && ce.Throttled:
		f.You = "AWS kept throttling " + ce.Action + ": run preflight again later"
	case errors.As(err, &ce) && ce.Unavailable:
		f.Found = "no " + service + " endpoint in " + region
		f.Status = StatusAction
		f.You = "turn " + service + " off or stop governing " + region + ": the region does not offer it"
	default:
		f.You = "fix: " + err.Error()
	}
	r.add(f)
}

func (r *run) accountOrder(id string) int {
	for i, t := range r.accounts {
		if t.ID == id {
			return i
		}
	}
	return len(r.accounts)
}

func (r *run) regionOrder(region string) int {
	if region == "global" {
		return -1
	}
	if i := slices.Index(r.cfg.Regions, region); i >= 0 {
		return i
	}
	return len(r.cfg.Regions)
}

// all plans the accounts, then checks each.
func (r *run) all(ctx context.Context) {
	caller, err := r.s.Caller(ctx)
	if errors.Is(err, ErrNoCredentials) {
		r.report.noCredentials = true
	}
	if err != nil {
		r.add(Finding{Service: "credentials", Account: "?", Region: "global", Found: "none usable", Mamori: "-",
			You: "configure AWS credentials (AWS_PROFILE, aws sso login, or environment variables): " + err.Error(), Status: StatusUnknown})
		return
	}
	cfg := r.cfg
	home := cfg.HomeRegion
	org := cfg.Topology.Organization
	if cfg.Topology.Mode != config.ModeOrganization || org == nil {
		id := cfg.Topology.AccountID
		if id == "" {
			id = caller
		}
		if id != caller {
			r.add(Finding{Service: "credentials", Account: caller, Region: "global", Found: "credentials of account " + caller, Mamori: "-",
				You: "run preflight (and the deploy) with credentials of topology.accountId " + id, Status: StatusAction})
			return
		}
		r.accounts = []target{{ID: id, Role: "standalone", Layers: true, Bootstrap: cfg.Regions}}
	} else {
		r.accounts = []target{
			{ID: org.ManagementAccountID, Role: "management", Bootstrap: cfg.Regions},
			{ID: org.SecurityToolingAccountID, Role: "security-tooling", Layers: true, Bootstrap: cfg.Regions, TrustFrom: org.ManagementAccountID},
			{ID: org.LogArchiveAccountID, Role: "log-archive", Bootstrap: []string{home}, TrustFrom: org.ManagementAccountID},
		}
		if caller != org.ManagementAccountID {
			r.add(Finding{Service: "credentials", Account: caller, Region: "global", Found: "credentials of account " + caller, Mamori: "-",
				You: "run preflight (and the deploy) with the management account's credentials (" + org.ManagementAccountID + ")", Status: StatusAction})
			return
		}
	}
	var members []string
	for i := range r.accounts {
		t := r.accounts[i]
		c, err := r.s.For(ctx, t.ID, home)
		if err != nil {
			r.add(Finding{Service: "access", Account: t.ID, Region: "global", Found: "?", Mamori: "-", Status: StatusUnknown,
				You: "preflight cannot reach the " + t.Role + " account: " + err.Error()})
			continue
		}
		r.regions(ctx, t, c)
		if t.Role == "management" {
			members = r.organization(ctx, c)
		}
		for _, region := range cfg.Regions {
			rc := c
			if region != home {
				if rc, err = r.s.For(ctx, t.ID, region); err != nil {
					r.fail("access", t.ID, region, err)
					continue
				}
			}
			if slices.Contains(t.Bootstrap, region) {
				r.bootstrap(ctx, t, region, rc)
			}
			if t.Layers {
				r.layers(ctx, t, region, rc)
			}
			if t.Role == "management" && region == home && cfg.Compliance.Trail.Enabled {
				r.check("cloudtrail", t, region, func() error { return r.trails(ctx, t, region, rc) })
			}
		}
	}
	r.members(ctx, members)
}

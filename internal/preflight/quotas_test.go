package preflight

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	sqtypes "github.com/aws/aws-sdk-go-v2/service/servicequotas/types"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/internal/catalog"
)

// TestConfigQuotaNames: the quotas are told apart by name, so that the rule
// quota is never one of the conformance-pack or organization quotas that
// also speak of rules. The names are of the forms AWS Config's "Service
// Limits" page uses.
func TestConfigQuotaNames(t *testing.T) {
	for name, want := range map[string]string{
		"Maximum number of AWS Config Rules per Region per account": "rules",
		"AWS Config rules": "rules",
		"Maximum number of conformance packs per account": "packs",
		"Conformance packs": "packs",
		"Maximum number of AWS Config Rules per conformance pack":                      "",
		"Maximum number of AWS Config Rules per account across all conformance packs":  "",
		"Maximum number of conformance packs per organization":                         "",
		"Maximum number of organization AWS Config rules per organization":             "",
		"Maximum number of AWS Config Rules per account across all organization packs": "",
		"Maximum number of configuration aggregators":                                  "",
	} {
		got := ""
		n := strings.ToLower(name)
		if configQuotas.rules.match(n) {
			got += "rules"
		}
		if configQuotas.packs.match(n) {
			got += "packs"
		}
		if got != want {
			t.Errorf("%q matches %q, want %q", name, got, want)
		}
	}
}

// TestQuotaPickNeedsOneMatch: a quota is read from Service Quotas only when
// exactly one name matches; with two the documented value stands.
func TestQuotaPickNeedsOneMatch(t *testing.T) {
	if d, n := configQuotas.rules.pick(configQuotaDefaults); n != 1 || aws.ToString(d.QuotaCode) != "L-TEST0004" {
		t.Errorf("rules quota = %s (%d matches), want L-TEST0004 alone", aws.ToString(d.QuotaCode), n)
	}
	two := append(slices.Clone(configQuotaDefaults), sqtypes.ServiceQuota{QuotaName: aws.String("Maximum number of AWS Config rules per Region"), QuotaCode: aws.String("L-TEST0009")})
	if _, n := configQuotas.rules.pick(two); n != 2 {
		t.Errorf("%d matches, want 2", n)
	}
}

// TestOwnRulesAndPacksNotCountedTwice: the detection stack's own rules and
// mamori's existing conformance pack are updated by a deploy, not added, so
// an account exactly at its quotas with them is ready.
func TestOwnRulesAndPacksNotCountedTwice(t *testing.T) {
	cfg := parse(t, standalone, "detection:", "  config:", "    managedRules:", "      - identifier: ROOT_ACCOUNT_MFA_ENABLED",
		"compliance:", "  conformancePacks:", "    enabled: true")
	w := cleanStandalone()
	x := w.account(acct).region("us-east-1")
	// 999 rules, the pack's among them, and the detection stack's one.
	x.rules, x.mamoriRules = 999, 1
	x.packs = []string{"acme-aws-foundational-security-best-practices"}
	for i := range 49 {
		x.packs = append(x.packs, fmt.Sprintf("team-pack-%02d", i))
	}
	r := Run(context.Background(), cfg, w, Options{Sleep: func(time.Duration) {}})
	n := 0
	for _, f := range r.Findings {
		if f.Region == "us-east-1" && strings.HasPrefix(f.Service, "config-") {
			n++
			if f.Status != StatusReady {
				t.Errorf("%s: %s (%s), want ready", f.Service, f.Status, f.You)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d config-rules and config-conformance-packs rows in us-east-1, want 2", n)
	}
}

// TestTrailQuota: an account that already has five trails of its own in the
// home region cannot get mamori's; trails of other regions and other
// accounts (an organization trail) do not count there.
func TestTrailQuota(t *testing.T) {
	trail := func(name, account, home string) cttypes.Trail {
		return cttypes.Trail{Name: aws.String(name), HomeRegion: aws.String(home), TrailARN: aws.String("arn:aws:cloudtrail:" + home + ":" + account + ":trail/" + name)}
	}
	for _, tc := range []struct {
		name   string
		trails []cttypes.Trail
		want   Status
	}{
		{"four and others", []cttypes.Trail{trail("a", acct, "us-east-1"), trail("b", acct, "us-east-1"), trail("c", acct, "us-east-1"), trail("d", acct, "us-east-1"),
			trail("e", acct, "eu-west-1"), trail("org", other, "us-east-1"), trail("acme-trail", acct, "us-east-1")}, StatusReady},
		{"five", []cttypes.Trail{trail("a", acct, "us-east-1"), trail("b", acct, "us-east-1"), trail("c", acct, "us-east-1"), trail("d", acct, "us-east-1"),
			trail("e", acct, "us-east-1")}, StatusAction},
	} {
		w := cleanStandalone()
		w.account(acct).region("us-east-1").trails = tc.trails
		r := Run(context.Background(), parse(t, standalone), w, Options{Sleep: func(time.Duration) {}})
		for _, f := range r.Findings {
			if f.Service == "cloudtrail" && f.Status != tc.want {
				t.Errorf("%s: %s (%s), want %s", tc.name, f.Status, f.You, tc.want)
			}
		}
	}
}

// TestEveryFrameworkHasPackRules: preflight counts each configurable
// framework's conformance pack rules from the catalog the compliance
// constructs build the packs from, so none may be missing there.
func TestEveryFrameworkHasPackRules(t *testing.T) {
	for _, f := range config.Framework("").Values() {
		if len(catalog.ConformancePackRules(f)) == 0 {
			t.Errorf("framework %s has no conformance pack rules in internal/catalog", f)
		}
	}
}

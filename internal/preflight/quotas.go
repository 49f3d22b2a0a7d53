package preflight

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	cstypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	sqtypes "github.com/aws/aws-sdk-go-v2/service/servicequotas/types"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/internal/catalog"
)

// configServiceCode is AWS Config's service code in Service Quotas.
const configServiceCode = "config"

// quota is one AWS Config quota of an account in a region.
type quota struct {
	// name and code are the quota's in Service Quotas; code is empty when
	// Service Quotas does not list the quota and value is the documented one.
	name, code string
	value      int
	// applied says value is the account's applied value (an increase), not
	// AWS's default.
	applied, adjustable bool
}

func (q quota) String() string {
	switch {
	case q.code == "":
		return fmt.Sprintf("%d (documented; Service Quotas does not list %q here)", q.value, q.name)
	case q.applied:
		return fmt.Sprintf("%d (%s %s, applied)", q.value, q.name, q.code)
	}
	return fmt.Sprintf("%d (%s %s, default)", q.value, q.name, q.code)
}

// configQuotas are the two AWS Config quotas a deploy adds to, each found
// in Service Quotas by its name (want), or the documented value when Service
// Quotas does not list it. The quota codes are not given in AWS Config's
// docs, so they are read from ListAWSDefaultServiceQuotas at run time rather
// than written here.
var configQuotas = struct{ rules, packs quotaSpec }{
	// "Failed to add the Config rule because the account already contains
	// the maximum number of 1000 rules" (MaxNumberOfConfigRulesExceededException).
	// https://docs.aws.amazon.com/config/latest/APIReference/API_PutConfigRule.html
	rules: quotaSpec{"AWS Config rules per account and region", 1000, func(n string) bool {
		return strings.Contains(n, "rule") && !strings.Contains(n, "conformance") && !strings.Contains(n, "organization") && !strings.Contains(n, "aggregat")
	}},
	// "Maximum number of conformance packs per account: 50", not adjustable
	// (AWS Config Developer Guide, "Service Limits").
	// https://docs.aws.amazon.com/config/latest/developerguide/configlimits.html
	packs: quotaSpec{"conformance packs per account and region", 50, func(n string) bool {
		return strings.Contains(n, "conformance pack") && !strings.Contains(n, "rule") && !strings.Contains(n, "organization")
	}},
}

// quotaSpec says how to find a quota by name and what it is when Service
// Quotas does not list it.
type quotaSpec struct {
	what       string
	documented int
	// match tests a lower-cased quota name.
	match func(name string) bool
}

// pick is the one quota of defaults whose name s matches, and how many
// match.
func (s quotaSpec) pick(defaults []sqtypes.ServiceQuota) (sqtypes.ServiceQuota, int) {
	var hit sqtypes.ServiceQuota
	n := 0
	for _, d := range defaults {
		if s.match(strings.ToLower(aws.ToString(d.QuotaName))) {
			hit, n = d, n+1
		}
	}
	return hit, n
}

// configQuotaValues reads the applied values of AWS Config's rule and
// conformance pack quotas in the client's region: ListAWSDefaultServiceQuotas
// names them (with their codes and defaults); GetServiceQuota gives the
// applied value, and answers NoSuchResourceException for a quota that has
// none, which leaves the default.
// https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_ListAWSDefaultServiceQuotas.html
// https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html
func (r *run) configQuotaValues(ctx context.Context, c *Clients) (rules, packs quota, err error) {
	var defaults []sqtypes.ServiceQuota
	err = r.pages(ctx, "ServiceQuotasAPI", "ListAWSDefaultServiceQuotas", func(token *string) (*string, error) {
		out, err := c.ServiceQuotas.ListAWSDefaultServiceQuotas(ctx, &servicequotas.ListAWSDefaultServiceQuotasInput{ServiceCode: aws.String(configServiceCode), NextToken: token})
		if err != nil {
			return nil, err
		}
		defaults = append(defaults, out.Quotas...)
		return out.NextToken, nil
	})
	// NoSuchResourceException: Service Quotas lists no AWS Config quotas in
	// this region; the documented values stand.
	if err != nil && !hasCode(err, "NoSuchResourceException") {
		return quota{}, quota{}, err
	}
	find := func(s quotaSpec) (quota, error) {
		q := quota{name: s.what, value: s.documented}
		d, n := s.pick(defaults)
		if n != 1 {
			// None, or several the name test cannot tell apart: the
			// documented value rather than a guess, and the row says so.
			if n > 1 {
				q.name += fmt.Sprintf(", documented value: %d Service Quotas names match", n)
			}
			return q, nil
		}
		q = quota{name: aws.ToString(d.QuotaName), code: aws.ToString(d.QuotaCode), value: intValue(d.Value, s.documented), adjustable: d.Adjustable}
		var out *servicequotas.GetServiceQuotaOutput
		err := r.retry.do(ctx, "ServiceQuotasAPI", "GetServiceQuota", func() (err error) {
			out, err = c.ServiceQuotas.GetServiceQuota(ctx, &servicequotas.GetServiceQuotaInput{ServiceCode: aws.String(configServiceCode), QuotaCode: d.QuotaCode})
			return err
		})
		switch {
		case hasCode(err, "NoSuchResourceException"):
		case err != nil:
			return q, err
		case out.Quota != nil && out.Quota.Value != nil:
			q.applied = intValue(out.Quota.Value, q.value) != q.value
			q.value = intValue(out.Quota.Value, q.value)
		}
		return q, nil
	}
	if rules, err = find(configQuotas.rules); err != nil {
		return quota{}, quota{}, err
	}
	packs, err = find(configQuotas.packs)
	return rules, packs, err
}

// intValue is a quota's value as a count, or def when it has none.
func intValue(v *float64, def int) int {
	if v == nil {
		return def
	}
	return int(math.Floor(*v))
}

// securityHubPrincipal creates Security Hub's service-linked rules.
const securityHubPrincipal = "securityhub.amazonaws.com"

// configRules checks that the account has room, in region, for the AWS
// Config rules and conformance packs mamori adds: the managed rules of
// detection.config.managedRules and the conformance packs of
// compliance.conformancePacks with their rules. Rules in conformance packs
// are AWS Config rules of the account (DescribeConfigRules lists them), so
// they are counted with the others.
//
// Security Hub's own service-linked rules are not counted as an addition:
// "Custom AWS Config rules that Security Hub creates don't count towards
// that limit. You can enable a security standard even if you've already
// reached the AWS Config limit for managed rules in your account" (Security
// Hub User Guide, "How Security Hub uses AWS Config rules to run security
// checks"); for the same reason its custom rules already there are left out
// of the usage.
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-standards-awsconfigrules.html
func (r *run) configRules(ctx context.Context, t target, region string, c *Clients) error {
	used, securityHub, err := r.configRuleUsage(ctx, c, r.stack("detection", region)+"-")
	if err != nil {
		r.fail("config-rules", t.ID, region, err)
		return nil
	}
	packs, err := r.conformancePacks(ctx, c)
	if err != nil {
		r.fail("config-rules", t.ID, region, err)
		return nil
	}
	rulesQuota, packsQuota, err := r.configQuotaValues(ctx, c)
	if err != nil {
		r.fail("config-rules", t.ID, region, err)
		return nil
	}
	add := configAdditions(r.cfg, region == r.cfg.HomeRegion, packs)

	found := fmt.Sprintf("%d rules in use", used.others+used.own)
	if securityHub > 0 {
		found += fmt.Sprintf(" (and %d of Security Hub's custom rules, which do not count)", securityHub)
	}
	f := Finding{Service: "config-rules", Account: t.ID, Region: region, Status: StatusReady,
		Found:  found + ", quota " + rulesQuota.String(),
		Mamori: fmt.Sprintf("deploys %d rules here (%d managed, %d in new conformance packs)", add.rules(), add.managed, add.packRules)}
	if used.others+add.rules() > rulesQuota.value && add.rules() > 0 {
		f.Status, f.You = StatusAction, quotaAdvice(rulesQuota, used.others, add.rules(), "rules", "delete unused AWS Config rules")
	}
	r.add(f)
	if add.packs == 0 && len(packs) == 0 {
		return nil
	}
	f = Finding{Service: "config-conformance-packs", Account: t.ID, Region: region, Status: StatusReady,
		Found:  fmt.Sprintf("%d conformance packs, quota %s", len(packs), packsQuota),
		Mamori: fmt.Sprintf("deploys %d conformance pack(s)", add.packs)}
	if add.otherPacks+add.packs > packsQuota.value && add.packs > 0 {
		f.Status, f.You = StatusAction, quotaAdvice(packsQuota, add.otherPacks, add.packs, "conformance packs", "delete unused conformance packs")
	}
	r.add(f)
	return nil
}

// ruleUsage counts the account's AWS Config rules in a region: the
// detection stack's own, which a deploy updates rather than adds, and the
// others.
type ruleUsage struct{ own, others int }

// configRuleUsage counts the rules in the client's region, and apart from
// them Security Hub's custom service-linked rules. own is the prefix of the
// detection stack's rules: CloudFormation names a rule it creates without a
// name <stack>-<logical ID>-<suffix>.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html
func (r *run) configRuleUsage(ctx context.Context, c *Clients, own string) (used ruleUsage, securityHub int, err error) {
	err = r.pages(ctx, "ConfigAPI", "DescribeConfigRules", func(token *string) (*string, error) {
		out, err := c.Config.DescribeConfigRules(ctx, &configservice.DescribeConfigRulesInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, rule := range out.ConfigRules {
			switch {
			case aws.ToString(rule.CreatedBy) == securityHubPrincipal && rule.Source != nil && rule.Source.Owner != cstypes.OwnerAws:
				securityHub++
			case strings.HasPrefix(aws.ToString(rule.ConfigRuleName), own):
				used.own++
			default:
				used.others++
			}
		}
		return out.NextToken, nil
	})
	return used, securityHub, err
}

// conformancePacks names the conformance packs in the client's region.
func (r *run) conformancePacks(ctx context.Context, c *Clients) ([]string, error) {
	var packs []string
	err := r.pages(ctx, "ConfigAPI", "DescribeConformancePacks", func(token *string) (*string, error) {
		out, err := c.Config.DescribeConformancePacks(ctx, &configservice.DescribeConformancePacksInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, p := range out.ConformancePackDetails {
			packs = append(packs, aws.ToString(p.ConformancePackName))
		}
		return out.NextToken, nil
	})
	return packs, err
}

// additions is what a deploy adds to a region's AWS Config rules and
// conformance packs.
type additions struct {
	// managed are detection.config.managedRules deployed here; packRules the
	// rules of the conformance packs the deploy creates.
	managed, packRules int
	// packs are mamori's conformance packs here, new or updated; otherPacks
	// the packs in the region that are not mamori's.
	packs, otherPacks int
}

func (a additions) rules() int { return a.managed + a.packRules }

// configAdditions says what cfg adds in a region (home or not) that holds
// packs. A pack that exists already has its rules in the count: a deploy
// updates it. Others add a pack and their rules.
func configAdditions(cfg *config.Config, home bool, packs []string) additions {
	a := additions{otherPacks: len(packs)}
	for _, rule := range cfg.Detection.Config.ManagedRules {
		if !rule.HomeRegionOnly || home {
			a.managed++
		}
	}
	if cp := cfg.Compliance; cp.ConformancePacks.Enabled {
		for _, f := range cp.Frameworks {
			a.packs++
			if slices.Contains(packs, cfg.Prefix+"-"+string(f)) {
				a.otherPacks--
				continue
			}
			for _, rule := range catalog.ConformancePackRules(string(f)) {
				if !rule.Account || home {
					a.packRules++
				}
			}
		}
	}
	return a
}

// quotaAdvice says what to do when used plus add would exceed q.
func quotaAdvice(q quota, used, add int, what, free string) string {
	msg := fmt.Sprintf("%d %s in use besides mamori's, plus mamori's %d, exceed the quota %q of %d: %s", used, what, add, q.name, q.value, free)
	switch {
	case q.code == "":
		return msg + ", or request an increase in Service Quotas where AWS Config offers one"
	case q.adjustable:
		return msg + ", or request an increase in Service Quotas (config " + q.code + ")"
	}
	return msg + ", or lower what mamori deploys here: the quota cannot be increased"
}

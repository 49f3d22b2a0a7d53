package review

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
)

//go:embed prices.json
var pricesJSON []byte

// Price is one dated figure of the price table.
type Price struct {
	ID           string  `json:"id"`
	Service      string  `json:"service"`
	Item         string  `json:"item"`
	Unit         string  `json:"unit"`
	USD          float64 `json:"usd"`
	Source       string  `json:"source"`
	Checked      string  `json:"checked"`
	Corroborated string  `json:"corroborated,omitempty"`
}

// PriceTable is prices.json: us-east-1 on-demand list prices with the
// source and check date of each.
type PriceTable struct {
	Region   string  `json:"region"`
	Currency string  `json:"currency"`
	Checked  string  `json:"checked"`
	About    string  `json:"about"`
	Prices   []Price `json:"prices"`
	byID     map[string]Price
}

// Prices returns the embedded price table.
func Prices() (*PriceTable, error) {
	var t PriceTable
	if err := json.Unmarshal(pricesJSON, &t); err != nil {
		return nil, fmt.Errorf("review: prices.json: %w", err)
	}
	t.byID = map[string]Price{}
	for _, p := range t.Prices {
		if p.ID == "" || p.Source == "" || p.Checked == "" || p.Unit == "" {
			return nil, fmt.Errorf("review: prices.json: %q needs an id, unit, source and checked date", p.ID)
		}
		if _, dup := t.byID[p.ID]; dup {
			return nil, fmt.Errorf("review: prices.json: %q twice", p.ID)
		}
		t.byID[p.ID] = p
	}
	return &t, nil
}

func (t *PriceTable) get(id string) Price {
	p, ok := t.byID[id]
	if !ok {
		panic("review: no price " + id)
	}
	return p
}

// hoursPerMonth is AWS's pricing convention for a month of hours.
const hoursPerMonth = 730

// FixedLine is one fixed monthly charge: what the stacks create and bill
// for by existing, whatever the usage.
type FixedLine struct {
	Feature string
	// Where is "region" or "account region"; "organization" for charges
	// billed once per organization.
	Where    string
	Quantity float64
	// Per is the quantity's unit as priced, e.g. "key-month", "HSM-hour".
	Per     string
	Price   Price
	Monthly float64
	Note    string
}

// UsageLine is a usage-driven charge as a formula of what the reviewer
// knows about their account.
type UsageLine struct {
	Service string
	Formula string
}

// Estimate is the cost of one assembly.
type Estimate struct {
	Table *PriceTable
	Fixed []FixedLine
	Usage []UsageLine
	// NoCharge are the services of the prevention layer that are present,
	// each with why it costs nothing: the layer's whole cost.
	NoCharge []UsageLine
	// ByPlace sums the fixed lines per account and region.
	ByPlace map[string]float64
	// Organization sums the charges billed once per organization.
	Organization float64
	Total        float64
}

// free lists services with no charge of their own (or none mamori causes).
var free = map[string]string{
	"S3 Block Public Access":    "no charge",
	"EBS encryption by default": "no charge for the setting (volumes pay for their KMS requests)",
	svcEC2BlockPublic:           "no charge",
	svcIMDSDefaults:             "no charge",
	svcSerialConsole:            "no charge",
	svcSSMSharing:               "no charge",
	svcSecurityContact:          "no charge",
	svcChatbot:                  "no charge (the SNS topics it reads from bill as usual)",
	"Organizations":             "no charge",
	"CloudFormation StackSets":  "no charge beyond the resources deployed",
	svcSecurityGroups:           "no charge",
	"VPC":                       "no charge for a VPC and subnets; NAT gateways and interface endpoints per hour (above) and per GB processed",
	"IAM":                       "no charge",
	"CDK":                       "no charge",
	"SSM parameters":            "standard parameters: no charge",
	"SQS":                       "first million requests a month free",
	"Systems Manager":           "Automation: first 100,000 steps a month free",
	"Step Functions":            "$0.025 per 1,000 state transitions",
	"Incident Manager":          "per response plan and engagement, see https://aws.amazon.com/systems-manager/pricing/",
	"Security Lake":             "per GB ingested and normalized, see https://aws.amazon.com/security-lake/pricing/",
	svcRemediation:              "no charge beyond the Systems Manager Automation runs",
	"CloudWatch alarms":         "fixed per alarm (above)",
	// The prevention layer costs nothing: Organizations bills nothing for
	// policies, root access management or alternate contacts.
	svcOrgPolicies: "no charge: Organizations bills nothing for SCPs, RCPs, declarative or S3 policies",
	svcRootAccess:  "no charge",
	svcContacts:    "no charge (a daily Lambda run of seconds, within the Lambda free tier)",
}

// usage are the usage-driven formulas, per service present.
var usage = map[string]func(t *PriceTable, rs []*Resource) string{
	svcKMS: func(t *PriceTable, rs []*Resource) string {
		return fmt.Sprintf("requests from the services the keys encrypt for × %s (S3 Bucket Keys keep bucket requests low)", per(t, "kms-requests"))
	},
	svcSecrets: func(t *PriceTable, rs []*Resource) string {
		return "API calls × " + per(t, "secrets-api")
	},
	svcSecurityHub: func(t *PriceTable, rs []*Resource) string {
		standards := map[string]int{}
		for _, r := range rs {
			if r.Type == "AWS::SecurityHub::Standard" {
				standards[r.Stack.Name]++
			}
		}
		most := 0
		for _, n := range standards {
			most = max(most, n)
		}
		return fmt.Sprintf("security checks × %s (up to %d standards a region; less per check beyond 100,000) + finding ingestion events beyond 10,000 × %s; with the newer Security Hub plan enabled, GuardDuty, Inspector and CSPM bill per resource instead (see the pricing page)",
			per(t, "securityhub-check"), most, per(t, "securityhub-ingestion"))
	},
	svcGuardDuty: func(t *PriceTable, rs []*Resource) string {
		plans := map[string]bool{}
		for _, r := range rs {
			feats, _ := r.Properties["Features"].([]interface{})
			for _, f := range feats {
				m, _ := f.(map[string]interface{})
				if m["Status"] == "ENABLED" {
					if n, ok := m["Name"].(string); ok {
						plans[n] = true
					}
				}
			}
		}
		s := fmt.Sprintf("CloudTrail management events × %s + VPC flow and DNS logs × %s", per(t, "guardduty-mgmt-events"), per(t, "guardduty-flow-dns"))
		if plans["S3_DATA_EVENTS"] {
			s += " + S3 data events × " + per(t, "guardduty-s3-events")
		}
		others := []string{}
		for _, p := range sortedKeys(plans) {
			if p != "S3_DATA_EVENTS" {
				others = append(others, p)
			}
		}
		if len(others) > 0 {
			s += " + the per-resource plans on (" + strings.Join(others, ", ") + ", priced per vCPU, GB or event on " + t.get("guardduty-mgmt-events").Source + ")"
		}
		return s
	},
	svcConfig: func(t *PriceTable, rs []*Resource) string {
		id, how := "config-ci-continuous", "continuous"
		for _, r := range rs {
			if r.Type != "AWS::Config::ConfigurationRecorder" {
				continue
			}
			mode, _ := r.Properties["RecordingMode"].(map[string]interface{})
			if mode["RecordingFrequency"] == "DAILY" {
				id, how = "config-ci-daily", "daily"
			}
		}
		return fmt.Sprintf("configuration items recorded × %s (%s recording) + %d managed rules × evaluations × %s",
			per(t, id), how, count(rs, "AWS::Config::ConfigRule"), per(t, "config-evaluation"))
	},
	svcConformance: func(t *PriceTable, rs []*Resource) string {
		return "rule evaluations in the packs × " + per(t, "config-pack-evaluation")
	},
	svcAccessAnalyzer: func(t *PriceTable, rs []*Resource) string {
		for _, r := range rs {
			if typ, _ := r.Properties["Type"].(string); strings.Contains(typ, "UNUSED_ACCESS") {
				return "external access: no charge; unused access: IAM roles and users × " + per(t, "accessanalyzer-unused")
			}
		}
		return "external access analysis: no charge"
	},
	svcInspector: func(t *PriceTable, rs []*Resource) string {
		types := map[string]bool{}
		for _, r := range rs {
			for _, s := range stringList(r.Properties["ResourceTypes"]) {
				types[s] = true
			}
		}
		s := fmt.Sprintf("EC2 instances × %s + container images × %s + Lambda functions × %s",
			per(t, "inspector-ec2"), per(t, "inspector-ecr"), per(t, "inspector-lambda"))
		if len(types) > 0 {
			s += " (scan types on: " + strings.Join(sortedKeys(types), ", ") + ")"
		}
		return s
	},
	svcMacie: func(t *PriceTable, rs []*Resource) string {
		return fmt.Sprintf("your own buckets × %s + objects under automated discovery × %s + GB inspected × %s",
			per(t, "macie-bucket"), per(t, "macie-objects"), per(t, "macie-inspection"))
	},
	svcDetective: func(t *PriceTable, rs []*Resource) string {
		return "GB ingested × " + per(t, "detective-ingest")
	},
	svcWAF: func(t *PriceTable, rs []*Resource) string {
		return "requests × " + per(t, "waf-requests") + " (Bot Control, Fraud Control and CAPTCHA bill extra)"
	},
	svcNFW: func(t *PriceTable, rs []*Resource) string {
		return "GB processed × " + per(t, "nfw-traffic")
	},
	svcShield: func(t *PriceTable, rs []*Resource) string {
		return "data transfer out of protected resources from " + per(t, "shield-transfer") + "; WAF on protected resources is included"
	},
	svcFMS: func(t *PriceTable, rs []*Resource) string {
		return "the WAF, Shield and Network Firewall resources its policies create in member accounts bill as those services"
	},
	svcDNSFirewall: func(t *PriceTable, rs []*Resource) string {
		return "DNS queries × " + per(t, "dnsfw-queries")
	},
	svcCloudTrail: func(t *PriceTable, rs []*Resource) string {
		return fmt.Sprintf("the first trail's management events: no charge; further trails' management events × %s; data events × %s",
			per(t, "cloudtrail-mgmt-copy"), per(t, "cloudtrail-data-events"))
	},
	svcAuditManager: func(t *PriceTable, rs []*Resource) string {
		return "resource assessments × " + per(t, "auditmanager-assessment")
	},
	svcS3: func(t *PriceTable, rs []*Resource) string {
		return "logs and findings stored × " + per(t, "s3-standard") + " until they move to Glacier or expire"
	},
	svcSNS: func(t *PriceTable, rs []*Resource) string {
		return "e-mail notifications beyond 1,000 a month × " + per(t, "sns-email")
	},
	svcEvents: func(t *PriceTable, rs []*Resource) string {
		return "AWS service events on the default bus: no charge; custom or cross-account events × " + per(t, "events-custom")
	},
	"CloudWatch Logs": func(t *PriceTable, rs []*Resource) string {
		return "GB logged by mamori's deployment-time handlers × " + per(t, "logs-ingest") + " (little)"
	},
	"Lambda": func(t *PriceTable, rs []*Resource) string {
		return "deployment-time handlers only × " + per(t, "lambda-requests") + " (negligible)"
	},
	svcCloudHSM: func(t *PriceTable, rs []*Resource) string {
		return "backups: no charge; the HSM-hours are fixed (above)"
	},
}

// priced reports whether the cost model knows a service: a usage formula
// or a stated absence of charges. Fixed charges are in fixedLines.
func priced(service string) bool {
	_, u := usage[service]
	_, f := free[service]
	return u || f
}

func per(t *PriceTable, id string) string {
	p := t.get(id)
	return Money(p.USD) + " per " + p.Unit
}

func count(rs []*Resource, typ string) int {
	n := 0
	for _, r := range rs {
		if r.Type == typ {
			n++
		}
	}
	return n
}

// EstimateCost prices an assembly with the embedded price table.
func EstimateCost(a *Assembly) (*Estimate, error) {
	t, err := Prices()
	if err != nil {
		return nil, err
	}
	e := &Estimate{Table: t, ByPlace: map[string]float64{}}
	place := placer(a)
	byPlace, byService := map[string][]*Resource{}, map[string][]*Resource{}
	a.each(func(r *Resource) {
		p := place(r.Stack)
		byPlace[p] = append(byPlace[p], r)
		byService[r.Service.Name] = append(byService[r.Service.Name], r)
	})
	if err := checkPriced(byService); err != nil {
		return nil, err
	}
	// Secret replicas bill in their regions, which may hold nothing else.
	replicas := secretReplicas(byService[svcSecrets], place)
	for p := range replicas {
		if _, ok := byPlace[p]; !ok {
			byPlace[p] = nil
		}
	}
	for _, p := range sortedKeys(byPlace) {
		for _, l := range fixedLines(t, p, byPlace[p], replicas[p]) {
			e.add(l)
		}
	}
	if len(byService[svcShield]) > 0 {
		e.add(FixedLine{Feature: "Shield Advanced subscription", Where: "organization", Quantity: 1, Per: "month", Price: t.get("shield-advanced"),
			Note: "one subscription covers every account of the organization; one-year commitment"})
	}
	sort.SliceStable(e.Fixed, func(i, j int) bool { return e.Fixed[i].Feature < e.Fixed[j].Feature })
	for i := range e.Fixed {
		if i > 0 && e.Fixed[i-1].Feature == e.Fixed[i].Feature {
			e.Fixed[i].Note = ""
		}
	}
	for _, svc := range sortedKeys(byService) {
		if f, ok := usage[svc]; ok {
			e.Usage = append(e.Usage, UsageLine{Service: svc, Formula: f(t, byService[svc])})
		}
		if services[svc].Layer == LayerPrevention {
			e.NoCharge = append(e.NoCharge, UsageLine{Service: svc, Formula: free[svc]})
		}
	}
	e.Total = round2(e.Total)
	return e, nil
}

// placer names where a stack's charges land: its region, or with more than
// one account its account and region.
func placer(a *Assembly) func(s *Stack) string {
	multiAccount := len(a.Accounts()) > 1
	return func(s *Stack) string {
		if !multiAccount {
			return s.Region
		}
		acct := s.Account
		if acct == "" {
			acct = "target account"
		}
		return acct + " " + s.Region
	}
}

// checkPriced fails on services the cost model does not know, so that a new
// service cannot go unpriced.
func checkPriced(byService map[string][]*Resource) error {
	var missing []string
	for svc := range byService {
		if !priced(svc) {
			missing = append(missing, svc)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("review: no usage formula or free entry in internal/review/cost.go for %s", strings.Join(missing, ", "))
}

// secretReplicas counts the secrets' replicas by the place they bill in.
func secretReplicas(secrets []*Resource, place func(*Stack) string) map[string]int {
	replicas := map[string]int{}
	for _, r := range secrets {
		if r.Type != "AWS::SecretsManager::Secret" {
			continue
		}
		list, _ := r.Properties["ReplicaRegions"].([]interface{})
		for _, x := range list {
			m, _ := x.(map[string]interface{})
			if region, ok := m["Region"].(string); ok {
				s := *r.Stack
				s.Region = region
				replicas[place(&s)]++
			}
		}
	}
	return replicas
}

// add records a fixed line with a quantity, priced, in its place's total.
func (e *Estimate) add(l FixedLine) {
	if l.Quantity == 0 {
		return
	}
	l.Monthly = round2(l.Quantity * l.Price.USD)
	e.Fixed = append(e.Fixed, l)
	if l.Where == "organization" {
		e.Organization += l.Monthly
	} else {
		e.ByPlace[l.Where] += l.Monthly
	}
	e.Total += l.Monthly
}

// fixedLines are the fixed monthly charges of one place's resources, with
// replicas secret replicas billed there; lines with no quantity are dropped
// by Estimate.add.
func fixedLines(t *PriceTable, p string, rs []*Resource, replicas int) []FixedLine {
	lines := keyAndSecretLines(t, p, rs, replicas)
	lines = append(lines, networkLines(t, p, rs)...)
	lines = append(lines, FixedLine{Feature: "CloudWatch alarms", Where: p, Quantity: float64(count(rs, "AWS::CloudWatch::Alarm")), Per: "alarm-month", Price: t.get("cloudwatch-alarm")})
	if count(rs, "AWS::Macie::Session") > 0 {
		lines = append(lines, FixedLine{Feature: "Macie bucket monitoring", Where: p, Quantity: float64(count(rs, "AWS::S3::Bucket")), Per: "bucket-month", Price: t.get("macie-bucket"),
			Note: "the buckets mamori creates; your own buckets add to it"})
	}
	return lines
}

// keyAndSecretLines are the charges for KMS keys and their rotation,
// secrets and their replicas, and CloudHSM HSMs.
func keyAndSecretLines(t *PriceTable, p string, rs []*Resource, replicas int) []FixedLine {
	keys, rotated, hsms := 0, 0, 0.0
	for _, r := range rs {
		switch r.Type {
		case "AWS::KMS::Key":
			keys++
			if r.Properties["EnableKeyRotation"] == true {
				rotated++
			}
		case "AWS::KMS::ReplicaKey":
			keys++
			rotated++
		case "Custom::CloudHSMHsms":
			n, _ := r.Properties["HsmCount"].(float64)
			hsms += n
		}
	}
	secrets := count(rs, "AWS::SecretsManager::Secret") + replicas
	return []FixedLine{
		{Feature: "KMS customer managed keys", Where: p, Quantity: float64(keys), Per: "key-month", Price: t.get("kms-key")},
		{Feature: "KMS rotated key material, from the second rotation", Where: p, Quantity: float64(2 * rotated), Per: "key-month", Price: t.get("kms-rotation"),
			Note: "$1 a key from the first rotation, $2 from the second; later rotations are free; none in the first rotation period"},
		{Feature: "Secrets Manager secrets and replicas", Where: p, Quantity: float64(secrets), Per: "secret-month", Price: t.get("secrets-secret")},
		{Feature: "CloudHSM HSMs", Where: p, Quantity: hsms * hoursPerMonth, Per: "HSM-hour", Price: t.get("cloudhsm-hsm"),
			Note: fmt.Sprintf("%g HSM(s) × %d hours", hsms, hoursPerMonth)},
	}
}

// networkLines are the charges for Network Firewall endpoints, WAF web ACLs
// and rules, Firewall Manager policies, NAT gateways and interface endpoints.
func networkLines(t *PriceTable, p string, rs []*Resource) []FixedLine {
	firewallEndpoints, acls, rules, natHours, endpointHours := 0.0, 0, 0, 0.0, 0.0
	for _, r := range rs {
		switch r.Type {
		case "AWS::NetworkFirewall::Firewall":
			m, _ := r.Properties["SubnetMappings"].([]interface{})
			firewallEndpoints += math.Max(1, float64(len(m)))
		case "AWS::NetworkFirewall::VpcEndpointAssociation":
			firewallEndpoints++
		case "AWS::WAFv2::WebACL":
			acls++
			list, _ := r.Properties["Rules"].([]interface{})
			rules += len(list)
		case "AWS::EC2::NatGateway":
			natHours += hoursPerMonth
		case "AWS::EC2::VPCEndpoint":
			if r.Properties["VpcEndpointType"] == "Interface" {
				subnets, _ := r.Properties["SubnetIds"].([]interface{})
				endpointHours += math.Max(1, float64(len(subnets))) * hoursPerMonth
			}
		}
	}
	return []FixedLine{
		{Feature: "Network Firewall endpoints", Where: p, Quantity: firewallEndpoints * hoursPerMonth, Per: "endpoint-hour", Price: t.get("nfw-endpoint"),
			Note: fmt.Sprintf("%g endpoint(s) × %d hours", firewallEndpoints, hoursPerMonth)},
		{Feature: "AWS WAF web ACLs", Where: p, Quantity: float64(acls), Per: "ACL-month", Price: t.get("waf-acl")},
		{Feature: "AWS WAF rules in web ACLs", Where: p, Quantity: float64(rules), Per: "rule-month", Price: t.get("waf-rule")},
		{Feature: "Firewall Manager policies", Where: p, Quantity: float64(count(rs, "AWS::FMS::Policy")), Per: "policy-region-month", Price: t.get("fms-policy")},
		{Feature: "NAT gateways", Where: p, Quantity: natHours, Per: "gateway-hour", Price: t.get("nat-gateway")},
		{Feature: "VPC interface endpoints", Where: p, Quantity: endpointHours, Per: "endpoint-AZ-hour", Price: t.get("vpc-interface-endpoint")},
	}
}

// MaxRegion is the largest fixed monthly cost of one account and region,
// plus the organization-wide charges.
func (e *Estimate) MaxRegion() (string, float64) {
	where, max := "", 0.0
	for _, p := range sortedKeys(e.ByPlace) {
		if v := e.ByPlace[p]; v > max {
			where, max = p, v
		}
	}
	return where, round2(max + e.Organization)
}

// Markdown renders the estimate as a README-ready table.
func (e *Estimate) Markdown(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Cost estimate: %s\n\n", title)
	fmt.Fprintf(&b, "%s on-demand list prices in %s, checked %s (`internal/review/prices.json`, each figure with its source). Other regions differ by a few percent; free tiers, trials and discounts are not applied. An estimate, not a quote.\n\n", e.Table.Currency, e.Table.Region, e.Table.Checked)
	b.WriteString("## Fixed monthly cost\n\nWhat the stacks bill for by existing, whatever the usage.\n\n")
	b.WriteString("| feature | where | quantity | unit price | per month |\n|---|---|---:|---:|---:|\n")
	for _, l := range e.Fixed {
		note := ""
		if l.Note != "" {
			note = " (" + l.Note + ")"
		}
		fmt.Fprintf(&b, "| %s%s | %s | %s | %s per %s | %s |\n", l.Feature, note, l.Where, qty(l.Quantity), Money(l.Price.USD), l.Per, Money(l.Monthly))
	}
	fmt.Fprintf(&b, "| **total** | | | | **%s** |\n\n", Money(e.Total))
	var parts []string
	for _, p := range sortedKeys(e.ByPlace) {
		parts = append(parts, fmt.Sprintf("%s %s", p, Money(round2(e.ByPlace[p]))))
	}
	if e.Organization > 0 {
		parts = append(parts, "organization-wide "+Money(e.Organization))
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, "By region: %s.\n\n", strings.Join(parts, ", "))
	}
	b.WriteString("## Usage-driven cost\n\nWhat grows with the account's activity, as formulas.\n\n| service | per month |\n|---|---|\n")
	for _, u := range e.Usage {
		fmt.Fprintf(&b, "| %s | %s |\n", u.Service, u.Formula)
	}
	if len(e.NoCharge) > 0 {
		b.WriteString("\n## Prevention layer: no charge\n\nThe guardrails cost nothing: $0.00 a month whatever the usage.\n\n| service | why |\n|---|---|\n")
		for _, u := range e.NoCharge {
			fmt.Fprintf(&b, "| %s | %s |\n", u.Service, u.Formula)
		}
	}
	return b.String()
}

// Short is the one-paragraph cost summary printed after synth.
func (e *Estimate) Short() string {
	where, max := e.MaxRegion()
	s := fmt.Sprintf("Fixed cost: %s a month in all (largest region %s: %s), before usage-priced services (%d formulas: make cost).",
		Money(e.Total), where, Money(max), len(e.Usage))
	return s
}

func qty(q float64) string {
	if q == math.Trunc(q) {
		return fmt.Sprintf("%d", int64(q))
	}
	return fmt.Sprintf("%.2f", q)
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Money formats dollars with thousands separators: $3,000.00, $0.003.
func Money(v float64) string {
	if v != 0 && math.Abs(v) < 0.01 || v != round2(v) {
		s := fmt.Sprintf("%.5f", v)
		s = strings.TrimRight(s, "0")
		return "$" + s
	}
	whole := int64(math.Trunc(v))
	cents := int64(math.Round((v - float64(whole)) * 100))
	digits := fmt.Sprintf("%d", whole)
	var out []byte
	for i := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, digits[i])
	}
	return fmt.Sprintf("$%s.%02d", out, cents)
}

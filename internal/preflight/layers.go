package preflight

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	configtypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/aws/aws-sdk-go-v2/service/detective"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	i2types "github.com/aws/aws-sdk-go-v2/service/inspector2/types"
	"github.com/aws/aws-sdk-go-v2/service/macie2"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"

	"github.com/mamori-dev/mamori/config"
)

// layers checks what mamori's layer stacks create in account t and region.
func (r *run) layers(ctx context.Context, t target, region string, c *Clients) {
	cfg := r.cfg
	d := cfg.Detection
	home := region == cfg.HomeRegion
	r.check("cloudformation-types", t, region, func() error { return r.resourceTypes(ctx, t, region, c) })
	if d.SecurityHub.In(region) {
		r.check("securityhub", t, region, func() error { return r.securityHub(ctx, t, region, c) })
	}
	if d.GuardDuty.In(region) {
		r.check("guardduty", t, region, func() error { return r.guardDuty(ctx, t, region, c) })
	}
	if d.Config.In(region) {
		r.check("config", t, region, func() error { return r.configRecorder(ctx, t, region, c, d.Config.Existing, true) })
	}
	if d.AccessAnalyzer.ExternalAccessIn(region) || home && d.AccessAnalyzer.UnusedAccess.Enabled {
		r.check("access-analyzer", t, region, func() error { return r.analyzers(ctx, t, region, c) })
	}
	if cfg.DataProtection.Macie.In(region) {
		r.check("macie", t, region, func() error { return r.macie(ctx, t, region, c) })
	}
	if cfg.Response.Detective.In(region) {
		r.check("detective", t, region, func() error { return r.detective(ctx, t, region, c) })
	}
	if d.Inspector.In(region) {
		r.check("inspector", t, region, func() error { return r.inspector(ctx, t, region, c) })
	}
	if cfg.DataProtection.AccountGuards.EBSEncryptionByDefault {
		r.check("ebs-encryption", t, region, func() error { return r.ebs(ctx, t, region, c) })
	}
	if home && cfg.DataProtection.AccountGuards.S3BlockPublicAccess {
		r.check("s3-block-public-access", t, "global", func() error { return r.s3BlockPublicAccess(ctx, t, c) })
	}
	// In organization mode the trail is the organization trail of the
	// management account (checked there).
	if home && cfg.Compliance.Trail.Enabled && cfg.Topology.Mode != config.ModeOrganization {
		r.check("cloudtrail", t, region, func() error { return r.trails(ctx, t, region, c) })
	}
}

// resourceTypes checks that CloudFormation offers, in region, the resource
// type of each service the config turns on: newer regions lack some (Macie's
// and Detective's among them), and a stack that uses a missing type fails.
// DescribeType answers TypeNotFoundException for a type the region lacks.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeType.html
func (r *run) resourceTypes(ctx context.Context, t target, region string, c *Clients) error {
	cfg := r.cfg
	d := cfg.Detection
	types := []struct {
		on       bool
		typ, fix string
	}{
		{d.SecurityHub.In(region), "AWS::SecurityHub::Hub", "detection.securityHub.enabled: false (or add " + region + " to detection.securityHub.excludeRegions)"},
		{d.GuardDuty.In(region), "AWS::GuardDuty::Detector", "detection.guardDuty.enabled: false"},
		{d.Config.In(region), "AWS::Config::ConfigurationRecorder", "detection.config.enabled: false (or add " + region + " to detection.config.excludeRegions)"},
		{d.AccessAnalyzer.ExternalAccessIn(region), "AWS::AccessAnalyzer::Analyzer", "detection.accessAnalyzer.externalAccess: false"},
		{cfg.DataProtection.Macie.In(region), "AWS::Macie::Session", "dataProtection.macie.enabled: false"},
		{cfg.Response.Detective.In(region), "AWS::Detective::Graph", "response.detective.enabled: false"},
		{d.Inspector.In(region) && d.Inspector.CISScan.Enabled, "AWS::InspectorV2::CisScanConfiguration", "detection.inspector.cisScan.enabled: false"},
	}
	for _, x := range types {
		if !x.on {
			continue
		}
		err := r.retry.do(ctx, "CloudFormationAPI", "DescribeType", func() error {
			_, err := c.CloudFormation.DescribeType(ctx, &cloudformation.DescribeTypeInput{Type: cfntypes.RegistryTypeResource, TypeName: aws.String(x.typ)})
			return err
		})
		if hasCode(err, "TypeNotFoundException") {
			r.add(Finding{Service: "cloudformation-types", Account: t.ID, Region: region, Found: x.typ + ": not offered here", Mamori: "cannot deploy it here",
				Status: StatusAction, You: "set " + x.fix + ", or stop governing " + region})
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// check runs one service check and records the error it returns.
func (r *run) check(service string, t target, region string, fn func() error) {
	if err := fn(); err != nil {
		r.fail(service, t.ID, region, err)
	}
}

// stack is the name of mamori's layer stack in region.
func (r *run) stack(layer, region string) string { return r.cfg.Prefix + "-" + layer + "-" + region }

// singleton describes one resource of which an account holds at most one per
// region, and how mamori takes it over.
type singleton struct {
	service, what string
	// field is the config path of its existing: choice.
	field    string
	existing config.Existing
	// stack and path are where mamori's own copy lives; typ and property its
	// CloudFormation type and primary identifier.
	stack, path, typ, property string
	// leave says what mamori does without it.
	leave string
}

// decide fills the finding of a singleton that exists (id), owned by stack
// owner ("" for none), with found describing its settings and converge what
// an adopting deploy changes.
func (r *run) decide(s singleton, t target, region, id, owner, found, converge string) {
	f := Finding{Service: s.service, Account: t.ID, Region: region, Found: found + " (" + ownerText(owner, id) + ")", Status: StatusReady}
	switch {
	case owner == s.stack:
		f.Mamori = "keeps managing it"
	case s.existing == config.ExistingLeave:
		f.Mamori = "leaves it: " + s.leave
	case controlTower(owner) || controlTower(id):
		f.Mamori = "cannot create a second " + s.what
		f.Status, f.You = StatusAction, "Control Tower manages it: set "+s.field+": leave"
	case s.existing == config.ExistingAdopt && owner != "":
		f.Mamori = "cannot import it: it belongs to stack " + owner
		f.Status, f.You = StatusAction, "remove it from stack "+owner+" with DeletionPolicy: Retain first, or set "+s.field+": leave"
	case s.existing == config.ExistingAdopt:
		f.Mamori = "imports it into " + s.stack + " (`make adopt`)"
		if converge != "" {
			f.Mamori += ", then " + converge
		}
		f.Import = &Import{Stack: s.stack, Path: s.path, Type: s.typ, Property: s.property, Value: id}
	default:
		f.Mamori = "fails: it would create a second " + s.what
		f.Status, f.You = StatusAction, "decide: set "+s.field+": adopt (take it over) or leave (keep it as it is)"
	}
	r.add(f)
}

// absent records a singleton the account does not have yet.
func (r *run) absent(s singleton, t target, region string) {
	r.add(Finding{Service: s.service, Account: t.ID, Region: region, Found: "none", Mamori: "creates the " + s.what, Status: StatusReady})
}

// securityHub checks the hub. DescribeHub answers InvalidAccessException
// when the account has not enabled Security Hub.
// https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DescribeHub.html
func (r *run) securityHub(ctx context.Context, t target, region string, c *Clients) error {
	s := singleton{service: "securityhub", what: "hub", field: "detection.securityHub.existing", existing: r.cfg.Detection.SecurityHub.Existing,
		stack: r.stack("detection", region), path: "SecurityHub/Resource", typ: "AWS::SecurityHub::Hub", property: "ARN",
		leave: "enables the configured standards and controls on it"}
	var hub *securityhub.DescribeHubOutput
	err := r.retry.do(ctx, "SecurityHubAPI", "DescribeHub", func() (err error) {
		hub, err = c.SecurityHub.DescribeHub(ctx, &securityhub.DescribeHubInput{})
		return err
	})
	if hasCode(err, "InvalidAccessException") {
		r.absent(s, t, region)
		return nil
	}
	if err != nil {
		return err
	}
	var standards []string
	if err := r.pages(ctx, "SecurityHubAPI", "GetEnabledStandards", func(token *string) (*string, error) {
		out, err := c.SecurityHub.GetEnabledStandards(ctx, &securityhub.GetEnabledStandardsInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, sub := range out.StandardsSubscriptions {
			standards = append(standards, standardName(aws.ToString(sub.StandardsArn)))
		}
		return out.NextToken, nil
	}); err != nil {
		return err
	}
	slices.Sort(standards)
	arn := aws.ToString(hub.HubArn)
	owner, err := r.owner(ctx, c, arn, s.typ)
	if err != nil {
		return err
	}
	found := "hub, standards: " + orNone(standards)
	converge := "enables " + orNone(r.wantStandards())
	var extra []string
	for _, std := range standards {
		if !slices.ContainsFunc(r.wantStandards(), func(w string) bool { return strings.HasPrefix(std, w+"/") }) {
			extra = append(extra, std)
		}
	}
	r.decide(s, t, region, arn, owner, found, converge)
	if last := &r.report.Findings[len(r.report.Findings)-1]; len(extra) > 0 && owner != s.stack && last.Status == StatusReady {
		// mamori enables the standards it is given and leaves others alone.
		last.You = "disable the standards the config does not list if you do not want them: " + strings.Join(extra, ", ")
	}
	return nil
}

// wantStandards are the configured standards as their ARN's path starts
// (standards/<name>), except where central configuration sets them.
func (r *run) wantStandards() []string {
	if r.cfg.Topology.Mode == config.ModeOrganization {
		return nil
	}
	var out []string
	for _, s := range r.cfg.Detection.SecurityHub.Standards {
		out = append(out, standardPrefix[s])
	}
	return out
}

// standardPrefix maps a config standard to the start of its name in a
// standards ARN (arn:aws:securityhub:<region>::standards/<name>/v/<version>,
// or ruleset/cis-aws-foundations-benchmark/v/1.2.0 for CIS 1.2).
// https://docs.aws.amazon.com/securityhub/latest/userguide/standards-reference.html
var standardPrefix = map[config.Standard]string{
	config.StandardFSBP:      "aws-foundational-security-best-practices",
	config.StandardCIS:       "cis-aws-foundations-benchmark",
	config.StandardPCIDSS:    "pci-dss",
	config.StandardNIST80053: "nist-800-53",
}

// standardName is the part of a standards ARN after standards/ or ruleset/.
func standardName(arn string) string {
	for _, sep := range []string{":standards/", ":ruleset/", "::standards/", "::ruleset/"} {
		if i := strings.LastIndex(arn, sep); i >= 0 {
			return arn[i+len(sep):]
		}
	}
	return arn
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// guardDuty checks the detector: an account has at most one per region.
// https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListDetectors.html
func (r *run) guardDuty(ctx context.Context, t target, region string, c *Clients) error {
	gd := r.cfg.Detection.GuardDuty
	s := singleton{service: "guardduty", what: "detector", field: "detection.guardDuty.existing", existing: gd.Existing,
		stack: r.stack("detection", region), path: "GuardDuty/Resource", typ: "AWS::GuardDuty::Detector", property: "Id",
		leave: "exports no findings and sets no plans or frequency on it"}
	var list *guardduty.ListDetectorsOutput
	if err := r.retry.do(ctx, "GuardDutyAPI", "ListDetectors", func() (err error) {
		list, err = c.GuardDuty.ListDetectors(ctx, &guardduty.ListDetectorsInput{})
		return err
	}); err != nil {
		return err
	}
	if len(list.DetectorIds) == 0 {
		r.absent(s, t, region)
		return nil
	}
	id := list.DetectorIds[0]
	var det *guardduty.GetDetectorOutput
	if err := r.retry.do(ctx, "GuardDutyAPI", "GetDetector", func() (err error) {
		det, err = c.GuardDuty.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
		return err
	}); err != nil {
		return err
	}
	var on []string
	for _, f := range det.Features {
		if f.Status == gdtypes.FeatureStatusEnabled {
			on = append(on, string(f.Name))
		}
	}
	slices.Sort(on)
	owner, err := r.owner(ctx, c, id, s.typ)
	if err != nil {
		return err
	}
	found := fmt.Sprintf("detector %s, %s, every %s, features on: %s", id, det.Status, det.FindingPublishingFrequency, orNone(on))
	converge := "sets the configured plans"
	if want := string(gd.FindingPublishingFrequency); string(det.FindingPublishingFrequency) != want {
		converge = fmt.Sprintf("sets findings every %s (now %s) and the configured plans", want, det.FindingPublishingFrequency)
	}
	r.decide(s, t, region, id, owner, found, converge)
	return nil
}

// configRecorder checks AWS Config's recorder and delivery channel: one of
// each per account and region. It serves the layer stacks (layers) and the
// member baseline.
// https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationRecorders.html
func (r *run) configRecorder(ctx context.Context, t target, region string, c *Clients, existing config.Existing, layers bool) error {
	var recs *configservice.DescribeConfigurationRecordersOutput
	if err := r.retry.do(ctx, "ConfigAPI", "DescribeConfigurationRecorders", func() (err error) {
		recs, err = c.Config.DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{})
		return err
	}); err != nil {
		return err
	}
	var chans *configservice.DescribeDeliveryChannelsOutput
	if err := r.retry.do(ctx, "ConfigAPI", "DescribeDeliveryChannels", func() (err error) {
		chans, err = c.Config.DescribeDeliveryChannels(ctx, &configservice.DescribeDeliveryChannelsInput{})
		return err
	}); err != nil {
		return err
	}
	var names []string
	for _, rec := range recs.ConfigurationRecorders {
		// Service-linked recorders (AWS services' own) do not take the
		// account's one customer managed recorder.
		if rec.ServicePrincipal == nil {
			names = append(names, aws.ToString(rec.Name))
		}
	}
	for _, ch := range chans.DeliveryChannels {
		names = append(names, "channel "+aws.ToString(ch.Name))
	}
	owner := ""
	if len(names) > 0 && !strings.HasPrefix(names[0], "channel ") {
		var err error
		if owner, err = r.owner(ctx, c, names[0], "AWS::Config::ConfigurationRecorder"); err != nil {
			return err
		}
	}
	// mamori's own: the detection stack's, or the member baseline StackSet's
	// instance (StackSet-<name>-<id>).
	mine := layers && owner == r.stack("detection", region) ||
		!layers && owner != "" && strings.HasPrefix(owner, "StackSet-"+r.cfg.Prefix+"-member-baseline-")
	f := Finding{Service: "config", Account: t.ID, Region: region, Status: StatusReady}
	ct := r.cfg.Topology.Organization != nil && r.cfg.Topology.Organization.ControlTower && !layers
	switch {
	case mine && layers && existing == config.ExistingAdopt:
		// Adopting drops the recorder and channel resources from the
		// template, and CloudFormation deletes what leaves a stack.
		f.Found, f.Mamori = "recorder "+strings.Join(names, ", ")+" (stack "+owner+")", "would delete it: adopt removes the recorder its stack created"
		f.Status, f.You = StatusAction, "keep detection.config.existing: fail; mamori already manages this recorder"
	case mine:
		f.Found, f.Mamori = "recorder "+strings.Join(names, ", ")+" (stack "+owner+")", "keeps managing it"
	case len(names) == 0 && ct:
		f.Found, f.Mamori = "none", "leaves AWS Config to Control Tower"
		f.Status, f.You = StatusAction, "enroll the account in Control Tower: the member baseline relies on its recorder (controlTower: true)"
	case len(names) == 0:
		f.Found, f.Mamori = "none", "creates a recorder and delivery channel"
	case ct:
		f.Found, f.Mamori = "recorder "+strings.Join(names, ", "), "leaves AWS Config to Control Tower"
	case existing == config.ExistingLeave:
		f.Found, f.Mamori = "recorder "+strings.Join(names, ", "), "leaves it: deploys its rules and conformance packs on the existing recorder"
	case existing == config.ExistingAdopt && layers:
		f.Found = "recorder " + strings.Join(names, ", ")
		adoptRecorder(&f, recs, chans, owner)
	case !layers:
		f.Found, f.Mamori = "recorder "+strings.Join(names, ", "), "fails: the member baseline's StackSet instance would create a second recorder"
		f.Status, f.You = StatusAction, "remove the recorder, or if Control Tower governs the account set topology.organization.controlTower: true"
	default:
		f.Found, f.Mamori = "recorder "+strings.Join(names, ", "), "fails: it would create a second recorder"
		f.Status, f.You = StatusAction, "decide: set detection.config.existing: adopt (take it over in place) or leave (record with it as it is)"
		if slices.ContainsFunc(names, controlTower) || controlTower(owner) {
			f.You = "Control Tower manages it: set detection.config.existing: leave"
		}
	}
	f.Found = strings.Replace(f.Found, "recorder channel ", "channel ", 1)
	r.add(f)
	if layers {
		return r.configRules(ctx, t, region, c)
	}
	return nil
}

// adoptRecorder says what existing: adopt does with the account's recorder
// and delivery channel. They are not imported (so the finding has no
// Import): the detection stack's config-adopt handler updates them in place
// during the deploy, keeping their names; CloudFormation cannot import them
// with the role and bucket they refer to.
func adoptRecorder(f *Finding, recs *configservice.DescribeConfigurationRecordersOutput, chans *configservice.DescribeDeliveryChannelsOutput, owner string) {
	recorder := ""
	for _, rec := range recs.ConfigurationRecorders {
		if rec.ServicePrincipal == nil {
			recorder = aws.ToString(rec.Name)
			break
		}
	}
	var channel configtypes.DeliveryChannel
	if len(chans.DeliveryChannels) > 0 {
		channel = chans.DeliveryChannels[0]
	}
	name := func(s string) string {
		if s == "" {
			return "default"
		}
		return s
	}
	switch {
	case controlTower(owner) || controlTower(recorder) || controlTower(aws.ToString(channel.Name)):
		// Control Tower's mandatory control AWS-GR_CONFIG_CHANGE_PROHIBITED
		// denies changes to its recorder.
		// https://docs.aws.amazon.com/controltower/latest/controlreference/cannot-change-with-gr-api.html
		f.Mamori = "cannot adopt it: Control Tower's controls deny changes to its recorder"
		f.Status, f.You = StatusAction, "Control Tower manages it: set detection.config.existing: leave"
	case owner != "":
		f.Found += " (stack " + owner + ")"
		f.Mamori = "cannot adopt it: it belongs to stack " + owner + ", whose next update would undo the change"
		f.Status, f.You = StatusAction, "remove it from stack "+owner+" with DeletionPolicy: Retain first, or set detection.config.existing: leave"
	case aws.ToString(channel.S3KeyPrefix) != "":
		f.Mamori = "cannot adopt channel " + aws.ToString(channel.Name) + ": it delivers under key prefix " + aws.ToString(channel.S3KeyPrefix) +
			", and mamori's bucket accepts AWS Config's objects only under AWSLogs/"
		f.Status, f.You = StatusAction, "stop the recorder, delete channel "+aws.ToString(channel.Name)+" and deploy, or set detection.config.existing: leave"
	default:
		f.Mamori = "adopts recorder " + name(recorder) + ": points it at mamori's role, recording group and mode, and channel " + name(aws.ToString(channel.Name)) +
			" at mamori's bucket, key and delivery frequency, in place (nothing to import)"
		if topic := aws.ToString(channel.SnsTopicARN); topic != "" {
			// The recorder's role publishes to the topic.
			// https://docs.aws.amazon.com/config/latest/developerguide/sns-topic-policy.html
			f.Mamori += "; keeps its SNS topic " + topic
			f.You = "let mamori's AWS Config role publish to " + topic + " (its topic policy), or AWS Config's notifications stop"
		}
	}
}

// analyzers checks IAM Access Analyzer: mamori creates an external-access
// analyzer per region and an unused-access analyzer in the home region, of
// the account's zone. An account holds one account-level analyzer per type
// and region (quota 1, not adjustable); organization-level analyzers, which
// the organization settings create, allow five per type, so only the
// account-level ones can conflict.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-quotas.html
// https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListAnalyzers.html
func (r *run) analyzers(ctx context.Context, t target, region string, c *Clients) error {
	aa := r.cfg.Detection.AccessAnalyzer
	var all []aatypes.AnalyzerSummary
	if err := r.pages(ctx, "AccessAnalyzerAPI", "ListAnalyzers", func(token *string) (*string, error) {
		out, err := c.AccessAnalyzer.ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		all = append(all, out.Analyzers...)
		return out.NextToken, nil
	}); err != nil {
		return err
	}
	type kind struct {
		typ  aatypes.Type
		path string
		on   bool
	}
	home := region == r.cfg.HomeRegion
	kinds := []kind{
		{aatypes.TypeAccount, "AccessAnalyzer/ExternalAccess", aa.ExternalAccessIn(region)},
		{aatypes.TypeAccountUnusedAccess, "AccessAnalyzer/UnusedAccess", home && aa.UnusedAccess.Enabled},
	}
	for _, k := range kinds {
		if !k.on {
			continue
		}
		s := singleton{service: "access-analyzer", what: strings.ToLower(string(k.typ)) + " analyzer", field: "detection.accessAnalyzer.existing", existing: aa.Existing,
			stack: r.stack("detection", region), path: k.path, typ: "AWS::AccessAnalyzer::Analyzer", property: "Arn",
			leave: "relies on the existing analyzer's findings"}
		i := slices.IndexFunc(all, func(a aatypes.AnalyzerSummary) bool { return a.Type == k.typ })
		if i < 0 {
			r.absent(s, t, region)
			continue
		}
		arn := aws.ToString(all[i].Arn)
		owner, err := r.owner(ctx, c, arn, s.typ)
		if err != nil {
			return err
		}
		r.decide(s, t, region, arn, owner, fmt.Sprintf("%s analyzer %s", k.typ, aws.ToString(all[i].Name)), "")
	}
	return nil
}

// macie checks the Macie session. GetMacieSession answers
// AccessDeniedException "Macie is not enabled" for an account without one,
// which is told from a denied permission by its message.
// https://docs.aws.amazon.com/macie/latest/APIReference/macie.html
func (r *run) macie(ctx context.Context, t target, region string, c *Clients) error {
	m := r.cfg.DataProtection.Macie
	s := singleton{service: "macie", what: "Macie session", field: "dataProtection.macie.existing", existing: m.Existing,
		stack: r.stack("data-protection", region), path: "Macie/Resource", typ: "AWS::Macie::Session", property: "AwsAccountId",
		leave: "adds its jobs, identifiers and filters to the existing session"}
	var out *macie2.GetMacieSessionOutput
	err := r.retry.do(ctx, "MacieAPI", "GetMacieSession", func() (err error) {
		out, err = c.Macie.GetMacieSession(ctx, &macie2.GetMacieSessionInput{})
		return err
	})
	if hasCode(err, "AccessDeniedException") && strings.Contains(strings.ToLower(errorMessage(err)), "not enabled") {
		r.absent(s, t, region)
		return nil
	}
	if err != nil {
		return err
	}
	owner, err := r.owner(ctx, c, t.ID, s.typ)
	if err != nil {
		return err
	}
	converge := ""
	if string(out.FindingPublishingFrequency) != string(m.FindingPublishingFrequency) {
		converge = fmt.Sprintf("publishes findings every %s (now %s)", m.FindingPublishingFrequency, out.FindingPublishingFrequency)
	}
	r.decide(s, t, region, t.ID, owner, fmt.Sprintf("session %s, every %s", out.Status, out.FindingPublishingFrequency), converge)
	return nil
}

// detective checks the behavior graph: an account administers at most one
// per region.
// https://docs.aws.amazon.com/detective/latest/APIReference/API_ListGraphs.html
func (r *run) detective(ctx context.Context, t target, region string, c *Clients) error {
	s := singleton{service: "detective", what: "behavior graph", field: "response.detective.existing", existing: r.cfg.Response.Detective.Existing,
		stack: r.stack("response", region), path: "Detective/Resource", typ: "AWS::Detective::Graph", property: "Arn",
		leave: "starts the configured source packages on the existing graph"}
	var out *detective.ListGraphsOutput
	if err := r.retry.do(ctx, "DetectiveAPI", "ListGraphs", func() (err error) {
		out, err = c.Detective.ListGraphs(ctx, &detective.ListGraphsInput{})
		return err
	}); err != nil {
		return err
	}
	if len(out.GraphList) == 0 {
		r.absent(s, t, region)
		return nil
	}
	arn := aws.ToString(out.GraphList[0].Arn)
	owner, err := r.owner(ctx, c, arn, s.typ)
	if err != nil {
		return err
	}
	r.decide(s, t, region, arn, owner, "graph "+arn, "")
	return nil
}

// inspector reads Amazon Inspector's status. mamori enables the configured
// scan types and disables the others through idempotent API calls, so an
// enabled account needs no decision, but scans it would turn off are named.
// https://docs.aws.amazon.com/inspector/v2/APIReference/API_BatchGetAccountStatus.html
func (r *run) inspector(ctx context.Context, t target, region string, c *Clients) error {
	var out *inspector2.BatchGetAccountStatusOutput
	if err := r.retry.do(ctx, "InspectorAPI", "BatchGetAccountStatus", func() (err error) {
		out, err = c.Inspector.BatchGetAccountStatus(ctx, &inspector2.BatchGetAccountStatusInput{AccountIds: []string{t.ID}})
		return err
	}); err != nil {
		return err
	}
	st := r.cfg.Detection.Inspector.ScanTypes
	want := map[string]bool{"EC2": st.EC2, "ECR": st.ECR, "Lambda": st.Lambda, "LambdaCode": st.LambdaCode}
	found := "not enabled"
	var on, off, stops []string
	for _, a := range out.Accounts {
		if aws.ToString(a.AccountId) != t.ID || a.State == nil {
			continue
		}
		found = string(a.State.Status)
		if rs := a.ResourceState; rs != nil {
			for _, x := range []struct {
				name  string
				state *i2types.State
			}{{"EC2", rs.Ec2}, {"ECR", rs.Ecr}, {"Lambda", rs.Lambda}, {"LambdaCode", rs.LambdaCode}} {
				if x.state != nil && x.state.Status == i2types.StatusEnabled {
					on = append(on, x.name)
					if !want[x.name] {
						stops = append(stops, x.name)
					}
				}
			}
			found += ", scanning: " + orNone(on)
		}
	}
	for _, name := range []string{"EC2", "ECR", "Lambda", "LambdaCode"} {
		if !want[name] {
			off = append(off, name)
		}
	}
	f := Finding{Service: "inspector", Account: t.ID, Region: region, Found: found, Status: StatusReady,
		Mamori: "scans " + orNone(slices.DeleteFunc([]string{"EC2", "ECR", "Lambda", "LambdaCode"}, func(n string) bool { return !want[n] }))}
	if len(off) > 0 {
		f.Mamori += ", not " + strings.Join(off, ", ")
	}
	if len(stops) > 0 {
		f.You = "mamori turns off " + strings.Join(stops, ", ") + " scanning, which is on now: add it to detection.inspector.scanTypes to keep it"
	}
	r.add(f)
	return nil
}

// ebs reads EBS encryption by default; mamori sets it with its data key.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetEbsEncryptionByDefault.html
func (r *run) ebs(ctx context.Context, t target, region string, c *Clients) error {
	var out *ec2.GetEbsEncryptionByDefaultOutput
	if err := r.retry.do(ctx, "EC2API", "GetEbsEncryptionByDefault", func() (err error) {
		out, err = c.EC2.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
		return err
	}); err != nil {
		return err
	}
	found := "off"
	if aws.ToBool(out.EbsEncryptionByDefault) {
		found = "on"
	}
	r.add(Finding{Service: "ebs-encryption", Account: t.ID, Region: region, Found: found, Mamori: "turns it on with the data key", Status: StatusReady})
	return nil
}

// s3BlockPublicAccess reads the account's S3 Block Public Access; S3 Control
// answers NoSuchPublicAccessBlockConfiguration when none was ever set.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html
func (r *run) s3BlockPublicAccess(ctx context.Context, t target, c *Clients) error {
	var out *s3control.GetPublicAccessBlockOutput
	err := r.retry.do(ctx, "S3ControlAPI", "GetPublicAccessBlock", func() (err error) {
		out, err = c.S3Control.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(t.ID)})
		return err
	})
	found := "not set"
	switch {
	case hasCode(err, "NoSuchPublicAccessBlockConfiguration"):
	case err != nil:
		return err
	case out.PublicAccessBlockConfiguration != nil:
		p := out.PublicAccessBlockConfiguration
		n := 0
		for _, b := range []*bool{p.BlockPublicAcls, p.IgnorePublicAcls, p.BlockPublicPolicy, p.RestrictPublicBuckets} {
			if aws.ToBool(b) {
				n++
			}
		}
		found = fmt.Sprintf("%d of 4 settings on", n)
	}
	r.add(Finding{Service: "s3-block-public-access", Account: t.ID, Region: "global", Found: found, Mamori: "turns all four on", Status: StatusReady})
	return nil
}

// maxTrailsPerRegion is CloudTrail's quota of trails per Region: "This quota
// cannot be increased" (CloudTrail User Guide, "Quotas in AWS CloudTrail").
// mamori's trail is created in the home region; the trails the account
// created there (their HomeRegion) are what the quota counts.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html
const maxTrailsPerRegion = 5

// trails lists the trails that already record the account. A trail is not a
// singleton (five per region), but a second copy of management events bills.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
func (r *run) trails(ctx context.Context, t target, region string, c *Clients) error {
	var out *cloudtrail.DescribeTrailsOutput
	if err := r.retry.do(ctx, "CloudTrailAPI", "DescribeTrails", func() (err error) {
		out, err = c.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
		return err
	}); err != nil {
		return err
	}
	var names []string
	own := 0
	for _, tr := range out.TrailList {
		// mamori's own trail (<prefix>-trail, in both modes) is updated, not added.
		if aws.ToString(tr.HomeRegion) == region && strings.Contains(aws.ToString(tr.TrailARN), ":"+t.ID+":") && aws.ToString(tr.Name) != r.cfg.Prefix+"-trail" {
			own++
		}
		name := aws.ToString(tr.Name)
		if aws.ToBool(tr.IsOrganizationTrail) {
			name += " (organization)"
		} else if aws.ToBool(tr.IsMultiRegionTrail) {
			name += " (multi-region)"
		}
		names = append(names, name)
	}
	slices.Sort(names)
	mamori := "creates its own multi-region trail"
	if r.cfg.Topology.Mode == config.ModeOrganization {
		mamori = "creates the organization trail"
	}
	f := Finding{Service: "cloudtrail", Account: t.ID, Region: region, Found: "trails: " + orNone(names), Mamori: mamori, Status: StatusReady}
	if len(names) > 0 {
		f.You = "a second trail bills management events again: set compliance.trail.enabled: false if an existing trail already records them"
	}
	if own >= maxTrailsPerRegion {
		f.Status = StatusAction
		f.You = fmt.Sprintf("the account already has %d trails in %s, CloudTrail's quota of trails per Region, which cannot be increased: delete one, or set compliance.trail.enabled: false", own, region)
	}
	r.add(f)
	return nil
}

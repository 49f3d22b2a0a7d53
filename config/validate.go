package config

import (
	"fmt"
	"maps"
	"net"
	"net/mail"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // CIS scan time zones must validate on machines without tzdata
	"unicode/utf8"

	"github.com/mamori-dev/mamori/internal/catalog"
	"github.com/mamori-dev/mamori/internal/names"
)

// Patterns the validator checks against. They are constants in all but
// name: compiled once, never changed.
var (
	prefixPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,19}$`)
	// The patterns AWS Account Management accepts for an alternate contact.
	// https://docs.aws.amazon.com/accounts/latest/reference/API_AlternateContact.html
	contactEmailPattern  = regexp.MustCompile(`^[\w+=.#|!&-]+@[\w.-]+\.[\w]+$`)
	contactPhonePattern  = regexp.MustCompile(`^[\s0-9()+-]{1,25}$`)
	accountIDPattern     = regexp.MustCompile(`^[0-9]{12}$`)
	ouPattern            = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	rootPattern          = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	tagPattern           = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	controlIDPattern     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*\.[0-9]+$`)
	secretNamePattern    = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)
	lambdaArnPattern     = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$`)
	subnetIDPattern      = regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`)
	appKeyNamePattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	principalArnPattern  = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(role|user)/[\w+=,.@/-]{1,512}$`)
	cisControlIDPattern  = regexp.MustCompile(`^[0-9]+(\.[0-9]+)+$`)
	resourceTypePattern  = regexp.MustCompile(`^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$`)
	managedRulePattern   = regexp.MustCompile(`^[A-Z0-9_]+$`)
	timeOfDayPattern     = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	bucketNameCharacters = regexp.MustCompile(`^[a-z0-9.-]+$`)
)

// Limits AWS or mamori imposes, named where the rules below use them.
const (
	maxUserTags            = 45 // AWS allows 50 per resource; mamori adds its own
	maxTagKeyLength        = 128
	maxTagValueLength      = 256
	maxDisabledReasonLen   = 1024 // Security Hub's DisabledReason limit
	maxDisabledPerStandard = 100  // AWS::SecurityHub::Standard DisabledStandardsControls
	maxMalwarePrefixes     = 5    // GuardDuty Malware Protection for S3 object prefixes
	maxMalwarePrefixLen    = 1024
)

// weekdays are the day names Inspector CIS scan schedules take.
func weekdays() []string { return []string{"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"} }

// enum is a typed string whose allowed values the type itself lists.
type enum interface {
	~string
	Values() []string
}

// Validate checks every rule a configuration must satisfy and returns all
// violations at once as Errors, or nil. Parse already calls it; call it again
// after changing a Config in Go. Errors carry file and line only for a Config
// that came from Parse.
func (c *Config) Validate() error {
	if errs := c.validate(); len(errs) > 0 {
		return errs
	}
	return nil
}

// validator collects errors, locating each through the parsed source.
type validator struct {
	src  *source
	errs Errors
}

// add records one error at path.
func (v *validator) add(path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	// An empty string is a value the file left out (or wrote empty): say
	// that it is required rather than that "" is invalid.
	if rest, ok := strings.CutPrefix(msg, `invalid value "": `); ok {
		msg = "required value: " + rest
	}
	fe := &FieldError{Path: path, Line: v.src.line(path), Message: msg}
	if v.src != nil {
		fe.File = v.src.file
	}
	v.errs = append(v.errs, fe)
}

// checkEnum reports value unless its type lists it among its Values.
func checkEnum[E enum](v *validator, path string, value E) {
	values := value.Values()
	if !slices.Contains(values, string(value)) {
		v.add(path, "unsupported value %q: supported values: %s", string(value), quoteList(values))
	}
}

// intRange reports n unless lo <= n <= hi.
func (v *validator) intRange(path string, n, lo, hi int) {
	if n < lo || n > hi {
		v.add(path, "invalid value %d: must be between %d and %d", n, lo, hi)
	}
}

// unique reports every item equal to an earlier one, naming where the first is.
func (v *validator) unique(items []string, itemPath func(int) string) {
	first := map[string]int{}
	for i, s := range items {
		if j, dup := first[s]; dup {
			v.add(itemPath(i), "duplicate value %q: already listed at %s", s, itemPath(j))
			continue
		}
		first[s] = i
	}
}

// uniqueNames reports names that differ only in case or punctuation from an
// earlier one: they would become the same construct ID (and so the same
// CloudFormation logical ID), which CDK refuses at synth.
func (v *validator) uniqueNames(list []string, itemPath func(int) string) {
	first := map[string]int{}
	for i, n := range list {
		k := names.Key(n)
		if j, dup := first[k]; dup && list[j] != n {
			v.add(itemPath(i), "invalid value %q: differs from %q (%s) only in case or punctuation; names must differ in their letters or digits", n, list[j], itemPath(j))
			continue
		}
		first[k] = i
	}
}

// listPath returns the item path function of a list field.
func listPath(path string) func(int) string {
	return func(i int) string { return indexPath(path, i) }
}

// validate runs every rule in field order.
func (c *Config) validate() Errors {
	v := &validator{src: c.src}
	checkEnum(v, "profile", c.Profile)
	if !prefixPattern.MatchString(c.Prefix) || strings.HasSuffix(c.Prefix, "-") {
		v.add("prefix", "invalid value %q: must be 2 to 20 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen", c.Prefix)
	}
	c.validateRegions(v)
	c.validateTopology(v)
	validateTags(v, "tags", c.Tags)
	c.Notifications.validate(v, "notifications")
	c.Logs.validate(v, "logs")
	c.DataProtection.Keys.validate(v, "dataProtection.keys")
	c.DataProtection.AccountGuards.validate(v, "dataProtection.accountGuards")
	c.validateSecrets(v, "dataProtection.secrets")
	c.validateMacie(v, "dataProtection.macie")
	c.validateCloudHSM(v, "dataProtection.cloudHsm")
	c.Detection.SecurityHub.validate(v, "detection.securityHub")
	c.Detection.GuardDuty.validate(v, "detection.guardDuty", c.Regions)
	c.Detection.Config.validate(v, "detection.config")
	if !c.Detection.Config.Enabled && c.Detection.SecurityHub.Enabled {
		v.add("detection.config.enabled", "forbidden: Security Hub controls are evaluated by AWS Config rules and need AWS Config recording; "+
			"keep detection.config.enabled: true, or also set detection.securityHub.enabled: false")
	}
	if d := c.Detection; !d.SecurityHub.Enabled && !d.GuardDuty.Enabled && !d.Config.Enabled && !d.AccessAnalyzer.ExternalAccess &&
		!d.AccessAnalyzer.UnusedAccess.Enabled && !d.Inspector.Enabled {
		v.add("detection", "forbidden: every detection service is off; keep at least one of securityHub, guardDuty, config, accessAnalyzer or inspector on "+
			"(IAM Access Analyzer's external-access analyzer costs nothing)")
	}
	v.intRange("detection.accessAnalyzer.unusedAccess.unusedAccessAgeDays", c.Detection.AccessAnalyzer.UnusedAccess.UnusedAccessAgeDays, 1, 365)
	c.Detection.Inspector.validate(v, "detection.inspector")
	c.validateInfrastructureProtection(v)
	c.validateResponse(v)
	c.validateCompliance(v)
	c.validateOrganizationMode(v)
	c.Prevention.validate(v, c)
	c.validateExisting(v)
	c.validateExcludeRegions(v, "dataProtection.macie.excludeRegions", c.DataProtection.Macie.ExcludeRegions)
	c.validateExcludeRegions(v, "detection.inspector.excludeRegions", c.Detection.Inspector.ExcludeRegions)
	c.validateExcludeRegions(v, "detection.guardDuty.excludeRegions", c.Detection.GuardDuty.ExcludeRegions)
	c.validateExcludeRegions(v, "detection.accessAnalyzer.excludeRegions", c.Detection.AccessAnalyzer.ExcludeRegions)
	c.validateExcludeRegions(v, "response.detective.excludeRegions", c.Response.Detective.ExcludeRegions)
	c.validateAvailability(v)
	v.errs.sortByLine()
	return v.errs
}

// validateRegions checks that the home region and every governed region are
// known, in one partition, listed once, and that the home region is governed.
func (c *Config) validateRegions(v *validator) {
	homePartition, homeKnown := regionPartition(c.HomeRegion)
	if !homeKnown {
		v.add("homeRegion", "%s", unknownRegion(c.HomeRegion))
	}
	for i, r := range c.Regions {
		p, ok := regionPartition(r)
		switch {
		case !ok:
			v.add(indexPath("regions", i), "%s", unknownRegion(r))
		case homeKnown && p != homePartition:
			v.add(indexPath("regions", i), "invalid value %q: it is in partition %s but the home region %s is in %s; all governed regions must be in one partition",
				r, p, c.HomeRegion, homePartition)
		}
	}
	v.unique(c.Regions, listPath("regions"))
	if homeKnown && !slices.Contains(c.Regions, c.HomeRegion) {
		v.add("regions", "required value: must include the home region %q", c.HomeRegion)
	}
}

// unknownRegion words the error for a region name mamori does not know.
func unknownRegion(r string) string {
	msg := fmt.Sprintf("unsupported value %q: not a known AWS region", r)
	if s := suggest(r, regionNames()); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg
}

// validateTopology checks the account layout.
func (c *Config) validateTopology(v *validator) {
	t := c.Topology
	checkEnum(v, "topology.mode", t.Mode)
	if t.AccountID != "" {
		validateAccountID(v, "topology.accountId", t.AccountID)
		if t.Mode == ModeOrganization {
			v.add("topology.accountId", "forbidden: only used in standalone mode; organization mode names its accounts under topology.organization")
		}
	}
	switch {
	case t.Mode == ModeStandalone && t.Organization != nil:
		v.add("topology.organization", "forbidden: only allowed when topology.mode is organization")
	case t.Mode == ModeOrganization && t.Organization == nil:
		v.add("topology.organization", "required value: organization mode needs organizationId, managementAccountId, securityToolingAccountId, logArchiveAccountId and targetOrganizationalUnits")
	case t.Mode == ModeOrganization:
		t.Organization.validate(v, "topology.organization")
	}
}

// validateAccountID reports id unless it is 12 digits.
func validateAccountID(v *validator, path, id string) {
	if id == "" {
		v.add(path, "required value: a 12-digit AWS account ID")
		return
	}
	if !accountIDPattern.MatchString(id) {
		v.add(path, "invalid value %q: must be a 12-digit AWS account ID", id)
	}
}

// validate checks the organization's accounts and target OUs.
func (o *Organization) validate(v *validator, path string) {
	ids := []struct{ key, id string }{
		{"managementAccountId", o.ManagementAccountID},
		{"securityToolingAccountId", o.SecurityToolingAccountID},
		{"logArchiveAccountId", o.LogArchiveAccountID},
	}
	for i, a := range ids {
		validateAccountID(v, fieldPath(path, a.key), a.id)
		for _, b := range ids[:i] {
			if a.id != "" && a.id == b.id {
				v.add(fieldPath(path, a.key), "invalid value %q: must differ from %s: the management, security-tooling and log-archive accounts are three accounts%s", a.id, b.key, sameAccountReason(b.key, a.key))
			}
		}
	}
	ous := fieldPath(path, "targetOrganizationalUnits")
	if len(o.TargetOrganizationalUnits) == 0 {
		v.add(ous, "required value: at least one organizational unit (ou-...) or the root (r-...)")
	}
	for i, ou := range o.TargetOrganizationalUnits {
		if !ouPattern.MatchString(ou) && !rootPattern.MatchString(ou) {
			v.add(indexPath(ous, i), "invalid value %q: must be an organizational unit ID (ou-xxxx-xxxxxxxx) or the root ID (r-xxxx)", ou)
		}
	}
	v.unique(o.TargetOrganizationalUnits, listPath(ous))
}

// validateTags applies AWS's tag rules to the user's tags.
func validateTags(v *validator, path string, tags map[string]string) {
	if len(tags) > maxUserTags {
		v.add(path, "too many: %d tags, at most %d (mamori adds its own on top)", len(tags), maxUserTags)
	}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		p := keyPath(path, k)
		switch n := utf8.RuneCountInString(k); {
		case n == 0 || n > maxTagKeyLength:
			v.add(p, "invalid key %q: tag keys must be 1 to %d characters", k, maxTagKeyLength)
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			v.add(p, "invalid key %q: the aws: prefix is reserved for AWS", k)
		case !tagPattern.MatchString(k):
			v.add(p, "invalid key %q: tag keys may contain only letters, digits, spaces and _ . : / = + - @", k)
		}
		val := tags[k]
		switch {
		case utf8.RuneCountInString(val) > maxTagValueLength:
			v.add(p, "invalid value: tag values must be at most %d characters", maxTagValueLength)
		case !tagPattern.MatchString(val):
			v.add(p, "invalid value %q: tag values may contain only letters, digits, spaces and _ . : / = + - @", val)
		}
	}
}

// validate checks every address and endpoint.
func (n *Notifications) validate(v *validator, path string) {
	emails := fieldPath(path, "emails")
	for i, e := range n.Emails {
		addr, err := mail.ParseAddress(e)
		if err != nil || addr.Name != "" || addr.Address != e {
			v.add(indexPath(emails, i), "invalid value %q: must be a plain email address such as security@example.com, without a display name", e)
		}
	}
	v.unique(n.Emails, listPath(emails))
	hooks := fieldPath(path, "webhooks")
	for i, h := range n.Webhooks {
		u, err := url.Parse(h)
		switch {
		case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil:
			v.add(indexPath(hooks, i), "invalid value %q: must be an https:// URL with a host and no credentials", h)
		case slackWebhookHost(u.Hostname()):
			// SNS delivers nothing to an HTTPS endpoint until someone
			// visits the SubscribeURL it posts there ("HTTP/HTTPS
			// subscription confirmation JSON format", Amazon SNS Developer
			// Guide); a Slack incoming webhook accepts only Slack's own
			// message format, so the confirmation never reaches a person.
			v.add(indexPath(hooks, i), "invalid value %q: a Slack incoming webhook cannot confirm an SNS subscription, so it would never receive a notification; "+
				"post to Slack through AWS Chatbot instead: response.notifications.slack with workspaceId and channelId", h)
		}
	}
	v.unique(n.Webhooks, listPath(hooks))
}

// validate checks the instance metadata hop limit and the security contact,
// against the limits of ModifyInstanceMetadataDefaults and PutAlternateContact.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceMetadataDefaults.html
func (g *AccountGuards) validate(v *validator, path string) {
	v.intRange(fieldPath(path, "instanceMetadataHopLimit"), g.InstanceMetadataHopLimit, 1, 64)
	if c := g.SecurityContact; c != nil {
		c.validate(v, fieldPath(path, "securityContact"))
	}
}

// validate checks an alternate contact against PutAlternateContact's limits.
// https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html
func (c *AlternateContact) validate(v *validator, contact string) {
	text := func(key, value string, most int) {
		if n := utf8.RuneCountInString(value); n < 1 || n > most {
			v.add(fieldPath(contact, key), "invalid value %q: must be 1 to %d characters", value, most)
		}
	}
	text("name", c.Name, 64)
	text("title", c.Title, 50)
	if addr, err := mail.ParseAddress(c.Email); err != nil || addr.Name != "" || addr.Address != c.Email || len(c.Email) > 254 || !contactEmailPattern.MatchString(c.Email) {
		v.add(fieldPath(contact, "email"), "invalid value %q: must be a plain email address such as security@example.com, without a display name", c.Email)
	}
	if !contactPhonePattern.MatchString(c.Phone) {
		v.add(fieldPath(contact, "phone"), "invalid value %q: must be 1 to 25 digits, spaces and ( ) + -, such as +1 206 555 0100", c.Phone)
	}
}

// slackWebhookHost reports whether host serves Slack incoming webhooks.
func slackWebhookHost(host string) bool {
	host = strings.ToLower(host)
	return host == "hooks.slack.com" || strings.HasSuffix(host, ".hooks.slack.com")
}

// validate checks the log lifecycle: S3 rejects a transition that is not
// before the expiration.
func (l *Logs) validate(v *validator, path string) {
	v.intRange(fieldPath(path, "retentionDays"), l.RetentionDays, 1, 36500)
	t := l.TransitionToGlacierDays
	switch {
	case t < 0:
		v.add(fieldPath(path, "transitionToGlacierDays"), "invalid value %d: must be 0 (never move to Glacier) or a number of days", t)
	case t > 0 && t >= l.RetentionDays:
		v.add(fieldPath(path, "transitionToGlacierDays"), "invalid value %d: must be below logs.retentionDays (%d), or 0 to never move logs to Glacier", t, l.RetentionDays)
	}
}

// validate checks the KMS key settings against KMS's own limits.
func (k *Keys) validate(v *validator, path string) {
	v.intRange(fieldPath(path, "rotationPeriodDays"), k.RotationPeriodDays, 90, 2560)
	v.intRange(fieldPath(path, "pendingWindowDays"), k.PendingWindowDays, 7, 30)
	validatePrincipals(v, fieldPath(path, "administrators"), k.Administrators)
	keys := fieldPath(path, "applicationKeys")
	names := make([]string, len(k.ApplicationKeys))
	for i, ak := range k.ApplicationKeys {
		p := indexPath(keys, i)
		names[i] = ak.Name
		if !appKeyNamePattern.MatchString(ak.Name) {
			v.add(fieldPath(p, "name"), "invalid value %q: must be 1 to 40 lower-case letters, digits and hyphens, starting with a letter or digit", ak.Name)
		}
		if len(ak.Users) == 0 {
			v.add(fieldPath(p, "users"), "required value: at least one IAM role or user ARN that may use the key")
		}
		validatePrincipals(v, fieldPath(p, "users"), ak.Users)
	}
	v.unique(names, listPath(keys))
}

// validatePrincipals checks IAM role and user ARNs, as key policies name them.
func validatePrincipals(v *validator, path string, arns []string) {
	for i, arn := range arns {
		if !principalArnPattern.MatchString(arn) {
			v.add(indexPath(path, i), "invalid value %q: must be an IAM role or user ARN, e.g. \"arn:aws:iam::111122223333:role/KeyAdmins\"", arn)
		}
	}
	v.unique(arns, listPath(path))
}

// validate checks standards, disabled controls and control parameters. They
// are checked even when Security Hub is off, where they are simply ignored.
func (s *SecurityHub) validate(v *validator, path string) {
	standards := fieldPath(path, "standards")
	names := make([]string, len(s.Standards))
	for i, st := range s.Standards {
		checkEnum(v, indexPath(standards, i), st)
		names[i] = string(st)
	}
	v.unique(names, listPath(standards))

	disabledPath := fieldPath(path, "disabledControls")
	disabled := map[string]string{} // security control ID -> path of its entry
	for _, std := range slices.Sorted(maps.Keys(s.DisabledControls)) {
		sp := keyPath(disabledPath, std)
		pattern, example := controlIDPattern, "IAM.6"
		switch {
		case !slices.Contains(Standard("").Values(), std):
			v.add(sp, "unsupported key %q: supported values: %s", std, quoteList(Standard("").Values()))
		case !slices.Contains(s.Standards, Standard(std)):
			v.add(sp, "forbidden: standard %q is not in %s", std, standards)
		case Standard(std) == StandardCIS:
			pattern, example = cisControlIDPattern, "1.14"
		}
		controls := s.DisabledControls[std]
		if len(controls) > maxDisabledPerStandard {
			v.add(sp, "too many: %d controls, Security Hub allows at most %d per standard", len(controls), maxDisabledPerStandard)
		}
		seen := map[string]string{}
		for i, dc := range controls {
			p := indexPath(sp, i)
			if !pattern.MatchString(dc.Control) {
				v.add(fieldPath(p, "control"), "invalid value %q: must be a control ID of this standard such as %q", dc.Control, example)
			} else if first, dup := seen[dc.Control]; dup {
				v.add(fieldPath(p, "control"), "duplicate value %q: already disabled at %s", dc.Control, first)
			} else {
				seen[dc.Control] = p
				if pattern == controlIDPattern {
					disabled[dc.Control] = p
				}
			}
			switch {
			case strings.TrimSpace(dc.Reason) == "":
				v.add(fieldPath(p, "reason"), "required value: say why the control does not apply; Security Hub records it for reviewers")
			case utf8.RuneCountInString(dc.Reason) > maxDisabledReasonLen:
				v.add(fieldPath(p, "reason"), "invalid value: at most %d characters", maxDisabledReasonLen)
			}
		}
	}

	paramsPath := fieldPath(path, "controlParameters")
	for _, control := range slices.Sorted(maps.Keys(s.ControlParameters)) {
		p := keyPath(paramsPath, control)
		if !controlIDPattern.MatchString(control) {
			v.add(p, "invalid key %q: must be a security control ID such as \"ACM.1\"", control)
		}
		if at, ok := disabled[control]; ok {
			v.add(p, "forbidden: control %q is disabled at %s; a disabled control takes no parameters", control, at)
		}
		params := s.ControlParameters[control]
		if len(params) == 0 {
			v.add(p, "required value: at least one parameter, or remove the control")
		}
		for _, name := range slices.Sorted(maps.Keys(params)) {
			if name == "" {
				v.add(p, "invalid key \"\": parameter names must not be empty")
				continue
			}
			params[name].validate(v, keyPath(p, name))
		}
	}
}

// validate checks that exactly one of the value's fields is set.
func (pv ParameterValue) validate(v *validator, path string) {
	var all, set []string
	rv := reflect.ValueOf(pv)
	for _, f := range yamlFields(rv.Type()) {
		all = append(all, f.key)
		if !rv.Field(f.index).IsNil() {
			set = append(set, f.key)
		}
	}
	switch len(set) {
	case 1:
	case 0:
		v.add(path, "required value: set exactly one of %s", strings.Join(all, ", "))
	default:
		v.add(path, "invalid value: sets %s; set exactly one of %s, of the type the parameter takes", strings.Join(set, " and "), strings.Join(all, ", "))
	}
}

// validate checks GuardDuty's settings; regions are the governed regions.
func (g *GuardDuty) validate(v *validator, path string, regions []string) {
	checkEnum(v, fieldPath(path, "findingPublishingFrequency"), g.FindingPublishingFrequency)
	buckets := fieldPath(path, "malwareProtectionS3")
	names := make([]string, len(g.MalwareProtectionS3))
	for i, b := range g.MalwareProtectionS3 {
		p := indexPath(buckets, i)
		names[i] = b.Bucket
		if msg := bucketNameProblem(b.Bucket); msg != "" {
			v.add(fieldPath(p, "bucket"), "invalid value %q: %s", b.Bucket, msg)
		}
		if !slices.Contains(regions, b.Region) {
			v.add(fieldPath(p, "region"), "invalid value %q: must be one of the governed regions (regions), where GuardDuty runs", b.Region)
		} else if slices.Contains(g.ExcludeRegions, b.Region) {
			v.add(fieldPath(p, "region"), "invalid value %q: GuardDuty is off there (detection.guardDuty.excludeRegions)", b.Region)
		}
		if len(b.Prefixes) > maxMalwarePrefixes {
			v.add(fieldPath(p, "prefixes"), "too many: %d prefixes, at most %d", len(b.Prefixes), maxMalwarePrefixes)
		}
		for j, pre := range b.Prefixes {
			if len(pre) > maxMalwarePrefixLen {
				v.add(indexPath(fieldPath(p, "prefixes"), j), "invalid value: at most %d characters", maxMalwarePrefixLen)
			}
		}
	}
	v.unique(names, func(i int) string { return fieldPath(indexPath(buckets, i), "bucket") })
}

// bucketNameProblem explains why name is not a valid S3 general purpose
// bucket name, or returns "". See
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func bucketNameProblem(name string) string {
	switch {
	case len(name) < 3 || len(name) > 63:
		return "bucket names are 3 to 63 characters"
	case !bucketNameCharacters.MatchString(name):
		return "bucket names contain only lower-case letters, digits, dots and hyphens"
	case !isAlnum(name[0]) || !isAlnum(name[len(name)-1]):
		return "bucket names start and end with a letter or digit"
	case strings.Contains(name, ".."):
		return "bucket names must not contain two adjacent dots"
	case net.ParseIP(name) != nil:
		return "bucket names must not look like an IP address"
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return fmt.Sprintf("bucket names must not start with %q", p)
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return fmt.Sprintf("bucket names must not end with %q", s)
		}
	}
	return ""
}

// isAlnum reports whether b is a lower-case ASCII letter or a digit.
func isAlnum(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// validate checks AWS Config's recorder and rules.
func (s *ConfigService) validate(v *validator, path string) {
	checkEnum(v, fieldPath(path, "recordingFrequency"), s.RecordingFrequency)
	checkEnum(v, fieldPath(path, "deliveryFrequency"), s.DeliveryFrequency)
	excluded := fieldPath(path, "excludedResourceTypes")
	for i, t := range s.ExcludedResourceTypes {
		if !resourceTypePattern.MatchString(t) {
			v.add(indexPath(excluded, i), "invalid value %q: must be a resource type such as \"AWS::EC2::NetworkInterface\"", t)
		}
	}
	v.unique(s.ExcludedResourceTypes, listPath(excluded))
	rules := fieldPath(path, "managedRules")
	ids := make([]string, len(s.ManagedRules))
	for i, r := range s.ManagedRules {
		p := indexPath(rules, i)
		ids[i] = r.Identifier
		if !managedRulePattern.MatchString(r.Identifier) {
			v.add(fieldPath(p, "identifier"), "invalid value %q: must be a managed rule identifier such as \"ROOT_ACCOUNT_MFA_ENABLED\" (upper-case letters, digits, underscores)", r.Identifier)
		}
		if _, ok := r.Parameters[""]; ok {
			v.add(fieldPath(p, "parameters"), "invalid key \"\": parameter names must not be empty")
		}
	}
	v.unique(ids, func(i int) string { return fieldPath(indexPath(rules, i), "identifier") })
}

// validate checks Inspector's scan settings. The cross-field rules apply only
// when Inspector is on: a disabled Inspector ignores the rest.
func (in *Inspector) validate(v *validator, path string) {
	checkEnum(v, fieldPath(path, "ecrRescanDuration"), in.ECRRescanDuration)
	if in.Enabled && in.ScanTypes.LambdaCode && !in.ScanTypes.Lambda {
		v.add(fieldPath(path, "scanTypes.lambdaCode"), "forbidden: Lambda code scanning needs Lambda scanning; set scanTypes.lambda: true, or lambdaCode: false")
	}

	cis := in.CISScan
	p := fieldPath(path, "cisScan")
	checkEnum(v, fieldPath(p, "securityLevel"), cis.SecurityLevel)
	checkEnum(v, fieldPath(p, "frequency"), cis.Frequency)
	if !timeOfDayPattern.MatchString(cis.TimeOfDay) {
		v.add(fieldPath(p, "timeOfDay"), "invalid value %q: must be a 24-hour time HH:MM such as \"03:00\"", cis.TimeOfDay)
	}
	if _, err := time.LoadLocation(cis.TimeZone); err != nil || cis.TimeZone == "" || cis.TimeZone == "Local" {
		v.add(fieldPath(p, "timeZone"), "invalid value %q: must be an IANA time zone name such as \"UTC\" or \"Europe/Berlin\"", cis.TimeZone)
	}
	days := fieldPath(p, "days")
	for i, d := range cis.Days {
		if !slices.Contains(weekdays(), d) {
			v.add(indexPath(days, i), "unsupported value %q: supported values: %s", d, quoteList(weekdays()))
		}
	}
	v.unique(cis.Days, listPath(days))
	if cis.Frequency == "WEEKLY" && len(cis.Days) == 0 {
		v.add(days, "required value: a weekly scan runs on at least one day")
	}
	if !slices.Contains(weekdays(), cis.DayOfMonth) {
		v.add(fieldPath(p, "dayOfMonth"), "unsupported value %q: supported values: %s", cis.DayOfMonth, quoteList(weekdays()))
	}
	tags := fieldPath(p, "targetTags")
	for _, k := range slices.Sorted(maps.Keys(cis.TargetTags)) {
		if k == "" {
			v.add(tags, "invalid key \"\": tag keys must not be empty")
		} else if len(cis.TargetTags[k]) == 0 {
			v.add(keyPath(tags, k), "required value: at least one tag value")
		}
	}
	if in.Enabled && cis.Enabled {
		if len(cis.TargetTags) == 0 {
			v.add(tags, "required value: CIS scans need at least one tag that selects the instances to scan")
		}
		if !in.ScanTypes.EC2 {
			v.add(fieldPath(p, "enabled"), "forbidden: CIS scans need EC2 scanning; set scanTypes.ec2: true, or cisScan.enabled: false")
		}
	}
}

// validateSecrets checks names, rotation and replicas against Secrets
// Manager's limits.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html
func (c *Config) validateSecrets(v *validator, path string) {
	names := make([]string, len(c.DataProtection.Secrets))
	for i, sec := range c.DataProtection.Secrets {
		p := indexPath(path, i)
		names[i] = sec.Name
		if !secretNamePattern.MatchString(sec.Name) {
			v.add(fieldPath(p, "name"), "invalid value %q: must be 1 to 512 letters, digits and /_+=.@-", sec.Name)
		}
		if utf8.RuneCountInString(sec.Description) > 2048 {
			v.add(fieldPath(p, "description"), "invalid value: at most 2048 characters")
		}
		r, rp := sec.Rotation, fieldPath(p, "rotation")
		if r.HostedEngine != "" {
			checkEnum(v, fieldPath(rp, "hostedEngine"), r.HostedEngine)
			if sec.Username == "" {
				v.add(fieldPath(p, "username"), "required value: managed rotation for a database engine rotates a {\"username\", \"password\"} secret")
			}
			if sec.Database == nil {
				v.add(fieldPath(p, "database"), "required value: host and port: managed rotation connects to the database with what the secret holds")
			}
		}
		if d := sec.Database; d != nil {
			dp := fieldPath(p, "database")
			if sec.Username == "" {
				v.add(fieldPath(p, "username"), "required value: a database secret holds the username it logs in with")
			}
			if strings.TrimSpace(d.Host) == "" {
				v.add(fieldPath(dp, "host"), "required value: the database endpoint's host name")
			}
			v.intRange(fieldPath(dp, "port"), d.Port, 1, 65535)
		}
		if r.FunctionArn != "" && !lambdaArnPattern.MatchString(r.FunctionArn) {
			v.add(fieldPath(rp, "functionArn"), "invalid value %q: must be a Lambda function ARN, e.g. \"arn:aws:lambda:us-east-1:111122223333:function:rotate\"", r.FunctionArn)
		}
		switch {
		case r.HostedEngine != "" && r.FunctionArn != "":
			v.add(rp, "forbidden: set hostedEngine or functionArn, not both")
		case (r.HostedEngine != "" || r.FunctionArn != "") && r.Days == 0:
			v.add(fieldPath(rp, "days"), "required value: days between rotations, 1 to 1000")
		case r.Days != 0 && r.HostedEngine == "" && r.FunctionArn == "":
			v.add(rp, "required value: hostedEngine or functionArn, to say how the secret rotates")
		case r.Days == 0 && r.HostedEngine == "" && r.FunctionArn == "" && len(strings.TrimSpace(r.ManualReason)) < 20:
			v.add(fieldPath(rp, "manualReason"), "required value: a secret that does not rotate automatically needs the reason and who rotates it (at least 20 characters)")
		case r.ManualReason != "" && (r.HostedEngine != "" || r.FunctionArn != ""):
			v.add(fieldPath(rp, "manualReason"), "forbidden: the secret rotates automatically")
		}
		if r.Days != 0 {
			v.intRange(fieldPath(rp, "days"), r.Days, 1, 1000)
		}
		rr := fieldPath(p, "replicaRegions")
		for j, region := range sec.ReplicaRegions {
			switch {
			case region == c.HomeRegion:
				v.add(indexPath(rr, j), "forbidden: %q is the home region, where the secret itself lives", region)
			case !slices.Contains(c.Regions, region):
				v.add(indexPath(rr, j), "invalid value %q: must be a governed region (regions)", region)
			}
		}
		v.unique(sec.ReplicaRegions, listPath(rr))
		validatePrincipals(v, fieldPath(p, "readers"), sec.Readers)
	}
	v.unique(names, listPath(path))
}

// validateMacie checks Macie's settings against Macie's limits, so that the
// construct never meets a value it would refuse.
// https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html
// https://docs.aws.amazon.com/macie/latest/APIReference/custom-data-identifiers.html
func (c *Config) validateMacie(v *validator, path string) {
	m := c.DataProtection.Macie
	checkEnum(v, fieldPath(path, "findingPublishingFrequency"), m.FindingPublishingFrequency)
	names := func(list string, count int, name func(int) string) {
		keys := make([]string, count)
		for i := range count {
			keys[i] = names.Key(name(i))
			if keys[i] == "" {
				v.add(fieldPath(indexPath(fieldPath(path, list), i), "name"), "required value: a name with letters or digits")
			}
		}
		v.unique(keys, listPath(fieldPath(path, list)))
	}

	jobs := fieldPath(path, "classificationJobs")
	names("classificationJobs", len(m.ClassificationJobs), func(i int) string { return m.ClassificationJobs[i].Name })
	for i, j := range m.ClassificationJobs {
		p := indexPath(jobs, i)
		if n := utf8.RuneCountInString(j.Name); n > catalog.MacieJobNameMax {
			v.add(fieldPath(p, "name"), "invalid value: at most %d characters", catalog.MacieJobNameMax)
		}
		if j.Region != "" && !slices.Contains(c.Regions, j.Region) {
			v.add(fieldPath(p, "region"), "invalid value %q: must be a governed region (regions)", j.Region)
		} else if slices.Contains(m.ExcludeRegions, j.Region) {
			v.add(fieldPath(p, "region"), "invalid value %q: Macie is off there (dataProtection.macie.excludeRegions)", j.Region)
		}
		if (len(j.BucketNames) == 0) == (len(j.BucketTags) == 0) {
			v.add(p, "required value: exactly one of bucketNames and bucketTags")
		}
		if j.Schedule != "" {
			checkEnum(v, fieldPath(p, "schedule"), j.Schedule)
		}
		weekly, monthly := j.Schedule == "WEEKLY", j.Schedule == "MONTHLY"
		if weekly != (j.DayOfWeek != "") || (weekly && !slices.Contains(catalog.MacieWeekdays, j.DayOfWeek)) {
			if j.DayOfWeek == "" {
				v.add(fieldPath(p, "dayOfWeek"), "required value: a WEEKLY job runs on one of %s", quoteList(catalog.MacieWeekdays))
			} else {
				v.add(fieldPath(p, "dayOfWeek"), "invalid value %q: set only for WEEKLY jobs, to one of %s", j.DayOfWeek, quoteList(catalog.MacieWeekdays))
			}
		}
		if monthly != (j.DayOfMonth != 0) || j.DayOfMonth < 0 || j.DayOfMonth > catalog.MacieDayOfMonthMax {
			v.add(fieldPath(p, "dayOfMonth"), "invalid value %d: required for MONTHLY jobs only, 1 to %d", j.DayOfMonth, catalog.MacieDayOfMonthMax)
		}
		if j.SamplingPercentage != 0 {
			v.intRange(fieldPath(p, "samplingPercentage"), j.SamplingPercentage, 1, catalog.MacieSamplingPercentageMax)
		}
		if j.ManagedIdentifiers != "" {
			checkEnum(v, fieldPath(p, "managedIdentifiers"), j.ManagedIdentifiers)
		}
	}

	ids := fieldPath(path, "customDataIdentifiers")
	names("customDataIdentifiers", len(m.CustomDataIdentifiers), func(i int) string { return m.CustomDataIdentifiers[i].Name })
	for i, d := range m.CustomDataIdentifiers {
		p := indexPath(ids, i)
		if utf8.RuneCountInString(d.Name) > catalog.MacieIdentifierNameMax {
			v.add(fieldPath(p, "name"), "invalid value: at most %d characters", catalog.MacieIdentifierNameMax)
		}
		if n := utf8.RuneCountInString(d.Regex); n == 0 || n > catalog.MacieRegexMax {
			v.add(fieldPath(p, "regex"), "invalid value: 1 to %d characters", catalog.MacieRegexMax)
		}
		if utf8.RuneCountInString(d.Description) > catalog.MacieDescriptionMax {
			v.add(fieldPath(p, "description"), "invalid value: at most %d characters", catalog.MacieDescriptionMax)
		}
		wordsIn(v, fieldPath(p, "keywords"), d.Keywords, catalog.MacieKeywordsMax, catalog.MacieKeywordMin, catalog.MacieWordMax)
		wordsIn(v, fieldPath(p, "ignoreWords"), d.IgnoreWords, catalog.MacieIgnoreWordsMax, catalog.MacieIgnoreWordMin, catalog.MacieWordMax)
		if d.MaximumMatchDistance != 0 {
			v.intRange(fieldPath(p, "maximumMatchDistance"), d.MaximumMatchDistance, 1, catalog.MacieMatchDistanceMax)
		}
	}

	lists := fieldPath(path, "allowLists")
	names("allowLists", len(m.AllowLists), func(i int) string { return m.AllowLists[i].Name })
	for i, l := range m.AllowLists {
		if n := utf8.RuneCountInString(l.Regex); n == 0 || n > catalog.MacieRegexMax {
			v.add(fieldPath(indexPath(lists, i), "regex"), "invalid value: 1 to %d characters", catalog.MacieRegexMax)
		}
	}

	filters := fieldPath(path, "findingsFilters")
	names("findingsFilters", len(m.FindingsFilters), func(i int) string { return m.FindingsFilters[i].Name })
	for i, f := range m.FindingsFilters {
		p := indexPath(filters, i)
		if n := utf8.RuneCountInString(f.Name); n < catalog.MacieFilterNameMin || n > catalog.MacieFilterNameMax {
			v.add(fieldPath(p, "name"), "invalid value %q: %d to %d characters", f.Name, catalog.MacieFilterNameMin, catalog.MacieFilterNameMax)
		}
		if f.Action != "" {
			checkEnum(v, fieldPath(p, "action"), f.Action)
		}
		if len(f.Criteria) == 0 {
			v.add(fieldPath(p, "criteria"), "required value: at least one finding field and its condition")
		}
		for _, field := range slices.Sorted(maps.Keys(f.Criteria)) {
			cr := f.Criteria[field]
			if len(cr.Eq) == 0 && len(cr.Neq) == 0 && cr.Gt == nil && cr.Gte == nil && cr.Lt == nil && cr.Lte == nil {
				v.add(keyPath(fieldPath(p, "criteria"), field), "required value: at least one of eq, neq, gt, gte, lt, lte")
			}
		}
	}
}

// wordsIn checks a word list's length and each word's.
func wordsIn(v *validator, path string, words []string, most, shortest, longest int) {
	if len(words) > most {
		v.add(path, "too many: %d, at most %d", len(words), most)
	}
	for i, w := range words {
		if n := utf8.RuneCountInString(w); n < shortest || n > longest {
			v.add(indexPath(path, i), "invalid value %q: %d to %d characters", w, shortest, longest)
		}
	}
}

// validateCloudHSM checks the cluster against CloudHSM's rules: FIPS only on
// its hardware, subnets in distinct zones of the home region.
// https://docs.aws.amazon.com/cloudhsm/latest/APIReference/API_CreateCluster.html
func (c *Config) validateCloudHSM(v *validator, path string) {
	h := c.DataProtection.CloudHSM
	if !h.Enabled {
		return
	}
	if !h.AcknowledgeHourlyCost {
		v.add(fieldPath(path, "acknowledgeHourlyCost"), "required value: true, to record that every HSM bills for each hour it exists (at least two)")
	}
	checkEnum(v, fieldPath(path, "hsmType"), h.HSMType)
	if h.NonFIPS && h.HSMType == "hsm1.medium" {
		v.add(fieldPath(path, "nonFips"), "forbidden: hsm1.medium runs in FIPS mode only")
	}
	if h.HSMCount < 2 {
		v.add(fieldPath(path, "hsmCount"), "invalid value %d: at least 2, in different availability zones", h.HSMCount)
	}
	v.intRange(fieldPath(path, "backupRetentionDays"), h.BackupRetentionDays, 7, 379)
	subnets := fieldPath(path, "subnets")
	zones := map[string]bool{}
	for i, sn := range h.Subnets {
		p := indexPath(subnets, i)
		if !subnetIDPattern.MatchString(sn.SubnetID) {
			v.add(fieldPath(p, "subnetId"), "invalid value %q: must be a subnet ID such as \"subnet-0123456789abcdef0\"", sn.SubnetID)
		}
		if !strings.HasPrefix(sn.AvailabilityZone, c.HomeRegion) || len(sn.AvailabilityZone) != len(c.HomeRegion)+1 {
			v.add(fieldPath(p, "availabilityZone"), "invalid value %q: must be an availability zone of the home region %q, e.g. %q", sn.AvailabilityZone, c.HomeRegion, c.HomeRegion+"a")
		} else if zones[sn.AvailabilityZone] {
			v.add(fieldPath(p, "availabilityZone"), "duplicate value %q: one subnet per availability zone", sn.AvailabilityZone)
		}
		zones[sn.AvailabilityZone] = true
	}
	if len(zones) < 2 {
		v.add(subnets, "required value: private subnets in at least two availability zones")
	}
}

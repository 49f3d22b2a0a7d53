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
	"unicode/utf8"

	"github.com/mamori-dev/mamori/internal/names"
)

// Patterns the validator checks against. They are constants in all but
// name: compiled once, never changed.
var (
	prefixPattern        = regexp.MustCompile(`^[a-z][a-z0-9-]{1,19}$`)
	accountIDPattern     = regexp.MustCompile(`^[0-9]{12}$`)
	ouPattern            = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	rootPattern          = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	tagPattern           = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	controlIDPattern     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*\.[0-9]+$`)
	subnetIDPattern      = regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`)
	bucketNameCharacters = regexp.MustCompile(`^[a-z0-9.-]+$`)
)

// Limits AWS or mamori imposes, named where the rules below use them.
const (
	maxUserTags       = 45 // AWS allows 50 per resource; mamori adds its own
	maxTagKeyLength   = 128
	maxTagValueLength = 256
)

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

// add records one error at path whose message fits none of the typed
// constructors below; prefer those.
func (v *validator) add(path, format string, args ...any) {
	v.record("", path, fmt.Sprintf(format, args...))
}

// record appends one error of type t at path.
func (v *validator) record(t ErrorType, path, msg string) {
	fe := &FieldError{Path: path, Line: v.src.line(path), Type: t, Message: msg}
	if v.src != nil {
		fe.File = v.src.file
	}
	v.errs = append(v.errs, fe)
}

// typed records an error of type t: "<type> <value>: <detail>", or
// "<type>: <detail>" when value is omitValue.
func (v *validator) typed(t ErrorType, path string, value any, format string, args ...any) {
	detail := fmt.Sprintf(format, args...)
	if value == omitValue {
		v.record(t, path, fmt.Sprintf("%s: %s", t, detail))
		return
	}
	v.record(t, path, fmt.Sprintf("%s %s: %s", t, renderValue(value), detail))
}

// omitValue, passed as the value to invalid, leaves the value out of the
// message (a long text, a count already in the detail).
var omitValue any = struct{ omit bool }{true}

// renderValue writes a string value quoted and any other value as is.
func renderValue(value any) string {
	if reflect.ValueOf(value).Kind() == reflect.String {
		return fmt.Sprintf("%q", value)
	}
	return fmt.Sprint(value)
}

// invalid reports a value that is not allowed: "invalid value <value>:
// <detail>". An empty string is a value the file left out (or wrote empty),
// so it is reported as required instead.
func (v *validator) invalid(path string, value any, format string, args ...any) {
	if rv := reflect.ValueOf(value); rv.Kind() == reflect.String && rv.Len() == 0 {
		v.required(path, format, args...)
		return
	}
	v.typed(ErrorTypeInvalid, path, value, format, args...)
}

// required reports a missing value: "required value: <detail>".
func (v *validator) required(path, format string, args ...any) {
	v.typed(ErrorTypeRequired, path, omitValue, format, args...)
}

// forbidden reports a field that must not be set here: "forbidden: <detail>".
func (v *validator) forbidden(path, format string, args ...any) {
	v.typed(ErrorTypeForbidden, path, omitValue, format, args...)
}

// notSupported reports a value outside a known set: "unsupported value
// <value>: <detail>"; the detail usually ends in supportedValues(...).
func (v *validator) notSupported(path string, value any, format string, args ...any) {
	v.typed(ErrorTypeNotSupported, path, value, format, args...)
}

// supportedValues renders the detail of notSupported for a list of values.
func supportedValues(values []string) string {
	return "supported values: " + quoteList(values)
}

// duplicate reports a value that repeats one that must be unique:
// "duplicate value <value>: <detail>".
func (v *validator) duplicate(path string, value any, format string, args ...any) {
	v.typed(ErrorTypeDuplicate, path, value, format, args...)
}

// invalidKey reports a map key that is not allowed: "invalid key <key>:
// <detail>", at the path that ends in the key. Its type is
// ErrorTypeInvalid: the message names the key rather than a value.
func (v *validator) invalidKey(path, key, format string, args ...any) {
	v.record(ErrorTypeInvalid, path, fmt.Sprintf("invalid key %q: %s", key, fmt.Sprintf(format, args...)))
}

// notSupportedKey reports a map key outside a known set: "unsupported key
// <key>: supported values: ...". Its type is ErrorTypeNotSupported.
func (v *validator) notSupportedKey(path, key string, values []string) {
	v.record(ErrorTypeNotSupported, path, fmt.Sprintf("unsupported key %q: %s", key, supportedValues(values)))
}

// tooMany reports a list longer than allowed: "too many: <detail>".
func (v *validator) tooMany(path, format string, args ...any) {
	v.typed(ErrorTypeTooMany, path, omitValue, format, args...)
}

// checkEnum reports value unless its type lists it among its Values.
func checkEnum[E enum](v *validator, path string, value E) {
	values := value.Values()
	if !slices.Contains(values, string(value)) {
		v.notSupported(path, string(value), "supported values: %s", quoteList(values))
	}
}

// checkEnumList reports every item of the list at path that its type does
// not list among its Values, and every item listed twice.
func checkEnumList[E enum](v *validator, path string, values []E) {
	eachUnique(v, path, values, "", func(e E) string { return string(e) }, func(p string, e E) { checkEnum(v, p, e) })
}

// intRange reports n unless lo <= n <= hi.
func (v *validator) intRange(path string, n, lo, hi int) {
	if n < lo || n > hi {
		v.invalid(path, n, "must be between %d and %d", lo, hi)
	}
}

// unique reports every item equal to an earlier one, naming where the first is.
func (v *validator) unique(items []string, itemPath func(int) string) {
	first := map[string]int{}
	for i, s := range items {
		if j, dup := first[s]; dup {
			v.duplicate(itemPath(i), s, "already listed at %s", itemPath(j))
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
			v.invalid(itemPath(i), n, "differs from %q (%s) only in case or punctuation; names must differ in their letters or digits", list[j], itemPath(j))
			continue
		}
		first[k] = i
	}
}

// eachUnique checks every item of the list at path, calling check (when not
// nil) with the item's path, and then reports every item whose key repeats an
// earlier item's, at the key's field: keyField under the item, or the item
// itself when keyField is "". It returns the keys, one per item.
func eachUnique[T any](v *validator, path string, items []T, keyField string, key func(T) string, check func(p string, item T)) []string {
	keys := make([]string, len(items))
	for i, item := range items {
		keys[i] = key(item)
		if check != nil {
			check(indexPath(path, i), item)
		}
	}
	v.unique(keys, keyPaths(path, keyField))
	return keys
}

// identity is the key of a list whose items are themselves the key.
func identity(s string) string { return s }

// keyPaths returns the path function of a key field in the items of a list:
// list[i].keyField, or list[i] when keyField is "".
func keyPaths(path, keyField string) func(int) string {
	if keyField == "" {
		return listPath(path)
	}
	return func(i int) string { return fieldPath(indexPath(path, i), keyField) }
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
		v.invalid("prefix", c.Prefix, "must be 2 to 20 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen")
	}
	c.validateRegions(v)
	c.validateTopology(v)
	validateTags(v, "tags", c.Tags)
	c.Notifications.validate(v, "notifications")
	c.Logs.validate(v, "logs")
	c.DataProtection.validate(v, "dataProtection", c.HomeRegion, c.Regions)
	c.Detection.validate(v, "detection", c.Regions)
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
	c.validateDetectionRegions(v)
	c.validateAvailability(v)
	v.errs.sortByLine()
	return v.errs
}

// validateRegions checks that the home region and every governed region are
// known, in one partition, listed once, and that the home region is governed.
func (c *Config) validateRegions(v *validator) {
	homePartition, homeKnown := regionPartition(c.HomeRegion)
	if !homeKnown {
		v.unknownRegion("homeRegion", c.HomeRegion)
	}
	eachUnique(v, "regions", c.Regions, "", identity, func(ip string, r string) {
		p, ok := regionPartition(r)
		switch {
		case !ok:
			v.unknownRegion(ip, r)
		case homeKnown && p != homePartition:
			v.invalid(ip, r, "it is in partition %s but the home region %s is in %s; all governed regions must be in one partition", p, c.HomeRegion, homePartition)
		}
	})
	if homeKnown && !slices.Contains(c.Regions, c.HomeRegion) {
		v.required("regions", "must include the home region %q", c.HomeRegion)
	}
}

// unknownRegion reports a region name mamori does not know.
func (v *validator) unknownRegion(path, r string) {
	detail := "not a known AWS region"
	if s := suggest(r, regionNames()); s != "" {
		detail += fmt.Sprintf("; did you mean %q?", s)
	}
	v.notSupported(path, r, "%s", detail)
}

// validateTopology checks the account layout.
func (c *Config) validateTopology(v *validator) {
	t := c.Topology
	checkEnum(v, "topology.mode", t.Mode)
	if t.AccountID != "" {
		validateAccountID(v, "topology.accountId", t.AccountID)
		if t.Mode == ModeOrganization {
			v.forbidden("topology.accountId", "only used in standalone mode; organization mode names its accounts under topology.organization")
		}
	}
	switch {
	case t.Mode == ModeStandalone && t.Organization != nil:
		v.forbidden("topology.organization", "only allowed when topology.mode is organization")
	case t.Mode == ModeOrganization && t.Organization == nil:
		v.required("topology.organization", "organization mode needs organizationId, managementAccountId, securityToolingAccountId, logArchiveAccountId and targetOrganizationalUnits")
	case t.Mode == ModeOrganization:
		t.Organization.validate(v, "topology.organization")
	}
}

// validateAccountID reports id unless it is 12 digits.
func validateAccountID(v *validator, path, id string) {
	if id == "" {
		v.required(path, "a 12-digit AWS account ID")
		return
	}
	if !accountIDPattern.MatchString(id) {
		v.invalid(path, id, "must be a 12-digit AWS account ID")
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
				v.invalid(fieldPath(path, a.key), a.id, "must differ from %s: the management, security-tooling and log-archive accounts are three accounts%s", b.key, sameAccountReason(b.key, a.key))
			}
		}
	}
	ous := fieldPath(path, "targetOrganizationalUnits")
	if len(o.TargetOrganizationalUnits) == 0 {
		v.required(ous, "at least one organizational unit (ou-...) or the root (r-...)")
	}
	eachUnique(v, ous, o.TargetOrganizationalUnits, "", identity, func(p string, ou string) {
		if !ouPattern.MatchString(ou) && !rootPattern.MatchString(ou) {
			v.invalid(p, ou, "must be an organizational unit ID (ou-xxxx-xxxxxxxx) or the root ID (r-xxxx)")
		}
	})
}

// validateTags applies AWS's tag rules to the user's tags.
func validateTags(v *validator, path string, tags map[string]string) {
	if len(tags) > maxUserTags {
		v.tooMany(path, "%d tags, at most %d (mamori adds its own on top)", len(tags), maxUserTags)
	}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		p := keyPath(path, k)
		switch n := utf8.RuneCountInString(k); {
		case n == 0 || n > maxTagKeyLength:
			v.invalidKey(p, k, "tag keys must be 1 to %d characters", maxTagKeyLength)
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			v.invalidKey(p, k, "the aws: prefix is reserved for AWS")
		case !tagPattern.MatchString(k):
			v.invalidKey(p, k, "tag keys may contain only letters, digits, spaces and _ . : / = + - @")
		}
		val := tags[k]
		switch {
		case utf8.RuneCountInString(val) > maxTagValueLength:
			v.invalid(p, omitValue, "tag values must be at most %d characters", maxTagValueLength)
		case !tagPattern.MatchString(val):
			v.invalid(p, val, "tag values may contain only letters, digits, spaces and _ . : / = + - @")
		}
	}
}

// validate checks every address and endpoint.
func (n *Notifications) validate(v *validator, path string) {
	emails := fieldPath(path, "emails")
	eachUnique(v, emails, n.Emails, "", identity, func(p string, e string) {
		addr, err := mail.ParseAddress(e)
		if err != nil || addr.Name != "" || addr.Address != e {
			v.invalid(p, e, "must be a plain email address such as security@example.com, without a display name")
		}
	})
	hooks := fieldPath(path, "webhooks")
	eachUnique(v, hooks, n.Webhooks, "", identity, func(p string, h string) {
		u, err := url.Parse(h)
		switch {
		case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil:
			v.invalid(p, h, "must be an https:// URL with a host and no credentials")
		case slackWebhookHost(u.Hostname()):
			// SNS delivers nothing to an HTTPS endpoint until someone
			// visits the SubscribeURL it posts there ("HTTP/HTTPS
			// subscription confirmation JSON format", Amazon SNS Developer
			// Guide); a Slack incoming webhook accepts only Slack's own
			// message format, so the confirmation never reaches a person.
			v.invalid(p, h, "a Slack incoming webhook cannot confirm an SNS subscription, so it would never receive a notification; "+
				"post to Slack through AWS Chatbot instead: response.notifications.slack with workspaceId and channelId")
		}
	})
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
		v.invalid(fieldPath(path, "transitionToGlacierDays"), t, "must be 0 (never move to Glacier) or a number of days")
	case t > 0 && t >= l.RetentionDays:
		v.invalid(fieldPath(path, "transitionToGlacierDays"), t, "must be below logs.retentionDays (%d), or 0 to never move logs to Glacier", l.RetentionDays)
	}
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

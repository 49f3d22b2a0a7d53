package config

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// OriginKind says where a value of the effective configuration came from.
type OriginKind string

// The places a value can come from.
const (
	// OriginFile: the configuration file wrote it.
	OriginFile OriginKind = "file"
	// OriginProfile: the file left it out and the profile's default, which
	// differs between sandbox and production, filled it in.
	OriginProfile OriginKind = "profile"
	// OriginDefault: the file left it out and the built-in default, the
	// same in both profiles, filled it in.
	OriginDefault OriginKind = "default"
	// OriginDerived: the file left it out and the loader computed it from
	// other settings (the governed regions from homeRegion, for example).
	OriginDerived OriginKind = "derived"
)

// Origin is where one value came from.
type Origin struct {
	Kind OriginKind
	// File and Line locate a value the file wrote.
	File string
	Line int
	// Profile is the profile whose default applied.
	Profile Profile
}

// String renders the origin for people: "file config/x.yaml:12",
// "production profile default", "built-in default", "derived from other
// settings".
func (o Origin) String() string {
	switch o.Kind {
	case OriginFile:
		if o.File == "" {
			return "set in Go"
		}
		return fmt.Sprintf("file %s:%d", o.File, o.Line)
	case OriginProfile:
		return fmt.Sprintf("%s profile default", o.Profile)
	case OriginDerived:
		return "derived from other settings"
	}
	return "built-in default"
}

// Setting is one value of the effective configuration: a scalar, list or
// map at a field path, with its origin.
type Setting struct {
	Path   string
	Value  any
	Origin Origin
}

// Settings lists every value of the effective configuration, in the order
// of the types' fields, with where each came from. Lists and maps are one
// value each, because a file that writes one replaces the default whole.
// An optional section that is absent (a nil pointer) is one null value.
func (c *Config) Settings() []Setting {
	own := leafValues(c)
	defaults := leafValues(profileDefaults(c.Profile))
	other := ProfileProduction
	if c.Profile == ProfileProduction {
		other = ProfileSandbox
	}
	others := leafValues(profileDefaults(other))
	out := make([]Setting, 0, len(own.order))
	for _, p := range own.order {
		out = append(out, Setting{Path: p, Value: own.values[p], Origin: c.origin(p, own, defaults, others)})
	}
	return out
}

// originOf is the origin of the value at path (a leaf, or anything below
// one: a list item is where its list came from).
func (c *Config) originOf(path string) Origin {
	own := leafValues(c)
	for p := path; p != ""; p = parentPath(p) {
		if _, ok := own.values[p]; ok {
			other := ProfileProduction
			if c.Profile == ProfileProduction {
				other = ProfileSandbox
			}
			return c.origin(p, own, leafValues(profileDefaults(c.Profile)), leafValues(profileDefaults(other)))
		}
	}
	return Origin{Kind: OriginDefault}
}

func (c *Config) origin(p string, own, defaults, others leaves) Origin {
	if c.src != nil && c.src.set[p] {
		return Origin{Kind: OriginFile, File: c.src.file, Line: c.src.lines[p]}
	}
	def, inDefaults := defaults.values[p]
	switch {
	case !inDefaults || !reflect.DeepEqual(own.values[p], def):
		if c.src == nil {
			return Origin{Kind: OriginFile} // built in Go
		}
		return Origin{Kind: OriginDerived}
	case reflect.DeepEqual(def, others.values[p]):
		return Origin{Kind: OriginDefault}
	}
	return Origin{Kind: OriginProfile, Profile: c.Profile}
}

// leaves is a configuration flattened to its values by field path.
type leaves struct {
	order  []string
	values map[string]any
}

func leafValues(c *Config) leaves {
	l := leaves{values: map[string]any{}}
	l.walk(reflect.ValueOf(c).Elem(), "")
	return l
}

func (l *leaves) walk(v reflect.Value, path string) {
	switch {
	case v.Kind() == reflect.Struct:
		for _, f := range yamlFields(v.Type()) {
			l.walk(v.Field(f.index), fieldPath(path, f.key))
		}
		return
	case v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.Struct && !v.IsNil():
		l.walk(v.Elem(), path)
		return
	}
	var val any
	if !(v.Kind() == reflect.Pointer && v.IsNil()) {
		val = v.Interface()
	}
	l.order = append(l.order, path)
	l.values[path] = val
}

// FormatValue renders a setting's value on one line, as YAML flow style
// reads it: strings quoted, lists in brackets, maps in braces.
func FormatValue(v any) string {
	// An empty list or map is written [] or {}; null is an absent section.
	switch rv := reflect.ValueOf(v); {
	case rv.Kind() == reflect.Slice && rv.Len() == 0:
		return "[]"
	case rv.Kind() == reflect.Map && rv.Len() == 0:
		return "{}"
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

// annotateDefault adds, to an error about a value the file did not write,
// where the value came from: a user who lowered retentionDays needs to
// know that the transitionToGlacierDays it now contradicts is the
// profile's, not theirs.
// It reports whether it did: whether e is about a default's value.
func (c *Config) annotateDefault(e *FieldError) bool {
	rest, ok := strings.CutPrefix(e.Message, "invalid value ")
	if !ok || c.written(e.Path) {
		return false
	}
	// The value is quoted (a string) or a bare word (a number, a boolean).
	value, err := strconv.QuotedPrefix(rest)
	if err != nil {
		value, _, _ = strings.Cut(rest, ":")
	}
	after, ok := strings.CutPrefix(rest, value)
	if !ok || !strings.HasPrefix(after, ":") {
		return false
	}
	o := c.originOf(e.Path)
	var from string
	switch o.Kind {
	case OriginProfile:
		from = fmt.Sprintf("the %s profile's default, not written in the file", o.Profile)
	case OriginDefault:
		from = "the built-in default, not written in the file"
	case OriginDerived:
		from = "derived from other settings, not written in the file"
	default:
		return false
	}
	e.Message = fmt.Sprintf("invalid value %s (%s)%s", value, from, after)
	return true
}

// written reports whether the file wrote the value at path: the field
// itself, or the list or map it is an item of.
func (c *Config) written(path string) bool {
	if c.src == nil {
		return true
	}
	own := leafValues(c)
	for p := path; p != ""; p = parentPath(p) {
		if _, leaf := own.values[p]; leaf {
			return c.src.set[p]
		}
	}
	return c.src.set[path]
}

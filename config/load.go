package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// defaultYAML is the architecture `make synth` builds when no file is given.
//
//go:embed default.yaml
var defaultYAML []byte

// defaultName names the embedded default file in error messages.
const defaultName = "config/default.yaml"

// Load reads and parses the configuration file at path. See Parse.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Default returns the configuration embedded as config/default.yaml: a
// sandbox-profile, standalone deployment governing us-east-1 and eu-west-1.
func Default() (*Config, error) {
	return Parse(defaultName, defaultYAML)
}

// Parse decodes one YAML document strictly, fills every field the document
// leaves out from its profile's defaults, and validates the result. name is
// used only in messages.
//
// Strict means: unknown keys, duplicate keys, values of the wrong type,
// anchors and aliases, custom tags, and anything but exactly one mapping
// document are errors. A key that is written replaces the profile default
// entirely: lists and maps are never merged with the default ones.
//
// On failure the error is an Errors holding every problem found, each with
// file, line and field path.
func Parse(name string, data []byte) (*Config, error) {
	root, errs := parseDocument(name, data)
	if errs != nil {
		return nil, errs
	}

	d := &decoder{src: &source{file: name, lines: map[string]int{}, set: map[string]bool{}}}
	profile := ProfileSandbox
	if p := rootScalar(root, "profile"); p == string(ProfileProduction) {
		profile = ProfileProduction
	}
	c := profileDefaults(profile)
	d.value(root, reflect.ValueOf(c).Elem(), "")
	fillDerived(c, d.src.set)
	c.src = d.src

	// An invalid value the file did not write (a profile's default) says
	// where it came from, and comes after the errors about what the file
	// wrote: it is usually the consequence of a value the file changed,
	// which the reader should meet first.
	errs = d.errs
	var defaults Errors
	for _, e := range c.validate() {
		switch {
		case d.broken(e.Path):
		case c.annotateDefault(e):
			defaults = append(defaults, e)
		default:
			errs = append(errs, e)
		}
	}
	errs.sortByLine()
	defaults.sortByLine()
	errs = append(errs, defaults...)
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// source remembers where each value of a parsed Config came from, so that
// validation errors can name the line.
type source struct {
	file  string
	lines map[string]int  // field path -> line of its value node
	set   map[string]bool // field paths written in the file
}

// line returns the line of the node at path or, when path was not written
// (a default, a missing key), of the nearest enclosing node that was, so that
// an editor still lands next to the problem. 0 when nothing enclosing was
// written either.
func (s *source) line(path string) int {
	if s == nil {
		return 0
	}
	for p := path; p != ""; p = parentPath(p) {
		if l, ok := s.lines[p]; ok {
			return l
		}
	}
	return 0
}

// parentPath strips the last field, index or key from a path built by
// fieldPath, indexPath and keyPath; it always returns a shorter string.
func parentPath(p string) string {
	if strings.HasSuffix(p, `"]`) {
		// A quoted key may itself contain dots and brackets: find the "["
		// whose remainder unquotes.
		for i := strings.LastIndex(p, `["`); i >= 0; i = strings.LastIndex(p[:i], `["`) {
			if _, err := strconv.Unquote(p[i+1 : len(p)-1]); err == nil {
				return p[:i]
			}
		}
	}
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return ""
}

// yamlErrorLine picks the line out of go-yaml's "yaml: line N: msg" errors.
var yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseDocument parses data into exactly one document whose content is a
// mapping. Any problem here stops decoding, so it returns at most one error.
func parseDocument(name string, data []byte) (root *yaml.Node, errs Errors) {
	docErr := func(line int, format string, args ...any) Errors {
		return Errors{{File: name, Line: line, Message: fmt.Sprintf(format, args...)}}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, docErr(0, "empty file: expected a mapping of settings, at least `profile: sandbox`")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var doc yaml.Node
		err := decodeNode(dec, &doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			msg := err.Error()
			line := 0
			if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
				line, _ = strconv.Atoi(m[1])
				msg = m[2]
			}
			// go-yaml words a tab in indentation in several ways, none
			// naming its column.
			if l, col, ok := indentingTab(data); ok && (line == 0 || l <= line+1) {
				return nil, docErr(l, "invalid YAML: a tab at column %d indents this line; YAML indents with spaces only: replace the tab with spaces", col)
			}
			return nil, docErr(line, "invalid YAML: %s", msg)
		}
		docs = append(docs, &doc)
	}
	switch {
	case len(docs) == 0:
		return nil, docErr(0, "empty document: expected a mapping of settings, at least `profile: sandbox`")
	case len(docs) > 1:
		return nil, docErr(docs[1].Line, "found %d YAML documents: a configuration file holds exactly one (remove the extra \"---\")", len(docs))
	}
	doc := docs[0]
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, docErr(doc.Line, "empty document: expected a mapping of settings, at least `profile: sandbox`")
	}
	root = doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil, docErr(root.Line, "empty document: expected a mapping of settings, at least `profile: sandbox`")
	}
	if root.Kind != yaml.MappingNode {
		return nil, docErr(root.Line, "expected a mapping of settings at the top level, got %s", describe(root))
	}
	return root, nil
}

// indentingTab finds the first tab in a line's leading whitespace, which
// YAML forbids, and returns its 1-based line and column. go-yaml reports
// such a tab at the line before it, and without a column.
func indentingTab(data []byte) (line, col int, ok bool) {
	for i, l := range strings.Split(string(data), "\n") {
		for j, r := range l {
			if r == '\t' {
				return i + 1, j + 1, true
			}
			if r != ' ' {
				break
			}
		}
	}
	return 0, 0, false
}

// decodeNode reads the next document, turning a panic inside the YAML library
// into an error: Parse must never panic, whatever the input.
func decodeNode(dec *yaml.Decoder, doc *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return dec.Decode(doc)
}

// rootScalar returns the string value of a top-level key, or "" if it is
// missing or not a plain string.
func rootScalar(root *yaml.Node, key string) string {
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == key && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" {
			return v.Value
		}
	}
	return ""
}

// decoder overlays a YAML node tree onto a Go value by reflection over the
// yaml struct tags, collecting every structural problem instead of stopping
// at the first one.
type decoder struct {
	src        *source
	errs       Errors
	brokenPath []string // paths whose value could not be decoded
}

// fail records a structural error at path and marks the path broken, so that
// validation does not also complain about the default left in its place.
func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.errs = append(d.errs, &FieldError{File: d.src.file, Line: n.Line, Path: path, Message: fmt.Sprintf(format, args...)})
	d.brokenPath = append(d.brokenPath, path)
	delete(d.src.set, path) // derived defaults still apply to a broken value
}

// broken reports whether path is at or below a value that failed to decode.
func (d *decoder) broken(path string) bool {
	for _, b := range d.brokenPath {
		if underPath(path, b) {
			return true
		}
	}
	return false
}

// value decodes n into v (settable) at path. Structs are overlaid field by
// field, so unset fields keep their defaults; every other kind is replaced
// wholesale.
func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	d.src.lines[path] = n.Line
	d.src.set[path] = true
	if n.Kind == yaml.AliasNode {
		d.fail(n, path, "aliases (*%s) are not supported: write the value out in full", n.Value)
		return
	}
	if n.Anchor != "" {
		d.fail(n, path, "anchors (&%s) are not supported: write the value out in full", n.Anchor)
		return
	}
	if tag := n.ShortTag(); !knownTag(tag) {
		d.fail(n, path, "unsupported YAML tag %s", tag)
		return
	}
	t := v.Type()
	switch t.Kind() {
	case reflect.Struct:
		d.structValue(n, v, path)
	case reflect.Pointer:
		if isNull(n) && t.Elem().Kind() == reflect.Struct {
			v.Set(reflect.Zero(t)) // an empty section is an absent one
			return
		}
		p := reflect.New(t.Elem())
		d.value(n, p.Elem(), path)
		v.Set(p)
	case reflect.Slice:
		d.sliceValue(n, v, path)
	case reflect.Map:
		d.mapValue(n, v, path)
	case reflect.String:
		if !d.scalar(n, path, "!!str", "a string") {
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		if !d.scalar(n, path, "!!bool", "a boolean (true or false)") {
			return
		}
		var b bool
		if err := n.Decode(&b); err != nil {
			d.fail(n, path, "expected a boolean (true or false), got %q", n.Value)
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		if !d.scalar(n, path, "!!int", "an integer") {
			return
		}
		var i int64
		if err := n.Decode(&i); err != nil {
			d.fail(n, path, "expected an integer, got %q (out of range)", n.Value)
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
			n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: n.Value, Line: n.Line}
		}
		if !d.scalar(n, path, "!!float", "a number") {
			return
		}
		var f float64
		if err := n.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			d.fail(n, path, "expected a finite number, got %q", n.Value)
			return
		}
		v.SetFloat(f)
	default:
		d.fail(n, path, "internal error: config type %s cannot be decoded", t)
	}
}

// knownTag reports whether tag is one of YAML's core tags; custom tags
// (!Ref, !!python/...) mean nothing to mamori.
func knownTag(tag string) bool {
	switch tag {
	case "!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!timestamp", "!!binary", "!!merge":
		return true
	}
	return false
}

// scalar checks that n is a scalar with the wanted tag, reporting a type
// error otherwise. A number or date where a string is expected gets a hint
// to quote it, because YAML would otherwise silently mangle values such as
// account IDs with leading zeros.
func (d *decoder) scalar(n *yaml.Node, path, tag, want string) bool {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == tag {
		return true
	}
	if tag == "!!str" && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
		d.fail(n, path, "expected %s, got %s; quote it: %q", want, describe(n), n.Value)
		return false
	}
	d.fail(n, path, "expected %s, got %s", want, describe(n))
	return false
}

// describe names a node's YAML type for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch n.ShortTag() {
	case "!!null":
		return "null"
	case "!!str":
		return fmt.Sprintf("string %q", n.Value)
	case "!!int":
		return "integer " + n.Value
	case "!!float":
		return "number " + n.Value
	case "!!bool":
		return "boolean " + n.Value
	case "!!timestamp":
		return "timestamp " + n.Value
	}
	return fmt.Sprintf("%s %q", n.ShortTag(), n.Value)
}

// isNull reports whether n is an explicit or implicit null (`key:` with no value).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// yamlField is one struct field addressable from YAML.
type yamlField struct {
	key   string
	index int
}

// yamlFields lists the fields of struct type t that have a yaml key, in
// declaration order (the order the allowed keys are listed in messages).
func yamlFields(t reflect.Type) []yamlField {
	var fields []yamlField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" {
			continue
		}
		fields = append(fields, yamlField{key: key, index: i})
	}
	return fields
}

// mapKey checks a mapping key node and returns its text. Keys must be plain
// scalars; duplicates are reported against the first occurrence.
func (d *decoder) mapKey(k *yaml.Node, parent string, seen map[string]int, pathOf func(string, string) string) (string, bool) {
	switch {
	case k.Kind == yaml.AliasNode:
		d.fail(k, parent, "aliases (*%s) are not supported: write the key out in full", k.Value)
		return "", false
	case k.Kind != yaml.ScalarNode:
		d.fail(k, parent, "expected a plain key, got %s", describe(k))
		return "", false
	case k.ShortTag() == "!!merge":
		d.fail(k, parent, "merge keys (<<) are not supported: write the values out in full")
		return "", false
	case k.ShortTag() == "!!null":
		d.fail(k, parent, "expected a key, got null")
		return "", false
	case k.Anchor != "":
		d.fail(k, parent, "anchors (&%s) are not supported: write the value out in full", k.Anchor)
		return "", false
	}
	if first, dup := seen[k.Value]; dup {
		// Report at the duplicate, but do not mark the first value broken.
		d.errs = append(d.errs, &FieldError{File: d.src.file, Line: k.Line, Path: pathOf(parent, k.Value),
			Message: fmt.Sprintf("duplicate key %q: already set at line %d", k.Value, first)})
		return "", false
	}
	seen[k.Value] = k.Line
	return k.Value, true
}

// structValue overlays a mapping onto struct v. A null value (a section whose
// keys are all commented out) leaves every default in place.
func (d *decoder) structValue(n *yaml.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "expected a mapping, got %s", describe(n))
		return
	}
	fields := yamlFields(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key, ok := d.mapKey(k, path, seen, fieldPath)
		if !ok {
			continue
		}
		idx := -1
		for _, f := range fields {
			if f.key == key {
				idx = f.index
				break
			}
		}
		if idx < 0 {
			d.unknownField(k, path, key, fields)
			continue
		}
		d.value(val, v.Field(idx), fieldPath(path, key))
		// A block value starts on the line after its key: point at the key.
		d.src.lines[fieldPath(path, key)] = k.Line
	}
}

// unknownField reports a key that is not a field, naming the closest field
// and every allowed one.
func (d *decoder) unknownField(k *yaml.Node, path, key string, fields []yamlField) {
	at := fieldPath(path, key)
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	msg := fmt.Sprintf("unknown field %q", key)
	if s := suggest(key, keys); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else if elsewhere := fieldsNamed(reflect.TypeFor[Config](), "", key); len(elsewhere) > 0 && len(elsewhere) <= 3 {
		// A key of another section (guardDuty at the top level): name
		// where it belongs, unless it is everywhere (enabled).
		msg += fmt.Sprintf(" here (did you mean %s?)", strings.Join(strings.Split(quoteList(elsewhere), ", "), " or "))
	}
	d.fail(k, at, "%s; allowed fields: %s", msg, quoteList(keys))
}

// fieldsNamed lists the paths below struct type t (at path) whose last key
// is key, ignoring case: where a key the file put in the wrong section
// belongs, such as detection.guardDuty for a top-level guardDuty. List
// items are written path[].key.
func fieldsNamed(t reflect.Type, path, key string) []string {
	var out []string
	for _, f := range yamlFields(t) {
		p := fieldPath(path, f.key)
		if strings.EqualFold(f.key, key) {
			out = append(out, p)
		}
		ft := t.Field(f.index).Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			if ft.Kind() == reflect.Slice {
				p += "[]"
			}
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			out = append(out, fieldsNamed(ft, p, key)...)
		}
	}
	return out
}

// sliceValue replaces v with a new slice decoded from a sequence. Items that
// fail to decode keep their place (as zero values) so that the indexes in
// later messages match the file.
func (d *decoder) sliceValue(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, path, "expected a list, got %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), 0, len(n.Content))
	for i, item := range n.Content {
		e := reflect.New(v.Type().Elem()).Elem()
		d.value(item, e, indexPath(path, i))
		s = reflect.Append(s, e)
	}
	v.Set(s)
}

// mapValue replaces v with a new map decoded from a mapping.
func (d *decoder) mapValue(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "expected a mapping, got %s", describe(n))
		return
	}
	t := v.Type()
	m := reflect.MakeMapWithSize(t, len(n.Content)/2)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key, ok := d.mapKey(k, path, seen, keyPath)
		if !ok {
			continue
		}
		e := reflect.New(t.Elem()).Elem()
		d.value(val, e, keyPath(path, key))
		d.src.lines[keyPath(path, key)] = k.Line
		m.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), e)
	}
	v.Set(m)
}

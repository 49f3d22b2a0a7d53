package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// GenerateReference returns the configuration reference, the content of
// docs/configuration.md: every field of the schema (config/schema.json, the
// output of GenerateSchema) with its type, allowed values, the default of
// each profile, and the field's documentation. The schema is the one
// source: a field documented in Go is documented here.
func GenerateReference(schema []byte) ([]byte, error) {
	var s refSchema
	if err := json.Unmarshal(schema, &s); err != nil {
		return nil, fmt.Errorf("config: reading schema: %w", err)
	}
	root := s.resolve(&refNode{Ref: s.Ref})
	if root == nil || root.Properties == nil {
		return nil, fmt.Errorf("config: schema has no root object")
	}
	sandbox, err := Parse("sandbox", []byte("profile: sandbox\n"))
	if err != nil {
		return nil, err
	}
	production, err := Parse("production", []byte("profile: production\n"))
	if err != nil {
		return nil, err
	}
	g := &refWriter{s: &s, sandbox: leafValues(sandbox), production: leafValues(production)}
	g.b.WriteString(`<!-- Generated from config/schema.json by go generate ./config: do not edit. -->

# Configuration reference

One YAML file configures mamori; this page lists every key. Every key is
optional: a key left out takes its profile's default (` + "`profile: sandbox`" + ` or
` + "`profile: production`" + `), shown beside each key, and a key you write replaces
the default whole (lists and maps are never merged). ` + "`make config CONFIG=path`" + `
prints the effective value of every key for your file and where it came
from. Editors that speak JSON Schema complete and check keys as you type
from ` + "`config/schema.json`" + ` (add ` + "`# yaml-language-server: $schema=<path to config/schema.json>`" + `
at the top of the file).

Keys of list items are written ` + "`list[].key`" + `; map keys you choose are
written ` + "`<name>`" + `.

`)
	g.b.WriteString("Sections: ")
	var links []string
	for _, k := range root.order() {
		links = append(links, fmt.Sprintf("[`%s`](#%s)", k, anchor(k)))
	}
	g.b.WriteString(strings.Join(links, ", ") + ".\n")
	for _, k := range root.order() {
		p := root.Properties[k]
		g.b.WriteString("\n## " + k + "\n\n")
		g.field(k, k, p, true)
	}
	return g.b.Bytes(), nil
}

type refSchema struct {
	Ref  string              `json:"$ref"`
	Defs map[string]*refNode `json:"$defs"`
}

// refNode is the part of a JSON Schema the reference reads.
type refNode struct {
	Ref                  string              `json:"$ref"`
	Type                 string              `json:"type"`
	Description          string              `json:"description"`
	Enum                 []string            `json:"enum"`
	Pattern              string              `json:"pattern"`
	Minimum              *float64            `json:"minimum"`
	Maximum              *float64            `json:"maximum"`
	Properties           map[string]*refNode `json:"properties"`
	Items                *refNode            `json:"items"`
	AdditionalProperties json.RawMessage     `json:"additionalProperties"`
	keys                 []string
}

// UnmarshalJSON keeps the order of properties, which is the order of the
// Go fields.
func (n *refNode) UnmarshalJSON(data []byte) error {
	type plain refNode
	if err := json.Unmarshal(data, (*plain)(n)); err != nil {
		return err
	}
	var raw struct {
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(data, &raw); err != nil || len(raw.Properties) == 0 {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw.Properties))
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			break
		}
		switch v := t.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 {
				n.keys = append(n.keys, v)
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (n *refNode) order() []string {
	if len(n.keys) == len(n.Properties) {
		return n.keys
	}
	keys := make([]string, 0, len(n.Properties))
	for k := range n.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// resolve follows a $ref to its definition.
func (s *refSchema) resolve(n *refNode) *refNode {
	for n != nil && n.Ref != "" {
		n = s.Defs[strings.TrimPrefix(n.Ref, "#/$defs/")]
	}
	return n
}

type refWriter struct {
	s                   *refSchema
	b                   bytes.Buffer
	sandbox, production leaves
}

// field writes one key: a section heading for an object with fields, a
// bullet for a value.
func (g *refWriter) field(path, key string, n *refNode, top bool) {
	t := g.s.resolve(n)
	desc := n.Description
	if desc == "" {
		desc = t.Description
	}
	switch {
	case t.Properties != nil:
		if !top {
			g.b.WriteString("\n### " + path + "\n\n")
		}
		if desc != "" {
			g.b.WriteString(prose(key, desc) + "\n\n")
		}
		for _, k := range t.order() {
			g.field(path+"."+k, k, t.Properties[k], false)
		}
	case t.Type == "array" && g.s.resolve(t.Items) != nil && g.s.resolve(t.Items).Properties != nil:
		g.b.WriteString(strings.TrimRight(fmt.Sprintf("\n### %s\n\nA list. %s%s", path, g.defaults(path), prose(key, desc)), " ") + "\n\n")
		item := g.s.resolve(t.Items)
		for _, k := range item.order() {
			g.field(path+"[]."+k, k, item.Properties[k], false)
		}
	case t.Type == "object" && len(t.AdditionalProperties) > 0 && g.objectValues(t) != nil:
		item := g.objectValues(t)
		g.b.WriteString(strings.TrimRight(fmt.Sprintf("\n### %s\n\nA map by name. %s%s", path, g.defaults(path), prose(key, desc)), " ") + "\n\n")
		for _, k := range item.order() {
			g.field(path+".<name>."+k, k, item.Properties[k], false)
		}
	default:
		line := fmt.Sprintf("- **`%s`** (%s). %s%s", path, g.typeOf(t), g.defaults(path), prose(key, desc))
		g.b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
}

// objectValues is the object schema of a map's values, or nil for maps of
// scalars and lists.
func (g *refWriter) objectValues(t *refNode) *refNode {
	var v refNode
	if json.Unmarshal(t.AdditionalProperties, &v) != nil {
		return nil
	}
	r := g.s.resolve(&v)
	if r == nil || r.Properties == nil {
		return nil
	}
	return r
}

// typeOf names a value's type and its constraints.
func (g *refWriter) typeOf(t *refNode) string {
	var parts []string
	switch t.Type {
	case "array":
		item := g.s.resolve(t.Items)
		if item != nil && item.Type != "" {
			parts = append(parts, "list of "+g.typeOf(item))
		} else {
			parts = append(parts, "list")
		}
	case "object":
		parts = append(parts, "map")
	case "":
		parts = append(parts, "value")
	default:
		parts = append(parts, t.Type)
	}
	if len(t.Enum) > 0 {
		parts = append(parts, "one of "+strings.Join(quoteEach(t.Enum), ", "))
	}
	switch {
	case t.Minimum != nil && t.Maximum != nil:
		parts = append(parts, fmt.Sprintf("%g to %g", *t.Minimum, *t.Maximum))
	case t.Minimum != nil:
		parts = append(parts, fmt.Sprintf("at least %g", *t.Minimum))
	case t.Maximum != nil:
		parts = append(parts, fmt.Sprintf("at most %g", *t.Maximum))
	}
	if t.Pattern != "" {
		parts = append(parts, "matching `"+t.Pattern+"`")
	}
	return strings.Join(parts, "; ")
}

// defaults says what a key is when the file leaves it out, per profile,
// from the loader itself (derived defaults included: a file with only
// `profile:` set).
func (g *refWriter) defaults(path string) string {
	s, okS := g.sandbox.values[path]
	p, okP := g.production.values[path]
	if !okS || !okP || path == "profile" {
		return ""
	}
	fs, fp := FormatValue(s), FormatValue(p)
	if fs == "null" && fp == "null" {
		return "Absent by default. "
	}
	if fs == fp {
		return fmt.Sprintf("Default `%s`. ", fs)
	}
	return fmt.Sprintf("Default: sandbox `%s`, production `%s`. ", fs, fp)
}

// prose turns a Go doc comment into Markdown: joined lines, the leading Go
// field name replaced by the key.
func prose(key, desc string) string {
	desc = strings.Join(strings.Fields(desc), " ")
	// Markdown would read <prefix> outside code as an HTML tag.
	parts := strings.Split(desc, "`")
	for i := 0; i < len(parts); i += 2 {
		parts[i] = strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(parts[i])
	}
	desc = strings.Join(parts, "`")
	if first, rest, ok := strings.Cut(desc, " "); ok && strings.EqualFold(first, key) && unicode.IsUpper(rune(first[0])) {
		desc = "`" + key + "` " + rest
	}
	return desc
}

func quoteEach(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = "`" + v + "`"
	}
	return out
}

// anchor is the heading anchor GitHub gives a heading of one word.
func anchor(heading string) string { return strings.ToLower(heading) }

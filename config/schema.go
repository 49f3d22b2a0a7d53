package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"
)

//go:generate go run ./internal/genschema

// importPath is this package's import path, which the schema's type
// descriptions are keyed by.
const importPath = "github.com/mamori-dev/mamori/config"

// GenerateSchema returns the JSON Schema of a configuration file, the content
// of config/schema.json. srcDir is the directory holding this package's Go
// sources: the schema's descriptions are their doc comments.
//
// Editors use the schema to complete and check YAML as it is typed; Parse
// stays the authority, because some rules (cross-field ones, regions) are
// not expressible in the schema.
func GenerateSchema(srcDir string) ([]byte, error) {
	comments, err := goComments(srcDir)
	if err != nil {
		return nil, err
	}
	r := &jsonschema.Reflector{
		// The yaml keys and json keys are the same; json tags carry
		// omitempty, which is what marks a key optional.
		FieldNameTag: "json",
		CommentMap:   comments,
		Mapper:       enumSchema,
	}
	s := r.Reflect(&Config{})
	s.ID = "https://mamori.invalid/config/schema.json"
	s.Title = "mamori configuration"
	// A parameter value sets exactly one of its typed fields.
	if pv := s.Definitions["ParameterValue"]; pv != nil {
		one := uint64(1)
		pv.MinProperties = &one
		pv.MaxProperties = &one
	}
	// Disabled controls are keyed by standard.
	if sh := s.Definitions["SecurityHub"]; sh != nil {
		if dc, ok := sh.Properties.Get("disabledControls"); ok {
			dc.PropertyNames = enumSchema(reflect.TypeFor[Standard]())
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("config: encoding schema: %w", err)
	}
	return buf.Bytes(), nil
}

// enumSchema describes every type with a Values method as a string enum, so
// that the schema and the validator share one list of allowed values.
func enumSchema(t reflect.Type) *jsonschema.Schema {
	if t.Kind() != reflect.String {
		return nil
	}
	e, ok := reflect.Zero(t).Interface().(interface{ Values() []string })
	if !ok {
		return nil
	}
	s := &jsonschema.Schema{Type: "string"}
	for _, v := range e.Values() {
		s.Enum = append(s.Enum, v)
	}
	return s
}

// goComments reads the doc comments of srcDir's Go files into the comment
// map the reflector expects. AddGoComments keys comments by the directory
// path joined to the import path, which is only right when srcDir is ".";
// rekeying makes any srcDir (absolute, relative, from go test or go
// generate) work.
func goComments(srcDir string) (map[string]string, error) {
	var r jsonschema.Reflector
	if err := r.AddGoComments("", srcDir); err != nil {
		return nil, fmt.Errorf("config: reading doc comments in %s: %w", srcDir, err)
	}
	prefix := path.Join("", filepath.ToSlash(filepath.Clean(srcDir))) + "."
	comments := map[string]string{}
	for k, v := range r.CommentMap {
		// Subdirectories (internal/genschema) hold other packages.
		if rest, ok := strings.CutPrefix(k, prefix); ok && !strings.Contains(rest, "/") {
			comments[importPath+"."+rest] = v
		}
	}
	if len(comments) == 0 {
		return nil, fmt.Errorf("config: no doc comments found in %s: is it the config package's directory?", srcDir)
	}
	return comments, nil
}

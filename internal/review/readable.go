package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Readable rewrites a template in snapshot form (see Normalize) into the
// form reviewers read in golden files, where one edit is one line of diff:
//
//   - the Create, Update and Delete calls of a Custom::AWS resource, which the
//     CDK writes as escaped JSON strings (or an Fn::Join of string parts and
//     references), become JSON objects; a reference inside becomes the string
//     "${Ref:Name}", "${GetAtt:Name.Attribute}" or "${Token:<json>}";
//   - a Lambda function's inline source (Code.ZipFile) becomes
//     "<inline source: FILE, sha256 PREFIX>", where sources maps the hex
//     SHA-256 of a handler file's content to its path (HandlerSources), or
//     "<inline source: N bytes, sha256 PREFIX>" when no file matches.
//
// The result is for reading and comparing only: CloudFormation would refuse
// it. Checks that need the deployable template use Normalize's output.
func Readable(template []byte, sources map[string]string) ([]byte, error) {
	var t map[string]interface{}
	if err := json.Unmarshal(template, &t); err != nil {
		return nil, fmt.Errorf("template is not JSON: %w", err)
	}
	resources, _ := t["Resources"].(map[string]interface{})
	for _, r := range resources {
		res, _ := r.(map[string]interface{})
		props, _ := res["Properties"].(map[string]interface{})
		if props == nil {
			continue
		}
		switch res["Type"] {
		case "Custom::AWS":
			for _, k := range []string{"Create", "Update", "Delete"} {
				if obj, ok := callObject(props[k]); ok {
					props[k] = obj
				}
			}
		case "AWS::Lambda::Function":
			code, _ := props["Code"].(map[string]interface{})
			if src, ok := code["ZipFile"].(string); ok {
				code["ZipFile"] = inlineSource(src, sources)
			}
		}
	}
	// No HTML escaping: Normalize's "<ASSET_HASH>" and the inline-source
	// markers stay readable.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// callObject parses an SDK call written as a JSON string, or as an Fn::Join
// with the empty separator whose non-string parts sit inside JSON strings.
func callObject(v interface{}) (interface{}, bool) {
	var text string
	switch v := v.(type) {
	case string:
		text = v
	case map[string]interface{}:
		join, _ := v["Fn::Join"].([]interface{})
		if len(v) != 1 || len(join) != 2 || join[0] != "" {
			return nil, false
		}
		parts, _ := join[1].([]interface{})
		var b strings.Builder
		for _, p := range parts {
			s, ok := p.(string)
			if !ok {
				s = placeholder(p)
			}
			b.WriteString(s)
		}
		text = b.String()
	default:
		return nil, false
	}
	var obj map[string]interface{}
	if !strings.HasPrefix(text, "{") || json.Unmarshal([]byte(text), &obj) != nil {
		return nil, false
	}
	return obj, true
}

// placeholder names a reference inside a joined string. Its characters need
// no JSON escaping, so the joined text stays valid JSON exactly when the
// reference sat inside a JSON string.
func placeholder(p interface{}) string {
	if m, ok := p.(map[string]interface{}); ok && len(m) == 1 {
		if ref, ok := m["Ref"].(string); ok {
			return "${Ref:" + ref + "}"
		}
		if att, ok := m["Fn::GetAtt"].([]interface{}); ok && len(att) == 2 {
			return fmt.Sprintf("${GetAtt:%v.%v}", att[0], att[1])
		}
	}
	b, _ := json.Marshal(p)
	return "${Token:" + strings.NewReplacer(`"`, "'", `\`, "/").Replace(string(b)) + "}"
}

func inlineSource(src string, sources map[string]string) string {
	sum := sha256.Sum256([]byte(src))
	h := hex.EncodeToString(sum[:])
	if name, ok := sources[h]; ok {
		return fmt.Sprintf("<inline source: %s, sha256 %s>", name, h[:12])
	}
	return fmt.Sprintf("<inline source: %d bytes, sha256 %s>", len(src), h[:12])
}

// HandlerSources maps the SHA-256 of every deploy-time handler under
// root/constructs/*/handlers/ to its slash-separated path from root, for
// Readable.
func HandlerSources(root string) (map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(root, "constructs", "*", "handlers", "*.js"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	out := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, ".test.js") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		rel, _ := filepath.Rel(root, f)
		out[hex.EncodeToString(sum[:])] = filepath.ToSlash(rel)
	}
	return out, nil
}

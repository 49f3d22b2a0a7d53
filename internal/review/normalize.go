package review

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// assetHash matches the content hashes CDK puts in asset names and keys:
// they change with any byte of a bundled handler, which a reviewer cannot
// judge from the template.
var assetHash = regexp.MustCompile(`\b[0-9a-f]{64}\b`)

// Normalize turns a synthesized template into its snapshot form: asset
// hashes replaced by <ASSET_HASH>, the bootstrap-version parameter and rule
// (CDK boilerplate, identical in every stack) dropped, keys sorted,
// two-space indentation and a final newline. The snapshot tests and
// `make diff` both compare templates in this form.
func Normalize(template []byte) ([]byte, error) {
	var t map[string]interface{}
	if err := json.Unmarshal(template, &t); err != nil {
		return nil, fmt.Errorf("template is not JSON: %w", err)
	}
	dropKey(t, "Parameters", "BootstrapVersion")
	dropKey(t, "Rules", "CheckBootstrapVersion")
	out, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return nil, err
	}
	out = assetHash.ReplaceAll(out, []byte("<ASSET_HASH>"))
	return append(out, '\n'), nil
}

// dropKey deletes section[key] and then the section if it is left empty.
func dropKey(t map[string]interface{}, section, key string) {
	m, ok := t[section].(map[string]interface{})
	if !ok {
		return
	}
	delete(m, key)
	if len(m) == 0 {
		delete(t, section)
	}
}

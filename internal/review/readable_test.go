package review

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadable(t *testing.T) {
	src := "// handler\nexports.handler = async () => {};\n"
	sum := sha256.Sum256([]byte(src))
	hash := hex.EncodeToString(sum[:])
	in := `{"Resources":{
	  "Plain":{"Type":"Custom::AWS","Properties":{"Create":"{\"service\":\"EC2\",\"action\":\"EnableEbsEncryptionByDefault\",\"parameters\":{}}"}},
	  "Joined":{"Type":"Custom::AWS","Properties":{"Create":{"Fn::Join":["",["{\"service\":\"EC2\",\"parameters\":{\"KmsKeyId\":\"",{"Fn::GetAtt":["Key","Arn"]},"\",\"Other\":\"",{"Ref":"AWS::Region"},"\",\"T\":\"",{"Fn::ImportValue":"x"},"\"}}"]]}}},
	  "Unquoted":{"Type":"Custom::AWS","Properties":{"Create":{"Fn::Join":["",["{\"n\":",{"Ref":"Count"},"}"]]}}},
	  "Known":{"Type":"AWS::Lambda::Function","Properties":{"Code":{"ZipFile":` + jsonString(src) + `}}},
	  "Unknown":{"Type":"AWS::Lambda::Function","Properties":{"Code":{"ZipFile":"other"}}},
	  "NotCustom":{"Type":"AWS::SNS::Topic","Properties":{"Create":"{\"a\":1}"}}
	}}`
	out, err := Readable([]byte(in), map[string]string{hash: "constructs/x/handlers/h.js"})
	require.NoError(t, err)
	var got struct {
		Resources map[string]struct {
			Properties map[string]interface{}
		}
	}
	require.NoError(t, json.Unmarshal(out, &got))
	r := got.Resources
	assert.Equal(t, map[string]interface{}{"service": "EC2", "action": "EnableEbsEncryptionByDefault", "parameters": map[string]interface{}{}}, r["Plain"].Properties["Create"])
	assert.Equal(t, map[string]interface{}{"service": "EC2", "parameters": map[string]interface{}{
		"KmsKeyId": "${GetAtt:Key.Arn}", "Other": "${Ref:AWS::Region}", "T": "${Token:{'Fn::ImportValue':'x'}}"}}, r["Joined"].Properties["Create"])
	// A reference outside a JSON string would not parse: the join stays as it is.
	assert.Contains(t, r["Unquoted"].Properties["Create"], "Fn::Join")
	assert.Equal(t, map[string]interface{}{"ZipFile": "<inline source: constructs/x/handlers/h.js, sha256 " + hash[:12] + ">"}, r["Known"].Properties["Code"])
	assert.Regexp(t, `^<inline source: 5 bytes, sha256 [0-9a-f]{12}>$`, r["Unknown"].Properties["Code"].(map[string]interface{})["ZipFile"])
	assert.Equal(t, `{"a":1}`, r["NotCustom"].Properties["Create"], "only Custom::AWS calls are rewritten")

	_, err = Readable([]byte("not json"), nil)
	assert.Error(t, err)
}

func TestHandlerSources(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "constructs", "layer", "handlers")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "h.js"), []byte("a"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "h.test.js"), []byte("b"), 0o644))
	got, err := HandlerSources(root)
	require.NoError(t, err)
	sum := sha256.Sum256([]byte("a"))
	assert.Equal(t, map[string]string{hex.EncodeToString(sum[:]): "constructs/layer/handlers/h.js"}, got)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

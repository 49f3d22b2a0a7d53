package golden

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalize(t *testing.T) {
	in := `{"Resources":{"Fn":{"Type":"AWS::Lambda::Function","Properties":{"Code":{"S3Key":"` +
		strings.Repeat("ab", 32) + `.zip"}}}},` +
		`"Parameters":{"BootstrapVersion":{"Type":"AWS::SSM::Parameter::Value<String>"}},` +
		`"Rules":{"CheckBootstrapVersion":{"Assertions":[]}}}`
	got, err := Normalize([]byte(in))
	require.NoError(t, err)
	assert.Equal(t, `{
  "Resources": {
    "Fn": {
      "Properties": {
        "Code": {
          "S3Key": "<ASSET_HASH>.zip"
        }
      },
      "Type": "AWS::Lambda::Function"
    }
  }
}
`, string(got))

	_, err = Normalize([]byte("not json"))
	assert.Error(t, err)
}

func TestNormalizeKeepsOtherParameters(t *testing.T) {
	got, err := Normalize([]byte(`{"Parameters":{"BootstrapVersion":{},"Other":{}}}`))
	require.NoError(t, err)
	assert.Contains(t, string(got), `"Other"`)
	assert.NotContains(t, string(got), "BootstrapVersion")
}

func TestTemplateDiff(t *testing.T) {
	want := `{"Resources":{"A":{"Type":"AWS::S3::Bucket"},"B":{"Type":"AWS::KMS::Key","Properties":{"EnableKeyRotation":true}}}}`
	got := `{"Resources":{"B":{"Type":"AWS::KMS::Key","Properties":{"EnableKeyRotation":false}},"C":{"Type":"AWS::SNS::Topic"}}}`
	d := TemplateDiff([]byte(want), []byte(got))
	assert.Contains(t, d, "- resource A (AWS::S3::Bucket) removed")
	assert.Contains(t, d, "+ resource C (AWS::SNS::Topic) added")
	assert.Contains(t, d, "~ resource B (AWS::KMS::Key) changed")
	assert.Contains(t, d, "EnableKeyRotation")
}

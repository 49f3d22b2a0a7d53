package dataprotection

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestZeroAccountGuardsAreSecure: account guards built from their props'
// zero value, with only the call provider given, apply every guard: S3 Block
// Public Access for the account, EBS encryption by default (with the
// account's default key), snapshot and AMI block public access,
// IMDSv2 as the metadata default, serial console access off and Systems
// Manager documents' public sharing blocked, none undone on delete.
func TestZeroAccountGuardsAreSecure(t *testing.T) {
	_, tp := newGuards(t, AccountGuardsProps{}, false)

	tp.HasResource("AWS::EC2::SnapshotBlockPublicAccess", m{"Properties": m{"State": "block-all-sharing"}, "DeletionPolicy": "Retain"})
	calls := callsByAction(tp)
	for _, action := range []string{"PutPublicAccessBlock", "EnableImageBlockPublicAccess", "ModifyInstanceMetadataDefaults", "DisableSerialConsoleAccess", "UpdateServiceSetting", "EnableEbsEncryptionByDefault"} {
		if assert.Contains(t, calls, action) {
			assert.Nil(t, tp.SdkCall(calls[action], "Delete"), "%s: the account stays guarded", action)
		}
	}
	assert.NotContains(t, calls, "ModifyEbsDefaultKmsKeyId", "no key given: the account's default key stays")
	assert.Equal(t, "required", tp.SdkCall(calls["ModifyInstanceMetadataDefaults"], "Create")["parameters"].(m)["HttpTokens"])
	assert.Equal(t, "Disable", tp.SdkCall(calls["UpdateServiceSetting"], "Create")["parameters"].(m)["SettingValue"])
}

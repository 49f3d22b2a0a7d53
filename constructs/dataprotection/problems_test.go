package dataprotection

import (
	"testing"
	"time"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestEveryProblemAtOnce: a constructor given several invalid props lists
// them all in one panic, in the order its checks run, not only the first.
func TestEveryProblemAtOnce(t *testing.T) {
	cdktest.PanicsWith(t, `dataprotection.NewMacie "Macie": Calls is required; PublishingFrequency "HOURLY" must be one of`, func() {
		NewMacie(cdktest.NewStack(t, cdktest.Env), "Macie", &MacieProps{PublishingFrequency: "HOURLY", ResultsKeyPrefix: "/x"})
	})
	cdktest.PanicsWith(t, `dataprotection.NewSecret "Secret": Name "bad name" must be 1 to 512 of A-Z a-z 0-9 / _ + = . @ -; EncryptionKey is required; PasswordLength 5000 must be from 1 to 4096; HostedRotation and RotationFunction need RotationDays`, func() {
		NewSecret(cdktest.NewStack(t, cdktest.Env), "Secret", &SecretProps{Name: "bad name", PasswordLength: 5000, HostedRotation: "postgres"})
	})
	cdktest.PanicsWith(t, `dataprotection.NewCloudHSM "Hsm": Calls is required; HSMCount 1 must be at least 2; BackupRetentionDays 400 must be between 7 and 379; subnets in 0 Availability Zone(s); at least 2 are required`, func() {
		NewCloudHSM(cdktest.NewStack(t, cdktest.Env), "Hsm", &CloudHSMProps{HSMCount: 1, BackupRetentionDays: 400})
	})
	cdktest.PanicsWith(t, `dataprotection.NewSecureBucket "Bucket": EncryptionKey and AccessLogs are required; Retention 36h0m0s must be whole days, at least one; ObjectLockDays -1 must be within Retention`, func() {
		NewSecureBucket(cdktest.NewStack(t, cdktest.Env), "Bucket", &SecureBucketProps{Retention: 36 * time.Hour, ObjectLockDays: -1})
	})
	cdktest.PanicsWith(t, `dataprotection.NewKey "Key": Alias "alias/aws/x" must start with "alias/" and not "alias/aws/"; PendingWindow 24h0m0s must be whole days from 7 to 30; RotationPeriod 24h0m0s must be whole days from 90 to 2560`, func() {
		NewKey(cdktest.NewStack(t, cdktest.Env), "Key", &KeyProps{Alias: "alias/aws/x", PendingWindow: day, RotationPeriod: day})
	})
	cdktest.PanicsWith(t, `dataprotection.NewReplicaKey "Replica": PrimaryKeyArn is required; Alias "" must start with "alias/"`, func() {
		NewReplicaKey(cdktest.NewStack(t, cdktest.Env), "Replica", nil)
	})
	cdktest.PanicsWith(t, `dataprotection.NewSecureTopic "Topic": EncryptionKey is required; webhook "http://example.com" must be an https:// URL`, func() {
		NewSecureTopic(cdktest.NewStack(t, cdktest.Env), "Topic", &SecureTopicProps{Webhooks: []string{"http://example.com"}})
	})
	cdktest.PanicsWith(t, `webhook "ftp://a" must be an https:// URL; webhook "b" must be an https:// URL`, func() {
		stack := cdktest.NewStack(t, cdktest.Env)
		NewSecureTopic(stack, "Topic", &SecureTopicProps{
			EncryptionKey: cdktest.ImportedKey(stack),
			Webhooks:      []string{"ftp://a", "b"},
		})
	})
}

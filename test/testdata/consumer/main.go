// Command consumer is a CDK app of its own that uses mamori as a library:
// it composes constructs of two layers, data protection and detection, into
// one stack and synthesizes it. mamori's tests build and run it as a
// separate module; the README's "Use as a library" section shows it.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori"
	"github.com/mamori-dev/mamori/constructs/dataprotection"
	"github.com/mamori-dev/mamori/constructs/detection"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("TeamSecurity"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("eu-west-1")},
	})

	// Data protection: a customer managed key and an alerts topic it encrypts.
	key := dataprotection.NewKey(stack, "AlertsKey", &dataprotection.KeyProps{Alias: "alias/team/alerts"})
	dataprotection.NewSecureTopic(stack, "Alerts", &dataprotection.SecureTopicProps{
		EncryptionKey: key.Key, Emails: []string{"security@example.com"},
	})

	// Detection: zero-value props are the secure defaults: GuardDuty with
	// every protection plan, Security Hub with AWS Foundational Security
	// Best Practices.
	detection.NewGuardDuty(stack, "GuardDuty", nil)
	detection.NewSecurityHub(stack, "SecurityHub", nil)

	app.Synth(nil)
	fmt.Fprintf(os.Stderr, "synthesized with mamori %s\n", mamori.Version)
}

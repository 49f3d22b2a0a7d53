// Command mamori-floor is the smallest CDK Go app: one stack with one SNS
// topic. `make bench` synthesizes it beside mamori's configurations to
// measure the floor that starting jsii and the CDK library sets.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
)

func main() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("floor"), nil)
	awssns.NewTopic(stack, jsii.String("Topic"), nil)
	app.Synth(nil)
}

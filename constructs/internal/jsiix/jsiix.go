// Package jsiix holds the few conversions mamori needs at the jsii boundary,
// so that props and business logic stay in plain Go types.
package jsiix

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Strs converts a Go string slice to the *[]*string jsii expects; nil stays nil.
func Strs(s []string) *[]*string {
	if s == nil {
		return nil
	}
	return jsii.Strings(s...)
}

// Days converts a whole-day time.Duration to a CDK Duration.
func Days(d time.Duration) awscdk.Duration {
	return awscdk.Duration_Days(jsii.Number(float64(d / (24 * time.Hour))))
}

// Removal is RETAIN unless destroy is set: stateful resources survive stack
// deletes unless the configuration explicitly says otherwise.
func Removal(destroy bool) awscdk.RemovalPolicy {
	if destroy {
		return awscdk.RemovalPolicy_DESTROY
	}
	return awscdk.RemovalPolicy_RETAIN
}

package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"

	"github.com/mamori-dev/mamori/config"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

// sdkCalls is stack's one provider of AWS API calls, "SdkCalls": created by
// the first construct of the stack that needs it, shared by the rest.
func sdkCalls(stack awscdk.Stack, logKey awskms.IKey, logs config.Logs, destroy bool) *sdkcall.Provider {
	return providerOf(stack, "SdkCalls", logKey, logs, destroy)
}

// providerOf is stack's provider of AWS API calls with this id, created on
// first use, whose log group is encrypted with logKey.
func providerOf(stack awscdk.Stack, id string, logKey awskms.IKey, logs config.Logs, destroy bool) *sdkcall.Provider {
	return sdkcall.ProviderOf(stack, id, func() *sdkcall.ProviderProps {
		return &sdkcall.ProviderProps{LogKey: logKey, LogRetentionDays: yearAtLeast(logs), DestroyOnDelete: destroy}
	})
}

// yearAtLeast is how long the log groups of mamori's own functions and
// firewalls are kept: the configured retention, and a year at least, because
// they are the record of what mamori changed and what it blocked (Control
// Tower proactive control CT.CLOUDWATCH.PR.2).
func yearAtLeast(logs config.Logs) int { return max(365, logs.RetentionDays) }

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
// first use, whose log group is encrypted with logKey. Its logs are kept a
// year at least: handler logs are the record of what mamori changed (Control
// Tower proactive control CT.CLOUDWATCH.PR.2).
func providerOf(stack awscdk.Stack, id string, logKey awskms.IKey, logs config.Logs, destroy bool) *sdkcall.Provider {
	return sdkcall.ProviderOf(stack, id, func() *sdkcall.ProviderProps {
		return &sdkcall.ProviderProps{LogKey: logKey, LogRetentionDays: max(365, logs.RetentionDays), DestroyOnDelete: destroy}
	})
}

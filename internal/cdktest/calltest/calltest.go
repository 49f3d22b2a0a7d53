// Package calltest gives construct tests an sdkcall.Provider. It lives apart
// from cdktest because sdkcall's own tests import cdktest.
package calltest

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/cdktest"
)

// NewProvider is a new sdkcall.Provider in stack whose log group is
// encrypted with cdktest.ImportedKey. Its construct ID is "Calls", or the
// next free "CallsN" when the stack has one already.
func NewProvider(stack awscdk.Stack) *sdkcall.Provider {
	return sdkcall.NewProvider(stack, cdktest.FreeID(stack, "Calls"), &sdkcall.ProviderProps{LogKey: cdktest.ImportedKey(stack)})
}

package preflight

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/aws/smithy-go"
)

// Error codes AWS services answer with, by what they mean to preflight.
var (
	// deniedCodes say the credentials may not make the call.
	deniedCodes = []string{"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "AuthorizationErrorException"}
	// throttledCodes say the call was refused for its rate: retry later.
	throttledCodes = []string{"Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown"}
)

// errorCode is the AWS error code of err, or "".
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// errorMessage is the AWS error message of err, or "".
func errorMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

func hasCode(err error, codes ...string) bool { return slices.Contains(codes, errorCode(err)) }

// CallError is a call that failed in a way preflight cannot read past.
type CallError struct {
	// Action is the IAM action of the call, e.g. guardduty:ListDetectors.
	Action string
	// Denied says the credentials lack Action; Throttled that AWS kept
	// refusing the call for its rate; Unavailable that the service has no
	// endpoint in the region.
	Denied, Throttled, Unavailable bool
	Err                            error
}

func (e *CallError) Error() string { return fmt.Sprintf("%s: %v", e.Action, e.Err) }
func (e *CallError) Unwrap() error { return e.Err }

// retrier makes one call, retrying while AWS throttles it.
type retrier struct {
	// attempts is how many times a throttled call is tried in all.
	attempts int
	// sleep waits between attempts; tests pass one that returns at once.
	sleep func(time.Duration)
}

// do runs fn, the call method of client, and classifies its error. The SDK
// client retries throttling too; this outer loop covers a burst of
// preflight's own calls across many accounts and regions.
func (r retrier) do(ctx context.Context, client, method string, fn func() error) error {
	action := actionFor(client, method)
	if action == "" {
		// A call missing from the table would be missing from the policy.
		panic(fmt.Sprintf("preflight: %s.%s is not in the calls table", client, method))
	}
	var err error
	for attempt := 1; ; attempt++ {
		if err = fn(); err == nil {
			return nil
		}
		if !hasCode(err, throttledCodes...) || attempt >= r.attempts || ctx.Err() != nil {
			break
		}
		r.sleep(time.Duration(attempt*attempt) * time.Second)
	}
	// The error keeps its AWS code (CallError unwraps to it), so a check
	// still tells "not there" from a failure.
	var dns *net.DNSError
	return &CallError{Action: action, Err: err, Denied: hasCode(err, deniedCodes...),
		Throttled: hasCode(err, throttledCodes...), Unavailable: errors.As(err, &dns)}
}

// pages makes a paginated call: page is called with the token of each page
// (nil for the first), handles the page, and returns the next token.
func (r *run) pages(ctx context.Context, client, method string, page func(token *string) (*string, error)) error {
	var token *string
	for {
		var next *string
		if err := r.retry.do(ctx, client, method, func() (err error) {
			next, err = page(token)
			return err
		}); err != nil {
			return err
		}
		if next == nil {
			return nil
		}
		token = next
	}
}

package stacks

import (
	"slices"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/mamori-dev/mamori/constructs/detection"
)

// Rule orders of the own-resource suppressions of the layers deployed after
// the detection stack, which holds orders 900 and up for its own: each layer
// a band of ten, so that adding a suppression never renumbers another layer's.
const (
	suppressionOrderInfraProtection = 920
	suppressionOrderResponse        = 930
	suppressionOrderCompliance      = 940
)

// suppressOwnFindings gives the buckets and functions a later layer's stack
// creates the same Security Hub treatment the detection stack gives its own
// (see ownBucketSuppressions): the controls that mamori's log and evidence
// buckets and its deployment-time functions cannot meet are suppressed with
// their reasons, everything else about them still counts. Call it last in
// the stack's constructor: it reads the resources the stack holds by then.
// hub says whether Security Hub is on, which the stack must deploy after;
// layer starts the rules' names.
func suppressOwnFindings(stack awscdk.Stack, hub bool, layer string, firstOrder int) {
	if !hub {
		return
	}
	var targets, buckets, unlocked, functions []*string
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		switch r := c.(type) {
		case awss3.CfnBucket:
			buckets = append(buckets, r.AttrArn())
			// Every mamori bucket logs its access to a target, except the
			// targets themselves (TestBucketsLogAccess).
			if r.LoggingConfiguration() == nil {
				targets = append(targets, r.AttrArn())
			}
			if locked, _ := r.ObjectLockEnabled().(bool); !locked {
				unlocked = append(unlocked, r.AttrArn())
			}
		case awslambda.CfnFunction:
			functions = append(functions, r.AttrArn())
		}
	}
	own := ownBucketSuppressions(nil, nil)
	var sups []detection.FindingSuppression
	add := func(template detection.FindingSuppression, arns []*string) {
		// An automation rule matches at most 20 resources.
		for i, chunk := range slices.Collect(slices.Chunk(arns, 20)) {
			s := template
			s.Name = layer + s.Name
			if i > 0 {
				s.Name += strconv.Itoa(i + 1)
			}
			s.ResourceArns = chunk
			sups = append(sups, s)
		}
	}
	for _, s := range own {
		switch s.Name {
		case "AccessLogTarget":
			add(s, targets)
		case "LogObjectLock":
			s.Reason = "mamori log bucket without Object Lock: the service that delivers to it does not deliver to, or does not document, Object Lock buckets, " +
				"and access-log targets refuse a default retention; versioning keeps overwritten and deleted objects as noncurrent versions until the lifecycle rule expires them."
			add(s, unlocked)
		default:
			add(s, buckets)
		}
	}
	add(deploymentFunctionSuppression, functions)
	detection.NewFindingSuppressions(stack, "OwnFindingSuppressions", sups, firstOrder)
}

package stacks

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// restateWarnings turns the construct warnings with id under scope, which
// the CDK tags "[ack: id]" for acknowledgement in code, into the same
// warnings naming the config setting that chose what they warn about. A
// config user reads the warning and can act on it in the config; the
// acknowledgement the tag asks for exists only for Go callers.
func restateWarnings(scope constructs.Construct, id, setting string) {
	tag := " [ack: " + id + "]"
	var messages []string
	for _, c := range *scope.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		for _, m := range *c.Node().Metadata() {
			if *m.Type != "aws:cdk:warning" {
				continue
			}
			if text, ok := m.Data.(string); ok && strings.HasSuffix(text, tag) {
				messages = append(messages, strings.TrimSuffix(text, tag))
			}
		}
	}
	if len(messages) == 0 {
		return
	}
	awscdk.Annotations_Of(scope).AcknowledgeWarning(jsii.String(id), jsii.String("restated with the config setting"))
	for _, msg := range messages {
		awscdk.Annotations_Of(scope).AddWarning(jsii.String(msg + " (set in " + setting + ")"))
	}
}

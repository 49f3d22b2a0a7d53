package prevention

import (
	"encoding/json"
	"fmt"
)

// assign is a management-policy value set with the @@assign operator.
func assign(v string) map[string]any { return map[string]any{"@@assign": v} }

// EC2Attributes chooses the attributes of the EC2 declarative policy.
type EC2Attributes struct {
	// VPCBlockPublicAccess adds VPC Block Public Access in block-ingress
	// mode with exclusions allowed. Default: false: VPC BPA stays the
	// account's choice.
	VPCBlockPublicAccess bool
}

// DeclarativeEC2 is the DECLARATIVE_POLICY_EC2 content: public sharing of
// AMIs blocked for new shares (the only blocking state images offer),
// public sharing of EBS snapshots blocked entirely, IMDSv2 required by
// default with a hop limit of 2 (so containers on an instance still reach
// IMDS), and the EC2 serial console off. Syntax: "Declarative policy syntax
// and examples", Organizations user guide.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_declarative_syntax.html
func DeclarativeEC2(a EC2Attributes) map[string]any {
	attrs := map[string]any{
		"exception_message":            assign("Refused by the organization's EC2 declarative policy (mamori prevention layer); ask the security team."),
		"image_block_public_access":    map[string]any{"state": assign("block_new_sharing")},
		"snapshot_block_public_access": map[string]any{"state": assign("block_all_sharing")},
		"serial_console_access":        map[string]any{"status": assign("disabled")},
		"instance_metadata_defaults": map[string]any{
			"http_tokens":                 assign("required"),
			"http_put_response_hop_limit": assign("2"),
			"http_endpoint":               assign("no_preference"),
			"instance_metadata_tags":      assign("no_preference"),
		},
	}
	if a.VPCBlockPublicAccess {
		attrs["vpc_block_public_access"] = map[string]any{"internet_gateway_block": map[string]any{
			"mode": assign("block_ingress"), "exclusions_allowed": assign("enabled"),
		}}
	}
	return map[string]any{"ec2_attributes": attrs}
}

// S3BlockPublicAccess is the S3_POLICY content that turns on all four
// account-level Block Public Access settings; while it is attached, the
// accounts' own PutPublicAccessBlock calls are refused. Syntax: "Amazon S3
// policy syntax and examples", Organizations user guide.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_s3_syntax.html
func S3BlockPublicAccess() map[string]any {
	return map[string]any{"s3_attributes": map[string]any{
		"public_access_block_configuration": assign("all"),
	}}
}

// contentSize is the size of a management policy's content as JSON.
func contentSize(content map[string]any) int {
	b, err := json.Marshal(content)
	if err != nil {
		panic(fmt.Errorf("prevention: policy content: %w", err))
	}
	return len([]rune(string(b)))
}

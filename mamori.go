// Package mamori is a six-layer AWS security baseline for the AWS CDK in Go:
// data protection, detection, infrastructure protection, response,
// compliance and prevention, standalone or across an AWS Organization.
//
// Use it as a library through its packages:
//
//   - constructs/<layer> (dataprotection, detection, infraprotection,
//     response, compliance, prevention, organization): one construct per service,
//     whose props' zero value is the secure default;
//   - stacks: the layers composed into stacks from a config.Config;
//   - config: the YAML configuration, its loader and validation.
//
// The CDK app in app/ synthesizes the whole baseline from one YAML file.
package mamori

// Version is this release of mamori (semantic versioning; CHANGELOG.md
// says what each release changed).
const Version = "0.6.0"

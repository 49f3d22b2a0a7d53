package compliance

import "github.com/mamori-dev/mamori/internal/catalog"

// ManagedRule is one AWS managed AWS Config rule in a conformance pack: its
// identifier, parameters, and whether it checks an account-wide setting
// (then it is deployed in the home region only).
type ManagedRule = catalog.ConformanceRule

// Rules are the AWS managed rules mamori checks for framework f: mamori's own
// choice of the account-level and logging checks each framework asks for,
// not a copy of AWS's sample conformance packs (internal/catalog holds them,
// so that preflight counts them without the CDK). Nil for an unknown
// framework.
func Rules(f Framework) []ManagedRule { return catalog.ConformancePackRules(string(f)) }

// Package organization holds the constructs of organization mode: the
// management account's trusted access and delegated-administrator
// registrations, the log-archive account's central buckets, the
// security-tooling account's organization-wide settings, and the member
// baseline that CloudFormation StackSets deploy into every account of the
// target OUs.
//
// Every organization-level call is idempotent on create (an existing
// setting counts as success) and leaves the organization as it is on delete:
// removing a stack never disables a service for the organization.
//
// Every props type's zero value is the secure default: the member baseline
// records AWS Config, blocks S3 public access and encrypts EBS volumes;
// TrustedAccess activates StackSets' trusted access; DelegatedAdmins
// designates the Security Hub, GuardDuty, Macie and Inspector
// administrators; OrganizationSettings auto-enables GuardDuty (every plan),
// Macie and Inspector (every scan type), switches Security Hub to central
// configuration, and creates the organization's external-access analyzer
// and AWS Config aggregator; ExistingMembers enrolls the accounts already in
// the target OUs in Macie, Inspector and Detective. A service is left alone
// only when its Skip switch says so; the references a service needs (the
// GuardDuty detector, the Security Hub policy's targets, the behavior graph)
// are required unless it is skipped. The unused-access analyzer is billed
// per IAM role and user and stays opt-in.
package organization

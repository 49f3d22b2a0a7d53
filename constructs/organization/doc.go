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
// The member baseline's props zero value is the secure default (AWS Config,
// S3 Block Public Access and EBS encryption on). TrustedAccess,
// DelegatedAdmins, OrganizationSettings and ExistingMembers instead take the
// services to enable, designate or auto-enable, each named: their zero value
// changes nothing in the organization, because an organization-wide
// designation is a governance decision the caller makes per service.
package organization

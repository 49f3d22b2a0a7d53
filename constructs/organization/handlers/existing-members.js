// Adds the accounts of the target OUs (child OUs included) as members of
// one service, from its delegated administrator, and never removes one (see
// members.go): Macie (CreateMember), Inspector (AssociateMember, then Enable
// of the configured scan types), Detective (CreateMembers), or the scope of
// Audit Manager assessments (UpdateAssessment). Every run, Create or Update,
// lists what is already there and adds only what is missing, so re-running
// on a configured organization changes nothing. Delete changes nothing.
// Runs as a Lambda asset under the CDK provider framework, which reports the
// result (or a thrown error) to CloudFormation.
'use strict';

const orgs = require('@aws-sdk/client-organizations');

// Waits between retries; tests replace it so that nothing really waits.
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Throttling error codes of the APIs called here, beside the SDK's own
// throttling flag: Organizations TooManyRequestsException, the others'
// ThrottlingException.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html
const throttled = (e) => (e.$retryable && e.$retryable.throttling)
  || ['ThrottlingException', 'TooManyRequestsException'].includes(e.name);

// An access denial may only mean that the handler's role, created with the
// stack moments ago, has not propagated in IAM yet.
const denied = (e) => e.name === 'AccessDeniedException';

// send makes one call, retrying throttled and denied calls with backoff (the
// SDK's own three attempts do not last through thousands of calls; IAM takes
// seconds to propagate a new role), and names the call and region in any
// other error or one that lasts.
const send = async (client, command, what = '') => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.send(command);
    } catch (e) {
      if ((throttled(e) || denied(e)) && attempt < 8) {
        await exports.sleep(Math.min(1000 * 2 ** attempt, 20000));
        continue;
      }
      const op = command.constructor.name.replace(/Command$/, '');
      throw new Error(`${op}${what} in ${process.env.AWS_REGION}: ${e.name}: ${e.message}`);
    }
  }
};

// pages collects key from every page of a list call; next(token) sends one.
const pages = async (next, key, token = 'NextToken') => {
  const out = [];
  let t;
  do {
    const r = await next(t);
    out.push(...(r[key] || []));
    t = r[token];
  } while (t);
  return out;
};

// accounts lists the active accounts under the target OUs, child OUs
// included, from the Organizations endpoint (us-east-1 in the commercial
// partition). Organizations may return an empty page with a NextToken:
// pages follows the token, not the page size.
const accounts = async (p) => {
  const o = new orgs.OrganizationsClient({ region: p.OrganizationsRegion });
  const out = [];
  const walk = async (parent) => {
    const under = ` under ${parent}`;
    const list = await pages((t) => send(o, new orgs.ListAccountsForParentCommand({ ParentId: parent, NextToken: t }), under), 'Accounts');
    for (const a of list) {
      // State replaces the deprecated Status; either may be present.
      if ((a.State || a.Status) === 'ACTIVE' && a.Id !== p.AdminAccountId) out.push(a);
    }
    const ous = await pages((t) => send(o, new orgs.ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken: t }), under), 'OrganizationalUnits');
    for (const u of ous) await walk(u.Id);
  };
  for (const parent of p.TargetOUs) await walk(parent);
  return out;
};

// Inspector's failedAccounts codes that mean the account is, or is being,
// enabled: a re-run, or an account that enabled Inspector itself.
// https://docs.aws.amazon.com/inspector/v2/APIReference/API_FailedAccount.html
const inspectorFine = ['ALREADY_ENABLED', 'ENABLE_IN_PROGRESS'];

const services = {
  // Macie: CreateMember for every account not already an enabled or paused
  // member. https://docs.aws.amazon.com/macie/latest/APIReference/members.html
  macie2: async (p, list) => {
    const sdk = require('@aws-sdk/client-macie2');
    const c = new sdk.Macie2Client({});
    const members = await pages((t) => send(c, new sdk.ListMembersCommand({ onlyAssociated: 'false', nextToken: t })), 'members', 'nextToken');
    const on = new Set(members.filter((m) => ['Enabled', 'Paused'].includes(m.relationshipStatus)).map((m) => m.accountId));
    for (const a of list.filter((x) => !on.has(x.Id))) {
      await send(c, new sdk.CreateMemberCommand({ account: { accountId: a.Id, email: a.Email } }), ` for ${a.Id}`);
    }
    return [];
  },
  // Inspector: associate every account not yet associated, then enable the
  // scan types in all of them (100 accounts a call), which also turns on
  // types added to the configuration since the last run.
  inspector2: async (p, list) => {
    const sdk = require('@aws-sdk/client-inspector2');
    const c = new sdk.Inspector2Client({});
    const members = await pages((t) => send(c, new sdk.ListMembersCommand({ onlyAssociated: true, nextToken: t })), 'members', 'nextToken');
    const associated = new Set(members.map((m) => m.accountId));
    const ids = list.map((a) => a.Id);
    for (const id of ids.filter((x) => !associated.has(x))) {
      await send(c, new sdk.AssociateMemberCommand({ accountId: id }), ` for ${id}`);
    }
    const failed = [];
    for (let i = 0; i < ids.length; i += 100) {
      const r = await send(c, new sdk.EnableCommand({ accountIds: ids.slice(i, i + 100), resourceTypes: p.ResourceTypes }));
      for (const f of r.failedAccounts || []) {
        if (!inspectorFine.includes(f.errorCode)) failed.push(`${f.accountId}: ${f.errorCode} ${f.errorMessage}`);
      }
    }
    return failed;
  },
  // Detective: enable every account not listed in the graph in any state
  // (50 accounts a call). Organization accounts are enabled, not invited;
  // Account.EmailAddress is required all the same.
  // https://docs.aws.amazon.com/detective/latest/APIReference/API_CreateMembers.html
  detective: async (p, list) => {
    const sdk = require('@aws-sdk/client-detective');
    const c = new sdk.DetectiveClient({});
    const g = p.GraphArn;
    const members = await pages((t) => send(c, new sdk.ListMembersCommand({ GraphArn: g, NextToken: t })), 'MemberDetails');
    const on = new Set(members.map((m) => m.AccountId));
    const missing = list.filter((a) => !on.has(a.Id));
    const failed = [];
    for (let i = 0; i < missing.length; i += 50) {
      const r = await send(c, new sdk.CreateMembersCommand({
        GraphArn: g, Accounts: missing.slice(i, i + 50).map((a) => ({ AccountId: a.Id, EmailAddress: a.Email })),
      }));
      failed.push(...(r.UnprocessedAccounts || []).map((u) => `${u.AccountId}: ${u.Reason}`));
    }
    return failed;
  },
  // Audit Manager: the scope of each assessment becomes the administrator
  // and every account (at most 200, Audit Manager's limit on a scope).
  auditmanager: async (p, list) => {
    const sdk = require('@aws-sdk/client-auditmanager');
    const c = new sdk.AuditManagerClient({});
    const awsAccounts = [{ id: p.AdminAccountId }, ...list.map((a) => ({ id: a.Id }))];
    if (awsAccounts.length > 200) {
      throw new Error(`auditmanager: ${awsAccounts.length} accounts; a scope holds 200 at most`);
    }
    for (const assessmentId of p.Assessments) {
      await send(c, new sdk.UpdateAssessmentCommand({ assessmentId, scope: { awsAccounts } }), ` of ${assessmentId}`);
    }
    return [];
  },
};

exports.handler = async (event) => {
  const p = event.ResourceProperties;
  const id = `${p.Service}-existing-members`;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: id };
  }
  const service = services[p.Service];
  if (!service) {
    throw new Error(`unknown service ${p.Service}`);
  }
  const failed = await service(p, await accounts(p));
  if (failed.length) {
    throw new Error(`${p.Service}: ${failed.length} accounts failed: ${failed.slice(0, 5).join('; ')}`);
  }
  return { PhysicalResourceId: id };
};

// Turns Macie or Inspector on in the accounts that were already in the
// target OUs when the organization configuration was set: auto-enable only
// reaches accounts that join later. Pages every account of the OUs (and
// their child OUs) through Organizations, skips the administrator and
// accounts that are not ACTIVE, and adds only what is missing: Macie members
// not yet Enabled or Paused (CreateMember), Inspector members not yet
// associated (AssociateMember), then Inspector's scan types for all of them
// (Enable, 100 accounts a call); or sets Audit Manager assessments' scope to
// the administrator and all of them (UpdateAssessment). Delete changes
// nothing.
const orgs = require('@aws-sdk/client-organizations');

const pages = async (send, key, token = 'NextToken') => {
  const out = [];
  let next;
  do {
    const r = await send(next);
    out.push(...(r[key] || []));
    next = r[token];
  } while (next);
  return out;
};

exports.handler = async (event) => {
  const p = event.ResourceProperties;
  const physicalResourceId = `${p.Service}-existing-members`;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId };
  }
  const o = new orgs.OrganizationsClient({ region: p.OrganizationsRegion });
  const accounts = [];
  const walk = async (parent) => {
    for (const a of await pages((t) => o.send(new orgs.ListAccountsForParentCommand({ ParentId: parent, NextToken: t })), 'Accounts')) {
      if ((a.State || a.Status) === 'ACTIVE' && a.Id !== p.AdminAccountId) {
        accounts.push(a);
      }
    }
    for (const u of await pages((t) => o.send(new orgs.ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken: t })), 'OrganizationalUnits')) {
      await walk(u.Id);
    }
  };
  for (const parent of p.TargetOUs) {
    await walk(parent);
  }
  const failed = [];
  if (p.Service === 'macie2') {
    const sdk = require('@aws-sdk/client-macie2');
    const c = new sdk.Macie2Client({});
    const members = await pages((t) => c.send(new sdk.ListMembersCommand({ onlyAssociated: 'false', nextToken: t })), 'members', 'nextToken');
    const on = new Set(members.filter((m) => ['Enabled', 'Paused'].includes(m.relationshipStatus)).map((m) => m.accountId));
    for (const a of accounts.filter((x) => !on.has(x.Id))) {
      await c.send(new sdk.CreateMemberCommand({ account: { accountId: a.Id, email: a.Email } }));
    }
  } else if (p.Service === 'inspector2') {
    const sdk = require('@aws-sdk/client-inspector2');
    const c = new sdk.Inspector2Client({});
    const members = await pages((t) => c.send(new sdk.ListMembersCommand({ onlyAssociated: true, nextToken: t })), 'members', 'nextToken');
    const associated = new Set(members.map((m) => m.accountId));
    const ids = accounts.map((a) => a.Id);
    for (const id of ids.filter((x) => !associated.has(x))) {
      await c.send(new sdk.AssociateMemberCommand({ accountId: id }));
    }
    for (let i = 0; i < ids.length; i += 100) {
      const r = await c.send(new sdk.EnableCommand({ accountIds: ids.slice(i, i + 100), resourceTypes: p.ResourceTypes }));
      failed.push(...(r.failedAccounts || []).map((f) => `${f.accountId}: ${f.errorCode} ${f.errorMessage}`));
    }
  } else if (p.Service === 'auditmanager') {
    const sdk = require('@aws-sdk/client-auditmanager');
    const c = new sdk.AuditManagerClient({});
    const awsAccounts = [{ id: p.AdminAccountId }, ...accounts.map((a) => ({ id: a.Id }))];
    if (awsAccounts.length > 200) {
      throw new Error(`auditmanager: ${awsAccounts.length} accounts; an assessment's scope holds at most 200`);
    }
    for (const assessmentId of p.Assessments) {
      await c.send(new sdk.UpdateAssessmentCommand({ assessmentId, scope: { awsAccounts } }));
    }
  } else {
    throw new Error(`unknown service ${p.Service}`);
  }
  if (failed.length) {
    throw new Error(`${p.Service}: ${failed.length} accounts failed: ${failed.slice(0, 5).join('; ')}`);
  }
  return { PhysicalResourceId: physicalResourceId };
};

// Adds the target OUs' accounts as members, never removes one: see members.go.
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
  const id = `${p.Service}-existing-members`;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: id };
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
      await c.send(new sdk.CreateMemberCommand({ account: { accountId: a.Id, email: a.Email } })).catch((e) => failed.push(`${a.Id}: ${e.name}`));
    }
  } else if (p.Service === 'inspector2') {
    const sdk = require('@aws-sdk/client-inspector2');
    const c = new sdk.Inspector2Client({});
    const members = await pages((t) => c.send(new sdk.ListMembersCommand({ onlyAssociated: true, nextToken: t })), 'members', 'nextToken');
    const associated = new Set(members.map((m) => m.accountId));
    const ids = accounts.map((a) => a.Id);
    for (const x of ids.filter((y) => !associated.has(y))) {
      await c.send(new sdk.AssociateMemberCommand({ accountId: x }));
    }
    for (let i = 0; i < ids.length; i += 100) {
      const r = await c.send(new sdk.EnableCommand({ accountIds: ids.slice(i, i + 100), resourceTypes: p.ResourceTypes }));
      failed.push(...(r.failedAccounts || []).map((f) => `${f.accountId}: ${f.errorCode} ${f.errorMessage}`));
    }
  } else if (p.Service === 'detective') {
    const sdk = require('@aws-sdk/client-detective');
    const c = new sdk.DetectiveClient({});
    const g = p.GraphArn;
    const on = new Set((await pages((t) => c.send(new sdk.ListMembersCommand({ GraphArn: g, NextToken: t })), 'MemberDetails')).map((m) => m.AccountId));
    const ids = accounts.map((a) => a.Id).filter((x) => !on.has(x));
    for (let i = 0; i < ids.length; i += 50) {
      const r = await c.send(new sdk.CreateMembersCommand({ GraphArn: g, Accounts: ids.slice(i, i + 50).map((x) => ({ AccountId: x })) }));
      failed.push(...(r.UnprocessedAccounts || []).map((u) => `${u.AccountId}: ${u.Reason}`));
    }
  } else if (p.Service === 'auditmanager') {
    const sdk = require('@aws-sdk/client-auditmanager');
    const c = new sdk.AuditManagerClient({});
    const awsAccounts = [{ id: p.AdminAccountId }, ...accounts.map((a) => ({ id: a.Id }))];
    if (awsAccounts.length > 200) {
      throw new Error(`auditmanager: ${awsAccounts.length} accounts; a scope holds 200 at most`);
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
  return { PhysicalResourceId: id };
};

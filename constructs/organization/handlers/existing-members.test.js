// Tests of existing-members.js with mocked SDK clients: every command is the
// real SDK command object, checked against the input shape its package
// declares.
'use strict';

const { test, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const orgs = require('@aws-sdk/client-organizations');
const macie = require('@aws-sdk/client-macie2');
const inspector = require('@aws-sdk/client-inspector2');
const detective = require('@aws-sdk/client-detective');
const auditmanager = require('@aws-sdk/client-auditmanager');
const { clock, serviceError, checkInputs, inputs, documentedErrors } = require('../../internal/handlertest/handlertest');
const h = require('./existing-members');

const admin = '999999999999';
const graph = 'arn:aws:detective:eu-west-1:999999999999:graph:0123456789abcdef';
const mocks = {
  orgs: mockClient(orgs.OrganizationsClient),
  macie: mockClient(macie.Macie2Client),
  inspector: mockClient(inspector.Inspector2Client),
  detective: mockClient(detective.DetectiveClient),
  auditmanager: mockClient(auditmanager.AuditManagerClient),
};
const packages = {
  orgs: '@aws-sdk/client-organizations', macie: '@aws-sdk/client-macie2', inspector: '@aws-sdk/client-inspector2',
  detective: '@aws-sdk/client-detective', auditmanager: '@aws-sdk/client-auditmanager',
};
let time;

const account = (id, state = 'ACTIVE') => ({ Id: id, Email: `a${id}@example.com`, State: state });

// The organization: the root holds the administrator, one active and one
// suspended account across three pages (one of them empty, as Organizations
// may return); ou-a holds one account and ou-b, which holds another.
function organization() {
  const o = mocks.orgs;
  o.on(orgs.ListAccountsForParentCommand, { ParentId: 'r-root' }).resolves({ Accounts: [account(admin), account('111111111111')], NextToken: 't1' });
  o.on(orgs.ListAccountsForParentCommand, { ParentId: 'r-root', NextToken: 't1' }).resolves({ Accounts: [], NextToken: 't2' });
  o.on(orgs.ListAccountsForParentCommand, { ParentId: 'r-root', NextToken: 't2' }).resolves({ Accounts: [account('222222222222', 'SUSPENDED')] });
  o.on(orgs.ListOrganizationalUnitsForParentCommand, { ParentId: 'r-root' }).resolves({ OrganizationalUnits: [{ Id: 'ou-a' }], NextToken: 'u1' });
  o.on(orgs.ListOrganizationalUnitsForParentCommand, { ParentId: 'r-root', NextToken: 'u1' }).resolves({ OrganizationalUnits: [] });
  o.on(orgs.ListAccountsForParentCommand, { ParentId: 'ou-a' }).resolves({ Accounts: [account('333333333333')] });
  o.on(orgs.ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-a' }).resolves({ OrganizationalUnits: [{ Id: 'ou-b' }] });
  // The deprecated Status, as older responses carry it.
  o.on(orgs.ListAccountsForParentCommand, { ParentId: 'ou-b' }).resolves({ Accounts: [{ Id: '444444444444', Email: 'b@example.com', Status: 'ACTIVE' }] });
  o.on(orgs.ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-b' }).resolves({});
}
const members = ['111111111111', '333333333333', '444444444444'];

const event = (RequestType, props, old) => ({
  RequestType,
  PhysicalResourceId: RequestType === 'Create' ? undefined : `${props.Service}-existing-members`,
  ResourceProperties: { AdminAccountId: admin, TargetOUs: ['r-root'], OrganizationsRegion: 'us-east-1', ...props },
  OldResourceProperties: old,
});

beforeEach(() => {
  for (const m of Object.values(mocks)) m.reset();
  time = clock();
  h.sleep = time.sleep;
  organization();
});

// Every body sent is a valid input of its operation.
const checkAll = () => {
  for (const [k, m] of Object.entries(mocks)) checkInputs(m, packages[k]);
};

test('walks every OU and page and skips the administrator and suspended accounts', async () => {
  mocks.macie.on(macie.ListMembersCommand).resolves({ members: [] });
  mocks.macie.on(macie.CreateMemberCommand).resolves({ arn: 'x' });
  await h.handler(event('Create', { Service: 'macie2' }));
  assert.deepEqual(inputs(mocks.macie, macie.CreateMemberCommand).map((i) => i.account.accountId), members);
  assert.deepEqual(inputs(mocks.orgs, orgs.ListAccountsForParentCommand).map((i) => [i.ParentId, i.NextToken]),
    [['r-root', undefined], ['r-root', 't1'], ['r-root', 't2'], ['ou-a', undefined], ['ou-b', undefined]]);
  // Organizations lives in one region; the caller says which.
  assert.equal(await mocks.orgs.call(0).thisValue.config.region(), 'us-east-1');
  checkAll();
});

test('macie2: adds missing members with their email, across member pages; re-run adds nothing', async () => {
  mocks.macie.on(macie.ListMembersCommand).resolves({ members: [{ accountId: '111111111111', relationshipStatus: 'Enabled' }], nextToken: 'm1' });
  mocks.macie.on(macie.ListMembersCommand, { nextToken: 'm1' }).resolves({ members: [{ accountId: '333333333333', relationshipStatus: 'Removed' }] });
  mocks.macie.on(macie.CreateMemberCommand).resolves({ arn: 'x' });
  const out = await h.handler(event('Create', { Service: 'macie2' }));
  assert.deepEqual(out, { PhysicalResourceId: 'macie2-existing-members' });
  assert.deepEqual(inputs(mocks.macie, macie.CreateMemberCommand), [
    { account: { accountId: '333333333333', email: 'a333333333333@example.com' } },
    { account: { accountId: '444444444444', email: 'b@example.com' } },
  ]);
  assert.deepEqual(inputs(mocks.macie, macie.ListMembersCommand).map((i) => i.onlyAssociated), ['false', 'false']);
  checkAll();

  // Already configured: every account is an enabled or paused member.
  mocks.macie.reset();
  mocks.macie.on(macie.ListMembersCommand).resolves({ members: members.map((a, i) => ({ accountId: a, relationshipStatus: i ? 'Paused' : 'Enabled' })) });
  await h.handler(event('Update', { Service: 'macie2' }, { Service: 'macie2' }));
  assert.equal(mocks.macie.commandCalls(macie.CreateMemberCommand).length, 0);
});

test('macie2: a refused member fails the run, naming the account and call', async () => {
  mocks.macie.on(macie.ListMembersCommand).resolves({});
  mocks.macie.on(macie.CreateMemberCommand).rejects(serviceError('@aws-sdk/client-macie2', 'ValidationException', 'bad email'));
  await assert.rejects(h.handler(event('Create', { Service: 'macie2' })), /CreateMember for 111111111111 in .*: ValidationException: bad email/);
});

test('inspector2: associates missing members and enables the scan types; ALREADY_ENABLED and ENABLE_IN_PROGRESS are fine', async () => {
  mocks.inspector.on(inspector.ListMembersCommand).resolves({ members: [{ accountId: '111111111111', relationshipStatus: 'ENABLED' }], nextToken: 'n1' });
  mocks.inspector.on(inspector.ListMembersCommand, { nextToken: 'n1' }).resolves({ members: [] });
  mocks.inspector.on(inspector.AssociateMemberCommand).resolves({ accountId: 'x' });
  mocks.inspector.on(inspector.EnableCommand).resolves({
    accounts: [],
    failedAccounts: [
      { accountId: '111111111111', errorCode: 'ALREADY_ENABLED', errorMessage: 'already enabled' },
      { accountId: '333333333333', errorCode: 'ENABLE_IN_PROGRESS', errorMessage: 'in progress' },
    ],
  });
  await h.handler(event('Update', { Service: 'inspector2', ResourceTypes: ['EC2', 'LAMBDA'] }, { Service: 'inspector2', ResourceTypes: ['EC2'] }));
  assert.deepEqual(inputs(mocks.inspector, inspector.AssociateMemberCommand), [{ accountId: '333333333333' }, { accountId: '444444444444' }]);
  assert.deepEqual(inputs(mocks.inspector, inspector.EnableCommand), [{ accountIds: members, resourceTypes: ['EC2', 'LAMBDA'] }]);
  assert.deepEqual(inputs(mocks.inspector, inspector.ListMembersCommand).map((i) => i.onlyAssociated), [true, true]);
  checkAll();
});

test('inspector2: any other failedAccounts code fails the run', async () => {
  mocks.inspector.on(inspector.ListMembersCommand).resolves({ members: members.map((accountId) => ({ accountId })) });
  mocks.inspector.on(inspector.EnableCommand).resolves({
    accounts: [], failedAccounts: [{ accountId: '333333333333', errorCode: 'ACCESS_DENIED', errorMessage: 'denied' }],
  });
  await assert.rejects(h.handler(event('Create', { Service: 'inspector2', ResourceTypes: ['EC2'] })), /1 accounts failed: 333333333333: ACCESS_DENIED denied/);
  assert.equal(mocks.inspector.commandCalls(inspector.AssociateMemberCommand).length, 0, 'all associated already');
});

test('inspector2: Enable takes 100 accounts a call', async () => {
  const many = Array.from({ length: 150 }, (_, i) => account(String(100000000000 + i)));
  mocks.orgs.reset();
  mocks.orgs.on(orgs.ListAccountsForParentCommand).resolves({ Accounts: many });
  mocks.orgs.on(orgs.ListOrganizationalUnitsForParentCommand).resolves({});
  mocks.inspector.on(inspector.ListMembersCommand).resolves({ members: many.map((a) => ({ accountId: a.Id })) });
  mocks.inspector.on(inspector.EnableCommand).resolves({ accounts: [], failedAccounts: [] });
  await h.handler(event('Create', { Service: 'inspector2', ResourceTypes: ['ECR'] }));
  assert.deepEqual(inputs(mocks.inspector, inspector.EnableCommand).map((i) => i.accountIds.length), [100, 50]);
  checkAll();
});

test('detective: enables missing accounts with their email address, 50 a call; unprocessed accounts fail the run', async () => {
  const many = Array.from({ length: 60 }, (_, i) => account(String(100000000000 + i)));
  mocks.orgs.reset();
  mocks.orgs.on(orgs.ListAccountsForParentCommand).resolves({ Accounts: many });
  mocks.orgs.on(orgs.ListOrganizationalUnitsForParentCommand).resolves({});
  mocks.detective.on(detective.ListMembersCommand).resolves({ MemberDetails: [{ AccountId: many[0].Id, Status: 'ENABLED' }], NextToken: 'd1' });
  mocks.detective.on(detective.ListMembersCommand, { NextToken: 'd1' }).resolves({ MemberDetails: [{ AccountId: many[1].Id, Status: 'INVITED' }] });
  mocks.detective.on(detective.CreateMembersCommand).resolves({ Members: [], UnprocessedAccounts: [] });
  await h.handler(event('Create', { Service: 'detective', GraphArn: graph }));
  const sent = inputs(mocks.detective, detective.CreateMembersCommand);
  assert.deepEqual(sent.map((i) => i.Accounts.length), [50, 8]);
  assert.deepEqual(sent[0].Accounts[0], { AccountId: many[2].Id, EmailAddress: many[2].Email });
  assert.ok(sent.every((i) => i.GraphArn === graph));
  checkAll();

  mocks.detective.on(detective.CreateMembersCommand).resolves({ UnprocessedAccounts: [{ AccountId: many[5].Id, Reason: 'not in organization' }] });
  await assert.rejects(h.handler(event('Create', { Service: 'detective', GraphArn: graph })), /detective: 2 accounts failed: 100000000005: not in organization/);
});

test('auditmanager: every assessment scope is the administrator and every account', async () => {
  mocks.auditmanager.on(auditmanager.UpdateAssessmentCommand).resolves({});
  await h.handler(event('Update', { Service: 'auditmanager', Assessments: ['as-1', 'as-2'] }, { Service: 'auditmanager', Assessments: ['as-1'] }));
  const want = { awsAccounts: [admin, ...members].map((id) => ({ id })) };
  assert.deepEqual(inputs(mocks.auditmanager, auditmanager.UpdateAssessmentCommand), [
    { assessmentId: 'as-1', scope: want }, { assessmentId: 'as-2', scope: want },
  ]);
  checkAll();
});

test('auditmanager: more than 200 accounts is refused before any call', async () => {
  mocks.orgs.reset();
  mocks.orgs.on(orgs.ListAccountsForParentCommand).resolves({ Accounts: Array.from({ length: 200 }, (_, i) => account(String(100000000000 + i))) });
  mocks.orgs.on(orgs.ListOrganizationalUnitsForParentCommand).resolves({});
  await assert.rejects(h.handler(event('Create', { Service: 'auditmanager', Assessments: ['as-1'] })), /201 accounts; a scope holds 200 at most/);
  assert.equal(mocks.auditmanager.calls().length, 0);
});

test('throttled calls are retried with backoff, without waiting in the test', async () => {
  mocks.orgs.on(orgs.ListAccountsForParentCommand, { ParentId: 'ou-a' })
    .rejectsOnce(serviceError('@aws-sdk/client-organizations', 'TooManyRequestsException'))
    .resolves({ Accounts: [account('333333333333')] });
  mocks.macie.on(macie.ListMembersCommand).resolves({});
  mocks.macie.on(macie.CreateMemberCommand)
    .rejectsOnce(serviceError('@aws-sdk/client-macie2', 'ThrottlingException'))
    .rejectsOnce(serviceError('@aws-sdk/client-macie2', 'ThrottlingException'))
    .resolves({ arn: 'x' });
  await h.handler(event('Create', { Service: 'macie2' }));
  assert.equal(mocks.macie.commandCalls(macie.CreateMemberCommand).length, 5);
  assert.deepEqual(time.sleeps, [2000, 2000, 4000]);
});

test('an access denial while the new role propagates is retried', async () => {
  mocks.macie.on(macie.ListMembersCommand)
    .rejectsOnce(serviceError('@aws-sdk/client-macie2', 'AccessDeniedException'))
    .resolves({ members: members.map((accountId) => ({ accountId, relationshipStatus: 'Enabled' })) });
  await h.handler(event('Create', { Service: 'macie2' }));
  assert.equal(mocks.macie.commandCalls(macie.ListMembersCommand).length, 2);
  assert.deepEqual(time.sleeps, [2000]);
});

test('throttling that does not end fails, naming the call', async () => {
  mocks.orgs.on(orgs.ListAccountsForParentCommand).rejects(serviceError('@aws-sdk/client-organizations', 'TooManyRequestsException', 'slow down'));
  await assert.rejects(h.handler(event('Create', { Service: 'macie2' })), /ListAccountsForParent under r-root in .*: TooManyRequestsException: slow down/);
  assert.equal(mocks.orgs.commandCalls(orgs.ListAccountsForParentCommand).length, 8);
});

// Every error the SDK model documents for each call: throttling is retried
// (above), an access denial a few times (a new role propagating in IAM);
// everything else needs a person (a wrong OU or graph, no organization, a
// service fault that outlasted the SDK's own retries) and fails the run at
// once, naming the call and the code.
const throttling = ['TooManyRequestsException', 'ThrottlingException'];
for (const [mock, Command, props] of [
  ['orgs', orgs.ListAccountsForParentCommand, { Service: 'macie2' }],
  ['orgs', orgs.ListOrganizationalUnitsForParentCommand, { Service: 'macie2' }],
  ['macie', macie.ListMembersCommand, { Service: 'macie2' }],
  ['macie', macie.CreateMemberCommand, { Service: 'macie2' }],
  ['inspector', inspector.ListMembersCommand, { Service: 'inspector2', ResourceTypes: ['EC2'] }],
  ['inspector', inspector.AssociateMemberCommand, { Service: 'inspector2', ResourceTypes: ['EC2'] }],
  ['inspector', inspector.EnableCommand, { Service: 'inspector2', ResourceTypes: ['EC2'] }],
  ['detective', detective.ListMembersCommand, { Service: 'detective', GraphArn: graph }],
  ['detective', detective.CreateMembersCommand, { Service: 'detective', GraphArn: graph }],
  ['auditmanager', auditmanager.UpdateAssessmentCommand, { Service: 'auditmanager', Assessments: ['as-1'] }],
]) {
  const op = Command.name.replace(/Command$/, '');
  for (const code of documentedErrors(packages[mock], Command).filter((c) => !throttling.includes(c))) {
    test(`${props.Service} ${op} ${code} fails the run at once`, async () => {
      mocks.macie.on(macie.ListMembersCommand).resolves({});
      mocks.inspector.on(inspector.ListMembersCommand).resolves({});
      mocks.detective.on(detective.ListMembersCommand).resolves({});
      mocks[mock].on(Command).rejects(serviceError(packages[mock], code, 'no'));
      await assert.rejects(h.handler(event('Create', props)), new RegExp(`^Error: ${op}.* in .*: ${code}: no$`));
      const attempts = code === 'AccessDeniedException' ? 8 : 1;
      assert.equal(mocks[mock].commandCalls(Command).length, attempts);
      assert.equal(time.sleeps.length, attempts - 1);
    });
  }
}

test('delete changes nothing', async () => {
  for (const Service of ['macie2', 'inspector2', 'detective', 'auditmanager']) {
    assert.deepEqual(await h.handler(event('Delete', { Service })), { PhysicalResourceId: `${Service}-existing-members` });
  }
  for (const m of Object.values(mocks)) assert.equal(m.calls().length, 0);
});

test('an unknown service is refused', async () => {
  await assert.rejects(h.handler(event('Create', { Service: 'securityhub' })), /unknown service securityhub/);
});

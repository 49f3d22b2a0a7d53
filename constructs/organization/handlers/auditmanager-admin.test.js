// Tests of auditmanager-admin.js with a mocked Audit Manager client.
'use strict';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const am = require('@aws-sdk/client-auditmanager');
const { clock, serviceError, checkInputs, inputs, documentedErrors } = require('../../internal/handlertest/handlertest');
const h = require('./auditmanager-admin');

const pkg = '@aws-sdk/client-auditmanager';
const mock = mockClient(am.AuditManagerClient);
const admin = '999999999999';
let time;

const event = (RequestType, AdminAccountId = admin, old) => ({
  RequestType, ResourceProperties: { AdminAccountId }, OldResourceProperties: old,
  PhysicalResourceId: RequestType === 'Create' ? undefined : `auditmanager-delegated-admin-${AdminAccountId}`,
});
const none = () => serviceError(pkg, 'ResourceNotFoundException', 'no admin');

beforeEach(() => {
  mock.reset();
  time = clock();
  h.sleep = time.sleep;
});
afterEach(() => checkInputs(mock, pkg));

test('create registers the management account, then designates the administrator', async () => {
  mock.on(am.GetAccountStatusCommand).resolvesOnce({ status: 'INACTIVE' }).resolves({ status: 'ACTIVE' });
  mock.on(am.RegisterAccountCommand).resolves({ status: 'ACTIVE' });
  mock.on(am.GetOrganizationAdminAccountCommand).rejectsOnce(none()).resolves({ adminAccountId: admin, organizationId: 'o-1' });
  mock.on(am.RegisterOrganizationAdminAccountCommand).resolves({ adminAccountId: admin });
  const out = await h.handler(event('Create'), time.context());
  assert.deepEqual(out, { PhysicalResourceId: `auditmanager-delegated-admin-${admin}` });
  assert.deepEqual(inputs(mock, am.RegisterAccountCommand), [{}]);
  assert.deepEqual(inputs(mock, am.RegisterOrganizationAdminAccountCommand), [{ adminAccountId: admin }]);
  assert.deepEqual(time.sleeps, [10000]);
});

test('a re-run on a configured organization changes nothing', async () => {
  mock.on(am.GetAccountStatusCommand).resolves({ status: 'ACTIVE' });
  mock.on(am.GetOrganizationAdminAccountCommand).resolves({ adminAccountId: admin });
  await h.handler(event('Update', admin, { AdminAccountId: admin }), time.context());
  assert.equal(mock.commandCalls(am.RegisterAccountCommand).length, 0);
  assert.equal(mock.commandCalls(am.RegisterOrganizationAdminAccountCommand).length, 0);
  assert.equal(time.sleeps.length, 0);
});

test('update to another account while one is designated fails, naming it', async () => {
  mock.on(am.GetAccountStatusCommand).resolves({ status: 'ACTIVE' });
  mock.on(am.GetOrganizationAdminAccountCommand).resolves({ adminAccountId: admin });
  await assert.rejects(h.handler(event('Update', '888888888888', { AdminAccountId: admin }), time.context()),
    /delegated administrator is 999999999999; remove it before designating 888888888888/);
  assert.equal(mock.commandCalls(am.RegisterOrganizationAdminAccountCommand).length, 0);
});

test('every documented error of every call is retried while trusted access propagates', async () => {
  for (const Command of [am.GetAccountStatusCommand, am.RegisterAccountCommand, am.GetOrganizationAdminAccountCommand, am.RegisterOrganizationAdminAccountCommand]) {
    mock.reset();
    time = clock();
    h.sleep = time.sleep;
    const codes = documentedErrors(pkg, Command).filter((c) => !(Command === am.GetOrganizationAdminAccountCommand && c === 'ResourceNotFoundException'));
    let designated = false;
    // Each call fails once with each documented code of the call under
    // test, then answers as Audit Manager would.
    const failing = (answer) => (input) => {
      const n = mock.commandCalls(Command).length;
      if (n <= codes.length) throw serviceError(pkg, codes[n - 1]);
      return answer(input);
    };
    const answers = new Map([
      [am.GetAccountStatusCommand, () => ({ status: 'PENDING_ACTIVATION' })],
      [am.RegisterAccountCommand, () => ({})],
      [am.GetOrganizationAdminAccountCommand, () => { if (designated) return { adminAccountId: admin }; throw none(); }],
      [am.RegisterOrganizationAdminAccountCommand, () => { designated = true; return {}; }],
    ]);
    for (const [C, answer] of answers) mock.on(C).callsFake(C === Command ? failing(answer) : answer);
    await h.handler(event('Create'), time.context());
    assert.equal(time.sleeps.length, codes.length + 1, Command.name);
  }
});

for (const Command of [am.GetAccountStatusCommand, am.RegisterAccountCommand, am.GetOrganizationAdminAccountCommand, am.RegisterOrganizationAdminAccountCommand]) {
  const op = Command.name.replace(/Command$/, '');
  for (const code of documentedErrors(pkg, Command).filter((c) => !(Command === am.GetOrganizationAdminAccountCommand && c === 'ResourceNotFoundException'))) {
    test(`${op} ${code} that lasts fails before the timeout, naming the call`, async () => {
      time = clock(100000);
      h.sleep = time.sleep;
      mock.on(am.GetAccountStatusCommand).resolves({ status: 'INACTIVE' });
      mock.on(am.RegisterAccountCommand).resolves({});
      mock.on(am.GetOrganizationAdminAccountCommand).rejects(none());
      mock.on(Command).rejects(serviceError(pkg, code, 'no'));
      await assert.rejects(h.handler(event('Create'), time.context()),
        new RegExp(`auditmanager: ${admin} is not the delegated administrator yet in .*: ${op}: ${code}: no$`));
    });
  }
}

test('delete leaves everything', async () => {
  assert.deepEqual(await h.handler(event('Delete'), time.context()), { PhysicalResourceId: `auditmanager-delegated-admin-${admin}` });
  assert.equal(mock.calls().length, 0);
});

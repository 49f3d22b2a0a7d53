// Tests of fms-admin.js with a mocked Firewall Manager client.
'use strict';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const fms = require('@aws-sdk/client-fms');
const { clock, serviceError, checkInputs, inputs, documentedErrors } = require('../../internal/handlertest/handlertest');
const h = require('./fms-admin');

const pkg = '@aws-sdk/client-fms';
const mock = mockClient(fms.FMSClient);
const admin = '999999999999';
let time;

const event = (RequestType, AdminAccountId = admin, old) => ({
  RequestType, ResourceProperties: { AdminAccountId }, OldResourceProperties: old && { AdminAccountId: old },
  PhysicalResourceId: RequestType === 'Create' ? undefined : `fms-admin-${AdminAccountId}`,
});
const none = () => serviceError(pkg, 'ResourceNotFoundException', 'no administrator');

beforeEach(() => {
  mock.reset();
  time = clock();
  h.sleep = time.sleep;
});
afterEach(() => checkInputs(mock, pkg));

test('create associates the administrator in us-east-1 and waits until its role is READY', async () => {
  mock.on(fms.GetAdminAccountCommand)
    .rejectsOnce(none())
    .resolvesOnce({ AdminAccount: admin, RoleStatus: 'CREATING' })
    .resolves({ AdminAccount: admin, RoleStatus: 'READY' });
  mock.on(fms.AssociateAdminAccountCommand).resolves({});
  const out = await h.handler(event('Create'), time.context());
  assert.deepEqual(out, { PhysicalResourceId: `fms-admin-${admin}` });
  assert.deepEqual(inputs(mock, fms.AssociateAdminAccountCommand), [{ AdminAccount: admin }]);
  assert.deepEqual(time.sleeps, [15000, 15000]);
  assert.equal(await mock.call(0).thisValue.config.region(), 'us-east-1');
});

test('a re-run finds the administrator READY and associates nothing', async () => {
  mock.on(fms.GetAdminAccountCommand).resolves({ AdminAccount: admin, RoleStatus: 'READY' });
  await h.handler(event('Update', admin, admin), time.context());
  assert.equal(mock.commandCalls(fms.AssociateAdminAccountCommand).length, 0);
});

test('update to another account while one is administrator fails, naming it', async () => {
  mock.on(fms.GetAdminAccountCommand).resolves({ AdminAccount: admin, RoleStatus: 'READY' });
  await assert.rejects(h.handler(event('Update', '888888888888', admin), time.context()),
    /default administrator is 999999999999; it must revoke itself before 888888888888/);
});

test('an administrator whose role was DELETED is replaced', async () => {
  mock.on(fms.GetAdminAccountCommand).resolvesOnce({ AdminAccount: '888888888888', RoleStatus: 'DELETED' }).resolves({ AdminAccount: admin, RoleStatus: 'READY' });
  mock.on(fms.AssociateAdminAccountCommand).resolves({});
  await h.handler(event('Create'), time.context());
  assert.equal(mock.commandCalls(fms.AssociateAdminAccountCommand).length, 1);
});

test('every documented error of AssociateAdminAccount is retried while trusted access propagates', async () => {
  const codes = documentedErrors(pkg, fms.AssociateAdminAccountCommand);
  let associated = false;
  mock.on(fms.GetAdminAccountCommand).callsFake(() => {
    if (associated) return { AdminAccount: admin, RoleStatus: 'READY' };
    throw none();
  });
  mock.on(fms.AssociateAdminAccountCommand).callsFake(() => {
    const n = mock.commandCalls(fms.AssociateAdminAccountCommand).length;
    if (n <= codes.length) throw serviceError(pkg, codes[n - 1]);
    associated = true;
    return {};
  });
  await h.handler(event('Create'), time.context());
  assert.equal(mock.commandCalls(fms.AssociateAdminAccountCommand).length, codes.length + 1);
});

test('GetAdminAccount errors other than "none yet" are retried without associating', async () => {
  mock.on(fms.GetAdminAccountCommand)
    .rejectsOnce(serviceError(pkg, 'InternalErrorException'))
    .rejectsOnce(serviceError(pkg, 'ThrottlingException'))
    .resolves({ AdminAccount: admin, RoleStatus: 'READY' });
  await h.handler(event('Create'), time.context());
  assert.equal(mock.commandCalls(fms.AssociateAdminAccountCommand).length, 0);
});

for (const [Command, codes] of [
  [fms.GetAdminAccountCommand, ['InternalErrorException', 'ThrottlingException']],
  [fms.AssociateAdminAccountCommand, documentedErrors(pkg, fms.AssociateAdminAccountCommand)],
]) {
  const op = Command.name.replace(/Command$/, '');
  for (const code of codes) {
    test(`${op} ${code} that lasts fails before the timeout, naming the call`, async () => {
      time = clock(100000);
      h.sleep = time.sleep;
      mock.on(fms.GetAdminAccountCommand).rejects(none());
      mock.on(Command).rejects(serviceError(pkg, code, 'no'));
      await assert.rejects(h.handler(event('Create'), time.context()),
        new RegExp(`${admin} is not the Firewall Manager administrator yet \\(role none\\): ${op}: ${code}: no$`));
    });
  }
}

test('delete leaves the administrator', async () => {
  assert.deepEqual(await h.handler(event('Delete'), time.context()), { PhysicalResourceId: `fms-admin-${admin}` });
  assert.equal(mock.calls().length, 0);
});

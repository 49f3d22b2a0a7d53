// Tests of inspector-enable.js with a mocked Inspector client.
'use strict';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const inspector = require('@aws-sdk/client-inspector2');
const { clock, serviceError, checkInputs, inputs, documentedErrors } = require('../../internal/handlertest/handlertest');
const h = require('./inspector-enable');

const pkg = '@aws-sdk/client-inspector2';
const mock = mockClient(inspector.Inspector2Client);
let time;

const status = (states) => ({
  accounts: [{
    accountId: '123456789012',
    state: { status: 'ENABLED' },
    resourceState: Object.fromEntries(Object.entries(states).map(([k, v]) => [k, typeof v === 'string' ? { status: v } : v])),
  }],
  failedAccounts: [],
});
const event = (RequestType, props, old) => ({
  RequestType, ResourceProperties: { DisableOnDelete: 'false', ...props }, OldResourceProperties: old,
  PhysicalResourceId: RequestType === 'Create' ? undefined : 'inspector2-enablement',
});

beforeEach(() => {
  mock.reset();
  time = clock();
  h.sleep = time.sleep;
  mock.on(inspector.EnableCommand).resolves({ accounts: [], failedAccounts: [] });
});
afterEach(() => checkInputs(mock, pkg));

test('create enables the types and waits until each is ENABLED', async () => {
  mock.on(inspector.BatchGetAccountStatusCommand)
    .resolvesOnce(status({ ec2: 'DISABLED', lambda: 'DISABLED' }))
    .resolvesOnce(status({ ec2: { status: 'ENABLING' }, lambda: { status: 'DISABLED', errorCode: 'ENABLE_IN_PROGRESS', errorMessage: 'x' } }))
    .resolves(status({ ec2: 'ENABLED', lambda: 'ENABLED', ecr: 'DISABLED' }));
  const out = await h.handler(event('Create', { ResourceTypes: ['EC2', 'LAMBDA'] }), time.context());
  assert.deepEqual(out, { PhysicalResourceId: 'inspector2-enablement' });
  assert.deepEqual(inputs(mock, inspector.EnableCommand), [{ resourceTypes: ['EC2', 'LAMBDA'] }]);
  assert.deepEqual(inputs(mock, inspector.BatchGetAccountStatusCommand), [{}, {}, {}]);
  assert.deepEqual(time.sleeps, [5000, 5000]);
});

test('update with another type enables the new list; a re-run on an enabled account returns at once', async () => {
  mock.on(inspector.EnableCommand).resolves({
    accounts: [], failedAccounts: [{ accountId: '123456789012', errorCode: 'ALREADY_ENABLED', errorMessage: 'already' }],
  });
  mock.on(inspector.BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED', ecr: 'ENABLED', lambda: 'ENABLED', lambdaCode: 'ENABLED' }));
  await h.handler(event('Update', { ResourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] }, { ResourceTypes: ['EC2'] }), time.context());
  assert.deepEqual(inputs(mock, inspector.EnableCommand), [{ resourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] }]);
  assert.equal(time.sleeps.length, 0);
});

test('a type that settles with an error fails, naming it', async () => {
  mock.on(inspector.BatchGetAccountStatusCommand).resolves(status({
    ec2: 'ENABLED', lambdaCode: { status: 'DISABLED', errorCode: 'ACCESS_DENIED', errorMessage: 'no SLR' },
  }));
  await assert.rejects(h.handler(event('Create', { ResourceTypes: ['EC2', 'LAMBDA_CODE'] }), time.context()),
    /Inspector could not enable LAMBDA_CODE: ACCESS_DENIED: no SLR/);
});

test('enablement that outlasts the function fails before the timeout', async () => {
  mock.on(inspector.BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLING' }));
  time = clock(60000);
  h.sleep = time.sleep;
  await assert.rejects(h.handler(event('Create', { ResourceTypes: ['EC2'] }), time.context()),
    /did not finish enabling EC2 in time/);
});

test('throttling and internal errors are retried while time remains', async () => {
  mock.on(inspector.EnableCommand)
    .rejectsOnce(serviceError(pkg, 'ThrottlingException'))
    .rejectsOnce(serviceError(pkg, 'InternalServerException'))
    .resolves({});
  mock.on(inspector.BatchGetAccountStatusCommand)
    .rejectsOnce(serviceError(pkg, 'ThrottlingException'))
    .resolves(status({ ecr: 'ENABLED' }));
  await h.handler(event('Create', { ResourceTypes: ['ECR'] }), time.context());
  assert.equal(mock.commandCalls(inspector.EnableCommand).length, 3);
  assert.deepEqual(time.sleeps, [5000, 5000, 5000]);
});

test('an access denial while the new role propagates is retried', async () => {
  mock.on(inspector.EnableCommand).rejectsOnce(serviceError(pkg, 'AccessDeniedException')).resolves({});
  mock.on(inspector.BatchGetAccountStatusCommand).resolves(status({ ec2: 'ENABLED' }));
  await h.handler(event('Create', { ResourceTypes: ['EC2'] }), time.context());
  assert.equal(mock.commandCalls(inspector.EnableCommand).length, 2);
});

test('throttling that lasts fails when the time is nearly up, naming the call', async () => {
  mock.on(inspector.EnableCommand).rejects(serviceError(pkg, 'ThrottlingException', 'slow'));
  time = clock(60000);
  h.sleep = time.sleep;
  await assert.rejects(h.handler(event('Create', { ResourceTypes: ['ECR'] }), time.context()),
    /^Error: Enable ECR in .*: ThrottlingException: slow$/);
  assert.equal(mock.commandCalls(inspector.EnableCommand).length, 10);
});

test('delete disables the types only with DisableOnDelete', async () => {
  await h.handler(event('Delete', { ResourceTypes: ['EC2'] }), time.context());
  assert.equal(mock.calls().length, 0);
  mock.on(inspector.DisableCommand).resolves({ accounts: [], failedAccounts: [] });
  const out = await h.handler(event('Delete', { ResourceTypes: ['EC2', 'LAMBDA'], DisableOnDelete: 'true' }), time.context());
  assert.deepEqual(out, { PhysicalResourceId: 'inspector2-enablement' });
  assert.deepEqual(inputs(mock, inspector.DisableCommand), [{ resourceTypes: ['EC2', 'LAMBDA'] }]);
});

// Every other documented error fails at once, naming the call and code.
for (const Command of [inspector.EnableCommand, inspector.BatchGetAccountStatusCommand, inspector.DisableCommand]) {
  for (const code of documentedErrors(pkg, Command).filter((c) => !['ThrottlingException', 'InternalServerException'].includes(c))) {
    const op = Command.name.replace(/Command$/, '');
    test(`${op} ${code} fails at once`, async () => {
      mock.on(inspector.BatchGetAccountStatusCommand).resolves(status({}));
      mock.on(Command).rejects(serviceError(pkg, code, 'no'));
      const type = Command === inspector.DisableCommand ? 'Delete' : 'Create';
      await assert.rejects(h.handler(event(type, { ResourceTypes: ['EC2'], DisableOnDelete: 'true' }), time.context()),
        new RegExp(`^Error: ${op} EC2 in .*: ${code}: no$`));
      // An access denial is retried a few times: a new role propagating.
      assert.equal(mock.commandCalls(Command).length, code === 'AccessDeniedException' ? 8 : 1);
    });
  }
}

// Tests of cloudhsm-hsms.js with a mocked CloudHSM client.
'use strict';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const hsm = require('@aws-sdk/client-cloudhsm-v2');
const { clock, serviceError, checkInputs, inputs, documentedErrors } = require('../../internal/handlertest/handlertest');
const h = require('./cloudhsm-hsms');

const pkg = '@aws-sdk/client-cloudhsm-v2';
const mock = mockClient(hsm.CloudHSMV2Client);
const id = 'cluster-abcdefghijk';
let time;

const props = (over) => ({
  ClusterId: id, AvailabilityZones: ['eu-west-1a', 'eu-west-1b'], HsmCount: '1', Activated: 'false', WaitForDeletion: 'false', ...over,
});
const event = (RequestType, p, old) => ({
  RequestType, ResourceProperties: props(p), OldResourceProperties: old && props(old),
  PhysicalResourceId: RequestType === 'Create' ? undefined : id,
});
const cluster = (State, hsms = []) => ({
  Clusters: [{ ClusterId: id, State, Hsms: hsms.map(([HsmId, AvailabilityZone, s = 'ACTIVE']) => ({ HsmId, AvailabilityZone, State: s, ClusterId: id })) }],
});

beforeEach(() => {
  mock.reset();
  time = clock();
  h.sleep = time.sleep;
  mock.on(hsm.CreateHsmCommand).resolves({ Hsm: { HsmId: 'hsm-new' } });
  mock.on(hsm.DeleteHsmCommand).resolves({ HsmId: 'x' });
});
afterEach(() => checkInputs(mock, pkg));

test('create waits for the new cluster, then creates its first HSM in the first zone', async () => {
  mock.on(hsm.DescribeClustersCommand)
    .resolvesOnce({ Clusters: [], NextToken: 'p2' })
    .resolvesOnce(cluster('CREATE_IN_PROGRESS'))
    .resolves(cluster('UNINITIALIZED'));
  const out = await h.handler(event('Create', {}), time.context());
  assert.deepEqual(out, { PhysicalResourceId: id });
  assert.deepEqual(inputs(mock, hsm.DescribeClustersCommand).map((i) => [i.Filters.clusterIds, i.NextToken]),
    [[[id], undefined], [[id], 'p2'], [[id], undefined]]);
  assert.deepEqual(inputs(mock, hsm.CreateHsmCommand), [{ ClusterId: id, AvailabilityZone: 'eu-west-1a' }]);
  assert.deepEqual(time.sleeps, [10000]);
});

test('before activation, an existing first HSM is kept whatever the count (a re-run creates nothing)', async () => {
  mock.on(hsm.DescribeClustersCommand).resolves(cluster('INITIALIZED', [['hsm-1', 'eu-west-1a', 'CREATE_IN_PROGRESS']]));
  await h.handler(event('Update', { HsmCount: '1' }, { HsmCount: '1' }), time.context());
  assert.equal(mock.commandCalls(hsm.CreateHsmCommand).length, 0);
  assert.equal(mock.commandCalls(hsm.DeleteHsmCommand).length, 0);
});

test('update after activation spreads HsmCount over the zones, then removes what is left over', async () => {
  mock.on(hsm.DescribeClustersCommand).resolves(cluster('ACTIVE', [['hsm-1', 'eu-west-1a'], ['hsm-2', 'eu-west-1c'], ['hsm-3', 'eu-west-1a', 'DELETE_IN_PROGRESS']]));
  await h.handler(event('Update', { Activated: 'true', HsmCount: '3' }, { Activated: 'false' }), time.context());
  assert.deepEqual(inputs(mock, hsm.CreateHsmCommand), [
    { ClusterId: id, AvailabilityZone: 'eu-west-1b' }, { ClusterId: id, AvailabilityZone: 'eu-west-1a' },
  ]);
  assert.deepEqual(inputs(mock, hsm.DeleteHsmCommand), [{ ClusterId: id, HsmId: 'hsm-2' }]);
});

test('a re-run on a cluster at its placement changes nothing; a DEGRADED cluster is accepted', async () => {
  mock.on(hsm.DescribeClustersCommand).resolves(cluster('DEGRADED', [['hsm-1', 'eu-west-1a'], ['hsm-2', 'eu-west-1b']]));
  await h.handler(event('Update', { Activated: 'true', HsmCount: '2' }, { Activated: 'true', HsmCount: '2' }), time.context());
  assert.equal(mock.commandCalls(hsm.CreateHsmCommand).length + mock.commandCalls(hsm.DeleteHsmCommand).length, 0);
});

test('Activated on a cluster that is not active fails, pointing at the runbook', async () => {
  mock.on(hsm.DescribeClustersCommand).resolves(cluster('INITIALIZED', [['hsm-1', 'eu-west-1a']]));
  await assert.rejects(h.handler(event('Update', { Activated: 'true', HsmCount: '2' }), time.context()), /is INITIALIZED, not ACTIVE: initialize and activate it/);
});

test('a cluster that does not exist, or stays busy, fails', async () => {
  mock.on(hsm.DescribeClustersCommand).resolves({ Clusters: [] });
  await assert.rejects(h.handler(event('Create', {}), time.context()), /cluster cluster-abcdefghijk not found/);
  mock.on(hsm.DescribeClustersCommand).resolves(cluster('UPDATE_IN_PROGRESS'));
  time = clock(60000);
  h.sleep = time.sleep;
  await assert.rejects(h.handler(event('Create', {}), time.context()), /stayed UPDATE_IN_PROGRESS/);
});

test('delete removes the HSMs and, with WaitForDeletion, waits until they are gone', async () => {
  mock.on(hsm.DescribeClustersCommand)
    .resolvesOnce(cluster('ACTIVE', [['hsm-1', 'eu-west-1a'], ['hsm-2', 'eu-west-1b', 'DELETE_IN_PROGRESS']]))
    .resolvesOnce(cluster('ACTIVE', [['hsm-1', 'eu-west-1a', 'DELETE_IN_PROGRESS'], ['hsm-2', 'eu-west-1b', 'DELETED']]))
    .resolves(cluster('ACTIVE', [['hsm-1', 'eu-west-1a', 'DELETED']]));
  await h.handler(event('Delete', { WaitForDeletion: 'true' }), time.context());
  assert.deepEqual(inputs(mock, hsm.DeleteHsmCommand), [{ ClusterId: id, HsmId: 'hsm-1' }]);
  assert.deepEqual(time.sleeps, [10000]);
});

test('delete without WaitForDeletion does not wait; a failed create\'s ID or a gone cluster needs no call', async () => {
  mock.on(hsm.DescribeClustersCommand).resolves(cluster('ACTIVE', [['hsm-1', 'eu-west-1a']]));
  await h.handler(event('Delete', {}), time.context());
  assert.equal(mock.commandCalls(hsm.DescribeClustersCommand).length, 1);
  mock.reset();
  const failed = { ...event('Delete', {}), PhysicalResourceId: 'resource-that-failed' };
  assert.deepEqual(await h.handler(failed, time.context()), { PhysicalResourceId: 'resource-that-failed' });
  assert.equal(mock.calls().length, 0);
  mock.on(hsm.DescribeClustersCommand).resolves({ Clusters: [] });
  await h.handler(event('Delete', {}), time.context());
  assert.equal(mock.commandCalls(hsm.DeleteHsmCommand).length, 0);
});

test('HSMs still deleting when time runs out fail the deletion, asking for a retry', async () => {
  mock.on(hsm.DescribeClustersCommand).resolves(cluster('ACTIVE', [['hsm-1', 'eu-west-1a', 'DELETE_IN_PROGRESS']]));
  time = clock(60000);
  h.sleep = time.sleep;
  await assert.rejects(h.handler(event('Delete', { WaitForDeletion: 'true' }), time.context()), /still being deleted; retry the stack deletion/);
});

test('throttling and internal failures are retried while time remains', async () => {
  mock.on(hsm.DescribeClustersCommand).rejectsOnce(serviceError(pkg, 'ThrottlingException')).resolves(cluster('UNINITIALIZED'));
  mock.on(hsm.CreateHsmCommand).rejectsOnce(serviceError(pkg, 'CloudHsmInternalFailureException')).resolves({});
  await h.handler(event('Create', {}), time.context());
  assert.equal(mock.commandCalls(hsm.CreateHsmCommand).length, 2);
  assert.deepEqual(time.sleeps, [5000, 5000]);
});

for (const [Command, type, over] of [
  [hsm.DescribeClustersCommand, 'Create', {}],
  [hsm.CreateHsmCommand, 'Create', {}],
  [hsm.DeleteHsmCommand, 'Delete', {}],
]) {
  const op = Command.name.replace(/Command$/, '');
  for (const code of documentedErrors(pkg, Command).filter((c) => c !== 'CloudHsmInternalFailureException')) {
    test(`${op} ${code} fails at once, naming the call and cluster`, async () => {
      mock.on(hsm.DescribeClustersCommand).resolves(cluster('UNINITIALIZED', type === 'Delete' ? [['hsm-1', 'eu-west-1a']] : []));
      mock.on(Command).rejects(serviceError(pkg, code, 'no'));
      await assert.rejects(h.handler(event(type, over), time.context()), new RegExp(`^Error: ${op} on ${id} in .*: ${code}: no$`));
      // An access denial is retried a few times: a new role propagating.
      assert.equal(mock.commandCalls(Command).length, code === 'CloudHsmAccessDeniedException' ? 8 : 1);
    });
  }
  test(`${op} CloudHsmInternalFailureException that lasts fails before the timeout`, async () => {
    time = clock(60000);
    h.sleep = time.sleep;
    mock.on(hsm.DescribeClustersCommand).resolves(cluster('UNINITIALIZED', type === 'Delete' ? [['hsm-1', 'eu-west-1a']] : []));
    mock.on(Command).rejects(serviceError(pkg, 'CloudHsmInternalFailureException', 'no'));
    await assert.rejects(h.handler(event(type, over), time.context()), new RegExp(`^Error: ${op} on ${id} in .*: CloudHsmInternalFailureException: no$`));
  });
}

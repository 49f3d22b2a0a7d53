// node --test: the policy-types handler against a mocked Organizations API.
const test = require('node:test');
const assert = require('node:assert');
const { mockClient } = require('aws-sdk-client-mock');
const orgs = require('@aws-sdk/client-organizations');
const h = require('./policy-types.js');

h.pollMs = 0;
const { handler } = h;

const props = { OrganizationsRegion: 'us-east-1', PolicyTypes: ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] };
const rootWith = (...types) => ({ Roots: [{ Id: 'r-ab12', PolicyTypes: types.map(([Type, Status]) => ({ Type, Status })) }] });

test('enables the types the root lacks and waits until they are enabled', async () => {
  const m = mockClient(orgs.OrganizationsClient);
  m.on(orgs.ListRootsCommand)
    .resolvesOnce(rootWith(['SERVICE_CONTROL_POLICY', 'ENABLED']))
    .resolvesOnce(rootWith(['SERVICE_CONTROL_POLICY', 'ENABLED'], ['RESOURCE_CONTROL_POLICY', 'PENDING_ENABLE']))
    .resolves(rootWith(['SERVICE_CONTROL_POLICY', 'ENABLED'], ['RESOURCE_CONTROL_POLICY', 'ENABLED']));
  m.on(orgs.EnablePolicyTypeCommand).resolves({});
  const r = await handler({ RequestType: 'Create', ResourceProperties: props });
  assert.deepStrictEqual(r, { PhysicalResourceId: 'policy-types' });
  const calls = m.commandCalls(orgs.EnablePolicyTypeCommand);
  assert.strictEqual(calls.length, 1);
  assert.deepStrictEqual(calls[0].args[0].input, { RootId: 'r-ab12', PolicyType: 'RESOURCE_CONTROL_POLICY' });
  m.restore();
});

test('a type enabled meanwhile counts as success', async () => {
  const m = mockClient(orgs.OrganizationsClient);
  m.on(orgs.ListRootsCommand)
    .resolvesOnce(rootWith())
    .resolves(rootWith(['SERVICE_CONTROL_POLICY', 'ENABLED'], ['RESOURCE_CONTROL_POLICY', 'ENABLED']));
  const e = new Error('already');
  e.name = 'PolicyTypeAlreadyEnabledException';
  m.on(orgs.EnablePolicyTypeCommand).rejects(e);
  const r = await handler({ RequestType: 'Update', ResourceProperties: props });
  assert.strictEqual(r.PhysicalResourceId, 'policy-types');
  assert.strictEqual(m.commandCalls(orgs.EnablePolicyTypeCommand).length, 2);
  m.restore();
});

test('other errors name the call, the type and the root', async () => {
  const m = mockClient(orgs.OrganizationsClient);
  m.on(orgs.ListRootsCommand).resolves(rootWith());
  const e = new Error('not all features');
  e.name = 'PolicyTypeNotAvailableForOrganizationException';
  m.on(orgs.EnablePolicyTypeCommand).rejects(e);
  await assert.rejects(handler({ RequestType: 'Create', ResourceProperties: props }),
    /EnablePolicyType SERVICE_CONTROL_POLICY on r-ab12 \(us-east-1\): PolicyTypeNotAvailableForOrganizationException/);
  m.restore();
});

test('delete disables nothing', async () => {
  const m = mockClient(orgs.OrganizationsClient);
  const r = await handler({ RequestType: 'Delete', ResourceProperties: props });
  assert.strictEqual(r.PhysicalResourceId, 'policy-types');
  assert.strictEqual(m.calls().length, 0);
  m.restore();
});

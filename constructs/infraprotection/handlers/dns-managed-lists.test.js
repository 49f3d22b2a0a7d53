// Tests of dns-managed-lists.js with a mocked Route 53 Resolver client.
'use strict';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const r53r = require('@aws-sdk/client-route53resolver');
const { clock, serviceError, checkInputs, inputs, documentedErrors } = require('../../internal/handlertest/handlertest');
const h = require('./dns-managed-lists');

const pkg = '@aws-sdk/client-route53resolver';
const mock = mockClient(r53r.Route53ResolverClient);
const names = ['AWSManagedDomainsMalwareDomainList', 'AWSManagedDomainsBotnetCommandandControl'];
let time;

const event = (RequestType, Names, old) => ({
  RequestType, ResourceProperties: { Names }, OldResourceProperties: old && { Names: old },
  PhysicalResourceId: RequestType === 'Create' ? undefined : 'dns-firewall-managed-domain-lists',
});
const managed = (Id, Name) => ({ Id, Name, ManagedOwnerName: 'Route 53 Resolver DNS Firewall' });

beforeEach(() => {
  mock.reset();
  time = clock();
  h.sleep = time.sleep;
  // The account's own list of the same name comes first; the managed
  // lists are on later pages, one page empty.
  mock.on(r53r.ListFirewallDomainListsCommand).resolves({ FirewallDomainLists: [{ Id: 'rslvr-fdl-own', Name: names[0] }], NextToken: 'p2' });
  mock.on(r53r.ListFirewallDomainListsCommand, { NextToken: 'p2' }).resolves({ FirewallDomainLists: [], NextToken: 'p3' });
  mock.on(r53r.ListFirewallDomainListsCommand, { NextToken: 'p3' }).resolves({
    FirewallDomainLists: [managed('rslvr-fdl-1', names[0]), managed('rslvr-fdl-2', names[1]), managed('rslvr-fdl-3', 'AWSManagedDomainsAggregateThreatList')],
  });
});
afterEach(() => checkInputs(mock, pkg));

test('create returns the managed lists by name, across every page, never the account\'s own', async () => {
  const out = await h.handler(event('Create', names));
  assert.deepEqual(out, { PhysicalResourceId: 'dns-firewall-managed-domain-lists', Data: { [names[0]]: 'rslvr-fdl-1', [names[1]]: 'rslvr-fdl-2' } });
  assert.deepEqual(inputs(mock, r53r.ListFirewallDomainListsCommand).map((i) => i.NextToken), [undefined, 'p2', 'p3']);
  assert.ok(inputs(mock, r53r.ListFirewallDomainListsCommand).every((i) => i.MaxResults === 100));
});

test('update with another list looks them up again; a re-run returns the same IDs', async () => {
  const first = await h.handler(event('Update', ['AWSManagedDomainsAggregateThreatList'], names));
  const again = await h.handler(event('Update', ['AWSManagedDomainsAggregateThreatList'], ['AWSManagedDomainsAggregateThreatList']));
  assert.deepEqual(first, again);
  assert.deepEqual(first.Data, { AWSManagedDomainsAggregateThreatList: 'rslvr-fdl-3' });
});

test('a list missing in the region fails naming it', async () => {
  await assert.rejects(h.handler(event('Create', [...names, 'AWSManagedDomainsAmazonGuardDutyThreatList'])),
    /not found in this region: AWSManagedDomainsAmazonGuardDutyThreatList$/);
});

test('throttling is retried with backoff, then reported', async () => {
  mock.on(r53r.ListFirewallDomainListsCommand).rejectsOnce(serviceError(pkg, 'ThrottlingException')).resolves({ FirewallDomainLists: [managed('a', names[0])] });
  await h.handler(event('Create', [names[0]]));
  assert.deepEqual(time.sleeps, [2000]);
  mock.on(r53r.ListFirewallDomainListsCommand).rejects(serviceError(pkg, 'ThrottlingException', 'slow'));
  await assert.rejects(h.handler(event('Create', names)), /^Error: ListFirewallDomainLists in .*: ThrottlingException: slow$/);
});

for (const code of documentedErrors(pkg, r53r.ListFirewallDomainListsCommand).filter((c) => c !== 'ThrottlingException')) {
  test(`ListFirewallDomainLists ${code} fails at once, naming the call`, async () => {
    mock.on(r53r.ListFirewallDomainListsCommand).rejects(serviceError(pkg, code, 'no'));
    await assert.rejects(h.handler(event('Create', names)), new RegExp(`^Error: ListFirewallDomainLists in .*: ${code}: no$`));
    // An access denial is retried a few times: a new role propagating.
    assert.equal(mock.calls().length, code === 'AccessDeniedException' ? 6 : 1);
  });
}

test('delete changes nothing', async () => {
  assert.deepEqual(await h.handler(event('Delete', names)), { PhysicalResourceId: 'dns-firewall-managed-domain-lists' });
  assert.equal(mock.calls().length, 0);
});

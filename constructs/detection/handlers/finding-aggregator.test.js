// Tests of finding-aggregator.js with a mocked Security Hub client.
'use strict';

process.env.AWS_REGION = 'eu-west-1';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const sh = require('@aws-sdk/client-securityhub');
const { clock, serviceError, checkInputs, inputs, documentedErrors } = require('../../internal/handlertest/handlertest');
const h = require('./finding-aggregator');

const pkg = '@aws-sdk/client-securityhub';
const mock = mockClient(sh.SecurityHubClient);
let time;

const arn = (region = 'eu-west-1') => `arn:aws:securityhub:${region}:123456789012:finding-aggregator/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`;
const event = (RequestType) => ({
  RequestType,
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:x' },
  PhysicalResourceId: RequestType === 'Create' ? undefined : 'securityhub-finding-aggregator',
});
const done = { PhysicalResourceId: 'securityhub-finding-aggregator' };

beforeEach(() => {
  mock.reset();
  time = clock();
  h.sleep = time.sleep;
  mock.on(sh.ListFindingAggregatorsCommand).resolves({ FindingAggregators: [] });
  mock.on(sh.CreateFindingAggregatorCommand).resolves({ FindingAggregatorArn: arn(), RegionLinkingMode: 'NO_REGIONS' });
  mock.on(sh.UpdateFindingAggregatorCommand).resolves({ FindingAggregatorArn: arn(), RegionLinkingMode: 'NO_REGIONS' });
});
afterEach(() => checkInputs(mock, pkg));

test('an account without an aggregator gets one that links no region', async () => {
  assert.deepEqual(await h.handler(event('Create'), time.context()), done);
  assert.deepEqual(inputs(mock, sh.ListFindingAggregatorsCommand), [{}]);
  assert.deepEqual(inputs(mock, sh.CreateFindingAggregatorCommand), [{ RegionLinkingMode: 'NO_REGIONS' }]);
  assert.equal(mock.commandCalls(sh.UpdateFindingAggregatorCommand).length, 0);
});

test('an existing aggregator, on a later page, is set to link no region rather than a second created', async () => {
  mock.on(sh.ListFindingAggregatorsCommand)
    .resolvesOnce({ FindingAggregators: [], NextToken: 't1' })
    .resolves({ FindingAggregators: [{ FindingAggregatorArn: arn() }] });
  assert.deepEqual(await h.handler(event('Create'), time.context()), done);
  assert.deepEqual(inputs(mock, sh.ListFindingAggregatorsCommand), [{}, { NextToken: 't1' }]);
  assert.deepEqual(inputs(mock, sh.UpdateFindingAggregatorCommand), [{ FindingAggregatorArn: arn(), RegionLinkingMode: 'NO_REGIONS' }]);
  assert.equal(mock.commandCalls(sh.CreateFindingAggregatorCommand).length, 0);
});

test('a re-run and an update find the aggregator the first run created and set the same mode', async () => {
  await h.handler(event('Create'), time.context());
  mock.on(sh.ListFindingAggregatorsCommand).resolves({ FindingAggregators: [{ FindingAggregatorArn: arn() }] });
  await h.handler(event('Create'), time.context());
  await h.handler(event('Update'), time.context());
  assert.equal(mock.commandCalls(sh.CreateFindingAggregatorCommand).length, 1);
  assert.deepEqual(inputs(mock, sh.UpdateFindingAggregatorCommand), [
    { FindingAggregatorArn: arn(), RegionLinkingMode: 'NO_REGIONS' }, { FindingAggregatorArn: arn(), RegionLinkingMode: 'NO_REGIONS' },
  ]);
});

test('an aggregator whose home is another region fails, naming both regions', async () => {
  mock.on(sh.ListFindingAggregatorsCommand).resolves({ FindingAggregators: [{ FindingAggregatorArn: arn('us-east-1') }] });
  await assert.rejects(h.handler(event('Create'), time.context()),
    /finding aggregator arn:aws:securityhub:us-east-1:.* has its home Region in us-east-1, not eu-west-1/);
  assert.equal(mock.commandCalls(sh.UpdateFindingAggregatorCommand).length, 0);
  assert.equal(mock.commandCalls(sh.CreateFindingAggregatorCommand).length, 0);
});

test('delete leaves the aggregator: central configuration depends on it', async () => {
  assert.deepEqual(await h.handler(event('Delete'), time.context()), done);
  assert.equal(mock.calls().length, 0);
});

test('throttling and internal errors are retried while time remains', async () => {
  mock.on(sh.ListFindingAggregatorsCommand)
    .rejectsOnce(serviceError(pkg, 'InternalException'))
    .rejectsOnce(Object.assign(serviceError(pkg, 'TooManyRequestsException', 'slow'), { $retryable: { throttling: true } }))
    .resolves({ FindingAggregators: [] });
  mock.on(sh.CreateFindingAggregatorCommand)
    .rejectsOnce(serviceError(pkg, 'LimitExceededException', 'rate'))
    .resolves({});
  assert.deepEqual(await h.handler(event('Create'), time.context()), done);
  assert.equal(mock.commandCalls(sh.ListFindingAggregatorsCommand).length, 3);
  assert.equal(mock.commandCalls(sh.CreateFindingAggregatorCommand).length, 2);
  assert.deepEqual(time.sleeps, [5000, 5000, 5000]);
});

test('throttling that lasts fails when the time is nearly up, naming the call and region', async () => {
  mock.on(sh.ListFindingAggregatorsCommand).rejects(serviceError(pkg, 'InternalException', 'down'));
  time = clock(60000);
  h.sleep = time.sleep;
  await assert.rejects(h.handler(event('Create'), time.context()),
    /^Error: ListFindingAggregators NO_REGIONS in eu-west-1: InternalException: down$/);
  assert.equal(mock.commandCalls(sh.ListFindingAggregatorsCommand).length, 10);
});

// Every other documented error fails, naming the call, region and code; an
// access denial (a new role propagating) and a limit (Security Hub's
// throttling too) are retried a few times first.
const retried = ['InternalException'];
const briefly = ['AccessDeniedException', 'LimitExceededException'];
for (const [Command, existing] of [[sh.ListFindingAggregatorsCommand, false], [sh.CreateFindingAggregatorCommand, false], [sh.UpdateFindingAggregatorCommand, true]]) {
  for (const code of documentedErrors(pkg, Command).filter((c) => !retried.includes(c))) {
    const op = Command.name.replace(/Command$/, '');
    test(`${op} ${code} fails`, async () => {
      if (existing) mock.on(sh.ListFindingAggregatorsCommand).resolves({ FindingAggregators: [{ FindingAggregatorArn: arn() }] });
      mock.on(Command).rejects(serviceError(pkg, code, 'no'));
      await assert.rejects(h.handler(event('Create'), time.context()), new RegExp(`^Error: ${op} NO_REGIONS in eu-west-1: ${code}: no$`));
      assert.equal(mock.commandCalls(Command).length, briefly.includes(code) ? 8 : 1);
    });
  }
}

test('the tests cover every documented error of the calls', () => {
  assert.deepEqual(documentedErrors(pkg, sh.ListFindingAggregatorsCommand).sort(),
    ['AccessDeniedException', 'InternalException', 'InvalidAccessException', 'InvalidInputException', 'LimitExceededException']);
  assert.ok(documentedErrors(pkg, sh.UpdateFindingAggregatorCommand).includes('ResourceNotFoundException'));
});

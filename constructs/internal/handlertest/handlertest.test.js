// The input check must catch what it is there to catch: a required member
// missing (Detective's Account.EmailAddress), a member the shape does not
// have, a value outside an enum.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const detective = require('@aws-sdk/client-detective');
const inspector = require('@aws-sdk/client-inspector2');
const { checkInputs, documentedErrors, serviceError, clock } = require('./handlertest');

test('a missing required member, an unknown member and a bad enum value are reported', async () => {
  const d = mockClient(detective.DetectiveClient);
  d.on(detective.CreateMembersCommand).resolves({});
  await new detective.DetectiveClient({}).send(new detective.CreateMembersCommand({ GraphArn: 'g', Accounts: [{ AccountId: '111111111111' }] }));
  assert.throws(() => checkInputs(d, '@aws-sdk/client-detective'), /CreateMembers\.Accounts\[0\]\.EmailAddress: required by Account/);
  d.reset();
  await new detective.DetectiveClient({}).send(new detective.CreateMembersCommand({ GraphArn: 'g', Accounts: [], Typo: 1 }));
  assert.throws(() => checkInputs(d, '@aws-sdk/client-detective'), /CreateMembers\.Typo: not a member of CreateMembersRequest/);
  d.restore();

  const i = mockClient(inspector.Inspector2Client);
  i.on(inspector.EnableCommand).resolves({});
  await new inspector.Inspector2Client({}).send(new inspector.EnableCommand({ resourceTypes: ['EC2', 'LAMBDA_LAYER'] }));
  assert.throws(() => checkInputs(i, '@aws-sdk/client-inspector2'), /Enable\.resourceTypes\[1\]: "LAMBDA_LAYER" is not a ResourceScanType/);
  i.reset();
  await new inspector.Inspector2Client({}).send(new inspector.EnableCommand({ resourceTypes: ['EC2', 'LAMBDA_CODE'] }));
  checkInputs(i, '@aws-sdk/client-inspector2');
  i.restore();
});

test('documented errors come from the SDK model, without the base exception', () => {
  const codes = documentedErrors('@aws-sdk/client-inspector2', inspector.EnableCommand);
  assert.ok(codes.includes('AccessDeniedException') && codes.includes('ThrottlingException'));
  assert.ok(!codes.includes('Inspector2ServiceException'));
});

test('service errors carry their code as name; the clock never waits and stops runaway loops', async () => {
  const e = serviceError('@aws-sdk/client-inspector2', 'ThrottlingException', 'slow');
  assert.equal(e.name, 'ThrottlingException');
  assert.equal(e.message, 'slow');
  const c = clock(1000);
  await c.sleep(400);
  assert.equal(c.context().getRemainingTimeInMillis(), 600);
  await assert.rejects(async () => { for (;;) await c.sleep(1); }, /a loop without end/);
});

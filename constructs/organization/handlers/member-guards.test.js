// Tests of member-guards.js, the inline guard function of the member
// baseline, with mocked SDK clients and the CloudFormation response captured.
'use strict';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { mockClient } = require('aws-sdk-client-mock');
const s3control = require('@aws-sdk/client-s3-control');
const ec2 = require('@aws-sdk/client-ec2');
const iam = require('@aws-sdk/client-iam');
const { clock, serviceError, checkInputs, inputs } = require('../../internal/handlertest/handlertest');
const h = require('./member-guards');

const account = '123456789012';
const key = `arn:aws:kms:eu-west-1:${account}:key/11111111-2222-3333-4444-555555555555`;
const policy = { MinimumPasswordLength: 14, RequireSymbols: true, PasswordReusePrevention: 24 };
const mocks = { s3: mockClient(s3control.S3ControlClient), ec2: mockClient(ec2.EC2Client), iam: mockClient(iam.IAMClient) };
const context = { invokedFunctionArn: `arn:aws:lambda:eu-west-1:${account}:function:guard` };
let responses;
let time;

const event = (RequestType, props) => ({
  RequestType,
  ResponseURL: 'https://cloudformation-response.example/x',
  StackId: 'stack', RequestId: 'req', LogicalResourceId: 'Guard',
  ResourceProperties: props,
});
const response = () => JSON.parse(responses[responses.length - 1].body);

beforeEach(() => {
  for (const m of Object.values(mocks)) m.reset();
  mocks.s3.on(s3control.PutPublicAccessBlockCommand).resolves({});
  mocks.ec2.on(ec2.ModifyEbsDefaultKmsKeyIdCommand).resolves({ KmsKeyId: key });
  mocks.ec2.on(ec2.EnableEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
  mocks.iam.on(iam.UpdateAccountPasswordPolicyCommand).resolves({});
  responses = [];
  h.put = async (url, body) => { responses.push({ url, body }); };
  time = clock();
  h.sleep = time.sleep;
  process.env.EBS_KEY_ARN = key;
  process.env.PASSWORD_POLICY = JSON.stringify(policy);
});
afterEach(() => {
  delete process.env.EBS_KEY_ARN;
  delete process.env.PASSWORD_POLICY;
  checkInputs(mocks.s3, '@aws-sdk/client-s3-control');
  checkInputs(mocks.ec2, '@aws-sdk/client-ec2');
  checkInputs(mocks.iam, '@aws-sdk/client-iam');
});

test('the inline code stays well under the 4096-byte limit', () => {
  assert.ok(fs.statSync(path.join(__dirname, 'member-guards.js')).size <= 3500);
});

test('s3: blocks public access for its own account, on create, update and re-run', async () => {
  for (const type of ['Create', 'Update', 'Update']) {
    await h.handler(event(type, { Guard: 's3', AccountId: '999999999999' }), context);
    assert.equal(response().Status, 'SUCCESS');
  }
  assert.deepEqual(inputs(mocks.s3, s3control.PutPublicAccessBlockCommand)[0], {
    AccountId: account,
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  });
  assert.equal(mocks.s3.calls().length, 3);
  assert.deepEqual(response(), {
    Status: 'SUCCESS', Reason: 'done', PhysicalResourceId: 'guard-s3', StackId: 'stack', RequestId: 'req', LogicalResourceId: 'Guard',
  });
  assert.equal(responses[0].url, 'https://cloudformation-response.example/x');
});

test('ebs: sets the key of its own configuration, whatever the event says', async () => {
  await h.handler(event('Create', { Guard: 'ebs', KeyArn: 'arn:aws:kms:eu-west-1:666666666666:key/attacker' }), context);
  assert.equal(response().Status, 'SUCCESS');
  assert.deepEqual(inputs(mocks.ec2, ec2.ModifyEbsDefaultKmsKeyIdCommand), [{ KmsKeyId: key }]);
  assert.equal(mocks.ec2.commandCalls(ec2.EnableEbsEncryptionByDefaultCommand).length, 1);
});

test('ebs: a configured key outside the account, partition or region is refused before any call', async () => {
  for (const other of [
    'arn:aws:kms:eu-west-1:666666666666:key/1', 'arn:aws-cn:kms:eu-west-1:123456789012:key/1',
    'arn:aws:kms:us-east-1:123456789012:key/1', 'arn:aws:kms:eu-west-1:123456789012:alias/x', '', undefined,
  ]) {
    if (other === undefined) delete process.env.EBS_KEY_ARN; else process.env.EBS_KEY_ARN = other;
    await h.handler(event('Update', { Guard: 'ebs', KeyArn: key }), context);
    assert.equal(response().Status, 'FAILED', String(other));
    assert.match(response().Reason, /^ebs: Error: EBS_KEY_ARN .* is not a key of 123456789012 in eu-west-1$/);
  }
  assert.equal(mocks.ec2.calls().length, 0);
});

test('password: applies the policy of its own configuration, whatever the event says', async () => {
  await h.handler(event('Update', { Guard: 'password', Policy: '{"MinimumPasswordLength":6}' }), context);
  assert.equal(response().Status, 'SUCCESS');
  assert.deepEqual(inputs(mocks.iam, iam.UpdateAccountPasswordPolicyCommand), [policy]);
});

test('delete leaves every guard on', async () => {
  for (const Guard of ['s3', 'ebs', 'password']) {
    await h.handler(event('Delete', { Guard }), context);
    assert.deepEqual([response().Status, response().PhysicalResourceId], ['SUCCESS', `guard-${Guard}`]);
  }
  for (const m of Object.values(mocks)) assert.equal(m.calls().length, 0);
});

// Documented errors become a FAILED response naming the guard and the
// error: CloudFormation then rolls the stack instance back. Denials and
// throttling are retried first (six attempts): IAM may not have propagated
// the new role yet.
for (const [Guard, mock, pkg, Command, code] of [
  ['s3', 's3', '@aws-sdk/client-s3-control', s3control.PutPublicAccessBlockCommand, 'AccessDenied'],
  ['ebs', 'ec2', '@aws-sdk/client-ec2', ec2.ModifyEbsDefaultKmsKeyIdCommand, 'InvalidParameterValue'],
  ['ebs', 'ec2', '@aws-sdk/client-ec2', ec2.ModifyEbsDefaultKmsKeyIdCommand, 'RequestLimitExceeded'],
  ['ebs', 'ec2', '@aws-sdk/client-ec2', ec2.EnableEbsEncryptionByDefaultCommand, 'UnauthorizedOperation'],
  ['password', 'iam', '@aws-sdk/client-iam', iam.UpdateAccountPasswordPolicyCommand, 'AccessDenied'],
  ['password', 'iam', '@aws-sdk/client-iam', iam.UpdateAccountPasswordPolicyCommand, 'MalformedPolicyDocumentException'],
  ['password', 'iam', '@aws-sdk/client-iam', iam.UpdateAccountPasswordPolicyCommand, 'LimitExceededException'],
  ['password', 'iam', '@aws-sdk/client-iam', iam.UpdateAccountPasswordPolicyCommand, 'NoSuchEntityException'],
  ['password', 'iam', '@aws-sdk/client-iam', iam.UpdateAccountPasswordPolicyCommand, 'ServiceFailureException'],
  ['password', 'iam', '@aws-sdk/client-iam', iam.UpdateAccountPasswordPolicyCommand, 'Throttling'],
]) {
  test(`${Guard}: ${Command.name} ${code} is reported as FAILED`, async () => {
    mocks[mock].on(Command).rejects(serviceError(pkg, code, 'refused'));
    await h.handler(event('Create', { Guard }), context);
    assert.equal(response().Status, 'FAILED');
    assert.equal(response().Reason, `${Guard}: ${code}: refused`);
    const retried = ['AccessDenied', 'UnauthorizedOperation', 'Throttling', 'RequestLimitExceeded'].includes(code);
    assert.equal(mocks[mock].commandCalls(Command).length, retried ? 6 : 1);
  });
}

test('a denial while the new role propagates is retried, then the guard is set', async () => {
  mocks.s3.on(s3control.PutPublicAccessBlockCommand).rejectsOnce(serviceError('@aws-sdk/client-s3-control', 'AccessDenied')).resolves({});
  await h.handler(event('Create', { Guard: 's3' }), context);
  assert.equal(response().Status, 'SUCCESS');
  assert.deepEqual(time.sleeps, [2000]);
});

test('a response that cannot be sent fails the invocation', async () => {
  h.put = async () => { throw new Error('connection reset'); };
  await assert.rejects(h.handler(event('Create', { Guard: 's3' }), context), /connection reset/);
});

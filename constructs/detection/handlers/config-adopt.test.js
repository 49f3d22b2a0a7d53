// Tests of config-adopt.js with a mocked AWS Config client.
'use strict';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const cfg = require('@aws-sdk/client-config-service');
const { clock, serviceError, checkInputs, inputs, documentedErrors } = require('../../internal/handlertest/handlertest');
const h = require('./config-adopt');

const pkg = '@aws-sdk/client-config-service';
const mock = mockClient(cfg.ConfigServiceClient);
let time;

const role = 'arn:aws:iam::123456789012:role/mamori-detection-ConfigRole';
const key = 'arn:aws:kms:eu-west-1:123456789012:key/0000';
// As CloudFormation hands them over: booleans as strings.
const props = (over = {}) => ({
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:x',
  RoleArn: role,
  RecordingGroup: { allSupported: 'true', includeGlobalResourceTypes: 'false' },
  RecordingFrequency: 'CONTINUOUS',
  BucketName: 'mamori-config-bucket',
  KmsKeyArn: key,
  DeliveryFrequency: 'TwentyFour_Hours',
  ...over,
});
const event = (RequestType, p = props()) => ({
  RequestType, ResourceProperties: p, PhysicalResourceId: RequestType === 'Create' ? undefined : 'config-recorder-adoption',
});
const recorder = (name, extra = {}) => ({
  name, roleARN: 'arn:aws:iam::123456789012:role/their-role', recordingGroup: { allSupported: true, includeGlobalResourceTypes: true }, ...extra,
});
// What every adoption sends for a recorder and channel of these names.
const wantRecorder = (name, group = { allSupported: true, includeGlobalResourceTypes: false }) => ({
  ConfigurationRecorder: { name, roleARN: role, recordingGroup: group, recordingMode: { recordingFrequency: 'CONTINUOUS' } },
});
const wantChannel = (name, extra = {}) => ({
  DeliveryChannel: {
    name, s3BucketName: 'mamori-config-bucket', s3KmsKeyArn: key, configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' }, ...extra,
  },
});

beforeEach(() => {
  mock.reset();
  time = clock();
  h.sleep = time.sleep;
  mock.on(cfg.DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [] });
  mock.on(cfg.DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [] });
  mock.on(cfg.PutConfigurationRecorderCommand).resolves({});
  mock.on(cfg.PutDeliveryChannelCommand).resolves({});
  mock.on(cfg.StartConfigurationRecorderCommand).resolves({});
});
afterEach(() => checkInputs(mock, pkg));

test('an account without a recorder gets one named default, with a default channel, started', async () => {
  const out = await h.handler(event('Create'), time.context());
  assert.deepEqual(out, { PhysicalResourceId: 'config-recorder-adoption', Data: { RecorderName: 'default', ChannelName: 'default' } });
  assert.deepEqual(inputs(mock, cfg.PutConfigurationRecorderCommand), [wantRecorder('default')]);
  assert.deepEqual(inputs(mock, cfg.PutDeliveryChannelCommand), [wantChannel('default')]);
  assert.deepEqual(inputs(mock, cfg.StartConfigurationRecorderCommand), [{ ConfigurationRecorderName: 'default' }]);
  // Everything is read before anything changes; the recorder exists before
  // its channel, and the channel before the start.
  const order = mock.calls().map((c) => c.args[0].constructor.name);
  assert.deepEqual(order, ['DescribeConfigurationRecordersCommand', 'DescribeDeliveryChannelsCommand',
    'PutConfigurationRecorderCommand', 'PutDeliveryChannelCommand', 'StartConfigurationRecorderCommand']);
  assert.equal(time.sleeps.length, 0);
});

test('an existing default recorder and channel converge on mamori role, group, bucket, key and frequency', async () => {
  mock.on(cfg.DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [recorder('default', { recordingMode: { recordingFrequency: 'DAILY' } })] });
  mock.on(cfg.DescribeDeliveryChannelsCommand).resolves({
    DeliveryChannels: [{ name: 'default', s3BucketName: 'their-bucket', configSnapshotDeliveryProperties: { deliveryFrequency: 'One_Hour' } }],
  });
  await h.handler(event('Create'), time.context());
  assert.deepEqual(inputs(mock, cfg.PutConfigurationRecorderCommand), [wantRecorder('default')]);
  assert.deepEqual(inputs(mock, cfg.PutDeliveryChannelCommand), [wantChannel('default')]);
});

test('a recorder of another name keeps it; a service-linked recorder is left alone', async () => {
  mock.on(cfg.DescribeConfigurationRecordersCommand).resolves({
    ConfigurationRecorders: [
      recorder('AWSConfigurationRecorderForSecurityHub', { servicePrincipal: 'securityhub.amazonaws.com' }),
      recorder('platform-recorder'),
    ],
  });
  mock.on(cfg.DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [{ name: 'platform-channel', s3BucketName: 'their-bucket' }] });
  const out = await h.handler(event('Create'), time.context());
  assert.deepEqual(out.Data, { RecorderName: 'platform-recorder', ChannelName: 'platform-channel' });
  assert.deepEqual(inputs(mock, cfg.PutConfigurationRecorderCommand), [wantRecorder('platform-recorder')]);
  assert.deepEqual(inputs(mock, cfg.PutDeliveryChannelCommand), [wantChannel('platform-channel')]);
  assert.deepEqual(inputs(mock, cfg.StartConfigurationRecorderCommand), [{ ConfigurationRecorderName: 'platform-recorder' }]);
});

test('an existing channel keeps its SNS topic', async () => {
  const topic = 'arn:aws:sns:eu-west-1:123456789012:config-changes';
  mock.on(cfg.DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [{ name: 'default', s3BucketName: 'their-bucket', snsTopicARN: topic }] });
  await h.handler(event('Create'), time.context());
  assert.deepEqual(inputs(mock, cfg.PutDeliveryChannelCommand), [wantChannel('default', { snsTopicARN: topic })]);
});

test('an existing channel with a key prefix is refused before anything changes', async () => {
  mock.on(cfg.DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [{ name: 'default', s3BucketName: 'their-bucket', s3KeyPrefix: 'config' }] });
  await assert.rejects(h.handler(event('Create'), time.context()), /delivery channel default in .* delivers under key prefix config/);
  assert.equal(mock.commandCalls(cfg.PutConfigurationRecorderCommand).length, 0, "the recorder keeps its own role and settings");
  assert.equal(mock.commandCalls(cfg.PutDeliveryChannelCommand).length, 0);
  assert.equal(mock.commandCalls(cfg.StartConfigurationRecorderCommand).length, 0);
});

test("Control Tower's recorder is refused before anything changes", async () => {
  mock.on(cfg.DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [recorder('aws-controltower-BaselineConfigRecorder')] });
  await assert.rejects(h.handler(event('Create'), time.context()), /belongs to AWS Control Tower.*existing: leave/);
  assert.equal(mock.commandCalls(cfg.PutConfigurationRecorderCommand).length, 0);
});

test('an exclusion list and daily recording reach the recorder as the API takes them', async () => {
  const group = {
    allSupported: 'false',
    recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
    exclusionByResourceTypes: { resourceTypes: ['AWS::EC2::NetworkInterface', 'AWS::IAM::Role'] },
  };
  await h.handler(event('Update', props({ RecordingGroup: group, RecordingFrequency: 'DAILY' })), time.context());
  assert.deepEqual(inputs(mock, cfg.PutConfigurationRecorderCommand), [{
    ConfigurationRecorder: {
      name: 'default',
      roleARN: role,
      recordingGroup: { allSupported: false, recordingStrategy: group.recordingStrategy, exclusionByResourceTypes: group.exclusionByResourceTypes },
      recordingMode: { recordingFrequency: 'DAILY' },
    },
  }]);
});

test('a re-run on an adopted account sends the same settings again', async () => {
  mock.on(cfg.DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [{ ...wantRecorder('default').ConfigurationRecorder }] });
  mock.on(cfg.DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [{ ...wantChannel('default').DeliveryChannel }] });
  const first = await h.handler(event('Create'), time.context());
  const second = await h.handler(event('Update'), time.context());
  assert.deepEqual(first, second);
  const [a, b] = inputs(mock, cfg.PutConfigurationRecorderCommand);
  assert.deepEqual(a, b);
  assert.deepEqual(a, wantRecorder('default'));
  const [c, d] = inputs(mock, cfg.PutDeliveryChannelCommand);
  assert.deepEqual(c, d);
  assert.deepEqual(c, wantChannel('default'));
});

test('delete leaves the recorder and channel running', async () => {
  const out = await h.handler(event('Delete'), time.context());
  assert.deepEqual(out, { PhysicalResourceId: 'config-recorder-adoption' });
  assert.equal(mock.calls().length, 0);
});

test('throttling is retried while time remains', async () => {
  mock.on(cfg.DescribeConfigurationRecordersCommand)
    .rejectsOnce(serviceError(pkg, 'ThrottlingException'))
    .resolves({ ConfigurationRecorders: [] });
  mock.on(cfg.PutDeliveryChannelCommand)
    .rejectsOnce(serviceError(pkg, 'ThrottlingException'))
    .rejectsOnce(serviceError(pkg, 'ThrottlingException'))
    .resolves({});
  await h.handler(event('Create'), time.context());
  assert.equal(mock.commandCalls(cfg.DescribeConfigurationRecordersCommand).length, 2);
  assert.equal(mock.commandCalls(cfg.PutDeliveryChannelCommand).length, 3);
  assert.deepEqual(time.sleeps, [5000, 5000, 5000]);
});

test('throttling that lasts fails when the time is nearly up, naming the call', async () => {
  mock.on(cfg.PutConfigurationRecorderCommand).rejects(serviceError(pkg, 'ThrottlingException', 'slow'));
  time = clock(60000);
  h.sleep = time.sleep;
  await assert.rejects(h.handler(event('Create'), time.context()), /^Error: PutConfigurationRecorder in .*: ThrottlingException: slow$/);
  assert.equal(mock.commandCalls(cfg.PutConfigurationRecorderCommand).length, 10);
});

test('roles and policies still propagating are retried a few times', async () => {
  mock.on(cfg.DescribeConfigurationRecordersCommand).rejectsOnce(serviceError(pkg, 'AccessDeniedException')).resolves({ ConfigurationRecorders: [] });
  mock.on(cfg.PutConfigurationRecorderCommand).rejectsOnce(serviceError(pkg, 'InvalidRoleException')).resolves({});
  mock.on(cfg.PutDeliveryChannelCommand).rejectsOnce(serviceError(pkg, 'InsufficientDeliveryPolicyException')).resolves({});
  await h.handler(event('Create'), time.context());
  assert.equal(mock.commandCalls(cfg.PutDeliveryChannelCommand).length, 2);
  assert.deepEqual(time.sleeps, [5000, 5000, 5000]);
});

test('an access denial that lasts fails after a few attempts, naming the call', async () => {
  mock.on(cfg.DescribeConfigurationRecordersCommand).rejects(serviceError(pkg, 'AccessDeniedException', 'not authorized'));
  await assert.rejects(h.handler(event('Create'), time.context()),
    /^Error: DescribeConfigurationRecorders in .*: AccessDeniedException: not authorized$/);
  assert.equal(mock.commandCalls(cfg.DescribeConfigurationRecordersCommand).length, 8);
  assert.equal(mock.commandCalls(cfg.PutConfigurationRecorderCommand).length, 0);
});

// Every documented error of every call fails, naming the call and the code:
// at once, or after a few attempts for those a new role or policy gives.
const retried = ['InvalidRoleException', 'InsufficientDeliveryPolicyException'];
for (const Command of [cfg.DescribeConfigurationRecordersCommand, cfg.PutConfigurationRecorderCommand, cfg.DescribeDeliveryChannelsCommand,
  cfg.PutDeliveryChannelCommand, cfg.StartConfigurationRecorderCommand]) {
  for (const code of documentedErrors(pkg, Command)) {
    const op = Command.name.replace(/Command$/, '');
    test(`${op} ${code} fails${retried.includes(code) ? ' after a few attempts' : ' at once'}`, async () => {
      mock.on(Command).rejects(serviceError(pkg, code, 'no'));
      await assert.rejects(h.handler(event('Create'), time.context()), new RegExp(`^Error: ${op} in .*: ${code}: no$`));
      assert.equal(mock.commandCalls(Command).length, retried.includes(code) ? 8 : 1);
    });
  }
}

test('the documented errors include the ones the handler names', () => {
  assert.ok(documentedErrors(pkg, cfg.PutConfigurationRecorderCommand).includes('InvalidRoleException'));
  assert.ok(documentedErrors(pkg, cfg.PutConfigurationRecorderCommand).includes('MaxNumberOfConfigurationRecordersExceededException'));
  assert.ok(documentedErrors(pkg, cfg.PutDeliveryChannelCommand).includes('InsufficientDeliveryPolicyException'));
  assert.ok(documentedErrors(pkg, cfg.PutDeliveryChannelCommand).includes('NoAvailableConfigurationRecorderException'));
  assert.ok(documentedErrors(pkg, cfg.StartConfigurationRecorderCommand).includes('NoAvailableDeliveryChannelException'));
});

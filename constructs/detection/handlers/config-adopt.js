// Adopts the account's AWS Config recorder and delivery channel in this
// region (detection.config.existing: adopt). CloudFormation cannot import
// AWS::Config::ConfigurationRecorder or AWS::Config::DeliveryChannel, so the
// existing ones are updated in place through the API instead: their settings
// converge on the config and nothing is deleted or recreated.
//
// Create and Update: the customer managed recorder (service-linked recorders
// belong to other AWS services and are left alone) keeps its name, since a
// recorder cannot be renamed; without one, the recorder is created as
// "default", the name AWS Config itself gives. It gets mamori's role,
// recording group and recording mode; the delivery channel (or a new
// "default" one) gets mamori's bucket, KMS key and snapshot frequency; then
// the recorder is started. A re-run finds everything already so and sends
// the same settings again. An existing channel's SNS topic is kept (the
// API keeps a topic it is not given anyway); an existing S3 key prefix is
// refused, since mamori's bucket accepts AWS Config's objects only under
// AWSLogs/<account>/Config/. A recorder Control Tower manages is refused:
// its mandatory control AWS-GR_CONFIG_CHANGE_PROHIBITED denies changes to it
// (existing: leave is the choice for it).
//
// Delete changes nothing: the recorder keeps recording into mamori's bucket
// with mamori's role, which the stack retains in adopt mode. That holds for
// the rollback of a failed first deploy too: the recorder's earlier role,
// bucket and settings are not restored. Every refusal above comes before
// the first change, so a refused adoption changes nothing.
//
// Runs as a Lambda asset under the CDK provider framework, which reports the
// result (or a thrown error) to CloudFormation.
// https://docs.aws.amazon.com/config/latest/APIReference/API_PutConfigurationRecorder.html
// https://docs.aws.amazon.com/config/latest/APIReference/API_PutDeliveryChannel.html
'use strict';

const {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand, PutConfigurationRecorderCommand, StartConfigurationRecorderCommand,
  DescribeDeliveryChannelsCommand, PutDeliveryChannelCommand,
} = require('@aws-sdk/client-config-service');

const client = new ConfigServiceClient({});
const physicalResourceId = 'config-recorder-adoption';
// The name AWS Config gives a recorder or channel created without one; a
// recorder's name cannot be changed in place.
// https://docs.aws.amazon.com/config/latest/developerguide/managing-recorder_console-rename.html
const defaultName = 'default';

// Waits between retries; tests replace it so nothing really waits.
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Throttling is worth another attempt while time remains.
const throttled = (e) => (e.$retryable && e.$retryable.throttling) || e.name === 'ThrottlingException';
// Errors a role or bucket policy created moments ago with the stack gives
// until IAM has propagated it: the handler's own role (AccessDenied), the
// recorder's role not yet assumable by AWS Config (InvalidRoleException),
// and the delivery policy not yet in force (InsufficientDeliveryPolicy).
// Each is retried a few times only.
const propagating = ['AccessDeniedException', 'InvalidRoleException', 'InsufficientDeliveryPolicyException'];

// CloudFormation hands every property over as a string.
const bool = (v) => v === true || v === 'true';

// recordingGroup turns the RecordingGroup property back into the API's shape.
function recordingGroup(g) {
  const out = { allSupported: bool(g.allSupported) };
  if (g.includeGlobalResourceTypes !== undefined) out.includeGlobalResourceTypes = bool(g.includeGlobalResourceTypes);
  if (g.recordingStrategy) out.recordingStrategy = { useOnly: g.recordingStrategy.useOnly };
  if (g.exclusionByResourceTypes) out.exclusionByResourceTypes = { resourceTypes: [...g.exclusionByResourceTypes.resourceTypes] };
  return out;
}

exports.handler = async (event, context) => {
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId };
  }
  const p = event.ResourceProperties;
  const late = () => context.getRemainingTimeInMillis() < 20000;
  // send retries throttling while time remains and propagation errors a few
  // times, and names the call and region in any error it gives up on.
  const send = async (command) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await client.send(command);
      } catch (e) {
        const retry = throttled(e) || (propagating.includes(e.name) && attempt < 8);
        if (!retry || late()) {
          const op = command.constructor.name.replace(/Command$/, '');
          throw new Error(`${op} in ${process.env.AWS_REGION}: ${e.name}: ${e.message}`);
        }
        await exports.sleep(5000);
      }
    }
  };

  // Both are read, and every refusal made, before anything changes: a
  // refused adoption leaves the account's recorder and channel as they were.
  // Neither describe call pages: an account holds one customer managed
  // recorder and one delivery channel per region.
  // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationRecorders.html
  const { ConfigurationRecorders: recorders = [] } = await send(new DescribeConfigurationRecordersCommand({}));
  const existing = recorders.find((r) => !r.servicePrincipal);
  const name = (existing && existing.name) || defaultName;
  if (name.startsWith('aws-controltower-')) {
    throw new Error(`recorder ${name} in ${process.env.AWS_REGION} belongs to AWS Control Tower, whose controls deny changes to it: `
      + 'set detection.config.existing: leave');
  }
  const { DeliveryChannels: channels = [] } = await send(new DescribeDeliveryChannelsCommand({}));
  const channel = channels[0] || {};
  if (channel.s3KeyPrefix) {
    throw new Error(`delivery channel ${channel.name} in ${process.env.AWS_REGION} delivers under key prefix ${channel.s3KeyPrefix}; `
      + "mamori's bucket accepts AWS Config's objects only under AWSLogs/<account>/Config/: "
      + 'delete the channel (after stopping the recorder) and deploy again, or set detection.config.existing: leave');
  }

  // The recorder first: AWS Config creates a channel only for an existing
  // recorder (NoAvailableConfigurationRecorderException).
  await send(new PutConfigurationRecorderCommand({
    ConfigurationRecorder: {
      name,
      roleARN: p.RoleArn,
      recordingGroup: recordingGroup(p.RecordingGroup),
      recordingMode: { recordingFrequency: p.RecordingFrequency },
    },
  }));
  const delivery = {
    name: channel.name || defaultName,
    s3BucketName: p.BucketName,
    s3KmsKeyArn: p.KmsKeyArn,
    configSnapshotDeliveryProperties: { deliveryFrequency: p.DeliveryFrequency },
  };
  if (channel.snsTopicARN) delivery.snsTopicARN = channel.snsTopicARN;
  await send(new PutDeliveryChannelCommand({ DeliveryChannel: delivery }));

  // Started on every run: a recorder someone stopped records again.
  await send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: name }));
  return { PhysicalResourceId: physicalResourceId, Data: { RecorderName: name, ChannelName: delivery.name } };
};

// Enables Amazon Inspector scan types and waits until Inspector reports each
// of them ENABLED: Enable only starts enablement, and what follows (the ECR
// re-scan setting, CIS scan configurations) needs it finished.
// Runs under the CDK custom-resource provider framework, which reports the
// result (or a thrown error) to CloudFormation.
const {
  Inspector2Client, EnableCommand, DisableCommand, BatchGetAccountStatusCommand,
} = require('@aws-sdk/client-inspector2');

const client = new Inspector2Client({});
const physicalResourceId = 'inspector2-enablement';
// ResourceState field of each resource type.
const field = { EC2: 'ec2', ECR: 'ecr', LAMBDA: 'lambda', LAMBDA_CODE: 'lambdaCode' };

exports.handler = async (event, context) => {
  const types = event.ResourceProperties.ResourceTypes;
  if (event.RequestType === 'Delete') {
    if (String(event.ResourceProperties.DisableOnDelete) === 'true') {
      await client.send(new DisableCommand({ resourceTypes: types }));
    }
    return { PhysicalResourceId: physicalResourceId };
  }
  // An account that is already enabled comes back in failedAccounts with
  // ALREADY_ENABLED, not as an error; the status check below decides.
  await client.send(new EnableCommand({ resourceTypes: types }));
  for (;;) {
    const { accounts = [] } = await client.send(new BatchGetAccountStatusCommand({}));
    const state = (accounts[0] && accounts[0].resourceState) || {};
    const pending = types.filter((t) => (state[field[t]] || {}).status !== 'ENABLED');
    if (pending.length === 0) {
      return { PhysicalResourceId: physicalResourceId };
    }
    const failed = pending.filter((t) => ['DISABLED', 'SUSPENDED'].includes((state[field[t]] || {}).status)
      && (state[field[t]] || {}).errorCode && (state[field[t]] || {}).errorCode !== 'ENABLE_IN_PROGRESS');
    if (failed.length > 0) {
      const s = state[field[failed[0]]];
      throw new Error(`Inspector could not enable ${failed.join(', ')}: ${s.errorCode}: ${s.errorMessage}`);
    }
    if (context.getRemainingTimeInMillis() < 20000) {
      throw new Error(`Inspector did not finish enabling ${pending.join(', ')} in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
};

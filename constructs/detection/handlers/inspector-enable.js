// Enables Amazon Inspector scan types in this account and waits until
// Inspector reports each of them ENABLED: Enable only starts enablement, and
// what follows (the ECR re-scan setting, CIS scan configurations) needs it
// finished. Create and Update enable the types of the new properties (types
// left off are disabled by a separate call, DisableUnused); a re-run on an
// enabled account finds every type ENABLED at once. Delete disables the types
// only with DisableOnDelete. Runs as a Lambda asset under the CDK provider
// framework, which reports the result (or a thrown error) to CloudFormation.
'use strict';

const {
  Inspector2Client, EnableCommand, DisableCommand, BatchGetAccountStatusCommand,
} = require('@aws-sdk/client-inspector2');

const client = new Inspector2Client({});
const physicalResourceId = 'inspector2-enablement';
// ResourceState field of each resource type.
// https://docs.aws.amazon.com/inspector/v2/APIReference/API_ResourceState.html
const field = { EC2: 'ec2', ECR: 'ecr', LAMBDA: 'lambda', LAMBDA_CODE: 'lambdaCode' };

// Waits between polls and retries; tests replace it so nothing really waits.
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Errors worth another attempt while time remains: throttling, and
// Inspector's own faults while it sets up the account (its service-linked
// role is created by the first Enable).
const transient = (e) => (e.$retryable && e.$retryable.throttling)
  || ['ThrottlingException', 'InternalServerException'].includes(e.name);

exports.handler = async (event, context) => {
  const types = event.ResourceProperties.ResourceTypes;
  const late = () => context.getRemainingTimeInMillis() < 20000;
  // send retries transient errors until the time is nearly up and names the
  // call and region in any error it gives up on.
  // AccessDeniedException is retried a few times only: the handler's role,
  // created with the stack moments ago, may not have propagated in IAM yet.
  const send = async (command) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await client.send(command);
      } catch (e) {
        const newRole = e.name === 'AccessDeniedException' && attempt < 8;
        if (!(transient(e) || newRole) || late()) {
          const op = command.constructor.name.replace(/Command$/, '');
          throw new Error(`${op} ${types.join(', ')} in ${process.env.AWS_REGION}: ${e.name}: ${e.message}`);
        }
        await exports.sleep(5000);
      }
    }
  };
  if (event.RequestType === 'Delete') {
    if (String(event.ResourceProperties.DisableOnDelete) === 'true') {
      await send(new DisableCommand({ resourceTypes: types }));
    }
    return { PhysicalResourceId: physicalResourceId };
  }
  // An account that is already enabled comes back in failedAccounts with
  // ALREADY_ENABLED, not as an error; the status below decides.
  await send(new EnableCommand({ resourceTypes: types }));
  for (;;) {
    // Without accountIds, the status of the calling account.
    const { accounts = [] } = await send(new BatchGetAccountStatusCommand({}));
    const state = (accounts[0] && accounts[0].resourceState) || {};
    const of = (t) => state[field[t]] || {};
    const pending = types.filter((t) => of(t).status !== 'ENABLED');
    if (pending.length === 0) {
      return { PhysicalResourceId: physicalResourceId };
    }
    // A type that settled DISABLED or SUSPENDED with an error code failed;
    // ENABLE_IN_PROGRESS is still on its way.
    const failed = pending.filter((t) => ['DISABLED', 'SUSPENDED'].includes(of(t).status)
      && of(t).errorCode && of(t).errorCode !== 'ENABLE_IN_PROGRESS');
    if (failed.length > 0) {
      const s = of(failed[0]);
      throw new Error(`Inspector could not enable ${failed.join(', ')}: ${s.errorCode}: ${s.errorMessage}`);
    }
    if (late()) {
      throw new Error(`Inspector did not finish enabling ${pending.join(', ')} in time`);
    }
    await exports.sleep(5000);
  }
};

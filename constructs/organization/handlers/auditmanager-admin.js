// Designates the AWS Audit Manager delegated administrator in this region,
// from the management account, unless it already is. Audit Manager answers
// "isn't registered" until the management account itself is registered, so
// the account is registered first (without a key: it runs no assessments
// once an administrator exists). Create and Update work alike; a re-run
// finds the designation and changes nothing; another administrator is an
// error. Failed attempts are retried while Organizations propagates trusted
// access. Delete leaves everything: a new administrator would start without
// the old one's evidence. Runs as a Lambda asset under the CDK provider
// framework, which reports the result (or a thrown error) to CloudFormation.
// https://docs.aws.amazon.com/audit-manager/latest/APIReference/API_RegisterOrganizationAdminAccount.html
'use strict';

const {
  AuditManagerClient, GetAccountStatusCommand, RegisterAccountCommand,
  GetOrganizationAdminAccountCommand, RegisterOrganizationAdminAccountCommand,
} = require('@aws-sdk/client-auditmanager');

const client = new AuditManagerClient({});

// Waits between attempts; tests replace it so that nothing really waits.
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// send names the call in any error.
const send = async (command) => {
  try {
    return await client.send(command);
  } catch (e) {
    e.call = command.constructor.name.replace(/Command$/, '');
    throw e;
  }
};

exports.handler = async (event, context) => {
  const { AdminAccountId } = event.ResourceProperties;
  const physicalResourceId = `auditmanager-delegated-admin-${AdminAccountId}`;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId };
  }
  let last;
  for (;;) {
    let admin;
    // Any error is retried: right after trusted access, Audit Manager
    // answers AccessDenied or Validation until Organizations has
    // propagated; a lasting error is reported when the time is up.
    try {
      const account = await send(new GetAccountStatusCommand({}));
      if (account.status !== 'ACTIVE') {
        await send(new RegisterAccountCommand({}));
      }
      try {
        admin = (await send(new GetOrganizationAdminAccountCommand({}))).adminAccountId;
      } catch (e) {
        // No administrator yet.
        if (e.name !== 'ResourceNotFoundException') throw e;
      }
      if (admin === AdminAccountId) {
        return { PhysicalResourceId: physicalResourceId };
      }
      if (!admin) {
        await send(new RegisterOrganizationAdminAccountCommand({ adminAccountId: AdminAccountId }));
      }
    } catch (e) {
      last = `${e.call}: ${e.name}: ${e.message}`;
    }
    if (admin && admin !== AdminAccountId) {
      throw new Error(`auditmanager: the organization's delegated administrator is ${admin}; remove it before designating ${AdminAccountId}`);
    }
    if (context.getRemainingTimeInMillis() < 30000) {
      throw new Error(`auditmanager: ${AdminAccountId} is not the delegated administrator yet in ${process.env.AWS_REGION}${last ? `: ${last}` : ''}`);
    }
    await exports.sleep(10000);
  }
};

// Makes AdminAccountId the Firewall Manager default administrator unless it
// already is, and waits until Firewall Manager reports its role READY.
// Firewall Manager serves the default administrator from us-east-1. Create
// and Update work alike; a re-run finds the administrator READY and changes
// nothing. Another administrator is an error: an organization has one
// default administrator. Delete leaves the administrator: only the
// administrator can revoke itself, and revoking deletes every policy it
// created. Runs as a Lambda asset under the CDK provider framework, which
// reports the result (or a thrown error) to CloudFormation.
// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_AssociateAdminAccount.html
// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_GetAdminAccount.html
'use strict';

const { FMSClient, GetAdminAccountCommand, AssociateAdminAccountCommand } = require('@aws-sdk/client-fms');

// Waits between attempts; tests replace it so that nothing really waits.
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

exports.handler = async (event, context) => {
  const { AdminAccountId } = event.ResourceProperties;
  const physicalResourceId = `fms-admin-${AdminAccountId}`;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId };
  }
  const client = new FMSClient({ region: 'us-east-1' });
  let last;
  for (;;) {
    let admin = {};
    let known = true;
    try {
      admin = await client.send(new GetAdminAccountCommand({}));
    } catch (e) {
      // ResourceNotFound and InvalidOperation: no administrator yet (the
      // organization is not onboarded). Anything else leaves the state
      // unknown: retried, and reported if it lasts.
      if (e.name !== 'ResourceNotFoundException' && e.name !== 'InvalidOperationException') {
        known = false;
        last = `GetAdminAccount: ${e.name}: ${e.message}`;
      }
    }
    const current = admin.RoleStatus === 'DELETED' ? undefined : admin.AdminAccount;
    if (current === AdminAccountId && admin.RoleStatus === 'READY') {
      return { PhysicalResourceId: physicalResourceId };
    }
    if (current && current !== AdminAccountId) {
      throw new Error(`the Firewall Manager default administrator is ${current}; it must revoke itself before ${AdminAccountId} can be designated`);
    }
    if (known && !current) {
      try {
        await client.send(new AssociateAdminAccountCommand({ AdminAccount: AdminAccountId }));
      } catch (e) {
        // Organizations may not have propagated trusted access yet.
        last = `AssociateAdminAccount: ${e.name}: ${e.message}`;
      }
    }
    if (context.getRemainingTimeInMillis() < 30000) {
      throw new Error(`${AdminAccountId} is not the Firewall Manager administrator yet (role ${admin.RoleStatus || 'none'})${last ? `: ${last}` : ''}`);
    }
    await exports.sleep(15000);
  }
};

// Makes AdminAccountId the Firewall Manager default administrator unless it
// already is, and waits until Firewall Manager reports its role READY.
// Firewall Manager serves the default administrator from us-east-1. Another
// administrator is an error: an organization has one default administrator.
// Delete leaves the administrator: only the administrator can revoke itself,
// and revoking deletes every policy it created.
const { FMSClient, GetAdminAccountCommand, AssociateAdminAccountCommand } = require('@aws-sdk/client-fms');

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
    try {
      admin = await client.send(new GetAdminAccountCommand({}));
    } catch (e) {
      // No administrator yet (the organization is not onboarded).
      if (e.name !== 'ResourceNotFoundException' && e.name !== 'InvalidOperationException') {
        throw e;
      }
    }
    const current = admin.RoleStatus === 'DELETED' ? undefined : admin.AdminAccount;
    if (current === AdminAccountId && admin.RoleStatus === 'READY') {
      return { PhysicalResourceId: physicalResourceId };
    }
    if (current && current !== AdminAccountId) {
      throw new Error(`the Firewall Manager default administrator is ${current}; it must revoke itself before ${AdminAccountId} can be designated`);
    }
    if (!current) {
      try {
        await client.send(new AssociateAdminAccountCommand({ AdminAccount: AdminAccountId }));
      } catch (e) {
        // Organizations may not have propagated trusted access yet.
        last = e;
      }
    }
    if (context.getRemainingTimeInMillis() < 30000) {
      throw new Error(`${AdminAccountId} is not the Firewall Manager administrator yet (role ${admin.RoleStatus || 'none'})${last ? `: ${last.name}: ${last.message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 15000));
  }
};

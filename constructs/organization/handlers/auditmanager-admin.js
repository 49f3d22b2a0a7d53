// Designates the AWS Audit Manager delegated administrator in this region,
// from the management account, unless it already is. Audit Manager answers
// "isn't registered" until the management account itself is registered, so
// the account is registered first (without a key: it runs no assessments
// once an administrator exists). Failed attempts are retried while
// Organizations propagates trusted access. Delete leaves everything: a new
// administrator would start without the old one's evidence.
const {
  AuditManagerClient, GetAccountStatusCommand, RegisterAccountCommand,
  GetOrganizationAdminAccountCommand, RegisterOrganizationAdminAccountCommand,
} = require('@aws-sdk/client-auditmanager');

const client = new AuditManagerClient({});

exports.handler = async (event, context) => {
  const { AdminAccountId } = event.ResourceProperties;
  const physicalResourceId = `auditmanager-delegated-admin-${AdminAccountId}`;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId };
  }
  let last;
  for (;;) {
    let admin;
    try {
      const account = await client.send(new GetAccountStatusCommand({}));
      if (account.status !== 'ACTIVE') {
        await client.send(new RegisterAccountCommand({}));
      }
      try {
        admin = (await client.send(new GetOrganizationAdminAccountCommand({}))).adminAccountId;
      } catch (e) {
        if (e.name !== 'ResourceNotFoundException') {
          throw e;
        }
      }
      if (admin === AdminAccountId) {
        return { PhysicalResourceId: physicalResourceId };
      }
      if (!admin) {
        await client.send(new RegisterOrganizationAdminAccountCommand({ adminAccountId: AdminAccountId }));
      }
    } catch (e) {
      last = e;
    }
    if (admin && admin !== AdminAccountId) {
      throw new Error(`auditmanager: the organization's delegated administrator is ${admin}; remove it before designating ${AdminAccountId}`);
    }
    if (context.getRemainingTimeInMillis() < 30000) {
      throw new Error(`auditmanager: ${AdminAccountId} is not the delegated administrator yet${last ? `: ${last.name}: ${last.message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10000));
  }
};

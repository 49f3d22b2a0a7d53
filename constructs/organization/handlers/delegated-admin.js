// Designates the delegated administrator of one service in this region,
// unless it already is, and waits until the service reports it ENABLED.
// Right after trusted access is enabled, Organizations may not have
// propagated yet: failed attempts are retried until the time is nearly up.
// Delete leaves the designation in place: removing a stack never hands the
// organization's security services back.
const services = {
  guardduty: {
    pkg: '@aws-sdk/client-guardduty', client: 'GuardDutyClient',
    list: 'ListOrganizationAdminAccountsCommand', items: 'AdminAccounts', id: 'AdminAccountId', status: 'AdminStatus',
    enable: 'EnableOrganizationAdminAccountCommand', param: 'AdminAccountId',
  },
  macie2: {
    pkg: '@aws-sdk/client-macie2', client: 'Macie2Client',
    list: 'ListOrganizationAdminAccountsCommand', items: 'adminAccounts', id: 'accountId', status: 'status',
    enable: 'EnableOrganizationAdminAccountCommand', param: 'adminAccountId',
  },
  inspector2: {
    pkg: '@aws-sdk/client-inspector2', client: 'Inspector2Client',
    list: 'ListDelegatedAdminAccountsCommand', items: 'delegatedAdminAccounts', id: 'accountId', status: 'status',
    enable: 'EnableDelegatedAdminAccountCommand', param: 'delegatedAdminAccountId',
  },
};

exports.handler = async (event, context) => {
  const { Service, AdminAccountId } = event.ResourceProperties;
  const physicalResourceId = `${Service}-delegated-admin-${AdminAccountId}`;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId };
  }
  const s = services[Service];
  if (!s) {
    throw new Error(`unknown service ${Service}`);
  }
  const sdk = require(s.pkg);
  const client = new sdk[s.client]({});
  let last;
  for (;;) {
    // Right after trusted access the list call may be refused for a while
    // too: wait and retry it like the designation.
    let out;
    try {
      out = await client.send(new sdk[s.list]({}));
    } catch (e) {
      last = e;
    }
    const admins = out ? (out[s.items] || []) : [];
    const ours = admins.find((a) => a[s.id] === AdminAccountId);
    if (ours && ours[s.status] === 'ENABLED') {
      return { PhysicalResourceId: physicalResourceId };
    }
    const other = admins.find((a) => a[s.id] !== AdminAccountId && a[s.status] === 'ENABLED');
    if (other) {
      throw new Error(`${Service}: the organization's delegated administrator is ${other[s.id]}; remove it before designating ${AdminAccountId}`);
    }
    if (out && !ours) {
      try {
        await client.send(new sdk[s.enable]({ [s.param]: AdminAccountId }));
      } catch (e) {
        last = e;
      }
    }
    if (context.getRemainingTimeInMillis() < 30000) {
      throw new Error(`${Service}: ${AdminAccountId} is not the delegated administrator yet${last ? `: ${last.name}: ${last.message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10000));
  }
};

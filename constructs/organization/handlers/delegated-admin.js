// Designates the delegated administrator of one service (GuardDuty, Macie or
// Inspector) in this region, unless it already is, and waits until the
// service reports it ENABLED. Create and Update (a new administrator
// account) work alike; a re-run finds the designation and changes nothing.
// Another account already designated is an error: an organization has one
// administrator per service. Right after trusted access is enabled,
// Organizations may not have propagated yet: the list and the designation
// are retried until the time is nearly up. Delete leaves the designation in
// place: removing a stack never hands the organization's security services
// back. Runs as a Lambda asset under the CDK provider framework, which
// reports the result (or a thrown error) to CloudFormation.
'use strict';

// Each service's list and designation calls, and the fields they use.
// https://docs.aws.amazon.com/guardduty/latest/APIReference/API_EnableOrganizationAdminAccount.html
// https://docs.aws.amazon.com/macie/latest/APIReference/admin.html
// https://docs.aws.amazon.com/inspector/v2/APIReference/API_EnableDelegatedAdminAccount.html
const services = {
  guardduty: () => {
    const sdk = require('@aws-sdk/client-guardduty');
    return {
      client: new sdk.GuardDutyClient({}),
      // Pages of at most 50 administrators.
      list: (token) => new sdk.ListOrganizationAdminAccountsCommand({ NextToken: token }),
      page: (r) => [r.AdminAccounts, r.NextToken],
      admin: (a) => [a.AdminAccountId, a.AdminStatus],
      enable: (id) => new sdk.EnableOrganizationAdminAccountCommand({ AdminAccountId: id }),
    };
  },
  macie2: () => {
    const sdk = require('@aws-sdk/client-macie2');
    return {
      client: new sdk.Macie2Client({}),
      list: (token) => new sdk.ListOrganizationAdminAccountsCommand({ nextToken: token }),
      page: (r) => [r.adminAccounts, r.nextToken],
      admin: (a) => [a.accountId, a.status],
      enable: (id) => new sdk.EnableOrganizationAdminAccountCommand({ adminAccountId: id }),
    };
  },
  inspector2: () => {
    const sdk = require('@aws-sdk/client-inspector2');
    return {
      client: new sdk.Inspector2Client({}),
      list: (token) => new sdk.ListDelegatedAdminAccountsCommand({ nextToken: token }),
      page: (r) => [r.delegatedAdminAccounts, r.nextToken],
      admin: (a) => [a.accountId, a.status],
      enable: (id) => new sdk.EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: id }),
    };
  },
};

// Waits between attempts; tests replace it so that nothing really waits.
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

exports.handler = async (event, context) => {
  const { Service, AdminAccountId } = event.ResourceProperties;
  const physicalResourceId = `${Service}-delegated-admin-${AdminAccountId}`;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId };
  }
  if (!services[Service]) {
    throw new Error(`unknown service ${Service}`);
  }
  const s = services[Service]();
  // every lists the designated administrators across all pages.
  const every = async () => {
    const out = [];
    let token;
    do {
      const [items, next] = s.page(await s.client.send(s.list(token)));
      out.push(...(items || []).map(s.admin));
      token = next;
    } while (token);
    return out;
  };
  let last;
  for (;;) {
    // Any error is retried: right after trusted access, the services answer
    // AccessDenied, BadRequest or Validation until Organizations has
    // propagated; a lasting error is reported when the time is up.
    let admins;
    try {
      admins = await every();
    } catch (e) {
      last = `${s.list().constructor.name.replace(/Command$/, '')}: ${e.name}: ${e.message}`;
    }
    if (admins) {
      const ours = admins.find(([id]) => id === AdminAccountId);
      if (ours && ours[1] === 'ENABLED') {
        return { PhysicalResourceId: physicalResourceId };
      }
      const other = admins.find(([id, status]) => id !== AdminAccountId && status === 'ENABLED');
      if (other) {
        throw new Error(`${Service}: the organization's delegated administrator is ${other[0]}; remove it before designating ${AdminAccountId}`);
      }
      // A designation in progress (DISABLE_IN_PROGRESS or not yet listed
      // ENABLED) is waited for, not repeated.
      if (!ours) {
        const enable = s.enable(AdminAccountId);
        try {
          await s.client.send(enable);
        } catch (e) {
          last = `${enable.constructor.name.replace(/Command$/, '')}: ${e.name}: ${e.message}`;
        }
      }
    }
    if (context.getRemainingTimeInMillis() < 30000) {
      throw new Error(`${Service}: ${AdminAccountId} is not the delegated administrator yet in ${process.env.AWS_REGION}${last ? `: ${last}` : ''}`);
    }
    await exports.sleep(10000);
  }
};

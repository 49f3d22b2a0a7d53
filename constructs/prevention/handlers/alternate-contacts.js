// Sets the alternate contacts of every active account of the organization
// from the management account: see contacts.go. CloudFormation runs it on
// create and update; an EventBridge schedule runs it daily (RequestType
// "Reconcile") so that accounts that join later get the same contacts.
// PutAlternateContact replaces a contact, so every run is idempotent. Delete
// leaves the contacts in place.
const orgs = require('@aws-sdk/client-organizations');
const account = require('@aws-sdk/client-account');

// accounts lists every account of the organization, following NextToken.
const accounts = async (client) => {
  const out = [];
  let next;
  do {
    const r = await client.send(new orgs.ListAccountsCommand({ NextToken: next }));
    out.push(...(r.Accounts || []));
    next = r.NextToken;
  } while (next);
  return out;
};

exports.handler = async (event) => {
  const p = event.ResourceProperties;
  const id = 'alternate-contacts';
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: id };
  }
  const o = new orgs.OrganizationsClient({ region: p.OrganizationsRegion });
  const management = (await o.send(new orgs.DescribeOrganizationCommand({}))).Organization.MasterAccountId;
  const c = new account.AccountClient({ region: p.OrganizationsRegion });
  const failed = [];
  for (const a of await accounts(o)) {
    // State replaces the deprecated Status; either says ACTIVE.
    if ((a.State || a.Status) !== 'ACTIVE') {
      continue;
    }
    for (const ct of p.Contacts) {
      const input = {
        AlternateContactType: ct.Type, Name: ct.Name, Title: ct.Title, EmailAddress: ct.Email, PhoneNumber: ct.Phone,
      };
      // The management account names no AccountId for its own contacts.
      if (a.Id !== management) {
        input.AccountId = a.Id;
      }
      try {
        await c.send(new account.PutAlternateContactCommand(input));
      } catch (e) {
        failed.push(`${a.Id} ${ct.Type}: ${e.name}: ${e.message}`);
      }
    }
  }
  if (failed.length > 0) {
    throw new Error(`account:PutAlternateContact (${p.OrganizationsRegion}) failed for ${failed.length}: ${failed.join('; ')}`);
  }
  return { PhysicalResourceId: id };
};

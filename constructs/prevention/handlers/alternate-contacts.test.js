// node --test: the alternate-contacts handler against mocked Organizations
// and Account APIs.
const test = require('node:test');
const assert = require('node:assert');
const { mockClient } = require('aws-sdk-client-mock');
const orgs = require('@aws-sdk/client-organizations');
const account = require('@aws-sdk/client-account');
const { handler } = require('./alternate-contacts.js');

const props = {
  OrganizationsRegion: 'us-east-1',
  Contacts: [{ Type: 'SECURITY', Name: 'Sec Team', Title: 'CISO', Email: 'sec@example.com', Phone: '+1 555 0100' }],
};

const mocks = () => {
  const o = mockClient(orgs.OrganizationsClient);
  o.on(orgs.DescribeOrganizationCommand).resolves({ Organization: { MasterAccountId: '111111111111' } });
  o.on(orgs.ListAccountsCommand)
    .resolvesOnce({ Accounts: [{ Id: '111111111111', State: 'ACTIVE' }, { Id: '222222222222', State: 'ACTIVE' }], NextToken: 't' })
    .resolves({ Accounts: [{ Id: '333333333333', Status: 'ACTIVE' }, { Id: '444444444444', State: 'SUSPENDED' }] });
  const a = mockClient(account.AccountClient);
  return { o, a };
};

test('sets the contacts on every active account, all pages, the management account without AccountId', async () => {
  const { o, a } = mocks();
  a.on(account.PutAlternateContactCommand).resolves({});
  const r = await handler({ RequestType: 'Create', ResourceProperties: props });
  assert.strictEqual(r.PhysicalResourceId, 'alternate-contacts');
  const inputs = a.commandCalls(account.PutAlternateContactCommand).map((c) => c.args[0].input);
  assert.deepStrictEqual(inputs.map((i) => i.AccountId), [undefined, '222222222222', '333333333333']);
  assert.deepStrictEqual(inputs[1], {
    AccountId: '222222222222', AlternateContactType: 'SECURITY', Name: 'Sec Team', Title: 'CISO', EmailAddress: 'sec@example.com', PhoneNumber: '+1 555 0100',
  });
  assert.strictEqual(o.commandCalls(orgs.ListAccountsCommand)[1].args[0].input.NextToken, 't');
  o.restore();
  a.restore();
});

test('the daily reconcile run does the same as a create', async () => {
  const { o, a } = mocks();
  a.on(account.PutAlternateContactCommand).resolves({});
  await handler({ RequestType: 'Reconcile', ResourceProperties: props });
  assert.strictEqual(a.commandCalls(account.PutAlternateContactCommand).length, 3);
  o.restore();
  a.restore();
});

test('failures are collected, the other accounts still set, and reported with account and type', async () => {
  const { o, a } = mocks();
  const e = new Error('no');
  e.name = 'AccessDeniedException';
  a.on(account.PutAlternateContactCommand).resolves({})
    .on(account.PutAlternateContactCommand, { AccountId: '222222222222' }).rejects(e);
  await assert.rejects(handler({ RequestType: 'Update', ResourceProperties: props }),
    /PutAlternateContact \(us-east-1\) failed for 1: 222222222222 SECURITY: AccessDeniedException/);
  assert.strictEqual(a.commandCalls(account.PutAlternateContactCommand).length, 3);
  o.restore();
  a.restore();
});

test('delete changes nothing', async () => {
  const { o, a } = mocks();
  await handler({ RequestType: 'Delete', ResourceProperties: props });
  assert.strictEqual(o.calls().length + a.calls().length, 0);
  o.restore();
  a.restore();
});

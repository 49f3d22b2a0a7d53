// Tests of delegated-admin.js with mocked GuardDuty, Macie and Inspector
// clients: the same cases for each service, through its own commands.
'use strict';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const guardduty = require('@aws-sdk/client-guardduty');
const macie = require('@aws-sdk/client-macie2');
const inspector = require('@aws-sdk/client-inspector2');
const { clock, serviceError, checkInputs, inputs, documentedErrors } = require('../../internal/handlertest/handlertest');
const h = require('./delegated-admin');

const admin = '999999999999';
const other = '888888888888';
// Each service's commands and how it spells an administrator and a page.
const services = {
  guardduty: {
    pkg: '@aws-sdk/client-guardduty', mock: mockClient(guardduty.GuardDutyClient),
    List: guardduty.ListOrganizationAdminAccountsCommand, Enable: guardduty.EnableOrganizationAdminAccountCommand,
    page: (items, next) => ({ AdminAccounts: items.map(([id, s]) => ({ AdminAccountId: id, AdminStatus: s })), NextToken: next }),
    token: (t) => ({ NextToken: t }), enable: { AdminAccountId: admin },
  },
  macie2: {
    pkg: '@aws-sdk/client-macie2', mock: mockClient(macie.Macie2Client),
    List: macie.ListOrganizationAdminAccountsCommand, Enable: macie.EnableOrganizationAdminAccountCommand,
    page: (items, next) => ({ adminAccounts: items.map(([id, s]) => ({ accountId: id, status: s })), nextToken: next }),
    token: (t) => ({ nextToken: t }), enable: { adminAccountId: admin },
  },
  inspector2: {
    pkg: '@aws-sdk/client-inspector2', mock: mockClient(inspector.Inspector2Client),
    List: inspector.ListDelegatedAdminAccountsCommand, Enable: inspector.EnableDelegatedAdminAccountCommand,
    page: (items, next) => ({ delegatedAdminAccounts: items.map(([id, s]) => ({ accountId: id, status: s })), nextToken: next }),
    token: (t) => ({ nextToken: t }), enable: { delegatedAdminAccountId: admin },
  },
};
let time;

const event = (RequestType, Service, AdminAccountId = admin, old) => ({
  RequestType, ResourceProperties: { Service, AdminAccountId }, OldResourceProperties: old,
  PhysicalResourceId: RequestType === 'Create' ? undefined : `${Service}-delegated-admin-${AdminAccountId}`,
});

beforeEach(() => {
  time = clock();
  h.sleep = time.sleep;
  for (const s of Object.values(services)) s.mock.reset();
});
afterEach(() => {
  for (const s of Object.values(services)) checkInputs(s.mock, s.pkg);
});

for (const [Service, s] of Object.entries(services)) {
  const { mock, List, Enable } = s;

  test(`${Service}: create designates the account and waits until it is ENABLED`, async () => {
    mock.on(List).resolvesOnce(s.page([])).resolves(s.page([[admin, 'ENABLED']]));
    mock.on(Enable).resolves({});
    const out = await h.handler(event('Create', Service), time.context());
    assert.deepEqual(out, { PhysicalResourceId: `${Service}-delegated-admin-${admin}` });
    assert.deepEqual(inputs(mock, Enable), [s.enable]);
    assert.deepEqual(time.sleeps, [10000]);
  });

  test(`${Service}: a re-run finds the account on a later page and designates nothing`, async () => {
    mock.on(List).resolves(s.page([['777777777777', 'DISABLE_IN_PROGRESS']], 'p2'));
    mock.on(List, s.token('p2')).resolves(s.page([[admin, 'ENABLED']]));
    await h.handler(event('Update', Service), time.context());
    assert.equal(mock.commandCalls(Enable).length, 0);
    assert.deepEqual(inputs(mock, List).map((i) => i.NextToken || i.nextToken), [undefined, 'p2']);
  });

  test(`${Service}: update to another account while one is designated fails, naming it`, async () => {
    mock.on(List).resolves(s.page([[admin, 'ENABLED']]));
    await assert.rejects(h.handler(event('Update', Service, other, { Service, AdminAccountId: admin }), time.context()),
      new RegExp(`delegated administrator is ${admin}; remove it before designating ${other}`));
    assert.equal(mock.commandCalls(Enable).length, 0);
  });

  test(`${Service}: a designation in progress is waited for, not repeated`, async () => {
    mock.on(List).resolvesOnce(s.page([[admin, 'DISABLE_IN_PROGRESS']])).resolves(s.page([[admin, 'ENABLED']]));
    await h.handler(event('Create', Service), time.context());
    assert.equal(mock.commandCalls(Enable).length, 0);
  });

  test(`${Service}: errors while trusted access propagates are retried until the designation holds`, async () => {
    const codes = documentedErrors(s.pkg, Enable);
    let chain = mock.on(Enable);
    for (const code of codes) chain = chain.rejectsOnce(serviceError(s.pkg, code));
    chain.resolves({});
    const listCodes = documentedErrors(s.pkg, List);
    let lists = mock.on(List);
    for (const code of listCodes) lists = lists.rejectsOnce(serviceError(s.pkg, code));
    let enabled = false;
    mock.on(Enable).callsFake(() => {
      if (mock.commandCalls(Enable).length <= codes.length) throw serviceError(s.pkg, codes[mock.commandCalls(Enable).length - 1]);
      enabled = true;
      return {};
    });
    lists.callsFake(() => s.page(enabled ? [[admin, 'ENABLED']] : []));
    await h.handler(event('Create', Service), time.context());
    assert.equal(mock.commandCalls(Enable).length, codes.length + 1);
    assert.ok(codes.includes('ThrottlingException') || codes.includes('TooManyRequestsException') || Service === 'guardduty',
      'throttling is among the retried codes');
  });

  // Every documented error that lasts is reported with the call and code
  // when the time is nearly up.
  for (const [Command, op] of [[List, List.name], [Enable, Enable.name]]) {
    for (const code of documentedErrors(s.pkg, Command)) {
      test(`${Service}: ${op.replace(/Command$/, '')} ${code} that lasts fails before the timeout`, async () => {
        time = clock(120000);
        h.sleep = time.sleep;
        mock.on(List).resolves(s.page([]));
        mock.on(Command).rejects(serviceError(s.pkg, code, 'no'));
        await assert.rejects(h.handler(event('Create', Service), time.context()),
          new RegExp(`${Service}: ${admin} is not the delegated administrator yet in .*: ${op.replace(/Command$/, '')}: ${code}: no$`));
        assert.equal(time.now, 100000, 'retried every 10 seconds until less than 30 seconds remain');
      });
    }
  }

  test(`${Service}: delete leaves the designation`, async () => {
    assert.deepEqual(await h.handler(event('Delete', Service), time.context()), { PhysicalResourceId: `${Service}-delegated-admin-${admin}` });
    assert.equal(mock.calls().length, 0);
  });
}

test('an unknown service is refused', async () => {
  await assert.rejects(h.handler(event('Create', 'securityhub'), time.context()), /unknown service securityhub/);
});

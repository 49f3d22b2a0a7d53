// Tests of framework-id.js with a mocked Audit Manager client.
'use strict';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { mockClient } = require('aws-sdk-client-mock');
const am = require('@aws-sdk/client-auditmanager');
const { clock, serviceError, checkInputs, inputs, documentedErrors } = require('../../internal/handlertest/handlertest');
const h = require('./framework-id');

const pkg = '@aws-sdk/client-auditmanager';
const mock = mockClient(am.AuditManagerClient);
let time;

const event = (RequestType, Frameworks, old) => ({
  RequestType, ResourceProperties: { Frameworks }, OldResourceProperties: old && { Frameworks: old },
  PhysicalResourceId: RequestType === 'Create' ? undefined : 'auditmanager-framework-ids',
});
const fw = (id, name) => ({ id, name, type: 'Standard' });

beforeEach(() => {
  mock.reset();
  time = clock();
  h.sleep = time.sleep;
  // Two pages, the framework named in the second.
  mock.on(am.ListAssessmentFrameworksCommand).resolves({ frameworkMetadataList: [fw('id-1', 'CIS AWS Benchmark v1.4.0')], nextToken: 'p2' });
  mock.on(am.ListAssessmentFrameworksCommand, { nextToken: 'p2' }).resolves({
    frameworkMetadataList: [fw('id-2', 'NIST SP 800-53 Revision 5'), fw('id-3', 'Duplicate'), fw('id-4', 'Duplicate')],
  });
});
afterEach(() => checkInputs(mock, pkg));

test('create returns the ID of each named framework, reading every page', async () => {
  const out = await h.handler(event('Create', { Nist80053: 'NIST SP 800-53 Revision 5', Cis: 'CIS AWS Benchmark v1.4.0' }));
  assert.deepEqual(out, { PhysicalResourceId: 'auditmanager-framework-ids', Data: { Nist80053: 'id-2', Cis: 'id-1' } });
  assert.deepEqual(inputs(mock, am.ListAssessmentFrameworksCommand), [
    { frameworkType: 'Standard', maxResults: 100, nextToken: undefined },
    { frameworkType: 'Standard', maxResults: 100, nextToken: 'p2' },
  ]);
});

test('update with another framework looks the names up again; a re-run returns the same IDs', async () => {
  const first = await h.handler(event('Update', { Cis: 'CIS AWS Benchmark v1.4.0' }, { Nist80053: 'NIST SP 800-53 Revision 5' }));
  const again = await h.handler(event('Update', { Cis: 'CIS AWS Benchmark v1.4.0' }, { Cis: 'CIS AWS Benchmark v1.4.0' }));
  assert.deepEqual(first, again);
  assert.deepEqual(first.Data, { Cis: 'id-1' });
});

test('a name with no framework, or with two, fails naming it', async () => {
  await assert.rejects(h.handler(event('Create', { X: 'Missing' })), /lists 0 standard frameworks named "Missing"/);
  await assert.rejects(h.handler(event('Create', { X: 'Duplicate' })), /lists 2 standard frameworks named "Duplicate"/);
});

test('throttling is retried with backoff, then reported', async () => {
  mock.on(am.ListAssessmentFrameworksCommand).rejectsOnce(serviceError(pkg, 'ThrottlingException')).resolves({ frameworkMetadataList: [fw('id-1', 'A')] });
  assert.deepEqual((await h.handler(event('Create', { A: 'A' }))).Data, { A: 'id-1' });
  assert.deepEqual(time.sleeps, [2000]);
  mock.on(am.ListAssessmentFrameworksCommand).rejects(serviceError(pkg, 'ThrottlingException', 'slow'));
  await assert.rejects(h.handler(event('Create', { A: 'A' })), /^Error: ListAssessmentFrameworks in .*: ThrottlingException: slow$/);
});

for (const code of documentedErrors(pkg, am.ListAssessmentFrameworksCommand)) {
  test(`ListAssessmentFrameworks ${code} fails at once, naming the call`, async () => {
    mock.on(am.ListAssessmentFrameworksCommand).rejects(serviceError(pkg, code, 'no'));
    await assert.rejects(h.handler(event('Create', { A: 'A' })), new RegExp(`^Error: ListAssessmentFrameworks in .*: ${code}: no$`));
    // An access denial is retried a few times: a new role propagating.
    assert.equal(mock.calls().length, code === 'AccessDeniedException' ? 6 : 1);
  });
}

test('delete changes nothing', async () => {
  assert.deepEqual(await h.handler(event('Delete', { A: 'A' })), { PhysicalResourceId: 'auditmanager-framework-ids' });
  assert.equal(mock.calls().length, 0);
});

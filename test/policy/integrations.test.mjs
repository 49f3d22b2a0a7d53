// Every service integration, simulated against the synthesized key, bucket
// and topic policies of every example configuration: each use is allowed
// with the request context AWS documents, and refused for a foreign
// account's resource and for a foreign account's principal. Run by
// `make test-node` (node --test on the pinned Node.js).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { loadFixtures } from './cfn.mjs'
import { INTEGRATIONS } from './integrations.mjs'
import { PolicyIndex, casesFor, servicePrincipals, simulate } from './simulate.mjs'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const fixtures = loadFixtures(`${repoRoot}/test/testdata/snapshots`)

function describe(c) {
  return `${c.row}: ${c.label}: ${c.principal} ${c.action} on ${c.resource} (${c.target}, for ${c.at}) with ${JSON.stringify(c.context)}`
}

// failures runs cases and returns a line for each result that differs from
// what the case expects.
async function failures(cases) {
  const results = await Promise.all(cases.map(async (c) => [c, await simulate(c)]))
  return results
    .filter(([c, got]) => (c.expect === 'Allowed') !== (got === 'Allowed'))
    .map(([c, got]) => `${describe(c)}: got ${got}, want ${c.expect}`)
}

for (const fixture of fixtures) {
  const index = new PolicyIndex(fixture, repoRoot)
  const cases = casesFor(index)

  test(`${fixture.name}: every integration is allowed for this account and refused for others`, async () => {
    assert.ok(cases.length > 0, 'no integration found')
    const failed = await failures(cases)
    assert.deepEqual(failed, [], `\n${failed.join('\n')}`)
  })

  test(`${fixture.name}: every service named in a key, bucket or topic policy has a row, and a use that reaches it`, () => {
    const reachedPolicy = new Set(cases.filter((c) => c.expect === 'Allowed').map((c) => `${c.target}|${c.principal}`))
    const missing = []
    for (const entry of index.policies) {
      for (const principal of servicePrincipals(entry)) {
        const row = INTEGRATIONS.find((r) => r.principals.some((re) => re.test(principal)))
        if (!row) {
          missing.push(`${entry.policyAt ?? entry.at} names ${principal}, which no row of test/policy/integrations.mjs covers: add one (with its documentation)`)
        } else if (!reachedPolicy.has(`${entry.policyAt ?? entry.at}|${principal}`)) {
          missing.push(`${entry.policyAt ?? entry.at} grants ${principal}, but no resource in the app makes it act there (row "${row.name}"): a grant nothing uses, or a consumer the row does not find`)
        }
      }
    }
    assert.deepEqual(missing, [], `\n${missing.join('\n')}`)
  })
}

// Every row finds something to simulate in some example, so that a row
// whose consumers moved (or whose lookup broke) does not pass by finding
// nothing.
test('every integration row has uses in the examples', () => {
  const used = new Set(fixtures.flatMap((f) => casesFor(new PolicyIndex(f, repoRoot)).map((c) => c.row)))
  const unused = INTEGRATIONS.map((r) => r.name).filter((name) => !used.has(name))
  assert.deepEqual(unused, [])
})

// The harness itself: take the GuardDuty statement out of a findings key
// policy and the GuardDuty row must fail.
test('harness: a findings key without the GuardDuty statement fails the GuardDuty row', async () => {
  const fixture = fixtures.find((f) => f.name === 'default')
  const stackName = 'mamori-data-protection-us-east-1'
  const template = structuredClone(fixture.templates[stackName])
  const key = Object.values(template.Resources).find((r) => r.Type === 'AWS::KMS::Key' && JSON.stringify(r).includes('guardduty'))
  assert.ok(key, 'the findings key grants GuardDuty')
  key.Properties.KeyPolicy.Statement = key.Properties.KeyPolicy.Statement.filter((s) => !JSON.stringify(s.Principal ?? '').includes('guardduty'))

  const before = casesFor(new PolicyIndex(fixture, repoRoot), INTEGRATIONS.filter((r) => r.name === 'GuardDuty findings export'))
  assert.deepEqual(await failures(before), [])
  const after = casesFor(new PolicyIndex(fixture.withTemplate(stackName, template), repoRoot), INTEGRATIONS.filter((r) => r.name === 'GuardDuty findings export'))
  const failed = await failures(after)
  assert.ok(failed.some((f) => f.includes('kms:GenerateDataKey') && f.includes('want Allowed')), `GuardDuty row still passes:\n${failed.join('\n')}`)
})

// And a topic that lets any account's rules publish fails the EventBridge row.
test('harness: an alerts topic without the EventBridge source conditions fails the EventBridge row', async () => {
  const fixture = fixtures.find((f) => f.name === 'default')
  const stackName = 'mamori-data-protection-us-east-1'
  const template = structuredClone(fixture.templates[stackName])
  const policy = Object.values(template.Resources).find((r) => r.Type === 'AWS::SNS::TopicPolicy')
  policy.Properties.PolicyDocument.Statement = policy.Properties.PolicyDocument.Statement.filter((s) => !String(s.Sid).startsWith('DenyEventBridge'))
  const rows = INTEGRATIONS.filter((r) => r.name === 'EventBridge rules publish to SNS topics')
  const failed = await failures(casesFor(new PolicyIndex(fixture.withTemplate(stackName, template), repoRoot), rows))
  assert.ok(failed.some((f) => f.includes("foreign account's resource") && f.includes('sns:Publish')), `EventBridge row still passes:\n${failed.join('\n')}`)
})

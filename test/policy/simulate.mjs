// Turns the integration table into simulated requests against one fixture's
// resolved key, bucket and topic policies, and evaluates them with
// @cloud-copilot/iam-simulate (AGPL-3.0: a test-only tool pinned in .tools/,
// never shipped with or linked into mamori).

import { readFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { FOREIGN_ACCOUNT, FOREIGN_ORG, INTEGRATIONS, resourcesOf } from './integrations.mjs'

const require = createRequire(new URL('../../.tools/package.json', import.meta.url))
const { runSimulation } = require('@cloud-copilot/iam-simulate')

// PolicyIndex holds a fixture's resource policies by what a service names:
// keys by ARN, buckets by name, topics by ARN.
export class PolicyIndex {
  constructor(fixture, repoRoot) {
    this.fixture = fixture
    this.organizationId = organizationId(fixture.name, repoRoot)
    this.keys = new Map()
    this.aliases = new Map()
    this.buckets = new Map()
    this.topics = new Map()
    // policies: every resolved key, bucket and topic policy, for coverage.
    this.policies = []
    for (const stack of fixture.stacks) {
      for (const [id, r] of resourcesOf(stack, 'AWS::KMS::Key')) {
        const arn = stack.getAtt(id, 'Arn')
        const entry = { kind: 'key', at: `${stack}/${id}`, arn, account: stack.account, region: stack.region, policy: stack.resolve(r.Properties.KeyPolicy) }
        this.keys.set(arn, entry)
        this.policies.push(entry)
      }
      for (const [, r] of resourcesOf(stack, 'AWS::KMS::Alias')) {
        const p = stack.resolve(r.Properties)
        this.aliases.set(`arn:aws:kms:${stack.region}:${stack.account}:${p.AliasName}`, p.TargetKeyId)
      }
      for (const [id, r] of resourcesOf(stack, 'AWS::S3::Bucket')) {
        const name = stack.ref(id)
        const sse = stack.resolve(r.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration ?? [])[0]?.ServerSideEncryptionByDefault
        this.buckets.set(name, {
          kind: 'bucket', at: `${stack}/${id}`, arn: stack.getAtt(id, 'Arn'), account: stack.account, region: stack.region,
          defaultKeyArn: sse?.SSEAlgorithm === 'aws:kms' ? sse.KMSMasterKeyID : undefined,
        })
      }
      for (const [id, r] of resourcesOf(stack, 'AWS::SNS::Topic')) {
        const arn = stack.ref(id)
        this.topics.set(arn, {
          kind: 'topic', at: `${stack}/${id}`, arn, account: stack.account, region: stack.region,
          keyArn: r.Properties?.KmsMasterKeyId ? stack.resolve(r.Properties.KmsMasterKeyId) : undefined,
        })
      }
    }
    for (const stack of fixture.stacks) {
      for (const [id, r] of resourcesOf(stack, 'AWS::S3::BucketPolicy')) {
        const bucket = this.buckets.get(stack.resolve(r.Properties.Bucket))
        bucket.policy = stack.resolve(r.Properties.PolicyDocument)
        bucket.policyAt = `${stack}/${id}`
        this.policies.push(bucket)
      }
      for (const [id, r] of resourcesOf(stack, 'AWS::SNS::TopicPolicy')) {
        const policy = stack.resolve(r.Properties.PolicyDocument)
        for (const arn of stack.resolve(r.Properties.Topics)) {
          const topic = this.topics.get(arn)
          topic.policy = policy
          topic.policyAt = `${stack}/${id}`
          this.policies.push(topic)
        }
      }
    }
  }

  // key finds a key by ARN, alias ARN, alias or key ID, the last two in
  // the account and region of stack, as KMS does.
  key(ref, stack) {
    let arn = ref
    if (!arn.startsWith('arn:')) arn = `arn:aws:kms:${stack.region}:${stack.account}:${ref.startsWith('alias/') ? ref : `key/${ref}`}`
    const target = this.aliases.get(arn)
    if (target) return this.key(target, stack)
    return this.keys.get(arn)
  }

  bucket(name) {
    return this.buckets.get(name)
  }

  topic(arn) {
    return this.topics.get(arn)
  }
}

// organizationId is the organization a fixture's config names, if any.
function organizationId(fixture, repoRoot) {
  const file = `${repoRoot}/config/examples/${fixture}.yaml`
  if (!existsSync(file)) return undefined
  return /^\s*organizationId:\s*"?(o-[a-z0-9]+)"?/m.exec(readFileSync(file, 'utf8'))?.[1]
}

// casesFor expands every row's uses in a fixture into simulated requests:
// the use itself, which must be allowed; the service acting for a foreign
// account's resource, and a foreign account's principal making the same
// request, which must both be refused; and any row-specific refusals.
export function casesFor(index, rows = INTEGRATIONS) {
  const cases = []
  for (const row of rows) {
    for (const stack of index.fixture.stacks) {
      for (const use of row.uses(stack, index)) {
        const target = targetOf(use, index, stack)
        const base = {
          row: row.name, at: use.at, on: use.on, target: target.at, principal: use.principal, action: use.action,
          resource: target.resource, account: target.account, policy: target.policy,
          identityPolicies: use.identityPolicies ?? [], context: withPrincipal(withResource(use.context, use.action, target.account), use.principal),
        }
        cases.push({ ...base, label: 'allowed', expect: 'Allowed' })
        if (isService(use.principal)) {
          if (!row.unscoped?.[use.on]) {
            cases.push({ ...base, label: "the service, for a foreign account's resource", expect: 'Denied', context: foreignSource(base.context, stack.account) })
          }
          cases.push({
            ...base, label: "a foreign account's principal", expect: 'Denied', principal: `arn:aws:iam::${FOREIGN_ACCOUNT}:role/intruder`,
            identityPolicies: [allowAll], context: withPrincipal(foreignPrincipal(base.context), `arn:aws:iam::${FOREIGN_ACCOUNT}:role/intruder`),
          })
        } else {
          const principal = use.principal.replace(/::\d{12}:/, `::${FOREIGN_ACCOUNT}:`)
          cases.push({
            ...base, label: 'the same role in a foreign account', expect: 'Denied', principal,
            context: withPrincipal(foreignPrincipal(base.context), principal),
          })
        }
        for (const d of use.deniedAlso ?? []) {
          const resource = d.object ? targetOf({ ...use, object: d.object }, index, stack).resource : base.resource
          cases.push({ ...base, label: d.why, expect: 'Denied', resource, context: d.context ? withPrincipal(withResource(d.context, use.action, target.account), use.principal) : base.context })
        }
      }
    }
  }
  return cases
}

const allowAll = { name: 'AdministratorAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }

function isService(principal) {
  return !principal.startsWith('arn:')
}

function targetOf(use, index, stack) {
  switch (use.on) {
    case 'key': {
      const key = index.key(use.keyArn, stack)
      if (!key) throw new Error(`${use.at}: key ${use.keyArn} is not in this app`)
      return { at: key.at, resource: key.arn, account: key.account, policy: key.policy }
    }
    case 'bucket': {
      const bucket = index.bucket(use.bucket)
      if (!bucket) throw new Error(`${use.at}: bucket ${use.bucket} is not in this app`)
      return { at: bucket.policyAt ?? bucket.at, resource: use.object ? `${bucket.arn}/${use.object}` : bucket.arn, account: bucket.account, policy: bucket.policy }
    }
    case 'topic': {
      const topic = index.topic(use.topicArn)
      return { at: topic.policyAt ?? topic.at, resource: topic.arn, account: topic.account, policy: topic.policy }
    }
    case 'role':
      return { at: use.at, resource: use.resource, account: use.resourceAccount, policy: undefined }
  }
  throw new Error(`${use.at}: unknown target kind ${use.on}`)
}

// foreignSource: the same request made for a resource of a foreign account
// (or organization).
function foreignSource(context, account) {
  const out = {}
  for (const [k, v] of Object.entries(context)) {
    if (k === 'aws:SourceAccount') out[k] = FOREIGN_ACCOUNT
    else if (k === 'aws:SourceOrgID' || k === 'aws:PrincipalOrgID') out[k] = FOREIGN_ORG
    else if (k === 'aws:SourceArn' || k.startsWith('kms:EncryptionContext:')) out[k] = foreignArn(v, account)
    else out[k] = v
  }
  return out
}

function foreignArn(arn, account) {
  if (arn.startsWith('arn:aws:s3:::')) return 'arn:aws:s3:::foreign-bucket'
  return arn.replaceAll(`:${account}:`, `:${FOREIGN_ACCOUNT}:`)
}

// withPrincipal adds the keys AWS puts in every request context for its
// principal: aws:PrincipalArn for an IAM role, aws:PrincipalIsAWSService and
// aws:PrincipalServiceName for a service.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
function withPrincipal(context, principal) {
  if (isService(principal)) return { ...context, 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': principal }
  return { ...context, 'aws:PrincipalArn': principal, 'aws:PrincipalIsAWSService': 'false', 'aws:PrincipalAccount': principal.split(':')[4] }
}

// withResource adds the account that owns the resource, as AWS puts it in
// the request context (aws:ResourceAccount; s3:ResourceAccount for S3).
function withResource(context, action, account) {
  const out = { ...context, 'aws:ResourceAccount': account }
  if (action.startsWith('s3:')) out['s3:ResourceAccount'] = account
  return out
}

// foreignPrincipal: the request context of a principal of a foreign account.
function foreignPrincipal(context) {
  const out = { ...context, 'aws:PrincipalAccount': FOREIGN_ACCOUNT }
  if ('aws:PrincipalOrgID' in out) out['aws:PrincipalOrgID'] = FOREIGN_ORG
  if ('kms:CallerAccount' in out) out['kms:CallerAccount'] = FOREIGN_ACCOUNT
  return out
}

// simulate evaluates one case; it returns 'Allowed', 'ExplicitlyDenied' or
// 'ImplicitlyDenied', and throws on a request the simulator rejects or a
// context key it would ignore (an ignored key makes a condition fail
// silently).
export async function simulate(c) {
  const result = await runSimulation({
    identityPolicies: c.identityPolicies.map((p) => ({ name: p.name, policy: renameEncryptionContext(p.policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: c.policy && renameEncryptionContext(c.policy),
    request: {
      action: c.action,
      principal: c.principal,
      resource: { resource: c.resource, accountId: c.account },
      contextVariables: renameEncryptionContext(c.context),
    },
  }, {})
  if (result.resultType === 'error') {
    throw new Error(`${c.row} ${c.at}: ${c.action} on ${c.resource}: the simulator refused the request: ${JSON.stringify(result.errors)}`)
  }
  const ignored = result.result?.ignoredContextKeys ?? result.results?.flatMap((r) => r.ignoredContextKeys) ?? []
  if (ignored.length > 0) {
    throw new Error(`${c.row} ${c.at}: ${c.action}: the simulator ignores context keys ${ignored.join(', ')}: not a key of this request`)
  }
  return result.overallResult
}

// renameEncryptionContext works around the simulator: it knows
// kms:EncryptionContext:<key> only as a pattern and drops such keys from the
// request context (it matches variable keys at a "/" only), so every
// condition on one would fail. The same key is renamed to a request-tag key,
// which it does evaluate, in policies and request context alike, so that
// conditions compare exactly the same values.
function renameEncryptionContext(value) {
  const rename = (k) => (/^kms:EncryptionContext:/i.test(k) ? `aws:RequestTag/${k}` : k)
  if (Array.isArray(value)) return value.map(renameEncryptionContext)
  if (value === null || typeof value !== 'object') return value
  const out = {}
  for (const [k, v] of Object.entries(value)) out[rename(k)] = renameEncryptionContext(v)
  return out
}

// servicePrincipals lists, per policy, the AWS services its Allow
// statements name: service principals, and service-linked roles (an AWS
// principal under role/aws-service-role/), through which some services
// (Firewall Manager's notifications) act on our resources.
export function servicePrincipals(entry) {
  const out = new Set()
  for (const s of entry.policy?.Statement ?? []) {
    if (s.Effect !== 'Allow' || typeof s.Principal !== 'object') continue
    for (const p of [s.Principal.Service ?? []].flat()) out.add(p)
    for (const p of [s.Principal.AWS ?? []].flat()) {
      if (typeof p === 'string' && /:role\/aws-service-role\//.test(p)) out.add(p)
    }
  }
  return [...out]
}

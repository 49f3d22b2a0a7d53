// Reads the golden template snapshots of every example configuration and
// resolves their CloudFormation intrinsics to concrete, made-up physical
// names and ARNs, so that the policies in them can be evaluated as AWS would
// evaluate them after deployment.
//
// The snapshots (test/testdata/snapshots/<fixture>/*.template.json) are what
// `cdk synth` writes, kept equal to it by the Go snapshot test; each fixture's
// environments.json says where each stack deploys (aws://account/region).
// Names are invented deterministically from stack and logical ID; ARNs are
// built the way each service documents them, in partition aws.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

// UNKNOWN_ACCOUNT stands for the account of an environment-agnostic stack
// (the sandbox and default configs deploy to whatever account the
// credentials name); MEMBER_ACCOUNT for an account of the organization that
// the member baseline StackSet deploys to.
export const UNKNOWN_ACCOUNT = '123456789012'
export const MEMBER_ACCOUNT = '555555555555'

// NO_VALUE is AWS::NoValue: the property or list item disappears.
const NO_VALUE = Symbol('AWS::NoValue')

// loadFixtures reads every fixture under dir (test/testdata/snapshots).
export function loadFixtures(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => loadFixture(name, join(dir, name)))
}

function loadFixture(name, dir) {
  const environments = JSON.parse(readFileSync(join(dir, 'environments.json'), 'utf8'))
  const templates = {}
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.template.json')) {
      templates[file.slice(0, -'.template.json'.length)] = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    }
  }
  return new Fixture(name, templates, environments)
}

// Fixture is one example configuration's app: its stacks, each placed in an
// account and region. A stack deployed by a StackSet (no account or region in
// the manifest) is placed once per region the app governs, in MEMBER_ACCOUNT.
export class Fixture {
  constructor(name, templates, environments) {
    this.name = name
    this.templates = templates
    this.environmentsJson = environments
    const known = Object.values(environments)
      .map(parseEnvironment)
      .filter((e) => e.region)
    const regions = [...new Set(known.map((e) => e.region))].sort()
    this.stacks = []
    for (const stackName of Object.keys(templates).sort()) {
      const env = parseEnvironment(environments[stackName] ?? 'aws://unknown-account/unknown-region')
      if (env.region) {
        this.stacks.push(new Stack(this, stackName, templates[stackName], env.account ?? UNKNOWN_ACCOUNT, env.region))
      } else {
        for (const region of regions) {
          this.stacks.push(new Stack(this, stackName, templates[stackName], MEMBER_ACCOUNT, region, true))
        }
      }
    }
  }

  // stack finds the deployed stack a cross-stack reference names.
  stack(name, region) {
    const s = this.stacks.find((x) => x.name === name && (!region || x.region === region))
    if (!s) throw new Error(`${this.name}: no stack ${name} in ${region}`)
    return s
  }

  // withTemplate is this fixture with one stack's template replaced, for
  // showing that the harness notices a change.
  withTemplate(stackName, template) {
    return new Fixture(this.name, { ...this.templates, [stackName]: template }, this.environmentsJson)
  }
}

function parseEnvironment(env) {
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(env)
  if (!m) throw new Error(`bad environment ${env}`)
  return { account: m[1] === 'unknown-account' ? undefined : m[1], region: m[2] === 'unknown-region' ? undefined : m[2] }
}

// Stack is one template deployed in one account and region.
export class Stack {
  constructor(fixture, name, template, account, region, stackSet = false) {
    this.fixture = fixture
    this.name = name
    this.template = template
    this.account = account
    this.region = region
    this.stackSet = stackSet
    this.partition = 'aws'
    this.resources = template.Resources ?? {}
  }

  toString() {
    return `${this.fixture.name}/${this.name}${this.stackSet ? `@${this.region}` : ''}`
  }

  // resolve replaces every intrinsic function in value with what
  // CloudFormation would put there.
  resolve(value) {
    const out = this.#resolve(value)
    return out === NO_VALUE ? undefined : out
  }

  // sdkCall returns a Custom::AWS call (Create, Update or Delete) as an
  // object with every reference resolved. The golden snapshots hold calls in
  // review.Readable's form (an object whose strings carry "${Ref:X}",
  // "${GetAtt:X.Y}" or "${Token:...}" placeholders); a synthesized template
  // holds a JSON string or an Fn::Join of one.
  sdkCall(value) {
    if (value === undefined) return {}
    if (typeof value === 'string' || ('Fn::Join' in value && Object.keys(value).length === 1)) {
      return JSON.parse(this.resolve(value))
    }
    // A placeholder ends at the brace that balances its "${"; a token's
    // JSON (quotes written as ') has braces of its own.
    const fillString = (v) => {
      let out = ''
      for (let i = 0; i < v.length; ) {
        const m = /^\$\{(Ref|GetAtt|Token):/.exec(v.slice(i))
        if (!m) {
          out += v[i++]
          continue
        }
        let depth = 1
        let j = i + 2
        for (; j < v.length && depth > 0; j++) depth += v[j] === '{' ? 1 : v[j] === '}' ? -1 : 0
        const [kind, arg] = [m[1], v.slice(i + m[0].length, j - 1)]
        if (kind === 'Ref') out += this.resolve({ Ref: arg })
        else if (kind === 'GetAtt') {
          const dot = arg.indexOf('.')
          out += this.resolve({ 'Fn::GetAtt': [arg.slice(0, dot), arg.slice(dot + 1)] })
        } else out += this.resolve(JSON.parse(arg.replaceAll("'", '"')))
        i = j
      }
      return out
    }
    const fill = (v) => {
      if (Array.isArray(v)) return v.map(fill)
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fill(e)]))
      return typeof v === 'string' ? fillString(v) : v
    }
    return fill(value)
  }

  #resolve(value) {
    if (Array.isArray(value)) {
      return value.map((v) => this.#resolve(v)).filter((v) => v !== NO_VALUE)
    }
    if (value === null || typeof value !== 'object') return value
    const keys = Object.keys(value)
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.#intrinsic(keys[0], value[keys[0]])
    }
    const out = {}
    for (const k of keys) {
      const v = this.#resolve(value[k])
      if (v !== NO_VALUE) out[k] = v
    }
    return out
  }

  #intrinsic(fn, arg) {
    switch (fn) {
      case 'Ref':
        return this.ref(arg)
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? arg : arg.split(/\.(.+)/)
        return this.getAtt(id, this.#resolve(attr))
      }
      case 'Fn::Join': {
        const [sep, parts] = arg
        return this.#resolve(parts).join(sep)
      }
      case 'Fn::Sub':
        return this.#sub(arg)
      case 'Fn::Select': {
        const [i, list] = this.#resolve(arg)
        return list[Number(i)]
      }
      case 'Fn::Split': {
        const [sep, s] = this.#resolve(arg)
        return s.split(sep)
      }
      case 'Fn::If': {
        const [cond, yes, no] = arg
        return this.#resolve(this.condition(cond) ? yes : no)
      }
      case 'Fn::Equals': {
        const [a, b] = this.#resolve(arg)
        return a === b
      }
      case 'Fn::Not':
        return !this.#resolve(arg)[0]
      case 'Fn::And':
        return this.#resolve(arg).every(Boolean)
      case 'Fn::Or':
        return this.#resolve(arg).some(Boolean)
      case 'Condition':
        return this.condition(arg)
      case 'Fn::GetStackOutput': {
        // A cross-stack, cross-region reference: the other stack's output.
        const { StackName, Region, OutputName } = this.#resolve(arg)
        const other = this.fixture.stack(StackName, Region)
        const output = other.template.Outputs?.[OutputName]
        if (!output) throw new Error(`${this}: ${StackName} has no output ${OutputName}`)
        return other.resolve(output.Value)
      }
      case 'Fn::ImportValue': {
        const name = this.#resolve(arg)
        for (const other of this.fixture.stacks) {
          if (other.region !== this.region || other.account !== this.account) continue
          for (const output of Object.values(other.template.Outputs ?? {})) {
            if (output.Export && other.resolve(output.Export.Name) === name) return other.resolve(output.Value)
          }
        }
        throw new Error(`${this}: no export ${name}`)
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => this.region + z)
      case 'Fn::Base64':
        return Buffer.from(String(this.#resolve(arg))).toString('base64')
      default:
        throw new Error(`${this}: unsupported intrinsic ${fn}`)
    }
  }

  condition(name) {
    const c = this.template.Conditions?.[name]
    if (c === undefined) throw new Error(`${this}: no condition ${name}`)
    return Boolean(this.#resolve(c))
  }

  #sub(arg) {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}]
    const values = this.#resolve(vars)
    return text.replace(/\$\{([^}]+)\}/g, (whole, name) => {
      if (name.startsWith('!')) return '${' + name.slice(1) + '}'
      if (name in values) return values[name]
      if (name.includes('.')) {
        const [id, attr] = name.split(/\.(.+)/)
        return this.getAtt(id, attr)
      }
      return this.ref(name)
    })
  }

  ref(name) {
    switch (name) {
      case 'AWS::AccountId':
        return this.account
      case 'AWS::Region':
        return this.region
      case 'AWS::Partition':
        return this.partition
      case 'AWS::URLSuffix':
        return 'amazonaws.com'
      case 'AWS::StackName':
        return this.name
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.region}:${this.account}:stack/${this.name}/00000000-0000-0000-0000-000000000000`
      case 'AWS::NoValue':
        return NO_VALUE
      case 'AWS::NotificationARNs':
        return []
    }
    const param = this.template.Parameters?.[name]
    if (param) {
      if (param.Default === undefined) throw new Error(`${this}: parameter ${name} has no default`)
      return param.Default
    }
    const r = this.resources[name]
    if (!r) throw new Error(`${this}: Ref to unknown ${name}`)
    return this.physicalId(name, r)
  }

  // name is the physical name a resource gets: its name property when the
  // template sets one, else one made from the stack and logical ID.
  physicalName(id, property) {
    const r = this.resources[id]
    const given = property && r.Properties?.[property]
    if (given !== undefined) return this.resolve(given)
    return `${this.name}-${id}`
  }

  physicalId(id, r) {
    const arn = (service, resource, region = this.region, account = this.account) =>
      `arn:${this.partition}:${service}:${region}:${account}:${resource}`
    switch (r.Type) {
      case 'AWS::S3::Bucket':
        return this.physicalName(id, 'BucketName').toLowerCase().slice(0, 63)
      case 'AWS::SNS::Topic':
        return arn('sns', this.physicalName(id, 'TopicName'))
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.region}.amazonaws.com/${this.account}/${this.physicalName(id, 'QueueName')}`
      case 'AWS::KMS::Key':
        return keyId(this, id)
      case 'AWS::Logs::LogGroup':
        return this.physicalName(id, 'LogGroupName')
      case 'AWS::IAM::Role':
        return this.physicalName(id, 'RoleName')
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${this.partition}:iam::${this.account}:policy/${this.physicalName(id, 'ManagedPolicyName')}`
      case 'AWS::Lambda::Function':
        return this.physicalName(id, 'FunctionName')
      case 'AWS::Events::Rule':
        return this.physicalName(id, 'Name')
      case 'AWS::CloudWatch::Alarm':
        return this.physicalName(id, 'AlarmName')
      case 'AWS::CloudTrail::Trail':
        return this.physicalName(id, 'TrailName')
      case 'AWS::SecretsManager::Secret':
        return arn('secretsmanager', `secret:${this.physicalName(id, 'Name')}-AbCdEf`)
      default:
        return `${id.toLowerCase()}-${this.region}`
    }
  }

  getAtt(id, attr) {
    const r = this.resources[id]
    if (!r) throw new Error(`${this}: GetAtt of unknown ${id}`)
    const ref = () => this.physicalId(id, r)
    const arn = (service, resource) => `arn:${this.partition}:${service}:${this.region}:${this.account}:${resource}`
    switch (`${r.Type}.${attr}`) {
      case 'AWS::S3::Bucket.Arn':
        return `arn:${this.partition}:s3:::${ref()}`
      case 'AWS::S3::Bucket.DomainName':
        return `${ref()}.s3.amazonaws.com`
      case 'AWS::S3::Bucket.RegionalDomainName':
        return `${ref()}.s3.${this.region}.amazonaws.com`
      case 'AWS::KMS::Key.Arn':
        return arn('kms', `key/${ref()}`)
      case 'AWS::KMS::Key.KeyId':
        return ref()
      case 'AWS::SNS::Topic.TopicArn':
        return ref()
      case 'AWS::SNS::Topic.TopicName':
        return ref().split(':').pop()
      case 'AWS::Logs::LogGroup.Arn':
        return arn('logs', `log-group:${ref()}:*`)
      case 'AWS::IAM::Role.Arn':
        return `arn:${this.partition}:iam::${this.account}:role/${ref()}`
      case 'AWS::IAM::Role.RoleId':
        return `AROA${id.toUpperCase().slice(0, 17)}`
      case 'AWS::Lambda::Function.Arn':
        return arn('lambda', `function:${ref()}`)
      case 'AWS::Events::Rule.Arn':
        return arn('events', `rule/${ref()}`)
      case 'AWS::CloudWatch::Alarm.Arn':
        return arn('cloudwatch', `alarm:${ref()}`)
      case 'AWS::CloudTrail::Trail.Arn':
        return arn('cloudtrail', `trail/${ref()}`)
      case 'AWS::GuardDuty::Detector.Id':
        return ref()
      case 'AWS::SecretsManager::Secret.Id':
        return ref()
      default:
        if (attr === 'Arn' || attr.endsWith('Arn')) return arn(serviceOf(r.Type), `${id}`)
        return `${id}.${attr}`
    }
  }
}

// keyId is a made-up key ID, distinct per stack, region and logical ID.
function keyId(stack, id) {
  return `${stack.name}-${id}`.toLowerCase()
}

function serviceOf(type) {
  return type.split('::')[1].toLowerCase()
}

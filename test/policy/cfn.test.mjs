// The intrinsic resolver the policy simulations rest on: a wrong ARN here
// would make a simulation pass or fail for the wrong reason.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Fixture, MEMBER_ACCOUNT, UNKNOWN_ACCOUNT } from './cfn.mjs'

const app = new Fixture('t', {
  data: {
    Conditions: { IsHome: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'logs-${AWS::AccountId}-${AWS::Region}' } } },
      Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/mamori/x' } },
      Rule: { Type: 'AWS::Events::Rule', Properties: {} },
    },
    Outputs: { KeyArn: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
  },
  user: {
    Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::Join': ['-', ['r', { Ref: 'AWS::Region' }]] } } } },
  },
}, { data: 'aws://111111111111/eu-west-1', user: 'aws://unknown-account/unknown-region' })

const data = app.stack('data')

test('pseudo parameters, Ref, Fn::GetAtt, Fn::Join and Fn::Sub', () => {
  assert.equal(data.resolve({ Ref: 'AWS::AccountId' }), '111111111111')
  assert.equal(data.resolve({ 'Fn::Join': [':', [{ Ref: 'AWS::Partition' }, { Ref: 'AWS::Region' }]] }), 'aws:eu-west-1')
  assert.equal(data.resolve({ Ref: 'Bucket' }), 'logs-111111111111-eu-west-1')
  assert.equal(data.resolve({ 'Fn::GetAtt': ['Bucket', 'Arn'] }), 'arn:aws:s3:::logs-111111111111-eu-west-1')
  assert.match(data.resolve({ 'Fn::GetAtt': ['Key', 'Arn'] }), /^arn:aws:kms:eu-west-1:111111111111:key\/.+/)
  assert.match(data.resolve({ Ref: 'Topic' }), /^arn:aws:sns:eu-west-1:111111111111:.+/)
  assert.equal(data.resolve({ 'Fn::GetAtt': ['Logs', 'Arn'] }), 'arn:aws:logs:eu-west-1:111111111111:log-group:/mamori/x:*')
  assert.match(data.resolve({ 'Fn::GetAtt': ['Rule', 'Arn'] }), /^arn:aws:events:eu-west-1:111111111111:rule\/.+/)
  assert.equal(data.resolve({ 'Fn::Sub': ['${B}/${!Literal}/${Logs}', { B: { Ref: 'AWS::Region' } }] }), 'eu-west-1/${Literal}//mamori/x')
  assert.equal(data.resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b'] }] }), 'b')
})

test('conditions and AWS::NoValue', () => {
  assert.equal(data.resolve({ 'Fn::If': ['IsHome', 'yes', 'no'] }), 'yes')
  assert.deepEqual(data.resolve(['a', { Ref: 'AWS::NoValue' }]), ['a'])
  assert.deepEqual(data.resolve({ A: 'a', B: { Ref: 'AWS::NoValue' } }), { A: 'a' })
})

test('cross-stack outputs resolve in the stack that owns them', () => {
  const arn = data.resolve({ 'Fn::GetAtt': ['Key', 'Arn'] })
  assert.equal(data.resolve({ 'Fn::GetStackOutput': { StackName: 'data', Region: 'eu-west-1', OutputName: 'KeyArn' } }), arn)
})

test('a StackSet template is placed in a member account in every region of the app', () => {
  const placed = app.stacks.filter((s) => s.name === 'user')
  assert.deepEqual(placed.map((s) => [s.account, s.region]), [[MEMBER_ACCOUNT, 'eu-west-1']])
  assert.equal(placed[0].resolve({ 'Fn::GetAtt': ['Role', 'Arn'] }), `arn:aws:iam::${MEMBER_ACCOUNT}:role/r-eu-west-1`)
  assert.notEqual(UNKNOWN_ACCOUNT, MEMBER_ACCOUNT)
})

test('an unknown reference is an error, not a guess', () => {
  assert.throws(() => data.resolve({ Ref: 'Missing' }), /Ref to unknown Missing/)
  assert.throws(() => data.resolve({ 'Fn::Transform': {} }), /unsupported intrinsic/)
})

test('SDK calls in the snapshots\' readable form and in the synthesized form', () => {
  const readable = {
    service: 'Macie2',
    parameters: { kmsKeyArn: '${GetAtt:Key.Arn}', bucket: '${Ref:Bucket}', out: "${Token:{'Fn::GetStackOutput':{'StackName':'s','Region':'r','OutputName':'o'}}}x" },
  }
  const bucket = 'logs-111111111111-eu-west-1'
  const fakeOutput = new Fixture('o', { s: { Outputs: { o: { Value: 'v' } } } }, { s: 'aws://111111111111/r' })
  const withOutput = fakeOutput.stack('s')
  const call = data.sdkCall({ ...readable, parameters: { ...readable.parameters, out: undefined } })
  assert.match(call.parameters.kmsKeyArn, /^arn:aws:kms:eu-west-1:111111111111:key\/.+/)
  assert.equal(call.parameters.bucket, bucket)
  assert.equal(withOutput.sdkCall({ p: "${Token:{'Fn::GetStackOutput':{'StackName':'s','Region':'r','OutputName':'o'}}}x" }).p, 'vx')
  assert.deepEqual(data.sdkCall('{"a":1}'), { a: 1 })
  assert.deepEqual(data.sdkCall({ 'Fn::Join': ['', ['{"b":"', { Ref: 'Bucket' }, '"}']] }), { b: bucket })
  assert.deepEqual(data.sdkCall(undefined), {})
})

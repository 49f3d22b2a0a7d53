// node --test: evaluates the prevention layer's service control policies and
// resource control policies, exactly as the organization example synthesizes
// them (the committed snapshot of mamori-org-prevention-us-east-1), with
// @cloud-copilot/iam-simulate (a test-only tool pinned in .tools, AGPL-3.0,
// never shipped) over a table of requests from a member account of a
// target OU.
//
// Every request carries the global context keys AWS would set (the
// simulator takes them as given): aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalOrgID, aws:RequestedRegion, aws:SecureTransport and
// aws:PrincipalIsAWSService.
import test from 'node:test';
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { runSimulation } = createRequire(import.meta.url)('@cloud-copilot/iam-simulate');

const template = JSON.parse(readFileSync(new URL('../testdata/snapshots/organization/mamori-org-prevention-us-east-1.template.json', import.meta.url)));
const policies = (type) => Object.entries(template.Resources)
  .filter(([, r]) => r.Type === 'AWS::Organizations::Policy' && r.Properties.Type === type)
  .map(([id, r]) => ({ name: id, policy: r.Properties.Content, targets: r.Properties.TargetIds }));

const scps = policies('SERVICE_CONTROL_POLICY');
const rcps = policies('RESOURCE_CONTROL_POLICY');
const ORG = 'o-abcdefghij';
const OU = 'ou-ab12-11111111';
const MEMBER = '444455556666';
const FOREIGN = '999999999999';
const VENDOR = '777777777777'; // prevention.resourcePerimeter.exceptionAccounts
const full = { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

const role = (name, account = MEMBER) => `arn:aws:iam::${account}:role/${name}`;
const ADMIN = role('AdministratorAccess');
const STACKSET = role('stacksets-exec-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d');
// mamori deploys with `cdk deploy` into the security-tooling and log-archive
// accounts only: their CDK roles are exempt, a member's own are not.
const TOOLING = '222222222222';
const CDK_EXEC = role(`cdk-hnb659fds-cfn-exec-role-${TOOLING}-us-east-1`, TOOLING);
const CDK_DEPLOY = role(`cdk-hnb659fds-deploy-role-${TOOLING}-us-east-1`, TOOLING);
const MEMBER_CDK = role(`cdk-hnb659fds-cfn-exec-role-${MEMBER}-us-east-1`);
const BREAK_GLASS = role('BreakGlass');
const MAMORI_CALLS = role('mamori-org-settings-us-east-1-SdkCallsRoleA65CBDBC-AbC123');
const ROOT = `arn:aws:iam::${MEMBER}:root`;

const arn = {
  detector: `arn:aws:guardduty:us-east-1:${MEMBER}:detector/12abc34d567e8fa901bc2d34e56789f0`,
  hub: `arn:aws:securityhub:us-east-1:${MEMBER}:hub/default`,
  trail: `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/mamori-trail`,
  key: `arn:aws:kms:us-east-1:${MEMBER}:key/11111111-2222-3333-4444-555555555555`,
  bucket: `arn:aws:s3:::member-data-${MEMBER}/report.csv`,
  stack: `arn:aws:cloudformation:us-east-1:${MEMBER}:stack/StackSet-mamori-member-baseline-1a2b/0a1b2c3d-4e5f`,
  any: '*',
};

// The SCPs attach to the target OUs, beside AWS's FullAWSAccess; the root
// keeps FullAWSAccess alone.
const scpLayers = () => {
  for (const p of scps) {
    assert.ok(p.targets.includes(OU), `${p.name} attaches to ${OU}`);
  }
  return [
    { orgIdentifier: 'r-ab12', policies: [full] },
    { orgIdentifier: OU, policies: [full, ...scps.map(({ name, policy }) => ({ name, policy }))] },
  ];
};

// request is one row of the table: who does what where, and the result.
const request = ({ principal, action, resource = '*', region = 'us-east-1', account, resourceAccount = MEMBER, tls = true, ctx = {}, service = false }) => {
  const principalAccount = account ?? (principal.match(/::(\d{12}):/) || [])[1];
  const context = {
    'aws:RequestedRegion': region,
    'aws:SecureTransport': tls ? 'true' : 'false',
    'aws:PrincipalIsAWSService': service ? 'true' : 'false',
    ...ctx,
  };
  if (!service) {
    context['aws:PrincipalArn'] = principal;
    context['aws:PrincipalAccount'] = principalAccount;
    if (principalAccount === MEMBER) {
      context['aws:PrincipalOrgID'] = ORG;
    }
  }
  return { action, principal, resource: { accountId: resourceAccount, resource }, contextVariables: context };
};

// scpRows: identity-side requests inside the member account, where the
// principal's own policy allows everything (an administrator).
const scpRows = [
  // A member administrator cannot turn the baseline off...
  ['admin deletes the GuardDuty detector', { principal: ADMIN, action: 'guardduty:DeleteDetector', resource: arn.detector }, 'ExplicitlyDenied'],
  ['admin changes the GuardDuty detector', { principal: ADMIN, action: 'guardduty:UpdateDetector', resource: arn.detector }, 'ExplicitlyDenied'],
  ['admin leaves the GuardDuty administrator', { principal: ADMIN, action: 'guardduty:DisassociateFromAdministratorAccount', resource: arn.any }, 'ExplicitlyDenied'],
  ['admin disables Security Hub', { principal: ADMIN, action: 'securityhub:DisableSecurityHub', resource: arn.hub }, 'ExplicitlyDenied'],
  ['admin disables Security Hub standards', { principal: ADMIN, action: 'securityhub:BatchDisableStandards', resource: arn.hub }, 'ExplicitlyDenied'],
  ['admin stops the Config recorder', { principal: ADMIN, action: 'config:StopConfigurationRecorder', resource: arn.any }, 'ExplicitlyDenied'],
  ['admin deletes the Config recorder', { principal: ADMIN, action: 'config:DeleteConfigurationRecorder', resource: arn.any }, 'ExplicitlyDenied'],
  ['admin deletes the delivery channel', { principal: ADMIN, action: 'config:DeleteDeliveryChannel', resource: arn.any }, 'ExplicitlyDenied'],
  ["admin deletes mamori's trail", { principal: ADMIN, action: 'cloudtrail:DeleteTrail', resource: arn.trail }, 'ExplicitlyDenied'],
  ["admin stops mamori's trail", { principal: ADMIN, action: 'cloudtrail:StopLogging', resource: arn.trail }, 'ExplicitlyDenied'],
  ['admin disables Macie', { principal: ADMIN, action: 'macie2:DisableMacie', resource: arn.any }, 'ExplicitlyDenied'],
  ['admin disables Inspector', { principal: ADMIN, action: 'inspector2:Disable', resource: arn.any }, 'ExplicitlyDenied'],
  ['admin leaves the Detective graph', { principal: ADMIN, action: 'detective:DisassociateMembership', resource: arn.any }, 'ExplicitlyDenied'],
  ['admin deletes an Access Analyzer analyzer', { principal: ADMIN, action: 'access-analyzer:DeleteAnalyzer', resource: arn.any }, 'ExplicitlyDenied'],
  ['admin disables EBS encryption by default', { principal: ADMIN, action: 'ec2:DisableEbsEncryptionByDefault', resource: arn.any }, 'ExplicitlyDenied'],
  ['admin changes S3 account Block Public Access', { principal: ADMIN, action: 's3:PutAccountPublicAccessBlock', resource: arn.any }, 'ExplicitlyDenied'],
  ["admin schedules mamori's key for deletion", { principal: ADMIN, action: 'kms:ScheduleKeyDeletion', resource: arn.key, ctx: { 'kms:ResourceAliases': ['alias/mamori/member-data'] } }, 'ExplicitlyDenied'],
  ["admin disables a key tagged as mamori's", { principal: ADMIN, action: 'kms:DisableKey', resource: arn.key, ctx: { 'aws:ResourceTag/mamori:prefix': 'mamori' } }, 'ExplicitlyDenied'],
  ['admin deletes the StackSet execution role', { principal: ADMIN, action: 'iam:DeleteRole', resource: role('stacksets-exec-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d') }, 'ExplicitlyDenied'],
  ["admin widens mamori's Config role", { principal: ADMIN, action: 'iam:AttachRolePolicy', resource: role('mamori-config-recorder-us-east-1') }, 'ExplicitlyDenied'],
  ["admin creates a role named like mamori's, to get its exemption", { principal: ADMIN, action: 'iam:CreateRole', resource: role('mamori-backdoor') }, 'ExplicitlyDenied'],
  ["admin deletes the member baseline's stack", { principal: ADMIN, action: 'cloudformation:DeleteStack', resource: arn.stack }, 'ExplicitlyDenied'],
  // ...nor leave the organization or change what the management account sets.
  ['admin leaves the organization', { principal: ADMIN, action: 'organizations:LeaveOrganization' }, 'ExplicitlyDenied'],
  ['admin changes an alternate contact', { principal: ADMIN, action: 'account:PutAlternateContact' }, 'ExplicitlyDenied'],
  ['admin opts in to a region', { principal: ADMIN, action: 'account:EnableRegion' }, 'ExplicitlyDenied'],
  ['the root user lists buckets', { principal: ROOT, action: 's3:ListAllMyBuckets' }, 'ExplicitlyDenied'],
  // The region deny: outside the governed regions only global services work.
  ['EC2 in an ungoverned region', { principal: ADMIN, action: 'ec2:RunInstances', region: 'ap-northeast-1' }, 'ExplicitlyDenied'],
  ['a bucket in an ungoverned region', { principal: ADMIN, action: 's3:CreateBucket', region: 'ap-northeast-1' }, 'ExplicitlyDenied'],
  ['Lambda in an ungoverned region', { principal: ADMIN, action: 'lambda:CreateFunction', region: 'sa-east-1' }, 'ExplicitlyDenied'],
  ['IAM from an ungoverned region', { principal: ADMIN, action: 'iam:ListRoles', region: 'ap-northeast-1' }, 'Allowed'],
  ['STS from an ungoverned region', { principal: ADMIN, action: 'sts:GetCallerIdentity', region: 'ap-northeast-1' }, 'Allowed'],
  ['Route 53 from an ungoverned region', { principal: ADMIN, action: 'route53:ListHostedZones', region: 'ap-northeast-1' }, 'Allowed'],
  ['EC2 in a governed region', { principal: ADMIN, action: 'ec2:RunInstances', region: 'us-west-2' }, 'Allowed'],
  ['EC2 in a governed opt-in region', { principal: ADMIN, action: 'ec2:RunInstances', region: 'eu-south-1' }, 'Allowed'],
  // The principals that deploy and run the baseline are exempt.
  ['StackSet execution role deletes the detector', { principal: STACKSET, action: 'guardduty:DeleteDetector', resource: arn.detector }, 'Allowed'],
  ['StackSet execution role replaces the Config recorder', { principal: STACKSET, action: 'config:PutConfigurationRecorder', resource: arn.any }, 'Allowed'],
  ['StackSet execution role updates its stack', { principal: STACKSET, action: 'cloudformation:UpdateStack', resource: arn.stack }, 'Allowed'],
  ["CDK's CloudFormation role deletes mamori's trail", { principal: CDK_EXEC, action: 'cloudtrail:DeleteTrail', resource: arn.trail.replace(MEMBER, TOOLING), resourceAccount: TOOLING }, 'Allowed'],
  ["CDK's deploy role schedules mamori's key for deletion", { principal: CDK_DEPLOY, action: 'kms:ScheduleKeyDeletion', resource: arn.key.replace(MEMBER, TOOLING), resourceAccount: TOOLING, ctx: { 'kms:ResourceAliases': ['alias/mamori/member-data'] } }, 'Allowed'],
  ["mamori's API-call role updates the detector", { principal: MAMORI_CALLS, action: 'guardduty:UpdateDetector', resource: arn.detector }, 'Allowed'],
  ["a member's own CDK role deletes the detector", { principal: MEMBER_CDK, action: 'guardduty:DeleteDetector', resource: arn.detector }, 'ExplicitlyDenied'],
  ['admin bootstraps CDK in its own account', { principal: ADMIN, action: 'iam:CreateRole', resource: MEMBER_CDK }, 'Allowed'],
  ['break-glass role leaves the organization', { principal: BREAK_GLASS, action: 'organizations:LeaveOrganization' }, 'Allowed'],
  ['break-glass role disables Security Hub', { principal: BREAK_GLASS, action: 'securityhub:DisableSecurityHub', resource: arn.hub }, 'Allowed'],
  ['break-glass role runs EC2 in an ungoverned region', { principal: BREAK_GLASS, action: 'ec2:RunInstances', region: 'ap-northeast-1' }, 'Allowed'],
  // What the member's own workloads need stays open.
  ['admin creates its own role', { principal: ADMIN, action: 'iam:CreateRole', resource: role('app-deployer') }, 'Allowed'],
  ['admin schedules its own key for deletion', { principal: ADMIN, action: 'kms:ScheduleKeyDeletion', resource: arn.key, ctx: { 'kms:ResourceAliases': ['alias/app/orders'] } }, 'Allowed'],
  ['admin deletes its own trail', { principal: ADMIN, action: 'cloudtrail:DeleteTrail', resource: `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/app-trail` }, 'Allowed'],
  ['admin reads GuardDuty findings', { principal: ADMIN, action: 'guardduty:GetFindings', resource: arn.any }, 'Allowed'],
  // A privileged root session (centralized root access) may still delete
  // root credentials.
  ['the root user deletes its login profile', { principal: ROOT, action: 'iam:DeleteLoginProfile' }, 'Allowed'],
];

// rcpRows: requests to the member account's resources, whose resource
// policy admits the caller; the RCPs decide.
const rcpRows = [
  ['a foreign account reads an object', { principal: role('Reader', FOREIGN), action: 's3:GetObject', resource: arn.bucket }, 'ExplicitlyDenied'],
  ['a foreign account decrypts with a key', { principal: role('Reader', FOREIGN), action: 'kms:Decrypt', resource: arn.key }, 'ExplicitlyDenied'],
  ['a foreign account reads a secret', { principal: role('Reader', FOREIGN), action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:us-east-1:${MEMBER}:secret:db-AbCdEf` }, 'ExplicitlyDenied'],
  ['a foreign account sends to a queue', { principal: role('Reader', FOREIGN), action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${MEMBER}:orders` }, 'ExplicitlyDenied'],
  ['a foreign account assumes a role', { principal: role('Reader', FOREIGN), action: 'sts:AssumeRole', resource: role('CrossAccount') }, 'ExplicitlyDenied'],
  ['the listed vendor account reads an object', { principal: role('Reader', VENDOR), action: 's3:GetObject', resource: arn.bucket }, 'Allowed'],
  ['an organization account reads an object', { principal: role('Reader', MEMBER), action: 's3:GetObject', resource: arn.bucket }, 'Allowed'],
  ['an organization account reads without TLS', { principal: role('Reader', MEMBER), action: 's3:GetObject', resource: arn.bucket, tls: false }, 'ExplicitlyDenied'],
  ['AWS Config delivers for an organization account', {
    principal: 'config.amazonaws.com', service: true, action: 's3:PutObject', resource: arn.bucket,
    ctx: { 'aws:SourceOrgID': ORG, 'aws:SourceAccount': MEMBER },
  }, 'Allowed'],
  ['AWS Config delivers for a foreign organization', {
    principal: 'config.amazonaws.com', service: true, action: 's3:PutObject', resource: arn.bucket,
    ctx: { 'aws:SourceOrgID': 'o-zzzzzzzzzz', 'aws:SourceAccount': FOREIGN },
  }, 'ExplicitlyDenied'],
];

test('the organization example synthesizes the policies under test', () => {
  assert.ok(scps.length >= 1 && scps.length <= 3, `${scps.length} SCPs: at most 3 beside FullAWSAccess and one of the organization's own`);
  assert.strictEqual(rcps.length, 1);
  assert.ok(scpRows.length + rcpRows.length >= 40, 'at least 40 requests');
});

for (const [name, req, want] of scpRows) {
  test(`SCP: ${name} → ${want}`, async () => {
    const sim = { identityPolicies: [full], serviceControlPolicies: scpLayers(), resourceControlPolicies: [], request: request(req) };
    if (req.action.startsWith('kms:')) {
      // A KMS key needs its key policy to delegate to IAM: the default
      // key policy does.
      sim.resourcePolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${req.resourceAccount ?? MEMBER}:root` }, Action: 'kms:*', Resource: '*' }] };
    }
    const r = await runSimulation(sim, {});
    assert.notStrictEqual(r.resultType, 'error', JSON.stringify(r.errors));
    assert.strictEqual(r.overallResult, want);
  });
}

for (const [name, req, want] of rcpRows) {
  test(`RCP: ${name} → ${want}`, async () => {
    const principal = req.service ? { Service: req.principal } : { AWS: req.principal };
    const r = await runSimulation({
      identityPolicies: req.service ? [] : [full],
      serviceControlPolicies: [],
      resourceControlPolicies: [{ orgIdentifier: OU, policies: rcps.map(({ name: n, policy }) => ({ name: n, policy })) }],
      resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: req.action, Resource: req.resource }] },
      request: request(req),
    }, {});
    assert.notStrictEqual(r.resultType, 'error', JSON.stringify(r.errors));
    assert.strictEqual(r.overallResult, want);
  });
}

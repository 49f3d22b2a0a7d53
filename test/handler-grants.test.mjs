// Each deploy-time handler's role grants exactly what the handler calls.
//
// The calls come from the handler's source: every `new XCommand(` of an AWS
// SDK client package it requires. The client package gives the IAM service
// prefix and the command the action, through the small tables below for the
// exceptions. The grants come from the synthesized templates (the golden
// snapshots, which TestSnapshots keeps equal to the synthesized output, and
// test/testdata/grants for handlers no example deploys): the
// statements of the role of every function whose code is a handler. A
// handler's grant that it never calls fails, and so does a call it has no
// grant for.
//
// What this cannot know without an account: whether a resource or condition
// in a statement admits the actual request (the actions are compared, not
// the resources), and whether the services behind a call need more
// permissions than the documentation lists (the `implied` table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// IAM service prefix of each SDK client package the handlers use.
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
const prefix = {
  '@aws-sdk/client-account': 'account',
  '@aws-sdk/client-auditmanager': 'auditmanager',
  '@aws-sdk/client-cloudhsm-v2': 'cloudhsm',
  '@aws-sdk/client-config-service': 'config',
  '@aws-sdk/client-detective': 'detective',
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-fms': 'fms',
  '@aws-sdk/client-guardduty': 'guardduty',
  '@aws-sdk/client-iam': 'iam',
  '@aws-sdk/client-inspector2': 'inspector2',
  '@aws-sdk/client-macie2': 'macie2',
  '@aws-sdk/client-organizations': 'organizations',
  '@aws-sdk/client-route53resolver': 'route53resolver',
  '@aws-sdk/client-s3-control': 's3',
  '@aws-sdk/client-securityhub': 'securityhub',
};
// Actions named otherwise than their API.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
const renamed = {
  's3:PutPublicAccessBlock': 's3:PutAccountPublicAccessBlock',
};
// What a call needs beyond its own action, because the service acts with the
// caller's permissions; each row from the service's documentation. A row
// keyed "handler/action" applies to that handler's call only.
const delegatedAdmin = [
  'organizations:EnableAWSServiceAccess', 'organizations:RegisterDelegatedAdministrator',
  'organizations:ListDelegatedAdministrators', 'organizations:ListAWSServiceAccessForOrganization',
  'organizations:DescribeOrganization', 'organizations:DescribeAccount',
];
const implied = {
  // https://docs.aws.amazon.com/guardduty/latest/ug/organizations_permissions.html
  'guardduty:EnableOrganizationAdminAccount': [...delegatedAdmin, 'organizations:DescribeOrganizationalUnit', 'organizations:ListAccounts', 'iam:CreateServiceLinkedRole'],
  // https://docs.aws.amazon.com/macie/latest/user/accounts-mgmt-ao-integrate.html
  'macie2:EnableOrganizationAdminAccount': [...delegatedAdmin, 'organizations:DescribeOrganizationalUnit', 'organizations:ListAccounts', 'iam:CreateServiceLinkedRole'],
  // https://docs.aws.amazon.com/inspector/latest/user/admin-member-relationship.html
  'inspector2:EnableDelegatedAdminAccount': [...delegatedAdmin, 'organizations:DescribeOrganizationalUnit', 'organizations:ListAccounts', 'iam:CreateServiceLinkedRole'],
  // https://docs.aws.amazon.com/audit-manager/latest/userguide/security-iam-awsmanpol.html
  'auditmanager:RegisterOrganizationAdminAccount': [...delegatedAdmin, 'iam:CreateServiceLinkedRole'],
  // Audit Manager checks the scope's accounts in Organizations.
  'auditmanager:UpdateAssessment': ['organizations:DescribeOrganization', 'organizations:DescribeAccount'],
  // Inspector creates its service-linked roles when it is first enabled in
  // the calling account; existing-members enables members from an
  // administrator where Inspector already runs.
  // https://docs.aws.amazon.com/inspector/latest/user/using-service-linked-roles.html
  'inspector-enable/inspector2:Enable': ['iam:CreateServiceLinkedRole'],
  // config-adopt names mamori's recorder role in PutConfigurationRecorder,
  // which passes it to AWS Config.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
  'config-adopt/config:PutConfigurationRecorder': ['iam:PassRole'],
  // https://docs.aws.amazon.com/waf/latest/developerguide/fms-prereq.html
  'fms:AssociateAdminAccount': [...delegatedAdmin, 'organizations:ListAccounts', 'iam:CreateServiceLinkedRole'],
  // CloudHSM creates and deletes the HSM's network interface in the
  // cluster's security group with the caller's permissions.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudhsm.html
  'cloudhsm:CreateHsm': [
    'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets',
    'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress', 'ec2:CreateSecurityGroup',
  ],
  'cloudhsm:DeleteHsm': ['ec2:DeleteNetworkInterface'],
};
// Calls a handler makes only when one of the resources it serves has a
// property value, e.g. inspector-enable disables only with DisableOnDelete.
const gates = {
  'inspector-enable': { 'inspector2:Disable': ['DisableOnDelete', true] },
  'member-guards': {
    's3:PutAccountPublicAccessBlock': ['Guard', 's3'],
    'ec2:ModifyEbsDefaultKmsKeyId': ['Guard', 'ebs'],
    'ec2:EnableEbsEncryptionByDefault': ['Guard', 'ebs'],
    'iam:UpdateAccountPasswordPolicy': ['Guard', 'password'],
  },
};
// Every function may write its own log group.
const logs = new Set(['logs:CreateLogStream', 'logs:PutLogEvents']);

// The handlers and their calls. A handler with a `const services = {` table
// (one entry per Service property value) calls its common code's commands
// plus those of the entry its resource names.
const handlers = new Map();
for (const dir of fs.readdirSync(path.join(root, 'constructs'))) {
  const hdir = path.join(root, 'constructs', dir, 'handlers');
  if (!fs.existsSync(hdir)) continue;
  for (const f of fs.readdirSync(hdir).filter((x) => x.endsWith('.js') && !x.endsWith('.test.js'))) {
    const source = fs.readFileSync(path.join(hdir, f), 'utf8');
    handlers.set(f.replace(/\.js$/, ''), { source, ...regions(source, f) });
  }
}

// regions splits a handler's source into its common code and its services
// entries, each with the actions its commands call.
function regions(source, file) {
  const table = source.match(/\nconst services = \{\n([\s\S]*?)\n\};\n/);
  const common = table ? source.replace(table[0], '\n') : source;
  const services = {};
  if (table) {
    const parts = table[1].split(/\n(?= {2}[a-z0-9]+: )/);
    for (const part of parts) {
      const key = part.trim().match(/^([a-z0-9]+): /);
      if (key) services[key[1]] = actions(part, file);
    }
  }
  return { common: actions(common, file), services };
}

// actions lists the IAM actions of the commands a piece of source sends.
function actions(code, file) {
  const pkgs = [...code.matchAll(/require\('(@aws-sdk\/client-[a-z0-9-]+)'\)/g)].map((m) => m[1]);
  const out = new Set();
  for (const m of code.matchAll(/new (?:\w+\.)?(\w+)Command\(/g)) {
    const owners = pkgs.filter((p) => typeof require(p)[`${m[1]}Command`] === 'function');
    assert.equal(owners.length, 1, `${file}: ${m[1]}Command comes from ${owners.length} of the packages it requires (${pkgs.join(', ')})`);
    assert.ok(prefix[owners[0]], `${file}: no IAM prefix for ${owners[0]}: add it to the table`);
    const action = `${prefix[owners[0]]}:${m[1]}`;
    out.add(renamed[action] || action);
  }
  return out;
}

// The synthesized templates of every fixture, and the goldens of
// configurations no example ships that deploy a handler (written by
// TestOrganizationAuditManager).
const templates = [];
for (const dir of ['snapshots', 'grants']) {
  const base = path.join(root, 'test', 'testdata', dir);
  for (const fixture of fs.readdirSync(base)) {
    for (const f of fs.readdirSync(path.join(base, fixture)).filter((x) => x.endsWith('.template.json'))) {
      templates.push({ name: `${dir}/${fixture}/${f}`, t: JSON.parse(fs.readFileSync(path.join(base, fixture, f), 'utf8')) });
    }
  }
}

const getAtt = (v) => v && v['Fn::GetAtt'] && v['Fn::GetAtt'][0];

// grants lists the actions every policy of a role allows.
function grants(resources, roleId) {
  const docs = [];
  const role = resources[roleId].Properties;
  for (const p of role.Policies || []) docs.push(p.PolicyDocument);
  for (const ref of role.ManagedPolicyArns || []) {
    if (ref.Ref && resources[ref.Ref]) docs.push(resources[ref.Ref].Properties.PolicyDocument);
    else assert.fail(`role ${roleId} has a managed policy the template does not define: ${JSON.stringify(ref)}`);
  }
  for (const r of Object.values(resources)) {
    if (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type)
      && (r.Properties.Roles || []).some((x) => x.Ref === roleId)) docs.push(r.Properties.PolicyDocument);
  }
  const out = new Set();
  for (const d of docs) {
    for (const s of d.Statement) {
      assert.equal(s.Effect, 'Allow', `role ${roleId}: only Allow statements expected`);
      for (const a of [].concat(s.Action)) out.add(a);
    }
  }
  return out;
}

// functions finds each handler function in a template, with the properties
// of the custom resources it serves.
function functions(resources) {
  const out = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const p = r.Properties;
    let name = p.Handler && p.Handler.replace(/\.handler$/, '');
    if (p.Code && p.Code.ZipFile) {
      // The snapshots name inline code by its file (review.Readable):
      // "<inline source: constructs/<layer>/handlers/<name>.js, sha256 ...>".
      const file = /^<inline source: (?:.*\/)?([^/,]+)\.js, sha256 [0-9a-f]+>$/.exec(p.Code.ZipFile);
      name = file ? file[1] : [...handlers].find(([, h]) => h.source === p.Code.ZipFile)?.[0];
    }
    if (!name || !handlers.has(name)) continue;
    // Custom resources reach the function directly or through the CDK
    // provider framework's function.
    const tokens = new Set([id]);
    for (const [fid, f] of Object.entries(resources)) {
      const env = f.Type === 'AWS::Lambda::Function' && f.Properties.Environment && f.Properties.Environment.Variables;
      if (env && getAtt(env.USER_ON_EVENT_FUNCTION_ARN) === id) tokens.add(fid);
    }
    const served = Object.values(resources)
      .filter((c) => c.Properties && tokens.has(getAtt(c.Properties.ServiceToken)))
      .map((c) => c.Properties);
    out.push({ id, name, role: getAtt(p.Role), served });
  }
  return out;
}

// scheduled reports whether an EventBridge rule targets function id.
function scheduled(resources, id) {
  return Object.values(resources).some((r) => r.Type === 'AWS::Events::Rule' &&
    (r.Properties.Targets || []).some((target) => getAtt(target.Arn) === id));
}

// expected lists what a handler function should be granted, from the calls
// its served resources make it do.
function expected(name, served) {
  const h = handlers.get(name);
  const calls = new Set(h.common);
  for (const props of served) {
    if (props.Service !== undefined && Object.keys(h.services).length) {
      assert.ok(h.services[props.Service], `${name}: no services entry for ${props.Service}`);
      for (const a of h.services[props.Service]) calls.add(a);
    }
  }
  for (const [action, [prop, value]] of Object.entries(gates[name] || {})) {
    if (!served.some((p) => p[prop] === value)) calls.delete(action);
  }
  const want = new Set(calls);
  for (const a of calls) for (const x of [...(implied[a] || []), ...(implied[`${name}/${a}`] || [])]) want.add(x);
  return { calls, want };
}

test('every handler is found in the source, with calls', () => {
  assert.deepEqual([...handlers.keys()].sort(), [
    'alternate-contacts', 'auditmanager-admin', 'cloudhsm-hsms', 'config-adopt', 'delegated-admin', 'dns-managed-lists', 'existing-members',
    'finding-aggregator', 'fms-admin', 'framework-id', 'inspector-enable', 'member-guards', 'policy-types',
  ]);
  for (const [name, h] of handlers) {
    assert.ok(h.common.size + Object.keys(h.services).length > 0, `${name} calls nothing`);
  }
  // The tables name only actions some handler calls.
  const all = new Set([...handlers.values()].flatMap((h) => [...h.common, ...Object.values(h.services).flatMap((s) => [...s])]));
  for (const a of [...Object.keys(implied).map((k) => k.replace(/^.*\//, '')), ...Object.values(gates).flatMap(Object.keys)]) {
    assert.ok(all.has(a), `${a} is in a table but no handler calls it`);
  }
  assert.deepEqual([...handlers.get('existing-members').common].sort(),
    ['organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent']);
  assert.deepEqual([...handlers.get('existing-members').services.detective].sort(), ['detective:CreateMembers', 'detective:ListMembers']);
});

test('each handler role grants exactly the calls of the handler', () => {
  const seen = new Set();
  for (const { name: file, t } of templates) {
    const resources = t.Resources || {};
    const fns = functions(resources);
    for (const fn of fns) {
      seen.add(fn.name);
      if (fn.served.length === 0 && scheduled(resources, fn.id)) {
        // A schedule runs the handler outside CloudFormation (the alternate
        // contacts' daily reconciler): it must hold no more than the
        // waiting call's own role, which the loop checks.
        assert.ok(fns.some((o) => o.name === fn.name && o.served.length > 0 && o.role === fn.role),
          `${file}: ${fn.id} (${fn.name}) runs on a schedule but not on the role of a function that serves its custom resource`);
        continue;
      }
      assert.ok(fn.served.length > 0, `${file}: ${fn.id} (${fn.name}) serves no custom resource`);
      const { calls, want } = expected(fn.name, fn.served);
      const have = grants(resources, fn.role);
      const missing = [...want].filter((a) => !have.has(a));
      const extra = [...have].filter((a) => !want.has(a) && !logs.has(a));
      assert.deepEqual(missing, [], `${file}: ${fn.name} (${fn.id}) calls ${[...calls].join(', ')} but its role ${fn.role} lacks ${missing.join(', ')}`);
      assert.deepEqual(extra, [], `${file}: ${fn.name} (${fn.id}) role ${fn.role} grants ${extra.join(', ')}, which it never calls`);
    }
  }
  // Every handler is deployed by some template compared here.
  assert.deepEqual([...seen].sort(), [...handlers.keys()].sort());
});

test('the comparison fails on a missing or an extra grant', () => {
  const resources = {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'framework-id.handler', Role: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
    Role: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [{ Ref: 'P' }] } },
    P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['auditmanager:ListAssessmentFrameworks', 'auditmanager:UpdateSettings'] }] } } },
    CR: { Type: 'Custom::X', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
  };
  const [fn] = functions(resources);
  const { want } = expected(fn.name, fn.served);
  assert.deepEqual([...grants(resources, fn.role)].filter((a) => !want.has(a)), ['auditmanager:UpdateSettings']);
  const ex = expected('existing-members', [{ Service: 'auditmanager' }]).want;
  assert.ok(ex.has('auditmanager:UpdateAssessment') && ex.has('organizations:DescribeAccount') && !ex.has('macie2:CreateMember'));
  assert.ok(!expected('inspector-enable', [{ DisableOnDelete: false }]).want.has('inspector2:Disable'));
  assert.ok(expected('inspector-enable', [{ DisableOnDelete: true }]).want.has('inspector2:Disable'));
});

// The table of every place an AWS service uses one of mamori's keys,
// buckets or topics, and the requests that follow from it.
//
// Each row finds, in a deployed stack, the resources that make a service act
// (a GuardDuty publishing destination, a trail, a delivery channel, a log
// group, a rule or alarm that publishes to a topic, ...) and yields the
// requests the service then makes, with the request context AWS documents
// for them. The cases are derived from the templates: a new consumer of a
// row's kind is simulated without a new line here, and a service principal
// that appears in a key, bucket or topic policy without a row fails the
// coverage test.

import { readFileSync } from 'node:fs'
import { MEMBER_ACCOUNT } from './cfn.mjs'

// A foreign account, and a foreign organization, whose principals and
// resources must never get in.
export const FOREIGN_ACCOUNT = '999999999999'
export const FOREIGN_ORG = 'o-zzzzzzzzzz'

// The regions AWS creates disabled (opt-in regions), where GuardDuty's
// export names its regional principal: config.OptInRegion's list, read from
// its Go source so that the two cannot drift apart.
const OPT_IN_REGIONS = new Set(
  /var optInRegions = \[\]string\{([^}]*)\}/.exec(readFileSync(new URL('../../config/organization.go', import.meta.url), 'utf8'))[1]
    .match(/"[a-z0-9-]+"/g)
    .map((r) => r.slice(1, -1)),
)

const TLS = { 'aws:SecureTransport': 'true' }
const S3_TLS = { ...TLS, 's3:TlsVersion': '1.3' }
const DAY = '2026/12/06'

// INTEGRATIONS: one row per integration. `principals` match the service
// principals the row accounts for in policies; `docs` say where the required
// policy comes from; `unscoped` names, per resource kind, why the service's
// grant cannot be scoped to this account's resources (so no foreign-source
// case is asserted there); `uses` yields the requests.
export const INTEGRATIONS = [
  {
    name: 'GuardDuty findings export',
    principals: [/^guardduty(\.[a-z0-9-]+)?\.amazonaws\.com$/],
    docs: [
      'GuardDuty User Guide, "Exporting generated GuardDuty findings to Amazon S3 buckets": key policy kms:GenerateDataKey and bucket policy s3:GetBucketLocation, s3:PutObject, each with aws:SourceAccount and aws:SourceArn (the detector); in an opt-in region the service is guardduty.<region>.amazonaws.com. https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_exportfindings.html',
    ],
    *uses(stack) {
      for (const [id, r] of resourcesOf(stack, 'AWS::GuardDuty::PublishingDestination')) {
        const p = stack.resolve(r.Properties)
        const principal = OPT_IN_REGIONS.has(stack.region) ? `guardduty.${stack.region}.amazonaws.com` : 'guardduty.amazonaws.com'
        const source = sourceOf(stack, `arn:aws:guardduty:${stack.region}:${stack.account}:detector/${p.DetectorId}`)
        const at = `${stack}/${id}`
        yield { at, on: 'key', keyArn: p.DestinationProperties.KmsKeyArn, principal, action: 'kms:GenerateDataKey', context: source }
        const bucket = bucketName(p.DestinationProperties.DestinationArn)
        yield { at, on: 'bucket', bucket, principal, action: 's3:GetBucketLocation', context: { ...source, ...S3_TLS } }
        yield {
          at, on: 'bucket', bucket, principal, action: 's3:PutObject',
          object: `AWSLogs/${stack.account}/GuardDuty/${stack.region}/${DAY}/findings.jsonl.gz`,
          context: {
            ...source, ...S3_TLS,
            's3:x-amz-server-side-encryption': 'aws:kms',
            's3:x-amz-server-side-encryption-aws-kms-key-id': p.DestinationProperties.KmsKeyArn,
          },
        }
      }
    },
  },
  {
    name: 'CloudTrail trail delivery',
    principals: [/^cloudtrail\.amazonaws\.com$/],
    docs: [
      'CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail" (s3:GetBucketAcl, s3:PutObject with s3:x-amz-acl bucket-owner-full-control, aws:SourceArn; organization trails under AWSLogs/<org-id>/). https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html',
      'CloudTrail User Guide, "Configure AWS KMS key policies for CloudTrail" (kms:GenerateDataKey* with kms:EncryptionContext:aws:cloudtrail:arn, kms:DescribeKey). https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html',
      'CloudTrail User Guide, "Sending events to CloudWatch Logs" (a role CloudTrail assumes, logs:CreateLogStream and logs:PutLogEvents on the log group). https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html',
    ],
    *uses(stack, index) {
      for (const [id, r] of resourcesOf(stack, 'AWS::CloudTrail::Trail')) {
        const p = stack.resolve(r.Properties)
        const at = `${stack}/${id}`
        const principal = 'cloudtrail.amazonaws.com'
        const trailArn = stack.getAtt(id, 'Arn')
        const source = sourceOf(stack, trailArn)
        if (p.IsOrganizationTrail) source['aws:SourceOrgID'] = index.organizationId
        yield {
          at, on: 'key', keyArn: p.KMSKeyId, principal, action: 'kms:GenerateDataKey',
          context: { ...source, 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn },
        }
        yield { at, on: 'key', keyArn: p.KMSKeyId, principal, action: 'kms:DescribeKey', context: source }
        const prefix = p.S3KeyPrefix ? `${p.S3KeyPrefix}/` : ''
        const put = (account) => ({
          at, on: 'bucket', bucket: p.S3BucketName, principal, action: 's3:PutObject',
          object: `${prefix}AWSLogs/${account}/CloudTrail/${stack.region}/${DAY}/${stack.account}_CloudTrail_${stack.region}_x.json.gz`,
          context: { ...source, ...S3_TLS, 's3:x-amz-acl': 'bucket-owner-full-control' },
        })
        yield { at, on: 'bucket', bucket: p.S3BucketName, principal, action: 's3:GetBucketAcl', context: { ...source, ...S3_TLS } }
        yield put(stack.account)
        if (p.IsOrganizationTrail) yield put(`${index.organizationId}/${MEMBER_ACCOUNT}`)
        if (p.CloudWatchLogsRoleArn) {
          // CloudTrail writes to the log group as the role: the role's own
          // policies decide (a log group has no policy of its own here).
          const stream = `${p.CloudWatchLogsLogGroupArn.replace(/:\*$/, '')}:log-stream:${stack.account}_CloudTrail_${stack.region}`
          for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
            yield {
              at, on: 'role', principal: p.CloudWatchLogsRoleArn, identityPolicies: identityPolicies(stack, p.CloudWatchLogsRoleArn),
              action, resource: stream, resourceAccount: stack.account, context: { ...TLS, 'aws:PrincipalAccount': stack.account },
            }
          }
        }
      }
    },
  },
  {
    name: 'AWS Config delivery',
    principals: [/^config\.amazonaws\.com$/],
    docs: [
      'AWS Config Developer Guide, "Permissions for the IAM role assigned to AWS Config" (the recorder role writes to the bucket and uses the key). https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html',
      'AWS Config Developer Guide, "Permissions for the Amazon S3 bucket for the AWS Config delivery channel" (config.amazonaws.com: s3:GetBucketAcl, s3:ListBucket, s3:PutObject with bucket-owner-full-control, aws:SourceAccount). https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html',
      'AWS Config Developer Guide, "Permissions for the KMS key" (config.amazonaws.com kms:Decrypt, kms:GenerateDataKey). https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html',
    ],
    *uses(stack, index) {
      // mamori's delivery channel and recorder, or (existing: adopt) the
      // account's own, which the adoption handler points at mamori's
      // bucket, key and role without a key prefix.
      const channels = resourcesOf(stack, 'AWS::Config::DeliveryChannel').map(([id, r]) => {
        const recorders = resourcesOf(stack, 'AWS::Config::ConfigurationRecorder')
        return [id, stack.resolve(r.Properties), stack.resolve(recorders[0][1].Properties.RoleARN)]
      })
      for (const [id, r] of resourcesOf(stack, 'Custom::ConfigRecorderAdoption')) {
        const a = stack.resolve(r.Properties)
        channels.push([id, { S3BucketName: a.BucketName, S3KmsKeyArn: a.KmsKeyArn }, a.RoleArn])
      }
      for (const [id, p, roleArn] of channels) {
        const at = `${stack}/${id}`
        const bucket = index.bucket(p.S3BucketName)
        const keyArn = p.S3KmsKeyArn ?? bucket?.defaultKeyArn
        const prefix = p.S3KeyPrefix ? `${p.S3KeyPrefix}/` : ''
        const object = (account) => `${prefix}AWSLogs/${account}/Config/${stack.region}/${DAY}/ConfigSnapshot/x.json.gz`
        const org = index.organizationId && bucket && bucket.account !== stack.account
        const orgContext = org ? { 'aws:PrincipalOrgID': index.organizationId } : {}
        // The recorder's role delivers; its own policies and the bucket's
        // and key's decide.
        const role = {
          at, principal: roleArn, identityPolicies: identityPolicies(stack, roleArn),
          context: { 'aws:PrincipalAccount': stack.account, ...orgContext },
        }
        yield { ...role, on: 'bucket', bucket: p.S3BucketName, action: 's3:GetBucketAcl', context: { ...role.context, ...S3_TLS } }
        yield {
          ...role, on: 'bucket', bucket: p.S3BucketName, action: 's3:PutObject', object: object(stack.account),
          context: { ...role.context, ...S3_TLS, 's3:x-amz-acl': 'bucket-owner-full-control' },
          // A member must not write into another account's history.
          deniedAlso: org ? [{ object: object('444444444444'), why: "into another member's prefix" }] : [],
        }
        if (keyArn) {
          yield {
            ...role, on: 'key', keyArn, action: 'kms:GenerateDataKey',
            context: { ...role.context, 'kms:ViaService': `s3.${bucket?.region ?? stack.region}.amazonaws.com`, 'kms:CallerAccount': stack.account },
          }
        }
        // And the service principal, which the Config guide's bucket policy
        // names (and its key policy, for a bucket in another account).
        const source = { 'aws:SourceAccount': stack.account, ...(org ? { 'aws:SourceOrgID': index.organizationId } : {}) }
        const principal = 'config.amazonaws.com'
        yield { at, on: 'bucket', bucket: p.S3BucketName, principal, action: 's3:GetBucketAcl', context: { ...source, ...S3_TLS } }
        yield { at, on: 'bucket', bucket: p.S3BucketName, principal, action: 's3:ListBucket', context: { ...source, ...S3_TLS } }
        yield {
          at, on: 'bucket', bucket: p.S3BucketName, principal, action: 's3:PutObject', object: object(stack.account),
          context: { ...source, ...S3_TLS, 's3:x-amz-acl': 'bucket-owner-full-control' },
        }
        if (org && keyArn) {
          yield { at, on: 'key', keyArn, principal, action: 'kms:GenerateDataKey', context: source }
        }
      }
    },
  },
  {
    name: 'CloudWatch Logs log group encryption',
    principals: [/^logs\.[a-z0-9-]+\.amazonaws\.com$/],
    docs: [
      'Amazon CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS Key Management Service": logs.<region>.amazonaws.com with kms:EncryptionContext:aws:logs:arn. https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
    ],
    *uses(stack) {
      for (const [id, r] of resourcesOf(stack, 'AWS::Logs::LogGroup')) {
        if (!r.Properties?.KmsKeyId) continue
        const keyArn = stack.resolve(r.Properties.KmsKeyId)
        const logGroupArn = stack.getAtt(id, 'Arn').replace(/:\*$/, '')
        for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          yield {
            at: `${stack}/${id}`, on: 'key', keyArn, principal: `logs.${stack.region}.amazonaws.com`, action,
            context: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn },
          }
        }
      }
    },
  },
  {
    name: 'EventBridge rules publish to SNS topics',
    principals: [/^events\.amazonaws\.com$/],
    docs: [
      'Amazon EventBridge User Guide, "Using resource-based policies for Amazon EventBridge", Amazon SNS permissions (events.amazonaws.com sns:Publish on the topic). https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html',
      'Amazon SNS Developer Guide, "Enable compatibility between event sources from AWS services and encrypted topics" (the service needs kms:Decrypt and kms:GenerateDataKey* on the topic key). https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html',
    ],
    unscoped: {
      key: 'the key statement for EventBridge names no source (SNS asks KMS for EventBridge without aws:SourceAccount or aws:SourceArn); the topic policy refuses other accounts\' rules before a message reaches the key',
    },
    *uses(stack, index) {
      for (const [id, r] of resourcesOf(stack, 'AWS::Events::Rule')) {
        const ruleArn = stack.getAtt(id, 'Arn')
        for (const target of stack.resolve(r.Properties.Targets ?? [])) {
          const topic = index.topic(target.Arn)
          if (!topic) continue
          yield* publishes(`${stack}/${id}`, 'events.amazonaws.com', topic, sourceOf(stack, ruleArn))
        }
      }
    },
  },
  {
    name: "Firewall Manager's notifications to SNS",
    principals: [/:role\/aws-service-role\/fms\.amazonaws\.com\/AWSServiceRoleForFMS$/],
    docs: [
      'AWS WAF, Firewall Manager, and AWS Shield Advanced Developer Guide, "Firewall Manager required permissions for API actions" (PutNotificationChannel: the topic policy lets the AWSServiceRoleForFMS role sns:Publish). https://docs.aws.amazon.com/waf/latest/developerguide/fms-api-permissions-ref.html',
      'Amazon SNS Developer Guide, "Key management" (a publisher to an encrypted topic needs kms:GenerateDataKey* and kms:Decrypt on its key; SNS calls KMS with the encryption context aws:sns:topicArn). https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html',
    ],
    *uses(stack, index) {
      for (const [id, r] of resourcesOf(stack, 'AWS::FMS::NotificationChannel')) {
        const topic = index.topic(stack.resolve(r.Properties.SnsTopicArn))
        if (!topic) continue
        const principal = stack.resolve(r.Properties.SnsRoleName)
        const at = `${stack}/${id}`
        yield { at, on: 'topic', topicArn: topic.arn, principal, action: 'sns:Publish', context: { ...TLS } }
        if (topic.keyArn) {
          for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
            yield {
              at, on: 'key', keyArn: topic.keyArn, principal, action,
              context: { 'kms:ViaService': `sns.${stack.region}.amazonaws.com`, 'kms:EncryptionContext:aws:sns:topicArn': topic.arn },
            }
          }
        }
      }
    },
  },
  {
    name: 'CloudWatch alarms publish to SNS topics',
    principals: [/^cloudwatch\.amazonaws\.com$/],
    docs: [
      'Amazon CloudWatch User Guide, "Using Amazon CloudWatch alarms": an encrypted topic\'s key must let cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey*; the topic policy lets it sns:Publish, scoped with aws:SourceArn and aws:SourceAccount. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html',
    ],
    *uses(stack, index) {
      for (const [id, r] of resourcesOf(stack, 'AWS::CloudWatch::Alarm')) {
        const alarmArn = stack.getAtt(id, 'Arn')
        for (const action of stack.resolve(r.Properties.AlarmActions ?? [])) {
          const topic = index.topic(action)
          if (topic) yield* publishes(`${stack}/${id}`, 'cloudwatch.amazonaws.com', topic, sourceOf(stack, alarmArn))
        }
      }
    },
  },
  {
    name: 'Vended log delivery: WAF, Network Firewall and VPC flow logs to S3',
    principals: [/^delivery\.logs\.amazonaws\.com$/],
    docs: [
      'Amazon CloudWatch Logs User Guide, "Enable logging from AWS services" and "Logs sent to Amazon S3": bucket policy for delivery.logs.amazonaws.com (s3:GetBucketAcl, s3:PutObject with bucket-owner-full-control under AWSLogs/<account>/, aws:SourceAccount, aws:SourceArn arn:aws:logs:<region>:<account>:*) and, with SSE-KMS, the key policy (kms:GenerateDataKey*, same conditions). https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-S3.html',
      'AWS WAF Developer Guide, "Amazon Simple Storage Service" log destination. https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html',
      'AWS Network Firewall Developer Guide, "Sending logs to Amazon Simple Storage Service". https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html',
      'Amazon VPC User Guide, "Publish flow logs to Amazon S3". https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html',
    ],
    *uses(stack, index) {
      const deliveries = []
      for (const [id, r] of resourcesOf(stack, 'AWS::EC2::FlowLog')) {
        const p = stack.resolve(r.Properties)
        if (p.LogDestinationType !== 's3') continue
        const [, bucket, prefix = ''] = /^arn:[^:]+:s3:::([^/]+)\/?(.*)$/.exec(p.LogDestination)
        deliveries.push({ at: `${stack}/${id}`, bucket, prefix: prefix.replace(/\/?$/, '/').replace(/^\/$/, ''), kind: 'vpcflowlogs' })
      }
      for (const [id, r] of resourcesOf(stack, 'AWS::NetworkFirewall::LoggingConfiguration')) {
        for (const d of stack.resolve(r.Properties.LoggingConfiguration.LogDestinationConfigs)) {
          if (d.LogDestinationType !== 'S3') continue
          const prefix = d.LogDestination.prefix ? `${d.LogDestination.prefix}/` : ''
          deliveries.push({ at: `${stack}/${id}`, bucket: d.LogDestination.bucketName, prefix, kind: `network-firewall/${d.LogType.toLowerCase()}` })
        }
      }
      for (const [id, r] of resourcesOf(stack, 'AWS::WAFv2::LoggingConfiguration')) {
        for (const arn of stack.resolve(r.Properties.LogDestinationConfigs)) {
          if (arn.startsWith('arn:aws:s3:::')) deliveries.push({ at: `${stack}/${id}`, bucket: bucketName(arn), prefix: '', kind: 'WAFLogs' })
        }
      }
      const principal = 'delivery.logs.amazonaws.com'
      const source = sourceOf(stack, `arn:aws:logs:${stack.region}:${stack.account}:delivery-source:x`)
      for (const d of deliveries) {
        const bucket = index.bucket(d.bucket)
        yield { at: d.at, on: 'bucket', bucket: d.bucket, principal, action: 's3:GetBucketAcl', context: { ...source, ...S3_TLS } }
        yield {
          at: d.at, on: 'bucket', bucket: d.bucket, principal, action: 's3:PutObject',
          object: `${d.prefix}AWSLogs/${stack.account}/${d.kind}/${stack.region}/${DAY}/x.log.gz`,
          context: { ...source, ...S3_TLS, 's3:x-amz-acl': 'bucket-owner-full-control' },
        }
        if (bucket?.defaultKeyArn) {
          yield { at: d.at, on: 'key', keyArn: bucket.defaultKeyArn, principal, action: 'kms:GenerateDataKey', context: source }
        }
      }
    },
  },
  {
    name: "Macie's sensitive data discovery results",
    principals: [/^macie\.amazonaws\.com$/],
    docs: [
      'Amazon Macie User Guide, "Storing and retaining sensitive data discovery results": key policy kms:GenerateDataKey, kms:Encrypt and bucket policy s3:GetBucketLocation, s3:PutObject, each with aws:SourceAccount and aws:SourceArn (export-configuration:*, classification-job/*). https://docs.aws.amazon.com/macie/latest/user/discovery-results-repository-s3.html',
    ],
    *uses(stack) {
      for (const [id, r] of resourcesOf(stack, 'Custom::AWS')) {
        const call = stack.sdkCall(r.Properties.Create)
        if (call.action !== 'PutClassificationExportConfiguration') continue
        const { bucketName: bucket, keyPrefix = '', kmsKeyArn } = call.parameters.configuration.s3Destination
        const principal = 'macie.amazonaws.com'
        const source = sourceOf(stack, `arn:aws:macie2:${stack.region}:${stack.account}:classification-job/0123456789abcdef`)
        const at = `${stack}/${id}`
        for (const action of ['kms:GenerateDataKey', 'kms:Encrypt']) {
          yield { at, on: 'key', keyArn: kmsKeyArn, principal, action, context: source }
        }
        yield { at, on: 'bucket', bucket, principal, action: 's3:GetBucketLocation', context: { ...source, ...S3_TLS } }
        yield {
          at, on: 'bucket', bucket, principal, action: 's3:PutObject',
          object: `${keyPrefix}AWSLogs/${stack.account}/Macie/${stack.region}/0123456789abcdef/x.jsonl.gz`,
          context: { ...source, ...S3_TLS, 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': kmsKeyArn },
        }
      }
    },
  },
  {
    name: 'Secrets Manager encrypts secrets for their readers',
    principals: [],
    docs: [
      'AWS Secrets Manager User Guide, "Secret encryption and decryption in AWS Secrets Manager": Secrets Manager calls KMS with the caller\'s credentials, kms:ViaService secretsmanager.<region>.amazonaws.com and the encryption context SecretARN. https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html',
    ],
    *uses(stack) {
      for (const [id, r] of resourcesOf(stack, 'AWS::SecretsManager::Secret')) {
        if (!r.Properties?.KmsKeyId) continue
        const keyArn = stack.resolve(r.Properties.KmsKeyId)
        const secretArn = stack.ref(id)
        for (const reader of secretReaders(stack, id)) {
          yield {
            at: `${stack}/${id}`, on: 'key', keyArn, principal: reader, identityPolicies: [], action: 'kms:Decrypt',
            context: {
              'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com`, 'kms:CallerAccount': stack.account,
              'aws:PrincipalAccount': stack.account, 'kms:EncryptionContext:SecretARN': secretArn,
            },
            // The same reader straight to KMS, not through Secrets Manager.
            deniedAlso: [{ context: { 'kms:CallerAccount': stack.account, 'aws:PrincipalAccount': stack.account }, why: 'outside Secrets Manager' }],
          }
        }
      }
    },
  },
  {
    name: 'S3 server access logs',
    principals: [/^logging\.s3\.amazonaws\.com$/],
    docs: [
      'Amazon S3 User Guide, "Enabling Amazon S3 server access logging": logging.s3.amazonaws.com s3:PutObject on the target prefix, with aws:SourceArn (the source bucket) and aws:SourceAccount. https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
    ],
    *uses(stack) {
      for (const [id, r] of resourcesOf(stack, 'AWS::S3::Bucket')) {
        const logging = r.Properties?.LoggingConfiguration
        if (!logging?.DestinationBucketName) continue
        const p = stack.resolve(logging)
        yield {
          at: `${stack}/${id}`, on: 'bucket', bucket: p.DestinationBucketName, principal: 'logging.s3.amazonaws.com', action: 's3:PutObject',
          object: `${p.LogFilePrefix ?? ''}2026-12-06-00-00-00-0123456789ABCDEF`,
          context: { ...sourceOf(stack, stack.getAtt(id, 'Arn')), ...S3_TLS },
        }
      }
    },
  },
]

// publishes: a service publishing to an encrypted topic needs the topic's
// policy and the topic key's.
function* publishes(at, principal, topic, source) {
  yield { at, on: 'topic', topicArn: topic.arn, principal, action: 'sns:Publish', context: { ...source, ...TLS } }
  if (topic.keyArn) {
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      yield { at, on: 'key', keyArn: topic.keyArn, principal, action, context: source }
    }
  }
}

// sourceOf is the request context AWS sends when a service acts for a
// resource: its account and ARN.
function sourceOf(stack, sourceArn) {
  return { 'aws:SourceAccount': stack.account, 'aws:SourceArn': sourceArn }
}

function bucketName(arn) {
  return /^arn:[^:]+:s3:::([^/]+)/.exec(arn)[1]
}

export function resourcesOf(stack, type) {
  return Object.entries(stack.resources).filter(([, r]) => r.Type === type)
}

// identityPolicies are the policies of the template that apply to a role:
// its inline policies, its customer managed policies, and AWS::IAM::Policy
// resources attached to it. AWS managed policies are AWS's, not evaluated.
function identityPolicies(stack, roleArn) {
  const roles = resourcesOf(stack, 'AWS::IAM::Role').filter(([id]) => stack.getAtt(id, 'Arn') === roleArn)
  const out = []
  for (const [id, role] of roles) {
    const name = stack.ref(id)
    for (const p of stack.resolve(role.Properties.Policies ?? [])) out.push({ name: p.PolicyName, policy: p.PolicyDocument })
    const managed = new Set(stack.resolve(role.Properties.ManagedPolicyArns ?? []))
    for (const [pid, p] of resourcesOf(stack, 'AWS::IAM::ManagedPolicy')) {
      if (managed.has(stack.ref(pid)) || stack.resolve(p.Properties.Roles ?? []).includes(name)) {
        out.push({ name: pid, policy: stack.resolve(p.Properties.PolicyDocument) })
      }
    }
    for (const [pid, p] of resourcesOf(stack, 'AWS::IAM::Policy')) {
      if (stack.resolve(p.Properties.Roles ?? []).includes(name)) out.push({ name: pid, policy: stack.resolve(p.Properties.PolicyDocument) })
    }
  }
  return out
}

// secretReaders are the principals a secret's resource policy lets read it.
function secretReaders(stack, secretId) {
  const readers = new Set()
  for (const [, p] of resourcesOf(stack, 'AWS::SecretsManager::ResourcePolicy')) {
    if (JSON.stringify(p.Properties.SecretId) !== JSON.stringify({ Ref: secretId })) continue
    for (const s of stack.resolve(p.Properties.ResourcePolicy).Statement) {
      const actions = [s.Action].flat()
      if (s.Effect === 'Allow' && actions.includes('secretsmanager:GetSecretValue')) {
        for (const a of [s.Principal?.AWS ?? []].flat()) readers.add(a)
      }
    }
  }
  return [...readers]
}

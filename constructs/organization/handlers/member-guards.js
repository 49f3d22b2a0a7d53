// Account guards in a member account, where no CDK asset can reach: S3
// Block Public Access for the account, EBS encryption by default with the
// member's own key, the IAM password policy. Inline code (at most 4096
// bytes); answers CloudFormation itself. Delete leaves every guard on.
// The key and the policy come from the function's own environment, set by
// the template, never from the event: anyone allowed to invoke the function
// could send one. A key outside this account, partition or region is refused.
const https = require('https');
const { S3ControlClient, PutPublicAccessBlockCommand } = require('@aws-sdk/client-s3-control');
const { EC2Client, ModifyEbsDefaultKmsKeyIdCommand, EnableEbsEncryptionByDefaultCommand } = require('@aws-sdk/client-ec2');
const { IAMClient, UpdateAccountPasswordPolicyCommand } = require('@aws-sdk/client-iam');

exports.put = (url, body) => new Promise((resolve, reject) => {
  const req = https.request(url, {
    method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
  }, (res) => { res.resume(); res.on('end', resolve); });
  req.on('error', reject);
  req.end(body);
});

exports.sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Denied or throttled calls are retried a few times: IAM may not have
// propagated the role the stack created moments before.
const send = async (client, command) => {
  for (let i = 1; ; i += 1) {
    try {
      return await client.send(command);
    } catch (e) {
      if (i >= 6 || !/^(AccessDenied|UnauthorizedOperation|Throttling|RequestLimitExceeded)$/.test(e.name)) throw e;
      await exports.sleep(2000 * i);
    }
  }
};

exports.handler = async (event, context) => {
  let status = 'SUCCESS';
  let reason = 'done';
  const g = event.ResourceProperties.Guard;
  try {
    // arn:partition:lambda:region:account:function:name
    const [, part, , region, account] = context.invokedFunctionArn.split(':');
    const env = process.env;
    if (event.RequestType !== 'Delete' && g === 's3') {
      await send(new S3ControlClient({}), new PutPublicAccessBlockCommand({
        AccountId: account,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true,
        },
      }));
    }
    if (event.RequestType !== 'Delete' && g === 'ebs') {
      const key = env.EBS_KEY_ARN || '';
      if (!key.startsWith(`arn:${part}:kms:${region}:${account}:key/`)) {
        throw new Error(`EBS_KEY_ARN ${key} is not a key of ${account} in ${region}`);
      }
      const ec2 = new EC2Client({});
      await send(ec2, new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: key }));
      await send(ec2, new EnableEbsEncryptionByDefaultCommand({}));
    }
    if (event.RequestType !== 'Delete' && g === 'password') {
      await send(new IAMClient({}), new UpdateAccountPasswordPolicyCommand(JSON.parse(env.PASSWORD_POLICY)));
    }
  } catch (e) {
    status = 'FAILED';
    reason = `${g}: ${e.name}: ${e.message}`;
  }
  await exports.put(event.ResponseURL, JSON.stringify({
    Status: status, Reason: reason, PhysicalResourceId: `guard-${g}`,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  }));
};

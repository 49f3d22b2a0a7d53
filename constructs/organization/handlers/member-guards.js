// Account guards in a member account, where no CDK asset can reach: S3
// Block Public Access for the account, EBS encryption by default with the
// member's own key, and the IAM password policy. Runs as an inline function
// and answers CloudFormation itself. Delete leaves every guard on.
const https = require('https');
const { S3ControlClient, PutPublicAccessBlockCommand } = require('@aws-sdk/client-s3-control');
const { EC2Client, ModifyEbsDefaultKmsKeyIdCommand, EnableEbsEncryptionByDefaultCommand } = require('@aws-sdk/client-ec2');
const { IAMClient, UpdateAccountPasswordPolicyCommand } = require('@aws-sdk/client-iam');

const respond = (event, status, reason) => new Promise((resolve, reject) => {
  const body = JSON.stringify({
    Status: status, Reason: reason, PhysicalResourceId: `guard-${event.ResourceProperties.Guard}`,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  });
  const req = https.request(event.ResponseURL, {
    method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
  }, (res) => { res.resume(); res.on('end', resolve); });
  req.on('error', reject);
  req.end(body);
});

exports.handler = async (event) => {
  let status = 'SUCCESS';
  let reason = 'done';
  try {
    const p = event.ResourceProperties;
    if (event.RequestType !== 'Delete' && p.Guard === 's3') {
      await new S3ControlClient({}).send(new PutPublicAccessBlockCommand({
        AccountId: p.AccountId,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true,
        },
      }));
    }
    if (event.RequestType !== 'Delete' && p.Guard === 'ebs') {
      const ec2 = new EC2Client({});
      await ec2.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: p.KeyArn }));
      await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
    }
    if (event.RequestType !== 'Delete' && p.Guard === 'password') {
      await new IAMClient({}).send(new UpdateAccountPasswordPolicyCommand(JSON.parse(p.Policy)));
    }
  } catch (e) {
    status = 'FAILED';
    reason = `${e.name}: ${e.message}`;
  }
  await respond(event, status, reason);
};

// Turns on Security Hub CSPM cross-Region aggregation in this region, the
// home Region, with no linked Region: RegionLinkingMode NO_REGIONS. Central
// configuration needs a finding aggregator even when an organization governs
// one region only, or links none because every other region excludes
// Security Hub; AWS::SecurityHub::FindingAggregator cannot express that
// (its RegionLinkingMode allows ALL_REGIONS, ALL_REGIONS_EXCEPT_SPECIFIED
// and SPECIFIED_REGIONS only), the API can.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-securityhub-findingaggregator.html
// https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_CreateFindingAggregator.html
//
// Create and Update look for the account's finding aggregator (an account
// has at most one) and set it to NO_REGIONS, or create one; a re-run finds it
// and sets the same mode again. An existing aggregator's linked regions are
// dropped on purpose: central configuration applies in the linked regions,
// and the configuration governs none but this one. Security Hub documents
// keeping an aggregator that links no region this way (User Guide,
// "Stopping cross-Region aggregation").
// https://docs.aws.amazon.com/securityhub/latest/userguide/finding-aggregation-stop.html
// Delete leaves the aggregator: central configuration, which the
// organization settings keep unless told to destroy them, depends on it.
// Runs as a Lambda asset under the CDK provider framework, which reports the
// result (or a thrown error) to CloudFormation.
'use strict';

const {
  SecurityHubClient, ListFindingAggregatorsCommand, CreateFindingAggregatorCommand, UpdateFindingAggregatorCommand,
} = require('@aws-sdk/client-securityhub');

const client = new SecurityHubClient({});
const physicalResourceId = 'securityhub-finding-aggregator';
const mode = 'NO_REGIONS';

// Waits between retries; tests replace it so nothing really waits.
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Errors worth another attempt while time remains: throttling and Security
// Hub's own faults.
const transient = (e) => (e.$retryable && e.$retryable.throttling)
  || ['ThrottlingException', 'TooManyRequestsException', 'InternalException'].includes(e.name);

exports.handler = async (event, context) => {
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId };
  }
  const late = () => context.getRemainingTimeInMillis() < 20000;
  // send retries transient errors until the time is nearly up and names the
  // call and region in any error it gives up on. A few errors are retried a
  // few times only: AccessDeniedException, because the handler's role,
  // created with the stack moments ago, may not have propagated in IAM yet;
  // LimitExceededException, because Security Hub reports throttling with it
  // as well as a limit that no retry lifts.
  const send = async (command) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await client.send(command);
      } catch (e) {
        const briefly = ['AccessDeniedException', 'LimitExceededException'].includes(e.name) && attempt < 8;
        if (!(transient(e) || briefly) || late()) {
          const op = command.constructor.name.replace(/Command$/, '');
          throw new Error(`${op} ${mode} in ${process.env.AWS_REGION}: ${e.name}: ${e.message}`);
        }
        await exports.sleep(5000);
      }
    }
  };
  const arns = [];
  let NextToken;
  do {
    const page = await send(new ListFindingAggregatorsCommand(NextToken ? { NextToken } : {}));
    for (const a of page.FindingAggregators || []) arns.push(a.FindingAggregatorArn);
    ({ NextToken } = page);
  } while (NextToken);
  if (arns.length > 0) {
    // An aggregator's ARN names its home Region, and only there can it be
    // updated; the home Region of central configuration is the aggregator's.
    const home = arns[0].split(':')[3];
    if (home !== process.env.AWS_REGION) {
      throw new Error(`the account's finding aggregator ${arns[0]} has its home Region in ${home}, not ${process.env.AWS_REGION}: `
        + 'delete it there, or make that the home region');
    }
    await send(new UpdateFindingAggregatorCommand({ FindingAggregatorArn: arns[0], RegionLinkingMode: mode }));
  } else {
    await send(new CreateFindingAggregatorCommand({ RegionLinkingMode: mode }));
  }
  return { PhysicalResourceId: physicalResourceId };
};

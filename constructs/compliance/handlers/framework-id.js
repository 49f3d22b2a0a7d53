// Finds the IDs of AWS Audit Manager standard frameworks by their exact
// names: Audit Manager documents framework names, not IDs. Reads only: Create
// and Update look the names up again (a re-run finds the same IDs), and
// Delete changes nothing. A name that matches no framework, or more than one,
// fails. Runs as a Lambda asset under the CDK provider framework, which
// reports the result (or a thrown error) to CloudFormation.
// https://docs.aws.amazon.com/audit-manager/latest/APIReference/API_ListAssessmentFrameworks.html
'use strict';

const { AuditManagerClient, ListAssessmentFrameworksCommand } = require('@aws-sdk/client-auditmanager');

const client = new AuditManagerClient({});

// Waits between retries; tests replace it so that nothing really waits.
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// list sends one page request, retrying throttling (beyond the SDK's own
// attempts) a few times; any other error names the call and region.
const list = async (input) => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.send(new ListAssessmentFrameworksCommand(input));
    } catch (e) {
      // AccessDeniedException too: the handler's role, created with the
      // stack moments ago, may not have propagated in IAM yet.
      const retry = (e.$retryable && e.$retryable.throttling) || ['ThrottlingException', 'AccessDeniedException'].includes(e.name);
      if (!retry || attempt >= 6) {
        throw new Error(`ListAssessmentFrameworks in ${process.env.AWS_REGION}: ${e.name}: ${e.message}`);
      }
      await exports.sleep(1000 * 2 ** attempt);
    }
  }
};

exports.handler = async (event) => {
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  // Frameworks maps each attribute name to the framework's exact name.
  const wanted = event.ResourceProperties.Frameworks;
  const found = {};
  let nextToken;
  do {
    const page = await list({ frameworkType: 'Standard', maxResults: 100, nextToken });
    for (const f of page.frameworkMetadataList || []) {
      (found[f.name] = found[f.name] || []).push(f.id);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const data = {};
  for (const [key, name] of Object.entries(wanted)) {
    const ids = found[name] || [];
    if (ids.length !== 1) {
      throw new Error(`Audit Manager lists ${ids.length} standard frameworks named "${name}" in this region, not one`);
    }
    data[key] = ids[0];
  }
  return { PhysicalResourceId: 'auditmanager-framework-ids', Data: data };
};

// Finds the IDs of AWS Audit Manager standard frameworks by their exact
// names: Audit Manager documents framework names, not IDs. Reads only;
// deleting the resource changes nothing. Runs under the CDK custom-resource
// provider framework, which reports the result (or a thrown error) to
// CloudFormation.
const { AuditManagerClient, ListAssessmentFrameworksCommand } = require('@aws-sdk/client-auditmanager');

const client = new AuditManagerClient({});

exports.handler = async (event) => {
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  // Frameworks maps each attribute name to the framework's exact name.
  const wanted = event.ResourceProperties.Frameworks;
  const found = {};
  let nextToken;
  do {
    const page = await client.send(new ListAssessmentFrameworksCommand({
      frameworkType: 'Standard', maxResults: 100, nextToken,
    }));
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

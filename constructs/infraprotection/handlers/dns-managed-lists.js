// Looks up the IDs of AWS managed Route 53 Resolver DNS Firewall domain
// lists by name: CloudFormation rules name lists by ID, and the IDs differ
// by region. Returns them as attributes named after the lists.
// Runs under the CDK custom-resource provider framework, which reports the
// result (or a thrown error) to CloudFormation.
const { Route53ResolverClient, ListFirewallDomainListsCommand } = require('@aws-sdk/client-route53resolver');

const client = new Route53ResolverClient({});
const physicalResourceId = 'dns-firewall-managed-domain-lists';

exports.handler = async (event) => {
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId };
  }
  const want = event.ResourceProperties.Names;
  const found = {};
  let NextToken;
  do {
    const page = await client.send(new ListFirewallDomainListsCommand({ NextToken, MaxResults: 100 }));
    for (const list of page.FirewallDomainLists || []) {
      if (list.ManagedOwnerName && want.includes(list.Name)) {
        found[list.Name] = list.Id;
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  const missing = want.filter((n) => !found[n]);
  if (missing.length > 0) {
    throw new Error(`AWS managed DNS Firewall domain lists not found in this region: ${missing.join(', ')}`);
  }
  return { PhysicalResourceId: physicalResourceId, Data: found };
};

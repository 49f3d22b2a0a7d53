// Looks up the IDs of AWS managed Route 53 Resolver DNS Firewall domain
// lists by name: CloudFormation rules name lists by ID, and the IDs differ
// by region. Returns them as attributes named after the lists. Reads only:
// Create and Update look the names up again (a re-run finds the same IDs),
// and Delete changes nothing. Only lists AWS manages count (ManagedOwnerName
// set), so an account's own list of the same name is never picked. Runs as
// a Lambda asset under the CDK provider framework, which reports the result
// (or a thrown error) to CloudFormation.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ListFirewallDomainLists.html
'use strict';

const { Route53ResolverClient, ListFirewallDomainListsCommand } = require('@aws-sdk/client-route53resolver');

const client = new Route53ResolverClient({});
const physicalResourceId = 'dns-firewall-managed-domain-lists';

// Waits between retries; tests replace it so that nothing really waits.
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// list sends one page request, retrying ThrottlingException (beyond the
// SDK's own attempts) a few times; any other error names the call and
// region.
const list = async (input) => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.send(new ListFirewallDomainListsCommand(input));
    } catch (e) {
      // AccessDeniedException too: the handler's role, created with the
      // stack moments ago, may not have propagated in IAM yet.
      const retry = (e.$retryable && e.$retryable.throttling) || ['ThrottlingException', 'AccessDeniedException'].includes(e.name);
      if (!retry || attempt >= 6) {
        throw new Error(`ListFirewallDomainLists in ${process.env.AWS_REGION}: ${e.name}: ${e.message}`);
      }
      await exports.sleep(1000 * 2 ** attempt);
    }
  }
};

exports.handler = async (event) => {
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: physicalResourceId };
  }
  const want = event.ResourceProperties.Names;
  const found = {};
  let NextToken;
  do {
    const page = await list({ NextToken, MaxResults: 100 });
    for (const l of page.FirewallDomainLists || []) {
      if (l.ManagedOwnerName && want.includes(l.Name)) {
        found[l.Name] = l.Id;
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

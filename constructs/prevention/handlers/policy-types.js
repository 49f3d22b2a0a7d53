// Enables organization policy types on the root before any policy of that
// type is created: see policytypes.go. Idempotent: a type already enabled
// (or enabled by a concurrent call) counts as success. Delete leaves every
// type enabled: disabling one would detach every policy of that type
// across the organization, mamori's or not.
const orgs = require('@aws-sdk/client-organizations');

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// root returns the organization's root (there is exactly one).
const root = async (client) => {
  const r = await client.send(new orgs.ListRootsCommand({}));
  if (!r.Roots || r.Roots.length !== 1) {
    throw new Error(`ListRoots returned ${r.Roots ? r.Roots.length : 0} roots; expected the organization's one root`);
  }
  return r.Roots[0];
};

const status = (rt, type) => (rt.PolicyTypes || []).find((t) => t.Type === type)?.Status;

// pollMs is how long to wait between checks; tests set it to 0.
exports.pollMs = 5000;

exports.handler = async (event) => {
  const p = event.ResourceProperties;
  const id = 'policy-types';
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: id };
  }
  const client = new orgs.OrganizationsClient({ region: p.OrganizationsRegion });
  let rt = await root(client);
  for (const type of p.PolicyTypes) {
    if (status(rt, type) === 'ENABLED' || status(rt, type) === 'PENDING_ENABLE') {
      continue;
    }
    try {
      await client.send(new orgs.EnablePolicyTypeCommand({ RootId: rt.Id, PolicyType: type }));
    } catch (e) {
      if (e.name !== 'PolicyTypeAlreadyEnabledException') {
        throw new Error(`organizations:EnablePolicyType ${type} on ${rt.Id} (${p.OrganizationsRegion}): ${e.name}: ${e.message}`);
      }
    }
  }
  // Enabling is asynchronous: wait until every type is ENABLED, so that the
  // policies CloudFormation creates next are accepted.
  for (let i = 0; ; i++) {
    rt = await root(client);
    const pending = p.PolicyTypes.filter((t) => status(rt, t) !== 'ENABLED');
    if (pending.length === 0) {
      return { PhysicalResourceId: id };
    }
    if (i >= 100) {
      throw new Error(`policy types still not enabled on ${rt.Id}: ${pending.join(', ')}`);
    }
    await sleep(exports.pollMs);
  }
};

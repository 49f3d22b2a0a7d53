// Keeps the HSMs of a CloudHSM cluster at the configured placement (one
// Availability Zone per HSM) and deletes them when the resource leaves the
// stack; the cluster's backups keep every user and key (see cloudhsm.go).
// Create and Update converge on the properties: missing HSMs are created,
// left-over ones deleted, and a re-run on a cluster at its placement changes
// nothing. Runs as a Lambda asset under the CDK provider framework, which
// reports the result (or a thrown error) to CloudFormation.
// https://docs.aws.amazon.com/cloudhsm/latest/APIReference/API_CreateHsm.html
'use strict';

const {
  CloudHSMV2Client, DescribeClustersCommand, CreateHsmCommand, DeleteHsmCommand,
} = require('@aws-sdk/client-cloudhsm-v2');

const client = new CloudHSMV2Client({});
// Cluster states in which CloudHSM accepts no HSM change yet.
// https://docs.aws.amazon.com/cloudhsm/latest/APIReference/API_Cluster.html
const busy = ['CREATE_IN_PROGRESS', 'INITIALIZE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'MODIFY_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'];

// Waits between polls and retries; tests replace it so nothing really waits.
exports.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// HSMs that exist or are being created.
const live = (c) => (c.Hsms || []).filter((h) => !['DELETE_IN_PROGRESS', 'DELETED'].includes(h.State));

exports.handler = async (event, context) => {
  const p = event.ResourceProperties;
  const late = () => context.getRemainingTimeInMillis() < 20000;
  // send retries throttling and CloudHSM's internal failures while time
  // remains, an access denial a few times (the handler's role, created with
  // the stack moments ago, may not have propagated in IAM yet), and names
  // the call, cluster and region in any other error.
  const send = async (command, id) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await client.send(command);
      } catch (e) {
        const transient = (e.$retryable && e.$retryable.throttling)
          || ['ThrottlingException', 'CloudHsmInternalFailureException'].includes(e.name)
          || (e.name === 'CloudHsmAccessDeniedException' && attempt < 8);
        if (!transient || late()) {
          const op = command.constructor.name.replace(/Command$/, '');
          throw new Error(`${op} on ${id} in ${process.env.AWS_REGION}: ${e.name}: ${e.message}`);
        }
        await exports.sleep(5000);
      }
    }
  };
  // describe finds the cluster, following pages (a filter on one ID can
  // still answer with an empty first page and a token).
  const describe = async (id) => {
    let NextToken;
    do {
      const r = await send(new DescribeClustersCommand({ Filters: { clusterIds: [id] }, NextToken }), id);
      const c = (r.Clusters || []).find((x) => x.ClusterId === id);
      if (c) return c;
      NextToken = r.NextToken;
    } while (NextToken);
    return undefined;
  };
  const remove = (id, h) => send(new DeleteHsmCommand({ ClusterId: id, HsmId: h.HsmId }), id);

  if (event.RequestType === 'Delete') {
    const id = event.PhysicalResourceId;
    // A failed create leaves a physical ID that is no cluster.
    let c = /^cluster-/.test(id) && await describe(id);
    if (!c) return { PhysicalResourceId: id };
    for (const h of live(c)) await remove(id, h);
    // CloudFormation deletes the cluster next: it refuses while HSMs remain.
    while (String(p.WaitForDeletion) === 'true' && (c = await describe(id))
      && (c.Hsms || []).some((h) => h.State !== 'DELETED')) {
      if (late()) throw new Error(`HSMs of ${id} are still being deleted; retry the stack deletion`);
      await exports.sleep(10000);
    }
    return { PhysicalResourceId: id };
  }

  const id = p.ClusterId;
  let c = await describe(id);
  while (c && busy.includes(c.State)) {
    if (late()) throw new Error(`cluster ${id} stayed ${c.State}`);
    await exports.sleep(10000);
    c = await describe(id);
  }
  if (!c) throw new Error(`cluster ${id} not found`);
  // One HSM per zone in turn: HsmCount of them (1 before activation).
  const azs = p.AvailabilityZones;
  const want = Array.from({ length: Number(p.HsmCount) }, (_, i) => azs[i % azs.length]);
  const have = live(c);
  if (String(p.Activated) !== 'true') {
    // Before activation the cluster needs exactly its first HSM: the CSR to
    // sign comes from it, and replacing it would replace the CSR.
    if (have.length === 0) {
      await send(new CreateHsmCommand({ ClusterId: id, AvailabilityZone: want[0] }), id);
    }
    return { PhysicalResourceId: id };
  }
  if (!['ACTIVE', 'DEGRADED'].includes(c.State)) {
    throw new Error(`cluster ${id} is ${c.State}, not ACTIVE: initialize and activate it (see the runbook) before setting Activated`);
  }
  // Match wanted Availability Zones to existing HSMs; create what is missing,
  // then delete what is left over (CloudHSM backs up an active cluster when
  // an HSM is removed).
  const spare = [...have];
  const missing = [];
  for (const az of want) {
    const i = spare.findIndex((h) => h.AvailabilityZone === az);
    if (i >= 0) spare.splice(i, 1); else missing.push(az);
  }
  for (const az of missing) await send(new CreateHsmCommand({ ClusterId: id, AvailabilityZone: az }), id);
  for (const h of spare) await remove(id, h);
  return { PhysicalResourceId: id };
};

// Keeps the HSMs of a CloudHSM cluster at the configured placement (one
// Availability Zone per HSM) and deletes them when the resource leaves the
// stack; the cluster's backups keep every user and key. Runs under the CDK
// provider framework, which reports the result (or a thrown error).
const {
  CloudHSMV2Client, DescribeClustersCommand, CreateHsmCommand, DeleteHsmCommand,
} = require('@aws-sdk/client-cloudhsm-v2');

const client = new CloudHSMV2Client({});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const busy = ['CREATE_IN_PROGRESS', 'INITIALIZE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'MODIFY_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'];

const describe = async (id) => {
  const { Clusters = [] } = await client.send(new DescribeClustersCommand({ Filters: { clusterIds: [id] } }));
  return Clusters[0];
};
// HSMs that exist or are being created.
const live = (c) => (c.Hsms || []).filter((h) => !['DELETE_IN_PROGRESS', 'DELETED'].includes(h.State));
const remove = (id, h) => client.send(new DeleteHsmCommand({ ClusterId: id, HsmId: h.HsmId }));
const late = (ctx) => ctx.getRemainingTimeInMillis() < 20000;

exports.handler = async (event, context) => {
  const p = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    const id = event.PhysicalResourceId;
    let c = /^cluster-/.test(id) && await describe(id);
    if (!c) return { PhysicalResourceId: id };
    for (const h of live(c)) await remove(id, h);
    // CloudFormation deletes the cluster next: it refuses while HSMs remain.
    while (String(p.WaitForDeletion) === 'true' && (c = await describe(id))
      && (c.Hsms || []).some((h) => h.State !== 'DELETED')) {
      if (late(context)) throw new Error(`HSMs of ${id} are still being deleted; retry the stack deletion`);
      await sleep(10000);
    }
    return { PhysicalResourceId: id };
  }

  const id = p.ClusterId;
  let c = await describe(id);
  while (c && busy.includes(c.State)) {
    if (late(context)) throw new Error(`cluster ${id} stayed ${c.State}`);
    await sleep(10000);
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
      await client.send(new CreateHsmCommand({ ClusterId: id, AvailabilityZone: want[0] }));
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
  for (const az of missing) await client.send(new CreateHsmCommand({ ClusterId: id, AvailabilityZone: az }));
  for (const h of spare) await remove(id, h);
  return { PhysicalResourceId: id };
};

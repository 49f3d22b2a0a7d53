// cfn-diff compares templates with the CDK's own template diff
// (@aws-cdk/cloudformation-diff, the library behind `cdk diff`), offline.
// Input on stdin, JSON: {"stacks": [{"name", "old", "new"}], "stateful": [types],
// "result": path} where old/new are template paths or null (a stack added or
// removed) and result, when set, receives {"stateful": [lines]} as JSON.
// It prints the CDK's diff of each changed stack, then calls out in red
// every replacement or removal of a stateful resource: one whose
// DeletionPolicy keeps data (Retain, RetainExceptOnCreate, Snapshot) or
// whose type is retained anywhere in the app. Exit status 0; the caller
// decides what fails, from the result file.
'use strict';
const fs = require('fs');
const { fullDiff, formatDifferences, ResourceImpact } = require('@aws-cdk/cloudformation-diff');

const RED = process.stdout.isTTY || process.env.FORCE_COLOR ? (s) => `\x1b[31;1m${s}\x1b[0m` : (s) => s;
const KEEPS = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const statefulTypes = new Set(input.stateful || []);
const read = (p) => (p ? JSON.parse(fs.readFileSync(p, 'utf8')) : {});

let totals = { changed: 0, added: 0, removed: 0, replaced: 0, stateful: [] };
for (const s of input.stacks) {
  const oldT = read(s.old);
  const newT = read(s.new);
  const diff = fullDiff(oldT, newT);
  if (diff.isEmpty) continue;
  totals.changed++;
  const what = !s.old ? ' (new stack)' : !s.new ? ' (stack removed)' : '';
  process.stdout.write(`\n==== ${s.name}${what}\n`);
  formatDifferences(process.stdout, diff);
  const stateful = [];
  diff.resources.forEachDifference((id, change) => {
    const impact = change.changeImpact;
    if (change.isAddition) totals.added++;
    if (change.isRemoval) totals.removed++;
    const replaced = impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE;
    if (replaced) totals.replaced++;
    if (!replaced && impact !== ResourceImpact.WILL_DESTROY && impact !== ResourceImpact.WILL_ORPHAN && !change.isRemoval) return;
    const before = (oldT.Resources || {})[id] || {};
    const type = change.resourceType || before.Type;
    if (!KEEPS.has(before.DeletionPolicy) && !statefulTypes.has(type)) return;
    const verb = replaced ? (impact === ResourceImpact.MAY_REPLACE ? 'may be REPLACED' : 'will be REPLACED')
      : impact === ResourceImpact.WILL_ORPHAN ? 'leaves the stack (retained, orphaned)' : 'will be DESTROYED';
    stateful.push(`${id} (${type}) ${verb}`);
  });
  for (const line of stateful) {
    process.stdout.write(RED(`!! stateful: ${s.name}/${line}`) + '\n');
    totals.stateful.push(`${s.name}/${line}`);
  }
}
process.stdout.write(`\n${totals.changed} stack(s) changed: ${totals.added} resource(s) added, ${totals.removed} removed, ${totals.replaced} replaced.\n`);
if (totals.stateful.length > 0) {
  process.stdout.write(RED(`${totals.stateful.length} stateful resource(s) replaced or removed: data may be lost. Read them above before accepting.`) + '\n');
} else {
  process.stdout.write('No stateful resource is replaced or removed.\n');
}
if (input.result) {
  fs.writeFileSync(input.result, JSON.stringify({ stateful: totals.stateful }));
}

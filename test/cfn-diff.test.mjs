// The stateful gate of `make diff` reads what .tools/cfn-diff.js finds with
// the CDK's template diff: a retained bucket whose name changes is
// replaced (BucketName is a replacement property), a retained key that is
// removed is orphaned, and both must reach the result file the Go side
// gates on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const tools = join(dirname(fileURLToPath(import.meta.url)), '..', '.tools');

function diff(before, after) {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-diff-'));
  const oldPath = join(dir, 'old.json');
  const newPath = join(dir, 'new.json');
  const result = join(dir, 'result.json');
  writeFileSync(oldPath, JSON.stringify(before));
  writeFileSync(newPath, JSON.stringify(after));
  const run = spawnSync(process.execPath, [join(tools, 'cfn-diff.js')], {
    cwd: tools,
    input: JSON.stringify({ stacks: [{ name: 'fx/s', old: oldPath, new: newPath }], stateful: [], result }),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return { out: run.stdout, stateful: JSON.parse(readFileSync(result, 'utf8')).stateful };
}

const bucket = (name) => ({ Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { BucketName: name } });
const key = { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { EnableKeyRotation: true } };

test('a renamed retained bucket is a stateful replacement', () => {
  const { stateful } = diff({ Resources: { Logs: bucket('a-logs') } }, { Resources: { Logs: bucket('b-logs') } });
  assert.deepEqual(stateful, ['fx/s/Logs (AWS::S3::Bucket) will be REPLACED']);
});

test('a removed retained key is reported', () => {
  const { stateful } = diff({ Resources: { Key: key } }, { Resources: {} });
  assert.equal(stateful.length, 1);
  assert.match(stateful[0], /^fx\/s\/Key \(AWS::KMS::Key\) /);
});

test('an in-place change is not', () => {
  const changed = { ...key, Properties: { EnableKeyRotation: true, Description: 'logs' } };
  const { stateful, out } = diff({ Resources: { Key: key } }, { Resources: { Key: changed } });
  assert.deepEqual(stateful, []);
  assert.match(out, /No stateful resource is replaced or removed/);
});

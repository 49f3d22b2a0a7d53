// Test helpers for mamori's deploy-time handlers (constructs/*/handlers):
// a fake clock for the handlers' waits, the Lambda context that reads it,
// SDK-shaped service errors, and a check of every command a mock received
// against the input shape the SDK package itself declares. Test-only: no
// handler requires this file, and no asset contains it.
'use strict';

const fs = require('fs');
const path = require('path');
const assert = require('node:assert/strict');

// clock is a fake time source: sleep(ms) advances it at once, and context()
// is a Lambda context whose remaining time shrinks as the handler sleeps.
// No test ever waits. A handler that keeps sleeping past any budget (a
// loop that never ends) fails instead of hanging the test run.
function clock(budgetMs = 14 * 60 * 1000) {
  const c = {
    now: 0,
    sleeps: [],
    sleep: async (ms) => {
      c.sleeps.push(ms);
      c.now += ms;
      if (c.sleeps.length > 10000) throw new Error('the handler slept 10000 times: a loop without end');
    },
    context: () => ({ getRemainingTimeInMillis: () => budgetMs - c.now }),
  };
  return c;
}

// serviceError builds the error an SDK client throws for a service error
// code: the package's own exception class when it exports one, otherwise
// its base ServiceException with that name (as the SDK does for codes it
// does not model).
function serviceError(pkg, name, message = name, extra = {}) {
  const sdk = require(pkg);
  const base = Object.values(sdk).find((v) => typeof v === 'function' && /ServiceException$/.test(v.name));
  const Cls = typeof sdk[name] === 'function' && sdk[name].prototype instanceof Error ? sdk[name] : base;
  const e = new Cls({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400 }, ...extra });
  e.name = name;
  return e;
}

// The SDK's declared shapes, read from each package's TypeScript
// declarations: every structure's members (required or not, and their
// types) and every enum's values.
const shapes = new Map();
function model(pkg) {
  if (shapes.has(pkg)) return shapes.get(pkg);
  const root = path.dirname(require.resolve(`${pkg}/package.json`));
  const structures = {};
  const enums = {};
  const inputs = {};
  const read = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir)) {
      if (!f.endsWith('.d.ts')) continue;
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
        const members = {};
        for (const line of m[2].matchAll(/^ {4}(\w+)(\?)?: (.+);$/gm)) {
          members[line[1]] = { required: !line[2], type: line[3] };
        }
        structures[m[1]] = members;
      }
      for (const m of text.matchAll(/export declare const (\w+): \{([\s\S]*?)\};/g)) {
        enums[m[1]] = [...m[2].matchAll(/readonly \w+: "([^"]*)"/g)].map((v) => v[1]);
      }
      for (const m of text.matchAll(/export interface (\w+)CommandInput extends (\w+)/g)) {
        inputs[m[1]] = m[2];
      }
    }
  };
  read(path.join(root, 'dist-types', 'models'));
  read(path.join(root, 'dist-types', 'commands'));
  const out = { structures, enums, inputs };
  shapes.set(pkg, out);
  return out;
}

// validate checks one value against a declared type: required members are
// present, no member is unknown, enum values are among the declared ones.
function validate(m, type, value, where, problems) {
  if (value === undefined || value === null) return;
  const t = type.replace(/ \| undefined$/, '').trim();
  if (t.endsWith('[]')) {
    if (!Array.isArray(value)) { problems.push(`${where}: not a list`); return; }
    value.forEach((v, i) => validate(m, t.slice(0, -2), v, `${where}[${i}]`, problems));
    return;
  }
  if (m.structures[t]) {
    if (typeof value !== 'object' || Array.isArray(value)) { problems.push(`${where}: not a structure ${t}`); return; }
    for (const [name, member] of Object.entries(m.structures[t])) {
      if (member.required && (value[name] === undefined || value[name] === null)) {
        problems.push(`${where}.${name}: required by ${t}`);
      }
    }
    for (const [name, v] of Object.entries(value)) {
      const member = m.structures[t][name];
      if (!member) { problems.push(`${where}.${name}: not a member of ${t}`); continue; }
      validate(m, member.type, v, `${where}.${name}`, problems);
    }
    return;
  }
  if (m.enums[t] && m.enums[t].length && !m.enums[t].includes(value)) {
    problems.push(`${where}: ${JSON.stringify(value)} is not a ${t} (${m.enums[t].join(', ')})`);
  }
}

// checkInputs asserts that every command the mock received has the input
// shape its SDK package declares. pkg is the client package the mock stands
// in for.
function checkInputs(mock, pkg) {
  const m = model(pkg);
  const problems = [];
  for (const call of mock.calls()) {
    const command = call.args[0];
    const op = command.constructor.name.replace(/Command$/, '');
    const shape = m.inputs[op] || `${op}Request`;
    assert.ok(m.structures[shape] !== undefined, `${pkg}: no declared input shape ${shape} for ${op}`);
    validate(m, shape, command.input, op, problems);
  }
  assert.deepEqual(problems, [], `inputs that do not match ${pkg}'s declared shapes`);
}

// documentedErrors lists the error codes the SDK package documents for one
// command (its @throws, from the service model), without the package's base
// exception: the codes a handler may meet from that call.
function documentedErrors(pkg, Command) {
  const root = path.dirname(require.resolve(`${pkg}/package.json`));
  const file = path.join(root, 'dist-types', 'commands', `${Command.name}.d.ts`);
  const text = fs.readFileSync(file, 'utf8');
  const base = /ServiceException$/;
  return [...new Set([...text.matchAll(/@throws \{@link (\w+)\}/g)].map((m) => m[1]))]
    .filter((name) => !(base.test(name) && !text.includes(`@throws {@link ${name}} (`)));
}

// inputs lists the inputs of the commands of one class a mock received.
const inputs = (mock, Command) => mock.commandCalls(Command).map((c) => c.args[0].input);

module.exports = { clock, serviceError, checkInputs, inputs, model, documentedErrors };

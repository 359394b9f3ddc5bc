// The Node build hands plans over as tapes (wasm/src/tape.rs, src/tape.js): the object `plan()`
// gives must be the one `JSON.parse` of the plan's JSON text gives, key order, number types and
// all, for every plan of the corpus, with or without code generation from strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Discovery } from '../src/index.js';
import { ZoneHost } from '../src/zone.js';
import { tapeReader } from '../src/tape.js';
import * as nodeModule from '../wasm/mailsrv_node.js';
import { cases, expected, readText, root } from './helpers.js';

/** The discovery of corpus case `c`, every question answered from its zones. */
function answered(c) {
  const host = new ZoneHost();
  for (const z of c.zones) host.addZone(readText(`zones/${z}`), (c.secureZones ?? []).includes(z));
  const d = new Discovery(c.email, c.options ?? {});
  for (const q of d.queries()) {
    if (d.receive(q.id, host.answer(q.wire, 'udp')) === 'truncated') d.receive(q.id, host.answer(q.wire, 'tcp'));
  }
  host.free();
  return d;
}

test('D58: every corpus plan read from its tape is the plan of its JSON text', () => {
  for (const c of cases()) {
    const d = answered(c);
    for (const seed of [c.seed, 7, 2n ** 64n - 1n]) {
      const fromTape = d.plan({ seed });
      const text = d.planText({ seed });
      assert.deepStrictEqual(fromTape, JSON.parse(text.text), `${c.name}, seed ${seed}`);
      assert.equal(JSON.stringify(fromTape), text.text, `${c.name}: key order`);
      text.free();
    }
    d.free();
  }
});

test('D58: a plan before any answer, and after failures, reads the same from its tape', () => {
  const d = new Discovery('Ålice@Bücher.example', { prefer: 'pop3' });
  assert.deepStrictEqual(d.plan(), JSON.parse(d.planText().text));
  for (const q of d.queries()) d.fail(q.id, 'timeout');
  const plan = d.plan({ seed: 1 });
  assert.equal(plan.domainUnicode, 'bücher.example');
  assert.deepStrictEqual(plan, JSON.parse(d.planText({ seed: 1 }).text));
  d.free();
});

test('D58: a string of the tape that starts with U+FEFF keeps it, and the strings after it stay whole', () => {
  const host = new ZoneHost();
  host.addZone(readText('zones/demo.zone'), false);
  for (const email of ['\ufeffalice@example.net', '\ufeff\ufeffbob@example.net']) {
    const d = new Discovery(email);
    for (const q of d.queries()) d.receive(q.id, host.answer(q.wire, 'udp'));
    const text = d.planText({ seed: 1 });
    const plan = d.plan({ seed: 1 });
    assert.equal(plan.email, email);
    assert.equal(plan.domain, 'example.net');
    assert.equal(plan.incoming.status, 'found');
    assert.deepStrictEqual(plan, JSON.parse(text.text));
    text.free();
    d.free();
  }
  host.free();
});

test('D58: strings repeated in a plan are one string; objects are not shared', () => {
  const d = answered(cases().find((c) => c.name === 'demo'));
  const plan = d.plan({ seed: 1 });
  const [a, b] = plan.incoming.candidates.concat(plan.outgoing.candidates);
  assert.notEqual(a.usernames, b.usernames, 'each candidate has its own arrays');
  a.usernames.push('changed');
  assert.notDeepEqual(a.usernames, b.usernames);
  d.free();
});

test('D58: where code generation from strings is disallowed, plans are read all the same', () => {
  const script = `
    import { Discovery } from './src/index.js';
    import { ZoneHost } from './src/zone.js';
    import { readFileSync } from 'node:fs';
    const host = new ZoneHost();
    host.addZone(readFileSync('../../testdata/zones/demo.zone', 'utf8'), false);
    const d = new Discovery('alice@example.net');
    for (const q of d.queries()) d.receive(q.id, host.answer(q.wire, 'tcp'));
    process.stdout.write(JSON.stringify(d.plan({ seed: 1 }), null, 2) + '\\n');`;
  const run = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script], { cwd: `${root}/bindings/js`, encoding: 'utf8' });
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
  assert.equal(run.stdout, expected('demo'));
});

// Hand-made tapes: header [format, shapes, strings, string bytes, operation words], string ends,
// operations, string bytes (four to a word, little-endian).
function tape(strings, ops, shapes = 0) {
  const bytes = new TextEncoder().encode(strings.join(''));
  const ends = [];
  let units = 0;
  for (const s of strings) ends.push((units += s.length));
  const words = new Uint32Array(5 + ends.length + ops.length + Math.ceil(bytes.length / 4));
  words.set([1, shapes, strings.length, bytes.length, ops.length, ...ends, ...ops]);
  new Uint8Array(words.buffer).set(bytes, (5 + ends.length + ops.length) * 4);
  return words;
}
const fakeModule = (shapes) => ({ planShapes: (from) => JSON.stringify(shapes.slice(from)) });

test('D58: the tape reader makes own __proto__ keys, doubles and embedded JSON as JSON.parse does', () => {
  const read = tapeReader(fakeModule([['a', 'b']]));
  // { "__proto__": 1, "x": [ -0.5, 4294967295, null, true, false, "é😀" ] }
  const bits = new Uint32Array(new Float64Array([-0.5]).buffer);
  const value = read(tape(['__proto__', 'x', 'é😀'], [8, 2, 5, 0, 3, 1, 5, 1, 6, 6, 4, bits[0], bits[1], 3, 0xffffffff, 0, 1, 2, 5, 2]));
  assert.deepStrictEqual(value, JSON.parse('{"__proto__": 1, "x": [-0.5, 4294967295, null, true, false, "é😀"]}'));
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  // A shape: { a: "é😀", b: { "json": true } } (the JSON operation)
  assert.deepStrictEqual(read(tape(['é😀', '{"json":true}'], [7, 0, 5, 0, 9, 1], 1)), { a: 'é😀', b: { json: true } });
});

test('D58: a tape of another format or with an unknown operation is an INTERNAL error', () => {
  const read = tapeReader(fakeModule([]));
  const other = tape([], [0]);
  other[0] = 2;
  assert.throws(() => read(other), { code: 'INTERNAL', message: /format 2/ });
  assert.throws(() => read(tape([], [42])), { code: 'INTERNAL', message: /operation 42 at word 5/ });
});

test('D63: every corpus plan read in place is the plan read from its copied tape', () => {
  const read = tapeReader(nodeModule);
  for (const c of cases()) {
    const d = answered(c);
    for (const seed of [c.seed, 9]) assert.deepStrictEqual(d.plan({ seed }), read(d.planTape(seed)), `${c.name}, seed ${seed}`);
    d.free();
  }
});

/**
 * A tape left in place at word 4 of a fake memory (header, the addresses of the string ends,
 * operations and text, then those), whose `planShapes` grows the memory the way the module's can:
 * a new, larger buffer with the same bytes, the old one detached.
 */
function inPlace(strings, ops, shapes) {
  const flat = tape(strings, ops, shapes.length);
  const [, , count, bytes, words] = flat;
  const at = 4;
  const memory = { buffer: new ArrayBuffer((at + 8 + flat.length) * 4) };
  const u32 = new Uint32Array(memory.buffer);
  const body = at + 8;
  u32.set(flat.subarray(0, 5), at);
  u32.set([(body + 5) * 4, (body + 5 + count) * 4, (body + 5 + count + words) * 4], at + 5);
  u32.set(flat, body);
  assert.ok(bytes > 0);
  const module = {
    planShapes(from) {
      const grown = new ArrayBuffer(memory.buffer.byteLength * 2);
      new Uint8Array(grown).set(new Uint8Array(memory.buffer));
      // Detached, as a grown WebAssembly.Memory leaves its old buffer.
      structuredClone(memory.buffer, { transfer: [memory.buffer] });
      memory.buffer = grown;
      return JSON.stringify(shapes.slice(from));
    },
  };
  return { readAt: tapeReader(module, memory).readAt, address: at * 4 };
}

test('D63: a tape read in place is read from the memory as it is after the shapes are fetched', () => {
  // { a: "é😀", b: [1, "x"] }, its shape new to the reader: fetching it grows the memory.
  const { readAt, address } = inPlace(['é😀', 'x'], [7, 0, 5, 0, 6, 2, 3, 1, 5, 1], [['a', 'b']]);
  assert.deepStrictEqual(readAt(address), { a: 'é😀', b: [1, 'x'] });
  // Read again: no new shape, the same memory.
  assert.deepStrictEqual(readAt(address), { a: 'é😀', b: [1, 'x'] });
});

test('D58: keys that Object.prototype has, with a setter or frozen, become own properties as JSON.parse makes them', () => {
  const read = tapeReader(fakeModule([]));
  // { hook: 1, toString: "v" }
  const both = tape(['hook', 'toString', 'v'], [8, 2, 5, 0, 3, 1, 5, 1, 5, 2]);
  let called = 0;
  Object.defineProperty(Object.prototype, 'hook', { configurable: true, set() { called += 1; } });
  try {
    const value = read(both);
    assert.deepStrictEqual(Object.getOwnPropertyNames(value), ['hook', 'toString']);
    assert.equal(value.hook, 1);
    assert.equal(value.toString, 'v');
  } finally {
    delete Object.prototype.hook;
  }
  assert.equal(called, 0, 'the setter on Object.prototype did not run');
  // Under --frozen-intrinsics, assigning `toString` would throw; defining it does not.
  const script = `import { tapeReader } from './src/tape.js';
const words = new Uint32Array(${JSON.stringify(Array.from(both))});
const read = tapeReader({ planShapes: () => '[]' });
console.log(JSON.stringify(read(words)));`;
  const run = spawnSync(process.execPath, ['--frozen-intrinsics', '--no-warnings', '--input-type=module', '-e', script], { cwd: `${root}/bindings/js`, encoding: 'utf8' });
  assert.equal(run.stderr, '');
  assert.equal(run.stdout.trim(), '{"hook":1,"toString":"v"}');
});

test('D58: a read started inside a read (a setter on Array.prototype) leaves the outer read whole', () => {
  const read = tapeReader(fakeModule([]));
  const inner = tape(['k', 'v'], [8, 1, 5, 0, 5, 1]); // { k: "v" }
  const outer = tape(['k', 'v'], [6, 2, 3, 7, 8, 1, 5, 0, 5, 1]); // [7, { k: "v" }]
  // Not an array, and one inner read only: anything that fills an array (Node's own code
  // included) calls the setter too.
  const seen = { count: 0, last: undefined };
  Object.defineProperty(Array.prototype, '0', {
    configurable: true,
    set(value) {
      if (seen.count++ === 0) seen.last = read(inner);
      Object.defineProperty(this, '0', { value, enumerable: true, writable: true, configurable: true });
    },
  });
  let value;
  try {
    value = read(outer);
  } finally {
    delete Array.prototype[0];
  }
  assert.deepStrictEqual(value, [7, { k: 'v' }]);
  assert.ok(seen.count >= 1, 'the setter ran');
  assert.deepStrictEqual(seen.last, { k: 'v' });
});

// The Node build's receive through the module's answer buffer (src/boundary.js,
// wasm/src/boundary.rs, D63): the same outcomes, errors and plans as an answer passed the
// generated way (a plain array still goes that way), whatever the answers' sizes and order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Discovery } from '../src/index.js';
import * as web from '../src/browser.js';
import { caseHost } from './case-host.js';
import * as nodeModule from '../wasm/mailsrv_node.js';
import { cases } from './helpers.js';


test('D63: every corpus answer gives the outcome and plan it gives as a plain array', () => {
  for (const c of cases()) {
    const host = caseHost(c);
    const buffered = new Discovery(c.email, c.options ?? {});
    const generated = new Discovery(c.email, c.options ?? {});
    // TCP answers first (the larger ones), then UDP: the buffer grows, then is reused shorter.
    for (const transport of ['tcp', 'udp']) {
      for (const q of buffered.queries()) {
        const answer = host.answer(q.wire, transport);
        const a = (() => { try { return buffered.receive(q.id, answer); } catch (e) { return e.code; } })();
        const b = (() => { try { return generated.receive(q.id, Array.from(answer)); } catch (e) { return e.code; } })();
        assert.equal(a, b, `${c.name}: ${q.name} over ${transport}`);
      }
    }
    assert.deepStrictEqual(buffered.plan({ seed: 5 }), generated.plan({ seed: 5 }), c.name);
    buffered.free();
    generated.free();
    host.free();
  }
});

/** What `receive` gives: the outcome, or the error's code and message. */
function outcomeOf(d, id, answer, options) {
  try {
    return d.receive(id, answer, options);
  } catch (e) {
    return `${e.code}: ${e.message}`;
  }
}

test('D63: a short answer after a long one is read at its own length; errors are the same', () => {
  const host = caseHost(cases().find((c) => c.name === 'demo'));
  const d = new Discovery('alice@example.net');
  const e = new Discovery('alice@example.net');
  const [first, second] = d.queries();
  const real = host.answer(second.wire, 'udp');
  // A long answer leaves its bytes in the buffer: a shorter one read past its own length would
  // not fail as it does alone.
  const steps = [
    [first.id, new Uint8Array(4096).fill(0xff)],
    [first.id, new Uint8Array([1, 2, 3])],
    [first.id, real.subarray(0, 11)],
    [second.id, new Uint8Array(12)],
    [second.id, real],
    [second.id, real],
    [first.id, host.answer(first.wire, 'udp'), { dnssec: 'maybe' }],
    [first.id, host.answer(first.wire, 'udp'), { dnsec: 'secure' }],
    // Past the buffer's 65,535 bytes: the generated path, and the core's own refusal.
    [first.id, new Uint8Array(70000)],
    [first.id, host.answer(first.wire, 'udp'), { dnssec: 'insecure' }],
  ];
  const seen = new Set();
  for (const [id, answer, options] of steps) {
    const got = outcomeOf(d, id, answer, options);
    assert.equal(got, outcomeOf(e, id, Array.from(answer), options));
    seen.add(got.split(':')[0]);
  }
  // The steps reach several outcomes and errors, not one.
  assert.ok(seen.size >= 5, [...seen].join(', '));
  assert.deepStrictEqual(d.plan({ seed: 4 }), e.plan({ seed: 4 }));
  d.free();
  assert.throws(() => d.receive(first.id, real));
  e.free();
  host.free();
});

test('D63: a Buffer (a pooled view at an offset) and a subarray are read from their own bytes', () => {
  const host = caseHost(cases().find((c) => c.name === 'demo'));
  const d = new Discovery('alice@example.net');
  const e = new Discovery('alice@example.net');
  for (const q of d.queries()) {
    const answer = host.answer(q.wire, 'udp');
    const padded = new Uint8Array(answer.length + 7);
    padded.set(answer, 7);
    assert.equal(d.receive(q.id, Buffer.from(answer)), e.receive(q.id, padded.subarray(7)));
  }
  assert.deepStrictEqual(d.plan({ seed: 2 }), e.plan({ seed: 2 }));
  d.free();
  e.free();
  host.free();
});

test('D63: answers are copied into the memory as it is once it has grown', () => {
  const { memory } = nodeModule.initSync(); // already loaded: the instance's exports
  const host = caseHost(cases().find((c) => c.name === 'demo'));
  const d = new Discovery('alice@example.net');
  const e = new Discovery('alice@example.net');
  const [first, ...rest] = d.queries();
  assert.equal(d.receive(first.id, host.answer(first.wire, 'udp')), e.receive(first.id, Array.from(host.answer(first.wire, 'udp'))));
  // Grow the memory: its old buffer, and any view of it, is detached.
  const size = memory.buffer.byteLength;
  const held = [];
  while (memory.buffer.byteLength === size && held.length < 1e6) held.push(new Discovery('bob@example.org'));
  assert.ok(memory.buffer.byteLength > size, 'the memory grew');
  for (const q of rest) assert.equal(d.receive(q.id, host.answer(q.wire, 'udp')), e.receive(q.id, Array.from(host.answer(q.wire, 'udp'))));
  assert.deepStrictEqual(d.plan({ seed: 3 }), e.plan({ seed: 3 }));
  for (const h of held) h.free();
  d.free();
  e.free();
  host.free();
});

test('D66: queries() in the Node build are the browser module\'s, field for field and byte for byte, each wire a copy of its own', async () => {
  await web.init();
  const emails = [...new Set(cases().map((c) => c.email)), 'bob@bücher.example', 'x@xn--bcher-kva.example', 'p@d1.bench.example'];
  let compared = 0;
  for (const email of emails) {
    for (const options of [undefined, { messageIdBase: 65530 }, { trustAd: true }, { messageIdBase: 7, imap: false }]) {
      // Each build makes the discovery, or refuses it with the same error code.
      const [a, b] = [Discovery, web.Discovery].map((D) => { try { return new D(email, options); } catch (e) { return e.code; } });
      const kind = (m) => (typeof m === 'string' ? m : 'made');
      assert.equal(kind(a), kind(b), `${email} ${JSON.stringify(options)}`);
      if (kind(a) !== 'made') continue;
      const ours = a.queries();
      const theirs = b.queries();
      assert.deepStrictEqual(ours, theirs, `${email} ${JSON.stringify(options)}`);
      assert.deepStrictEqual(ours.map(Object.keys), theirs.map(Object.keys));
      // Each wire is a copy: changing it changes neither the discovery's nor the next call's.
      ours[0].wire[2] ^= 0xff;
      assert.deepStrictEqual(a.queries(), theirs);
      assert.notEqual(ours[0].wire.buffer, nodeModule.initSync().memory.buffer);
      compared += ours.length;
      a.free();
      b.free();
    }
  }
  assert.ok(compared > 100, `${compared} questions compared`);
});

test('D66: queries() read after the memory has grown see the wires where they are', () => {
  const { memory } = nodeModule.initSync();
  const d = new Discovery('alice@example.net');
  const before = d.queries();
  // Discoveries kept alive until the module's memory grows (its old views are then detached).
  const size = memory.buffer.byteLength;
  const kept = [];
  while (memory.buffer.byteLength === size && kept.length < 100000) kept.push(new Discovery(`u${kept.length}@example.net`));
  assert.notEqual(memory.buffer.byteLength, size, 'the memory grew');
  assert.deepStrictEqual(d.queries(), before);
  assert.equal(kept.at(-1).queries()[0].name, '_submissions._tcp.example.net');
  for (const k of kept) k.free();
  d.free();
});

test('issue 16 §3: PlannedText.copyInto gives the plan text\'s UTF-8 bytes at the offset, also after the memory has grown', () => {
  const { memory } = nodeModule.initSync();
  const host = caseHost(cases().find((c) => c.name === 'demo'));
  const planned = (email) => {
    const d = new Discovery(email);
    for (const q of d.queries()) d.receive(q.id, host.answer(q.wire, 'udp'));
    const p = d.planText({ seed: 5 });
    d.free();
    return p;
  };
  const p = planned('alice@example.net');
  const expected = new TextEncoder().encode(p.text);
  assert.equal(p.length, expected.length);
  const copy = (offset) => {
    const target = new Uint8Array(offset + p.length + 3).fill(0xee);
    assert.equal(p.copyInto(target, offset), p.length);
    assert.deepStrictEqual(target.subarray(offset, offset + p.length), expected);
    assert.deepStrictEqual([...target.subarray(0, offset), ...target.subarray(offset + p.length)], Array(offset + 3).fill(0xee), 'nothing else written');
  };
  copy(7);
  // Plans kept alive until the module's memory grows (its old views are then detached).
  const size = memory.buffer.byteLength;
  const kept = [];
  while (memory.buffer.byteLength === size && kept.length < 100000) kept.push(planned(`u${kept.length}@example.net`));
  assert.notEqual(memory.buffer.byteLength, size, 'the memory grew');
  copy(0);
  const last = kept.at(-1);
  const target = new Uint8Array(last.length);
  last.copyInto(target, 0);
  assert.equal(JSON.parse(new TextDecoder().decode(target)).email, `u${kept.length - 1}@example.net`);
  for (const k of kept) k.free();
  p.free();
  host.free();
});

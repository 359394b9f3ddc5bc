// Replays testdata/ through the JS API (rules in testdata/README.md) and compares every plan,
// as text, with the Rust expected plans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Discovery } from '../src/index.js';
import { ZoneHost } from '../src/zone.js';
import { cases, expected, readText } from './helpers.js';

function replay(c) {
  const host = new ZoneHost();
  for (const z of c.zones) host.addZone(readText(`zones/${z}`), (c.secureZones ?? []).includes(z));
  const d = new Discovery(c.email, c.options ?? {});
  for (const q of d.queries()) {
    const inject = (c.inject ?? {})[q.service];
    if (inject === undefined || inject === 'no-tcp') {
      const udp = host.answer(q.wire, 'udp');
      if (d.receive(q.id, udp) === 'truncated' && inject === undefined) d.receive(q.id, host.answer(q.wire, 'tcp'));
    } else if (inject === 'servfail' || inject === 'formerr') {
      const w = Uint8Array.from(q.wire);
      w[2] |= 0x80;
      w[3] = (w[3] & 0xf0) | (inject === 'servfail' ? 2 : 1);
      d.receive(q.id, w);
    } else if (inject === 'malformed') {
      d.receive(q.id, host.answer(q.wire, 'udp').subarray(0, 20));
    } else {
      d.fail(q.id, inject);
    }
  }
  return JSON.stringify(d.plan({ seed: c.seed }), null, 2) + '\n';
}

for (const c of cases()) {
  test(`corpus case ${c.name} gives the Rust plan`, () => {
    assert.equal(replay(c), expected(c.name));
  });
}

test('errors carry the core error code', () => {
  assert.throws(() => new Discovery('alice@[192.0.2.1]'), (e) => e instanceof Error && e.code === 'ADDRESS_LITERAL');
  assert.throws(() => new Discovery('alice@example.net', { minimumSecurity: 'sometimes' }), (e) => e.code === 'INVALID_ARGUMENT');
  const d = new Discovery('alice@example.net');
  assert.throws(() => d.fail(99, 'timeout'), (e) => e.code === 'UNKNOWN_QUESTION');
  // Three bytes are a malformed answer (data, not an error); twelve zero bytes have QR clear.
  assert.equal(d.receive(0, new Uint8Array([1, 2, 3])), 'malformed');
  assert.throws(() => d.receive(0, new Uint8Array(12)), { code: 'NOT_A_RESPONSE' });
  d.receiveRecords(1, []);
  assert.throws(() => d.receiveRecords(1, []), { code: 'ALREADY_ANSWERED' });
});

test('parsed records from dns.resolveSrv are accepted (name or target)', () => {
  const d = new Discovery('alice@example.net');
  for (const q of d.queries()) {
    if (q.service === 'imaps') d.receiveRecords(q.id, [{ priority: 0, weight: 5, port: 993, name: 'Mail.Example.NET' }]);
    else d.fail(q.id, 'nx-domain');
  }
  const plan = d.plan({ seed: 3n });
  assert.equal(plan.incoming.candidates[0].host, 'mail.example.net');
  assert.equal(plan.incoming.candidates[0].trust, 'in-domain');
});

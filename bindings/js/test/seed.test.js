// A plan's seed (`plan({ seed })`, `planText({ seed })`): a number up to 2^53 or a BigInt of 64
// bits, read the same way by the browser module and the Node build (wasm/src/planner.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as node from '../src/index.js';
import * as web from '../src/browser.js';
import { ZoneHost } from '../src/zone.js';
import { readText } from './helpers.js';

/** A discovery of the weighted SRV zone, every question answered: its plan depends on the seed. */
function weighted(mod) {
  const host = new ZoneHost();
  host.addZone(readText('zones/weights.zone'), false);
  const d = new mod.Discovery('user@weights.example', {});
  for (const q of d.queries()) d.receive(q.id, host.answer(q.wire, 'udp'));
  host.free();
  return d;
}

const order = (plan) => plan.incoming.candidates.map((c) => c.host).join(' ');

test('seed: a BigInt is read as its 64 bits in both builds (5n plans as 5); 2^64, 2^64 + 5 and -1n are refused', async () => {
  await web.init();
  for (const [name, mod] of [['node', node], ['browser', web]]) {
    const d = weighted(mod);
    const orders = new Set();
    for (let seed = 0; seed < 12; seed++) {
      const plan = d.plan({ seed: BigInt(seed) });
      assert.deepStrictEqual(plan, d.plan({ seed }), `${name}, seed ${seed}`);
      orders.add(order(plan));
    }
    assert.ok(orders.size > 1, `${name}: the seed decides the order of weighted records`);
    // Past 32 bits, up to the largest exact number: the BigInt's high bits count as the number's do.
    for (let i = 0; i < 12; i++) {
      const seed = 2 ** 52 + i * 2 ** 40 + i;
      assert.deepStrictEqual(d.plan({ seed: BigInt(seed) }), d.plan({ seed }), `${name}, seed ${seed}`);
    }
    d.plan({ seed: 2n ** 64n - 1n }); // the largest is taken
    for (const seed of [2n ** 64n, 2n ** 64n + 5n, -1n]) {
      assert.throws(() => d.plan({ seed }), { code: 'INVALID_ARGUMENT', message: /64 bits/ }, `${name}, seed ${seed}`);
    }
    if (mod === node) {
      assert.equal(d.planText({ seed: 3n }).text, d.planText({ seed: 3 }).text);
      assert.throws(() => d.planText({ seed: 2n ** 64n + 3n }), { code: 'INVALID_ARGUMENT', message: /64 bits/ });
    }
    d.free();
  }
});

// The modules' allocator (talc in place of the standard library's dlmalloc, D65): planning the
// whole corpus again and again frees what it allocates and reuses it, so neither the Node build
// nor the browser module grows its memory after the first rounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as node from '../src/index.js';
import * as web from '../src/browser.js';
import * as nodeModule from '../wasm/mailsrv_node.js';
import * as browserModule from '../wasm/mailsrv_wasm.js';
import { caseHost } from './case-host.js';
import { cases } from './helpers.js';

/** Every corpus case with its answers, asked once of the zone host. */
function corpus(Discovery) {
  return cases().map((c) => {
    const host = caseHost(c);
    const options = { ...(c.options ?? {}) };
    delete options.dnssec;
    const d = new Discovery(c.email, options);
    const answers = d.queries().map((q) => [q.id, host.answer(q.wire, 'udp')]);
    d.free();
    host.free();
    return { email: c.email, options, answers };
  });
}

/** Plans every case of `plans` `rounds` times; gives how many candidates the plans had. */
function planAll(Discovery, plans, rounds) {
  let candidates = 0;
  for (let r = 0; r < rounds; r++) {
    for (const p of plans) {
      const d = new Discovery(p.email, p.options);
      for (const [id, answer] of p.answers) {
        try { d.receive(id, answer); } catch { /* a refused answer is part of the corpus */ }
      }
      const plan = d.plan({ seed: r });
      candidates += plan.incoming.candidates.length + plan.outgoing.candidates.length;
      d.free();
    }
  }
  return candidates;
}

for (const [name, entry, module] of [['the Node build', node, nodeModule], ['the browser module', web, browserModule]]) {
  test(`D65: ${name} plans the corpus 200 times without growing its memory`, async () => {
    if (entry.init) await entry.init();
    const { memory } = module.initSync();
    const plans = corpus(entry.Discovery);
    const first = planAll(entry.Discovery, plans, 20);
    assert.ok(first > 0, 'the corpus plans have candidates');
    const settled = memory.buffer.byteLength;
    const later = planAll(entry.Discovery, plans, 200);
    assert.equal(later, first * 10, 'each round plans the same candidates');
    assert.equal(memory.buffer.byteLength, settled, `memory grew from ${settled} to ${memory.buffer.byteLength} bytes`);
  });
}

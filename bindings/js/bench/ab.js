// `node ab.js DIR_A DIR_B [ROUNDS]`: CPU per plan through the JS API of two copies of the package
// (each DIR holds `src/` and `wasm/`, e.g. main's `bindings/js` and a branch's) in one process,
// each phase's rounds interleaved (the order alternating), medians of CPU time, with the
// hand-written planner in the same process: an A/B that a shared machine's load does not skew
// the way separate runs of plans.js are skewed. Not a test.
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { answer, generate } from './corpus.js';
import { planByHand } from './baseline.js';

const [dirA, dirB] = process.argv.slice(2, 4).map((d) => pathToFileURL(path.resolve(d)).href);
if (!dirA || !dirB) {
  console.error('usage: node ab.js DIR_A DIR_B [ROUNDS]');
  process.exit(2);
}
const ROUNDS = Number(process.argv[4] ?? 11);
const A = await import(`${dirA}/src/index.js`);
const B = await import(`${dirB}/src/index.js`);
const corpus = generate(2000).map((d) => {
  const discovery = new A.Discovery(d.email);
  const answers = discovery.queries().map((q) => ({ id: q.id, name: q.name, messageId: q.messageId, wire: answer(d, q.wire) }));
  discovery.free();
  return { ...d, answers };
});

function plan(M, c, seed) {
  const d = new M.Discovery(c.email);
  try {
    for (const a of c.answers) d.receive(a.id, a.wire);
    return d.plan({ seed });
  } finally {
    d.free();
  }
}
// The two copies must plan alike, or the comparison means nothing.
for (const c of corpus) assert.deepStrictEqual(plan(B, c, 3), plan(A, c, 3));

let sink = 0;
const phases = {
  full: (M, seed) => { for (const c of corpus) sink += plan(M, c, seed).lookups.length; },
  'new+free': (M) => { for (const c of corpus) new M.Discovery(c.email).free(); },
  hand: (M, seed) => { if (M === A) for (const c of corpus) sink += planByHand(c.email, c.answers, seed).lookups.length; },
  'new+receive+free': (M) => {
    for (const c of corpus) {
      const d = new M.Discovery(c.email);
      for (const a of c.answers) d.receive(a.id, a.wire);
      d.free();
    }
  },
};
const cpu = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1e6; };
const times = Object.fromEntries(Object.keys(phases).map((p) => [p, { A: [], B: [] }]));
for (let i = 0; i < 3; i++) for (const f of Object.values(phases)) { f(A, i); f(B, i); }
for (let r = 0; r < ROUNDS; r++) {
  for (const [p, f] of Object.entries(phases)) {
    for (const [name, M] of r % 2 ? [['B', B], ['A', A]] : [['A', A], ['B', B]]) {
      const start = cpu();
      f(M, 100 + r);
      times[p][name].push(((cpu() - start) / corpus.length) * 1e6);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const m = (p, n) => median(times[p][n]);
console.log(`Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; µs of CPU per plan, medians of ${ROUNDS} rounds`);
for (const p of ['full', 'new+free', 'new+receive+free']) console.log(`${p.padEnd(17)} A ${m(p, 'A').toFixed(2)}  B ${m(p, 'B').toFixed(2)}  B/A ${(m(p, 'B') / m(p, 'A')).toFixed(3)}`);
console.log(`plan()            A ${(m('full', 'A') - m('new+receive+free', 'A')).toFixed(2)}  B ${(m('full', 'B') - m('new+receive+free', 'B')).toFixed(2)}`);
console.log(`hand-written ${m('hand', 'A').toFixed(2)}; ratio JS API / hand-written: A ${(m('hand', 'A') / m('full', 'A')).toFixed(3)}×  B ${(m('hand', 'A') / m('full', 'B')).toFixed(3)}×`);
if (sink < 0) console.log(sink);
